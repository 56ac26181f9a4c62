"""Where a category's matches can start: its anchor words, from the lexicon data.

Matching is the hot loop of the measure stage (about 25 patterns per sentence), so
:mod:`framing.measures.matching` does not scan every sentence with every pattern: a pattern is
tried only at the words where one of its terms can begin. Those words come from the data, not
from the compiled pattern: a plain term begins with its first word (``suggest*`` with any word
starting "suggest"); a ``re:`` term begins where its category's ``starts`` list says (words, or
prefixes ending in ``*``). A category with a ``re:`` term and no ``starts`` has no anchors and is
scanned in full, so anchors can only make matching faster, never different (the pattern still
decides every match; tests compare with a full scan).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Iterable, NamedTuple

__all__ = ["Anchors", "FOLD", "category_anchors", "word_anchor"]


def _equals() -> dict[int, tuple[int, ...]]:
    text = resources.files("framing").joinpath("data/casefold_extra.json").read_text("utf-8")
    return {ord(k): tuple(ord(c) for c in v) for k, v in json.loads(text)["equals"].items()}


class _Fold(dict):
    """``str.translate`` table folding case the way ``re.IGNORECASE`` compares characters:
    the simple lower-case of each character (one character for one, so offsets are kept: "İ"
    becomes "i", not "i̇") and one representative of the few characters ``re`` also treats as
    equal ("ſ" and "s", "ı" and "i"; shipped in data/casefold_extra.json). Filled on demand."""

    def __init__(self):
        super().__init__()
        self.equals = _equals()

    def __missing__(self, code: int) -> int:
        lower = ord(chr(code).lower()[0])
        folded = min((lower, *self.equals.get(lower, ())))
        self[code] = folded
        return folded


#: Case folding shared by the anchors and the sentence word index.
FOLD = _Fold()

_WORD_RUN = re.compile(r"\w*")


class Anchors(NamedTuple):
    """A match starts at a word (case-folded) in ``exact`` or starting with one of ``prefixes``."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]


def word_anchor(word: str) -> tuple[str, bool] | None:
    """(folded word, is a prefix) where a term whose first word is ``word`` can start, or None
    when it does not start with a word character."""
    prefix = word.endswith("*") and len(word) > 1
    text = (word[:-1] if prefix else word).translate(FOLD)
    run = _WORD_RUN.match(text).group(0)
    if not run:
        return None
    return run, prefix and run == text  # "u.s*" starts at the word "u", whatever follows


def category_anchors(terms: Iterable[str], starts: Iterable[str] | None = None) -> Anchors | None:
    """The words at which a category's terms can start, or None (scan in full).

    ``terms`` are lexicon terms (or target aliases); ``starts`` declares where the category's
    ``re:`` terms can start. None when a ``re:`` term has no ``starts`` or a term begins with
    something other than a word character.
    """
    exact, prefixes = set(), set()
    words = []
    for term in terms:
        if term.startswith("re:"):
            if starts is None:
                return None
            continue
        if not term.split():
            return None
        words.append(term.split()[0])
    words += list(starts or ())
    for word in words:
        found = word_anchor(word)
        if found is None:
            return None
        (prefixes if found[1] else exact).add(found[0])
    return Anchors(frozenset(exact), tuple(sorted(prefixes)))
