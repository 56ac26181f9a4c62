"""Figures (seaborn/matplotlib). Every function takes tables and ``ax=``, draws, and returns the ax.

Drawing only: no function here changes matplotlib's or seaborn's global settings, saves a file,
or computes a statistic of its own (the z-scores, PCA coordinates and voice shares come from
:mod:`framing.compare` and :mod:`framing.aggregate`). The report's layout of these figures, its
style and the saving live in :mod:`framing.report.figures`.

Each group (outlet) keeps one colour, one marker and one hatch pattern in every figure, so the
figures stay readable in greyscale and for colour-blind readers (seaborn's ``colorblind``
palette). A figure that cannot be drawn from the data says so on the axes instead of drawing
something misleading.

>>> import framing, framing.plot as fp
>>> analysis = framing.analyze("seeds", manifest="seeds/manifest.csv")   # doctest: +SKIP
>>> fp.dot_interval(analysis.compare().table, "hedges_per_1k")          # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Iterable

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns

__all__ = ["LABELS", "article_map", "attribution_profile", "distinctive_terms", "dot_interval",
           "framing_balance", "group_styles", "heatmap", "plain", "story_arc", "trend",
           "within_story"]

#: Above this many articles the story arc shows each group's mean instead of a line each.
STORY_ARC_LINES = 60
#: The article map draws at most this many articles (a seeded sample above it) ...
ARTICLE_MAP_POINTS = 2000
#: ... and labels them with their ids only up to this many.
ARTICLE_MAP_LABELS = 30

class _Labels(Mapping):
    """Plain-language names of the article measures, used on every axis: a live view of the
    measure registry (:func:`framing.measures.registry.labels`)."""

    def _labels(self) -> dict[str, str]:
        from .measures import registry

        return registry.labels()

    def __getitem__(self, key: str) -> str:
        return self._labels()[key]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


LABELS = _Labels()
_MARKERS = ["o", "s", "D", "^", "v", "P", "X", "<", ">", "h"]
_HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--", "**", "||"]


def plain(text) -> str:
    """``text`` as it should be drawn: data (outlet names, ids, words) is never read as
    matplotlib mathtext, so "$$ Money" is drawn as written instead of failing."""
    return str(text).replace("$", r"\$")


def group_styles(groups: Iterable[str]) -> dict[str, dict]:
    """A fixed colour, marker and hatch per group (sorted by name, so stable across figures)."""
    names = sorted({str(g) for g in groups})
    colours = sns.color_palette("colorblind", max(len(names), 1))
    return {name: {"color": colours[i % len(colours)], "marker": _MARKERS[i % len(_MARKERS)],
                   "hatch": _HATCHES[i % len(_HATCHES)]} for i, name in enumerate(names)}


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    return ax


def _no_data(ax, title: str, message: str):
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, transform=ax.transAxes,
            fontsize=11, color="0.3")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _sorted_legend(ax) -> None:
    handles, names = ax.get_legend_handles_labels()
    unique = dict(sorted(zip(names, handles), key=lambda item: item[0]))
    ax.legend(unique.values(), [plain(name) for name in unique], fontsize=7, loc="best")


def _levels(comparison: pd.DataFrame) -> pd.DataFrame:
    return comparison[comparison["other"].fillna("") == ""]


def heatmap(comparison: pd.DataFrame, *, measures: list[str] | None = None, ax=None):
    """Groups x measures: colour is the value standardised across groups (z), the number the value."""
    ax = _axes(ax)
    title = "How the outlets differ, measure by measure"
    from .compare import standardised_levels

    values, z = standardised_levels(comparison, measures or list(LABELS))
    if values.empty:
        return _no_data(ax, title, "No measures to compare.")
    values, z = values.rename(index=plain), z.rename(index=plain)  # drawn as tick labels
    # a value without a z (one group, or every group equal) is drawn in the neutral colour, so
    # that its number shows; a missing value is "n/a"
    shown = z.T.where(z.T.notna() | values.T.isna(), 0.0)
    sns.heatmap(shown, ax=ax, cmap="vlag", center=0, vmin=-2, vmax=2, annot=values.T, fmt=".2f",
                annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": "standardised across outlets (z)"}, mask=values.T.isna())
    for i, measure in enumerate(z.columns):
        for j, group in enumerate(z.index):
            if pd.isna(values.loc[group, measure]):
                ax.text(j + 0.5, i + 0.5, "n/a", ha="center", va="center", fontsize=8, color="0.4")
    ax.grid(False)
    ax.set_yticklabels([LABELS.get(t.get_text(), t.get_text()) for t in ax.get_yticklabels()],
                       rotation=0, fontsize=8)
    ax.set_xticklabels([t.get_text() for t in ax.get_xticklabels()], rotation=30,
                       ha="right", fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    note = ("colour: above/below the outlets' average" if len(z.index) > 1 else
            "one group: no colour, which compares groups")
    ax.set_title(f"{title}\n(numbers: values; {note})", fontsize=10)
    return ax


def _dot(ax, x: float, y: float, low: float, high: float, style: dict, hollow: bool) -> None:
    """One group's value at ``y`` with its interval (none when ``low``/``high`` are missing);
    hollow for a group shown but not tested."""
    below = x - low if pd.notna(low) else 0
    above = high - x if pd.notna(high) else 0
    ax.errorbar(x, y, xerr=[[max(below, 0)], [max(above, 0)]], fmt=style["marker"],
                color=style["color"], ecolor="0.35", capsize=4, markersize=8,
                markeredgecolor="black", markerfacecolor="white" if hollow else style["color"])


def dot_interval(comparison: pd.DataFrame, measure: str, *, resampled: str | None = None,
                 ax=None):
    """One measure by group: the estimate and its 95% bootstrap interval. ``resampled`` says
    what the intervals resampled (``Comparison.resampled``) for the axis label."""
    ax = _axes(ax)
    label = LABELS.get(measure, measure)
    levels = _levels(comparison)
    levels = levels[levels["measure"] == measure].dropna(subset=["estimate"])
    if levels.empty:
        return _no_data(ax, label, f"No values for {measure}.")
    styles = group_styles(_levels(comparison)["group"])
    levels = levels.sort_values("group", ascending=False).reset_index(drop=True)
    notes = levels["note"].fillna("") if "note" in levels else pd.Series("", index=levels.index)
    for y, row in levels.iterrows():
        # a group shown but not tested (fewer articles than the minimum): a hollow marker
        _dot(ax, row["estimate"], y, row["ci_low"], row["ci_high"], styles[row["group"]],
             hollow="few_articles" in notes[y])
    names = []
    for y, row in levels.iterrows():
        parts = [f"{int(row['n_articles'])}"] if pd.notna(row.get("n_articles")) else []
        parts += ["not tested"] if "few_articles" in notes[y] else []
        names.append(plain(row["group"]) + (f" ({', '.join(parts)})" if parts else ""))
    ax.set_yticks(range(len(levels)), names)
    if resampled == "articles":  # compared from the articles table alone
        unit = "articles resampled"
    elif (levels["unit"] == "sentence").all():
        unit = "sentences resampled"
    else:
        unit = "articles and sentences resampled"
    ax.set_xlabel(f"{label}\n(dot: value; bar: 95% bootstrap interval, {unit})")
    ax.set_title(label)
    ax.grid(axis="x", alpha=0.3)
    return ax


def trend(table: pd.DataFrame, measure: str, *, ax=None):
    """One measure by group over time (``framing.compare.over_time``'s table): each group's
    value per period, with its 95% bootstrap interval over the period's articles (none for a
    single article)."""
    ax = _axes(ax)
    label = LABELS.get(measure, measure)
    rows = table[(table["measure"] == measure)].dropna(subset=["estimate"])
    if rows.empty:
        return _no_data(ax, label, f"No dated values for {measure}.")
    styles = group_styles(table["group"])
    for group, part in rows.groupby("group", sort=True):
        style = styles[group]
        x = pd.to_datetime(part["period"])
        low = (part["estimate"] - part["ci_low"]).clip(lower=0).fillna(0)
        high = (part["ci_high"] - part["estimate"]).clip(lower=0).fillna(0)
        ax.errorbar(x, part["estimate"], yerr=[low, high], fmt="-" + style["marker"],
                    color=style["color"], ecolor=style["color"], elinewidth=0.8, capsize=2,
                    markersize=5, markeredgecolor="black", linewidth=1, label=plain(group),
                    alpha=0.9)
    kind = table["period_kind"].iloc[0] if len(table) else "period"
    ax.set_title(label, fontsize=9)
    ax.set_xlabel(f"{kind} (bars: 95% bootstrap interval over the {kind}'s articles)",
                  fontsize=7)
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    return ax


def within_story(table: pd.DataFrame, measure: str, *, ax=None):
    """One measure's within-story differences (``framing.compare.within_stories``'s table):
    each group's mean difference from the stories' means, with its 95% interval over stories,
    beside a zero line. Groups in too few shared stories are hollow and not tested."""
    ax = _axes(ax)
    label = LABELS.get(measure, measure)
    rows = table[table["measure"] == measure].dropna(subset=["difference"])
    if rows.empty:
        return _no_data(ax, label, f"No stories shared by two groups for {measure}.")
    styles = group_styles(table["group"])
    # every panel has the same rows (all groups of the table), so panels can share the y axis
    order = sorted(table["group"].unique(), reverse=True)
    ax.axvline(0, color="black", linewidth=0.8)
    for _, row in rows.iterrows():
        y = order.index(row["group"])
        _dot(ax, row["difference"], y, row["ci_low"], row["ci_high"], styles[row["group"]],
             hollow="few_stories" in str(row["note"]))
        if pd.notna(row["p_adj"]) and row["p_adj"] < 0.05:
            ax.annotate("*", (row["difference"], y), xytext=(0, 5), textcoords="offset points",
                        ha="center", fontsize=11, fontweight="bold")
    stories = table.drop_duplicates("group").set_index("group")
    ax.set_yticks(range(len(order)), [
        f"{plain(g)} ({int(stories.loc[g, 'n_stories'])} stories"
        f"{', not tested' if 'few_stories' in str(stories.loc[g, 'note']) else ''})"
        for g in order])
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_title(label, fontsize=9)
    ax.set_xlabel("difference from the story mean (bar: 95% interval over stories)", fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    return ax


def framing_balance(comparison: pd.DataFrame, *, ax=None):
    """Nationalist (right) against cautionary (left) sentence shares by group, with the balance."""
    ax = _axes(ax)
    title = "Contest of nations or story of limits?"
    from .compare import group_levels

    levels = group_levels(comparison)
    needed = {"nationalist_share", "cautionary_share"}
    if levels.empty or not needed <= set(levels.columns):
        return _no_data(ax, title, "No framing measures to show.")
    levels = levels.sort_index(ascending=False)
    y = np.arange(len(levels))
    ax.barh(y, levels["nationalist_share"], color="#E69F00", edgecolor="black", hatch="//",
            label="nationalist sentences (share)")
    ax.barh(y, -levels["cautionary_share"], color="#56B4E9", edgecolor="black", hatch="..",
            label="cautionary sentences (share)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [plain(g) for g in levels.index])
    limit = max(0.1, float(np.nanmax(np.abs(levels[list(needed)].to_numpy()))) * 1.15)
    ax.set_xlim(-limit, limit)
    ticks = [t for t in ax.get_xticks() if -limit <= t <= limit]
    ax.set_xticks(ticks, [f"{abs(t):.0%}" for t in ticks])
    ax.set_xlabel("<- share of sentences with cautionary framing | with nationalist framing ->")
    handles, names = ax.get_legend_handles_labels()
    if "framing_balance" in levels:
        # the balance is an index from -1 to 1, not a share: it gets its own scale (top axis)
        top = ax.twiny()
        top.scatter(levels["framing_balance"], y, marker="D", color="black", zorder=3,
                    label="framing balance (top scale)")
        top.set_xlim(-1.05, 1.05)
        top.set_xticks([-1, -0.5, 0, 0.5, 1], ["-1", "-0.5", "0", "+0.5", "+1"])
        top.set_xlabel("framing balance (diamonds): -1 all cautionary, +1 all nationalist",
                       fontsize=8)
        more, more_names = top.get_legend_handles_labels()
        handles, names = handles + more, names + more_names
    ax.set_title(title, pad=28 if "framing_balance" in levels else 6)
    ax.legend(handles, names, loc="lower center", bbox_to_anchor=(0.5, -0.42), ncol=3,
              fontsize=8, frameon=False)
    return ax


def story_arc(sentences: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet",
              window: int = 5, group: str | None = None, ax=None):
    """Sentiment through each article (rolling mean), with framed sentences marked. Above
    :data:`STORY_ARC_LINES` articles, each group's mean by tenth of the article with a band;
    with ``group``, that group's mean alone beside the mean of all articles (one panel of
    small multiples)."""
    ax = _axes(ax)
    title = "Story arc: sentiment from first to last sentence"
    data = sentences.dropna(subset=["sentiment"])
    data = data[~data.get("is_heading", pd.Series(False, index=data.index)).astype(bool)]
    if data.empty:
        return _no_data(ax, title, "No measured sentences.")
    labels = articles.set_index("article_id")[by].astype(object).fillna("unknown").astype(str)
    styles = group_styles(labels)
    if data["article_id"].nunique() > STORY_ARC_LINES or group is not None:
        return _story_arc_means(data, labels, styles, ax, title, group)
    for article_id, part in data.groupby("article_id", sort=True):
        part = part.sort_values("sentence_index")
        n = len(part)
        position = np.linspace(0, 1, n) if n > 1 else np.array([0.5])
        smooth = part["sentiment"].astype(float).rolling(window, center=True, min_periods=1).mean()
        style = styles[labels.get(article_id, "unknown")]
        ax.plot(position, smooth, color=style["color"], linewidth=1.8,
                label=f"{labels.get(article_id, 'unknown')}", marker=style["marker"],
                markevery=[0], markersize=6)
        for column, marker in (("nationalist", "^"), ("cautionary", "v")):
            flags = part[column].astype(bool).to_numpy()
            ax.scatter(position[flags], smooth.to_numpy()[flags], marker=marker, s=28,
                       facecolor="white" if column == "cautionary" else style["color"],
                       edgecolor=style["color"], zorder=3)
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("Position in the article (0 = first sentence, 1 = last)")
    ax.set_ylabel(f"Sentiment, rolling mean of {window} sentences")
    ax.set_title(title + "\n(▲ nationalist sentence, ▽ cautionary sentence)", fontsize=10)
    _sorted_legend(ax)
    return ax


def _story_arc_means(data: pd.DataFrame, labels: pd.Series, styles: dict, ax, title: str,
                     only: str | None = None):
    """Too many articles for a line each: the mean sentiment of each group by tenth of the
    article, with the share of framed sentences marked, and the title says so. With ``only``,
    that group alone, beside the mean of all articles (grey, dashed)."""
    data = data.assign(group=data["article_id"].map(labels).fillna("unknown"))
    position = data.groupby("article_id")["sentence_index"].rank(method="first") - 1
    length = data.groupby("article_id")["sentence_index"].transform("count")
    data = data.assign(tenth=np.minimum((position / length * 10).astype(int), 9))
    means = data.groupby(["group", "tenth"])["sentiment"].agg(["mean", "sem"]).reset_index()
    x = (np.arange(10) + 0.5) / 10
    if only is not None:
        overall = data.groupby("tenth")["sentiment"].mean().reindex(range(10))
        ax.plot(x, overall, color="0.45", linestyle="--", linewidth=1.2, label="all articles")
        means = means[means["group"] == only]
        ax.axhline(0, color="0.5", linewidth=0.8)
        ax.set_xlim(0, 1)
        n = data.loc[data["group"] == only, "article_id"].nunique()
        ax.set_title(f"{plain(only)} ({n} article{'s' if n != 1 else ''})", fontsize=9)
    for group, part in means.groupby("group", sort=True):
        style = styles[group]
        part = part.set_index("tenth").reindex(range(10))
        ax.plot(x, part["mean"], color=style["color"], marker=style["marker"], linewidth=1.8,
                markersize=5, label=group)
        band = 1.96 * part["sem"].fillna(0)
        ax.fill_between(x, part["mean"] - band, part["mean"] + band, color=style["color"],
                        alpha=0.15, linewidth=0)
    if only is not None:
        return ax
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Position in the article (tenths, 0 = start, 1 = end)")
    ax.set_ylabel("Mean sentence sentiment (band: 95% normal interval)")
    ax.set_title(f"{title}\n(mean of {data['article_id'].nunique():,} articles per outlet: too "
                 f"many for a line each)", fontsize=10)
    _sorted_legend(ax)
    return ax


def attribution_profile(sentences: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet",
                        ax=None):
    """Whose voice: shares of sentences in the journalist's voice, attributed, quoted, by group,
    with quotations per 1,000 words and the named/vague/document source mix as labels."""
    ax = _axes(ax)
    title = "Who speaks? Voice of each sentence"
    data = sentences[sentences["voice"].astype(str) != ""]
    if data.empty:
        return _no_data(ax, title, "No measured sentences.")
    from .aggregate import voice_shares

    shares = voice_shares(data, articles, by).sort_index(ascending=False)
    figures = articles.assign(group=articles[by].astype(object).fillna("unknown").astype(str))
    summary = figures.groupby("group")[["quotes_per_1k", "named_source_share", "vague_source_share",
                                        "document_source_share"]].mean()
    left = np.zeros(len(shares))
    y = np.arange(len(shares))
    colours = {"journalist": "#BBBBBB", "attributed": "#009E73", "quoted": "#CC79A7"}
    hatches = {"journalist": "", "attributed": "//", "quoted": "xx"}
    for voice in shares.columns:
        ax.barh(y, shares[voice], left=left, color=colours[voice], hatch=hatches[voice],
                edgecolor="black", label={"journalist": "journalist's own voice",
                                          "attributed": "attributed to a source",
                                          "quoted": "inside a direct quote"}[voice])
        left += shares[voice].to_numpy()
    ticks = []
    for group in shares.index:
        row = summary.loc[group] if group in summary.index else None
        if row is None:
            ticks.append(plain(group))
            continue

        def pct(v):
            return "n/a" if pd.isna(v) else f"{v:.0%}"
        ticks.append(f"{plain(group)}\n{row['quotes_per_1k']:.1f} quotes/1k words; sources: "
                     f"{pct(row['named_source_share'])} named, {pct(row['vague_source_share'])} vague, "
                     f"{pct(row['document_source_share'])} documents")
    ax.set_yticks(y, ticks, fontsize=7)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("Share of sentences")
    ax.set_title(title)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.35), ncol=3, fontsize=8, frameon=False)
    return ax


def distinctive_terms(keyness: pd.DataFrame, *, top: int = 6, ax=None):
    """The words most typical of each group against the others (log-odds z-scores)."""
    ax = _axes(ax)
    title = "Words typical of each outlet (vs the others)"
    if keyness is None or keyness.empty:
        return _no_data(ax, title, "Distinctive words need at least two outlets.")
    styles = group_styles(keyness["group"])
    rows = keyness.sort_values(["group", "rank"]).groupby("group").head(top)
    rows = rows.iloc[::-1].reset_index(drop=True)
    for y, row in rows.iterrows():
        style = styles[row["group"]]
        ax.barh(y, row["z"], color=style["color"], hatch=style["hatch"], edgecolor="black")
    ax.set_yticks(range(len(rows)), [plain(f"{t}  ({g})") for t, g in zip(rows["term"], rows["group"])],
                  fontsize=7)
    ax.axvline(1.96, color="0.4", linestyle=":", linewidth=1)
    ax.set_xlabel("z-score of the log-odds ratio (informative Dirichlet prior); dotted line: z = 1.96")
    ax.set_title(title)
    return ax


def _labels_that_fit(ax, points: np.ndarray, texts: dict[int, str], fontsize: float = 7,
                     offset: tuple[float, float] = (6, 4)) -> set[int]:
    """The points whose label (``fontsize`` points, ``offset`` points up and right of the
    point) fits inside the axes without overlapping a label already placed: the points
    farthest from the centre first (the unusual articles), at most :data:`ARTICLE_MAP_LABELS`.
    Label sizes are estimated from the font size (0.6 em a character), so no drawing is
    needed."""
    ax.autoscale_view()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    figure = ax.get_figure()
    box = ax.get_position()
    width_pt = box.width * figure.get_figwidth() * 72
    height_pt = box.height * figure.get_figheight() * 72
    to_x, to_y = (x1 - x0) / width_pt, (y1 - y0) / height_pt  # data units per point
    order = sorted(texts, key=lambda k: -float(np.hypot(*points[k, :2])))
    boxes: list[tuple[float, float, float, float]] = []
    placed: set[int] = set()
    for k in order:
        if len(placed) >= ARTICLE_MAP_LABELS:
            break
        left = points[k, 0] + offset[0] * to_x
        bottom = points[k, 1] + offset[1] * to_y
        right = left + 0.6 * fontsize * len(texts[k]) * to_x
        top = bottom + 1.2 * fontsize * to_y
        if right > x1 or top > y1 or left < x0 or bottom < y0:
            continue
        if any(left < r and l < right and bottom < t and b < top for l, b, r, t in boxes):
            continue
        boxes.append((left, bottom, right, top))
        placed.add(k)
    return placed


def article_map(articles: pd.DataFrame, *, by: str = "outlet", measures: list[str] | None = None,
                ax=None):
    """Articles placed by principal component analysis of their standardised measures."""
    from .aggregate import article_map_coordinates

    ax = _axes(ax)
    title = "Map of articles by how they tell the story (PCA)"
    found = article_map_coordinates(articles, measures or list(LABELS))
    if found is None:
        return _no_data(ax, title, "A map needs at least 3 articles and 2 measures that vary.")
    points, explained, loadings = found
    labels = articles[by].astype(object).fillna("unknown").astype(str).to_numpy()
    ids = articles["article_id"].astype(str).to_numpy()
    styles = group_styles(labels)
    notes = []
    shown = np.arange(len(points))
    if len(points) > ARTICLE_MAP_POINTS:  # a seeded sample keeps the figure light and readable
        shown = np.sort(np.random.default_rng(0).choice(len(points), ARTICLE_MAP_POINTS,
                                                        replace=False))
        notes.append(f"a random {ARTICLE_MAP_POINTS:,} of {len(points):,} articles drawn")
    for group in sorted(set(labels[shown])):
        pick = shown[labels[shown] == group]
        style = styles[group]
        ax.scatter(points[pick, 0], points[pick, 1], color=style["color"], marker=style["marker"],
                   s=80 if len(shown) <= ARTICLE_MAP_LABELS else 16, edgecolor="black",
                   linewidth=0.5, label=group, zorder=3)
    top = ", ".join(LABELS.get(m, m).split(" (")[0].lower() for m in loadings.index[:2])
    ax.set_xlabel(f"PC1 ({explained[0]:.0%} of variance; mostly {top})")
    ax.set_ylabel(f"PC2 ({explained[1]:.0%} of variance)")
    ax.axhline(0, color="0.85", zorder=0)
    ax.axvline(0, color="0.85", zorder=0)
    ax.margins(0.2)
    texts = {k: plain(ids[k][:12]) for k in shown}
    placed = _labels_that_fit(ax, points, texts)
    for k in shown:
        if k in placed:
            ax.annotate(texts[k], (points[k, 0], points[k, 1]), textcoords="offset points",
                        xytext=(6, 4), fontsize=7)
    if len(placed) < len(shown):
        notes.append("no article labels" if not placed else
                     f"{len(placed)} of {len(shown)} articles labelled, where labels fit")
    _sorted_legend(ax)
    ax.set_title(title + (f"\n({'; '.join(notes)})" if notes else ""),
                 fontsize=10 if notes else None)
    return ax
