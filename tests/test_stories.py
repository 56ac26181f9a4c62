"""Stories: the ``story`` column and the within-story comparison (docs/report.md)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

import framing
from framing.compare import within_stories
from framing.errors import ConfigurationError


def _design(n_stories=12, groups=("a", "b", "c"), per=2, seed=1):
    """Articles of every group in every story: a story level, noise, and a measure."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_stories):
        level = rng.normal()
        for g in groups:
            for k in range(per):
                rows.append({"article_id": f"{s}-{g}-{k}", "story": f"s{s}", "outlet": g,
                             "hedges_per_1k": level + rng.normal(scale=0.1)})
    return pd.DataFrame(rows)


def _reference(articles: pd.DataFrame, by="outlet", measure="hedges_per_1k") -> pd.Series:
    """The difference written out with pandas: group-in-story means, the story mean of those,
    each group's mean over its stories of the gap."""
    cells = articles.groupby(["story", by])[measure].mean().rename("a").reset_index()
    cells["m"] = cells.groupby("story")["a"].transform("mean")
    shared = cells.groupby("story")[by].transform("nunique") >= 2
    cells = cells[shared]
    return (cells["a"] - cells["m"]).groupby(cells[by]).mean()


def test_the_difference_is_the_gap_from_the_story_mean():
    articles = _design()
    # a shifted by +0.9 in every story: a is +0.6 above the story mean, b and c -0.3 each
    articles.loc[articles["outlet"] == "a", "hedges_per_1k"] += 0.9
    # unequal numbers of articles per cell and a story told by one group alone
    articles = pd.concat([articles.drop(index=[0, 7]),
                          pd.DataFrame([{"article_id": "lone", "story": "solo", "outlet": "a",
                                         "hedges_per_1k": 50.0}])], ignore_index=True)
    result = within_stories(articles, measures=["hedges_per_1k"], n_perm=200, n_boot=200)
    table = result.table.set_index("group")
    expected = _reference(articles)
    assert table["difference"].to_dict() == pytest.approx(expected.to_dict())
    assert table.loc["a", "difference"] == pytest.approx(0.6, abs=0.06)
    assert result.n_stories == 12 and result.n_articles == len(articles) - 1
    assert (table["ci_low"] < table["difference"]).all()
    assert (table["difference"] < table["ci_high"]).all()
    assert table.loc["a", "ci_low"] > 0 > table.loc["b", "ci_high"]
    assert table.loc["a", "p"] == pytest.approx(1 / 201)  # no permutation comes near
    assert table["p_adj"].notna().all()


def test_the_permutation_p_value_equals_the_exact_one():
    """Four stories, one article per group each: swapping labels within stories has 16
    equally likely outcomes; the sampled p-value converges to the exact one."""
    values = {"s0": (1.0, 0.2), "s1": (0.6, 0.5), "s2": (0.3, 0.9), "s3": (1.4, 0.1)}
    articles = pd.DataFrame([{"article_id": f"{s}{g}", "story": s, "outlet": g,
                              "hedges_per_1k": v[i]}
                             for s, v in values.items() for i, g in enumerate("ab")])
    observed = np.mean([(a - b) / 2 for a, b in values.values()])
    outcomes = [np.mean([(a - b) / 2 * sign for (a, b), sign in zip(values.values(), signs)])
                for signs in itertools.product((1, -1), repeat=4)]
    exact = np.mean(np.abs(outcomes) >= abs(observed) - 1e-12)
    result = within_stories(articles, measures=["hedges_per_1k"], n_perm=4000, n_boot=200,
                            min_stories=2)
    p = result.table.set_index("group")["p"]
    assert p["a"] == pytest.approx(exact, abs=0.02) and p["b"] == pytest.approx(exact, abs=0.02)
    # no difference at all: every permutation is as extreme
    same = articles.assign(hedges_per_1k=articles["story"].map(lambda s: values[s][0]))
    assert within_stories(same, measures=["hedges_per_1k"], n_perm=100, n_boot=100,
                          min_stories=2).table["p"].eq(1).all()


def test_a_group_in_few_shared_stories_is_shown_not_tested():
    articles = _design(n_stories=6)
    articles = articles[(articles["outlet"] != "c") | (articles["story"] == "s0")]
    table = within_stories(articles, measures=["hedges_per_1k"], n_perm=100, n_boot=100
                           ).table.set_index("group")
    assert table.loc["c", "n_stories"] == 1 and "few_stories" in table.loc["c", "note"]
    assert np.isnan(table.loc["c", "p"]) and np.isfinite(table.loc["c", "difference"])
    assert table.loc[["a", "b"], "p"].notna().all()
    # nothing shared: an empty table, not an error
    alone = articles.assign(story=articles["article_id"])
    assert within_stories(alone, measures=["hedges_per_1k"]).table.empty


@pytest.fixture(scope="module")
def basil(validation_dir):
    """The 192 BASIL articles (64 events told by Fox News, the New York Times and HuffPost),
    their event ids renamed so that nothing tells the tool the stories."""
    rows = [json.loads(line) for line in
            (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")]
    return pd.DataFrame(rows).rename(columns={"story": "event"})


def test_analyze_finds_stories_without_being_told(basil):
    from sklearn.metrics import adjusted_rand_score

    analysis = framing.analyze(basil)
    found = analysis.articles["story"]
    assert adjusted_rand_score(analysis.articles["event"], found) >= 0.93  # reached 0.966
    assert "found" in analysis.options["stories"]
    within = analysis.within_stories(n_perm=200, n_boot=200)
    assert within.n_stories >= 60 and set(within.table["group"]) == {"fox", "hpo", "nyt"}
    assert within is analysis.within_stories(n_perm=200, n_boot=200)  # computed once
    # told: the column's values, a missing one a story of its own
    told = basil.copy()
    told.loc[0, "event"] = None
    analysis = framing.analyze(told.head(30), story_column="event")
    stories = analysis.articles.set_index("article_id")["story"]
    assert stories.iloc[1:].tolist() == told["event"].iloc[1:30].tolist()
    assert stories.iloc[0] == f"story-{stories.index[0]}"
    with pytest.raises(ConfigurationError, match="no story column 'event_id'"):
        framing.analyze(told.head(3), story_column="event_id")


def test_the_report_compares_within_stories(basil, tmp_path):
    """The command line with --story-column: within_story.csv, its figure, a report section
    and a finding; a corpus where no story is shared has none of them."""
    from click.testing import CliRunner

    from framing.cli import cli

    basil.head(60).to_json(tmp_path / "events.jsonl", orient="records", lines=True)
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "events.jsonl"), "--story-column",
                                      "event", "--n-boot", "200", "-o", str(tmp_path / "out"),
                                      "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    table = pd.read_csv(out / "within_story.csv")
    assert list(table.columns) == framing.compare.WITHIN_COLUMNS
    assert (out / "figures" / "within_story.png").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="stories"' in html and "stories are told by at least two" in html
    assert "Within the 20 stories told by at least two groups" in html
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert "column event" in json.dumps(provenance)
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "events.jsonl"), "--story-column",
                                      "article_id", "--n-boot", "200", "-o", str(tmp_path / "own"),
                                      "-q"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "own" / "within_story.csv").exists()
    assert 'id="stories"' not in (tmp_path / "own" / "report.html").read_text(encoding="utf-8")
