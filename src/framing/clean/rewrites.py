"""Near-duplicate articles: rewrites of one source, found by TF-IDF cosine similarity and
clustered, so a story re-published several times can be counted once."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["find_rewrites"]


def find_rewrites(articles: pd.DataFrame, threshold: float = 0.6,
                  block_size: int = 2 ** 23) -> tuple[pd.Series, pd.DataFrame]:
    """Near-duplicate articles: TF-IDF (word 1-2 grams) cosine similarity >= ``threshold``.

    Returns a ``cluster`` label per article (the smallest article_id of its cluster) and the
    table of similar pairs (``article_a, article_b, similarity``).

    The similarities are computed a block of articles at a time (about ``block_size`` article
    pairs, 64 MB, per block), keeping only the pairs at or above the threshold, so memory does
    not grow with the square of the corpus; the time still does (every pair is compared).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = articles["article_id"].astype(str).tolist()
    texts = articles["text"].fillna("").astype(str).tolist()
    pairs = pd.DataFrame(columns=["article_a", "article_b", "similarity"])
    if len(ids) < 2 or not any(t.strip() for t in texts):
        return pd.Series(ids, index=articles.index, name="cluster"), pairs
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1).fit_transform(texts)
    transposed = matrix.T.tocsr()
    n = len(ids)
    rows = max(1, block_size // n)
    first_ids, second_ids, values = [], [], []
    for start in range(0, n - 1, rows):
        # Row by row, the same sums as the whole product (scipy multiplies sparse matrices one
        # output row at a time), so the similarities do not depend on the block size.
        block = (matrix[start:start + rows] @ transposed).toarray()
        i, j = np.nonzero(block >= threshold)
        upper = j > i + start  # each pair once, never an article with itself
        first_ids.append(i[upper] + start)
        second_ids.append(j[upper])
        values.append(block[i[upper], j[upper]])
    first_index, second_index = np.concatenate(first_ids), np.concatenate(second_ids)
    linked = coo_matrix((np.ones(len(first_index)), (first_index, second_index)), shape=(n, n))
    _, labels = connected_components(linked, directed=False)
    first = {}
    for label, article_id in sorted(zip(labels, ids), key=lambda x: x[1]):
        first.setdefault(label, article_id)
    pairs = pd.DataFrame({"article_a": [ids[k] for k in first_index],
                          "article_b": [ids[k] for k in second_index],
                          "similarity": [round(float(v), 4) for v in np.concatenate(values)]})
    return pd.Series([first[label] for label in labels], index=articles.index, name="cluster"), pairs
