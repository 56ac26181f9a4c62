"""Training the learned cue models (``framing train``); see docs/models.md.

The training data (FactBank, PolNeAR) may not be redistributed, so the package ships the trained
weights and this module re-creates them from a folder laid out like ``../shared/validation``.
Training is deterministic (liblinear, fixed order, rounded weights): the same data gives a
byte-identical model file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from ..errors import InputError
from . import TRAINABLE
from ..lexicons import Lexicon, load_lexicons
from ..measures.attribution import Intervals, attribute_article, closed_quotes, learned_candidates
from ..measures.cue_model import CueModel, context_features, tokenize
from ..measures.stance import span_tokens, stance_spans
from ..segment import paragraph_spans, quote_spans, segment_article

__all__ = ["CONDITIONAL_TYPES", "attribution_instances", "fit", "hedge_instances", "read_jsonl",
           "train_models"]

MODEL_VERSION = "1.0"
#: FactBank cue types that the codebook counts as conditions, not hedges.
CONDITIONAL_TYPES = ("condition", "investigation")
#: Regularisation (inverse strength) and decision threshold, chosen once on the training data.
C = 0.5
THRESHOLD = 0.5
#: A word becomes an attribution candidate when PolNeAR annotators marked it as a cue at least
#: this often, and in at least this share of its occurrences.
MIN_CUE_COUNT = 3
MIN_CUE_RATE = 0.05
MIN_FEATURE_COUNT = 2


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise InputError("validation file not found", path=str(path),
                         hint="--data must be laid out like ../shared/validation")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def overlaps(a: tuple[int, int], spans) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


# --- instances --------------------------------------------------------------------------------

def hedge_gold(row: dict) -> list[tuple[int, int]]:
    """FactBank uncertainty cues that the codebook calls hedges (conditionals left out)."""
    return [(c["start"], c["end"]) for c in row["cues"]
            if not any(t in c["type"] for t in CONDITIONAL_TYPES)]


def hedge_instances(rows: list[dict], lexicon: Lexicon):
    """One instance per hedge the rules accept: (row index, span, features, label)."""
    out = []
    for r, row in enumerate(rows):
        text, gold = row["text"], hedge_gold(row)
        tokens = tokenize(text)
        for span in stance_spans(text, lexicon):
            if span.measure != "hedge":
                continue
            features = context_features(tokens, *span_tokens(tokens, span), span.category)
            out.append((r, span, features, overlaps((span.start, span.end), gold)))
    return out


def document_sentences(doc: dict) -> list[tuple[int, int]]:
    frame = segment_article(doc["doc_id"], doc["text"])
    return list(zip(frame["start"].tolist(), frame["end"].tolist()))


def attribution_cues(doc: dict) -> list[tuple[int, int]]:
    return [tuple(p) for a in doc["attributions"] for p in a.get("cue", {}).get("pieces", [])]


def attribution_vocabulary(docs: list[dict]) -> frozenset[str]:
    """Words PolNeAR annotators marked as cues often enough to be worth a look."""
    as_cue, seen = Counter(), Counter()
    for doc in docs:
        text, cues = doc["text"], attribution_cues(doc)
        for token in tokenize(text):
            seen[token.lower] += 1
            if overlaps((token.start, token.end), cues):
                as_cue[token.lower] += 1
    return frozenset(w for w, n in as_cue.items()
                     if n >= MIN_CUE_COUNT and n / seen[w] >= MIN_CUE_RATE)


def attribution_instances(docs: list[dict], lexicon: Lexicon, vocabulary: frozenset[str]):
    """One instance per candidate word the rules did not accept: (features, label)."""
    out = []
    for doc in docs:
        text, cues = doc["text"], attribution_cues(doc)
        sentences = document_sentences(doc)
        quotes = quote_spans(text, paragraph_spans(text))
        result = attribute_article(text, sentences, quotes, lexicon)
        rule_cues = [[] for _ in sentences]
        for i, span in result.spans:
            if span.measure == "attribution_cue":
                rule_cues[i].append(span)
        closed = Intervals(closed_quotes(text, quotes))
        for i, (start, end) in enumerate(sentences):
            for tokens, k in learned_candidates(text[start:end], start, rule_cues[i], closed,
                                                vocabulary, lexicon):
                token = tokens[k]
                out.append((context_features(tokens, k, k),
                            overlaps((start + token.start, start + token.end), cues)))
    return out


# --- fitting ----------------------------------------------------------------------------------

def fit(features: list[list[str]], labels: list[bool], c: float = C) -> dict[str, float]:
    """Logistic regression weights by feature name (the ``bias`` feature is the intercept).

    Features seen fewer than ``MIN_FEATURE_COUNT`` times are left out: they cannot be estimated
    and would only make the shipped file larger.
    """
    counts = Counter(f for row in features for f in set(row))
    kept = [{f: 1 for f in row if counts[f] >= MIN_FEATURE_COUNT} for row in features]
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(kept).tocsr()
    # liblinear takes 32-bit indices only; recent scipy builds 64-bit ones.
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)
    model = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, max_iter=1000,
                               random_state=0)
    model.fit(x, np.asarray(labels, dtype=int))
    weights = {}
    for name, weight in zip(vectorizer.get_feature_names_out(), model.coef_[0]):
        rounded = round(float(weight), 4)
        if abs(rounded) >= 0.0005:
            weights[str(name)] = rounded
    return weights


def train_hedge_model(data: Path, lexicon: Lexicon) -> CueModel:
    path = data / "hedging" / "factbank_dev.jsonl"
    instances = hedge_instances(read_jsonl(path), lexicon)
    weights = fit([i[2] for i in instances], [i[3] for i in instances])
    return CueModel("hedge", MODEL_VERSION, weights, THRESHOLD, frozenset(), training={
        "data": "FactBank part of the Szeged Uncertainty Corpus (hedging/factbank_dev.jsonl)",
        "instances": len(instances), "positives": int(sum(i[3] for i in instances)),
        "lexicon": lexicon.label, "C": C})


def train_attribution_model(data: Path, lexicon: Lexicon) -> CueModel:
    docs = read_jsonl(data / "attribution" / "polnear_train.jsonl")
    vocabulary = attribution_vocabulary(docs)
    instances = attribution_instances(docs, lexicon, vocabulary)
    weights = fit([i[0] for i in instances], [i[1] for i in instances])
    return CueModel("attribution", MODEL_VERSION, weights, THRESHOLD, vocabulary, training={
        "data": "PolNeAR train split (attribution/polnear_train.jsonl)",
        "instances": len(instances), "positives": int(sum(i[1] for i in instances)),
        "lexicon": lexicon.label, "C": C, "min_cue_count": MIN_CUE_COUNT,
        "min_cue_rate": MIN_CUE_RATE})


def train_models(data: str | Path, names=TRAINABLE) -> dict:
    """Train the named models from a folder laid out like ``../shared/validation``."""
    from .lines import train_line_model

    data = Path(data)
    lexicons = load_lexicons()
    trainers = {"hedge": lambda: train_hedge_model(data, lexicons["stance"]),
                "attribution": lambda: train_attribution_model(data, lexicons["attribution"]),
                "lines": lambda: train_line_model(data)}
    return {name: trainers[name]() for name in names}
