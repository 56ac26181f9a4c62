"""Learned cue models: a logistic regression over the context of candidate cue words.

The lexicons and the codebook's rules decide what *can* be a cue; a small linear model, trained on
human annotations, decides in context whether a candidate *is* one (docs/models.md):

- ``hedge`` (trained on FactBank): looks at every hedge the lexicon and rules accept and drops
  those that annotators would not call uncertain ("would" in "said it would close", "expected" as
  scheduled). It never adds a hedge the lexicon does not know.
- ``attribution`` (trained on PolNeAR train): looks at words that PolNeAR annotators often marked
  as attribution cues (beliefs and intentions as in PARC: "wants", "hopes", "asked", "endorsed")
  and adds those the rules missed. Cues the rules accept are always kept.
- ``nationalist`` (trained on PTC's Flag-Waving spans and the project's gold sentences): decides
  which mentions of a nation and which in-group words ("our", "the country") the rules left are
  appeals to national identity ("the American people deserve", but not "American officials
  said"); see :mod:`framing.measures.framing_cues`.

A model is a JSON file of feature weights, shipped as package data and regenerated, byte for byte,
by ``framing train --data DIR``, and loaded into a scikit-learn pipeline
(:attr:`CueModel.estimator`: :class:`ContextVectorizer` then ``LogisticRegression``, its
coefficients set from the file; nothing is pickled). The measures score the candidates of a
few articles at once (:data:`framing.measures.CHUNK`) with one ``predict_proba`` per model
(:class:`CandidateBatch`, :meth:`CueModel.accept_many`, :meth:`CueModel.accept_spans`);
:meth:`CueModel.probability`, the logistic of the summed weights of the feature names, is what
training uses, and the pipeline is tested bit-equal to it.
Every accepted cue is a span in the ``matches`` table, so a learned decision is as traceable as
a lexicon one.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from array import array
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from importlib import resources
from operator import is_not
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import ConfigurationError

__all__ = ["CandidateBatch", "ContextVectorizer", "CueModel", "MODEL_NAMES", "Token",
           "context_features", "context_pairs", "feature_name", "feature_pair", "has_quote_mark",
           "load_model", "span_tokens", "tokenize"]

#: Packaged models, by name.
MODEL_NAMES = ("hedge", "attribution", "nationalist")

_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[“”\"‘’:;,!?()—-]")
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
_QUOTES = frozenset("“”\"‘’")


class Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


_not_none = partial(is_not, None)
_new_tuple = tuple.__new__  # builds a Token without the Python-level NamedTuple constructor


@lru_cache(maxsize=128)
def tokenize(sentence: str) -> tuple[Token, ...]:
    """Words (with inner apostrophes, dots and hyphens) and punctuation marks, with offsets.
    Cached: the three models look at the same sentences (a few articles' worth, see
    :data:`framing.measures.CHUNK`)."""
    tokens, position, find = [], 0, sentence.find
    for text in _TOKEN.findall(sentence):
        # Every word character and listed mark starts a token, so the gap before a token holds
        # none of them: the first occurrence of its text from here is where it starts.
        position = find(text, position)
        end = position + len(text)
        tokens.append(_new_tuple(Token, (position, end, text, text.lower())))
        position = end
    return tuple(tokens)


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


def span_tokens(tokens: Sequence[Token], span) -> tuple[int, int]:
    """Indexes of the first and last token a span (anything with ``start`` and ``end``
    offsets in the sentence) covers."""
    inside = [k for k, t in enumerate(tokens) if t.start < span.end and span.start < t.end]
    return (inside[0], inside[-1]) if inside else (0, 0)


def has_quote_mark(tokens: Sequence[Token]) -> bool:
    """Whether the sentence has a quotation mark (a feature of every candidate in it)."""
    return any(t.text in _QUOTES for t in tokens)


_AFTER_WORDS = frozenset(("that", "to", "the", "a", "it", "he", "she", "they", "by", "for", "on"))
_TRUTH = ("False", "True")
_POSITIONS = tuple(str(k) for k in range(7))
_BIAS = ("bias", "")


def context_pairs(tokens: Sequence[Token], first: int, last: int, rule: str = "",
                  quoted: bool | None = None) -> list[tuple[str, str | tuple[str, str]]]:
    """Features of the candidate spanning ``tokens[first:last + 1]`` in its sentence, as
    ``(family, value)`` pairs; a value that combines two others is a tuple. This is the one
    definition of the features: :func:`context_features` names them for training and the model
    file, and :meth:`CueModel.accepts_context` scores the pairs without building those names.

    ``rule`` names what the rules said about it ("" when the rules did not see it); ``quoted``
    is :func:`has_quote_mark` of the tokens (computed when not given).
    """
    n = len(tokens)
    term = tokens[first].lower if first == last else " ".join(t.lower for t in tokens[first:last + 1])
    p1 = tokens[first - 1].lower if first >= 1 else "<s>"
    p2 = tokens[first - 2].lower if first >= 2 else "<s>"
    n1 = tokens[last + 1].lower if last + 1 < n else "</s>"
    n2 = tokens[last + 2].lower if last + 2 < n else "</s>"
    quote = _TRUTH[has_quote_mark(tokens) if quoted is None else quoted]
    pairs = [
        _BIAS, ("term", term), ("suffix", term[-3:]), ("rule", rule), ("term|rule", (term, rule)),
        ("p1", p1), ("p2", p2), ("n1", n1), ("n2", n2), ("p1|term", (p1, term)),
        ("term|n1", (term, n1)), ("p1shape", _shape(tokens[first - 1] if first else None)),
        ("n1shape", _shape(tokens[last + 1] if last + 1 < n else None)),
        ("quote_in_sentence", quote), ("term|quote", (term, quote)),
        ("position", _POSITIONS[min(first, 6)]), ("at_end", _TRUTH[last + 2 >= n]),
    ]
    pairs += [("before_shape", _shape(t)) for t in tokens[max(0, first - 4):first]]
    pairs += [("after", t.lower) for t in tokens[last + 1:last + 5]
              if not t.text[0].isalnum() or t.lower in _AFTER_WORDS]
    return pairs


def feature_name(pair: tuple[str, str | tuple[str, str]]) -> str:
    """``("p1|term", ("he", "wants"))`` -> ``"p1|term=he|wants"``; ``("bias", "")`` -> ``"bias"``."""
    family, value = pair
    if family == "bias":
        return "bias"
    return f"{family}={'|'.join(value) if isinstance(value, tuple) else value}"


def feature_pair(name: str) -> tuple[str, str | tuple[str, str]]:
    """The inverse of :func:`feature_name` (no token contains "|" or "=")."""
    family, _, value = name.partition("=")
    if family == "bias":
        return _BIAS
    return family, (tuple(value.split("|")) if "|" in family else value)


def context_features(tokens: Sequence[Token], first: int, last: int, rule: str = "",
                     quoted: bool | None = None) -> list[str]:
    """The names of :func:`context_pairs` (``"p1=he"``, ``"term|n1=said|that"``...)."""
    return [feature_name(pair) for pair in context_pairs(tokens, first, last, rule, quoted)]


class ContextVectorizer(BaseEstimator, TransformerMixin):
    """A scikit-learn transformer from lists of :func:`context_pairs` to a sparse matrix of
    counts (a pair seen twice counts twice), over a fixed vocabulary (pair -> column); pairs
    outside it are left out, as a ``DictVectorizer`` leaves out unseen features."""

    def __init__(self, vocabulary: dict | None = None):
        self.vocabulary = vocabulary

    def fit(self, rows, y=None) -> "ContextVectorizer":
        vocabulary = self.vocabulary
        if vocabulary is None:
            vocabulary = {}
            for row in rows:
                for pair in row:
                    vocabulary.setdefault(pair, len(vocabulary))
        self.vocabulary_ = dict(vocabulary)
        return self

    def columns(self, pairs) -> Iterator[int]:
        """The columns of one row: the vocabulary's columns of its pairs, in their order."""
        return filter(_not_none, map(self.vocabulary_.get, pairs))

    def matrix(self, indices: Sequence[int], indptr: Sequence[int]):
        """The sparse matrix of rows given as CSR ``indices`` (each row's :meth:`columns`) and
        ``indptr`` (where each row starts, and the end)."""
        from scipy.sparse import csr_matrix

        data = np.ones(len(indices))
        return csr_matrix((data, np.asarray(indices, dtype=np.int32),
                           np.asarray(indptr, dtype=np.int32)),
                          shape=(len(indptr) - 1, len(self.vocabulary_)))

    def transform(self, rows):
        indices, indptr = array("i"), array("i", [0])
        for row in rows:
            indices.extend(self.columns(row))
            indptr.append(len(indices))
        return self.matrix(indices, indptr)


class CandidateBatch:
    """Candidates scored together by a :class:`CueModel`'s pipeline. Each candidate's features
    become its row's columns (:meth:`ContextVectorizer.columns`) as it is added, so a batch
    holds integers rather than feature tuples (thousands of those alive at once make Python's
    garbage collector the slowest part of a run); :meth:`accepted` then runs the pipeline's
    classifier once, ``predict_proba`` on the whole matrix."""

    def __init__(self, model: "CueModel"):
        self.model = model
        self._vectorizer = model.estimator.named_steps["features"]
        self._indices, self._indptr = array("i"), array("i", [0])

    def __len__(self) -> int:
        return len(self._indptr) - 1

    def add(self, pairs) -> None:
        """Add a candidate by its :func:`context_pairs`."""
        self._indices.extend(self._vectorizer.columns(pairs))
        self._indptr.append(len(self._indices))

    def probabilities(self) -> np.ndarray:
        if not len(self):
            return np.zeros(0)
        matrix = self._vectorizer.matrix(self._indices, self._indptr)
        return self.model.estimator.named_steps["model"].predict_proba(matrix)[:, 1]

    def accepted(self) -> list[bool]:
        """Whether each candidate, in the order added, is a cue."""
        return (self.probabilities() >= self.model.threshold).tolist()


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

    @cached_property
    def pair_weights(self) -> dict:
        """The weights keyed by :func:`feature_pair` of their names."""
        return {feature_pair(name): weight for name, weight in self.weights.items()}

    @staticmethod
    def _logistic(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def probability(self, features: list[str]) -> float:
        """The probability of a cue given its feature names (:func:`context_features`)."""
        return self._logistic(sum([self.weights.get(f, 0.0) for f in features]))

    def accepts(self, features: list[str]) -> bool:
        return self.probability(features) >= self.threshold

    @cached_property
    def estimator(self):
        """The model as a fitted scikit-learn pipeline (:class:`ContextVectorizer` then
        ``LogisticRegression``), built from the file's weights: the same decision function."""
        from sklearn.pipeline import Pipeline

        from ..io.models import logistic_regression

        pairs = list(self.pair_weights)
        vectorizer = ContextVectorizer({pair: k for k, pair in enumerate(pairs)}).fit([])
        model = logistic_regression([self.pair_weights[pair] for pair in pairs])
        return Pipeline([("features", vectorizer), ("model", model)])

    def accept_many(self, contexts: Iterable[list]) -> list[bool]:
        """Whether each candidate is a cue, from its :func:`context_pairs`, scored together
        (:class:`CandidateBatch`)."""
        batch = CandidateBatch(self)
        for pairs in contexts:
            batch.add(pairs)
        return batch.accepted()

    def accept_spans(self, sentences: Sequence[str], candidates: Sequence[Sequence],
                     rule: Callable[[Any], str]) -> list[list[bool]]:
        """Whether each candidate span (``candidates[i]`` are spans, with ``start`` and ``end``
        offsets, in ``sentences[i]``) is a cue, scored in context and together
        (:meth:`accept_many`). ``rule(span)`` is the candidate's ``rule`` feature."""
        batch = CandidateBatch(self)
        for sentence, spans in zip(sentences, candidates):
            if spans:
                tokens = tokenize(sentence)
                quoted = has_quote_mark(tokens)
                for span in spans:
                    batch.add(context_pairs(tokens, *span_tokens(tokens, span), rule(span), quoted))
        decisions = iter(batch.accepted())
        return [[next(decisions) for _ in spans] for spans in candidates]

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
