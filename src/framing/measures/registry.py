"""The measure registry: each measure defined once, read by every stage.

Three kinds of entries, each in registration order:

- :class:`SentenceColumn`: a column the measures add to the ``sentences`` table, with the value
  an unmeasured sentence (an article that is not English) gets.
- :class:`Unit`: a per-sentence quantity computed from the ``sentences`` and ``matches``
  tables; article measures are formulas of their sums, so the aggregation and the comparison's
  resampling share one definition.
- :class:`ArticleMeasure`: an article figure: its formula over unit sums, plain-language label,
  whether it is compared, its panel in the dot-interval figure, its key-finding phrase, and
  whether it is also split by voice.

A measure family is a function ``family(article_id, text, sentences, config) -> (columns,
matches)`` registered with :func:`register_family`; :func:`framing.measures.measure_article`
runs the packaged families and then every registered one. Adding a measure is one module that
registers its entries (docs/architecture.md shows a complete example).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

__all__ = ["ArticleMeasure", "SentenceColumn", "Sums", "Unit", "article_measures",
           "compared_measures", "families", "interval_measures", "key_measures", "labels",
           "register_family", "register_measure", "register_sentence_column", "register_unit",
           "registered", "sentence_columns", "unit_names", "units", "voice_measures"]


@dataclass(frozen=True)
class SentenceColumn:
    name: str
    default: Any  # the value of a sentence that is not measured


@dataclass(frozen=True)
class Unit:
    """``compute(context)`` returns one float per sentence row (``context`` has the
    ``sentences`` and ``matches`` tables and :meth:`UnitContext.count`)."""

    name: str
    compute: Callable[["UnitContext"], Any]


@dataclass(frozen=True)
class ArticleMeasure:
    name: str
    label: str
    formula: Callable[["Sums"], np.ndarray]
    compared: bool = True
    interval: int | None = None  # position among the dot-interval panels
    key: tuple[str, str] | None = None  # (phrase, format) of its key-finding sentence
    by_voice: bool = False


class Sums:
    """Sums of units over sentences (any leading shape, units on the last axis), read by
    unit name: ``sums["hedges"]``."""

    def __init__(self, array: np.ndarray, names: list[str]):
        self.array, self.index = array, {n: i for i, n in enumerate(names)}

    def __getitem__(self, name: str) -> np.ndarray:
        return self.array[..., self.index[name]]


class UnitContext:
    """What a :class:`Unit` computes from: the tables and a helper to count match rows."""

    def __init__(self, sentences, matches):
        self.sentences, self.matches = sentences, matches

    def count(self, mask) -> np.ndarray:
        """How many ``matches`` rows under ``mask`` fall in each sentence row."""
        keys = ["article_id", "sentence_index"]
        counted = self.matches[mask].groupby(keys).size().rename("counted")
        return self.sentences[keys].merge(counted, how="left", left_on=keys,
                                          right_index=True)["counted"] \
            .fillna(0).astype(float).to_numpy()


_SENTENCE: dict[str, SentenceColumn] = {}
_UNITS: dict[str, Unit] = {}
_MEASURES: dict[str, ArticleMeasure] = {}
_FAMILIES: dict[str, Callable] = {}


def register_sentence_column(name: str, default: Any) -> SentenceColumn:
    entry = _SENTENCE[name] = SentenceColumn(name, default)
    return entry


def register_unit(name: str, compute: Callable[[UnitContext], Any]) -> Unit:
    entry = _UNITS[name] = Unit(name, compute)
    return entry


def register_measure(name: str, label: str, formula: Callable[[Sums], np.ndarray], *,
                     compared: bool = True, interval: int | None = None,
                     key: tuple[str, str] | None = None, by_voice: bool = False) -> ArticleMeasure:
    entry = _MEASURES[name] = ArticleMeasure(name, label, formula, compared, interval, key,
                                             by_voice)
    return entry


def register_family(name: str, family: Callable) -> Callable:
    """A measure family run by :func:`framing.measures.measure_article` after the packaged
    ones: ``family(article_id, text, sentences, config) -> (columns, matches)``, where
    ``columns`` maps each of its sentence columns to one value per sentence and ``matches``
    are rows of the ``matches`` table."""
    _FAMILIES[name] = family
    return family


@contextmanager
def registered():
    """Undo every registration made inside the block (for tests and experiments)."""
    saved = [dict(d) for d in (_SENTENCE, _UNITS, _MEASURES, _FAMILIES)]
    try:
        yield
    finally:
        for d, old in zip((_SENTENCE, _UNITS, _MEASURES, _FAMILIES), saved):
            d.clear()
            d.update(old)


# --- read by the stages ---------------------------------------------------------------------
def sentence_columns() -> dict[str, Any]:
    """Sentence column -> default, in order."""
    return {c.name: c.default for c in _SENTENCE.values()}


def units() -> list[Unit]:
    return list(_UNITS.values())


def unit_names() -> list[str]:
    return list(_UNITS)


def article_measures() -> list[str]:
    return list(_MEASURES)


def measure(name: str) -> ArticleMeasure:
    return _MEASURES[name]


def compared_measures() -> list[str]:
    return [m.name for m in _MEASURES.values() if m.compared]


def voice_measures() -> list[str]:
    return [m.name for m in _MEASURES.values() if m.by_voice]


def interval_measures() -> list[str]:
    """The dot-interval panels, in their order."""
    return [m.name for m in sorted((m for m in _MEASURES.values() if m.interval is not None),
                                   key=lambda m: m.interval)]


def key_measures() -> dict[str, tuple[str, str]]:
    """Measure -> (phrase, format) of the key-finding sentences, in order."""
    return {m.name: m.key for m in _MEASURES.values() if m.key}


def labels() -> dict[str, str]:
    """Measure -> plain-language label, in order."""
    return {m.name: m.label for m in _MEASURES.values()}


def families() -> dict[str, Callable]:
    return dict(_FAMILIES)
