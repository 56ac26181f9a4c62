"""The plain terms of a lexicon's categories in one Aho-Corasick automaton (pyahocorasick).

Most lexicon terms are plain words and phrases, and the large categories ("the {demonym}
people" for every nation) are nothing else. One pass of a multi-pattern matcher over a sentence
finds every occurrence of every plain term of every category of the lexicon at once, in C,
instead of one regular-expression attempt per category and candidate word. The passes are
exact: :func:`framing.measures.matching.find` turns the occurrences into the spans ``finditer``
of the category's pattern would give (tested against it on real and random text), because

- the sentence is normalised one character for one (offsets kept): case folded as
  ``re.IGNORECASE`` compares characters (:data:`~framing.lexicons.anchors.FOLD`; not in a
  ``case_sensitive`` category), every whitespace character a space (a term's space is ``\\s+``),
  and the curly apostrophe a straight one (a term's apostrophe matches either);
- an occurrence counts only between non-word characters, as the pattern's
  ``(?<![\\w])`` and ``(?![\\w])`` require;
- at one position the pattern's alternation tries the longest term first, so the longest
  occurrence starting there is the match.

A sentence with a run of two or more whitespace characters (which ``\\s+`` spans and the
automaton's single space does not) is left to the pattern: :meth:`LiteralSet.hits` returns None.
``re:`` terms and terms ending in ``*`` are not in the automaton; it finds where they may start
(their anchors) and their pattern decides there (``matching.literal_matches``).
"""

from __future__ import annotations

from typing import Sequence

import ahocorasick

from .anchors import FOLD

__all__ = ["LiteralSet", "is_plain"]


class _Normal(dict):
    """``str.translate`` table: whitespace to a space, "’" to "'", and (``folded``) case folded
    by :data:`FOLD`. One character for one, so offsets are the sentence's."""

    def __init__(self, folded: bool):
        super().__init__()
        self.folded = folded

    def __missing__(self, code: int) -> int:
        char = chr(code)
        if char.isspace():
            value = 32
        elif char in "’'":
            value = 39
        else:
            value = FOLD[code] if self.folded else code
        self[code] = value
        return value


_FOLDED, _EXACT = _Normal(True), _Normal(False)


def is_plain(term: str) -> bool:
    """A term the automaton holds: not ``re:``, no word ending in ``*``, words separated by
    single spaces (so that the alternation's longest term is its longest match)."""
    return not term.startswith("re:") and " ".join(term.split()) == term and term != "" and \
        not any(w.endswith("*") and len(w) > 1 for w in term.split())


class LiteralSet:
    """The plain terms of some categories (numbered by their position in ``categories``), in
    one automaton per case mode, with the anchor words of their ``re:`` terms (where those
    can start: :mod:`framing.lexicons.anchors`), or, for a category with a ``word*`` term, the
    anchors of all its terms. A category whose ``literal_plan`` is None (no anchors) is left
    out: its pattern alone matches it."""

    def __init__(self, categories: Sequence):
        self.categories = tuple(categories)
        keys: dict[tuple[bool, str], list[tuple[int, bool, bool]]] = {}

        def add(case_sensitive: bool, key: str, entry: tuple[int, bool, bool]) -> None:
            entries = keys.setdefault((case_sensitive, key), [])
            if entry not in entries:
                entries.append(entry)

        for k, category in enumerate(self.categories):
            if category.literal_plan is None:
                continue
            _, anchors, plain = category.literal_plan
            table = _EXACT if category.case_sensitive else _FOLDED
            for term in category.terms if plain else ():
                if is_plain(term):  # (category, its end must end a word, an anchor)
                    add(category.case_sensitive, term.translate(table), (k, True, False))
            if anchors is not None:  # anchors are case folded whatever the category's case
                for word in anchors.exact:
                    add(False, word, (k, True, True))
                for prefix in anchors.prefixes:
                    add(False, prefix, (k, False, True))
        self._automata = []
        for case_sensitive, table in ((False, _FOLDED), (True, _EXACT)):
            automaton = ahocorasick.Automaton()
            for (mode, key), entries in keys.items():
                if mode == case_sensitive:
                    automaton.add_word(key, (len(key), tuple(entries)))
            if len(automaton):
                automaton.make_automaton()
                self._automata.append((table, automaton))

    def hits(self, sentence: str) -> dict[int, list[tuple[int, int]]] | None:
        """``{category number: [(start, end), ...]}``: every whole-word occurrence of each
        category's plain terms in ``sentence``, and (with ``end`` -1) each position where one of
        its ``re:`` terms may start; None when the sentence has a run of whitespace (left to
        the patterns)."""
        found: dict[int, list[tuple[int, int]]] = {}
        n = len(sentence)
        for table, automaton in self._automata:
            normal = sentence.translate(table)
            if "  " in normal:
                return None
            for last, (length, entries) in automaton.iter(normal):
                start, end = last - length + 1, last + 1
                if start and (sentence[start - 1].isalnum() or sentence[start - 1] == "_"):
                    continue
                ends_word = end >= n or not (sentence[end].isalnum() or sentence[end] == "_")
                for k, whole, anchor in entries:
                    if ends_word or not whole:
                        found.setdefault(k, []).append((start, -1 if anchor else end))
        return found
