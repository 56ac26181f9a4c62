"""Finding lexicon terms in sentences as spans, and resolving overlaps."""

from __future__ import annotations

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


def find(category: Category, sentence: str) -> list[Span]:
    """All matches of a category's terms in a sentence."""
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
