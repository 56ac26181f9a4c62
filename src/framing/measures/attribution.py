"""Attribution: who speaks (codebook section 3).

Per article: reporting cues, direct quotes (multi-sentence, partial, scare quotes excluded),
sources with their kind (named / vague / document) and speaker string, and each sentence's voice.
Rules (documented in docs/measures.md):

- A ``strong_cue`` (say, told, according to...) always counts.
- A ``contextual_cue`` or ``document_cue`` counts in a reporting context: followed by "that", a
  colon, comma, quotation mark, wh-word or subject pronoun; or right after a comma or closing
  quote; or at the end of the sentence after ", <source>" ("..., Ma acknowledged."); or in a
  sentence that contains quoted text. A ``document_cue`` also counts after a document source
  ("Data from 2020 shows...").
- A cue in the passive with no agent ("is believed", "was reported") is an agentless evidential:
  a hedge, not an attribution.
- A ``scare_cue`` (called, dubbed) counts only when a quotation follows it: a partial quote.
- A quotation of at most 3 words with no cue in its sentence is a scare quote, not a quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Sequence

from ..lexicons import Lexicon
from .cue_model import CandidateBatch, CueModel, Token, context_pairs, has_quote_mark, tokenize
from .matching import Span, find, longest_first

__all__ = ["ArticleAttribution", "Intervals", "attribute_article", "attribute_articles",
           "closed_quotes", "learned_candidates"]

_AFTER_CONTEXT = re.compile(r"^\s*(?:that\b|:|,|“|\"|‘|whether\b|how\b|why\b|what\b|when\b|it\b|"
                            r"he\b|she\b|they\b|we\b|i\b|there\b|this\b|these\b|his\b|her\b|"
                            r"their\b|china\b|the u\.s\.)", re.IGNORECASE)
_BEFORE_CONTEXT = re.compile(r"(?:,|”|\"|’)\s*$")
_TRAILING = re.compile(r"^\s*(?:(?:last|this|next) (?:week|month|year)|on \w+day|in an interview|"
                       r"online|recently|in a statement|yesterday|today)?\s*[.!?]?[”\"]?\s*$",
                       re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|widely|generally)\s+$", re.IGNORECASE)
_NAME = re.compile(r"(?:[A-Z][\w’'.-]*|[A-Z]{2,})(?:\s+(?:of|de|van|von|bin|al|the)?\s*"
                   r"(?:[A-Z][\w’'.-]*))*")
_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
_SKIP_BACK = re.compile(r"(?:\s+(?:has|have|had|also|recently|previously|once|further|later|then|"
                        r"has also|had also|will|would|may|might|can|could|often|repeatedly))+\s*$",
                        re.IGNORECASE)
# Words that PolNeAR marks as parts of longer cues ("has said", "pointed to"): a learned cue made
# only of these is dropped.
_FUNCTION_WORDS = frozenset({"has", "have", "had", "to", "be", "been", "is", "was", "were", "are",
                             "will", "would", "about", "for", "of", "on", "in", "that", "it",
                             "also", "not", "did", "does", "do"})
_SENTENCE_WORDS = re.compile(r"\w+")
# ", said Marina Chang, a professor" / ", said Ma." : the source follows the cue.
_INVERTED = re.compile(r"^\s+(?:[A-Z][\w’'.-]*\s*){1,4}(?:,|\.|$)")


@dataclass
class ArticleAttribution:
    """Per-sentence attribution values and the spans behind them (article offsets)."""

    attributed: list[bool]
    direct_quote: list[bool]
    source_kind: list[str]
    speaker: list[str]
    voice: list[str]
    spans: list[tuple[int, Span]]  # (sentence_index, span relative to the sentence)
    quotes: list[tuple[int, int, str]]  # (start, end, "direct"|"partial"|"scare") in article text


class Intervals:
    """Disjoint spans ``[a, b)`` (quotations, sentences) sorted for lookups in logarithmic
    time, so that no per-sentence or per-word step scans all the spans of an article."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.ends = [b for _, b in self.spans]

    def containing(self, position: int) -> bool:
        """Whether a span holds ``position``."""
        k = bisect_right(self.starts, position) - 1
        return k >= 0 and position < self.ends[k]

    def overlapping(self, lo: int, hi: int) -> range:
        """Indices of the spans that overlap ``[lo, hi)``."""
        return range(bisect_right(self.ends, lo), bisect_left(self.starts, hi))


def _is_reporting_context(sentence: str, span: Span, has_quote: bool) -> bool:
    before, after = sentence[:span.start], sentence[span.end:]
    if _PASSIVE_BEFORE.search(before) and not re.match(r"^\s+by\b", after):
        return False
    if has_quote:
        return True
    if _AFTER_CONTEXT.match(after) or _BEFORE_CONTEXT.search(before):
        return True
    return bool(_TRAILING.match(after) and "," in before)


def _window(before: str, size: int = 80) -> int:
    """Where the last ``size`` characters before a cue start, moved forward to the end of a word
    cut in two, so that "metadata" cut to "data" is not a document source."""
    start = max(0, len(before) - size)
    while 0 < start < len(before) and _is_word(before[start - 1]) and _is_word(before[start]):
        start += 1
    return start


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"  # what ``\w`` matches


def _source_kind(phrase: str, lexicon: Lexicon) -> str:
    if not phrase:
        return "unresolved"
    if find(lexicon.category("document_source"), phrase):
        return "document"
    vague = find(lexicon.category("vague_source"), phrase)
    # "Experts" at the start of a sentence is capitalised but vague: names are capitalised words
    # that are not themselves vague-source nouns or determiners.
    vague_words = {w for span in vague for w in span.term.split()}
    names = [w for w in _NAME.findall(phrase)
             if w.lower() not in vague_words | {"the", "a", "an", "some", "many", "one"}]
    if names:
        return "named"
    if vague:
        return "vague"
    return "unresolved"


def _source_before(sentence: str, cue_start: int) -> str:
    """The subject noun phrase before a cue, skipping auxiliaries and one appositive."""
    before = sentence[:cue_start]
    boundary = max(before.rfind(";"), before.rfind(":"), before.rfind("—"), before.rfind("”"),
                   before.lower().rfind(" however,"), before.lower().rfind(" but "))
    if boundary >= 0:
        rest = re.sub(r"^\s*(?:however|but)\b,?", "", before[boundary + 1:], flags=re.IGNORECASE)
        # "Critics, however, said": nothing after the boundary, so the subject is before it
        before = rest if rest.strip() else before[:boundary].rstrip(" ,")
    before = _SKIP_BACK.sub("", " " + before)[1:] if _SKIP_BACK.search(" " + before) else before
    before = before.rstrip()
    if before.endswith(","):
        # "Marina Zhang, an associate professor at UTS, suggests": skip the appositive
        inner = before[:-1]
        comma = inner.rfind(",")
        if comma > 0:
            before = inner[:comma]
        else:
            before = inner
    words = before.split()
    if not words:
        return ""
    tail = " ".join(words[-6:])
    name = None
    for match in _NAME.finditer(tail):
        if match.end() == len(tail):
            name = match.group(0)
    if name:
        return name.strip(" ,")
    last = words[-1].strip(",.").lower()
    if last in _PRONOUNS:
        return words[-1].strip(",.")
    # vague or document noun phrases: the last few words
    return " ".join(words[-3:]).strip(" ,“\"")


def _source_after(sentence: str, cue_end: int) -> str:
    """Inverted order: ", said Marina Chang, a professor" or "according to a study by X"."""
    after = sentence[cue_end:].lstrip()
    stop = re.search(r"[,.;:!?”\"]", after)
    phrase = after[:stop.start()] if stop else after
    return phrase.strip()


def closed_quotes(text: str, quote_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations whose closing mark is present (a cue inside one is quoted content)."""
    return [(a, b) for a, b in quote_spans if text[b - 1] in "”\"’"]


def learned_candidates(sentence: str, s_start: int, rule_cues: list[Span],
                       closed: "Intervals", vocabulary: frozenset[str],
                       lexicon: Lexicon) -> list[tuple[tuple[Token, ...], int]]:
    """Words the attribution model may add as cues: in its vocabulary, not part of a cue the
    rules accepted or of a ``learned_exclusion`` phrase, not inside a closed quotation.
    Returns (sentence tokens, token index) pairs."""
    tokens = tokenize(sentence)
    taken = list(rule_cues)
    if any(t.lower in vocabulary for t in tokens):
        taken += [s for c in lexicon.for_measure("learned_exclusion") for s in find(c, sentence)]
    found = []
    for k, token in enumerate(tokens):
        if token.lower not in vocabulary:
            continue
        if any(c.start < token.end and token.start < c.end for c in taken):
            continue
        if closed.containing(s_start + token.start):
            continue
        found.append((tokens, k))
    return found


def _worth_scoring(sentence: str, candidates: list[tuple[tuple[Token, ...], int]]
                   ) -> list[tuple[tuple[Token, ...], int]]:
    """The candidates whose score can change the result. Accepted candidates separated only by
    whitespace merge into one cue, and a cue made only of :data:`_FUNCTION_WORDS` is dropped, so
    a run of such candidates made only of function words ("to", "has", "is") adds nothing
    whatever the model says; it is not scored. (Two word tokens always have a gap, so a run's
    text splits into exactly its tokens.)"""
    runs: list[list[tuple[tuple[Token, ...], int]]] = []
    previous_end = -1
    for tokens, k in candidates:
        token = tokens[k]
        if runs and not sentence[previous_end:token.start].strip():
            runs[-1].append((tokens, k))
        else:
            runs.append([(tokens, k)])
        previous_end = token.end
    return [candidate for run in runs
            if not all(tokens[k].lower in _FUNCTION_WORDS for tokens, k in run)
            for candidate in run]


def _rule_cues(sentence: str, s_start: int, quoted: list[tuple[int, int]],
               cue_categories: list, document_source, closed: "Intervals") -> list[Span]:
    """The cues the lexicon and the rules accept in one sentence (starting at ``s_start`` in
    the text; ``quoted`` are its quotation spans)."""
    has_quote = any(b - a > 2 for a, b in quoted)
    candidates = longest_first(s for c in cue_categories for s in find(c, sentence))
    accepted = []
    for span in candidates:
        inside_quote = closed.containing(s_start + span.start)
        if inside_quote and span.category != "scare_cue":
            continue  # a reporting verb inside the quoted words is content, not a cue
        if span.term in ("say", "tell", "write", "claim", "warn", "argue") and re.search(
                r"\bto\s+$", sentence[:span.start]):
            continue  # infinitive ("impossible to say") is not a report
        if span.category == "scare_cue":
            if not re.match(r"^\s*(?:a |an |the |it |them |him |her )?[“\"‘]", sentence[span.end:]):
                continue
        elif span.category == "document_cue":
            before = sentence[:span.start]
            if not (find(document_source, before[_window(before):])
                    or _is_reporting_context(sentence, span, has_quote)):
                continue
        elif span.category == "contextual_cue":
            if not _is_reporting_context(sentence, span, has_quote):
                continue
        accepted.append(span)
    return accepted


def _rule_cues_of_article(text: str, sentences: list[tuple[int, int]],
                          quote_spans: list[tuple[int, int]], lexicon: Lexicon
                          ) -> tuple["Intervals", list[list[Span]]]:
    """The article's closed quotations and each sentence's :func:`_rule_cues`."""
    quote_index = Intervals(quote_spans)
    cue_categories = [c for c in lexicon.categories if c.measure == "attribution_cue"]
    document_source = lexicon.category("document_source")
    closed = Intervals(closed_quotes(text, quote_spans))
    accepted = []
    for s_start, s_end in sentences:
        quoted = [(max(quote_index.starts[k], s_start), min(quote_index.ends[k], s_end))
                  for k in quote_index.overlapping(s_start, s_end)]
        accepted.append(_rule_cues(text[s_start:s_end], s_start, quoted, cue_categories,
                                   document_source, closed))
    return closed, accepted


#: An article on its way through attribution: text, sentences, closed quotations, and each
#: sentence's accepted cues.
_Draft = tuple[str, list[tuple[int, int]], "Intervals", list[list[Span]]]


def _add_learned_cues(drafts: list[_Draft], lexicon: Lexicon, model: CueModel) -> None:
    """Add to each sentence's accepted cues the ``learned_cue`` spans of the attribution model.
    ``drafts`` are articles as (text, sentences, closed quotations, accepted cues per sentence);
    the model scores the candidates of all of them with one ``predict_proba``. Accepted words
    separated only by whitespace join into one cue ("pointed to")."""
    scored: list[tuple[int, int, Token]] = []
    batch = CandidateBatch(model)
    for d, (text, sentences, closed, accepted) in enumerate(drafts):
        for i, (s_start, s_end) in enumerate(sentences):
            sentence = text[s_start:s_end]
            candidates = learned_candidates(sentence, s_start, accepted[i], closed,
                                            model.candidates, lexicon)
            quoted = has_quote_mark(candidates[0][0]) if candidates else False
            for tokens, k in _worth_scoring(sentence, candidates):
                scored.append((d, i, tokens[k]))
                batch.add(context_pairs(tokens, k, k, quoted=quoted))
    learned: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for (d, i, token), ok in zip(scored, batch.accepted()):
        if not ok:
            continue
        runs = learned.setdefault((d, i), [])
        text, (s_start, s_end) = drafts[d][0], drafts[d][1][i]
        if runs and not text[s_start + runs[-1][1]:s_start + token.start].strip():
            runs[-1] = (runs[-1][0], token.end)  # "pointed to": one cue
        else:
            runs.append((token.start, token.end))
    for (d, i), runs in learned.items():  # the rules' cues are in order already
        text, sentences, _, accepted = drafts[d]
        sentence = text[sentences[i][0]:sentences[i][1]]
        accepted[i] = sorted(accepted[i] + [
            Span(a, b, "attribution_cue", "learned_cue", sentence[a:b].lower())
            for a, b in runs if not set(sentence[a:b].lower().split()) <= _FUNCTION_WORDS],
            key=lambda span: span.start)


def attribute_articles(articles: Sequence[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]],
                       lexicon: Lexicon, model: CueModel | None = None
                       ) -> list[ArticleAttribution]:
    """:func:`attribute_article` of each (text, sentences, quotation spans), the model scoring
    the candidates of all of them with one ``predict_proba``."""
    drafts = [(text, sentences, *_rule_cues_of_article(text, sentences, quotes, lexicon))
              for text, sentences, quotes in articles]
    if model is not None:
        _add_learned_cues(drafts, lexicon, model)
    return [_attribution(text, sentences, quotes, accepted, lexicon)
            for (text, sentences, quotes), (_, _, _, accepted) in zip(articles, drafts)]


def attribute_article(text: str, sentences: list[tuple[int, int]],
                      quote_spans: list[tuple[int, int]], lexicon: Lexicon,
                      model: CueModel | None = None) -> ArticleAttribution:
    """Attribution for every sentence of one article.

    Parameters
    ----------
    text : str
        The article's cleaned text.
    sentences : list of (start, end)
        Sentence spans in ``text``, in order.
    quote_spans : list of (start, end)
        Quotation spans from :func:`framing.segment.quote_spans`.
    lexicon : Lexicon
        The attribution lexicon.
    model : CueModel, optional
        The learned attribution model (:mod:`framing.measures.cue_model`): adds cues the rules
        missed, as ``learned_cue`` spans. ``None`` uses the lexicon and rules only.
    """
    return attribute_articles([(text, sentences, quote_spans)], lexicon, model)[0]


def _attribution(text: str, sentences: list[tuple[int, int]], quote_spans: list[tuple[int, int]],
                 accepted: list[list[Span]], lexicon: Lexicon) -> ArticleAttribution:
    """Sources, quotations and voices of an article given each sentence's accepted cues."""
    n = len(sentences)
    cues: list[list[Span]] = [[] for _ in range(n)]
    sources: list[list[tuple[Span, str]]] = [[] for _ in range(n)]
    spans: list[tuple[int, Span]] = []
    document_source = lexicon.category("document_source")
    last_named = ""
    for i, (s_start, s_end) in enumerate(sentences):
        sentence = text[s_start:s_end]
        for span in accepted[i]:
            cues[i].append(span)
            spans.append((i, span))
            if sources[i] or span.category == "scare_cue":
                continue  # one source per sentence: the first cue's
            before = sentence[:span.start]
            after_quote = before.rstrip().endswith(("”", "\"", ",”", "’"))
            if span.term == "according to" or _INVERTED.match(sentence[span.end:]) or after_quote:
                phrase = _source_after(sentence, span.end)
            elif span.category == "document_cue" and (
                    documents := find(document_source, before[(window := _window(before)):])):
                phrase = before[window + documents[0].start:].strip(" ,")
            else:
                phrase = _source_before(sentence, span.start)
                if not phrase or phrase.lower() in ("the", "and", "but"):
                    phrase = _source_after(sentence, span.end)
            if not phrase:
                continue
            kind = _source_kind(phrase, lexicon)
            position = sentence.rfind(phrase, 0, span.start + len(phrase)) if phrase in before \
                else sentence.find(phrase, span.end)
            if position < 0:
                continue
            speaker_name = phrase
            if phrase.lower() in _PRONOUNS and last_named:
                speaker_name, kind = last_named, "named"
            elif kind == "named":
                last_named = phrase
            sources[i].append((Span(position, position + len(phrase), "source", kind,
                                    speaker_name), kind))
            spans.append((i, Span(position, position + len(phrase), "source", kind, phrase)))

    # Quotes: direct (with a cue nearby, or long), partial (short with a cue), scare (short, no cue).
    quotes: list[tuple[int, int, str]] = []
    direct = [False] * n
    sentence_index = Intervals(sentences)
    for q_start, q_end in quote_spans:
        words = len(_SENTENCE_WORDS.findall(text[q_start:q_end]))
        if words == 0:
            continue
        touching = list(sentence_index.overlapping(q_start, q_end))
        if not touching:
            continue
        cue_same = any(cues[i] for i in touching)
        neighbours = {j for i in touching for j in (i - 1, i + 1) if 0 <= j < n}
        cue_near = cue_same or any(cues[j] for j in neighbours)
        if words <= 3:
            kind = "partial" if cue_same else "scare"
        elif cue_near or words >= 4:
            kind = "direct"
        quotes.append((q_start, q_end, kind))
        if kind in ("direct", "partial"):
            for i in touching:
                direct[i] = True
        first = touching[0]
        rel = q_start - sentences[first][0]
        spans.append((first, Span(rel, rel + q_end - q_start, "quote", kind,
                                  text[q_start:q_end][:60])))

    attributed = [bool(cues[i]) or direct[i] for i in range(n)]
    speaker, kinds = [""] * n, [""] * n
    for i in range(n):
        if sources[i]:
            span, kind = sources[i][0]
            speaker[i], kinds[i] = span.term, kind
        elif attributed[i]:
            kinds[i] = "unresolved"
    # A sentence inside a quote without its own cue takes the speaker of the nearest cue.
    for i in range(n):
        if direct[i] and not speaker[i]:
            for j in (i + 1, i - 1, i + 2, i - 2):
                if 0 <= j < n and speaker[j] and direct[j]:
                    speaker[i], kinds[i] = speaker[j], kinds[j]
                    break
    voice = []
    direct_quotes = Intervals((qs, qe) for qs, qe, k in quotes if k == "direct")
    for i, (a, b) in enumerate(sentences):
        quoted_chars = sum(max(0, min(b, direct_quotes.ends[k]) - max(a, direct_quotes.starts[k]))
                           for k in direct_quotes.overlapping(a, b))
        if direct[i] and quoted_chars >= 0.5 * (b - a):
            voice.append("quoted")
        elif attributed[i]:
            voice.append("attributed")
        else:
            voice.append("journalist")
    return ArticleAttribution(attributed, direct, kinds, speaker, voice, spans, quotes)
