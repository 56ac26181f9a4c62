"""framing: how do these outlets tell the same story differently?

Load news articles with :func:`load_corpus`; every later step works on its tidy tables.
"""

from .clean import clean_text
from .errors import ConfigurationError, FramingError, InputError, LexiconError
from .pipeline import Corpus, load_corpus

__version__ = "0.1.0"

__all__ = [
    "ConfigurationError",
    "Corpus",
    "FramingError",
    "InputError",
    "LexiconError",
    "__version__",
    "clean_text",
    "load_corpus",
]
