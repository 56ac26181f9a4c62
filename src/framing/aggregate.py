"""Article-level figures, computed only from the ``sentences`` and ``matches`` tables.

Formulas are listed in docs/measures.md. Framing balance uses additive smoothing:
``(N - C) / (N + C + FRAMING_SMOOTHING)`` where N and C count nationalist and cautionary
sentences, so an article with one nationalist sentence scores 0.33, not a full 1.0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures.sentiment import THRESHOLD

__all__ = ["ARTICLE_MEASURES", "COMPARED_MEASURES", "FRAMING_SMOOTHING", "UNIT_COLUMNS",
           "aggregate_articles", "article_map_coordinates", "framing_balance", "measure_values",
           "sentence_units", "voice_shares"]

FRAMING_SMOOTHING = 2.0

ARTICLE_MEASURES = [
    "sentiment_mean", "share_positive", "share_negative", "hedges_per_1k", "boosters_per_1k",
    "hedge_share", "hedged_sentence_share", "attribution_density", "attributions_per_1k",
    "quotes_per_1k", "quoted_text_share", "named_source_share", "vague_source_share",
    "document_source_share", "nationalist_share", "cautionary_share", "framing_balance",
]
VOICE_MEASURES = ["sentiment_mean", "hedges_per_1k", "nationalist_share", "cautionary_share",
                  "framing_balance"]


def framing_balance(nationalist: float, cautionary: float) -> float:
    """Smoothed (N - C) / (N + C + k); 0 when neither frame occurs."""
    return float((nationalist - cautionary) / (nationalist + cautionary + FRAMING_SMOOTHING))


# Sentence-level quantities whose sums give every compared article measure.
UNIT_COLUMNS = ["n", "words", "chars", "sentiment", "positive", "negative", "hedges", "boosters",
                 "hedged", "attributed", "cues", "quotes", "quoted_chars", "sources", "named",
                 "vague", "document", "nationalist", "cautionary"]
_U = {c: i for i, c in enumerate(UNIT_COLUMNS)}


def _div(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


#: Measure name -> function of the summed unit columns (last axis) -> value.
_FORMULAS = {
    "sentiment_mean": lambda s: _div(s[..., _U["sentiment"]], s[..., _U["n"]]),
    "share_positive": lambda s: _div(s[..., _U["positive"]], s[..., _U["n"]]),
    "share_negative": lambda s: _div(s[..., _U["negative"]], s[..., _U["n"]]),
    "hedges_per_1k": lambda s: _div(1000 * s[..., _U["hedges"]], s[..., _U["words"]]),
    "boosters_per_1k": lambda s: _div(1000 * s[..., _U["boosters"]], s[..., _U["words"]]),
    "hedge_share": lambda s: _div(s[..., _U["hedges"]], s[..., _U["hedges"]] + s[..., _U["boosters"]]),
    "hedged_sentence_share": lambda s: _div(s[..., _U["hedged"]], s[..., _U["n"]]),
    "attribution_density": lambda s: _div(s[..., _U["attributed"]], s[..., _U["n"]]),
    "attributions_per_1k": lambda s: _div(1000 * s[..., _U["cues"]], s[..., _U["words"]]),
    "quotes_per_1k": lambda s: _div(1000 * s[..., _U["quotes"]], s[..., _U["words"]]),
    "quoted_text_share": lambda s: _div(s[..., _U["quoted_chars"]], s[..., _U["chars"]]),
    "named_source_share": lambda s: _div(s[..., _U["named"]], s[..., _U["sources"]]),
    "vague_source_share": lambda s: _div(s[..., _U["vague"]], s[..., _U["sources"]]),
    "document_source_share": lambda s: _div(s[..., _U["document"]], s[..., _U["sources"]]),
    "nationalist_share": lambda s: _div(s[..., _U["nationalist"]], s[..., _U["n"]]),
    "cautionary_share": lambda s: _div(s[..., _U["cautionary"]], s[..., _U["n"]]),
    "framing_balance": lambda s: np.where(
        s[..., _U["n"]] > 0, (s[..., _U["nationalist"]] - s[..., _U["cautionary"]])
        / (s[..., _U["nationalist"]] + s[..., _U["cautionary"]] + FRAMING_SMOOTHING), np.nan),
}
#: The article measures compared between groups (all of ``ARTICLE_MEASURES``).
COMPARED_MEASURES = list(_FORMULAS)


def sentence_units(sentences: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence with the quantities whose sums give the article measures."""
    keys = ["article_id", "sentence_index"]
    units = sentences[keys].copy()
    text = sentences["text"].astype(str)
    sentiment = sentences["sentiment"].astype(float)
    units["n"] = 1.0
    units["words"] = text.str.split().str.len().astype(float)
    units["chars"] = text.str.len().astype(float)
    units["sentiment"] = sentiment.fillna(0.0)
    units["positive"] = (sentiment >= THRESHOLD).astype(float)
    units["negative"] = (sentiment <= -THRESHOLD).astype(float)
    units["hedges"] = sentences["hedges"].astype(float)
    units["boosters"] = sentences["boosters"].astype(float)
    units["hedged"] = (sentences["hedges"] > 0).astype(float)
    units["attributed"] = sentences["attributed"].astype(bool).astype(float)
    units["nationalist"] = sentences["nationalist"].astype(bool).astype(float)
    units["cautionary"] = sentences["cautionary"].astype(bool).astype(float)

    def count(mask: pd.Series, name: str) -> None:
        counted = matches[mask].groupby(keys).size().rename(name)
        units[name] = units.merge(counted, how="left", left_on=keys, right_index=True)[name] \
            .fillna(0).astype(float).to_numpy()

    count(matches["measure"] == "attribution", "cues")
    count((matches["measure"] == "quote") & matches["category"].isin(["direct", "partial"]), "quotes")
    count(matches["measure"] == "source", "sources")
    for kind in ("named", "vague", "document"):
        count((matches["measure"] == "source") & (matches["category"] == kind), kind)
    units["quoted_chars"] = _quoted_chars(sentences, matches)
    units = units.reset_index(drop=True)
    return units[keys + UNIT_COLUMNS]


def _quoted_chars(sentences: pd.DataFrame, matches: pd.DataFrame) -> np.ndarray:
    """Characters of each sentence inside direct quotations (a quote may span sentences).

    Direct quotations of an article are disjoint, so the quoted characters before a position
    ``x`` are the lengths of the quotes that end before it plus the part of the one it is in:
    ``Q(x)``, from a cumulative sum over the quotes sorted by start. A sentence ``[a, b)`` holds
    ``Q(b) - Q(a)`` of them. Articles are laid end to end on one axis so that one sorted pass
    serves the whole table: time ``O((sentences + quotes) log quotes)``.
    """
    direct = matches.loc[(matches["measure"] == "quote") & (matches["category"] == "direct"),
                         ["article_id", "start", "end"]]
    if not len(direct) or not len(sentences):
        return np.zeros(len(sentences))
    ids = pd.concat([sentences["article_id"], direct["article_id"]], ignore_index=True)
    codes, uniques = pd.factorize(ids)
    ends = np.concatenate([sentences["end"].to_numpy(), direct["end"].to_numpy()])
    width = np.zeros(len(uniques), dtype=np.int64)
    np.maximum.at(width, codes, ends.astype(np.int64) + 1)
    offset = np.concatenate([[0], np.cumsum(width)[:-1]])
    s_codes, q_codes = codes[:len(sentences)], codes[len(sentences):]
    q_start = direct["start"].to_numpy(np.int64) + offset[q_codes]
    q_end = direct["end"].to_numpy(np.int64) + offset[q_codes]
    order = np.argsort(q_start, kind="stable")
    q_start, q_end = q_start[order], q_end[order]
    before = np.concatenate([[0], np.cumsum(q_end - q_start)])  # lengths of quotes 0..k-1

    def quoted_before(x: np.ndarray) -> np.ndarray:
        k = np.searchsorted(q_start, x, side="right")  # quotes starting at or before x
        last = np.maximum(k - 1, 0)
        inside = np.minimum(x, q_end[last]) - q_start[last]
        return np.where(k > 0, before[last] + inside, 0)

    a = sentences["start"].to_numpy(np.int64) + offset[s_codes]
    b = sentences["end"].to_numpy(np.int64) + offset[s_codes]
    return (quoted_before(b) - quoted_before(a)).astype(float)


def _speakers(sentences: pd.DataFrame, english: pd.Series) -> dict[str, dict[str, None]]:
    """Each English article's speakers, in order of first appearance (one pass over the
    sentences, not one Python call per article)."""
    found: dict[str, dict[str, None]] = {}
    is_english = english.to_dict()
    for article_id, speaker in zip(sentences["article_id"], sentences["speaker"].astype(str)):
        if speaker and is_english.get(article_id, False):
            found.setdefault(article_id, {})[speaker] = None
    return found


def measure_values(sums: np.ndarray, measures: list[str]) -> np.ndarray:
    return np.stack([_FORMULAS[m](sums) for m in measures], axis=-1)




def aggregate_articles(articles: pd.DataFrame, sentences: pd.DataFrame,
                       matches: pd.DataFrame) -> pd.DataFrame:
    """Return ``articles`` with the article measures (and the same by voice) added.

    Every figure is a formula (``_FORMULAS``) of sums of sentence quantities
    (:func:`sentence_units`), computed for all articles at once; the comparison resamples the
    same quantities, so both use one definition of each measure.
    """
    english = articles.set_index("article_id")["is_english"].astype(bool)
    units = sentence_units(sentences, matches) if len(sentences) else None
    columns = ARTICLE_MEASURES + ["speakers"] + [f"{m}_{v}" for v in ("journalist", "source")
                                                 for m in VOICE_MEASURES]
    figures = pd.DataFrame(index=articles["article_id"], columns=columns, dtype=float)
    if units is not None:
        keep = units["article_id"].map(english).fillna(False).astype(bool).to_numpy()
        units = units[keep]
        voice = sentences["voice"].astype(str).to_numpy()[keep]
        for suffix, mask, measures in (("", np.ones(len(units), bool), ARTICLE_MEASURES),
                                       ("_journalist", voice == "journalist", VOICE_MEASURES),
                                       ("_source", voice != "journalist", VOICE_MEASURES)):
            part = units[mask]
            if not len(part):
                continue
            sums = part.groupby("article_id", sort=False)[UNIT_COLUMNS].sum()
            values = measure_values(sums.to_numpy(dtype=float), list(measures))
            frame = pd.DataFrame(values, index=sums.index, columns=[m + suffix for m in measures])
            figures.update(frame)
        figures["speakers"] = figures["speakers"].astype(object)
        has = english[english].index
        figures.loc[figures.index.isin(has), "speakers"] = ""
        speakers = _speakers(sentences, english)
        if speakers:
            figures.loc[list(speakers), "speakers"] = ["; ".join(s) for s in speakers.values()]
    figures = figures.reset_index(drop=True)
    figures.index = articles.index
    return pd.concat([articles.drop(columns=[c for c in columns if c in articles.columns]),
                      figures], axis=1)


def voice_shares(sentences: pd.DataFrame, articles: pd.DataFrame, by: str) -> pd.DataFrame:
    """Groups x voices (journalist, attributed, quoted): the share of each group's measured
    sentences in each voice."""
    labels = articles.set_index("article_id")[by].astype(object).fillna("unknown").astype(str)
    data = sentences[sentences["voice"].astype(str) != ""]
    data = data.assign(group=data["article_id"].map(labels))
    shares = pd.crosstab(data["group"], data["voice"], normalize="index")
    return shares.reindex(columns=["journalist", "attributed", "quoted"], fill_value=0.0)


def article_map_coordinates(articles: pd.DataFrame, measures: list[str]):
    """Each article's place on the first two principal components of its standardised
    measures (missing values filled with the measure's mean; measures that do not vary left
    out): ``(points (n, 2), explained variance ratios, absolute PC1 loadings sorted)``, or None
    with fewer than 3 articles or 2 varying measures."""
    from sklearn.decomposition import PCA

    measures = [m for m in measures if m in articles.columns]
    data = articles[measures].astype(float)
    data = data.loc[:, data.notna().any() & (data.std(ddof=0) > 0)]
    if len(data) < 3 or data.shape[1] < 2:
        return None
    filled = data.fillna(data.mean())
    z = (filled - filled.mean()) / filled.std(ddof=0)
    pca = PCA(n_components=2, random_state=0)
    points = pca.fit_transform(z.to_numpy())
    loadings = pd.Series(pca.components_[0], index=data.columns).abs().sort_values(ascending=False)
    return points, pca.explained_variance_ratio_, loadings
