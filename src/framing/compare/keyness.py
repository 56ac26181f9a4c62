"""Distinctive words per group: the log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi & Quinn 2008), one group against the rest."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from .statistics import comparable_articles

__all__ = ["KEYNESS_COLUMNS", "keyness", "log_odds_dirichlet"]

KEYNESS_COLUMNS = ["group", "term", "count", "count_rest", "log_odds", "z", "rank"]

# Abbreviations with dots ("U.S.") stay one word; a word needs a letter ("R1" yes, "2025" no);
# a possessive "'s" is dropped so "DeepSeek's" counts as "deepseek".
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]*[^\W\d_][^\W_]*(?:[’'-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def _counts(texts, stopwords: frozenset[str]) -> Counter:
    counter: Counter = Counter()
    for text in texts:
        words = (_POSSESSIVE.sub("", w.lower()).replace("’", "'") for w in _WORD.findall(text))
        counter.update(w for w in words if w not in stopwords)
    return counter


def log_odds_dirichlet(counts_i: dict, counts_j: dict, prior: dict) -> pd.DataFrame:
    """Monroe, Colaresi & Quinn (2008), eq. 16 and 19: log-odds ratio of each word in i vs j
    with an informative Dirichlet prior ``prior`` (pseudo-counts), its variance and z-score."""
    words = sorted(set(counts_i) | set(counts_j))
    y_i = np.array([counts_i.get(w, 0) for w in words], dtype=float)
    y_j = np.array([counts_j.get(w, 0) for w in words], dtype=float)
    alpha = np.array([prior.get(w, 0) for w in words], dtype=float)
    n_i, n_j, a0 = y_i.sum(), y_j.sum(), sum(prior.values())
    delta = (np.log((y_i + alpha) / (n_i + a0 - y_i - alpha))
             - np.log((y_j + alpha) / (n_j + a0 - y_j - alpha)))
    variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return pd.DataFrame({"term": words, "count": y_i.astype(int), "count_rest": y_j.astype(int),
                         "log_odds": delta, "z": delta / np.sqrt(variance)})


def keyness(articles: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "outlet", top: int = 20,
            min_count: int = 3, prior_scale: float = 0.1, stopwords: bool = True) -> pd.DataFrame:
    """Distinctive words of each group against all other groups.

    The prior is the whole corpus's word counts scaled by ``prior_scale`` (an informative prior
    from the corpus itself, as in Monroe et al.); words seen fewer than ``min_count`` times in
    the corpus are left out, and so are English function words (scikit-learn's
    ``ENGLISH_STOP_WORDS``) unless ``stopwords=False``. Returns the ``top`` words by z-score per
    group (``KEYNESS_COLUMNS``).
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop = frozenset(ENGLISH_STOP_WORDS) if stopwords else frozenset()
    articles = comparable_articles(articles)
    labels = articles.set_index("article_id")[by].astype(object).fillna("unknown").astype(str)
    text_by_group: dict[str, list[str]] = {}
    for article_id, text in zip(sentences["article_id"], sentences["text"]):
        if article_id in labels.index:
            text_by_group.setdefault(labels[article_id], []).append(str(text))
    counts = {g: _counts(t, stop) for g, t in sorted(text_by_group.items())}
    if len(counts) < 2:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    total: Counter = sum(counts.values(), Counter())
    prior = {w: prior_scale * c for w, c in total.items() if c >= min_count}
    frames = []
    for group, own in counts.items():
        rest = total - own
        table = log_odds_dirichlet({w: own.get(w, 0) for w in prior},
                                   {w: rest.get(w, 0) for w in prior}, prior)
        table = table[table["count"] > 0].sort_values(["z", "term"], ascending=[False, True])
        table = table.head(top).assign(group=group)
        table["rank"] = range(1, len(table) + 1)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)[KEYNESS_COLUMNS]
