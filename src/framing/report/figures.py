"""The report's figures: which are drawn, their layout and style, and saving them.

:func:`figure_style` applies the report's seaborn theme inside :func:`matplotlib.pyplot.rc_context`,
so drawing and saving the report's figures never changes the user's own settings; the drawing
functions themselves are in :mod:`framing.plot`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..engine import parallel_map
from ..measures import registry
from .formats import DEFAULT_FIGURE_FORMATS, FIGURE_FORMATS
from ..plot import (STORY_ARC_LINES, article_map, attribution_profile, distinctive_terms, dot_interval,
                    framing_balance, heatmap, story_arc, trend, within_story)

__all__ = ["FIGURES", "FIGURE_GROUP_LIMIT", "FigureInputs", "comparison_figures",
           "draw_figures", "figure_plan", "figure_style", "render_figures", "save_figures",
           "story_arc_panels", "trend_figure", "within_story_figure"]

#: Above this many groups the comparison figures would be unreadable (and enormous): none is
#: drawn, and comparison.csv holds every figure.
FIGURE_GROUP_LIMIT = 40


@contextmanager
def figure_style():
    """The report's look (seaborn's whitegrid theme, paper context) for the figures drawn and
    saved inside the block; every matplotlib setting is restored afterwards."""
    with plt.rc_context():
        sns.set_theme(style="whitegrid", context="paper")
        yield


#: The figures every report has (:func:`figure_plan` adds ``trend`` and ``within_story`` when
#: the articles have dates and shared stories).
FIGURES = ("heatmap", "dot_interval", "framing_balance", "story_arc", "attribution_profile",
           "distinctive_terms", "article_map")



def heatmap_figure(comparison: pd.DataFrame, groups: int) -> plt.Figure:
    """Every measure for every group (:func:`framing.plot.heatmap`), sized for ``groups``."""
    # wide enough for the measures' names beside even one group's column
    fig, ax = plt.subplots(figsize=(max(6.0, 2.2 + 1.3 * groups), 7))
    heatmap(comparison, ax=ax)
    fig.tight_layout()
    return fig


def dot_interval_figure(comparison: pd.DataFrame, groups: int, *,
                        resampled: str | None = None) -> plt.Figure:
    """Each group's value with its interval, a panel per measure (:func:`framing.plot.dot_interval`)."""
    interval_measures = registry.interval_measures()
    cols = 3
    rows = int(np.ceil(len(interval_measures) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(15, 2.2 + rows * (0.45 * groups + 1.4)),
                             sharey=True)
    for ax, measure in zip(axes.flat, interval_measures):
        dot_interval(comparison, measure, resampled=resampled, ax=ax)
        ax.set_xlabel(ax.get_xlabel().split("\n")[0] if ax.get_subplotspec().rowspan.stop < rows
                      else ax.get_xlabel(), fontsize=8)
    fig.suptitle("Each outlet's value with its 95% bootstrap interval")
    # leave room for the figure's title (about half an inch) above its panels
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return fig


def framing_balance_figure(comparison: pd.DataFrame, groups: int) -> plt.Figure:
    """Nationalist and cautionary shares and the balance (:func:`framing.plot.framing_balance`)."""
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.5 * groups))
    framing_balance(comparison, ax=ax)
    fig.tight_layout()
    return fig


def _comparison_plan(comparison: pd.DataFrame, groups: int, resampled: str | None) -> dict:
    return {"heatmap": lambda: heatmap_figure(comparison, groups),
            "dot_interval": lambda: dot_interval_figure(comparison, groups, resampled=resampled),
            "framing_balance": lambda: framing_balance_figure(comparison, groups)}


def comparison_figures(comparison: pd.DataFrame, groups: int, *,
                       resampled: str | None = None) -> dict[str, plt.Figure]:
    """The figures drawn from the comparison table alone (heatmap, dot_interval,
    framing_balance), sized for ``groups`` groups; draw them inside :func:`figure_style`."""
    return {name: draw() for name, draw in _comparison_plan(comparison, groups, resampled).items()}


#: Above this many groups (of more than ``STORY_ARC_LINES`` articles in all), the story arc is
#: drawn as small multiples, a panel per group.
STORY_ARC_PANELS_FROM = 6


#: Panels to a row in the small-multiple figures.
PANEL_COLUMNS = 3


def panel_grid(items: list, draw, size, **share) -> tuple[plt.Figure, np.ndarray]:
    """Small multiples, :data:`PANEL_COLUMNS` to a row: ``draw(item, ax)`` for each item, the
    panels left over hidden; ``size(rows)`` is the figure size, ``share`` goes to
    :func:`matplotlib.pyplot.subplots` (``sharex``, ``sharey``)."""
    rows = max(1, -(-len(items) // PANEL_COLUMNS))
    fig, axes = plt.subplots(rows, PANEL_COLUMNS, figsize=size(rows), squeeze=False, **share)
    for ax, item in zip(axes.ravel(), items):
        draw(item, ax)
    for ax in axes.ravel()[len(items):]:
        ax.set_visible(False)
    return fig, axes


def story_arc_panels(sentences: pd.DataFrame, articles: pd.DataFrame, by: str) -> plt.Figure:
    """The story arc as small multiples: each group's mean by tenth of the article with its
    band, beside the mean of all articles."""
    names = sorted(articles[by].astype(object).fillna("unknown").astype(str).unique())
    fig, _ = panel_grid(names, lambda name, ax: story_arc(sentences, articles, by=by,
                                                          group=name, ax=ax),
                        lambda rows: (11, 2.4 * rows + 0.8), sharex=True, sharey=True)
    fig.suptitle("Story arc: mean sentence sentiment by tenth of the article (band: 95% normal "
                 "interval; dashed: all articles)")
    fig.supxlabel("Position in the article (tenths, 0 = start, 1 = end)", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / fig.get_figheight()))
    return fig


def trend_figure(table: pd.DataFrame, measures: list[str]) -> plt.Figure:
    """The key measures by group over time (``framing.compare.over_time``), a panel each."""
    shown = [m for m in measures if table.loc[table["measure"] == m, "estimate"].notna().any()]
    fig, axes = panel_grid(shown, lambda measure, ax: trend(table, measure, ax=ax),
                           lambda rows: (11, 2.9 * rows), sharex=True)
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(6, max(1, len(names))),
               fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.02))
    kind = table["period_kind"].iloc[0] if len(table) else "period"
    fig.suptitle(f"The key measures by {kind}, each group's value with its interval")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def within_story_figure(table: pd.DataFrame, measures: list[str]) -> plt.Figure:
    """The key measures' within-story differences (``framing.compare.within_stories``), a
    panel each."""
    shown = [m for m in measures if table.loc[table["measure"] == m, "difference"].notna().any()]
    groups = max(1, table["group"].nunique())
    fig, _ = panel_grid(shown, lambda measure, ax: within_story(table, measure, ax=ax),
                        lambda rows: (13, rows * (0.4 * groups + 1.6)), sharey=True)
    fig.suptitle("Within stories: each group against the mean of the stories it shares "
                 "(* adjusted p < 0.05)")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()))
    return fig


@dataclass
class FigureInputs:
    """What the report's figures are drawn from (:func:`figure_plan`)."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    comparison: pd.DataFrame
    keyness: pd.DataFrame
    by: str = "outlet"
    resampled: str | None = None
    trend_table: pd.DataFrame | None = None
    within_table: pd.DataFrame | None = None


def _single(size, draw) -> plt.Figure:
    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    fig.tight_layout()
    return fig


def figure_plan(inputs: FigureInputs) -> dict[str, Callable[[], plt.Figure]]:
    """Every report figure the inputs give, as a function drawing it, keyed by file name, in
    the report's order (none above :data:`FIGURE_GROUP_LIMIT` groups; the trend with dates in
    two periods or more, the within-story figure with shared stories)."""
    articles, sentences, by = inputs.articles, inputs.sentences, inputs.by
    groups = max(1, articles[by].nunique()) if len(articles) else 1
    if groups > FIGURE_GROUP_LIMIT:
        return {}
    plan = _comparison_plan(inputs.comparison, groups, inputs.resampled)
    # many groups of many articles: the story arc as a panel per group, not overlapping bands
    if groups > STORY_ARC_PANELS_FROM and articles["article_id"].nunique() > STORY_ARC_LINES:
        plan["story_arc"] = lambda: story_arc_panels(sentences, articles, by)
    else:
        plan["story_arc"] = lambda: _single((9, 5), lambda ax: story_arc(sentences, articles,
                                                                         by=by, ax=ax))
    plan["attribution_profile"] = lambda: _single(
        (9, 1.8 + 0.7 * groups), lambda ax: attribution_profile(sentences, articles, by=by, ax=ax))
    plan["distinctive_terms"] = lambda: _single(
        (8, 1.5 + 0.22 * 6 * groups), lambda ax: distinctive_terms(inputs.keyness, ax=ax))
    plan["article_map"] = lambda: _single((8, 6), lambda ax: article_map(articles, by=by, ax=ax))
    trend_table, within_table = inputs.trend_table, inputs.within_table
    if trend_table is not None and trend_table["period"].nunique() >= 2:
        plan["trend"] = lambda: trend_figure(trend_table, list(registry.key_measures()))
    if within_table is not None and within_table["difference"].notna().any():
        plan["within_story"] = lambda: within_story_figure(within_table,
                                                           list(registry.key_measures()))
    return plan


def draw_figures(inputs: FigureInputs, step=None) -> dict[str, plt.Figure]:
    """Every figure of :func:`figure_plan`, as matplotlib figures keyed by file name; draw and
    save them inside :func:`figure_style`. ``step`` is told the name of each figure as its
    drawing starts."""
    step = step or (lambda name: None)
    figures = {}
    for name, draw in figure_plan(inputs).items():
        step(f"drawing {name}")
        figures[name] = draw()
    return figures


def _draw_report_figure(inputs: FigureInputs, name: str) -> plt.Figure:
    """One figure of :func:`figure_plan`, drawn."""
    return figure_plan(inputs)[name]()


def _render(shared: tuple, name: str) -> tuple[str, list[Path], object]:
    """Draw one figure of the plan, save it in each format and close it: ``(name, paths,
    page_image(PNG bytes))`` (PNG is always saved first)."""
    import multiprocessing

    inputs, folder, formats, dpi, page_image = shared
    if multiprocessing.parent_process() is not None:  # a worker: no screen, whatever the parent's
        plt.switch_backend("Agg")
    with figure_style():
        fig = _draw_report_figure(inputs, name)
        try:
            paths = save_figures({name: fig}, folder, formats=formats, dpi=dpi)
        finally:
            plt.close(fig)
    return name, paths, page_image(paths[0].read_bytes())


def render_figures(inputs: FigureInputs, folder: str | Path, formats=DEFAULT_FIGURE_FORMATS,
                   dpi: int = 150, *, page_image: Callable[[bytes], object] = bytes,
                   jobs: int = 1, step=None, meanwhile=None) -> list[tuple[str, list[Path], object]]:
    """Draw, save and close each figure of :func:`figure_plan` one at a time, in ``jobs``
    processes: ``(name, paths written, page_image(the PNG's bytes))`` per figure, in the plan's
    order (``page_image``, a module-level function, runs in the worker too). The files are the
    same whatever ``jobs`` is (tested). PNG is always written (first); ``step`` is told each
    figure's name as it is done; ``meanwhile`` runs in this process while the workers draw
    (:func:`framing.engine.parallel_map`)."""
    formats = ("png",) + tuple(f for f in formats if f != "png")
    plan = list(figure_plan(inputs))
    # the figures of many panels first, so that no process is left with one at the end
    names = sorted(plan, key=lambda name: name not in _MANY_PANELS)
    step = step or (lambda name: None)

    def told(results, total):
        for result in results:
            step(f"drew and saved {result[0]}")
            yield result

    rendered = parallel_map(_render, names, (inputs, Path(folder), formats, dpi, page_image),
                            jobs=jobs, progress=told, min_parallel=2, meanwhile=meanwhile)
    return sorted(rendered, key=lambda result: plan.index(result[0]))


#: The figures of many panels, which take longest to draw and save.
_MANY_PANELS = ("trend", "within_story", "dot_interval")


def save_figures(figures: dict[str, plt.Figure], folder: str | Path,
                 formats=DEFAULT_FIGURE_FORMATS, dpi: int = 150, step=None) -> list[Path]:
    """Write each figure in each of ``formats`` (PNG, SVG and/or PDF; no timestamps, fixed
    SVG ids: reproducible files); ``step`` is told the name of each figure as its saving
    starts."""
    unknown = sorted(set(formats) - set(FIGURE_FORMATS))
    if unknown:
        from ..errors import ConfigurationError

        raise ConfigurationError(f"unknown figure format {unknown[0]!r}",
                                 hint=f"one of {', '.join(FIGURE_FORMATS)}")
    step = step or (lambda name: None)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with plt.rc_context({"svg.hashsalt": "framing", "svg.fonttype": "path"}):
        for name, fig in figures.items():
            step(f"saving {name}")
            for fmt in formats:
                path = folder / f"{name}.{fmt}"
                metadata = {"png": {"Software": None}, "svg": {"Date": None},
                            "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
                fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, bbox_inches="tight")
                written.append(path)
    return written
