"""Finding lexicon terms in sentences as spans, and resolving overlaps.

A lexicon's categories are matched together: one Aho-Corasick pass over the sentence
(:class:`~framing.lexicons.literals.LiteralSet`, pyahocorasick) finds every plain term of every
category, and the positions where their ``re:`` and ``word*`` terms can start (their
:class:`~framing.lexicons.anchors.Anchors`); :func:`literal_matches` turns them into each
category's spans, trying those patterns only at those positions. Where the automaton cannot
decide (a category without anchors, a sentence with a run of whitespace), a category's pattern
is tried at its anchor words, found through the sentence's word index (:func:`scan`). Either
way the spans are exactly those of ``finditer`` of the category's pattern (tested against it).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, NamedTuple

from ..lexicons import Category, compile_terms
from ..lexicons.anchors import FOLD, Anchors, word_anchor

__all__ = ["Span", "find", "longest_first", "scan", "sentence_index"]


class Span(NamedTuple):
    """A match inside one sentence (offsets relative to the sentence)."""

    start: int
    end: int
    measure: str
    category: str
    term: str


_WORD = re.compile(r"\w+")


class SentenceIndex:
    """What the matchers need of one sentence, each part built when first needed and once: the
    matches of each lexicon's automaton (:func:`literal_matches`), and, for patterns tried at
    their anchors (:func:`scan`), the case-folded words (folded as ``re.IGNORECASE`` compares
    them), their sorted list (for prefix lookups) and each word's offsets."""

    __slots__ = ("sentence", "_words", "_sorted", "_folded", "_starts", "_literals")

    def __init__(self, sentence: str):
        self.sentence = sentence
        self._words: set[str] | None = None
        self._sorted: list[str] | None = None
        self._folded: str | None = None
        self._starts: dict[str, list[int]] = {}
        self._literals: dict[int, tuple] = {}

    @property
    def words(self) -> set[str]:
        if self._words is None:
            self._words = {w.translate(FOLD) for w in _WORD.findall(self.sentence)}
        return self._words

    def literal_matches(self, literals) -> dict | None:
        """:func:`literal_matches` of the sentence, once per automaton."""
        known = self._literals.get(id(literals))
        if known is None or known[0] is not literals:
            known = (literals, literal_matches(literals, self.sentence))
            self._literals[id(literals)] = known
        return known[1]

    def candidates(self, anchors: Anchors) -> set[str]:
        """The sentence's words at which a pattern with these anchors may start."""
        found = self.words & anchors.exact
        if anchors.prefixes:
            if self._sorted is None:
                self._sorted = sorted(self.words)
            ordered = self._sorted
            for prefix in anchors.prefixes:
                k = bisect_left(ordered, prefix)
                while k < len(ordered) and ordered[k].startswith(prefix):
                    found.add(ordered[k])
                    k += 1
        return found

    def starts(self, word: str) -> list[int]:
        """Offsets of the words equal (case-folded) to ``word``."""
        known = self._starts.get(word)
        if known is not None:
            return known
        if self._folded is None:
            self._folded = self.sentence.translate(FOLD)  # one character for one: same offsets
        text, folded, n, found = self.sentence, self._folded, len(word), []
        k = folded.find(word)
        while k >= 0:
            before = text[k - 1] if k else " "
            after = text[k + n] if k + n < len(text) else " "
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                found.append(k)
            k = folded.find(word, k + 1)
        self._starts[word] = found
        return found


@lru_cache(maxsize=64)
def sentence_index(sentence: str) -> SentenceIndex:
    """The word index of a sentence (cached: every measure looks at the same sentence)."""
    return SentenceIndex(sentence)


def _full_scan(pattern: re.Pattern, sentence: str) -> list[re.Match]:
    return [m for m in pattern.finditer(sentence) if m.end() > m.start()]


def scan(pattern: re.Pattern, sentence: str, anchors: Anchors | None,
         at_word=None) -> list[re.Match]:
    """The non-empty matches of ``pattern`` in ``sentence``: exactly those of
    ``pattern.finditer(sentence)``, found by trying the pattern only where ``anchors`` say it
    can start (everywhere when ``anchors`` is None). ``at_word(word)``, when given, returns the
    pattern to try where that word starts: the alternatives of ``pattern`` that can start with
    it, in the same order (:func:`word_pattern`), so the match is the same."""
    if anchors is None:
        return _full_scan(pattern, sentence)
    index = sentence_index(sentence)
    words = index.candidates(anchors)
    if not words:
        return []
    if len(words) == 1:
        word = next(iter(words))
        starts = [(p, word) for p in index.starts(word)]
    else:
        starts = sorted((p, w) for w in words for p in index.starts(w))
    found, resume = [], 0
    for position, word in starts:
        if position < resume:
            continue  # inside the previous match: finditer does not look here
        m = (pattern if at_word is None else at_word(word)).match(sentence, position)
        if m is None:
            continue
        if m.end() == m.start():  # an empty match: let finditer decide what follows it
            return _full_scan(pattern, sentence)
        found.append(m)
        resume = m.end()
    return found


#: Categories with more terms than this are tried, at each word, with only the terms that can
#: start with that word (a category of thousands of terms, "the {demonym} people" expanded,
#: would otherwise try every alternative at every anchor).
SPLIT_FROM = 150


def word_pattern(category: Category, word: str) -> re.Pattern:
    """The category's pattern restricted to the alternatives that can start at ``word`` (a
    case-folded word of the sentence): its plain terms whose first word anchors there, and its
    ``re:`` terms; compiled once per word and kept. ``compile_terms`` orders the alternatives
    as the full pattern does, so the first that matches is the same."""
    cache = category.word_patterns
    found = cache.get(word)
    if found is None:
        by_anchor = cache.get(None)
        if by_anchor is None:
            by_anchor = cache[None] = _terms_by_anchor(category.terms)
        exact, prefixed, regular = by_anchor
        terms = exact.get(word, []) + [t for prefix, ts in prefixed.items()
                                       if word.startswith(prefix) for t in ts] + regular
        found = cache[word] = compile_terms(terms, case_sensitive=category.case_sensitive)
    return found


def _terms_by_anchor(terms) -> tuple[dict, dict, list]:
    exact: dict[str, list[str]] = {}
    prefixed: dict[str, list[str]] = {}
    regular = []
    for term in terms:
        if term.startswith("re:"):
            regular.append(term)
            continue
        word, is_prefix = word_anchor(term.split()[0])
        (prefixed if is_prefix else exact).setdefault(word, []).append(term)
    return exact, prefixed, regular


def literal_matches(literals, sentence: str) -> dict[int, list[tuple[int, int]] | None] | None:
    """The matches of every category of a :class:`~framing.lexicons.literals.LiteralSet` in
    a sentence, by category number, as ``finditer`` of each category's pattern would find them,
    from one automaton pass: at each position the longest plain term, else the first ``re:``
    term that matches there, and no match inside the previous one. A category missing from the
    result has no match; None (for one category or all) where the automaton cannot decide (a
    run of whitespace, an empty match)."""
    hits = literals.hits(sentence)
    if hits is None:
        return None
    decided: dict[int, list[tuple[int, int]] | None] = {}
    for number, found in hits.items():
        longest: dict[int, int] = {}
        for start, end in found:
            if end > longest.get(start, -2):
                longest[start] = end
        rest = literals.categories[number].literal_plan[0]
        spans, resume = [], 0
        for start in sorted(longest):
            if start < resume:
                continue  # inside the previous match: finditer does not look here
            end = longest[start]
            if end < 0:  # no plain term here: the re: terms are tried
                m = rest.match(sentence, start)
                if m is None:
                    continue
                if m.end() == m.start():
                    spans = None
                    break
                end = m.end()
            spans.append((start, end))
            resume = end
        decided[number] = spans
    return decided


def find(category: Category, sentence: str) -> list[Span]:
    """All matches of a category's terms in a sentence (terms lower-cased)."""
    if category.literals is not None and category.literal_plan is not None:
        literals, number = category.literals
        decided = sentence_index(sentence).literal_matches(literals)
        if decided is not None:
            spans = decided.get(number, ())
            if spans is not None:
                measure, label = category.measure, category.sub_label
                return [Span(start, end, measure, label, sentence[start:end].lower())
                        for start, end in spans]
    at_word = None
    if len(category.terms) > SPLIT_FROM and category.anchors is not None:
        at_word = lambda word: word_pattern(category, word)  # noqa: E731
    return [Span(m.start(), m.end(), category.measure, category.sub_label, m.group(0).lower())
            for m in scan(category.pattern, sentence, category.anchors, at_word)]


def longest_first(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping spans of the same measure ("estimates suggest" over
    "suggest"); spans of different measures may overlap."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.category)):
        if not any(k.measure == span.measure and k.start < span.end and span.start < k.end
                   for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end, s.measure, s.category))
