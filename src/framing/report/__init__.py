"""The self-contained HTML research report (Jinja2, inline CSS, figures embedded as data URIs).

All article text is HTML-escaped: autoescaping is on, and the highlighted articles come from
:meth:`framing.api.Explanation.html`, which escapes every chunk before wrapping it in marks.
Nothing in the page refers to an external URL.
"""

from __future__ import annotations

import base64
import io
import json

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from ..measures import registry
from .formats import DEFAULT_FIGURE_FORMATS

__all__ = ["build", "findings", "render_report", "report_html", "report_sample",
           "write_comparison", "write_report"]



def _fmt(fmt: str, value: float) -> str:
    return "n/a" if value is None or pd.isna(value) else fmt.format(value)


def _interval_text(fmt: str, row) -> str:
    if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return "no interval: every resample gave this value"
    return f"95% interval {_fmt(fmt, row['ci_low'])} to {_fmt(fmt, row['ci_high'])}"


def findings(comparison, rewrites: pd.DataFrame | None = None, within=None) -> list[str]:
    """Key findings in plain sentences, each with its interval and n, from the comparison
    table. Groups shown but not tested (fewer articles than the minimum) are left out of
    "highest" and "lowest"."""
    from ..compare.statistics import FEW_ARTICLES

    table = comparison.table
    levels = table[table["other"] == ""]
    out = []
    n_groups = len(comparison.groups)
    n_articles = sum(comparison.groups.values())
    minimum = comparison.options.get("min_articles", 2)
    few = sorted(set(levels.loc[levels["note"].fillna("").str.contains(FEW_ARTICLES), "group"]))
    if comparison.design == "descriptive":
        out.append(
            f"{n_articles} articles from {n_groups} {comparison.by} groups, each with fewer than "
            f"{max(2, minimum)}, so this comparison is descriptive: the intervals resample each "
            "article's sentences and say how stable a figure is within the article, not how the "
            "outlet writes in general. Tests against the rest are sentence-level and only "
            "indicative.")
    else:
        out.append(f"{n_articles} articles from {n_groups} {comparison.by} groups; intervals resample "
                   "articles within each group and sentences within each article.")
    if few:
        out.append(f"{len(few)} {'group has' if len(few) == 1 else 'groups have'} fewer than "
                   f"{minimum} articles ({', '.join(f'{g} ({comparison.groups[g]})' for g in few)}): "
                   "shown in the tables and figures, but left out of the tests and of the "
                   "highest and lowest below.")
    if n_groups < 2:
        out.append("Only one group: there is nothing to compare it with.")
    for measure, (name, fmt) in registry.key_measures().items():
        rows = levels[(levels["measure"] == measure) & ~levels["group"].isin(few)].dropna(
            subset=["estimate"])
        if len(rows) < 2:
            continue
        high = rows.loc[rows["estimate"].idxmax()]
        low = rows.loc[rows["estimate"].idxmin()]
        sentence = (f"{name[0].upper() + name[1:]}: highest for {high['group']} "
                    f"({_fmt(fmt, high['estimate'])}, {_interval_text(fmt, high)}; "
                    f"n = {int(high['n_articles'])} articles, {int(high['n_sentences'])} "
                    f"sentences), lowest for {low['group']} ({_fmt(fmt, low['estimate'])}, "
                    f"{_interval_text(fmt, low)}; n = {int(low['n_articles'])} articles, "
                    f"{int(low['n_sentences'])} sentences).")
        if pd.notna(high["ci_low"]) and pd.notna(low["ci_high"]):
            if high["ci_low"] > low["ci_high"]:
                sentence += " Their intervals do not overlap."
            else:
                sentence += " Their intervals overlap, so the difference may be chance."
        tests = table[(table["measure"] == measure) & (table["other"] == "rest")
                      & (table["p_adj"] < 0.05)]
        if len(tests):
            signed = fmt if "+" in fmt else fmt.replace("{:", "{:+")
            parts = [f"{r['group']} ({_fmt(signed, r['estimate'])} against the rest, "
                     f"adjusted p = {r['p_adj']:.3f}, {r['unit']}-level)" for _, r in tests.iterrows()]
            sentence += " Differing from the rest after Benjamini-Hochberg adjustment: " + "; ".join(parts) + "."
        out.append(sentence)
    out += _within_findings(within)
    if rewrites is not None and len(rewrites):
        pairs = "; ".join(f"{r.article_a} and {r.article_b} (cosine {r.similarity:.2f})"
                          for r in rewrites.itertuples())
        out.append(f"Near-duplicate articles (rewrites of one source): {pairs}.")
    elif rewrites is not None:
        out.append("No two articles are near-duplicates (TF-IDF cosine below the threshold), so "
                   "no story is counted twice.")
    return out


#: Resolution of the figures embedded in the page (the files in figures/ have 150 dpi).
PAGE_DPI = 110


def figure_uri(fig) -> str:
    """A figure as a PNG data URI at :data:`PAGE_DPI`, rendered from the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PAGE_DPI, bbox_inches="tight",
                metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def png_uri(png: bytes, dpi: int = 150) -> str:
    """A PNG written at ``dpi`` as a data URI at :data:`PAGE_DPI`, scaled down with Pillow
    (a fraction of the cost of rendering the figure again) to a 256-colour palette."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    size = (round(image.width * PAGE_DPI / dpi), round(image.height * PAGE_DPI / dpi))
    buffer = io.BytesIO()
    # a 256-colour palette: a plot has few colours, and the page stays small
    image.resize(size, Image.Resampling.LANCZOS).convert("RGB").quantize(256).save(
        buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


FIGURE_CAPTIONS = {
    "heatmap": "Every measure for every outlet. Numbers are the values; colour shows whether the "
               "outlet is above (red) or below (blue) the outlets' average, in standard deviations.",
    "dot_interval": "Each outlet's value with a 95% bootstrap interval. Wide bars mean the figure "
                    "rests on few sentences.",
    "framing_balance": "Share of sentences framing the story as a contest of nations (right) and "
                       "as a story of limits and risks (left); the diamond is the smoothed balance.",
    "story_arc": "How sentiment moves through each article; triangles mark framed sentences.",
    "attribution_profile": "Whose voice carries each outlet's article: the journalist's, a source's "
                           "(attributed), or a direct quote; labels give the source mix.",
    "distinctive_terms": "Words an outlet uses more than the others, by the z-score of the "
                         "log-odds ratio with an informative Dirichlet prior.",
    "article_map": "Articles placed by principal component analysis of their standardised measures: "
                   "close points tell the story in a similar way.",
    "trend": "The key measures over time: each group's value per period (day, week or month by "
             "the span of the dates) with a 95% bootstrap interval over that period's articles "
             "(none for a single article). time.csv holds every value.",
    "within_story": "Within stories: each group's mean difference from the mean of the stories "
                    "it shares with other groups, with a 95% interval over stories; * marks an "
                    "adjusted permutation p below 0.05. within_story.csv holds every measure.",
}


def _within_findings(within) -> list[str]:
    """The within-story differences that hold after adjustment, as sentences."""
    if within is None:
        return []
    table = within.table
    out = [f"Within the {within.n_stories} stories told by at least two groups "
           f"({within.n_articles} articles), against the mean of the same stories:"]
    held = []
    for measure, (name, fmt) in registry.key_measures().items():
        signed = fmt if "+" in fmt else fmt.replace("{:", "{:+")
        rows = table[(table["measure"] == measure) & (table["p_adj"] < 0.05)]
        held += [f"{r['group']} {_fmt(signed, r['difference'])} on {name} (95% interval "
                 f"{_fmt(signed, r['ci_low'])} to {_fmt(signed, r['ci_high'])}, adjusted "
                 f"p = {r['p_adj']:.3f}, {int(r['n_stories'])} stories)"
                 for _, r in rows.iterrows()]
    out[0] += (" " + "; ".join(held) + ".") if held else \
        " no group differs from the story mean on a key measure after adjustment."
    return out


def _within_rows(within) -> list[dict]:
    """The key measures' rows of the within-story table, for the report."""
    if within is None:
        return []
    table = within.table
    return table[table["measure"].isin(list(registry.key_measures()))].to_dict("records")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("framing", "report/templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, f="{:.3g}": "n/a" if v is None or (
        isinstance(v, float) and np.isnan(v)) else f.format(v)
    return env


def render_report(analysis, comparison, keyness: pd.DataFrame, images: dict[str, str],
                  rewrites: pd.DataFrame | None = None, trend=None, within=None) -> str:
    """The report as one HTML string; ``images`` maps each figure's name to its data URI."""
    from ..compare import group_levels
    from ..plot import LABELS
    from .html import STYLES, explain
    from ..measures.sentiment import THRESHOLD

    articles = analysis.articles
    provenance = analysis.provenance()
    quality_columns = [c for c in ("article_id", "outlet", "publisher", "original_source",
                                   "detected_language", "n_sentences", "n_words", "n_repairs",
                                   "n_furniture_lines", "n_duplicate_paragraphs", "quality_flags")
                       if c in articles.columns]
    shown = report_sample(articles, comparison.by)
    quality = articles.loc[shown.index, quality_columns].fillna("").astype(str).to_dict("records")
    article_blocks = []
    for row in shown.itertuples():
        explanation = explain(analysis, row.article_id)
        article_blocks.append({
            "id": row.article_id,
            "group": str(getattr(row, comparison.by, "") or "unknown")
            if comparison.by in shown.columns else "",
            "meta": {k: getattr(row, k) for k in ("outlet", "publisher", "original_source",
                                                   "stated_source", "kind")
                     if hasattr(row, k) and isinstance(getattr(row, k), str) and getattr(row, k)},
            "figures": {LABELS[m]: getattr(row, m) for m in registry.key_measures() if hasattr(row, m)},
            "html": Markup(explanation.html()),
        })
    table = comparison.table
    levels = group_levels(table)
    tests = table[table["other"] != ""].copy()
    context = {
        "title": (f"How {len(comparison.groups)} outlets tell the story"
                  if len(comparison.groups) != 1 else "How one outlet tells the story"),
        "findings": findings(comparison, rewrites, within),
        "design": comparison.design,
        "trend": trend,
        "within": within,
        "within_rows": _within_rows(within),
        "stories_how": analysis.options.get("stories", "from the story column"),
        "by": comparison.by,
        "groups": comparison.groups,
        "figures": [{"name": name, "uri": uri, "caption": FIGURE_CAPTIONS.get(name, "")}
                    for name, uri in images.items()],
        "levels": levels.reindex(columns=[m for m in LABELS if m in levels.columns]),
        "labels": LABELS,
        "tests": tests[tests["measure"].isin(list(registry.key_measures()))].to_dict("records"),
        "keyness": keyness.groupby("group").head(8).to_dict("records") if len(keyness) else [],
        "quality": quality,
        "quality_log": analysis.corpus.quality[analysis.corpus.quality["article_id"]
                                               .isin(shown["article_id"])]
                       .groupby(["article_id", "step"]).size()
                       .reset_index(name="changes").to_dict("records")
                       if len(analysis.corpus.quality) else [],
        "n_articles": len(articles),
        "problems": analysis.corpus.problems.head(REPORT_ROWS).to_dict("records"),
        "n_problems": len(analysis.corpus.problems),
        "missing_figures": [] if images else ["all: more groups than the figures can show "
                                               "(comparison.csv holds every figure)"],
        "articles": article_blocks,
        "styles": [{"css": css, "marker": marker, "label": label}
                   for css, marker, label in STYLES.values()],
        "explain_css": Markup(_explain_css()),
        "lexicons": provenance["lexicons"],
        "models": provenance.get("models", {}),
        "threshold": THRESHOLD,
        "options": comparison.options,
        "provenance": json.dumps(provenance, ensure_ascii=False, indent=2, default=str),
    }
    return _environment().get_template("report.html.j2").render(**context)


#: The report shows at most this many articles with their highlighted text (and their rows in
#: the data-quality tables): a sample of whole groups in turn, the tables hold every article.
REPORT_ARTICLES = 150
#: Rows of the problems table shown in the report (problems.csv holds them all).
REPORT_ROWS = 200


def report_sample(articles: pd.DataFrame, by: str, limit: int = REPORT_ARTICLES) -> pd.DataFrame:
    """The articles the report shows: all of them up to ``limit``, else the first of each group
    in turn (round robin over the groups sorted by name, articles in table order), so every
    group is shown and the page stays bounded."""
    if len(articles) <= limit:
        return articles
    group = articles[by].astype(object).fillna("unknown").astype(str) if by in articles else \
        pd.Series("", index=articles.index)
    turn = articles.groupby(group, sort=True).cumcount()
    order = pd.DataFrame({"turn": turn, "group": group}).sort_values(["turn", "group"],
                                                                      kind="stable")
    return articles.loc[sorted(order.index[:limit], key=articles.index.get_loc)]


def _explain_css() -> str:
    from .html import EXPLAIN_CSS

    return EXPLAIN_CSS


def build(analysis, by: str = "outlet", *, count_clusters_once: bool = False, seed: int = 0,
          n_boot: int = 1000, min_articles: int = 3, date_column: str = "date",
          period: str = "auto", step=None, draw: bool = True):
    """Compare, find rewrites, compute keyness, the measures over time (when the articles have
    dates in ``date_column``; by ``period``, see ``framing.compare.over_time``), the within-story
    comparison (when stories are shared) and draw: everything a report needs, as
    ``(comparison, keyness, rewrites, figures, trend, within)``. Draw inside
    :func:`framing.report.figures.figure_style` (and save or render there too); with
    ``draw=False``, ``figures`` is the :class:`~framing.report.figures.FigureInputs` to draw them
    from (:func:`~framing.report.figures.render_figures`). The comparison is
    ``analysis.compare``'s (computed once per grouping and options); ``step`` is called with
    the name of each step as it starts (a progress reporter)."""
    from ..compare import find_rewrites, keyness
    from .figures import FigureInputs, draw_figures

    step = step or (lambda name: None)
    articles = analysis.articles
    step("finding near-duplicate articles")
    cluster, rewrites = find_rewrites(articles)
    articles = articles.assign(cluster=cluster)
    step("comparing groups")
    comparison = analysis.compare(by, seed=seed, n_boot=n_boot,
                                  count_clusters_once=count_clusters_once,
                                  min_articles=min_articles)
    step("finding distinctive words")
    words = keyness(articles, analysis.sentences, by=by)
    trend = _trend(analysis, by, date_column, n_boot, seed, period)
    step("comparing within stories")
    within = _within(analysis, by, n_boot, seed, min_articles)
    inputs = FigureInputs(articles, analysis.sentences, comparison.table, words, by,
                          comparison.resampled, None if trend is None else trend.table,
                          None if within is None else within.table)
    figures = draw_figures(inputs, step=step) if draw else inputs
    return comparison, words, rewrites, figures, trend, within


def _within(analysis, by: str, n_boot: int, seed: int, min_stories: int):
    """The within-story comparison when some story is told by two groups (None otherwise)."""
    if "story" not in analysis.articles.columns:
        return None
    within = analysis.within_stories(by, n_boot=n_boot, n_perm=n_boot, seed=seed,
                                     min_stories=min_stories)
    return within if within.n_stories else None


def _trend(analysis, by: str, date_column: str | None, n_boot: int, seed: int,
           period: str = "auto"):
    """The measures over time when the articles have dates (None otherwise)."""
    from ..compare import over_time

    if not date_column or date_column not in analysis.articles.columns:
        return None
    trend = over_time(analysis.articles, by=by, date_column=date_column, n_boot=n_boot, seed=seed,
                      period=period)
    return trend if trend.periods >= 1 else None


#: Steps of :func:`write_report` a progress bar counts: rewrites, comparison, keyness, the
#: within-story comparison, each figure drawn and saved (up to nine), the page.
REPORT_STEPS = 14


def write_report(analysis, folder, by: str = "outlet", *, count_clusters_once: bool = False,
                 seed: int = 0, n_boot: int = 1000, min_articles: int = 3,
                 date_column: str = "date", period: str = "auto", progress: bool = False,
                 formats=DEFAULT_FIGURE_FORMATS, jobs: int = 1) -> list:
    """Write the tables, comparison.csv, keyness.csv, rewrites.csv, figures/ and report.html
    into ``folder`` (use :class:`framing.io.output.OutputFolder` for an all-or-nothing
    folder). Each figure is drawn once and saved in each format of ``formats`` (PNG always:
    the page embeds it, scaled down), one figure at a time, in ``jobs`` processes (the files do
    not depend on it) while this one writes the tables."""
    from pathlib import Path

    from ..engine import steps
    from ..io.tables import write_csv, write_tables
    from .figures import figure_style, render_figures

    folder = Path(folder)
    with figure_style(), steps("Writing the report", REPORT_STEPS, progress) as step:
        comparison, words, rewrites, inputs, trend, within = build(
            analysis, by, seed=seed, n_boot=n_boot, count_clusters_once=count_clusters_once,
            min_articles=min_articles, date_column=date_column, period=period, step=step,
            draw=False)
        tables = [("comparison", comparison.table), ("keyness", words), ("rewrites", rewrites)]
        if trend is not None:
            tables.append(("time", trend.table))
        if within is not None:
            tables.append(("within_story", within.table))
        written = []

        def write_the_tables():
            written.extend(write_tables(analysis, folder, report=dict(
                comparison.options, by=by, design=comparison.design,
                date_column=date_column, period=period,
                period_used=None if trend is None else trend.period_kind,
                stories_compared=None if within is None else within.n_stories,
                figure_formats=list(formats))))
            for name, frame in tables:
                write_csv(frame, folder / f"{name}.csv")
                written.append(folder / f"{name}.csv")

        rendered = render_figures(inputs, folder / "figures", formats, page_image=png_uri,
                                  jobs=jobs, step=step, meanwhile=write_the_tables)
        written += [path for _, paths, _ in rendered for path in paths]
        step("writing report.html")
        html = render_report(analysis, comparison, words, {name: uri for name, _, uri in rendered},
                             rewrites, trend, within)
    (folder / "report.html").write_text(html, encoding="utf-8")
    written.append(folder / "report.html")
    return written


def report_html(analysis, by: str = "outlet", **options) -> str:
    """The self-contained HTML report of ``analysis`` as a string (``Analysis.to_html``)."""
    from .figures import figure_style

    with figure_style():
        comparison, words, rewrites, figures, trend, within = build(analysis, by, **options)
        try:
            images = {name: figure_uri(fig) for name, fig in figures.items()}
            return render_report(analysis, comparison, words, images, rewrites, trend, within)
        finally:
            _close(figures)


def write_comparison(comparison, folder, *, inputs: list | None = None,
                     measured_with: dict | None = None, articles: int | None = None,
                     notify=None, formats=DEFAULT_FIGURE_FORMATS) -> list:
    """Write a comparison made from an articles table (``framing compare``): comparison.csv,
    the comparison figures (up to :data:`~framing.report.figures.FIGURE_GROUP_LIMIT` groups)
    and provenance.json with the input files' hashes and the measuring run's record."""
    import json
    from pathlib import Path

    from ..io.provenance import file_sha256, run_provenance
    from ..io.tables import write_csv
    from .figures import FIGURE_GROUP_LIMIT, comparison_figures, figure_style, save_figures

    folder = Path(folder)
    groups = len(comparison.groups)
    written = [write_csv(comparison.table, folder / "comparison.csv")]
    drawn: list[str] = []
    if 0 < groups <= FIGURE_GROUP_LIMIT:
        with figure_style():
            figures = comparison_figures(comparison.table, groups,
                                         resampled=comparison.resampled)
            try:
                written += save_figures(figures, folder / "figures", formats=formats)
            finally:
                _close(figures)
        drawn = sorted(figures)
    elif notify is not None:
        notify(f"No figures: {groups} groups (figures are drawn for 1 to {FIGURE_GROUP_LIMIT}); "
               "comparison.csv has every figure.")
    record = dict(run_provenance(),
                  inputs=[{"path": str(f), "sha256": file_sha256(f)} for f in inputs or []],
                  options=dict(comparison.options, by=comparison.by,
                               bootstrap=f"{comparison.resampled} resampled"),
                  counts={"articles": articles, "groups": groups,
                          "compared_articles": sum(comparison.groups.values())},
                  design=comparison.design, figures=drawn, measured_with=measured_with)
    (folder / "provenance.json").write_text(json.dumps(record, indent=2, default=str) + "\n",
                                            encoding="utf-8")
    return written + [folder / "provenance.json"]


def _close(figures: dict) -> None:
    import matplotlib.pyplot as plt

    for fig in figures.values():
        plt.close(fig)
