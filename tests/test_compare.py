"""Comparison statistics on small, hand-checkable data."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import framing
from framing.measures import registry
from framing.compare import (compare, design, find_rewrites, keyness,
                             log_odds_dirichlet)

HEDGY = ["Prices may rise, and the plan might possibly fail.",
         "The deal could perhaps collapse, analysts suggest.",
         "It is unclear whether the rules will probably hold."]
PLAIN = ["Prices rose by ten percent on Monday.",
         "The company opened a factory in Ohio.",
         "The minister signed the agreement in Paris."]


@pytest.fixture(scope="module")
def six():
    """Three hedging and three plain articles from two outlets."""
    texts = [" ".join(HEDGY[i:] + HEDGY[:i]) for i in range(3)] + \
            [" ".join(PLAIN[i:] + PLAIN[:i]) + (" It may rain." if i == 0 else "") for i in range(3)]
    frame = pd.DataFrame({"text": texts, "outlet": ["Hedger"] * 3 + ["Plain"] * 3,
                          "id": [f"a{i}" for i in range(6)]})
    return framing.analyze(frame)


def test_group_estimates_equal_the_article_figures(seed_corpus):
    analysis = framing.analyze(seed_corpus)
    result = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=200,
                     pairwise=False)
    levels = result.table[result.table["other"] == ""].set_index(["group", "measure"])["estimate"]
    articles = analysis.articles.set_index("outlet")
    for measure in registry.compared_measures():
        for group in articles.index:
            expected, got = articles.loc[group, measure], levels[(group, measure)]
            assert (np.isnan(expected) and np.isnan(got)) or got == pytest.approx(expected), measure
    assert result.design == "descriptive"
    assert set(result.table["unit"]) == {"sentence"}


def test_intervals_cover_estimates_and_are_seeded(six):
    a = compare(six.articles, six.sentences, six.matches, n_boot=300, seed=1)
    b = compare(six.articles, six.sentences, six.matches, n_boot=300, seed=1)
    c = compare(six.articles, six.sentences, six.matches, n_boot=300, seed=2)
    pd.testing.assert_frame_equal(a.table, b.table)
    levels = a.table[(a.table["other"] == "") & a.table["estimate"].notna()]
    # an interval every resample agreed on is left empty and noted, never "x to x"
    empty = levels["ci_low"].isna()
    assert (levels.loc[empty, "note"].str.contains("no_interval")).all()
    shown = levels[~empty]
    assert len(shown) and (shown["ci_low"] < shown["ci_high"]).all()
    assert (shown["ci_low"] <= shown["estimate"] + 1e-9).all()
    assert (shown["estimate"] <= shown["ci_high"] + 1e-9).all()
    assert not a.table["ci_low"].equals(c.table["ci_low"])
    assert a.design == "inferential" and a.groups == {"Hedger": 3, "Plain": 3}


def test_permutation_p_matches_scipy_on_article_values(six):
    result = compare(six.articles, six.sentences, six.matches, n_boot=100, n_resamples=999, seed=7)
    row = result.table[(result.table["measure"] == "hedges_per_1k")
                       & (result.table["other"] == "Plain")].iloc[0]
    values = six.articles.set_index("outlet")["hedges_per_1k"]
    expected = stats.permutation_test(
        (values["Hedger"].to_numpy(), values["Plain"].to_numpy()),
        lambda x, y, axis: np.mean(x, axis=axis) - np.mean(y, axis=axis),
        n_resamples=999, vectorized=True, random_state=7)
    assert row["unit"] == "article"
    assert row["p"] == pytest.approx(expected.pvalue)
    # 3 vs 3 articles: 20 distinct splits, the observed one is the most extreme: p = 2/20
    assert row["p"] == pytest.approx(0.1)
    assert row["estimate"] == pytest.approx(values["Hedger"].mean() - values["Plain"].mean())
    assert row["effect"] > 2  # Cohen's d: a very large difference


def test_benjamini_hochberg_matches_scipy(six):
    table = compare(six.articles, six.sentences, six.matches, n_boot=100).table
    rest = table[table["other"] == "rest"]
    valid = rest["p"].notna()
    expected = stats.false_discovery_control(rest.loc[valid, "p"].to_numpy())
    assert rest.loc[valid, "p_adj"].to_numpy() == pytest.approx(expected)
    assert (rest.loc[valid, "p_adj"] >= rest.loc[valid, "p"] - 1e-12).all()


def test_single_group_has_levels_only():
    texts = [" ".join(HEDGY[i:] + HEDGY[:i]) for i in range(3)]
    analysis = framing.analyze(pd.DataFrame({"text": texts, "outlet": ["Only"] * 3}))
    result = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=100)
    assert set(result.table["other"]) == {""}
    assert result.design == "inferential"
    assert keyness(analysis.articles, analysis.sentences).empty


def test_design_names_small_samples():
    assert design([1, 1]) == "descriptive"
    assert design([1, 4]) == "mixed"  # the single article is shown, not tested
    assert design([2, 2]) == "inferential"
    assert design([2, 4], min_articles=3) == "mixed"
    assert design([2, 2], min_articles=3) == "descriptive"
    assert design([3, 4], min_articles=3) == "inferential"
    assert design([]) == "descriptive"


def test_log_odds_worked_example():
    # Monroe et al. eq. 16/19 by hand: delta_a = log(11/6) - log(6/11); var = 1/11 + 1/6
    table = log_odds_dirichlet({"a": 10, "b": 5}, {"a": 5, "b": 10}, {"a": 1, "b": 1})
    a = table.set_index("term").loc["a"]
    assert a["log_odds"] == pytest.approx(2 * np.log(11 / 6))
    assert a["z"] == pytest.approx(2 * np.log(11 / 6) / np.sqrt(1 / 11 + 1 / 6))
    b = table.set_index("term").loc["b"]
    assert b["z"] == pytest.approx(-a["z"])


def test_keyness_finds_each_outlets_words(six):
    words = keyness(six.articles, six.sentences, min_count=2, prior_scale=0.1)
    top = words.groupby("group")["term"].apply(list)
    assert "prices" not in top["Plain"][:1]  # shared words are not distinctive
    assert {"factory", "minister", "agreement"} & set(top["Plain"])
    assert {"unclear", "deal", "plan"} & set(top["Hedger"])
    assert (words["z"].diff().fillna(0)[words["rank"] > 1] <= 1e-12).all()  # sorted by z


def test_rewrites_in_blocks_equal_the_whole_similarity_matrix():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    sentences = HEDGY + PLAIN
    texts = [" ".join(sentences[k:] + sentences[:k][:2]) for k in range(6)] + [" ".join(PLAIN)] * 2
    articles = pd.DataFrame({"article_id": [f"x{k}" for k in range(8)], "text": texts})
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    similarity = cosine_similarity(matrix)
    for threshold in (0.3, 0.6):
        expected = [(f"x{i}", f"x{j}", round(similarity[i, j], 4))
                    for i in range(8) for j in range(i + 1, 8) if similarity[i, j] >= threshold - 1e-12]
        assert len(expected) >= 2
        results = [find_rewrites(articles, threshold, block_size=size) for size in (1, 20, 2 ** 23)]
        for cluster, pairs in results:
            got = list(pairs.itertuples(index=False, name=None))
            assert [(a, b) for a, b, _ in got] == [(a, b) for a, b, _ in expected]
            assert np.allclose([s for *_, s in got], [s for *_, s in expected], atol=1e-4)
            assert cluster.equals(results[0][0])
            assert pairs.equals(results[0][1])  # the block size changes nothing
    assert cluster.iloc[6] == cluster.iloc[7]  # identical texts share a cluster


def test_rewrites_are_clustered_and_can_count_once():
    base = ("DeepSeek released a reasoning model that rivals OpenAI at a fraction of the cost. "
            "Investors sold chip stocks and analysts debated what it means for export controls. ")
    texts = [base * 3, base * 3 + "The company did not comment.", " ".join(PLAIN) * 2]
    frame = pd.DataFrame({"text": texts, "outlet": ["Wire", "Blog", "Other"],
                          "id": ["w", "b", "o"]})
    analysis = framing.analyze(frame)
    cluster, pairs = find_rewrites(analysis.articles)
    assert pairs[["article_a", "article_b"]].values.tolist() == [["w", "b"]]
    assert cluster.tolist() == ["b", "b", "o"]
    once = compare(analysis.articles.assign(cluster=cluster), analysis.sentences,
                   analysis.matches, n_boot=100, count_clusters_once=True)
    assert sum(once.groups.values()) == 2


def test_articles_that_are_not_english_do_not_count_as_zeros(six):
    """A French article has no measures; before, its sentences counted as neutral and hedge-free
    and pulled its group's mean towards zero."""
    french = ("Le gouvernement a annoncé hier une nouvelle politique économique. "
              "Les experts disent que cette décision pourrait être une erreur grave. ") * 4
    frame = pd.DataFrame({"text": [" ".join(HEDGY)] * 2 + [french] + [" ".join(PLAIN)] * 2,
                          "outlet": ["Hedger", "Hedger", "Hedger", "Plain", "Plain"],
                          "id": ["h1", "h2", "fr", "p1", "p2"]})
    analysis = framing.analyze(frame)
    assert not analysis.articles.set_index("article_id").loc["fr", "is_english"]
    table = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=100).table
    level = table[(table["other"] == "") & (table["group"] == "Hedger")].set_index("measure")
    hedgers = analysis.articles[analysis.articles["article_id"].isin(["h1", "h2"])]
    assert level.loc["hedges_per_1k", "estimate"] == pytest.approx(hedgers["hedges_per_1k"].mean())
    assert level.loc["hedges_per_1k", "n_articles"] == 2
    assert level.loc["hedges_per_1k", "n_sentences"] == hedgers["n_sentences"].sum()


def test_the_articles_table_alone_gives_the_same_estimates_tests_and_effects(six):
    """What a streamed run can compare: its articles table without sentences or matches."""
    full = compare(six.articles, six.sentences, six.matches, n_boot=300, seed=3).table
    alone = compare(six.articles, n_boot=300, seed=3).table
    assert len(alone) == len(full)
    for column in ("measure", "group", "other", "unit", "n_articles", "n_sentences"):
        assert alone[column].tolist() == full[column].tolist(), column
    for column in ("estimate", "effect", "p", "p_adj"):
        np.testing.assert_allclose(alone[column], full[column], rtol=1e-9, atol=1e-12,
                                   err_msg=column)
    # the interval resamples articles only: a one-level bootstrap of the article values
    hedger = six.articles.loc[six.articles["outlet"] == "Hedger", "hedges_per_1k"].to_numpy()
    row = alone[(alone["measure"] == "hedges_per_1k") & (alone["group"] == "Hedger")
                & (alone["other"] == "")].iloc[0]
    if hedger.min() == hedger.max():  # every resample gives the one value: no interval
        assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"]) and row["note"] == "no_interval"
    else:
        assert hedger.min() - 1e-9 <= row["ci_low"] <= row["estimate"] <= row["ci_high"] \
            <= hedger.max() + 1e-9
    for measure in six.articles.columns.intersection(alone["measure"].unique()):
        values = six.articles.loc[six.articles["outlet"] == "Plain", measure].to_numpy(float)
        plain = alone[(alone["measure"] == measure) & (alone["group"] == "Plain")
                      & (alone["other"] == "")].iloc[0]
        if len(values) and not np.isnan(values).any() and values.min() < values.max():
            assert values.min() - 1e-9 <= plain["ci_low"] <= plain["ci_high"] \
                <= values.max() + 1e-9, measure
    assert not np.allclose(alone["ci_low"], full["ci_low"], equal_nan=True)


def test_the_articles_table_alone_gives_one_article_no_interval_and_no_test(seed_corpus):
    analysis = framing.analyze(seed_corpus)
    result = compare(analysis.articles, n_boot=100)
    table = result.table
    assert result.design == "descriptive" and set(table["unit"]) == {"article"}
    assert table["estimate"].notna().any()
    assert table["ci_low"].isna().all() and table["p"].isna().all()


def test_the_articles_table_alone_needs_the_measure_columns(six):
    with pytest.raises(framing.errors.ConfigurationError, match="hedges_per_1k"):
        compare(six.articles.drop(columns=["hedges_per_1k"]), n_boot=100)


def test_counting_clusters_once_finds_the_clusters_when_not_given():
    base = ("DeepSeek released a reasoning model that rivals OpenAI at a fraction of the cost. "
            "Investors sold chip stocks and analysts debated what it means for export controls. ")
    frame = pd.DataFrame({"text": [base * 3, base * 3 + "The company did not comment.",
                                   " ".join(PLAIN) * 2],
                          "outlet": ["Wire", "Blog", "Other"], "id": ["w", "b", "o"]})
    analysis = framing.analyze(frame)
    once = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=100,
                   count_clusters_once=True)
    assert sum(once.groups.values()) == 2
    with pytest.raises(framing.errors.ConfigurationError, match="cluster"):
        compare(analysis.articles.drop(columns=["text"]), n_boot=100, count_clusters_once=True)


def test_working_in_blocks_changes_no_number(six, monkeypatch):
    """Large comparisons resample and permute a block at a time to bound memory; the numbers
    are those of doing it all at once."""
    import framing.compare.statistics as fc

    rng = np.random.default_rng(2)
    xa, xb = rng.normal(0.2, 1, (30, 3)), rng.normal(0, 1, (40, 3))
    whole = [compare(six.articles, n_boot=200, seed=4).table,
             compare(six.articles, six.sentences, six.matches, n_boot=200, seed=4).table]
    joint = fc._joint_permutation(xa, xb, 500, seed=3)
    monkeypatch.setattr(fc, "_BLOCK_ELEMENTS", 100)
    assert fc._batch(6, 2000) == 16
    blocked = [compare(six.articles, n_boot=200, seed=4).table,
               compare(six.articles, six.sentences, six.matches, n_boot=200, seed=4).table]
    for a, b in zip(whole, blocked):
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
    np.testing.assert_array_equal(fc._joint_permutation(xa, xb, 500, seed=3), joint)


def test_the_randomised_test_of_large_groups_agrees_with_scipy():
    """Beyond exact enumeration every measure shares one set of random splits; its p-values are
    scipy's up to Monte Carlo error, missing values are left out, and a complete separation
    gets the smallest p-value a randomised test can give, 2 / (n_resamples + 1)."""
    from framing.compare.statistics import _joint_permutation

    rng = np.random.default_rng(5)
    xa = np.column_stack([rng.normal(0.3, 1, 40), rng.normal(0, 1, 40), rng.normal(5, 1, 40)])
    xb = np.column_stack([rng.normal(0, 1, 60), rng.normal(0, 1, 60), rng.normal(-5, 1, 60)])
    xa[::9, 1] = np.nan
    joint = _joint_permutation(xa, xb, 9999, seed=0)

    def statistic(x, y, axis=-1):
        return np.mean(x, axis=axis) - np.mean(y, axis=axis)
    for j in range(2):
        va, vb = xa[:, j][~np.isnan(xa[:, j])], xb[:, j]
        expected = stats.permutation_test((va, vb), statistic, n_resamples=9999,
                                          vectorized=True, random_state=1).pvalue
        assert abs(joint[j] - expected) < 0.03, (j, joint[j], expected)
    assert joint[2] == pytest.approx(2 / 10000)
    assert _joint_permutation(xa, xb, 999, seed=0)[0] != joint[0]  # depends on the splits drawn


@pytest.fixture(scope="module")
def unequal(validation_dir):
    """102 real BASIL articles in unequal groups: 60 Fox, 40 NYT, 2 HuffPost."""
    import json

    import framing

    rows = [json.loads(line) for line in
            (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")]
    take = {"fox": 60, "nyt": 40, "hpo": 2}
    chosen = []
    for row in rows:
        if take.get(row["outlet"], 0) > 0:
            take[row["outlet"]] -= 1
            chosen.append(row)
    frame = pd.DataFrame(chosen)[["id", "outlet", "date", "text"]]
    return framing.analyze(frame)


def test_a_small_group_is_shown_and_flagged_but_not_tested(unequal):
    from framing.report import findings
    from scipy import stats

    result = unequal.compare(n_boot=200, n_resamples=500)
    table = result.table
    assert result.design == "mixed" and result.groups["hpo"] == 2
    small = table[table["group"] == "hpo"]
    assert set(small["other"]) == {""}  # levels only
    assert small["note"].str.contains("few_articles").all()
    assert not (table["other"] == "hpo").any()
    assert {"fox", "nyt"} <= set(table.loc[table["other"] == "rest", "group"])
    assert set(table.loc[table["other"] != "", "unit"]) == {"article"}
    # p-values adjusted within each family: the tests against the rest here
    rest = table[table["other"] == "rest"].dropna(subset=["p"])
    np.testing.assert_allclose(rest["p_adj"], stats.false_discovery_control(rest["p"], method="bh"))
    text = " ".join(findings(result))
    assert "fewer than 3 articles (hpo (2))" in text
    assert "highest for hpo" not in text and "lowest for hpo" not in text
    assert "n = 60 articles" in text or "n = 40 articles" in text
    # with a minimum of 2 the small group is tested like the others
    two = unequal.compare(n_boot=200, n_resamples=500, min_articles=2).table
    assert (two["other"] == "hpo").any() and not two["note"].str.contains("few").any()


def test_the_cli_takes_a_minimum(unequal, tmp_path):
    from click.testing import CliRunner

    from framing.cli import cli

    unequal.articles.to_csv(tmp_path / "articles.csv", index=False)
    result = CliRunner().invoke(cli, ["compare", str(tmp_path / "articles.csv"), "--out",
                                      str(tmp_path / "c"), "--min-articles", "50", "-q",
                                      "--n-boot", "100"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "c" / "comparison.csv", keep_default_na=False)
    flagged = set(table.loc[table["note"].str.contains("few_articles"), "group"])
    assert flagged == {"nyt", "hpo"}  # 40 and 2 articles, under 50
    assert set(table.loc[table["other"] != "", "group"]) == set()  # one group left: no tests


def test_the_period_follows_the_span_of_the_dates():
    from framing.compare.time import period_kind

    def span(days):
        return pd.Series(pd.Timestamp("2025-01-01") + pd.to_timedelta([0, days], unit="D"))

    assert period_kind(span(10)) == "day"
    assert period_kind(span(200)) == "week"
    assert period_kind(span(1000)) == "month"
    assert period_kind(span(1500)) == "quarter"
    assert period_kind(span(4000)) == "year"  # a few dozen periods at most


def test_measures_over_time_on_real_dated_articles(unequal, tmp_path):
    from framing.compare import TIME_COLUMNS
    from framing.measures import registry

    articles = unequal.articles.copy()
    articles.loc[articles.index[0], "date"] = "not a date"
    from framing.compare import over_time

    assert over_time(articles, n_boot=200).period_kind == "year"  # these articles span 2010-2019
    trend = over_time(articles, n_boot=200, period="month")
    assert unequal.over_time(n_boot=200).undated == 0
    table = trend.table
    assert list(table.columns) == TIME_COLUMNS and trend.undated == 1
    assert trend.period_kind == "month" and (table["period_kind"] == "month").all()
    assert set(table["measure"]) <= set(registry.key_measures())
    # every dated article counted once per measure
    sentiment = table[table["measure"] == "sentiment_mean"]
    assert sentiment["n_articles"].sum() == len(articles) - 1
    # a month's value is the mean of its articles
    row = sentiment.sort_values("n_articles").iloc[-1]
    dates = pd.to_datetime(articles["date"], errors="coerce")
    month = articles[(articles["outlet"] == row["group"])
                     & (dates.dt.to_period("M").astype(str) == row["period"][:7])]
    assert row["estimate"] == pytest.approx(month["sentiment_mean"].mean())
    shown = table.dropna(subset=["ci_low"])
    assert len(shown) and (shown["ci_low"] <= shown["estimate"] + 1e-9).all()
    assert (shown["estimate"] <= shown["ci_high"] + 1e-9).all()
    assert table.loc[table["n_articles"] == 1, "ci_low"].isna().all()
    # by year and by quarter: a period's value is the mean of its articles, dated from its start
    for period, code in (("year", "Y"), ("quarter", "Q")):
        rows = over_time(articles, n_boot=200, period=period).table
        rows = rows[rows["measure"] == "sentiment_mean"]
        for _, row in rows.iterrows():
            start = pd.Timestamp(row["period"])
            members = articles[(articles["outlet"] == row["group"])
                               & (dates.dt.to_period(code).dt.start_time == start)]
            assert row["estimate"] == pytest.approx(members["sentiment_mean"].mean())
        assert rows["n_articles"].sum() == len(articles) - 1
    with pytest.raises(framing.ConfigurationError, match="unknown period 'fortnight'"):
        over_time(articles, period="fortnight")


def test_the_report_has_a_time_section_only_with_dates(unequal, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from framing.report import write_report

    written = {p.name for p in write_report(unequal, tmp_path / "dated", n_boot=100)}
    assert {"time.csv", "trend.png", "trend.svg"} <= written
    html = (tmp_path / "dated" / "report.html").read_text(encoding="utf-8")
    assert 'id="time"' in html and 'href="#time"' in html
    written = {p.name for p in write_report(unequal, tmp_path / "undated", n_boot=100,
                                            date_column="published")}
    assert "time.csv" not in written and "trend.png" not in written


def test_a_report_of_many_articles_folds_by_group(unequal, tmp_path):
    """102 articles: the findings come first, then one collapsible section per group, each
    article's highlighted text one click away (closed); a small report stays open."""
    import re

    import matplotlib

    matplotlib.use("Agg")
    from framing.report import write_report

    write_report(unequal, tmp_path, n_boot=100)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.index('id="findings"') < html.index('id="figures"') < html.index('id="articles"')
    groups = re.findall(r'<details class="group" id="group-\d+"( open)?>', html)
    assert len(groups) == 3 and not any(groups)
    articles = re.findall(r'<details class="article"( open)?>', html)
    assert len(articles) == len(unequal.articles) and not any(articles)
    assert html.count('<article class="fr"') == len(unequal.articles)


def test_stories_are_found_on_real_events(validation_dir):
    """BASIL: 64 events, each told by Fox News, the New York Times and HuffPost."""
    import json

    from sklearn.metrics import adjusted_rand_score

    from framing.compare import find_stories
    from framing.evaluation.validate import validate_stories

    frame = pd.DataFrame([json.loads(line) for line in
                          (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")]
                         ).rename(columns={"id": "article_id"})
    stories = find_stories(frame)
    assert adjusted_rand_score(frame["story"], stories) >= 0.93  # reached 0.966
    assert stories.str.startswith("story-").all()
    # articles more than the window apart are never one story, however alike
    twins = pd.DataFrame({"article_id": ["a", "b", "c"], "title": ["Senate passes the bill"] * 3,
                          "text": ["The Senate passed the budget bill on Friday."] * 3,
                          "date": ["2020-01-01", "2020-01-03", "2020-03-01"]})
    found = find_stories(twins)
    assert found.tolist() == ["story-a", "story-a", "story-c"]
    assert find_stories(twins.drop(columns="date")).nunique() == 1  # undated: text alone
    figures = validate_stories(validation_dir)
    assert figures["ari_cv"] >= 0.9 and figures["events"] == 64  # reached 0.989


def test_the_two_stage_bootstrap_matches_a_direct_resampling(seed_corpus):
    """The comparison's replicates (articles resampled, then sentences within each article,
    drawn as counts) have the mean and spread of a direct reference: a loop that picks
    articles, then sentences, and applies the measure formulas to each pick."""
    from framing.aggregate import measure_values, sentence_units
    from framing.compare.statistics import _bootstrap, _Group

    measured = framing.analyze(seed_corpus)
    units = sentence_units(measured.sentences, measured.matches)
    arrays = [g[registry.unit_names()].to_numpy(dtype=float)
              for _, g in units.groupby("article_id", sort=True)]
    measures = ["sentiment_mean", "hedges_per_1k", "attribution_density", "quotes_per_1k"]
    group = _Group("all", np.stack([measure_values(a.sum(axis=0), measures) for a in arrays]),
                   arrays, sum(len(a) for a in arrays))
    n_boot = 4000
    fast = _bootstrap(group, measures, n_boot, np.random.default_rng(1))

    rng = np.random.default_rng(2)
    reference = np.empty((n_boot, len(measures)))
    for b in range(n_boot):
        picked = [arrays[i] for i in rng.integers(0, len(arrays), size=len(arrays))]
        values = [measure_values(a[rng.integers(0, len(a), size=len(a))].sum(axis=0), measures)
                  for a in picked]
        reference[b] = np.nanmean(values, axis=0)
    assert fast.shape == reference.shape
    spread = reference.std(axis=0)
    assert (spread > 0).all()
    np.testing.assert_allclose(fast.mean(axis=0), reference.mean(axis=0), atol=0.1 * spread.max())
    np.testing.assert_allclose(fast.std(axis=0), spread, rtol=0.08)
