"""Group statistics: each group's mean of every article measure with a 95% two-level bootstrap
interval (articles resampled within the group, sentences within each article; articles only
when given the articles table alone), each group against the rest and every pair, with
bootstrap intervals of the difference, permutation-test p-values (scipy.stats.permutation_test
where the test can be exact or resamples sentences; otherwise one set of random splits shared by
all measures, :func:`_joint_permutation`), Cohen's d and Benjamini-Hochberg adjusted p-values
(scipy.stats.false_discovery_control). Everything is seeded. Formulas and the rules for small
samples are in docs/report.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..aggregate import measure_values as _measure_values
from ..aggregate import sentence_units
from ..clean.rewrites import find_rewrites
from ..measures import registry

__all__ = ["COMPARISON_COLUMNS", "MIN_ARTICLES", "Comparison", "comparable_articles", "compare", "design",
           "group_levels", "standardised_levels"]

COMPARISON_COLUMNS = ["measure", "group", "other", "estimate", "ci_low", "ci_high", "effect", "p",
                      "p_adj", "unit", "n_articles", "n_sentences", "note"]
#: Groups with fewer articles are shown but left out of the tests and of "highest/lowest"
#: findings, unless every group has fewer (then the comparison is descriptive throughout).
MIN_ARTICLES = 3
#: ``note`` values: a group under the minimum; an interval every resample agreed on (all units
#: give one value, so the bootstrap cannot say how uncertain it is: left empty).
FEW_ARTICLES, NO_INTERVAL = "few_articles", "no_interval"

@dataclass
class _Group:
    name: str
    values: np.ndarray  # (n_articles, n_measures): each article's measures
    arrays: list[np.ndarray] | None  # each article's (n_sentences, n_units) sentence quantities;
    #                                  None when only the articles table is known
    n_sentences: int

    @property
    def n_articles(self) -> int:
        return len(self.values)


def _merged(name: str, groups: list[_Group]) -> _Group:
    """Several groups as one ("rest")."""
    arrays = None if any(g.arrays is None for g in groups) else \
        [a for g in groups for a in g.arrays]
    return _Group(name, np.concatenate([g.values for g in groups]), arrays,
                  sum(g.n_sentences for g in groups))


def _bootstrap(group: _Group, measures: list[str], n_boot: int, rng: np.random.Generator
               ) -> np.ndarray:
    """(n_boot, n_measures) replicates of the group mean: articles resampled within the group,
    then the sentences of each picked article resampled, afresh for every pick (an article
    picked twice in a replicate counts twice, with two resamples of its sentences). Without
    sentence quantities only articles are resampled, and one article gives no replicates
    (NaN)."""
    if group.arrays is None:
        return resampled_means(group.values, n_boot, rng)
    n_articles = group.n_articles
    times = _pick_counts(rng, n_articles, n_boot)  # how often each replicate picks each article
    total = np.zeros((n_boot, len(measures)))
    count = np.zeros((n_boot, len(measures)))
    for first in range(0, n_articles, _ARTICLE_BLOCK):
        sums, owners = [], []
        for k in range(first, min(first + _ARTICLE_BLOCK, n_articles)):
            array, owner = group.arrays[k], np.repeat(np.arange(n_boot), times[:, k])
            # each pick's count of each sentence
            sums.append(_pick_counts(rng, len(array), len(owner)) @ array)
            owners.append(owner)
        values = _measure_values(np.concatenate(sums), measures)  # the formulas once per block
        owner = np.concatenate(owners)
        valid = ~np.isnan(values)
        for j in range(len(measures)):  # the mean of the non-missing values of the picks
            total[:, j] += np.bincount(owner, np.where(valid[:, j], values[:, j], 0.0), n_boot)
            count[:, j] += np.bincount(owner, valid[:, j], n_boot)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


#: Articles whose sentence replicates go through the measure formulas together.
_ARTICLE_BLOCK = 256


#: Resampled article indexes held at once (bounds the memory of large comparisons: a block of
#: splits or replicates takes about 5 such arrays of 16 MB).
_BLOCK_ELEMENTS = 2_000_000


def _pick_counts(rng: np.random.Generator, n: int, replicates: int) -> np.ndarray:
    """(replicates, n) integer counts: how many times each of ``n`` items is picked in each
    replicate of ``n`` picks with replacement (a multinomial with equal probabilities, drawn as
    integers, which is several times faster than ``Generator.multinomial``)."""
    picks = rng.integers(0, n, size=(replicates, n)) + n * np.arange(replicates)[:, None]
    return np.bincount(picks.ravel(), minlength=replicates * n).reshape(replicates, n)


def resampled_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n_measures) means of the non-missing values of articles resampled with
    replacement; NaN for one article. Works through the replicates a block at a time, as counts
    of each article, so memory does not grow with n_boot x n_articles x n_measures."""
    n = len(values)
    if n < 2:
        return np.full((n_boot, values.shape[1]), np.nan)
    valid = ~np.isnan(values)
    filled = np.where(valid, values, 0.0)
    block = max(1, min(n_boot, _BLOCK_ELEMENTS // n))
    replicates = []
    for first in range(0, n_boot, block):
        counts = _pick_counts(rng, n, min(block, n_boot - first)).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            replicates.append((counts @ filled) / (counts @ valid))
    return np.concatenate(replicates)


class quiet_numpy:
    """Silence numpy's 'mean of empty slice' warnings (all-NaN replicates stay NaN)."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)


def _estimate(group: _Group) -> np.ndarray:
    with quiet_numpy():
        return np.nanmean(group.values, axis=0)


def percentile_interval(replicates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with quiet_numpy():
        return (np.nanpercentile(replicates, 2.5, axis=0),
                np.nanpercentile(replicates, 97.5, axis=0))


def _labels(articles: pd.DataFrame, by: str) -> pd.Series:
    """Each article's group label (missing ones are "unknown"), indexed by article id."""
    if by not in articles.columns:
        from ..errors import ConfigurationError

        raise ConfigurationError(f"cannot group by {by!r}: no such article column",
                                 hint="use outlet, publisher, original_source or a manifest column")
    labels = articles.set_index("article_id")[by].astype(object)
    return labels.where(labels.notna(), "unknown").astype(str)


def _groups(units: pd.DataFrame, articles: pd.DataFrame, by: str,
            measures: list[str]) -> list[_Group]:
    labels = _labels(articles, by)
    arrays = {aid: g[registry.unit_names()].to_numpy(dtype=float)
              for aid, g in units.groupby("article_id", sort=False)}
    groups: dict[str, list[np.ndarray]] = {}
    for article_id in articles["article_id"]:
        if article_id in arrays and len(arrays[article_id]):
            groups.setdefault(labels[article_id], []).append(arrays[article_id])
    return [_Group(name, np.stack([_measure_values(a.sum(axis=0), measures)
                                   for a in groups[name]]),
                   groups[name], int(sum(len(a) for a in groups[name])))
            for name in sorted(groups)]


def _article_groups(articles: pd.DataFrame, by: str, measures: list[str]) -> list[_Group]:
    """Groups from the articles table alone: its measure columns are the article values."""
    missing = [m for m in measures if m not in articles.columns]
    if missing:
        from ..errors import ConfigurationError

        raise ConfigurationError(
            f"the articles table has no {', '.join(missing)} column"
            f"{'s' if len(missing) > 1 else ''}",
            hint="compare the articles table written by framing measure (articles.parquet)")
    labels = _labels(articles, by)
    values = articles[measures].to_numpy(dtype=float)
    measured = ~np.isnan(values).all(axis=1)  # not English, or no sentences: no measures
    sentences = (articles["n_sentences"].to_numpy(dtype=float) if "n_sentences" in articles
                 else np.zeros(len(articles)))
    names = labels.reindex(articles["article_id"]).to_numpy()
    groups = []
    for name in sorted(set(names[measured])):
        rows = measured & (names == name)
        groups.append(_Group(name, values[rows], None, int(np.nansum(sentences[rows]))))
    return groups


def _unit(a: _Group, b: _Group) -> str:
    """What the test of a against b resamples: articles when both have two or more (and
    always without sentence quantities), else sentences."""
    if a.arrays is None or b.arrays is None or min(a.n_articles, b.n_articles) >= 2:
        return "article"
    return "sentence"


def design(n_articles_per_group: list[int], min_articles: int = 2) -> str:
    """``inferential`` when every group has at least ``min_articles`` articles (and two);
    ``mixed`` when some have (the others are shown, not tested); else ``descriptive``."""
    floor = max(2, min_articles)
    if not n_articles_per_group:
        return "descriptive"
    if min(n_articles_per_group) >= floor:
        return "inferential"
    return "mixed" if max(n_articles_per_group) >= floor else "descriptive"


def honest_interval(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intervals of zero width left empty: ``(low, high, degenerate)``."""
    degenerate = np.isfinite(low) & np.isfinite(high) & (high - low <= 1e-12)
    return np.where(degenerate, np.nan, low), np.where(degenerate, np.nan, high), degenerate


def _permutation(a: _Group, b: _Group, measures: list[str], unit: str, n_resamples: int,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided permutation p-values and Cohen's d of a against b, per measure."""
    if unit == "article":
        xa, xb = a.values, b.values
    else:
        xa, xb = np.concatenate(a.arrays), np.concatenate(b.arrays)
    pooled = np.concatenate([xa, xb])
    joint = unit == "article" and math.comb(len(pooled), len(xa)) > n_resamples
    if joint:  # not an exact test: one set of permutations for every measure
        joint_p = _joint_permutation(xa, xb, n_resamples, seed)
    p_values, effects = [], []
    for j, measure in enumerate(measures):
        if unit == "article":
            va, vb = xa[:, j], xb[:, j]
            va, vb = va[~np.isnan(va)], vb[~np.isnan(vb)]
            if len(va) < 2 or len(vb) < 2:
                p_values.append(np.nan)
                effects.append(np.nan)
                continue
            if joint:
                p_values.append(joint_p[j])
                effects.append(_cohens_d(va, vb))
                continue

            def statistic(x, y, axis=-1):
                return np.mean(x, axis=axis) - np.mean(y, axis=axis)
            # reached only when the test can be exact (few articles): no batching needed
            result = stats.permutation_test((va, vb), statistic, n_resamples=n_resamples,
                                            vectorized=True, random_state=seed)
            ua, ub = va, vb
        else:
            if len(xa) < 2 or len(xb) < 2:
                p_values.append(np.nan)
                effects.append(np.nan)
                continue
            index_a = np.arange(len(xa), dtype=float)
            index_b = np.arange(len(xa), len(pooled), dtype=float)

            def statistic(x, y, axis=-1, _j=j):
                sa = pooled[x.astype(int)].sum(axis=-2)
                sb = pooled[y.astype(int)].sum(axis=-2)
                return _measure_values(sa, [measures[_j]])[..., 0] - \
                    _measure_values(sb, [measures[_j]])[..., 0]
            with quiet_numpy():
                result = stats.permutation_test((index_a, index_b), statistic,
                                                n_resamples=n_resamples, vectorized=True,
                                                random_state=seed,
                                                batch=_batch(pooled.size, n_resamples))
            with quiet_numpy():
                ua = _measure_values(xa, [measure])[:, 0]
                ub = _measure_values(xb, [measure])[:, 0]
            ua, ub = ua[~np.isnan(ua)], ub[~np.isnan(ub)]
        p_values.append(float(result.pvalue) if np.isfinite(result.statistic) else np.nan)
        effects.append(_cohens_d(ua, ub))
    return np.array(p_values), np.array(effects)


def _joint_permutation(xa: np.ndarray, xb: np.ndarray, n_resamples: int, seed: int
                       ) -> np.ndarray:
    """Two-sided randomised permutation test of the difference of the group means of every
    measure (column) at once: the same ``n_resamples`` random splits of the pooled articles
    for all measures, a block of splits at a time; missing values are left out of the means.
    The p-value is defined as ``scipy.stats.permutation_test`` defines it for a randomised
    test: ``min(1, 2 * min(#(null <= observed) + 1, #(null >= observed) + 1) / (n_resamples + 1))``
    with scipy's relative tolerance. One set of splits instead of one per measure is what makes
    large comparisons fast (scipy draws every split in a Python loop)."""
    pooled = np.concatenate([xa, xb])
    n, size_a = len(pooled), len(xa)
    valid = ~np.isnan(pooled)
    filled = np.where(valid, pooled, 0.0)
    valid = valid.astype(float)
    total, total_n = filled.sum(axis=0), valid.sum(axis=0)

    def difference(sums, counts):
        with np.errstate(invalid="ignore", divide="ignore"):
            return sums / counts - (total - sums) / (total_n - counts)

    observed = difference(filled[:size_a].sum(axis=0), valid[:size_a].sum(axis=0))
    gamma = np.abs(np.finfo(float).eps * 100 * observed)
    less, greater = np.zeros(len(observed)), np.zeros(len(observed))
    rng = np.random.default_rng(seed)
    block = max(1, min(n_resamples, _BLOCK_ELEMENTS // n))
    for first in range(0, n_resamples, block):
        size = min(block, n_resamples - first)
        keys = rng.random((size, n))
        # a random set of size_a articles per split: those with the size_a smallest keys
        kth = np.partition(keys, size_a - 1, axis=1)[:, size_a - 1:size_a]
        member = (keys <= kth).astype(float)
        null = difference(member @ filled, member @ valid)
        less += (null <= observed + gamma).sum(axis=0)
        greater += (null >= observed - gamma).sum(axis=0)
    p = np.minimum(1.0, 2 * np.minimum(less + 1, greater + 1) / (n_resamples + 1))
    return np.where(np.isnan(observed), np.nan, p)


def _batch(n: int, n_resamples: int) -> int | None:
    """Permutations per call of the statistic: all at once for small samples, in blocks of at
    most ``_BLOCK_ELEMENTS`` values for large ones (scipy draws the same permutations either
    way, so the p-values do not depend on it; tested)."""
    return None if n * n_resamples <= _BLOCK_ELEMENTS else max(1, _BLOCK_ELEMENTS // n)


def _cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    pooled = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    return float((a.mean() - b.mean()) / np.sqrt(pooled)) if pooled > 0 else float("nan")


def adjust_bh(p: pd.Series) -> pd.Series:
    """Benjamini-Hochberg over the non-missing p-values."""
    out = pd.Series(np.nan, index=p.index)
    valid = p.notna()
    if valid.any():
        out[valid] = stats.false_discovery_control(p[valid].to_numpy(), method="bh")
    return out


@dataclass(repr=False)
class Comparison:
    """The result of :func:`compare`: the tidy table and how it was made.

    ``resampled`` says what the intervals resampled (``articles and sentences``, or
    ``articles`` when compared from the articles table alone)."""

    table: pd.DataFrame
    by: str
    design: str
    groups: dict[str, int]  # group -> number of articles
    options: dict
    resampled: str = "articles and sentences"

    def levels(self) -> pd.DataFrame:
        """Groups x measures: each group's estimate (the rows with ``other == ""``)."""
        return group_levels(self.table, self.options.get("measures", registry.compared_measures()))

    def __repr__(self) -> str:
        groups = ", ".join(f"{g} ({n})" for g, n in list(self.groups.items())[:6])
        more = f", +{len(self.groups) - 6} more" if len(self.groups) > 6 else ""
        return (f"<Comparison by {self.by}: {len(self.groups)} groups [{groups}{more}], "
                f"{self.table['measure'].nunique()} measures, {self.design} design; "
                f".table has {len(self.table)} rows>")

    def _repr_html_(self) -> str:
        import html

        levels = self.levels().round(3)
        head = (f"<p><b>Comparison by {html.escape(self.by)}</b>: {len(self.groups)} groups, "
                f"{sum(self.groups.values())} articles, {self.design} design; intervals "
                f"resample {self.resampled}. Estimates below; <code>.table</code> has intervals, "
                f"tests and effects.</p>")
        return head + levels.to_html(max_rows=20, max_cols=10)


def compare(articles: pd.DataFrame, sentences: pd.DataFrame | None = None,
            matches: pd.DataFrame | None = None, *, by: str = "outlet",
            measures: list[str] | None = None, n_boot: int = 1000, n_resamples: int = 2000,
            seed: int = 0, pairwise: bool = True, count_clusters_once: bool = False,
            min_articles: int = MIN_ARTICLES) -> Comparison:
    """Compare groups of articles on every article measure.

    Rows of the table (columns ``COMPARISON_COLUMNS``):

    - ``other == ""``: the group's mean of the article measure with a 95% bootstrap interval;
    - ``other == "rest"``: the group minus all other articles, with a bootstrap interval of the
      difference, a permutation p-value, Cohen's d (``effect``) and BH-adjusted p;
    - ``other == <group>``: the same for a pair of groups.

    ``unit`` says what was resampled for the test: ``article`` when both sides have at least two
    articles, else ``sentence`` (descriptive: sentences of one article are not independent).
    Only measured articles count (English, with sentences).

    Groups of fewer than ``min_articles`` articles are shown (their level rows, ``note`` =
    ``few_articles``) but not tested, and the tests compare the other groups among themselves;
    when every group is that small, every group is tested as before and the comparison is
    ``descriptive``. An interval every resample agreed on (zero width: all units give the same
    value) is left empty with ``note`` = ``no_interval``. p-values are adjusted
    (Benjamini-Hochberg) within each family: tests against the rest, and pairs, each split by
    unit.

    Without ``sentences`` and ``matches`` (the articles table of a streamed or Dask run, which
    holds every article measure), the comparison works on the articles table alone: the
    estimates, tests and effects are the same, the interval resamples articles only (not
    sentences within them), and a group of one article gets no interval and no test.

    With ``count_clusters_once``, near-duplicate articles (:func:`find_rewrites`, or the
    articles' ``cluster`` column when present) count once.
    """
    measures = list(measures or registry.compared_measures())
    if (sentences is None) != (matches is None):
        raise TypeError("compare() needs both sentences and matches, or neither")
    if count_clusters_once:
        if "cluster" not in articles.columns:
            if "text" not in articles.columns:
                from ..errors import ConfigurationError

                raise ConfigurationError(
                    "counting clusters once needs a cluster column or the article texts",
                    hint="add framing.compare.find_rewrites(articles)[0] as articles['cluster']")
            articles = articles.assign(cluster=find_rewrites(articles)[0])
        articles = articles.sort_values("article_id").drop_duplicates("cluster")
    articles = comparable_articles(articles)
    if sentences is None:
        groups = _article_groups(articles, by, measures)
    else:
        units = sentence_units(sentences[sentences["article_id"].isin(articles["article_id"])],
                               matches)
        groups = _groups(units, articles, by, measures)
    counts = {g.name: g.n_articles for g in groups}
    kind = design(list(counts.values()), min_articles)
    few = {g.name for g in groups if kind == "mixed" and g.n_articles < max(2, min_articles)}
    rows = []
    replicates = {}
    for k, group in enumerate(groups):
        rng = np.random.default_rng([seed, k])
        replicates[group.name] = _bootstrap(group, measures, n_boot, rng)
        estimate = _estimate(group)
        low, high, degenerate = honest_interval(*percentile_interval(replicates[group.name]))
        for j, m in enumerate(measures):
            note = ";".join(n for n, on in ((FEW_ARTICLES, group.name in few),
                                           (NO_INTERVAL, degenerate[j])) if on)
            rows.append((m, group.name, "", estimate[j], low[j], high[j], np.nan, np.nan, np.nan,
                         _unit(group, group), group.n_articles, group.n_sentences, note))
    tested = [g for g in groups if g.name not in few]
    # (group, other group or None for "rest", name); a "rest" group is built only when its turn
    # comes, so that only one copy of all the other articles is held at a time
    contrasts: list[tuple[_Group, _Group | None, str]] = []
    if len(tested) > 1:
        contrasts += [(group, None, "rest") for group in tested]
        if pairwise:
            contrasts += [(a, b, b.name) for i, a in enumerate(tested) for b in tested[i + 1:]]
    for c, (a, b, other) in enumerate(contrasts):
        if b is None:
            b = _merged("rest", [g for g in tested if g is not a])
        unit = _unit(a, b)
        if other == "rest":
            rng = np.random.default_rng([seed, 10_000 + c])
            rep_b = _bootstrap(b, measures, n_boot, rng)
        else:
            rep_b = replicates[b.name]
        low, high, degenerate = honest_interval(*percentile_interval(replicates[a.name] - rep_b))
        difference = _estimate(a) - _estimate(b)
        p, effect = _permutation(a, b, measures, unit, n_resamples, seed)
        for j, m in enumerate(measures):
            rows.append((m, a.name, other, difference[j], low[j], high[j], effect[j], p[j],
                         np.nan, unit, a.n_articles, a.n_sentences,
                         NO_INTERVAL if degenerate[j] else ""))
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    # families: tests against the rest, and pairs, each split by what they resampled
    pair = ~table["other"].isin(["", "rest"])
    for family in (table["other"] == "rest", pair):
        for unit in ("article", "sentence"):
            mask = family & (table["unit"] == unit)
            if mask.any():
                table.loc[mask, "p_adj"] = adjust_bh(table.loc[mask, "p"])
    return Comparison(table, by, kind, counts,
                      {"n_boot": n_boot, "n_resamples": n_resamples, "seed": seed,
                       "count_clusters_once": count_clusters_once, "measures": measures,
                       "min_articles": min_articles},
                      "articles" if sentences is None else "articles and sentences")


def comparable_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles a comparison counts: English ones (the others have no measures,
    docs/measures.md) that are not too short to measure (``too_short``, docs/reliability.md)."""
    keep = pd.Series(True, index=articles.index)
    for column, wanted in (("is_english", True), ("too_short", False)):
        if column in articles.columns:
            keep &= articles[column].astype(bool) == wanted
    return articles if keep.all() else articles[keep]


def group_levels(table: pd.DataFrame, measures: list[str] | None = None) -> pd.DataFrame:
    """Groups x measures from a comparison table: each group's estimate (the rows with
    ``other == ""``), with the columns in the order of ``measures`` when given."""
    levels = table[table["other"].fillna("") == ""]
    values = levels.pivot(index="group", columns="measure", values="estimate")
    return values if measures is None else values[[m for m in measures if m in values.columns]]


def standardised_levels(table: pd.DataFrame, measures: list[str]) -> tuple[pd.DataFrame,
                                                                           pd.DataFrame]:
    """Groups x measures from a comparison table: each group's estimate, and the same
    standardised across the groups (z-score, population standard deviation; NaN where the
    groups do not vary). The heatmap's colours."""
    values = group_levels(table, measures)
    spread = values.std(ddof=0).replace(0, np.nan)
    return values, (values - values.mean()) / spread
