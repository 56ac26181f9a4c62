"""Stories: articles about the same event, told by different outlets within a few days.

Comparing all of each outlet's articles mixes what the outlets cover with how they tell it; a
within-story comparison needs to know which articles tell the same story. :func:`find_stories`
clusters articles by the character 3-5-gram TF-IDF of their title (counted twice) and lead (the
first :data:`LEAD_WORDS` words), cosine distance, average linkage (scikit-learn), joining only
articles at most :data:`WINDOW_DAYS` days apart. Similarities are computed within date blocks,
so the cost grows with the number of articles per window, not with the square of the corpus.
The distance threshold is chosen by cross-validation over events in ``framing validate``
(docs/validation.md); :data:`DISTANCE` is the value it chose on the BASIL dev events.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DISTANCE", "LEAD_WORDS", "UNDATED_LIMIT", "WINDOW_DAYS", "assign_stories",
           "find_stories", "story_texts"]

#: Articles further apart than this are never the same story.
WINDOW_DAYS = 7
#: Words of the article's beginning compared, besides the title.
LEAD_WORDS = 120
#: Average-linkage cosine distance under which articles are one story.
DISTANCE = 0.8
#: Undated articles are compared with each other (a cost growing with the square of their
#: number) only up to this many; beyond it each undated article is a story of its own
#: (docs/scaling.md). Dated articles are compared within date blocks and have no limit.
UNDATED_LIMIT = 5000


def story_texts(articles: pd.DataFrame, title_column: str = "title",
                text_column: str = "text") -> list[str]:
    """What is compared: the title twice and the lead."""
    titles = (articles[title_column].fillna("").astype(str) if title_column in articles
              else pd.Series("", index=articles.index))
    texts = articles[text_column].fillna("").astype(str)
    return [f"{t} . {t} . {' '.join(x.split()[:LEAD_WORDS])}" for t, x in zip(titles, texts)]


def _blocks(days: np.ndarray, window: int) -> list[np.ndarray]:
    """Index sets to compare: each window-wide date block with the next, so that every pair at
    most ``window`` days apart shares a set. Undated articles form one set of their own."""
    dated = np.flatnonzero(~np.isnan(days))
    out = []
    if len(dated):
        bucket = np.floor((days[dated] - np.nanmin(days)) / max(1, window)).astype(int)
        for b in np.unique(bucket):
            out.append(dated[(bucket == b) | (bucket == b + 1)])
    undated = np.flatnonzero(np.isnan(days))
    if 1 < len(undated) <= UNDATED_LIMIT:
        out.append(undated)
    return out


def find_stories(articles: pd.DataFrame, *, date_column: str = "date",
                 title_column: str = "title", text_column: str = "text",
                 window: int = WINDOW_DAYS, distance: float = DISTANCE) -> pd.Series:
    """Each article's story: ``story-<the article id that comes first>``, one per cluster
    (an article alone is a story of its own). Indexed like ``articles``."""
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse import coo_matrix
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(articles)
    if n == 0:
        return pd.Series([], index=articles.index, dtype=object)
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                              dtype=np.float32).fit_transform(
        story_texts(articles, title_column, text_column))
    if date_column in articles:
        dates = pd.to_datetime(articles[date_column].astype("string"), errors="coerce", utc=True)
        days = (dates - pd.Timestamp("1970-01-01", tz="UTC")).dt.days.to_numpy(dtype=float)
    else:
        days = np.full(n, np.nan)
    rows, cols = [], []
    for block in _blocks(days, window):
        similarity = (vectors[block] @ vectors[block].T).toarray()
        close = similarity > 1 - distance
        if not np.isnan(days[block]).all():
            close &= np.abs(days[block][:, None] - days[block][None, :]) <= window
        i, j = np.nonzero(np.triu(close, 1))
        rows += block[i].tolist()
        cols += block[j].tolist()
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    labels = np.empty(n, dtype=object)
    ids = articles["article_id"].astype(str).to_numpy() if "article_id" in articles \
        else np.array([str(k) for k in range(n)])
    for c in np.unique(component):
        members = np.flatnonzero(component == c)
        if len(members) > 2:
            d = 1 - (vectors[members] @ vectors[members].T).toarray()
            if not np.isnan(days[members]).all():
                d[np.abs(days[members][:, None] - days[members][None, :]) > window] = 1.0
            np.fill_diagonal(d, 0)
            sub = AgglomerativeClustering(n_clusters=None, metric="precomputed",
                                          linkage="average", distance_threshold=distance
                                          ).fit_predict(np.clip(d, 0, None))
        else:
            sub = np.zeros(len(members), dtype=int)
        for s in np.unique(sub):
            group = members[sub == s]
            labels[group] = "story-" + min(ids[group])
    return pd.Series(labels, index=articles.index, name="story")


def assign_stories(articles: pd.DataFrame, story_column: str | None = None, *,
                   date_column: str = "date") -> pd.DataFrame:
    """``articles`` with a ``story`` column: the values of ``story_column`` when one is named
    (missing values become stories of their own), else :func:`find_stories`'s."""
    if story_column:
        if story_column not in articles.columns:
            from ..errors import ConfigurationError

            raise ConfigurationError(
                f"no story column {story_column!r} in the articles",
                hint="name a manifest or input column with --story-column, or leave the "
                     "option out to find stories automatically")
        given = articles[story_column].astype("string").str.strip()
        own = "story-" + articles["article_id"].astype(str)
        story = given.where(given.notna() & (given != ""), own).astype(str)
    else:
        story = find_stories(articles, date_column=date_column)
    return articles.assign(story=story.to_numpy())
