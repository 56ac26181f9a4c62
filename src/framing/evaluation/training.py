"""Training the learned cue models (``framing train``); see docs/models.md.

The training data (FactBank, PolNeAR) may not be redistributed, so the package ships the trained
weights and this module re-creates them from a folder laid out like ``../shared/validation``.
Training is deterministic (liblinear, fixed order, rounded weights): the same data gives a
byte-identical model file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from . import TRAINABLE
from .data import load_gold, read_jsonl
from ..lexicons import Lexicon, load_lexicons, term_key, term_templates
from ..measures.attribution import Intervals, attribute_article, closed_quotes, learned_candidates
from ..measures.cue_model import CueModel, context_features, span_tokens, tokenize
from ..measures.stance import stance_spans
from ..segment import paragraph_spans, quote_spans, segment_article

__all__ = ["CONDITIONAL_TYPES", "attribution_instances", "fit", "hedge_instances", "span_prf",
           "train_models"]

MODEL_VERSION = "1.0"
#: 1.1: in-group words ("our", "the country", "national") are candidates too, and the threshold
#: is chosen for recall at a precision (:func:`operating_threshold`), not for F1.
IDENTITY_MODEL_VERSION = "1.1"
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


def overlaps(a: tuple[int, int], spans) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def span_prf(gold: list[list[tuple[int, int]]], predicted: list[list[tuple[int, int]]]) -> dict:
    """Overlap matching, document by document: a predicted span is right if it overlaps a gold
    span (precision), a gold span is found if a prediction overlaps it (recall)."""
    tp_p = sum(overlaps(p, g) for g, ps in zip(gold, predicted) for p in ps)
    n_p = sum(len(ps) for ps in predicted)
    tp_g = sum(overlaps(x, ps) for gs, ps in zip(gold, predicted) for x in gs)
    n_g = sum(len(gs) for gs in gold)
    precision = tp_p / n_p if n_p else float("nan")
    recall = tp_g / n_g if n_g else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n": n_g}


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
                "nationalist": lambda: train_identity_model(data, lexicons["framing"]),
                "lines": lambda: train_line_model(data)}
    return {name: trainers[name]() for name in names}


# --- the national-identity model ---------------------------------------------------------------

#: Regularisation of the identity model; its threshold is chosen by cross-validation over
#: PTC documents (:func:`identity_threshold`).
IDENTITY_C = 0.3
#: The identity model's operating point: Flag-Waving recall is what the model is for (the rules
#: alone find about half), at a precision kept above the 0.30 the project asks of it
#: (docs/validation.md) with a margin for the spread between folds. The threshold is the one
#: with the highest cross-validated recall at this precision (:func:`operating_threshold`).
IDENTITY_MIN_PRECISION = 0.35
#: Thresholds the cross-validation tries.
IDENTITY_THRESHOLDS = (0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25, 0.3)
#: The project's gold sets the identity model learns from (never the out-of-story set, which
#: measures it).
IDENTITY_GOLD = ("seeds", "deepseek", "frame_dev")


def identity_features(sentence: str, lexicon: Lexicon,
                      covered: bool = False) -> tuple[list, list[tuple]]:
    """The rules' spans of a sentence and, for each identity-model candidate, ``(span, features,
    the rules' nationalist spans over it)``; with ``covered``, also the candidate matches a rule
    covers (which the model never sees while that rule is written: see
    :func:`cross_validate_identity_model`)."""
    from ..measures.cue_model import has_quote_mark
    from ..measures.framing_cues import CANDIDATE_RULES, covering, sentence_mentions

    spans, mentions = sentence_mentions(sentence, lexicon)
    rows = [(m, covering(m, spans)) for m in mentions]
    rows = [(m, cover) for m, cover in rows if covered or not cover]
    if not rows:
        return spans, []
    tokens = tokenize(sentence)
    quoted = has_quote_mark(tokens)
    return spans, [(span, context_features(tokens, *span_tokens(tokens, span),
                                           CANDIDATE_RULES[span.category], quoted), cover)
                   for span, cover in rows]


def flag_waving(doc: dict) -> list[tuple[int, int]]:
    """A PTC document's Flag-Waving spans, ``(start, end)``."""
    return [(s["start"], s["end"]) for s in doc["spans"] if s["technique"] == "Flag-Waving"]


def ptc_identity_instances(docs: list[dict], lexicon: Lexicon
                           ) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """PTC candidates, ``(document index, (start, end), features, overlaps a Flag-Waving
    span)``; the rules' nationalist spans, ``(document index, (start, end), sub-label, matched
    term)``; and the candidate matches those spans cover, as candidates followed by the
    ``((start, end), sub-label)`` of the spans over them."""
    out, rules, covered = [], [], []
    for d, doc in enumerate(docs):
        text = doc["text"]
        gold = flag_waving(doc)
        frame = segment_article(doc["article_id"], text)
        for start, end in zip(frame["start"].tolist(), frame["end"].tolist()):
            spans, candidates = identity_features(text[start:end], lexicon, covered=True)
            rules += [(d, (start + s.start, start + s.end), s.category, s.term) for s in spans
                      if s.measure == "nationalist"]
            for span, features, cover in candidates:
                where = (start + span.start, start + span.end)
                row = (d, where, features, overlaps(where, gold))
                if cover:
                    covered.append(row + ([((start + s.start, start + s.end), s.category)
                                           for s in cover],))
                else:
                    out.append(row)
    return out, rules, covered


def gold_identity_instances(rows: list[dict], lexicon: Lexicon) -> list[tuple[list, bool]]:
    """Gold-sentence candidates, labelled with the sentence's nationalist label, from sentences
    the rules do not call nationalist (there, the label says what the mentions are)."""
    out = []
    for row in rows:
        spans, candidates = identity_features(row["text"], lexicon)
        if candidates and not any(s.measure == "nationalist" for s in spans):
            out += [(features, bool(row["labels"]["nationalist"])) for _, features, _ in candidates]
    return out


def identity_training(data: Path, lexicon: Lexicon) -> tuple[list[dict], list[tuple], list,
                                                              list[tuple], list[tuple]]:
    """PTC documents, their candidates, the gold candidates, the rules' PTC spans and the
    candidate matches those spans cover (:func:`ptc_identity_instances`)."""

    docs = read_jsonl(data / "framing" / "ptc_train.jsonl")
    gold = [i for name in IDENTITY_GOLD for i in gold_identity_instances(load_gold(name=name),
                                                                         lexicon)]
    instances, rules, covered = ptc_identity_instances(docs, lexicon)
    return docs, instances, gold, rules, covered


def _span_figures(docs: list[dict], instances: list[tuple], accepted, rules: list[tuple],
                  labels=("identity",), keep=None) -> dict:
    """Flag-Waving span figures (:func:`span_prf`) of the accepted candidates and the rules'
    spans of the given sub-labels, over the documents ``keep`` (all by default)."""
    predicted = {d: [] for d in (range(len(docs)) if keep is None else keep)}
    for (d, where, _, _), ok in zip(instances, accepted):
        if ok and d in predicted:
            predicted[d].append(where)
    for d, where, label, _ in rules:
        if label in labels and d in predicted:
            predicted[d].append(where)
    gold = [flag_waving(docs[d]) for d in predicted]
    return span_prf(gold, list(predicted.values()))


def _probabilities(weights: dict, rows: list[list[str]]) -> np.ndarray:
    """Each candidate's probability under these weights, scored as a :class:`CueModel`."""
    model = CueModel("nationalist", MODEL_VERSION, weights, 0.5, frozenset())
    return np.array([model.probability(row) for row in rows])


def _fold_probabilities(instances, gold, folds: int) -> np.ndarray:
    """Each PTC candidate's probability from a model fitted without its document's fold (and
    always with the gold instances)."""
    from sklearn.model_selection import GroupKFold

    groups = np.array([i[0] for i in instances])
    out = np.full(len(instances), np.nan)
    for train, test in GroupKFold(folds).split(instances, groups=groups):
        weights = fit([instances[k][2] for k in train] + [g[0] for g in gold],
                      [instances[k][3] for k in train] + [g[1] for g in gold], c=IDENTITY_C)
        out[test] = _probabilities(weights, [instances[k][2] for k in test])
    return out


def operating_threshold(figures: dict[float, dict]) -> float:
    """Of the thresholds' Flag-Waving span figures, the threshold with the highest recall at a
    precision of :data:`IDENTITY_MIN_PRECISION` or more (of two with the same recall, the
    higher); the highest threshold when none reaches that precision."""
    reached = [(f["recall"], t) for t, f in figures.items()
               if f["precision"] >= IDENTITY_MIN_PRECISION]
    return max(reached)[1] if reached else max(figures)


def identity_threshold(docs, instances, gold, rules, folds: int = 4, keep=None) -> float:
    """The :func:`operating_threshold` of the identity spans (the rules' and the model's) in a
    cross-validation over the documents ``keep`` (all by default)."""
    probabilities = _fold_probabilities(instances, gold, folds)
    return operating_threshold({t: _span_figures(docs, instances, probabilities >= t, rules,
                                                 keep=keep) for t in IDENTITY_THRESHOLDS})


#: The identity terms the codebook itself gives (section 4, as the issue that asked for the
#: sub-label lists them): a rule writer has them without reading any PTC document.
CODEBOOK_IDENTITY_TERMS = frozenset({
    "our country", "our nation", "this country", "the {demonym} people", "our way of life",
    "patriots", "patriot", "patriotism", "un-{demonym}", "national interest", "homeland",
    "sovereignty"})


def _rule_of(term: str, templates: dict[str, str]) -> str:
    """The lexicon term, as written, that made a match of ``term``."""
    return templates.get(term_key(term), term.lower())


def rule_support(docs: list[dict], rules: list[tuple], templates: dict[str, str],
                 lexicon: Lexicon) -> tuple[dict, dict]:
    """Where each identity rule (the lexicon term as written, :func:`term_templates`) could
    have been learned from: the PTC documents in which it hits a Flag-Waving span, and the
    sources of the gold sentences labelled nationalist that it matches (a PTC article id, or
    None for a sentence from elsewhere)."""
    from ..measures.framing_cues import framing_spans

    gold = [flag_waving(doc) for doc in docs]
    hits: dict[str, set] = {}
    for d, where, label, term in rules:
        if label == "identity" and overlaps(where, gold[d]):
            hits.setdefault(_rule_of(term, templates), set()).add(d)
    sentences: dict[str, set] = {}
    for row in (row for name in IDENTITY_GOLD for row in load_gold(name=name)
                if row["labels"]["nationalist"]):
        origin = str(row.get("origin", ""))
        source = origin.split(":")[1] if origin.startswith("framing/ptc_train") else None
        for span in framing_spans(row["text"], lexicon):
            if span.category == "identity":
                sentences.setdefault(_rule_of(span.term, templates), set()).add(source)
    return hits, sentences


def rules_written_without(docs: list[dict], rules: list[tuple], support: tuple[dict, dict],
                          templates: dict[str, str], held_out: set[int]) -> list[tuple]:
    """The rules' spans in the documents ``held_out`` that a writer could have drawn without
    reading them: their rule is one the codebook gives, hits a Flag-Waving span of another
    document, or matches a gold sentence labelled nationalist that comes from elsewhere. The
    identity rules were extended from PTC's Flag-Waving spans, so this is how they would score
    on documents they were not written from."""
    hits, sentences = support
    ids = {str(docs[d]["article_id"]) for d in held_out}
    kept = []
    for d, where, label, term in rules:
        if d not in held_out:
            continue
        rule = _rule_of(term, templates)
        if (rule in CODEBOOK_IDENTITY_TERMS or hits.get(rule, set()) - held_out
                or any(source not in ids for source in sentences.get(rule, ()))):
            kept.append((d, where, label, term))
    return kept


def _offered(covered: list[tuple], kept: list[tuple], held_out: set[int]) -> list[tuple]:
    """The candidate matches in the documents ``held_out`` whose covering rule spans are all
    identity rules left out of ``kept`` (:func:`rules_written_without`): without those rules, the
    model would have judged them, as candidates (:func:`ptc_identity_instances`)."""
    written = {(d, where) for d, where, _, _ in kept}
    return [row[:4] for row in covered if row[0] in held_out
            and all(label == "identity" and (row[0], where) not in written
                    for where, label in row[4])]


def cross_validate_identity_model(data: Path, lexicon: Lexicon, folds: int = 5) -> dict:
    """Flag-Waving span figures, cross-validated by PTC document: each outer fold's model and
    threshold (chosen by an inner cross-validation) are fitted without its documents. Gives
    the identity spans (rules and model: the codebook's national identity appeals, which is
    what Flag-Waving marks), all nationalist spans, the identity rules alone, and the identity
    spans with each fold's rules limited to those written without its documents
    (:func:`rules_written_without`; rules traced through the packaged lexicon's terms), the
    model judging the candidate matches the rules left out covered (:func:`_offered`)."""
    from sklearn.model_selection import GroupKFold

    docs, instances, gold, rules, covered = identity_training(data, lexicon)
    templates = term_templates("framing")
    support = rule_support(docs, rules, templates, lexicon)
    groups = np.array([i[0] for i in instances])
    accepted = np.zeros(len(instances), dtype=bool)
    thresholds, written, offered, offered_accepted = [], [], [], []
    for train, test in GroupKFold(folds).split(instances, groups=groups):
        inner = [instances[k] for k in train]
        held_out = set(groups[test].tolist())  # the threshold never sees these documents
        kept = rules_written_without(docs, rules, support, templates, held_out)
        written += kept
        threshold = identity_threshold(docs, inner, gold, rules,
                                       keep=[d for d in range(len(docs)) if d not in held_out])
        weights = fit([i[2] for i in inner] + [g[0] for g in gold],
                      [i[3] for i in inner] + [g[1] for g in gold], c=IDENTITY_C)
        accepted[test] = _probabilities(weights, [instances[k][2] for k in test]) >= threshold
        fold_offered = _offered(covered, kept, held_out)
        offered += fold_offered
        offered_accepted += (_probabilities(weights, [row[2] for row in fold_offered])
                             >= threshold).tolist()
        thresholds.append(threshold)
    for d in set(range(len(docs))) - set(groups.tolist()):  # no candidate, so in no fold
        written += rules_written_without(docs, rules, support, templates, {d})
    nationalist = sorted({r[2] for r in rules} | {"identity"})
    return {"identity": _span_figures(docs, instances, accepted, rules),
            "nationalist": _span_figures(docs, instances, accepted, rules, nationalist),
            "identity_rules": _span_figures(docs, instances, np.zeros(len(instances), bool),
                                            rules),
            "identity_rules_written_without": _span_figures(
                docs, instances + offered,
                np.concatenate([accepted, np.array(offered_accepted, dtype=bool)]), written),
            "thresholds": thresholds, "candidates": len(instances), "documents": len(docs)}


def train_identity_model(data: Path, lexicon: Lexicon) -> CueModel:
    docs, instances, gold, rules, _ = identity_training(data, lexicon)
    threshold = identity_threshold(docs, instances, gold, rules)
    weights = fit([i[2] for i in instances] + [g[0] for g in gold],
                  [i[3] for i in instances] + [g[1] for g in gold], c=IDENTITY_C)
    training = {
        "data": "PTC train Flag-Waving spans (framing/ptc_train.jsonl) and the project's gold "
                f"sentences ({', '.join(IDENTITY_GOLD)})",
        "instances": len(instances) + len(gold),
        "positives": int(sum(i[3] for i in instances) + sum(g[1] for g in gold)),
        "lexicon": lexicon.label, "C": IDENTITY_C,
        "threshold": "highest Flag-Waving span recall at precision >= "
                     f"{IDENTITY_MIN_PRECISION}, 4-fold cross-validation over PTC documents"}
    return CueModel("nationalist", IDENTITY_MODEL_VERSION, weights, threshold, frozenset(),
                    training=training)


# --- sentence models of the codebook frames (measured by `framing validate`, not shipped) -----

def sentence_model_training(label: str) -> tuple[list[str], list[bool], list[str]]:
    """The texts, ``label`` labels and groups (a development sentence's batch, else its gold
    set) of the gold sentences the sentence models learn from: :data:`IDENTITY_GOLD`, never
    the out-of-story set."""
    rows = [(row, row.get("drawn", name)) for name in IDENTITY_GOLD
            for row in load_gold(name=name)]
    return ([row["text"] for row, _ in rows], [bool(row["labels"][label]) for row, _ in rows],
            [group for _, group in rows])


def train_sentence_model(label: str):
    """A sentence model of a frame: the ``framing train-frame`` pipeline on the project's gold
    sentences, cross-validated with no development batch split across folds. Not part of the
    measures: docs/models.md says why."""
    from .frames import train_frame

    texts, labels, groups = sentence_model_training(label)
    return train_frame(texts, labels, name=f"{label}_sentences",
                       label=f"{label} (learned sentences)", groups=groups,
                       source=f"the project's gold sentences ({', '.join(IDENTITY_GOLD)})")
