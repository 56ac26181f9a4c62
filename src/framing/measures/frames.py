"""Frames of your own: a sentence classifier trained by ``framing train-frame``, used as a
measure (docs/frames.md).

A :class:`FrameModel` is a scikit-learn pipeline, word and word-pair TF-IDF then logistic
regression, stored as JSON (vocabulary, idf weights, coefficients, threshold, how it was
trained and how well it did): never pickled. :func:`register_frame_model` adds it to the
measure registry like any packaged measure, so it flows through every stage:

- a sentence column ``frame_<name>`` (True, False, or empty where the sentence was not measured);
- an article measure ``frame_<name>_share`` (share of the article's sentences), in the articles
  table, the comparison, the heatmap and the report;
- one row per framed sentence in the matches table (measure ``frame``, category ``<name>``, the
  model's probability and the words that add most to it as the term, ``p=0.83: raises
  questions, unclear``, the model's label as the version), so the report highlights the
  sentence and says on which words the model decided.

A frame model registered in a Python session stays registered; an analysis made without it
leaves its columns empty (and its share "n/a"), never zero.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import ConfigurationError
from . import registry

__all__ = ["FRAME_MEASURE", "FrameModel", "frame_column", "load_frame_model",
           "register_frame_model"]

#: The ``measure`` of a frame model's rows in the matches table.
FRAME_MEASURE = "frame"
FORMAT = "framing-frame-model"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def frame_column(name: str) -> str:
    return f"frame_{name}"


@dataclass(frozen=True)
class FrameModel:
    """A trained frame classifier (see the module docstring)."""

    name: str
    label: str
    vocabulary: dict[str, int]
    idf: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    ngram_range: tuple[int, int] = (1, 2)
    training: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def version_label(self) -> str:
        return f"frame-{self.name}@{self.sha256[:12]}"

    @cached_property
    def pipeline(self):
        """The fitted scikit-learn pipeline (``TfidfVectorizer`` then ``LogisticRegression``)
        built from the stored numbers."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import Pipeline

        from ..io.models import logistic_regression

        vectorizer = TfidfVectorizer(ngram_range=tuple(self.ngram_range), sublinear_tf=True,
                                     vocabulary=self.vocabulary)
        vectorizer.idf_ = np.asarray(self.idf, dtype=float)
        model = logistic_regression(self.coef, self.intercept)
        return Pipeline([("tfidf", vectorizer), ("model", model)])

    def probabilities(self, sentences: list[str]) -> np.ndarray:
        """The probability that each sentence is framed this way."""
        if not sentences:
            return np.zeros(0)
        return self.pipeline.predict_proba(sentences)[:, 1]

    @cached_property
    def _terms(self) -> list[str]:
        terms = [""] * len(self.vocabulary)
        for term, index in self.vocabulary.items():
            terms[index] = term
        return terms

    def evidence(self, sentences: list[str], top: int = 3) -> list[tuple[float, list[str]]]:
        """For each sentence, its probability and the words or word pairs that add most to it
        (TF-IDF weight times coefficient, largest first, only those that add; at most ``top``):
        what a reader checks the model's decision against."""
        if not sentences:
            return []
        x = self.pipeline.named_steps["tfidf"].transform(sentences).tocsr()
        probabilities = self.pipeline.named_steps["model"].predict_proba(x)[:, 1]
        coef = np.asarray(self.coef)
        out = []
        for row, probability in enumerate(probabilities):
            indices = x.indices[x.indptr[row]:x.indptr[row + 1]]
            contributions = x.data[x.indptr[row]:x.indptr[row + 1]] * coef[indices]
            order = sorted(range(len(indices)), key=lambda k: (-contributions[k],
                                                                self._terms[indices[k]]))
            out.append((float(probability), [self._terms[indices[k]] for k in order[:top]
                                             if contributions[k] > 0]))
        return out

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "name": self.name, "label": self.label,
            "threshold": self.threshold, "ngram_range": list(self.ngram_range),
            "training": self.training, "intercept": round(self.intercept, 6),
            "vocabulary": sorted(self.vocabulary, key=self.vocabulary.get),
            "idf": [round(v, 6) for v in self.idf], "coef": [round(v, 6) for v in self.coef],
        }, ensure_ascii=False, indent=0) + "\n"


def frame_model_from_json(text: str, origin: str) -> FrameModel:
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, not {FORMAT!r}")
        terms = list(data["vocabulary"])
        if not (len(terms) == len(data["idf"]) == len(data["coef"])):
            raise ValueError("vocabulary, idf and coef differ in length")
        if not _NAME.match(str(data["name"])):
            raise ValueError(f"bad frame name {data['name']!r}")
        return FrameModel(str(data["name"]), str(data["label"]),
                          {t: k for k, t in enumerate(terms)},
                          tuple(float(v) for v in data["idf"]),
                          tuple(float(v) for v in data["coef"]), float(data["intercept"]),
                          float(data["threshold"]), tuple(data.get("ngram_range", (1, 2))),
                          dict(data.get("training", {})),
                          hashlib.sha256(text.encode("utf-8")).hexdigest())
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"not a frame model ({exc})", path=origin,
                                 hint="create one with `framing train-frame LABELLED.csv`") from exc


def load_frame_model(path: str | Path) -> FrameModel:
    """A frame model file written by ``framing train-frame``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the frame model ({exc})", path=str(path)) from exc
    return frame_model_from_json(text, str(path))


def register_frame_model(model: FrameModel) -> None:
    """Add the model's sentence column, units, article measure and family to the registry."""
    name, column = model.name, frame_column(model.name)
    registry.register_sentence_column(column, None)
    registry.register_unit(column, lambda c: c.sentences[column].map(
        lambda v: float(bool(v)) if v is not None and v == v else 0.0).to_numpy())
    registry.register_unit(column + "_measured", lambda c: c.sentences[column].map(
        lambda v: 0.0 if v is None or v != v else 1.0).to_numpy())
    registry.register_measure(
        column + "_share", f"Share of sentences framed as {model.label} (your model)",
        lambda s: np.where(s[column + "_measured"] > 0,
                           s[column] / np.maximum(s[column + "_measured"], 1), np.nan))

    def family(article_id, text, sentences, config):
        starts, ends = list(sentences["start"]), list(sentences["end"])
        found = getattr(config, "frame_models", {}).get(name)
        if found is None:
            return {column: [None] * len(starts)}, []
        texts = [text[s:e] for s, e in zip(starts, ends)]
        flags = [bool(p >= found.threshold) for p in found.probabilities(texts)]
        framed = [k for k, flag in enumerate(flags) if flag]  # their evidence, for the report
        evidence = found.evidence([texts[k] for k in framed])
        indices = list(sentences["sentence_index"])
        matches = [(article_id, indices[k], starts[k], ends[k], FRAME_MEASURE, name,
                    f"p={p:.2f}: {', '.join(words)}" if words else f"p={p:.2f}",
                    found.version_label) for k, (p, words) in zip(framed, evidence)]
        return {column: flags}, matches

    registry.register_family(f"frame:{name}", family)
