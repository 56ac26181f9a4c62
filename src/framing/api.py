"""The notebook entry points: :func:`analyze` and :func:`explain`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .aggregate import aggregate_articles
from .compare.stories import WINDOW_DAYS, assign_stories
from .measures import MeasureConfig, measure_corpus
from .corpus import Corpus, load_corpus, require_articles
from .report.html import Explanation, explain

__all__ = ["Analysis", "Explanation", "analyze", "explain"]


@dataclass
class Analysis:
    """The three tidy tables of a measured corpus.

    Attributes
    ----------
    articles, sentences, matches : pandas.DataFrame
        See docs/tables.md.
    corpus : Corpus
        The loaded corpus (its ``quality`` log and ``problems``).
    config : MeasureConfig
        Lexicons and targets used.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    matches: pd.DataFrame
    corpus: Corpus
    config: MeasureConfig
    options: dict = field(default_factory=dict)
    _comparisons: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        outlets = self.articles["outlet"].nunique() if "outlet" in self.articles else 0
        return (f"<Analysis: {len(self.articles)} articles from {outlets} outlets, "
                f"{len(self.sentences)} sentences, {len(self.matches)} matches, "
                f"{len(self.corpus.problems)} input problems>")

    def _repr_html_(self) -> str:
        """A summary for notebooks: articles and key measures per outlet (the tables are
        ``.articles``, ``.sentences`` and ``.matches``)."""
        import html

        columns = [c for c in ("sentiment_mean", "hedges_per_1k", "attribution_density",
                               "nationalist_share", "cautionary_share") if c in self.articles]
        summary = self.articles.groupby("outlet").agg(
            articles=("article_id", "size"), words=("n_words", "sum"),
            **{c: (c, "mean") for c in columns}).round(3)
        return (f"<p><b>{html.escape(repr(self))}</b><br>Means per outlet; "
                "<code>.articles</code>, <code>.sentences</code>, <code>.matches</code> hold "
                "every row, <code>.compare()</code> the statistics.</p>"
                + summary.to_html(max_rows=30))

    def explain(self, article_id: str) -> "Explanation":
        return explain(self, article_id)

    def provenance(self) -> dict:
        from .io.provenance import provenance

        return provenance(self)

    def compare(self, by: str = "outlet", **options):
        """Compare groups of articles (``framing.compare.compare``): a :class:`Comparison`
        whose ``.table`` is the tidy comparison table.

        Computed once for each grouping and set of options and kept: ``to_html`` and a second
        call reuse it (a new comparison is made when the tables are replaced; treat them as
        read-only)."""
        from .compare import compare

        return self._cached(compare, by, options, self.articles, self.sentences, self.matches)

    def _cached(self, function, by: str, options: dict, *tables):
        """``function(*tables, by=by, **options)``, computed once per function, grouping and
        options (the same whether an option is given or left at its default) and kept."""
        import inspect

        defaults = {name: p.default for name, p in inspect.signature(function).parameters.items()
                    if p.default is not inspect.Parameter.empty and name != "by"}
        key = (function.__name__, by,
               tuple(sorted({**defaults, **options}.items(), key=lambda kv: kv[0])),
               *((id(t), len(t)) for t in (self.articles, self.sentences, self.matches)))
        if key not in self._comparisons:
            self._comparisons[key] = function(*tables, by=by, **options)
        return self._comparisons[key]

    def over_time(self, by: str = "outlet", date_column: str = "date", **options):
        """The key measures by group and period (``framing.compare.over_time``): a
        :class:`~framing.compare.Trend` whose ``.table`` is the tidy table."""
        from .compare import over_time

        return over_time(self.articles, by=by, date_column=date_column, **options)

    def within_stories(self, by: str = "outlet", **options):
        """Each group against the mean of the stories it shares with other groups
        (``framing.compare.within_stories``): a :class:`~framing.compare.WithinStories` whose
        ``.table`` is the tidy table. Computed once per grouping and options."""
        from .compare import within_stories

        return self._cached(within_stories, by, options, self.articles)

    def keyness(self, by: str = "outlet", **options) -> pd.DataFrame:
        """Distinctive words per group (``framing.compare.keyness``)."""
        from .compare import keyness

        return keyness(self.articles, self.sentences, by=by, **options)

    def rewrites(self, threshold: float = 0.6) -> pd.DataFrame:
        """Pairs of near-duplicate articles (``framing.compare.find_rewrites``)."""
        from .compare import find_rewrites

        return find_rewrites(self.articles, threshold)[1]

    def to_html(self, path, by: str = "outlet", **options):
        """Write the self-contained HTML report (figures embedded) to ``path``; the
        comparison is :meth:`compare`'s, computed once."""
        from pathlib import Path

        from .io.output import atomic_write_text
        from .report import report_html

        return atomic_write_text(Path(path), report_html(self, by, **options))


def analyze(data: Any, *, lexicons: tuple = (), targets: Any = None, models: bool = True,
            frame_models: tuple = (), progress: bool = False, jobs: int = 1,
            story_column: str | None = None, date_column: str = "date",
            **load_options) -> Analysis:
    """Load, clean, segment and measure a corpus.

    Parameters
    ----------
    data : path, list of str or pandas.DataFrame
        Anything :func:`framing.load_corpus` accepts; ``load_options`` (``manifest=``,
        ``outlet_column=``...) are passed to it.
    lexicons : sequence of paths
        User lexicon files adding or replacing categories (see docs/lexicons.md).
    targets : path, optional
        A targets file replacing the default sentiment targets.
    models : bool
        Use the learned hedge, attribution and identity cue models (docs/models.md); ``False``
        measures with the lexicons and rules alone.
    frame_models : sequence of paths or FrameModel
        Frames of your own (``framing train-frame``, docs/frames.md): each adds a sentence
        column ``frame_<name>``, an article share ``frame_<name>_share`` and its comparison.
    jobs : int
        Processes for the per-article stages (cleaning, segmenting, measuring). The tables do
        not depend on it.
    story_column : str, optional
        An article column naming each article's story (event). Without it stories are found
        automatically (``framing.compare.find_stories``: similar title and lead, at most a
        week apart by ``date_column``). Either way the articles table gets a ``story`` column,
        which :meth:`Analysis.within_stories` compares within.

    Examples
    --------
    >>> analysis = analyze(["Experts warn that the plan may fail.", "China's triumph is clear."])
    >>> analysis.sentences[["hedges", "attributed", "nationalist"]].values.tolist()
    [[1, True, False], [0, False, True]]
    """
    config = MeasureConfig.load(tuple(lexicons), targets, models=models,
                                frame_models=tuple(frame_models))
    corpus = data if isinstance(data, Corpus) else load_corpus(data, progress=progress, jobs=jobs,
                                                              **load_options)
    require_articles(corpus, None if isinstance(data, Corpus) else data)
    found = []  # finding stories needs only the cleaned articles: done while workers measure
    sentences, matches = measure_corpus(
        corpus.articles, corpus.sentences, config, progress, jobs, corpus.quotes,
        meanwhile=lambda: found.append(assign_stories(corpus.articles, story_column,
                                                      date_column=date_column)))
    articles = aggregate_articles(corpus.articles, sentences, matches)
    stories = found[0]
    articles = articles.assign(story=stories["story"].to_numpy())
    options = dict(corpus.options, lexicons=[str(p) for p in lexicons],
                   targets=None if targets is None else str(targets), models=models,
                   frame_models=[str(m) if not hasattr(m, "name") else m.name
                                 for m in frame_models],
                   stories=f"column {story_column}" if story_column else
                   f"found (title and lead, {date_column} within {WINDOW_DAYS} days)")
    return Analysis(articles, sentences, matches, corpus, config, options)
