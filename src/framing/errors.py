"""Errors raised by framing, and the registry of their codes.

Every error says which file (or option) is at fault and what to do about it. The CLI turns a
:class:`FramingError` into a one-line message and a non-zero exit code instead of a traceback.
Every code, of an error or of a problem row (one input skipped or flagged), is defined once in
:data:`REGISTRY` with its meaning and a general hint; ``docs/errors.md`` is generated from it
(``framing.errors.errors_markdown()``, checked by a test).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REGISTRY", "ConfigurationError", "ErrorCode", "FramingError", "InputError",
           "LexiconError", "OutputError", "errors_markdown"]


@dataclass(frozen=True)
class ErrorCode:
    """One code: ``kind`` is ``error`` (the command stops, exit 2), ``problem`` (one input is
    skipped, listed in ``problems``) or ``warning`` (the input is used and flagged)."""

    code: str
    kind: str
    meaning: str
    hint: str


_CODES = [
    # errors: the command stops (exit 2)
    ErrorCode("E-FRAMING", "error", "an error without a more specific code", "read the message"),
    ErrorCode("E-INPUT", "error", "an input cannot be used as given",
              "check the path and the format"),
    ErrorCode("E-CONFIG", "error", "options contradict each other or name something that does "
              "not exist", "see the command's --help"),
    ErrorCode("E-LEXICON", "error", "a lexicon, targets or furniture rules file is malformed",
              "see docs/lexicons.md"),
    ErrorCode("E-EXTRA", "error", "an optional dependency is missing",
              "install the extra the message names"),
    ErrorCode("E-NO-ARTICLES", "error", "no article could be read, so there is nothing to "
              "measure", "fix the problems listed, or check that the input holds articles"),
    ErrorCode("E-OUTPUT", "error", "the output folder or file cannot be written",
              "choose a folder you can write to"),
    ErrorCode("E-OUTPUT-INPUT", "error", "the output is, contains or lies inside an input",
              "write the output to a folder of its own"),
    ErrorCode("E-EXISTS", "error", "the output folder is not empty",
              "pass --force to replace what framing wrote there"),
    ErrorCode("E-NOT-FRAMING", "error", "--force on a folder framing did not write",
              "choose a new or empty output folder"),
    ErrorCode("E-BUSY", "error", "another framing run is writing the output folder",
              "wait for it, or choose another --out"),
    ErrorCode("E-OS", "error", "the operating system refused (disk full, permissions)",
              "read the message; free space or fix permissions"),
    ErrorCode("E-NAME-LEFT", "error", "the classroom worksheet would still name an outlet "
              "(text that escaped the masking)", "report it; hide more names with --hide NAME"),
    ErrorCode("E-INTERNAL", "error", "a bug in framing (exit 70)",
              "run again with FRAMING_DEBUG=1 and report the traceback"),
    # problems: one input is skipped (an error with --strict)
    ErrorCode("E-EMPTY", "problem", "an empty file, text cell or table",
              "remove it or add the article text"),
    ErrorCode("E-BINARY", "problem", "a binary file (NUL bytes or many control characters)",
              "only plain text can be read; convert it first"),
    ErrorCode("E-DECODE", "problem", "not valid UTF-8 and no encoding fits, or a broken "
              "byte-order mark", "save the file as UTF-8"),
    ErrorCode("E-TOO-LARGE", "problem", "over the size limit (--max-bytes, 5,000,000)",
              "raise --max-bytes if it is really one article"),
    ErrorCode("E-MISSING", "problem", "a file the manifest names (or the path given) does not "
              "exist", "add the file or fix the path"),
    ErrorCode("E-UNLISTED", "problem", "a file or row that is not in the manifest",
              "add a manifest row for it"),
    ErrorCode("E-ESCAPE", "problem", "a path or link that leads outside the corpus folder",
              "keep articles inside the corpus folder"),
    ErrorCode("E-DUPLICATE-ID", "problem", "two articles with one id (the first is kept)",
              "give each article a unique id"),
    ErrorCode("E-MANIFEST", "problem", "a manifest row without a file name or id",
              "fill the cell"),
    ErrorCode("E-FORMAT", "problem", "a broken CSV record or JSONL line, or a file in the wrong "
              "format", "fix the line the message names"),
    ErrorCode("E-READ", "problem", "a file that cannot be read (permissions, a symlink loop)",
              "check the file"),
    ErrorCode("E-UNSUPPORTED", "problem", "a file framing cannot read as text (.html, .pdf...)",
              "save the article text as .txt"),
    # warnings: the input is used and flagged
    ErrorCode("W-ENCODING", "warning", "decoded with a detected encoding other than UTF-8",
              "check a few sentences; save as UTF-8 to silence this"),
    ErrorCode("W-FILENAME", "warning", "a manifest names a file that is missing, and one "
              "unlisted file matches its name (cut short, case, Unicode form, spaces)",
              "write the file's full name in the manifest"),
    ErrorCode("W-MARKUP", "warning", "the text looks like an HTML page", "give the article "
              "text only"),
    ErrorCode("W-LANGUAGE", "warning", "the article is not English: English measures skip it",
              "check the article or its manifest"),
    ErrorCode("W-OUTLET", "warning", "no outlet column: the outlets were taken from the one "
              "column that can hold them (or are all 'unknown')",
              "name the outlet column with --outlet-column"),
    ErrorCode("W-TOO-SHORT", "warning", "fewer than 20 words of body text: measured, left out "
              "of comparisons", "check the article (a headline or a stub?)"),
]
#: Every code framing uses, defined once.
REGISTRY: dict[str, ErrorCode] = {c.code: c for c in _CODES}


def check_code(code: str) -> str:
    """``code`` if it is registered; a ValueError (a bug in framing) otherwise."""
    if code not in REGISTRY:
        raise ValueError(f"unregistered error code {code!r}: add it to framing.errors.REGISTRY")
    return code


class FramingError(Exception):
    """Base class of all errors raised on purpose by framing.

    Parameters
    ----------
    message : str
        What went wrong, in plain words.
    path : str, optional
        The file the problem is in, if any.
    hint : str, optional
        What the user can do about it (default: the code's hint in :data:`REGISTRY`).
    code : str
        A registered code (e.g. ``"E-EMPTY"``) that tests and users can match on; by default
        the class's own.
    """

    code = "E-FRAMING"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None,
                 code: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        if code is not None:
            self.code = code
        check_code(self.code)
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class InputError(FramingError):
    """A corpus file, table or manifest cannot be read or is inconsistent."""

    code = "E-INPUT"


class LexiconError(FramingError):
    """A lexicon or rules file is malformed."""

    code = "E-LEXICON"


class ConfigurationError(FramingError):
    """Options that contradict each other or name something that does not exist."""

    code = "E-CONFIG"


class OutputError(FramingError):
    """The output cannot be written where it was asked for (``--out``, ``--output``)."""

    code = "E-OUTPUT"


def errors_markdown() -> str:
    """docs/errors.md: every code with its kind, meaning and hint."""
    lines = ["# Error and problem codes", "",
             "Generated from `framing.errors.REGISTRY` by `framing.errors.errors_markdown()`; "
             "a test checks that this page matches it.", "",
             "- **error**: the command stops with `Error [CODE]: file: problem (hint)`, exit 2 "
             "(`E-INTERNAL`: exit 70).",
             "- **problem**: one input is skipped and listed in `problems` (with `--strict`, the "
             "command stops at the first one).",
             "- **warning**: the input is used and listed in `problems`.", "",
             "| code | kind | meaning | what to do |", "|---|---|---|---|"]
    lines += [f"| `{c.code}` | {c.kind} | {c.meaning} | {c.hint} |" for c in _CODES]
    return "\n".join(lines) + "\n"
