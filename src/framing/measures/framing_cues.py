"""Nationalist (rivalry, pride, threat, self-reliance, comparison) and cautionary cues
(codebook section 4)."""

from __future__ import annotations

from ..lexicons import Lexicon
from .matching import Span, find, longest_first

__all__ = ["NATIONALIST_LABELS", "framing_spans"]

NATIONALIST_LABELS = ("rivalry", "pride", "threat", "self_reliance", "comparison", "identity")


def framing_spans(sentence: str, lexicon: Lexicon) -> list[Span]:
    """Nationalist and cautionary spans in one sentence.

    A category with ``requires: X`` counts only when category ``X`` also matches the sentence
    (a capacity comparison, or "rival", is national only if a nation is named); a match of a
    category with ``unless: Y`` does not count where it overlaps a match of ``Y`` ("Social
    Security"). Helper categories whose measure is not ``nationalist`` or ``cautionary``
    (``nation``, the exclusions) are never returned. Spans carry their category's sub-label.
    """
    found: dict[str, list[Span]] = {c.name: find(c, sentence) for c in lexicon.categories}
    spans = []
    for category in lexicon.categories:
        if category.measure not in ("nationalist", "cautionary"):
            continue
        if category.requires and not found.get(category.requires):
            continue
        matched = found[category.name]
        if category.unless and found.get(category.unless):
            vetoes = found[category.unless]
            matched = [s for s in matched
                       if not any(v.start < s.end and s.start < v.end for v in vetoes)]
        spans.extend(matched)
    return longest_first(spans)
