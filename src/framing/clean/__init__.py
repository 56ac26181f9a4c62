"""Cleaning: small pure ``str -> str`` steps, and the pipeline that applies and reports them.

Every step is a plain function over one line of text. :func:`clean_text` runs them through a
:class:`~framing.clean.textmap.TrackedText` so that each cleaned character still knows its raw span, and
logs what each step did (the data-quality report). Line-level decisions (page furniture,
duplicated paragraphs) are made on whole lines and logged the same way.

The rules are documented in ``docs/cleaning.md``; page-furniture patterns live in
``data/furniture.yaml``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ftfy
import yaml

from ..errors import LexiconError
from .textmap import TrackedText

__all__ = [
    "CleanResult",
    "NO_FURNITURE",
    "line_key",
    "FurnitureRules",
    "clean_text",
    "load_furniture_rules",
    "normalize_quotes",
    "normalize_whitespace",
    "repair_lossy_quotes",
    "repair_mojibake",
    "strip_decorations",
    "strip_markup",
]

# ftfy settings: repair encoding damage, but keep curly quotes (they carry quote direction, which
# quotation tracking uses) and leave line breaks to us.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, explain=False)


def repair_mojibake(line: str) -> str:
    """Repair classic mojibake (UTF-8 decoded as cp1252/latin-1...) with ftfy.

    >>> repair_mojibake("DeepSeekâ€™s rise")
    'DeepSeek’s rise'
    """
    return ftfy.fix_text(line, config=_FTFY_CONFIG)


# --- lossy damage: only the lead byte of a 3-byte UTF-8 punctuation mark survived -------------
# U+2019 ’, U+201C “, U+201D ”, U+2013/2014 dashes are encoded E2 80 xx. When the continuation
# bytes are lost, E2 reads as 'â' (cp1252/latin-1) or 'ā' (cp1257, Baltic). ftfy cannot restore
# what was deleted, so the mark is inferred from its position.
_LEAD = "āâ"
_APOSTROPHE = re.compile(rf"(?<=[A-Za-z0-9])[{_LEAD}](?=(?:s|t|re|ve|ll|d|m)\b)")
_OPENING = re.compile(rf"(?:(?<=^)|(?<=[\s(\[—–-]))[{_LEAD}](?=[\w$£€¥])")
_CLOSING = re.compile(rf"(?<=[\w.,!?;:%)])[{_LEAD}](?=$|[\s.,;:!?)\]—–-])")
_DASH = re.compile(rf"(?<=\s)[{_LEAD}](?=\s)")


def needs_lossy_quote_repair(text: str) -> bool:
    """True when ``text`` shows the lossy lead-byte damage (at least two damaged apostrophes).

    The gate keeps real 'ā'/'â' (pinyin, Māori, French) intact in undamaged text.
    """
    return len(_APOSTROPHE.findall(text)) >= 2


def repair_lossy_quotes(line: str) -> str:
    """Restore apostrophes, quotation marks and dashes whose bytes were lost as 'ā' or 'â'.

    >>> repair_lossy_quotes("some have called a āSputnik momentā. DeepSeekās rise")
    'some have called a “Sputnik moment”. DeepSeek’s rise'
    """
    line = _APOSTROPHE.sub("’", line)
    line = _OPENING.sub("“", line)
    line = _CLOSING.sub("”", line)
    return _DASH.sub("—", line)


_QUOTE_TABLE = str.maketrans({"„": "“", "‟": "“", "«": "“", "»": "”", "＂": '"', "‹": "‘", "›": "’",
                              "‛": "‘", "´": "’"})
_TEX_OPEN = re.compile(r"``")
_TEX_CLOSE = re.compile(r"(?<!\w)''(?=\w)|(?<=[\w.,!?])''")


def normalize_quotes(line: str) -> str:
    """Map rarer quotation marks to the four curly ones (“ ” ‘ ’) or the straight ones.

    Guillemets and low-9 quotes become “ ”, TeX-style ``quotes'' become “ ”, an acute accent used
    as an apostrophe becomes ’. Straight quotes stay straight: their direction is decided later.
    """
    line = line.translate(_QUOTE_TABLE)
    line = _TEX_OPEN.sub("“", line)

    def tex(match: re.Match) -> str:
        return "“" if match.group(0) and match.start() < len(line) and (
            match.start() == 0 or not line[match.start() - 1].isalnum()) else "”"

    return _TEX_CLOSE.sub(tex, line)


_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_MULTISPACE = re.compile(r" {2,}")


def normalize_whitespace(line: str) -> str:
    """Turn tabs and exotic spaces into one plain space, drop invisible characters, strip."""
    line = _INVISIBLE.sub("", _SPACES.sub(" ", line))
    return _MULTISPACE.sub(" ", line).strip()


#: Elements whose tags are markup, not text, when they turn up in plain text: scraped corpora
#: keep HTML tags and embeds (PolNeAR holds tweets as ``<tweet id=".." author="@x">..</tweet>``).
MARKUP_ELEMENTS = ("a", "abbr", "b", "blockquote", "br", "cite", "code", "div", "em", "embed",
                   "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
                   "iframe", "img", "li", "ol", "p", "q", "small", "span", "strong", "sub",
                   "sup", "tweet", "u", "ul", "video")
# a tag: the element's name, then only name="value" attributes (so "a<b and c>d" is text); a
# value may hold a line break (scraped embeds do: tweet-date="January 19, 2016\n\n")
_ATTRIBUTES = r"""(?:\s+[\w:-]+\s*=\s*(?:"[^"<>]{0,200}"|'[^'<>]{0,200}'|[^\s"'<>=`]+))*"""
_TAG = re.compile(r"</?(?:%s)%s\s*/?>" % ("|".join(MARKUP_ELEMENTS), _ATTRIBUTES), re.IGNORECASE)
# an embedded tweet with its author and text: a quotation of the author. The text runs to the
# closing tag, or, when the tag is left open, to the end of its line if that is near (a tweet
# is short; an article laid out on one line must not become one long quotation)
_TWEET_OPEN = r'<tweet(?=[^<>]*?\s(?:tweet-)?author="(?P<author>@?[\w.]{1,40})")%s\s*>' % _ATTRIBUTES
_TWEETS = (re.compile(_TWEET_OPEN + r"(?P<text>[^<>\n]*?\S[^<>\n]*?)</tweet>", re.IGNORECASE),
           re.compile(_TWEET_OPEN + r"(?P<text>[^<>\n]{0,600}?\S[^<>\n]{0,600}?)(?=\n|$)",
                      re.IGNORECASE))
# a tweet tag broken off at the end of its line, its last value left open
# ('<tweet tweet-author="x" tweet-date="' and a line break)
_BROKEN_TAG = re.compile(r'<tweet\b(?:\s+[\w:-]+\s*=\s*"[^"<>\n]{0,200}")*\s+[\w:-]+\s*=\s*"'
                         r'[^"<>\n]{0,200}(?=\n|$)', re.IGNORECASE)


def markup_spans(text: str) -> list[tuple[int, int, str]]:
    """The ``(start, end, replacement)`` spans :func:`strip_markup` changes, in order: each tag
    of :data:`MARKUP_ELEMENTS` is removed (and a ``<tweet`` tag broken off at the end of its
    line, up to its open value), except that an embedded tweet's opening tag becomes
    ``@author tweeted: “`` and its closing tag (or the end of its line) ``”``."""
    if "<" not in text:
        return []
    spans: list[tuple[int, int, str]] = []
    for pattern in (*_TWEETS, _TAG, _BROKEN_TAG):  # a closed tweet first, then an open one...
        taken = sorted(spans)
        starts = [a for a, _, _ in taken]
        for m in pattern.finditer(text):
            end, after = m.end(), bisect.bisect_left(starts, m.end())
            if after and taken[after - 1][1] > m.start():
                continue  # overlaps a span found before (a tag of a tweet already quoted)
            if pattern in _TWEETS:
                if m["text"].rstrip()[-1:] in (".", "!", "?", "…") and text[end:end + 1] == ".":
                    end += 1  # "...defies explanation.</tweet>." ends once: "...explanation.”"
                spans += [(m.start(), m.start("text"), f"{m['author']} tweeted: “"),
                          (m.end("text"), end, "”")]
            else:
                spans.append((m.start(), end, ""))
    return sorted(spans)


def strip_markup(line: str) -> str:
    """Remove HTML and embed tags (:data:`MARKUP_ELEMENTS`) left in plain text; an embedded
    tweet with an author becomes that author's quotation, so attribution credits it.

    >>> strip_markup('<tweet id="1" author="@SpeakerRyan">This defies explanation.</tweet>.')
    '@SpeakerRyan tweeted: “This defies explanation.”'
    >>> strip_markup('<tweet id="2" author="@th3j35t3r">#UPDATE FAROOK</tweet>.')
    '@th3j35t3r tweeted: “#UPDATE FAROOK”.'
    >>> strip_markup('<tweet tweet-id="661196115484643328"><tweet/>.')
    '.'
    >>> strip_markup("Inflation <b>rose</b> as a<b and c>d predicted.")
    'Inflation rose as a<b and c>d predicted.'
    """
    if "<" not in line:
        return line
    pieces, position = [], 0
    for start, end, new in markup_spans(line):
        pieces += [line[position:start], new]
        position = end
    return "".join(pieces) + line[position:]


_BULLET = re.compile(r"^(?:[-*•▪●◦‣·]\s*)+(?=\S)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|/)[^)\s]*\)")


@lru_cache(maxsize=1)
def _leading_emoji() -> re.Pattern:
    return re.compile(rf"^(?:{_packaged_rules().emoji_class}[\ufe0f\u200d]*\s*)+")


def strip_decorations(line: str) -> str:
    """Remove list bullets, markdown heading marks and links, and decorative leading emoji."""
    line = _MD_HEADING.sub("", line)
    line = _BULLET.sub("", line)
    line = _leading_emoji().sub("", line)
    return _MD_LINK.sub(r"\1", line)


# --- page furniture rules ---------------------------------------------------------------------

#: The longest line (in words) a furniture rule may remove, unless the rules file says
#: ``max_line_words``.
DEFAULT_MAX_LINE_WORDS = 80


@dataclass(frozen=True)
class FurnitureRule:
    category: str
    patterns: tuple[re.Pattern, ...]
    max_words: int | None = None
    unless_sentence: bool = False
    capture: str | None = None


@dataclass(frozen=True)
class FurnitureRules:
    """Parsed ``furniture.yaml``: an ordered list of rules (first match wins)."""

    version: str
    rules: tuple[FurnitureRule, ...]
    emoji_class: str
    source: str
    #: the line classifier run beside the rules (:mod:`framing.clean.lines`); None: rules only
    line_model: object | None = None
    #: no rule removes a line of more words: prose, or a whole article laid out on one line
    #: (a CSV export) that holds a rights notice or a widget's label
    max_line_words: int = DEFAULT_MAX_LINE_WORDS

    def match(self, line: str, bare: str) -> tuple[str, str | None, str | None] | None:
        """Return ``(category, capture_column, captured_value)`` if ``line`` is furniture.

        ``bare`` is the line with bullets removed; emoji rules look at the undecorated ``line``.
        """
        words = len(bare.split())
        if words > self.max_line_words:
            return None
        for rule in self.rules:
            for pattern in rule.patterns:
                found = pattern.search(line) or pattern.search(bare)
                if not found:
                    continue
                if rule.max_words is not None and words > rule.max_words:
                    if not (rule.unless_sentence and not _ends_like_sentence(bare)):
                        continue
                value = found.groupdict().get("value") if rule.capture else None
                return rule.category, rule.capture, value
        return None


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$|[\"”]$")


def _ends_like_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line.strip()))


#: Rules that remove nothing (``keep_furniture=True``, ``--keep-furniture``).
NO_FURNITURE = FurnitureRules("none", (), "[\U0001F000-\U0001FAFF]", "none: furniture kept")


def load_furniture_rules(path: str | Path | None = None,
                         line_model: bool = True) -> FurnitureRules:
    """Load page-furniture rules from YAML (default: the packaged ``data/furniture.yaml``),
    with the packaged line model beside them unless ``line_model`` is False."""
    if path is None:
        rules = _packaged_rules()
    else:
        rules = _parse_rules(Path(path).read_text(encoding="utf-8"), str(path))
    if line_model:
        from .lines import load_line_model

        rules = replace(rules, line_model=load_line_model())
    return rules


@lru_cache(maxsize=1)
def _packaged_rules() -> FurnitureRules:
    text = resources.files("framing").joinpath("data/furniture.yaml").read_text(encoding="utf-8")
    return _parse_rules(text, "framing/data/furniture.yaml")


def _parse_rules(text: str, source: str) -> FurnitureRules:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise LexiconError(f"invalid YAML{line}: {getattr(exc, 'problem', exc)}", path=source) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise LexiconError("expected a mapping with a 'rules' list", path=source)
    emoji = data.get("emoji_class", "[\U0001F000-\U0001FAFF]")
    rules = []
    for number, raw in enumerate(data["rules"], start=1):
        if not isinstance(raw, dict) or "category" not in raw or not raw.get("patterns"):
            raise LexiconError(f"rule {number} needs 'category' and a non-empty 'patterns' list",
                               path=source)
        compiled = []
        for pattern in raw["patterns"]:
            try:
                compiled.append(re.compile(str(pattern).replace("{EMOJI}", emoji), re.IGNORECASE))
            except re.error as exc:
                raise LexiconError(f"rule {number} ({raw['category']}): bad pattern {pattern!r}: {exc}",
                                   path=source) from exc
        rules.append(FurnitureRule(str(raw["category"]), tuple(compiled), raw.get("max_words"),
                                   bool(raw.get("unless_sentence", False)), raw.get("capture")))
    longest = data.get("max_line_words", DEFAULT_MAX_LINE_WORDS)
    if not isinstance(longest, int) or isinstance(longest, bool) or longest < 1:
        raise LexiconError(f"max_line_words must be a positive whole number, not {longest!r}",
                           path=source)
    return FurnitureRules(str(data.get("version", "0")), tuple(rules), emoji, source,
                          max_line_words=longest)


# --- the pipeline -----------------------------------------------------------------------------

@dataclass
class CleanResult:
    """What :func:`clean_text` returns.

    Attributes
    ----------
    text : str
        Cleaned text: one paragraph per block, blocks separated by a blank line.
    tracked : TrackedText
        ``text`` with its map back to raw offsets.
    paragraphs : list of (start, end, heading_hint)
        Paragraph spans in ``text``; ``heading_hint`` is True for markdown headings.
    log : list of dict
        One row per change: ``step``, ``category``, ``raw_start``, ``raw_end``, ``before``, ``after``.
    metadata : dict
        Values captured from furniture (e.g. ``stated_source``).
    """

    text: str
    tracked: TrackedText
    paragraphs: list[tuple[int, int, bool]]
    log: list[dict] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)


_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_WORD = re.compile(r"\w+")

#: Paragraphs with fewer words than this are never dropped as duplicates ("Yes.", "* * *").
MIN_DUPLICATE_WORDS = 3


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Detect text wrapped at a fixed width (paragraphs = blocks separated by blank lines).

    Wrapped lines have nearly the same length (the wrap width, at most 100 characters) and mostly
    do not end a sentence; page text with one paragraph per line does not look like that.
    """
    followed = [line for i, line in enumerate(lines[:-1]) if line.strip() and lines[i + 1].strip()]
    if len(followed) < 3:
        return False
    lengths = sorted(len(line) for line in followed)
    width = lengths[int(0.95 * (len(lengths) - 1))]
    if not 30 <= width <= 100:
        return False
    near_width = sum(len(line) >= 0.7 * width for line in followed)
    unpunctuated = sum(not _ends_like_sentence(line) for line in followed)
    return near_width >= 0.75 * len(followed) and unpunctuated >= 0.5 * len(followed)


def _regex_edits(tracked: TrackedText, pattern: re.Pattern, repl: str) -> TrackedText:
    spans = [(m.start(), m.end(), repl) for m in pattern.finditer(tracked.text)]
    return tracked.replace(spans) if spans else tracked


def line_key(line: str) -> str:
    """A line's words, case-folded: how repeated paragraphs and boilerplate are recognised."""
    return " ".join(_WORD.findall(line.casefold()))


def _line_model_furniture(model, lines: list[str]) -> dict[int, float]:
    """Line number -> probability of article text, for the lines ``model`` removes."""
    if model is None:
        return {}
    numbers = [n for n, line in enumerate(lines) if line.strip()]
    return {numbers[k]: p for k, p in model.furniture([lines[n] for n in numbers])}


def clean_text(raw: str, rules: FurnitureRules | None = None,
               repeated: frozenset[str] = frozenset()) -> CleanResult:
    """Clean one article's raw text and report every change.

    Parameters
    ----------
    raw : str
        The decoded file content.
    rules : FurnitureRules, optional
        Page-furniture rules (default: the packaged ones).
    repeated : set of str
        :func:`line_key` of lines found in many articles of the same outlet (boilerplate,
        :func:`framing.corpus.repeated_lines`): removed as furniture, category
        ``repeated_line``.

    Lines that neither the rules nor ``repeated`` name go to ``rules.line_model`` (the page
    furniture classifier, :mod:`framing.clean.lines`); the lines it removes are logged with
    category ``line_model`` and the probability it gave them of being article text.
    """
    rules = rules or load_furniture_rules()
    log: list[dict] = []
    metadata: dict = {}
    tracked = _regex_edits(TrackedText(raw), _NEWLINES, "\n")

    # each step: tracked text -> (tracked text, edits); a line step's edits come from a diff
    # of each changed line, strip_markup's from its spans (each tag removed whole, one edit)
    def by_line(step):
        return lambda tracked: tracked.apply_by_line(step)

    steps = [("repair_mojibake", by_line(repair_mojibake)),
             ("strip_markup", lambda tracked: tracked.edit(markup_spans(tracked.text)))]
    if needs_lossy_quote_repair(tracked.text):
        steps.append(("repair_lossy_quotes", by_line(repair_lossy_quotes)))
    steps += [("normalize_quotes", by_line(normalize_quotes)),
              ("normalize_whitespace", by_line(normalize_whitespace))]
    for name, step in steps:
        tracked, edits = step(tracked)
        log += [dict(step=name, category=name, raw_start=e.raw_start, raw_end=e.raw_end,
                     before=e.before, after=e.after) for e in edits]

    lines = tracked.lines()
    if _is_hard_wrapped(lines):
        joins = []
        offset = 0
        for i, line in enumerate(lines[:-1]):
            offset += len(line)
            if line.strip() and lines[i + 1].strip():
                joins.append((offset, offset + 1, " "))
            offset += 1
        tracked = tracked.replace(joins)
        log.append(dict(step="unwrap_lines", category="hard_wrapped", raw_start=0, raw_end=len(raw),
                        before=f"{len(joins)} line breaks", after="joined into paragraphs"))
        lines = tracked.lines()

    # Line-level decisions: furniture, duplicates, blanks. Markdown headings are noted first.
    drop: set[int] = set()
    headings: set[int] = set()
    seen: dict[str, int] = {}
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    classified = _line_model_furniture(rules.line_model, lines)
    for number, line in enumerate(lines):
        if not line.strip():
            drop.add(number)
            continue
        bare = _BULLET.sub("", line)
        found = rules.match(line, bare)
        raw_lo, raw_hi = tracked.raw_span(offsets[number], offsets[number] + len(line))
        if found:
            category, column, value = found
            drop.add(number)
            if column and value and column not in metadata:
                metadata[column] = value.strip()
            log.append(dict(step="remove_furniture", category=category, raw_start=raw_lo,
                            raw_end=raw_hi, before=line, after=""))
            continue
        key = line_key(line)
        if key and key in repeated:
            drop.add(number)
            log.append(dict(step="remove_furniture", category="repeated_line", raw_start=raw_lo,
                            raw_end=raw_hi, before=line, after="(in many of the outlet's articles)"))
            continue
        if len(key.split()) >= MIN_DUPLICATE_WORDS and key in seen:
            drop.add(number)
            log.append(dict(step="remove_duplicates", category="duplicate_paragraph",
                            raw_start=raw_lo, raw_end=raw_hi, before=line,
                            after=f"(same as paragraph at raw offset {seen[key]})"))
            continue
        if number in classified:
            drop.add(number)
            log.append(dict(step="remove_furniture", category="line_model", raw_start=raw_lo,
                            raw_end=raw_hi, before=line,
                            after=f"(line model: article text with probability "
                                  f"{classified[number]:.2f})"))
            continue
        seen.setdefault(key, raw_lo)
        if _MD_HEADING.match(line):
            headings.add(number)

    kept = [n for n in range(len(lines)) if n not in drop]
    tracked = tracked.drop_lines(drop)
    tracked, edits = tracked.apply_by_line(strip_decorations)
    log += [dict(step="strip_decorations", category="decoration", raw_start=e.raw_start,
                 raw_end=e.raw_end, before=e.before, after=e.after) for e in edits]

    # Lines that became empty after stripping decorations (a bare bullet) go too.
    lines = tracked.lines()
    empty = {i for i, line in enumerate(lines) if not line.strip()}
    tracked = tracked.drop_lines(empty)
    heading_flags = [kept[i] in headings for i in range(len(lines)) if i not in empty]

    # Paragraphs are separated by one blank line in the cleaned text.
    tracked = _regex_edits(tracked, re.compile(r"\n"), "\n\n")
    paragraphs, start = [], 0
    for flag, line in zip(heading_flags, tracked.text.split("\n\n")):
        paragraphs.append((start, start + len(line), flag))
        start += len(line) + 2
    if not tracked.text:
        paragraphs = []
    return CleanResult(tracked.text, tracked, paragraphs, log, metadata)
