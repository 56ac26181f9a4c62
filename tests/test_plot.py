"""Every figure function: draws on the given ax and returns it, with full, empty and one-outlet data."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from framing import plot  # noqa: E402
from framing.errors import FramingError  # noqa: E402
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
    # the heatmap's colour compares groups; with one, every value still shows as its number
    heat = axes["heatmap"]
    levels = single[1][(single[1]["other"] == "") & single[1]["measure"].isin(plot.LABELS)]
    numbers = [t.get_text() for t in heat.texts if t.get_text() != "n/a"]
    assert sorted(numbers) == sorted(f"{v:.2f}" for v in levels["estimate"].dropna())
    assert "one group" in heat.get_title()


def test_a_measure_equal_in_every_group_still_shows_its_values(seeds):
    """No z for a measure every group has at the same value: its numbers are drawn, in the
    neutral colour, not left blank."""
    table = seeds[1].copy()
    rows = (table["measure"] == "hedges_per_1k") & (table["other"] == "")
    table.loc[rows, "estimate"] = 4.0
    ax = plot.heatmap(table)
    assert sum(t.get_text() == "4.00" for t in ax.texts) == rows.sum() == 5


def test_draw_and_save_are_reproducible(seeds, tmp_path):
    analysis, table, words = seeds
    from framing.report import figures as report_figures

    with report_figures.figure_style():
        figures = report_figures.draw_figures(report_figures.FigureInputs(
            analysis.articles, analysis.sentences, table, words))
        assert set(figures) == set(report_figures.FIGURES)
        first = report_figures.save_figures(figures, tmp_path / "a")
        second = report_figures.save_figures(figures, tmp_path / "b")
    assert len(first) == 2 * len(report_figures.FIGURES)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert a.stat().st_size > 5000
    assert b"<svg" in (tmp_path / "a" / "heatmap.svg").read_bytes()
    # PDF on request, reproducible too (no creation dates); an unknown format is refused
    with report_figures.figure_style():
        pdfs = [report_figures.save_figures({"heatmap": figures["heatmap"]}, tmp_path / d,
                                            formats=("pdf",)) for d in ("c", "d")]
        with pytest.raises(FramingError, match="unknown figure format 'gif'"):
            report_figures.save_figures(figures, tmp_path / "e", formats=("png", "gif"))
    assert [p.name for p in pdfs[0]] == ["heatmap.pdf"]
    assert pdfs[0][0].read_bytes().startswith(b"%PDF") and \
        pdfs[0][0].read_bytes() == pdfs[1][0].read_bytes()
    for fig in figures.values():
        plt.close(fig)


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
        figures = report_figures.draw_figures(report_figures.FigureInputs(
            analysis.articles, analysis.sentences, table, words))
        report_figures.save_figures(figures, tmp_path)
    changed = {k for k, v in mpl.rcParams.items() if str(before.get(k)) != str(v)}
    assert not changed


def _outside(fig) -> list[str]:
    """Data drawn outside its axes' limits: points, line vertices, bars and labels placed in
    data coordinates (lines and texts placed in axes coordinates are left alone)."""
    import numpy as np
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.patches import Rectangle

    found = []
    for ax in fig.axes:
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        tx, ty = (x1 - x0) * 1e-6, (y1 - y0) * 1e-6

        def check(x, y, what):
            x, y = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
            ok = np.isnan(x) | np.isnan(y) | ((x >= x0 - tx) & (x <= x1 + tx)
                                              & (y >= y0 - ty) & (y <= y1 + ty))
            if not ok.all():
                found.append(f"{ax.get_title() or ax.get_xlabel()}: {what}")

        for artist in ax.collections:
            if artist.get_transform() != ax.transData and not isinstance(artist, PathCollection):
                continue
            if isinstance(artist, PathCollection) and artist.get_offset_transform() == ax.transData:
                offsets = artist.get_offsets()
                if len(offsets):
                    check(offsets[:, 0], offsets[:, 1], "points")
            elif isinstance(artist, LineCollection):
                for segment in artist.get_segments():
                    if len(segment):
                        check(segment[:, 0], segment[:, 1], "error bars")
        for line in ax.lines:
            if line.get_transform() == ax.transData:
                xy = line.get_xydata()  # in the axes' units (dates as numbers)
                if len(xy):
                    check(xy[:, 0], xy[:, 1], "line")
        for patch in ax.patches:
            if isinstance(patch, Rectangle) and patch.get_transform() == ax.transData:
                x, y, w, h = patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()
                check([x, x + w], [y, y + h], "bar")
        for text in ax.texts:
            if text.get_transform() == ax.transData:
                check(*text.get_position(), f"label {text.get_text()!r}")
    return found


@pytest.mark.parametrize("corpus", ["seeds", "unequal"])
def test_no_figure_draws_outside_its_axes(corpus, seed_corpus, validation_dir):
    """Every report figure, on the seeds and on 94 real BASIL articles (three outlets, 64,
    28 and 2 articles), keeps its data inside its axes."""
    import json

    import matplotlib.pyplot as plt
    import pandas as pd

    from framing.report import build
    from framing.report.figures import figure_style

    if corpus == "seeds":
        analysis = framing.analyze(seed_corpus)
    else:
        rows = [json.loads(line) for line in
                (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")]
        take, chosen = {"fox": 64, "nyt": 28, "hpo": 2}, []
        for row in rows:
            if take.get(row["outlet"], 0) > 0:
                take[row["outlet"]] -= 1
                chosen.append(row)
        analysis = framing.analyze(pd.DataFrame(chosen)[["id", "outlet", "date", "text"]])
    with figure_style():
        _, _, _, figures, _, _ = build(analysis, n_boot=100)
        try:
            # both share stories between outlets: the within-story figure; the real articles
            # have dates: the trend figure too
            assert "within_story" in figures
            assert len(figures) == (8 if corpus == "seeds" else 9)
            for name, fig in figures.items():
                fig.canvas.draw()
                assert _outside(fig) == [], name
        finally:
            for fig in figures.values():
                plt.close(fig)


def test_dot_interval_shows_n_and_marks_groups_not_tested(seed_corpus):
    from matplotlib.colors import to_rgba

    from framing.report.figures import comparison_figures

    analysis = framing.analyze(seed_corpus)
    table = analysis.compare(n_boot=100).table.copy()
    first = sorted(table["group"].unique())[0]
    table.loc[(table["group"] == first) & (table["other"] == ""), "note"] = "few_articles"
    fig, ax = plt.subplots()
    plot.dot_interval(table, "hedges_per_1k", ax=ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert f"{plot.plain(first)} (1, not tested)" in labels
    assert all(label.endswith("(1)") for label in labels if "not tested" not in label)
    faces = [to_rgba(line.get_markerfacecolor()) for line in ax.lines if line.get_marker()]
    assert faces.count(to_rgba("white")) == 1
    plt.close(fig)
    # the figure title sits above the panels' titles
    figures = comparison_figures(table, 5)
    try:
        fig = figures["dot_interval"]
        renderer = fig.canvas.get_renderer()
        title = fig.texts[0].get_window_extent(renderer)
        for ax in fig.axes:
            assert ax.title.get_window_extent(renderer).y1 <= title.y0 + 1
    finally:
        for fig in figures.values():
            plt.close(fig)


def test_many_groups_get_story_arc_panels(validation_dir, monkeypatch):
    """Above STORY_ARC_PANELS_FROM groups (lowered here to 2 for three BASIL outlets, 75
    articles), the story arc is a panel per group beside the mean of all articles."""
    import json

    import framing.report.figures as report_figures
    from framing.report import build
    from framing.report.figures import figure_style

    rows = [json.loads(line) for line in
            (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")][:75]
    analysis = framing.analyze(pd.DataFrame(rows)[["id", "outlet", "text"]])
    monkeypatch.setattr(report_figures, "STORY_ARC_PANELS_FROM", 2)
    with figure_style():
        _, _, _, figures, _, _ = build(analysis, n_boot=100)
        try:
            panels = [ax for ax in figures["story_arc"].axes if ax.get_visible()]
            counts = analysis.articles["outlet"].value_counts()
            assert sorted(ax.get_title() for ax in panels) == sorted(
                f"{g} ({n} articles)" for g, n in counts.items())
            for ax in panels:
                assert [line.get_label() for line in ax.lines][0] == "all articles"
            assert _outside(figures["story_arc"]) == []
        finally:
            for fig in figures.values():
                plt.close(fig)


def test_article_map_labels_only_where_they_fit(validation_dir):
    """On 94 real articles: some articles are labelled, no two labels overlap, none leaves the
    axes, and the title says how many are labelled."""
    import json

    rows = [json.loads(line) for line in
            (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")][:94]
    analysis = framing.analyze(pd.DataFrame(rows)[["id", "outlet", "text"]])
    fig, ax = plt.subplots(figsize=(8, 6))
    try:
        plot.article_map(analysis.articles, ax=ax)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = [t for t in ax.texts if t.get_text()]
        assert 0 < len(labels) <= plot.ARTICLE_MAP_LABELS
        boxes = [t.get_window_extent(renderer) for t in labels]
        inside = ax.get_window_extent(renderer)
        for i, a in enumerate(boxes):
            assert inside.x0 <= a.x0 and a.x1 <= inside.x1 + 1 and inside.y0 <= a.y0 \
                and a.y1 <= inside.y1 + 1
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), (labels[i].get_text())
        assert f"{len(labels)} of 94 articles labelled" in ax.get_title()
    finally:
        plt.close(fig)
