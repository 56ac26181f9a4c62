"""Finding lexicon terms in sentences as spans, and resolving overlaps."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple

from ..lexicons import Category

__all__ = ["Span", "find", "longest_first"]


class Span(NamedTuple):
    """A match inside one sentence (offsets relative to the sentence)."""

    start: int
    end: int
    measure: str
    category: str
    term: str


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def sentence_words(sentence: str) -> frozenset[str]:
    """The lower-cased word set of a sentence, computed once and shared by every lexicon
    category (the measures look at the same sentence many times)."""
    return frozenset(_WORD.findall(sentence.lower()))


@lru_cache(maxsize=None)
def _anchors(category: Category) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The first word of every term (exact words, and prefixes for ``word*``), or None when a
    term is a regular expression and the category must always be searched."""
    exact, prefixes = set(), []
    for term in category.terms:
        if term.startswith("re:"):
            return None
        first = _WORD.search(term.lower())
        if first is None:
            return None
        rest = term.lower()[first.end():]
        if rest.startswith("*"):
            prefixes.append(first.group(0))
        else:
            exact.add(first.group(0))
    return frozenset(exact), tuple(prefixes)


def find(category: Category, sentence: str) -> list[Span]:
    """All matches of a category's terms in a sentence.

    A category whose terms are all plain words or phrases is searched only when the sentence
    holds the first word of one of them (a set lookup instead of a regular-expression scan).
    """
    anchors = _anchors(category)
    if anchors is not None:
        words = sentence_words(sentence)
        exact, prefixes = anchors
        if words.isdisjoint(exact) and not any(w.startswith(prefixes) for w in words):
            return []
    return [Span(m.start(), m.end(), category.measure, category.name, m.group(0).lower())
            for m in category.pattern.finditer(sentence) if m.end() > m.start()]


def longest_first(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping spans of the same measure ("estimates suggest" over
    "suggest"); spans of different measures may overlap."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.category)):
        if not any(k.measure == span.measure and k.start < span.end and span.start < k.end
                   for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end, s.measure, s.category))
