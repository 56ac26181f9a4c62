"""The report's figures: which are drawn, their layout and style, and saving them.

:func:`figure_style` applies the report's seaborn theme inside :func:`matplotlib.pyplot.rc_context`,
so drawing and saving the report's figures never changes the user's own settings; the drawing
functions themselves are in :mod:`framing.plot`.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..measures import registry
from .formats import DEFAULT_FIGURE_FORMATS, FIGURE_FORMATS
from ..plot import (STORY_ARC_LINES, article_map, attribution_profile, distinctive_terms, dot_interval,
                    framing_balance, heatmap, story_arc, trend, within_story)

__all__ = ["FIGURES", "FIGURE_GROUP_LIMIT", "comparison_figures",
           "draw_figures", "figure_style", "save_figures", "story_arc_panels", "trend_figure",
           "within_story_figure"]

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


#: The report's figures: name -> (drawing function of (analysis parts), figure size).
FIGURES = ("heatmap", "dot_interval", "framing_balance", "story_arc", "attribution_profile",
           "distinctive_terms", "article_map")



def comparison_figures(comparison: pd.DataFrame, groups: int, *,
                       resampled: str | None = None) -> dict[str, plt.Figure]:
    """The figures drawn from the comparison table alone (heatmap, dot_interval,
    framing_balance), sized for ``groups`` groups; draw them inside :func:`figure_style`."""
    interval_measures = registry.interval_measures()
    figures = {}
    fig, ax = plt.subplots(figsize=(2.2 + 1.3 * groups, 7))
    heatmap(comparison, ax=ax)
    figures["heatmap"] = fig
    cols = 3
    rows = int(np.ceil(len(interval_measures) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(15, 2.2 + rows * (0.45 * groups + 1.4)),
                             sharey=True)
    for ax, measure in zip(axes.flat, interval_measures):
        dot_interval(comparison, measure, resampled=resampled, ax=ax)
        ax.set_xlabel(ax.get_xlabel().split("\n")[0] if ax.get_subplotspec().rowspan.stop < rows
                      else ax.get_xlabel(), fontsize=8)
    fig.suptitle("Each outlet's value with its 95% bootstrap interval")
    figures["dot_interval"] = fig
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.5 * groups))
    framing_balance(comparison, ax=ax)
    figures["framing_balance"] = fig
    for name, fig in figures.items():
        # leave room for dot_interval's figure title (about half an inch) above its panels'
        top = 1 - 0.5 / fig.get_figheight() if name == "dot_interval" else 1
        fig.tight_layout(rect=(0, 0, 1, top))
    return figures


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


def draw_figures(articles: pd.DataFrame, sentences: pd.DataFrame, comparison: pd.DataFrame,
                 keyness: pd.DataFrame, *, by: str = "outlet",
                 resampled: str | None = None, step=None,
                 trend_table: pd.DataFrame | None = None,
                 within_table: pd.DataFrame | None = None) -> dict[str, plt.Figure]:
    """Every report figure, as matplotlib figures keyed by file name (none above
    :data:`FIGURE_GROUP_LIMIT` groups); draw and save them inside :func:`figure_style`.
    ``step`` is told the name of each figure as its drawing starts."""
    step = step or (lambda name: None)
    groups = max(1, articles[by].nunique()) if len(articles) else 1
    if groups > FIGURE_GROUP_LIMIT:
        return {}
    step("drawing the comparison figures")
    figures = comparison_figures(comparison, groups, resampled=resampled)
    # many groups of many articles: the story arc as a panel per group, not overlapping bands
    panels = groups > STORY_ARC_PANELS_FROM and articles["article_id"].nunique() > STORY_ARC_LINES
    for name, size, draw in (
            ("story_arc", (9, 5), lambda ax: story_arc(sentences, articles, by=by, ax=ax)),
            ("attribution_profile", (9, 1.8 + 0.7 * groups),
             lambda ax: attribution_profile(sentences, articles, by=by, ax=ax)),
            ("distinctive_terms", (8, 1.5 + 0.22 * 6 * groups),
             lambda ax: distinctive_terms(keyness, ax=ax)),
            ("article_map", (8, 6), lambda ax: article_map(articles, by=by, ax=ax))):
        step(f"drawing {name}")
        if name == "story_arc" and panels:
            figures[name] = story_arc_panels(sentences, articles, by)
            continue
        fig, ax = plt.subplots(figsize=size)
        draw(ax)
        fig.tight_layout()
        figures[name] = fig
    if trend_table is not None and trend_table["period"].nunique() >= 2:
        step("drawing trend")
        figures["trend"] = trend_figure(trend_table, list(registry.key_measures()))
    if within_table is not None and within_table["difference"].notna().any():
        step("drawing within_story")
        figures["within_story"] = within_story_figure(within_table,
                                                      list(registry.key_measures()))
    return figures


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
