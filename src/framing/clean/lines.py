"""The page-furniture line model: which lines of a copied web page are not the article.

A reader who copies a whole page gets menus, sign-up boxes, captions, comment threads and lists
of other stories around the article. Like jusText and boilerpipe, this model decides line by
line from what a line looks like (length, stop-word density, sentence punctuation, capitals,
digits, link-like and interface words) and from where it stands (how prose-like its neighbours
are, whether it lies between the first and last prose lines, whether a comment section or a
list of other stories has begun above it). Two logistic regressions do it:

1. the first scores each line from those features (:func:`line_features`);
2. the second rescores it from the same features and the first's scores of its neighbours
   (:func:`context_features`: context smoothing, as jusText's second pass), so a short line
   inside prose is kept and a prose-like comment after the article is not.

A line is furniture when the second's probability that it belongs to the article is under the
model's threshold. Documents of fewer than ``min_lines`` lines are not classified (a wire story
pasted as one paragraph has no page around it), nor is their first line (the headline).

The model is a JSON file (scaler means and scales, coefficients, threshold, the sha256 of the
cues it was trained with), shipped as package data, re-created by ``framing train --model
lines`` on ``extraction/`` of a folder laid out like ``../shared/validation``, and loaded into
scikit-learn pipelines (:attr:`LineModel.estimators`); nothing is pickled. docs/cleaning.md
says how it was trained, how well it does (cross-validated) and where it fails.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..errors import ConfigurationError, LexiconError

__all__ = ["CONTEXT_FEATURES", "LINE_FEATURES", "LineCues", "LineModel", "context_features",
           "line_features", "load_line_cues", "load_line_model", "page_line_words",
           "removed_lines"]

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’')\]]*$|[\"”]$")
_INNER_END = re.compile(r"[.!?] [A-Z“\"]")
_URL = re.compile(r"https?:|www\.|\.com\b|//")
_SEPARATOR = re.compile(r" [|–—-] |»|›")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: Lines that open a comment section or a list of stories have at most this many words.
MARKER_WORDS = 8
#: The document's most frequent words stand in for stop words in any language.
DOCUMENT_STOP_WORDS = 30
#: A "prose" line: this many words or more, ending like a sentence, with stop words.
PROSE_WORDS = 12

#: The names of :func:`line_features`' columns, in order.
LINE_FEATURES = (
    "log_words", "log_chars", "cjk_share", "words_1", "words_2_3", "words_4_9", "words_10_19",
    "words_20_up", "stop_share", "ends_sentence", "inner_sentence_end", "capitalised_share",
    "digit_share", "punctuation_share", "log_interface_words", "interface_share", "url_like",
    "title_separator", "has_comma", "mean_word_length", "prose", "has_year", "ends_with_colon",
    "document_stop_share", "after_comment_marker", "after_related_marker", "commenter_stamp",
    *(f"{name}_{w}" for w in (1, 3, 10) for name in ("prose_near", "log_words_near", "stop_near")),
    "between_prose", "log_lines_to_prose", "words_before", "words_after", "position",
    "short_between_prose", "sentence_between_prose", "first_line",
)
#: The names of :func:`context_features`' columns, in order (after :data:`LINE_FEATURES`).
CONTEXT_FEATURES = ("logit", "logit_near_1", "logit_near_2", "logit_near_5", "logit_near_15",
                    "in_best_run", "log_lines_to_best_run", "neighbours_both", "document_kept")


@dataclass(frozen=True)
class LineCues:
    """Parsed ``data/line_cues.yaml``: the interface vocabulary and section markers."""

    version: str
    interface_words: frozenset[str]
    comment_markers: re.Pattern
    related_markers: re.Pattern
    commenter: re.Pattern
    page_title: re.Pattern
    sha256: str


@lru_cache(maxsize=1)
def load_line_cues() -> LineCues:
    text = resources.files("framing").joinpath("data/line_cues.yaml").read_text(encoding="utf-8")
    origin = "framing/data/line_cues.yaml"
    try:
        data = yaml.safe_load(text)
        patterns = {name: re.compile(data[name], re.IGNORECASE)
                    for name in ("comment_markers", "related_markers", "commenter", "page_title")}
        return LineCues(str(data["version"]), frozenset(map(str, data["interface_words"])),
                        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), **patterns)
    except (yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise LexiconError(f"not a line-cue file ({exc})", path=origin) from exc


def page_line_words(line: str) -> list[str]:
    """The words of a line as the model counts them (also how training measures its text)."""
    return _WORD.findall(line)


def _local(line: str, words: list[str], cues: LineCues) -> list[float]:
    lower = [w.lower() for w in words]
    n, chars = len(words), max(1, len(line))
    stop = sum(w in ENGLISH_STOP_WORDS for w in lower) / n if n else 0.0
    interface = sum(w in cues.interface_words for w in lower)
    ends = bool(_SENTENCE_END.search(line))
    return [
        math.log1p(n), math.log1p(len(line)), sum(ord(ch) > 0x2E80 for ch in line) / chars,
        n <= 1, 2 <= n <= 3, 4 <= n <= 9, 10 <= n <= 19, n >= 20, stop, ends,
        bool(_INNER_END.search(line)), sum(w[0].isupper() for w in words) / n if n else 0.0,
        sum(ch.isdigit() for ch in line) / chars,
        sum(not ch.isalnum() and not ch.isspace() for ch in line) / chars,
        math.log1p(interface), interface / n if n else 0.0, bool(_URL.search(line)),
        bool(_SEPARATOR.search(line)), "," in line,
        (sum(map(len, words)) / n if n else 0.0) / 10, 0.0, bool(_YEAR.search(line)),
        line.endswith(":"),
    ]


_PROSE = LINE_FEATURES.index("prose")
_LOG_WORDS = LINE_FEATURES.index("log_words")
_STOP = LINE_FEATURES.index("stop_share")
_ENDS = LINE_FEATURES.index("ends_sentence")


def line_features(lines: list[str], cues: LineCues | None = None) -> np.ndarray:
    """One row of :data:`LINE_FEATURES` per line (lines stripped, none empty). Linear in the
    number of lines: neighbourhoods are read from prefix sums."""
    cues = cues or load_line_cues()
    n = len(lines)
    if not n:
        return np.zeros((0, len(LINE_FEATURES)))
    words = [page_line_words(line) for line in lines]
    counts = Counter(w.lower() for ws in words for w in ws)
    frequent = {w for w, _ in counts.most_common(DOCUMENT_STOP_WORDS)}
    rows, comments, related = [], 0.0, 0.0
    for line, ws in zip(lines, words):
        row = _local(line, ws, cues)
        lower = [w.lower() for w in ws]
        document_stop = sum(w in frequent for w in lower) / len(ws) if ws else 0.0
        stamp = bool(cues.commenter.search(line))
        row[_PROSE] = float(len(ws) >= PROSE_WORDS and row[_ENDS]
                            and (row[_STOP] >= 0.25 or document_stop >= 0.3))
        row += [document_stop, comments, related, stamp]
        if len(ws) <= MARKER_WORDS and cues.comment_markers.search(line):
            comments = 1.0
        if stamp:
            comments = 1.0
        if len(ws) <= MARKER_WORDS and cues.related_markers.search(line):
            related = 1.0
        rows.append(row)
    local = np.array(rows, dtype=float)
    prose, log_words, stop = local[:, _PROSE], local[:, _LOG_WORDS], local[:, _STOP]
    n_words = np.array([len(ws) for ws in words], dtype=float)

    def prefix(values: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(values)])

    index = np.arange(n)
    near = []
    for width in (1, 3, 10):
        lo, hi = np.maximum(0, index - width), np.minimum(n, index + width + 1)
        others = np.maximum(1, hi - lo - 1)
        for values in (prose, log_words, stop):
            sums = prefix(values)
            near.append((sums[hi] - sums[lo] - values) / others)
    prose_lines = np.flatnonzero(prose)
    if len(prose_lines):
        first, last = prose_lines[0], prose_lines[-1]
        # lines to the nearest prose line, looking both ways
        before = np.maximum.accumulate(np.where(prose > 0, index, -n))
        after = np.minimum.accumulate(np.where(prose > 0, index, 2 * n)[::-1])[::-1]
        distance = np.log1p(np.minimum(index - before, after - index))
    else:
        first, last = n, -1
        distance = np.full(n, 5.0)
    between = (index >= first) & (index <= last)
    cumulative = prefix(n_words)
    total = max(1.0, cumulative[-1])
    context = np.column_stack([
        *near, between, distance, cumulative[:-1] / total, (total - cumulative[1:]) / total,
        index / max(1, n - 1), between & (log_words < math.log1p(4)), between & (local[:, _ENDS] > 0),
        index == 0,
    ])
    return np.hstack([local, context.astype(float)])


def _best_run(probability: np.ndarray, words: np.ndarray) -> tuple[int, int]:
    """The run of lines with the largest sum of ``words * (p - 0.5)`` (the densest stretch of
    article text; Kadane's maximum subarray, linear)."""
    best, best_start, best_end, current, start = -math.inf, 0, -1, 0.0, 0
    for i, value in enumerate(words * (probability - 0.5)):
        if current <= 0:
            current, start = value, i
        else:
            current += value
        if current > best:
            best, best_start, best_end = current, start, i
    return best_start, best_end


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def context_features(probability: np.ndarray, words: np.ndarray) -> np.ndarray:
    """One row of :data:`CONTEXT_FEATURES` per line of one document, from the first model's
    probabilities and the lines' word counts."""
    n = len(probability)
    if not n:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    logit = _logit(probability)
    sums = np.concatenate([[0.0], np.cumsum(logit)])
    index = np.arange(n)
    columns = [logit]
    for width in (1, 2, 5, 15):
        lo, hi = np.maximum(0, index - width), np.minimum(n, index + width + 1)
        columns.append((sums[hi] - sums[lo] - logit) / np.maximum(1, hi - lo - 1))
    start, end = _best_run(probability, words)
    columns += [((index >= start) & (index <= end)).astype(float),
                np.log1p(np.maximum(0, np.maximum(start - index, index - end))),
                probability[np.maximum(0, index - 1)] * probability[np.minimum(n - 1, index + 1)],
                np.full(n, float((probability >= 0.5).mean()))]
    return np.column_stack(columns)


def removed_lines(lines: list[str], probability, threshold: float, min_lines: int) -> list[int]:
    """The lines removed at ``threshold`` given each line's probability of article text: none
    in a document of fewer than ``min_lines`` lines, and not the first line (the headline)
    unless it ends in a site's name (a page title, ``page_title`` of the cues). The one rule,
    used by :meth:`LineModel.furniture` and by training's threshold search."""
    if len(lines) < min_lines:
        return []
    first = 0 if load_line_cues().page_title.search(lines[0]) else 1
    return [i for i in range(first, len(lines)) if probability[i] < threshold]


@dataclass(frozen=True)
class LineModel:
    """Two standardised logistic regressions over line features; see the module docstring.

    ``stages`` holds, for each, ``mean``, ``scale``, ``coef`` and ``intercept`` (lists)."""

    version: str
    threshold: float
    min_lines: int
    cues_sha256: str
    stages: tuple[dict, dict]
    training: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def label(self) -> str:
        return f"lines-model@{self.version}"

    @cached_property
    def estimators(self):
        """The two stages as fitted scikit-learn pipelines (``StandardScaler`` then
        ``LogisticRegression``) built from the file."""
        from sklearn.pipeline import Pipeline

        from ..io.models import logistic_regression, standard_scaler

        pipelines = []
        for stage in self.stages:
            pipelines.append(Pipeline([
                ("scale", standard_scaler(stage["mean"], stage["scale"])),
                ("model", logistic_regression(stage["coef"], stage["intercept"]))]))
        return tuple(pipelines)

    def probabilities(self, lines: list[str]) -> np.ndarray:
        """The probability that each line (stripped, none empty) belongs to the article."""
        if not lines:
            return np.zeros(0)
        first, second = self.estimators
        features = line_features(lines)
        words = np.array([len(page_line_words(line)) for line in lines], dtype=float)
        p1 = first.predict_proba(features)[:, 1]
        return second.predict_proba(np.hstack([features, context_features(p1, words)]))[:, 1]

    def furniture(self, lines: list[str]) -> list[tuple[int, float]]:
        """``(line index, probability)`` of each line the model removes: none in a document of
        fewer than ``min_lines`` lines, and not the first line (the headline) unless it ends in
        a site's name (a page title, ``page_title`` of the cues)."""
        if len(lines) < self.min_lines:
            return []
        probability = self.probabilities(lines)
        return [(i, float(probability[i]))
                for i in removed_lines(lines, probability, self.threshold, self.min_lines)]

    def to_json(self) -> str:
        """The file format; rounded so that training is byte-reproducible."""
        def rounded(values):
            return [round(float(v), 8) for v in values]

        stages = [{"mean": rounded(s["mean"]), "scale": rounded(s["scale"]),
                   "coef": rounded(s["coef"]), "intercept": round(float(s["intercept"]), 8)}
                  for s in self.stages]
        return json.dumps({
            "name": "lines", "version": self.version, "threshold": self.threshold,
            "min_lines": self.min_lines, "cues_sha256": self.cues_sha256,
            "features": [list(LINE_FEATURES), list(LINE_FEATURES + CONTEXT_FEATURES)],
            "training": self.training, "stages": stages,
        }, indent=1, ensure_ascii=False) + "\n"


def line_model_from_json(text: str, origin: str) -> LineModel:
    try:
        data = json.loads(text)
        stages = tuple({"mean": s["mean"], "scale": s["scale"], "coef": s["coef"],
                        "intercept": float(s["intercept"])} for s in data["stages"])
        if [len(s["coef"]) for s in stages] != [len(LINE_FEATURES),
                                                 len(LINE_FEATURES) + len(CONTEXT_FEATURES)]:
            raise ValueError("its features are not this version's")
        model = LineModel(str(data["version"]), float(data["threshold"]), int(data["min_lines"]),
                          str(data["cues_sha256"]), stages, data.get("training", {}),
                          hashlib.sha256(text.encode("utf-8")).hexdigest())
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"not a framing line model ({exc})", path=origin,
                                 hint="re-create it with `framing train --model lines`") from exc
    if model.cues_sha256 != load_line_cues().sha256:
        raise ConfigurationError("the line model was trained with other line cues",
                                 path=origin, hint="re-create it with `framing train --model "
                                                   "lines` after changing data/line_cues.yaml")
    return model


@lru_cache(maxsize=None)
def load_line_model(path: str | None = None) -> LineModel:
    """The packaged line model, or a file written by ``framing train --model lines``."""
    if path is not None:
        return line_model_from_json(Path(path).read_text(encoding="utf-8"), path)
    resource = resources.files("framing").joinpath("data/models/lines.json")
    return line_model_from_json(resource.read_text(encoding="utf-8"),
                                "framing/data/models/lines.json")
