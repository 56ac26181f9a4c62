"""Segmentation: paragraphs, sentences with character offsets, headings and quotation state.

Sentences come from NLTK's Punkt with parameters shipped in ``data/abbreviations.txt`` (no model is
downloaded). Paragraphs are split first, so a sentence never crosses a paragraph break.
Quotation state is tracked through each paragraph (see :func:`quote_spans`), so a sentence inside a
quote that runs over several sentences is marked ``in_quote``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

__all__ = ["MAX_SENTENCE_CHARS", "SENTENCE_COLUMNS", "article_quotes", "is_heading",
           "paragraph_spans", "quote_spans", "segment_article", "sentence_rows",
           "sentence_tokenizer", "sentences_frame", "unbalanced_quotes"]

#: Columns of the ``sentences`` table produced by segmentation (measures add more).
SENTENCE_COLUMNS = ["article_id", "sentence_index", "paragraph_index", "start", "end", "text",
                    "is_heading", "in_quote", "quote_share"]

#: A sentence is ``in_quote`` when at least this share of its non-space characters is quoted.
IN_QUOTE_SHARE = 0.5
#: A "sentence" longer than this (characters) is split at spaces into pieces no longer, and
#: logged: the longest sentence in 56,826 real news sentences (PolNeAR, PTC, BASIL) has 979
#: characters, and VADER's cost grows with the square of a sentence's words.
MAX_SENTENCE_CHARS = 1500
_SENTENCE_END_AHEAD = re.compile(r"[.!?…][”\"’')\]]*(?=\s+[“\"‘(\[]?[A-Z0-9])")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    text = resources.files("framing").joinpath("data/abbreviations.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


class _NewsLanguageVars(PunktLanguageVars):
    """Punkt's English settings, with curly opening quotation marks read as punctuation before
    a word (as the straight quote already is), so that the title in "“Gov. Christie" is seen
    as the abbreviation "gov"."""

    _re_word_start = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,“‘]"


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Punkt with the shipped abbreviations (titles such as "Sens." and "Gov.", "U.S.", "No.")
    and single-letter initials ("John F. Kennedy")."""
    params = PunktParameters()
    params.abbrev_types = set(abbreviations()) | {c for c in "abcdefghjklmnopqrstuvwxyz"}
    return PunktSentenceTokenizer(params, lang_vars=_NewsLanguageVars())


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each block of ``text`` separated by a blank line (empty ones too)."""
    spans, pos = [], 0
    for block in text.split("\n\n"):
        spans.append((pos, pos + len(block)))
        pos += len(block) + 2
    return spans


# --- headings ---------------------------------------------------------------------------------
_TITLE_WORD = re.compile(r"[^\W_][\w'’.&-]*")
_MINOR = frozenset("""a an the and or but nor of in on at to for with by from as vs via into onto
over under up is are was its than per about after before amid amidst against between""".split())
_TERMINAL = re.compile(r"[.!?:;,…\"”’')\]]$")
_DOTTED_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}$")


def is_heading(paragraph: str, *, first: bool = False) -> bool:
    """Whether a paragraph is a headline or sub-heading (rules in ``docs/cleaning.md``).

    A heading is short (at most 20 words) and either in title case (80% of its content words
    capitalised; it may end in '?' or a dotted abbreviation like "U.S.") or unpunctuated (at most
    12 words and no closing punctuation). The article's first paragraph may have up to 25 words.
    """
    words = _TITLE_WORD.findall(paragraph)
    limit = 25 if first else 20
    if not words or len(words) > limit:
        return False
    stripped = paragraph.rstrip()
    content = [w for w in words if w.lower() not in _MINOR]
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in content)
    title_case = bool(content) and capitalised >= 0.8 * len(content)
    ends_cleanly = (not _TERMINAL.search(stripped) or stripped.endswith("?")
                    or bool(_DOTTED_ABBREVIATION.search(stripped)))
    if title_case and ends_cleanly and len(words) >= 2:
        return True
    return not _TERMINAL.search(stripped) and len(words) <= (limit if first else 12)


# --- quotation tracking -----------------------------------------------------------------------
_OPEN_DOUBLE, _CLOSE_DOUBLE = "“", "”"
_DOUBLE_MARKS = re.compile('[“”"]')
_SINGLE_MARKS = re.compile("[‘’]")
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\w)")


def quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of direct quotation (marks included) within each paragraph of ``text``.

    Double quotes (curly or straight) are tracked. A straight quote opens after a space or at the
    start of a paragraph and closes otherwise; a stray closing mark is ignored; an opening mark
    inside an open quote restarts it. A quote left open at the end of a paragraph runs to the
    paragraph's end when the next paragraph opens with a quotation mark (news convention for a
    quote over several paragraphs); otherwise its opening mark is unbalanced and the quote ends
    with the sentence it opened in (:func:`unbalanced_quotes` lists them). Curly single quotes
    ‘...’ are tracked only when the paragraph has no double quotes (British style); straight
    single quotes are never tracked, as they are mostly apostrophes.
    """
    return _quotes(text, paragraphs)[0]


def unbalanced_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[int]:
    """Offsets of opening quotation marks that are never closed (see :func:`quote_spans`)."""
    return _quotes(text, paragraphs)[1]


def article_quotes(text: str, paragraphs: list[tuple[int, int]] | None = None
                   ) -> tuple[list[tuple[int, int]], list[int]]:
    """:func:`quote_spans` and :func:`unbalanced_quotes` of an article in one pass (by default
    its paragraphs are the blocks between blank lines)."""
    if paragraphs is None:
        paragraphs = paragraph_spans(text)
    return _quotes(text, paragraphs)


def _continues(text: str, end: int) -> bool:
    """Whether the paragraph after offset ``end`` opens with a quotation mark."""
    rest = text[end:end + 8].lstrip()
    return rest[:1] in ('“', '"', "‘")


def _quotes(text: str, paragraphs: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[int]]:
    spans: list[tuple[int, int]] = []
    unbalanced: list[int] = []
    for start, end in paragraphs:
        para = text[start:end]
        has_double = any(c in para for c in '“”"')
        open_at = None
        if has_double:
            for mark in _DOUBLE_MARKS.finditer(para):  # only quotation marks change the state
                i, char = mark.start(), mark.group()
                if char == _OPEN_DOUBLE or (char == '"' and open_at is None and
                                            (i == 0 or not para[i - 1].isalnum())):
                    if open_at is not None and char == _OPEN_DOUBLE:
                        # An unclosed quote followed by a new opening: the first ends here.
                        spans.append((start + open_at, start + i))
                    open_at = i
                elif char in (_CLOSE_DOUBLE, '"') and open_at is not None:
                    spans.append((start + open_at, start + i + 1))
                    open_at = None
        else:
            for mark in _SINGLE_MARKS.finditer(para):
                i, char = mark.start(), mark.group()
                if char == "‘" and _SINGLE_OPEN.match(para, i) and open_at is None:
                    open_at = i
                elif (char == "’" and open_at is not None and
                      (i + 1 == len(para) or not para[i + 1].isalnum())):
                    spans.append((start + open_at, start + i + 1))
                    open_at = None
        if open_at is not None:
            if _continues(text, end):
                spans.append((start + open_at, end))
            else:  # an unbalanced mark: the quote ends with its sentence
                found = _SENTENCE_END_AHEAD.search(para, open_at + 1)
                spans.append((start + open_at, start + found.end() if found else end))
                unbalanced.append(start + open_at)
    return spans, unbalanced


class _QuotedShare:
    """The quoted share of any span of a text in time linear in the text: counts of
    non-space characters as prefix sums, and the sorted, disjoint quote spans."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        visible = np.fromiter((not c.isspace() for c in text), dtype=np.int64, count=len(text))
        self.count = np.concatenate([[0], np.cumsum(visible)])
        self.spans = sorted(spans)
        self.first = 0  # sentences come in order: the first span that can still overlap one

    def __call__(self, start: int, end: int) -> float:
        total = int(self.count[end] - self.count[start])
        if total == 0:
            return 0.0
        spans, quoted = self.spans, 0
        while self.first < len(spans) and spans[self.first][1] <= start:
            self.first += 1
        k = self.first
        while k < len(spans) and spans[k][0] < end:
            lo, hi = max(start, spans[k][0]), min(end, spans[k][1])
            if lo < hi:
                quoted += int(self.count[hi] - self.count[lo])
            k += 1
        return quoted / total


def _bounded(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """``[start, end)`` split at spaces into pieces of at most :data:`MAX_SENTENCE_CHARS`."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS + 1)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS  # no space at all: cut the characters
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def segment_article(article_id: str, text: str,
                    paragraphs: list[tuple[int, int, bool]] | None = None) -> pd.DataFrame:
    """Split one cleaned article into the rows of the ``sentences`` table.

    Parameters
    ----------
    article_id : str
        Identifier copied to every row.
    text : str
        Cleaned article text.
    paragraphs : list of (start, end, heading_hint), optional
        Paragraph spans from cleaning; by default paragraphs are blocks separated by blank lines.
    """
    return sentences_frame(sentence_rows(article_id, text, paragraphs))


def sentence_rows(article_id: str, text: str,
                  paragraphs: list[tuple[int, int, bool]] | None = None,
                  notes: list | None = None,
                  quotes: tuple[list, list] | None = None) -> list[tuple]:
    """The rows of :func:`segment_article` as tuples in :data:`SENTENCE_COLUMNS` order (cheap
    to send between processes; :func:`sentences_frame` makes the table).

    ``notes``, when given, receives ``(category, start, end)`` for what the quality log should
    show: ``long_sentence`` (a sentence split into pieces of at most
    :data:`MAX_SENTENCE_CHARS`) and ``unbalanced_quote`` (an opening mark never closed).
    ``quotes`` is :func:`article_quotes` when already computed.
    """
    if paragraphs is None:
        paragraphs = [(s, e, False) for s, e in paragraph_spans(text) if text[s:e].strip()]
    tokenizer = sentence_tokenizer()
    quotes, unbalanced = quotes or _quotes(text, [(s, e) for s, e, _ in paragraphs])
    if notes is not None:
        notes.extend(("unbalanced_quote", q, q + 1) for q in unbalanced)
    quoted_share = _QuotedShare(text, quotes)
    rows: list[tuple] = []
    for p_index, (p_start, p_end, hint) in enumerate(paragraphs):
        para = text[p_start:p_end]
        heading = hint or is_heading(para, first=p_index == 0)
        spans = [(0, len(para))] if heading else list(tokenizer.span_tokenize(para))
        for s_start, s_end in spans:
            start, end = p_start + s_start, p_start + s_end
            # Trim surrounding whitespace so that text[start:end] is exactly the sentence.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start == end:
                continue
            pieces = _bounded(start, end, text)
            if len(pieces) > 1 and notes is not None:
                notes.append(("long_sentence", start, end))
            for start, end in pieces:
                share = quoted_share(start, end)
                rows.append((article_id, len(rows), p_index, start, end, text[start:end],
                             heading, share >= IN_QUOTE_SHARE, round(share, 4)))
    return rows


def sentences_frame(rows: list[tuple], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The ``sentences`` table from rows in :data:`SENTENCE_COLUMNS` order, each followed by
    the integer columns named in ``extra``; typed the same way whatever the number of rows."""
    frame = pd.DataFrame(rows, columns=SENTENCE_COLUMNS + list(extra))
    types = {"sentence_index": "int64", "paragraph_index": "int64", "start": "int64",
             "end": "int64", "is_heading": "bool", "in_quote": "bool", "quote_share": "float64"}
    return frame.astype({**types, **{c: "int64" for c in extra}})
