"""Nationalist (rivalry, pride, threat, self-reliance, comparison, identity) and cautionary cues
(codebook section 4), and the learned national-identity model.

With the ``nationalist`` cue model (docs/models.md), identity appeals the rules miss are found
in context, as the attribution model adds cues: every mention of a nation (``nation``
category: "Americans", "China") that no rule calls nationalist is a candidate, and so is every
in-group word (``in_group`` category: "our", "the country", "national") in a sentence that
names a nation; the model adds those it judges an appeal to national identity ("what the
American people want", not "American officials said"), trained on PTC's Flag-Waving spans and
the project's gold. An added candidate is a ``learned_identity`` span (sub-label identity),
shown in the matches table with the model's label. The rules' spans are always kept.
"""

from __future__ import annotations

from typing import Sequence

from ..lexicons import Lexicon
from .cue_model import CueModel
from .matching import Span, find, longest_first

__all__ = ["CANDIDATE_RULES", "IN_GROUP", "LEARNED_IDENTITY", "MENTION", "NATIONALIST_LABELS",
           "covering", "framing_spans", "framing_spans_many", "identity_candidates", "learned",
           "sentence_candidates", "sentence_mentions", "sub_label"]

#: The category of a candidate that the learned model, not a rule, calls an identity appeal.
LEARNED_IDENTITY = "learned_identity"
#: The model's ``rule`` feature of a candidate that is a plain mention of a nation...
MENTION = "mention"
#: ... and of an in-group word with no nation named in it ("our", "the country").
IN_GROUP = "in_group"
#: The helper categories whose matches are the model's candidates, and their ``rule`` feature.
CANDIDATE_RULES = {"nation": MENTION, "in_group": IN_GROUP}

NATIONALIST_LABELS = ("rivalry", "pride", "threat", "self_reliance", "comparison", "identity")


def sub_label(category: str) -> str:
    """The nationalist sub-label a span's category counts as."""
    return "identity" if category == LEARNED_IDENTITY else category


def _rule_spans(sentence: str, lexicon: Lexicon):
    """The rules' spans, and a function giving any category's matches (less its exclusions)
    in the sentence. A helper category (``nation``, an exclusion) is matched only when a
    category that names it has matches: the same spans, less work per sentence."""
    by_name = lexicon.by_name
    raw: dict[str, list[Span]] = {}
    found: dict[str, list[Span]] = {}

    def matches(name: str) -> list[Span]:
        if name not in raw:
            raw[name] = find(by_name[name], sentence)
        return raw[name]

    def get(name: str) -> list[Span]:
        if name not in found:
            category, matched = by_name[name], matches(name)
            if matched and category.unless:  # exclusions ("New Mexico" names no nation)
                vetoes = matches(category.unless)
                matched = [s for s in matched
                           if not any(v.start < s.end and s.start < v.end for v in vetoes)]
            found[name] = matched
        return found[name]

    spans = []
    for category in lexicon.categories:
        if category.measure not in ("nationalist", "cautionary"):
            continue
        matched = get(category.name)
        if matched and (not category.requires or get(category.requires)):
            spans.extend(matched)
    return longest_first(spans), get


def covering(mention: Span, spans: list[Span]) -> list[Span]:
    """The rules' nationalist spans that overlap a candidate match."""
    return [s for s in spans
            if s.measure == "nationalist" and s.start < mention.end and mention.start < s.end]


def identity_candidates(spans: list[Span], mentions: list[Span]) -> list[Span]:
    """What the identity model decides: the candidate matches (``mentions``, from
    :func:`sentence_mentions`) that no nationalist span of the rules covers."""
    return [m for m in mentions if not covering(m, spans)]


def learned(candidate: Span) -> Span:
    """A candidate the model accepts, as the ``learned_identity`` span it adds."""
    return Span(candidate.start, candidate.end, "nationalist", LEARNED_IDENTITY, candidate.term)


def sentence_mentions(sentence: str, lexicon: Lexicon) -> tuple[list[Span], list[Span]]:
    """The rules' spans in a sentence and every possible identity-model candidate in it, covered
    by a rule or not: the matches of the :data:`CANDIDATE_RULES` categories the lexicon has,
    each only where its ``requires`` category matches too (an in-group word needs a nation
    named in the sentence: a bare "our" is not enough, codebook section 4), and an in-group word
    inside a nation mention left to the mention; in sentence order."""
    spans, get = _rule_spans(sentence, lexicon)
    mentions: list[Span] = []
    for name in CANDIDATE_RULES:
        category = lexicon.by_name.get(name)
        if category is None or (category.requires and not get(category.requires)):
            continue
        mentions += [m for m in get(name)
                     if not any(o.start < m.end and m.start < o.end for o in mentions)]
    return spans, sorted(mentions, key=lambda s: (s.start, s.end))


def sentence_candidates(sentence: str, lexicon: Lexicon) -> tuple[list[Span], list[Span]]:
    """The rules' spans in a sentence and the identity model's candidates, the mentions
    (:func:`sentence_mentions`) that no rule calls nationalist (:func:`identity_candidates`)."""
    spans, mentions = sentence_mentions(sentence, lexicon)
    return spans, identity_candidates(spans, mentions)


def framing_spans_many(sentences: Sequence[str], lexicon: Lexicon,
                       model: CueModel | None = None) -> list[list[Span]]:
    """:func:`framing_spans` of each sentence (a chunk of articles'), the model scoring the
    candidates of all of them with one ``predict_proba``."""
    if model is None:
        return [_rule_spans(sentence, lexicon)[0] for sentence in sentences]
    found = [sentence_candidates(sentence, lexicon) for sentence in sentences]
    decisions = model.accept_spans(sentences, [candidates for _, candidates in found],
                                   rule=lambda span: CANDIDATE_RULES[span.category])
    return [sorted(spans + [learned(s) for s, ok in zip(candidates, accepted) if ok],
                   key=lambda s: (s.start, s.end, s.measure, s.category)) if candidates else spans
            for (spans, candidates), accepted in zip(found, decisions)]


def framing_spans(sentence: str, lexicon: Lexicon, model: CueModel | None = None) -> list[Span]:
    """Nationalist and cautionary spans in one sentence.

    A category with ``requires: X`` counts only when category ``X`` also matches the sentence
    (a capacity comparison, or "rival", is national only if a nation is named); a match of a
    category with ``unless: Y`` does not count where it overlaps a match of ``Y`` ("Social
    Security"). Helper categories whose measure is not ``nationalist`` or ``cautionary``
    (``nation``, the exclusions) are never returned. Spans carry their category's sub-label.
    With ``model`` (the learned identity model), the candidates (mentions of a nation,
    in-group words: :func:`identity_candidates`) it judges identity appeals are added; the
    rules' spans are always kept.
    """
    return framing_spans_many([sentence], lexicon, model)[0]
