"""VADER sentence sentiment (codebook section 1) and target mentions."""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import Category, apostrophes
from .matching import Span, scan

__all__ = ["compound", "target_patterns", "target_spans"]

#: Sentences with compound >= this are positive, <= -this negative (VADER's own convention).
THRESHOLD = 0.05


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(sentence: str) -> float:
    """VADER compound score of one sentence, rounded to 4 decimals."""
    return round(_analyzer().polarity_scores(sentence)["compound"], 4)


def target_patterns(targets: dict[str, tuple[str, ...]]) -> list[Category]:
    """One pattern per target, as a category of measure ``target``. Aliases written with a
    capital letter match case-sensitively (so "US" does not match "us"); lower-case aliases
    match any case."""
    patterns = []
    for name, aliases in targets.items():
        parts = []
        for alias in sorted(aliases, key=len, reverse=True):
            body = apostrophes(re.escape(alias))
            if alias != alias.lower():
                parts.append(rf"(?<![\w.]){body}(?![\w])")
            else:
                parts.append(rf"(?i:(?<![\w.]){body}(?![\w]))")
        patterns.append(Category(name, "target", tuple(aliases), re.compile("|".join(parts))))
    return patterns


def target_spans(sentence: str, patterns: list[Category]) -> list[Span]:
    """Target mentions in one sentence (the text as written)."""
    return [Span(m.start(), m.end(), "target", c.name, m.group(0))
            for c in patterns for m in scan(c.pattern, sentence, c.anchors)]
