"""Article-level figures, computed only from the ``sentences`` and ``matches`` tables.

Formulas are listed in docs/measures.md. Framing balance uses additive smoothing:
``(N - C) / (N + C + FRAMING_SMOOTHING)`` where N and C count nationalist and cautionary
sentences, so an article with one nationalist sentence scores 0.33, not a full 1.0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures import registry
from .measures.definitions import FRAMING_SMOOTHING

__all__ = ["FRAMING_SMOOTHING", "aggregate_articles", "article_map_coordinates",
           "framing_balance", "measure_values", "sentence_units", "voice_shares"]


def framing_balance(nationalist: float, cautionary: float) -> float:
    """Smoothed (N - C) / (N + C + k); 0 when neither frame occurs."""
    return float((nationalist - cautionary) / (nationalist + cautionary + FRAMING_SMOOTHING))


def sentence_units(sentences: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence with the registered units (quantities whose sums give the article
    measures)."""
    keys = ["article_id", "sentence_index"]
    units = sentences[keys].copy()
    context = registry.UnitContext(sentences, matches)
    names = registry.unit_names()
    for unit in registry.units():
        units[unit.name] = unit.compute(context)
    units = units.reset_index(drop=True)
    return units[keys + names]


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
    """The article measures from sums of the units (units on the last axis, in registry
    order): measures on the last axis."""
    wrapped = registry.Sums(sums, registry.unit_names())
    return np.stack([registry.measure(m).formula(wrapped) for m in measures], axis=-1)




def aggregate_articles(articles: pd.DataFrame, sentences: pd.DataFrame,
                       matches: pd.DataFrame) -> pd.DataFrame:
    """Return ``articles`` with the article measures (and the same by voice) added.

    Every figure is a registered formula (:mod:`framing.measures.registry`) of sums of
    sentence units (:func:`sentence_units`), computed for all articles at once; the comparison
    resamples the same units, so both use one definition of each measure.
    """
    english = articles.set_index("article_id")["is_english"].astype(bool)
    units = sentence_units(sentences, matches) if len(sentences) else None
    article_measures, voice_measures = registry.article_measures(), registry.voice_measures()
    unit_columns = registry.unit_names()
    columns = article_measures + ["speakers"] + [f"{m}_{v}" for v in ("journalist", "source")
                                                 for m in voice_measures]
    figures = pd.DataFrame(index=articles["article_id"], columns=columns, dtype=float)
    if units is not None:
        keep = units["article_id"].map(english).fillna(False).astype(bool).to_numpy()
        units = units[keep]
        voice = sentences["voice"].astype(str).to_numpy()[keep]
        for suffix, mask, measures in (("", np.ones(len(units), bool), article_measures),
                                       ("_journalist", voice == "journalist", voice_measures),
                                       ("_source", voice != "journalist", voice_measures)):
            part = units[mask]
            if not len(part):
                continue
            sums = part.groupby("article_id", sort=False)[unit_columns].sum()
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
