"""Hedges and boosters (codebook section 2), with the codebook's disambiguation rules.

Rules applied after lexicon matching (documented in docs/measures.md):
- "May" is the month or a name, not a hedge, unless it starts the sentence and is not followed by
  a number; "may" after "in/on/since/until/by/early/late/mid/last/next/this/of" is the month.
- ability "could": "could not", "couldn't", "could never/hardly/barely" are not hedges.
- "would" as a polite request or plain past habit ("would you", "would like", "would often") is not
  a hedge.
- "would" as future-in-the-past after a reporting or planning verb in the same sentence ("said it
  would close the plant", "agreed that it would pay") is not a hedge (rule added by framing: the
  codebook does not cover it; FactBank treats it the same way).
- "suspect" as a noun ("a suspect") is not a hedge.
- "appear" meaning "come into view" ("appear soon", "appear in") is not a hedge.
- Numeric approximators ("about 18%", "nearly 2000") are their own measure (`approximator`), and
  conditionals ("if", "unless") are `condition`: neither counts as a hedge.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..lexicons import Lexicon
from .cue_model import CueModel
from .matching import Span, find, longest_first

__all__ = ["stance_spans", "stance_spans_many"]

_MONTH_BEFORE = re.compile(r"(?:\b(?:in|on|since|until|by|early|late|mid|last|next|this|of|from|through)\s+|-)$",
                           re.IGNORECASE)
_ABILITY_AFTER = re.compile(r"^(?:n[’']t|\s+(?:not|never|hardly|barely|scarcely)\b)", re.IGNORECASE)
_WOULD_AFTER = re.compile(r"^\s+(?:you|like|love|prefer|rather|often|usually|always|sometimes|"
                          r"regularly|typically)\b", re.IGNORECASE)
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|says|say|told|announced|predicted|promised|agreed|decided|planned|indicated|"
    r"expected|added|noted|stated|warned|pledged|vowed|argued|claimed|reported|insisted|"
    r"confirmed|disclosed|declared|signaled|signalled|hoped|thought|believed|knew)\b",
    re.IGNORECASE)
_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|main|prime|chief|key|murder|terror|terrorism)\s+$",
                          re.IGNORECASE)
_APPEAR_MOTION = re.compile(r"^\s*(?:soon|in|on|at|before|after|onstage|together|alongside|"
                            r"[.,;:!?]|$)", re.IGNORECASE)


def _keep(span: Span, sentence: str) -> bool:
    before, after = sentence[:span.start], sentence[span.end:]
    word = sentence[span.start:span.end]
    if span.term == "may":
        if word == "May" and (span.start > 0 or re.match(r"^\s+\d", after)):
            return False
        if _MONTH_BEFORE.search(before) or re.match(r"^\s+\d", after):
            return False
    if span.term == "could" and _ABILITY_AFTER.match(after):
        return False
    if span.term.startswith("could") and span.term.endswith("t"):  # couldn't
        return False
    if span.term == "would" and (_WOULD_AFTER.match(after) or _REPORTED_BEFORE.search(before)):
        return False
    if span.term in ("suspect", "suspects") and _NOUN_BEFORE.search(before):
        return False
    if span.term.startswith("appear") and _APPEAR_MOTION.match(after):
        return False
    return True


def _rule_spans(sentence: str, lexicon: Lexicon) -> list[Span]:
    spans = []
    for category in lexicon.categories:
        spans.extend(s for s in find(category, sentence) if _keep(s, sentence))
    return longest_first(spans)


def stance_spans_many(sentences: Sequence[str], lexicon: Lexicon,
                      model: CueModel | None = None) -> list[list[Span]]:
    """:func:`stance_spans` of each sentence (a chunk of articles'), the model scoring the hedges of
    all of them with one ``predict_proba``."""
    found = [_rule_spans(sentence, lexicon) for sentence in sentences]
    if model is None:
        return found
    hedges = [[s for s in spans if s.measure == "hedge"] for spans in found]
    decisions = model.accept_spans(sentences, hedges, rule=lambda span: span.category)
    kept = []
    for spans, candidates, accepted in zip(found, hedges, decisions):
        dropped = {id(s) for s, ok in zip(candidates, accepted) if not ok}
        kept.append([s for s in spans if id(s) not in dropped] if dropped else spans)
    return kept


def stance_spans(sentence: str, lexicon: Lexicon, model: CueModel | None = None) -> list[Span]:
    """Hedge, booster, condition and approximator spans in one sentence.

    With ``model`` (the learned hedge model), hedges that the model judges not uncertain in
    their context are dropped; other measures are untouched.
    """
    return stance_spans_many([sentence], lexicon, model)[0]
