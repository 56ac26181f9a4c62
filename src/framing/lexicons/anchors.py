"""Where a compiled pattern can start matching: the anchor words of lexicon categories.

Matching is the hot loop of the measure stage (about 25 patterns per sentence), so
:mod:`framing.measures.matching` does not scan every sentence with every pattern. Each pattern
is analysed once, when its lexicon is built (:func:`pattern_anchors`): if every match must start
at the beginning of a word (a leading ``(?<!\\w)`` or ``\\b``) and that word must be, or begin
with, one of a known set of literal strings, the pattern need only be tried at such words. The
analysis reads the parse tree of Python's own regular-expression compiler; a pattern it cannot
read (or a future Python without that private module) gets ``None`` and is scanned in full, so
the analysis can only make matching faster, never different.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Anchors", "FOLD", "pattern_anchors"]


class _Fold(dict):
    """``str.translate`` table folding case the way ``re.IGNORECASE`` compares characters:
    the simple lower-case of each character (one character for one, so offsets are kept:
    "İ" becomes "i", not "i̇") and one representative of the characters ``re`` treats as equal
    ("ſ" and "s", "ı" and "i"). Filled on demand."""

    def __missing__(self, code: int) -> int:
        try:
            import _sre
            from re import _casefix

            lower = _sre.unicode_tolower(code)
            folded = min((lower, *_casefix._EXTRA_CASES.get(lower, ())))
        except (ImportError, AttributeError):  # pragma: no cover - another Python
            folded = ord(chr(code).lower()[0])
        self[code] = folded
        return folded


#: Case folding shared by the anchors and the sentence word index.
FOLD = _Fold()

_WORD_RUN = re.compile(r"\w*")
_MAX_LEADS = 4096
_BOUND = "\x00"  # marks a lead that starts at a word boundary
_NON_WORD = " "  # stands for "a non-word character follows here"


class Anchors(NamedTuple):
    """A match starts at a word (lower-cased) in ``exact`` or starting with one of ``prefixes``."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]


def _sre():
    try:
        from re import _constants, _parser  # Python 3.11+
    except ImportError:  # pragma: no cover - a future Python without the private modules
        return None
    return _parser, _constants


def _excludes_word(items, constants) -> bool:
    """Whether a (negative) lookbehind's body is a character class containing ``\\w``."""
    items = list(items)
    return (len(items) == 1 and items[0][0] is constants.IN
            and (constants.CATEGORY, constants.CATEGORY_WORD) in items[0][1])


def _leads(items, constants) -> tuple[set[str], set[str]]:
    """The literal strings a sequence of parsed regex items can start with: (open, closed).

    ``open`` strings consumed the whole sequence as literals (what follows may extend them);
    ``closed`` strings stop at an item that is not a literal. A leading word-boundary assertion
    is recorded as ``_BOUND``; an item that guarantees a non-word character next as
    ``_NON_WORD``. Raises ``ValueError`` when the set grows too large.
    """
    C = constants
    open_, closed = {""}, set()
    for op, av in items:
        if not open_:
            break
        if op is C.LITERAL:
            open_ = {s + chr(av) for s in open_}
        elif op is C.SUBPATTERN or op is C.BRANCH:
            alternatives = [av[-1]] if op is C.SUBPATTERN else av[1]
            grown = set()
            for alternative in alternatives:
                sub_open, sub_closed = _leads(alternative, C)
                closed |= {s + t for s in open_ for t in sub_closed}
                grown |= {s + t for s in open_ for t in sub_open}
            open_ = grown
        elif op is C.IN and all(kind is C.LITERAL for kind, _ in av) and len(av) <= 8:
            open_ = {s + chr(code) for s in open_ for _, code in av}
        elif op is C.IN and av == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            closed |= {s + d for s in open_ for d in "0123456789"}
            open_ = set()
        elif op is C.MAX_REPEAT or op is C.MIN_REPEAT:
            low, _, body = av
            body = list(body)
            if low >= 1 and len(body) == 1 and body[0] == (C.IN, [(C.CATEGORY, C.CATEGORY_SPACE)]):
                closed |= {s + _NON_WORD for s in open_}
            elif low >= 1:
                sub_open, sub_closed = _leads(body, C)
                closed |= {s + t for s in open_ for t in sub_open | sub_closed}
            else:
                closed |= open_
            open_ = set()
        elif (op is C.ASSERT_NOT and av[0] == -1 and _excludes_word(av[1], C)) or (
                op is C.AT and av is C.AT_BOUNDARY):
            # a word boundary: at the start it anchors the match to a word start; after word
            # characters it means a non-word character follows
            open_ = {s + (_BOUND if not s else _NON_WORD) for s in open_}
            if any(s.endswith(_NON_WORD) for s in open_):
                closed |= {s for s in open_ if s.endswith(_NON_WORD)}
                open_ = {s for s in open_ if not s.endswith(_NON_WORD)}
        elif op is C.ASSERT_NOT and av[0] == 1 and _excludes_word(av[1], C):
            closed |= {s + _NON_WORD for s in open_}  # (?!\w)
            open_ = set()
        else:
            closed |= open_
            open_ = set()
        if len(open_) + len(closed) > _MAX_LEADS:
            raise ValueError("too many leads")
    return open_, closed


def pattern_anchors(pattern: re.Pattern) -> Anchors | None:
    """The words at which ``pattern`` can start matching, or None if it must scan everything.

    Every match must begin with a word boundary followed by literal text (lexicon terms,
    ``(?<!\\w)(?:a|the) study``, ``\\d+ times``...). The word at the match start, lower-cased,
    is then either exactly a known word (when the literal text shows where the word ends) or
    begins with a known prefix.
    """
    modules = _sre()
    if modules is None or pattern.flags & re.ASCII:
        return None
    parser, constants = modules
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
        open_, closed = _leads(list(parsed), constants)
    except (ValueError, TypeError, AttributeError, IndexError, re.error):
        return None
    exact, prefixes = set(), set()
    for lead in open_ | closed:
        if not lead.startswith(_BOUND):
            return None
        text = lead[1:].translate(FOLD)
        run = _WORD_RUN.match(text).group(0)
        if not run or _BOUND in text:
            return None
        (exact if len(run) < len(text) else prefixes).add(run)
    return Anchors(frozenset(exact), tuple(sorted(prefixes)))
