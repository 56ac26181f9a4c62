"""The within-story comparison: how each group tells the stories it shares with others.

Comparing all of each outlet's articles mixes what the outlets cover with how they tell it. Here
only stories told by at least two groups count (the ``story`` column: a manifest column named
with ``--story-column``, or :func:`framing.compare.find_stories`). For story *s*, group *g* and
measure *k*:

- ``a[s, g]`` is the mean of *g*'s articles in *s* (non-missing values);
- the story mean ``m[s]`` is the mean of ``a[s, g]`` over the groups that told *s* (each group
  weighs the same, however many articles it wrote);
- the group's **difference** is the mean over its stories of ``a[s, g] - m[s]``: above zero,
  the group scores higher than the others do on the same stories.

The interval resamples stories (95% bootstrap percentile, seeded); the p-value permutes the
group labels among each story's articles (the stories and their sizes stay fixed), two-sided,
``(1 + #{|permuted| >= |observed|}) / (1 + n_perm)``; Benjamini-Hochberg adjusts all the table's
p-values together. Groups in fewer than ``min_stories`` shared stories are shown, flagged
``few_stories`` and not tested. Each permutation and each bootstrap replicate is linear in the
number of articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from ..measures import registry
from .statistics import (MIN_ARTICLES, NO_INTERVAL, adjust_bh, comparable_articles,
                         honest_interval, percentile_interval, quiet_numpy, resampled_means)

__all__ = ["FEW_STORIES", "WITHIN_COLUMNS", "WithinStories", "within_stories"]

WITHIN_COLUMNS = ["measure", "group", "difference", "ci_low", "ci_high", "p", "p_adj",
                  "n_stories", "n_articles", "note"]
#: ``note`` of a group in fewer shared stories than the minimum (shown, not tested).
FEW_STORIES = "few_stories"


@dataclass
class WithinStories:
    """What :func:`within_stories` returns: the tidy ``table`` (:data:`WITHIN_COLUMNS`), the
    grouping, the story column, the number of stories told by two or more groups and of their
    articles, and the options."""

    table: pd.DataFrame
    by: str
    story_column: str
    n_stories: int
    n_articles: int
    options: dict = field(default_factory=dict)


def _differences(cells: np.ndarray, shape: tuple[int, int], values: np.ndarray,
                 valid: np.ndarray) -> np.ndarray:
    """(S, G, K) ``a[s, g] - m[s]`` for articles in cells ``s * G + g``."""
    n_stories, n_groups = shape
    indicator = sparse.csr_matrix((np.ones(len(cells)), (cells, np.arange(len(cells)))),
                                  shape=(n_stories * n_groups, len(cells)))
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (indicator @ values) / (indicator @ valid)
    means = means.reshape(n_stories, n_groups, -1)
    with quiet_numpy():
        return means - np.nanmean(means, axis=1, keepdims=True)


def within_stories(articles: pd.DataFrame, *, by: str = "outlet", story_column: str = "story",
                   measures: list[str] | None = None, n_perm: int = 1000, n_boot: int = 1000,
                   seed: int = 0, min_stories: int = MIN_ARTICLES) -> WithinStories:
    """Each group against the mean of the stories it shares (see the module docstring)."""
    measures = [m for m in (measures or registry.compared_measures()) if m in articles.columns]
    options = dict(n_perm=n_perm, n_boot=n_boot, seed=seed, min_stories=min_stories)
    empty = WithinStories(pd.DataFrame(columns=WITHIN_COLUMNS), by, story_column, 0, 0, options)
    articles = comparable_articles(articles)
    if story_column not in articles.columns or by not in articles.columns or not measures:
        return empty
    group = articles[by].astype(object).fillna("unknown").astype(str)
    story = articles[story_column].astype(object).fillna("").astype(str)
    shared = (story != "") & group.groupby(story).transform("nunique").ge(2)
    if not shared.any():
        return empty
    group, story = group[shared], story[shared]
    story_codes, stories = pd.factorize(story, sort=True)
    group_codes, groups = pd.factorize(group, sort=True)
    shape = (len(stories), len(groups))
    raw = articles.loc[shared, measures].to_numpy(dtype=float)
    valid = np.isfinite(raw).astype(float)
    values = np.where(valid > 0, raw, 0.0)

    observed = _differences(story_codes * shape[1] + group_codes, shape, values, valid)
    with quiet_numpy():
        difference = np.nanmean(observed, axis=0)  # (G, K)

    rng = np.random.default_rng([seed, 1])
    by_story = np.argsort(story_codes, kind="stable")
    exceed = np.zeros_like(difference)
    for _ in range(n_perm):
        shuffled = np.lexsort((rng.random(len(story_codes)), story_codes))
        permuted = np.empty_like(group_codes)
        permuted[by_story] = group_codes[shuffled]
        with quiet_numpy():
            again = np.nanmean(_differences(story_codes * shape[1] + permuted, shape, values,
                                            valid), axis=0)
        exceed += np.abs(again) >= np.abs(difference) - 1e-12
    p = (1 + exceed) / (1 + n_perm)

    replicates = resampled_means(observed.reshape(shape[0], -1), n_boot,
                                 np.random.default_rng([seed, 2]))
    low, high, degenerate = honest_interval(*percentile_interval(replicates))
    low, high, degenerate = (x.reshape(difference.shape) for x in (low, high, degenerate))

    in_story = pd.crosstab(story_codes, group_codes).reindex(columns=range(len(groups)),
                                                             fill_value=0)
    n_stories = (in_story > 0).sum(axis=0).to_numpy()
    n_articles = in_story.sum(axis=0).to_numpy()
    rows = []
    for k, measure in enumerate(measures):
        for g, name in enumerate(groups):
            notes = []
            tested = n_stories[g] >= min_stories and np.isfinite(difference[g, k])
            if n_stories[g] < min_stories:
                notes.append(FEW_STORIES)
            if degenerate[g, k]:
                notes.append(NO_INTERVAL)
            rows.append((measure, name, difference[g, k], low[g, k], high[g, k],
                         p[g, k] if tested else np.nan, np.nan, int(n_stories[g]),
                         int(n_articles[g]), ";".join(notes)))
    table = pd.DataFrame(rows, columns=WITHIN_COLUMNS)
    table["p_adj"] = adjust_bh(table["p"])
    return WithinStories(table, by, story_column, len(stories), int(shared.sum()), options)
