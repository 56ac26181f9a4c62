"""Every figure function: draws on the given ax and returns it, with full, empty and one-outlet data."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from framing import plot  # noqa: E402
from framing.compare import COMPARISON_COLUMNS, KEYNESS_COLUMNS, compare, keyness  # noqa: E402


@pytest.fixture(scope="module")
def seeds(seed_corpus):
    analysis = framing.analyze(seed_corpus)
    comparison = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=100)
    return analysis, comparison.table, keyness(analysis.articles, analysis.sentences)


@pytest.fixture(scope="module")
def single():
    analysis = framing.analyze(pd.DataFrame({
        "text": ["China's triumph may worry rivals, experts said. The new model was trained for a "
                 "fraction of the usual cost, its makers claim.",
                 "The plan is risky. Regulators in several countries have opened reviews of how "
                 "the company stores the data of its users."],
        "outlet": ["Only", "Only"]}))
    comparison = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=100)
    return analysis, comparison.table, keyness(analysis.articles, analysis.sentences)


def draw_all(analysis, table, words):
    calls = {
        "heatmap": lambda ax: plot.heatmap(table, ax=ax),
        "dot_interval": lambda ax: plot.dot_interval(table, "hedges_per_1k", ax=ax),
        "framing_balance": lambda ax: plot.framing_balance(table, ax=ax),
        "story_arc": lambda ax: plot.story_arc(analysis.sentences, analysis.articles, ax=ax),
        "attribution_profile": lambda ax: plot.attribution_profile(analysis.sentences,
                                                                   analysis.articles, ax=ax),
        "distinctive_terms": lambda ax: plot.distinctive_terms(words, ax=ax),
        "article_map": lambda ax: plot.article_map(analysis.articles, ax=ax),
    }
    out = {}
    for name, call in calls.items():
        fig, ax = plt.subplots()
        assert call(ax) is ax, name
        out[name] = ax
    return out


def _texts(ax):
    return " ".join(t.get_text() for t in ax.texts)


def test_every_figure_draws_seeds_with_titles_and_labels(seeds):
    axes = draw_all(*seeds)
    for name, ax in axes.items():
        assert ax.get_title(), name
        if name != "heatmap":
            assert ax.get_xlabel(), name
        assert not _texts(ax).startswith("No "), name
    # one colour per outlet, the same in every figure
    styles = plot.group_styles(seeds[0].articles["outlet"])
    assert len({s["color"] for s in styles.values()}) == 5
    assert len({s["hatch"] for s in styles.values()}) == 5  # greyscale: hatches differ too
    assert plot.group_styles(reversed(list(styles))) == styles
    # dot_interval: one row per outlet
    assert len(axes["dot_interval"].get_yticklabels()) == 5


def test_figures_say_so_when_data_is_missing():
    empty_table = pd.DataFrame(columns=COMPARISON_COLUMNS)
    empty_words = pd.DataFrame(columns=KEYNESS_COLUMNS)
    empty_sentences = pd.DataFrame(columns=["article_id", "sentence_index", "sentiment", "voice",
                                            "nationalist", "cautionary", "is_heading"])
    empty_articles = pd.DataFrame(columns=["article_id", "outlet"] + list(plot.LABELS))
    for ax in (plot.heatmap(empty_table), plot.dot_interval(empty_table, "hedges_per_1k"),
               plot.framing_balance(empty_table), plot.distinctive_terms(empty_words),
               plot.story_arc(empty_sentences, empty_articles),
               plot.attribution_profile(empty_sentences, empty_articles),
               plot.article_map(empty_articles)):
        assert "No " in _texts(ax) or "need" in _texts(ax)
    plt.close("all")


def test_single_outlet_input(single):
    axes = draw_all(*single)
    assert "at least two outlets" in _texts(axes["distinctive_terms"])
    assert "at least 3 articles" in _texts(axes["article_map"])
    assert len(axes["dot_interval"].get_yticklabels()) == 1


def test_draw_and_save_are_reproducible(seeds, tmp_path):
    analysis, table, words = seeds
    from framing.report import figures as report_figures

    with report_figures.figure_style():
        figures = report_figures.draw_figures(analysis.articles, analysis.sentences, table, words)
        assert set(figures) == set(report_figures.FIGURES)
        first = report_figures.save_figures(figures, tmp_path / "a")
        second = report_figures.save_figures(figures, tmp_path / "b")
    assert len(first) == 2 * len(report_figures.FIGURES)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert a.stat().st_size > 5000
    assert b"<svg" in (tmp_path / "a" / "heatmap.svg").read_bytes()


def test_figures_never_change_global_settings(seeds, tmp_path):
    import matplotlib as mpl

    from framing.report import figures as report_figures

    analysis, table, words = seeds
    before = dict(mpl.rcParams)
    fig, ax = plt.subplots()
    for draw in (lambda: plot.heatmap(table, ax=ax), lambda: plot.article_map(analysis.articles, ax=ax),
                 lambda: plot.attribution_profile(analysis.sentences, analysis.articles, ax=ax)):
        draw()
    with report_figures.figure_style():
        figures = report_figures.draw_figures(analysis.articles, analysis.sentences, table, words)
        report_figures.save_figures(figures, tmp_path)
    changed = {k for k, v in mpl.rcParams.items() if str(before.get(k)) != str(v)}
    assert not changed
