"""Text that remembers where each character came from.

Cleaning changes text (repairs, whitespace, removed lines), yet every span the measures find must
be traceable to the raw file. :class:`TrackedText` carries, for each character of the current
text, the raw span ``[lo, hi)`` it came from. Cleaning steps stay pure ``str -> str`` functions;
:meth:`TrackedText.apply_by_line` runs one over each line and records the edits it made.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

__all__ = ["Edit", "OffsetMap", "TrackedText"]


@dataclass(frozen=True)
class Edit:
    """One change made by a cleaning step, located in the raw text."""

    raw_start: int
    raw_end: int
    before: str
    after: str


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the newline."""
    bounds, start = [], 0
    while True:
        nl = text.find("\n", start)
        if nl == -1:
            bounds.append((start, len(text)))
            return bounds
        bounds.append((start, nl))
        start = nl + 1


#: Lines up to this many characters are aligned by difflib, as they always were (its cost grows
#: with the square of the length, so it is bounded here); longer ones, such as a whole article
#: on one line, by :func:`_resync_opcodes`, which is linear and differs from difflib only in
#: which of two equivalent edits it reports (say, which of two adjacent spaces was removed).
DIFFLIB_LIMIT = 2000
#: How far :func:`_resync_opcodes` looks for the text after a change to go on matching.
RESYNC_LIMIT = 4096
_ANCHOR = 8


def _opcodes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Changed regions (i1, i2, j1, j2) turning ``old`` into ``new``, in time linear in the
    lengths (cleaning steps make local changes: a repaired character, a removed space or link).
    """
    if len(old) == len(new):
        # Same length: a per-character comparison is exact and much cheaper than a diff.
        ops, i, n = [], 0, len(old)
        while i < n:
            if old[i] != new[i]:
                j = i
                while j < n and old[j] != new[j]:
                    j += 1
                ops.append((i, j, i, j))
                i = j
            else:
                i += 1
        return ops
    if len(old) <= DIFFLIB_LIMIT and len(new) <= DIFFLIB_LIMIT:
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    ops = _resync_opcodes(old[prefix:len(old) - suffix], new[prefix:len(new) - suffix])
    return [(i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix) for i1, i2, j1, j2 in ops]


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, compared in blocks (C speed, linear)."""
    n, i, step = min(len(a), len(b)), 0, 1024
    while i < n:
        end = min(n, i + step)
        if a[i:end] == b[i:end]:
            i = end
            continue
        while a[i] == b[i]:
            i += 1
        return i
    return n


def _resync_opcodes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """A linear alignment of two long strings: at each difference, the smallest deletion,
    insertion or replacement after which the next ``_ANCHOR`` characters (or the rest) agree,
    looked for within :data:`RESYNC_LIMIT` characters; failing that, the rest is one change."""
    ops: list[tuple[int, int, int, int]] = []
    i = j = 0
    n, m = len(old), len(new)
    while i < n and j < m:
        same = _common_prefix(old[i:i + RESYNC_LIMIT], new[j:j + RESYNC_LIMIT])
        if same:
            i, j = i + same, j + same
            continue
        step = _resync(old, new, i, j)
        if step is None:
            break
        ops.append((i, i + step[0], j, j + step[1]))
        i, j = i + step[0], j + step[1]
    if i < n or j < m:
        ops.append((i, n, j, m))
    return ops


def _resync(old: str, new: str, i: int, j: int) -> tuple[int, int] | None:
    """(deleted, inserted) characters at ``old[i]``/``new[j]`` before the strings agree again."""
    best = None
    anchor = new[j:j + _ANCHOR]
    if anchor:  # a deletion: new[j:] appears a little further on in old
        found = old.find(anchor, i + 1, i + RESYNC_LIMIT + len(anchor))
        if found >= 0:
            best = (found - i, 0)
    anchor = old[i:i + _ANCHOR]
    if anchor:  # an insertion
        found = new.find(anchor, j + 1, j + RESYNC_LIMIT + len(anchor))
        if found >= 0 and (best is None or found - j < sum(best)):
            best = (0, found - j)
    for total in range(2, min(2 * 16, (sum(best) if best else 33))):  # a short replacement
        for a in range(1, total):
            b = total - a
            if old[i + a:i + a + _ANCHOR] == new[j + b:j + b + _ANCHOR] and (
                    i + a < len(old) or j + b == len(new)):
                return a, b
    return best


class TrackedText:
    """A string plus, for every character, the raw span it came from.

    Parameters
    ----------
    text : str
        The raw text; each character initially maps to itself.
    """

    __slots__ = ("text", "lo", "hi")

    def __init__(self, text: str, lo: np.ndarray | None = None, hi: np.ndarray | None = None):
        self.text = text
        if lo is None:
            lo = np.arange(len(text), dtype=np.int64)
            hi = lo + 1
        self.lo, self.hi = lo, hi

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw ``[start, end)`` covered by the current ``[start, end)``."""
        if end <= start:
            pos = int(self.lo[start]) if start < len(self.text) else (int(self.hi[-1]) if len(self.text) else 0)
            return pos, pos
        return int(self.lo[start:end].min()), int(self.hi[start:end].max())

    def replace(self, spans: Iterable[tuple[int, int, str]]) -> "TrackedText":
        """Replace non-overlapping ``(start, end, new)`` spans, sorted by start.

        A replacement of equal length maps character to character; otherwise every new character
        maps to the whole raw span it replaced.
        """
        pieces, los, his, pos = [], [], [], 0
        for start, end, new in spans:
            pieces.append(self.text[pos:start])
            los.append(self.lo[pos:start])
            his.append(self.hi[pos:start])
            if new:
                if len(new) == end - start:
                    los.append(self.lo[start:end])
                    his.append(self.hi[start:end])
                else:
                    raw_lo, raw_hi = self.raw_span(start, end)
                    los.append(np.full(len(new), raw_lo, dtype=np.int64))
                    his.append(np.full(len(new), raw_hi, dtype=np.int64))
                pieces.append(new)
            pos = end
        pieces.append(self.text[pos:])
        los.append(self.lo[pos:])
        his.append(self.hi[pos:])
        return TrackedText("".join(pieces), np.concatenate(los), np.concatenate(his))

    def edit(self, spans: Iterable[tuple[int, int, str]]) -> tuple["TrackedText", list[Edit]]:
        """:meth:`replace` the spans, and the edits made, each located in the raw text (for a
        step that knows where it changes the text, such as a regular expression's matches)."""
        spans = list(spans)
        if not spans:
            return self, []
        edits = [Edit(*self.raw_span(start, end), self.text[start:end], new)
                 for start, end, new in spans]
        return self.replace(spans), edits

    def apply_by_line(self, step: Callable[[str], str]) -> tuple["TrackedText", list[Edit]]:
        """Run a pure ``str -> str`` step over each line; return the new text and its edits."""
        spans = []
        for start, end in _line_bounds(self.text):
            line = self.text[start:end]
            new = step(line)
            if new == line:
                continue
            if "\n" in new:
                raise ValueError(f"cleaning step {step.__name__} must not add line breaks")
            spans += [(start + i1, start + i2, new[j1:j2]) for i1, i2, j1, j2 in _opcodes(line, new)]
        return self.edit(spans)

    def drop_lines(self, line_numbers: set[int]) -> "TrackedText":
        """Remove whole lines (with their line break) by 0-based line number."""
        if not line_numbers:
            return self
        bounds = _line_bounds(self.text)
        spans = []
        for number in sorted(line_numbers):
            start, end = bounds[number]
            if end < len(self.text):
                end += 1  # the line's own newline
            elif start > 0:
                start -= 1  # last line: drop the newline before it instead
            spans.append((start, end, ""))
        return self.replace(_merge(spans))

    def lines(self) -> list[str]:
        return self.text.split("\n")

    def compact(self) -> "OffsetMap":
        """The same map as runs (a few per article instead of 16 bytes per character)."""
        return OffsetMap.from_arrays(self.lo, self.hi)


class OffsetMap:
    """A read-only :class:`TrackedText` map stored as runs: within a run, each character maps
    one raw character further than the one before it, so a run is its first character's
    ``(start, lo, hi)``. ``raw_span`` gives exactly what :meth:`TrackedText.raw_span` gives
    (tested); a corpus keeps one per article to trace spans back to the raw files."""

    __slots__ = ("length", "starts", "lo", "hi")

    def __init__(self, length: int, starts: np.ndarray, lo: np.ndarray, hi: np.ndarray):
        self.length, self.starts, self.lo, self.hi = length, starts, lo, hi

    @classmethod
    def from_arrays(cls, lo: np.ndarray, hi: np.ndarray) -> "OffsetMap":
        if not len(lo):
            empty = np.zeros(0, dtype=np.int64)
            return cls(0, empty, empty, empty)
        breaks = np.flatnonzero((np.diff(lo) != 1) | (np.diff(hi) != 1)) + 1
        starts = np.concatenate([[0], breaks]).astype(np.int64)
        return cls(len(lo), starts, lo[starts].copy(), hi[starts].copy())

    def __len__(self) -> int:
        return self.length

    def _run(self, position: int) -> int:
        return int(np.searchsorted(self.starts, position, side="right")) - 1

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw ``[start, end)`` covered by the current ``[start, end)``."""
        end = min(end, self.length)
        if end <= start:
            if start < self.length:
                k = self._run(start)
                return (int(self.lo[k] + start - self.starts[k]),) * 2
            if not self.length:
                return 0, 0
            last = int(self.hi[-1] + self.length - 1 - self.starts[-1])
            return last, last
        first, final = self._run(start), self._run(end - 1)
        # lo and hi rise within a run: the smallest lo of a run is at its first character in
        # the range, the largest hi at its last
        lo = self.lo[first:final + 1].copy()
        lo[0] += start - self.starts[first]
        ends = np.append(self.starts[first + 1:final + 1], end) - 1
        hi = self.hi[first:final + 1] + (ends - self.starts[first:final + 1])
        return int(lo.min()), int(hi.max())


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Merge overlapping deletion spans (sorted by start)."""
    merged: list[list] = []
    for start, end, new in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, new])
    return [tuple(span) for span in merged]
