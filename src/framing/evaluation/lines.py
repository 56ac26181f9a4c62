"""Training and cross-validating the page-furniture line model (:mod:`framing.clean.lines`).

The data is ``extraction/`` of a folder laid out like ``../shared/validation``: real web pages
as plain text (``pagetext.jsonl``, everything a reader who copies the page gets) with the article
body a person marked (``gold.jsonl``). A line is labelled *article* when at least half of its
word 4-grams are in the body (lines of under four words: when its words occur in the body in that
order); the labels are clear-cut (docs/cleaning.md).

Training is deterministic (lbfgs, pages in file order, folds by page without shuffling, rounded
numbers), so the same data gives a byte-identical model file. The threshold is not typed in: it
is the largest whose out-of-fold recall of article text reaches :data:`RECALL_GOAL`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..clean.lines import (CONTEXT_FEATURES, LINE_FEATURES, LineModel, context_features,
                           line_features, load_line_cues, page_line_words, removed_lines)
from .data import read_jsonl

__all__ = ["FOLDS", "MIN_LINES", "RECALL_GOAL", "Page", "line_weights", "cross_validate_line_model",
           "extraction_pages", "fit_line_model", "line_labels", "shingle_prf"]

LINE_MODEL_VERSION = "1.0"
#: Out-of-fold recall of article text the threshold must keep. The target is 0.95 after all of
#: cleaning; the duplicate-paragraph and table rules after the model cost about 0.007 more.
RECALL_GOAL = 0.965
#: The threshold is searched between these, to two decimals.
THRESHOLD_RANGE = (0.01, 0.5)
#: Documents of fewer lines are left alone (a pasted article without a page around it).
MIN_LINES = 5
#: Folds by page, for the context stage's training scores, the threshold and the figures.
FOLDS = 5
#: Regularisation (inverse strength) of both stages. Lines are weighted by their words and
#: each page weighs the same (mean weight 1): the score is a mean over pages of word shingles.
C = 1.0

_WORD = re.compile(r"\w+")


def shingle_prf(predicted: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """Precision, recall and F1 of the word ``n``-gram shingles (counted) of ``predicted``
    against ``gold``: the measure of the article-extraction benchmark."""
    def shingles(text: str) -> Counter:
        words = _WORD.findall(text.lower())
        return Counter(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))

    p, g = shingles(predicted), shingles(gold)
    common = sum((p & g).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(g.values()) if g else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall)
                               if precision + recall else 0.0)


@dataclass(frozen=True)
class Page:
    page_id: str
    text: str  # the page as plain text
    body: str  # the article body a person marked
    lines: tuple[str, ...]  # its non-empty lines, stripped
    labels: tuple[bool, ...]  # whether each line is article text


def _key(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def line_labels(lines, body: str) -> list[bool]:
    """Whether each line is article text (see the module docstring)."""
    words = _key(body)
    shingles = {tuple(words[i:i + 4]) for i in range(len(words) - 3)}
    joined = f" {' '.join(words)} "
    labels = []
    for line in lines:
        ws = _key(line)
        if len(ws) >= 4:
            own = [tuple(ws[i:i + 4]) for i in range(len(ws) - 3)]
            labels.append(sum(s in shingles for s in own) >= 0.5 * len(own))
        else:
            labels.append(f" {' '.join(ws)} " in joined)
    return labels


def page_lines(text: str) -> list[str]:
    """A page's lines as the model sees them: stripped, without empty ones."""
    return [s for s in (line.strip() for line in text.splitlines()) if s]


def extraction_pages(data: str | Path) -> list[Page]:
    folder = Path(data) / "extraction"
    gold = read_jsonl(folder / "gold.jsonl")
    text = {row["id"]: row["text"] for row in read_jsonl(folder / "pagetext.jsonl")}
    pages = []
    for row in gold:
        if row["id"] not in text:
            continue
        lines = page_lines(text[row["id"]])
        pages.append(Page(row["id"], text[row["id"]], row["body"], tuple(lines),
                          tuple(line_labels(lines, row["body"]))))
    return pages


def _estimator():
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))


def _fit(x, y, weights):
    return _estimator().fit(x, y, logisticregression__sample_weight=weights)


def line_weights(pages: list[Page]) -> np.ndarray:
    """Each line's words (at least 1) over its page's, scaled to a mean of 1."""
    per_page = []
    for page in pages:
        words = np.array([max(1, len(page_line_words(line))) for line in page.lines], float)
        per_page.append(words / words.sum())
    weights = np.concatenate(per_page)
    return weights * (len(weights) / weights.sum())


def _stage(pipeline) -> dict:
    scaler, model = pipeline[0], pipeline[-1]
    return {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
            "coef": model.coef_[0].tolist(), "intercept": float(model.intercept_[0])}


def _kept_text(lines, probability, threshold: float) -> str:
    """The lines :meth:`LineModel.furniture` would keep at ``threshold``."""
    removed = set(removed_lines(lines, probability, threshold, MIN_LINES))
    return "\n".join(line for i, line in enumerate(lines) if i not in removed)


def _context(pages: list[Page], features: list[np.ndarray], p1: np.ndarray) -> np.ndarray:
    rows, at = [], 0
    for page, x in zip(pages, features):
        words = np.array([len(page_line_words(line)) for line in page.lines], dtype=float)
        rows.append(np.hstack([x, context_features(p1[at:at + len(x)], words)]))
        at += len(x)
    return np.vstack(rows)


def _out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray,
                 weights: np.ndarray) -> np.ndarray:
    probability = np.zeros(len(y))
    for train, test in GroupKFold(FOLDS).split(x, y, groups):
        probability[test] = _fit(x[train], y[train], weights[train]).predict_proba(x[test])[:, 1]
    return probability


def _threshold(pages: list[Page], probability: np.ndarray) -> float:
    """The largest threshold (two decimals) whose mean page recall of article text, with these
    out-of-fold probabilities, reaches :data:`RECALL_GOAL` (recall falls as it rises: bisection)."""
    spans, at = [], 0
    for page in pages:
        spans.append((at, at + len(page.lines)))
        at += len(page.lines)

    def recall(threshold: float) -> float:
        return float(np.mean([shingle_prf(_kept_text(page.lines, probability[a:b], threshold),
                                          page.body)[1]
                              for page, (a, b) in zip(pages, spans)]))

    lo, hi = (round(t * 100) for t in THRESHOLD_RANGE)
    if recall(lo / 100) < RECALL_GOAL:
        return lo / 100
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if recall(mid / 100) >= RECALL_GOAL else (lo, mid)
    return lo / 100


def fit_line_model(pages: list[Page]) -> LineModel:
    """Fit both stages on ``pages`` and choose the threshold from out-of-fold scores."""
    features = [line_features(list(page.lines)) for page in pages]
    x = np.vstack(features)
    y = np.concatenate([page.labels for page in pages]).astype(int)
    groups = np.concatenate([[k] * len(page.lines) for k, page in enumerate(pages)])
    weights = line_weights(pages)
    first = _fit(x, y, weights)
    # the context stage learns from first-stage scores of pages the first stage did not see,
    # as it will meet them on new pages
    z = _context(pages, features, _out_of_fold(x, y, groups, weights))
    second = _fit(z, y, weights)
    threshold = _threshold(pages, _out_of_fold(z, y, groups, weights))
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.text.encode("utf-8"))
        digest.update(page.body.encode("utf-8"))
    return LineModel(LINE_MODEL_VERSION, threshold, MIN_LINES, load_line_cues().sha256,
                     (_stage(first), _stage(second)), training={
                         "data": "article-extraction benchmark pages (extraction/gold.jsonl, "
                                 "pagetext.jsonl)",
                         "pages": len(pages), "lines": int(len(y)), "article_lines": int(y.sum()),
                         "data_sha256": digest.hexdigest(), "C": C, "folds": FOLDS,
                         "recall_goal": RECALL_GOAL,
                         "features": len(LINE_FEATURES) + len(CONTEXT_FEATURES)})


def train_line_model(data: str | Path) -> LineModel:
    return fit_line_model(extraction_pages(data))


def cross_validate_line_model(data: str | Path, clean) -> dict:
    """Shingle precision, recall and F1 (means over pages) of the page text cleaned with a
    line model trained without the page's fold, for each fold and over all pages.

    ``clean(text, model) -> str`` is the cleaning to score (the whole of ``clean_text``)."""
    pages = extraction_pages(data)
    groups = np.arange(len(pages))
    scores: list[tuple[float, float, float]] = [()] * len(pages)
    thresholds = []
    for train, test in GroupKFold(FOLDS).split(groups, groups, groups):
        model = fit_line_model([pages[k] for k in train])
        thresholds.append(model.threshold)
        for k in test:
            scores[k] = shingle_prf(clean(pages[k].text, model), pages[k].body)
    mean = np.mean(scores, axis=0)
    return {"pages": len(pages), "folds": FOLDS, "thresholds": [float(t) for t in thresholds],
            "precision": float(mean[0]), "recall": float(mean[1]), "f1": float(mean[2]),
            "per_page": scores}
