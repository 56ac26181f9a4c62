"""Language identification with py3langid (its model ships inside the wheel: no download)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["MIN_CHARS", "identify_language", "load_identifier"]

#: Texts shorter than this (characters, ignoring spaces) are too short to identify: "und".
MIN_CHARS = 20


@lru_cache(maxsize=1)
def load_identifier():
    """The py3langid identifier, loaded once per process (about 0.5 s: its model is
    decompressed). Worker processes forked after it is loaded share it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str, float]:
    """Return ``(ISO 639-1 code, probability)``; ``("und", 0.0)`` for too-short text.

    >>> identify_language("The government has invested heavily in higher education.")[0]
    'en'
    """
    if sum(not c.isspace() for c in text) < MIN_CHARS:
        return "und", 0.0
    language, probability = load_identifier().classify(text)
    return str(language), round(float(probability), 4)
