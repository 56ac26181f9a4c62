"""Errors raised by framing.

Every error says which file (or option) is at fault and what to do about it. The CLI turns a
:class:`FramingError` into a one-line message and a non-zero exit code instead of a traceback.
"""

from __future__ import annotations

__all__ = ["FramingError", "InputError", "LexiconError", "ConfigurationError"]


class FramingError(Exception):
    """Base class of all errors raised on purpose by framing.

    Parameters
    ----------
    message : str
        What went wrong, in plain words.
    path : str, optional
        The file the problem is in, if any.
    hint : str, optional
        What the user can do about it.
    code : str
        A short stable code (e.g. ``"E-EMPTY"``) that tests and users can match on.
    """

    code = "E-FRAMING"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None,
                 code: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.hint = hint
        if code is not None:
            self.code = code
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
