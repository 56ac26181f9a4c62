"""Learned cue models: a logistic regression over the context of candidate cue words.

The lexicons and the codebook's rules decide what *can* be a cue; a small linear model, trained on
human annotations, decides in context whether a candidate *is* one (docs/models.md):

- ``hedge`` (trained on FactBank): looks at every hedge the lexicon and rules accept and drops
  those that annotators would not call uncertain ("would" in "said it would close", "expected" as
  scheduled). It never adds a hedge the lexicon does not know.
- ``attribution`` (trained on PolNeAR train): looks at words that PolNeAR annotators often marked
  as attribution cues (beliefs and intentions as in PARC: "wants", "hopes", "asked", "endorsed")
  and adds those the rules missed. Cues the rules accept are always kept.

A model is a JSON file of feature weights, shipped as package data and regenerated, byte for byte,
by ``framing train --data DIR``. Scoring needs no scikit-learn: it sums the weights of the
features present. Every accepted cue is a span in the ``matches`` table, so a learned decision is
as traceable as a lexicon one.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from ..errors import ConfigurationError

__all__ = ["CueModel", "MODEL_NAMES", "Token", "context_features", "has_quote_mark", "load_model",
           "tokenize"]

#: Packaged models, by name.
MODEL_NAMES = ("hedge", "attribution")

_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[“”\"‘’:;,!?()—-]")
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
_QUOTES = frozenset("“”\"‘’")


class Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


def tokenize(sentence: str) -> list[Token]:
    """Words (with inner apostrophes, dots and hyphens) and punctuation marks, with offsets."""
    return [Token(m.start(), m.end(), text, text.lower())
            for m in _TOKEN.finditer(sentence) for text in (m.group(0),)]


def _shape(token: Token | None) -> str:
    if token is None:
        return "none"
    text = token.text
    if text in _QUOTES:
        return "quote"
    if not text[0].isalnum():
        return "punct"
    if text.lower() in _PRONOUNS:
        return "pronoun"
    if text[0].isupper():
        return "cap"
    if text[0].isdigit():
        return "digit"
    return "lower"


def has_quote_mark(tokens: list[Token]) -> bool:
    """Whether the sentence has a quotation mark (a feature of every candidate in it)."""
    return any(t.text in _QUOTES for t in tokens)


def context_features(tokens: list[Token], first: int, last: int, rule: str = "",
                     quoted: bool | None = None) -> list[str]:
    """Features of the candidate spanning ``tokens[first:last + 1]`` in its sentence.

    ``rule`` names what the rules said about it ("" when the rules did not see it); ``quoted``
    is :func:`has_quote_mark` of the tokens (computed when not given).
    """
    def word(i: int) -> str:
        return tokens[i].lower if 0 <= i < len(tokens) else ("<s>" if i < 0 else "</s>")

    term = " ".join(t.lower for t in tokens[first:last + 1])
    p1, p2, n1, n2 = word(first - 1), word(first - 2), word(last + 1), word(last + 2)
    before = tokens[max(0, first - 4):first]
    after = tokens[last + 1:last + 5]
    quote = has_quote_mark(tokens) if quoted is None else quoted
    features = [
        "bias", f"term={term}", f"suffix={term[-3:]}", f"rule={rule}", f"term|rule={term}|{rule}",
        f"p1={p1}", f"p2={p2}", f"n1={n1}", f"n2={n2}", f"p1|term={p1}|{term}",
        f"term|n1={term}|{n1}", f"p1shape={_shape(tokens[first - 1] if first else None)}",
        f"n1shape={_shape(tokens[last + 1] if last + 1 < len(tokens) else None)}",
        f"quote_in_sentence={quote}", f"term|quote={term}|{quote}",
        f"position={min(first, 6)}", f"at_end={last + 2 >= len(tokens)}",
    ]
    features += [f"before_shape={_shape(t)}" for t in before]
    features += [f"after={t.lower}" for t in after if not t.text[0].isalnum() or t.lower in
                 ("that", "to", "the", "a", "it", "he", "she", "they", "by", "for", "on")]
    return features


@dataclass(frozen=True)
class CueModel:
    """A linear model over :func:`context_features`; see the module docstring."""

    name: str
    version: str
    weights: dict[str, float]
    threshold: float
    candidates: frozenset[str]
    training: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}-model@{self.version}"

    def probability(self, features: list[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def accepts(self, features: list[str]) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self) -> str:
        """The file format; sorted and rounded so that training is byte-reproducible."""
        return json.dumps({
            "name": self.name, "version": self.version, "threshold": self.threshold,
            "candidates": sorted(self.candidates), "training": self.training,
            "weights": {k: self.weights[k] for k in sorted(self.weights)},
        }, indent=0, ensure_ascii=False, sort_keys=False) + "\n"


def model_from_json(text: str, origin: str) -> CueModel:
    try:
        data = json.loads(text)
        return CueModel(name=data["name"], version=str(data["version"]),
                        weights={k: float(v) for k, v in data["weights"].items()},
                        threshold=float(data["threshold"]), candidates=frozenset(data["candidates"]),
                        training=data.get("training", {}),
                        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigurationError(f"not a framing cue model ({exc})", path=origin,
                                 hint="re-create it with `framing train --data DIR`") from exc


@lru_cache(maxsize=None)
def load_model(name: str, path: str | None = None) -> CueModel:
    """A packaged model by name, or a model file written by ``framing train``."""
    if path is not None:
        return model_from_json(Path(path).read_text(encoding="utf-8"), path)
    if name not in MODEL_NAMES:
        raise ConfigurationError(f"unknown cue model {name!r}", hint=f"one of {MODEL_NAMES}")
    resource = resources.files("framing").joinpath(f"data/models/{name}.json")
    return model_from_json(resource.read_text(encoding="utf-8"), f"framing/data/models/{name}.json")
