"""Nationalist (rivalry, pride, threat, self-reliance, comparison) and cautionary cues
(codebook section 4)."""

from __future__ import annotations

from ..lexicons import Lexicon
from .matching import Span, find, longest_first

__all__ = ["NATIONALIST_LABELS", "framing_spans"]

NATIONALIST_LABELS = ("rivalry", "pride", "threat", "self_reliance", "comparison")


def framing_spans(sentence: str, lexicon: Lexicon) -> list[Span]:
    """Nationalist and cautionary spans in one sentence.

    A category with ``requires: X`` counts only when category ``X`` also matches the sentence
    (a capacity comparison is national only if a nation is named). Helper categories whose
    measure is not ``nationalist`` or ``cautionary`` (``nation``) are never returned.
    """
    found: dict[str, list[Span]] = {c.name: find(c, sentence) for c in lexicon.categories}
    spans = []
    for category in lexicon.categories:
        if category.measure not in ("nationalist", "cautionary"):
            continue
        if category.requires and not found.get(category.requires):
            continue
        spans.extend(found[category.name])
    return longest_first(spans)
