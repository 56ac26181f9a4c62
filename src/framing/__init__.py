"""framing: how do these outlets tell the same story differently?

Load news articles with :func:`load_corpus`, measure them with :func:`analyze`, and see the
evidence with :func:`explain`. Every step works on three tidy tables (articles, sentences,
matches).
"""

from .api import Analysis, Explanation, analyze, explain
from .clean import clean_text
from .errors import ConfigurationError, FramingError, InputError, LexiconError, OutputError
from .corpus import Corpus, load_corpus

def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("framing")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0+unknown"


__version__ = _version()

__all__ = [
    "Analysis",
    "ConfigurationError",
    "Corpus",
    "Explanation",
    "FramingError",
    "InputError",
    "LexiconError",
    "OutputError",
    "__version__",
    "analyze",
    "clean_text",
    "explain",
    "load_corpus",
]
