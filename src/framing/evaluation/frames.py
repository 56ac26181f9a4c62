"""Training a frame of your own (``framing train-frame``): docs/frames.md.

Reads labelled sentences (a CSV, TSV or JSONL file with a text and a label column, or the
classroom's answer sheets with the ``items.csv`` of their worksheet), fits a scikit-learn
pipeline (word and word-pair TF-IDF, logistic regression with balanced class weights),
cross-validates it (stratified folds, seeded) and returns a
:class:`~framing.measures.frames.FrameModel` with the cross-validated F1 and Cohen's kappa,
their 95% bootstrap intervals and the most informative words. Deterministic: the same file and
options give the same model file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..compare.statistics import percentile_interval
from ..errors import ConfigurationError, InputError
from ..io.readers import read_table
from ..io.tables import restore_csv_cell
from ..measures.frames import FrameModel, frame_model_from_json

__all__ = ["MIN_PER_CLASS", "bootstrap_interval", "f1_interval", "frame_report_markdown",
           "read_labelled", "train_frame"]

#: Fewer sentences of either class cannot be cross-validated into a useful figure.
MIN_PER_CLASS = 10
C = 1.0
MIN_DF = 2
TOP_FEATURES = 15
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f", ""}


def _answers(frame: pd.DataFrame, items: Path | None, label: str, path: Path
             ) -> tuple[list[str], list[bool]]:
    """Classroom answer sheets (student, item, label, value): an item is positive when most
    students who coded it ticked it; its text comes from the worksheet's items.csv."""
    if items is None:
        raise ConfigurationError("answer sheets name items, not sentences",
                                 path=str(path), hint="give the worksheet's items.csv with "
                                                      "--items (written by framing classroom)")
    texts = read_table(items)
    if not {"item", "text"} <= set(texts.columns):
        raise InputError("items.csv needs item and text columns", path=str(items))
    coded = frame[(frame["label"] == label) & (frame["student"].astype(str) != "framing")]
    if coded.empty:
        raise ConfigurationError(f"no answers for the label {label!r}", path=str(path),
                                 hint=f"labels present: {sorted(set(frame['label']))}")
    votes = coded.assign(tick=coded["value"].astype(str).str.strip().isin(_TRUE)) \
        .groupby("item")["tick"].mean()
    # items.csv was written with formula-like cells quoted: read them back as they were
    text = texts.set_index("item")["text"].map(restore_csv_cell)
    missing = sorted(set(votes.index) - set(text.index))
    if missing:
        raise InputError(f"items without text in items.csv: {missing[:5]}", path=str(items))
    order = [i for i in text.index if i in votes.index]  # the worksheet's order
    return [str(text[i]) for i in order], [bool(votes[i] > 0.5) for i in order]


def read_labelled(path: str | Path, *, text_column: str = "text", label_column: str = "label",
                  positive: str | None = None, items: str | Path | None = None,
                  group_column: str | None = None
                  ) -> tuple[list[str], list[bool], list[str] | None]:
    """Sentences, their labels and (with ``group_column``) their groups. A label is positive
    when it equals ``positive``, or (without it) when it reads as true (1, true, yes); with
    ``positive`` unset the labels must read as true or false. Rows without text are left
    out."""
    path = Path(path)
    frame = read_table(path)
    if {"student", "item", "label", "value"} <= set(frame.columns):
        return (*_answers(frame, Path(items) if items else None, label_column, path), None)
    for column in (text_column, label_column) + ((group_column,) if group_column else ()):
        if column not in frame.columns:
            raise ConfigurationError(f"no column {column!r}", path=str(path),
                                     hint=f"columns: {list(frame.columns)[:10]}; name them with "
                                          "--text-column and --label-column")
    frame = frame[frame[text_column].astype(str).str.strip() != ""]
    labels = frame[label_column].astype(str).str.strip()
    if positive is not None:
        flags = labels == str(positive)
    else:
        lowered = labels.str.lower()
        unknown = sorted(set(lowered) - _TRUE - _FALSE)
        if unknown:
            raise ConfigurationError(f"labels that are not true or false: {unknown[:5]}",
                                     path=str(path),
                                     hint="name the positive value with --positive VALUE")
        flags = lowered.isin(_TRUE)
    groups = frame[group_column].astype(str).tolist() if group_column else None
    return frame[text_column].astype(str).tolist(), flags.tolist(), groups


def _pipeline(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=MIN_DF)),
        ("model", LogisticRegression(C=C, class_weight="balanced", solver="liblinear",
                                     random_state=seed, max_iter=1000)),
    ])


def bootstrap_interval(y: np.ndarray, predicted: np.ndarray, metric, n_boot: int = 1000,
                       seed: int = 0) -> list:
    """The 95% percentile bootstrap interval of ``metric(y, predicted)`` over items resampled
    with replacement (resamples with one class of ``y`` skipped; NaNs when none is left)."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(y), len(y))
        if len(set(y[pick])) < 2:
            continue
        values.append(metric(y[pick], predicted[pick]))
    return [float(v) for v in percentile_interval(np.asarray(values, dtype=float))]


def f1_interval(y, predicted, n_boot: int = 1000, seed: int = 0) -> list:
    """:func:`bootstrap_interval` of scikit-learn's F1 (zero when there is no true positive),
    the same resamples counted all at once: what the gold tables give for each F1."""
    y, predicted = np.asarray(y, dtype=bool), np.asarray(predicted, dtype=bool)
    pick = np.random.default_rng(seed).integers(0, len(y), (n_boot, len(y)))
    truth, said = y[pick], predicted[pick]
    both = truth.any(axis=1) & ~truth.all(axis=1)  # resamples with one class are skipped
    tp = (truth & said).sum(axis=1)
    counted = truth.sum(axis=1) + said.sum(axis=1)  # 2 tp + fp + fn
    return [float(v) for v in percentile_interval((2 * tp / np.maximum(counted, 1))[both])]


def train_frame(texts: list[str], labels: list[bool], *, name: str, label: str | None = None,
                groups: list[str] | None = None, folds: int = 5, seed: int = 0,
                n_boot: int = 1000, source: str = "") -> FrameModel:
    """Fit, cross-validate and package a frame model (see the module docstring). With
    ``groups`` (each sentence's article, say) no group is split across folds, so the figures
    say how the model does on articles it has not seen."""
    from sklearn.metrics import (cohen_kappa_score, f1_score, precision_score,
                                 recall_score)
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

    if not re.match(r"^[a-z][a-z0-9_]{0,40}$", name):
        raise ConfigurationError(f"bad frame name {name!r}",
                                 hint="lower-case letters, digits and _, starting with a letter")
    y = np.asarray(labels, dtype=bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if min(positives, negatives) < max(MIN_PER_CLASS, folds):
        raise ConfigurationError(
            f"{positives} positive and {negatives} negative sentences: at least "
            f"{max(MIN_PER_CLASS, folds)} of each are needed to train and cross-validate",
            hint="label more sentences")
    if groups is None:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    else:
        splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(_pipeline(seed), texts, y, cv=splitter,
                                  groups=groups).astype(bool)
    kappa = lambda a, b: cohen_kappa_score(a, b)  # noqa: E731
    f1 = lambda a, b: f1_score(a, b, zero_division=0)  # noqa: E731
    evaluation = {
        "folds": folds, "seed": seed, "sentences": int(len(y)), "positives": positives,
        "grouped": groups is not None,
        "f1": float(f1(y, predicted)),
        "f1_interval": bootstrap_interval(y, predicted, f1, n_boot, seed),
        "kappa": float(kappa(y, predicted)),
        "kappa_interval": bootstrap_interval(y, predicted, kappa, n_boot, seed),
        "precision": float(precision_score(y, predicted, zero_division=0)),
        "recall": float(recall_score(y, predicted, zero_division=0)),
    }
    fitted = _pipeline(seed).fit(texts, y)
    vectorizer, model = fitted.named_steps["tfidf"], fitted.named_steps["model"]
    terms = vectorizer.get_feature_names_out()
    coef = model.coef_[0]
    order = np.argsort(coef)
    evaluation["top_features"] = {
        "framed": [[str(terms[k]), round(float(coef[k]), 3)] for k in order[::-1][:TOP_FEATURES]],
        "not_framed": [[str(terms[k]), round(float(coef[k]), 3)] for k in order[:TOP_FEATURES]],
    }
    draft = FrameModel(name, label or name.replace("_", " "),
                       {str(t): k for k, t in enumerate(terms)},
                       tuple(float(v) for v in vectorizer.idf_), tuple(float(v) for v in coef),
                       float(model.intercept_[0]), 0.5, (1, 2),
                       {"source": source, "pipeline": "TfidfVectorizer(ngram_range=(1, 2), "
                        f"sublinear_tf=True, min_df={MIN_DF}) + LogisticRegression(C={C}, "
                        "class_weight='balanced')", "cross_validated": evaluation})
    # the stored (rounded) numbers are the model: read them back so it is what a file gives
    return frame_model_from_json(draft.to_json(), f"{name} (trained)")


def frame_report_markdown(model: FrameModel) -> str:
    """The cross-validated figures and the most informative words, as Markdown."""
    e = model.training["cross_validated"]
    lines = [f"# Frame model `{model.name}`: {model.label}", "",
             f"Trained on {e['sentences']} sentences ({e['positives']} framed) from "
             f"`{model.training.get('source', '')}`; {model.training['pipeline']}.", "",
             f"Cross-validated ({e['folds']} stratified folds"
             f"{', no group split across folds' if e.get('grouped') else ''}, seed {e['seed']}; "
             "95% bootstrap intervals over sentences):", "",
             "| figure | value | 95% interval |", "|---|---|---|",
             f"| F1 | {e['f1']:.3f} | {e['f1_interval'][0]:.3f} to {e['f1_interval'][1]:.3f} |",
             f"| Cohen's kappa | {e['kappa']:.3f} | {e['kappa_interval'][0]:.3f} to "
             f"{e['kappa_interval'][1]:.3f} |",
             f"| precision | {e['precision']:.3f} | |", f"| recall | {e['recall']:.3f} | |", "",
             "Most informative words and word pairs (logistic regression weights):", "",
             "| framed | weight | not framed | weight |", "|---|---|---|---|"]
    for (a, wa), (b, wb) in zip(e["top_features"]["framed"], e["top_features"]["not_framed"]):
        lines.append(f"| {a} | {wa:+.3f} | {b} | {wb:+.3f} |")
    return "\n".join(lines) + "\n"


def ptc_sentences(data: str | Path, technique: str) -> pd.DataFrame:
    """The sentences of PTC train (``framing/ptc_train.jsonl``) with ``label`` true where a
    span of ``technique`` ("Doubt", "Loaded_Language"...) overlaps the sentence: a public
    labelled set for trying ``framing train-frame``."""
    from ..segment import segment_article
    from .data import read_jsonl

    rows = []
    for doc in read_jsonl(Path(data) / "framing" / "ptc_train.jsonl"):
        text = doc["text"]
        spans = [(s["start"], s["end"]) for s in doc["spans"] if s["technique"] == technique]
        frame = segment_article(str(doc["article_id"]), text)
        for start, end in zip(frame["start"].tolist(), frame["end"].tolist()):
            sentence = " ".join(text[start:end].split())
            if len(sentence.split()) >= 3:
                rows.append((str(doc["article_id"]), sentence,
                             any(a < end and start < b for a, b in spans)))
    return pd.DataFrame(rows, columns=["article_id", "text", "label"])
