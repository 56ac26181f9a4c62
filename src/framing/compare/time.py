"""Measures by group over time: a tidy table from the articles' dates (docs/report.md).

Each article's date (the ``date`` column by default: a manifest column, or the date of an HTML
page) puts it in a period, ``period="auto"`` by the span of the dated articles: a day when they
span at most :data:`DAY_SPAN` days, a week (starting Monday) up to :data:`WEEK_SPAN` days, a
month up to :data:`MONTH_SPAN`, a quarter up to :data:`QUARTER_SPAN`, else a year (so that a
figure has a few dozen periods at most); or the period named (:data:`PERIODS`). For each group,
period and measure the table gives the mean of the articles' values with a 95% bootstrap
interval over the articles (seeded; none for a single article, nor when every resample agrees)
and the number of articles. Articles without a readable date are counted in ``Trend.undated``
and left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..measures import registry
from .statistics import (comparable_articles, honest_interval, percentile_interval, quiet_numpy,
                         resampled_means)

__all__ = ["DAY_SPAN", "PERIODS", "TIME_COLUMNS", "Trend", "over_time", "period_kind"]

#: Dated articles spanning at most this many days are grouped by day ...
DAY_SPAN = 31
#: ... at most this many by week (from Monday) ...
WEEK_SPAN = 731
#: ... at most this many by month (three years) ...
MONTH_SPAN = 1096
#: ... at most this many by quarter (eight years), more by year.
QUARTER_SPAN = 2922
#: The periods a trend can be drawn by (``auto`` chooses one by the span of the dates).
PERIODS = ("auto", "day", "week", "month", "quarter", "year")
TIME_COLUMNS = ["group", "period", "period_kind", "measure", "estimate", "ci_low", "ci_high",
                "n_articles"]


@dataclass
class Trend:
    """What :func:`over_time` returns: the tidy ``table`` (columns :data:`TIME_COLUMNS`), the
    period (``day``, ``week``, ``month``, ``quarter`` or ``year``), the date column, and the
    articles left out."""

    table: pd.DataFrame
    period_kind: str
    date_column: str
    by: str
    undated: int
    measures: list

    @property
    def periods(self) -> int:
        return int(self.table["period"].nunique()) if len(self.table) else 0


def period_kind(dates: pd.Series) -> str:
    """``day``, ``week``, ``month``, ``quarter`` or ``year``, by the span of the dates."""
    span = (dates.max() - dates.min()).days if len(dates) else 0
    for kind, longest in (("day", DAY_SPAN), ("week", WEEK_SPAN), ("month", MONTH_SPAN),
                          ("quarter", QUARTER_SPAN)):
        if span <= longest:
            return kind
    return "year"


#: pandas' period of each kind (pandas' week ends on Sunday, so it starts on Monday).
_PANDAS_PERIODS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def _period_start(dates: pd.Series, kind: str) -> pd.Series:
    return dates.dt.to_period(_PANDAS_PERIODS[kind]).dt.start_time


def over_time(articles: pd.DataFrame, *, by: str = "outlet", date_column: str = "date",
              measures: list[str] | None = None, n_boot: int = 1000, seed: int = 0,
              period: str = "auto") -> Trend:
    """The measures by group and period (see the module docstring). ``measures`` defaults to
    the report's key measures; ``period`` is one of :data:`PERIODS`."""
    from ..errors import ConfigurationError

    if period not in PERIODS:
        raise ConfigurationError(f"unknown period {period!r}", hint=f"one of {', '.join(PERIODS)}")
    measures = list(measures or registry.key_measures())
    articles = comparable_articles(articles)
    if date_column not in articles.columns:
        raise ConfigurationError(f"no date column {date_column!r}",
                                 hint="name it with --date-column, or add dates to the manifest")
    dates = pd.to_datetime(articles[date_column].astype("string"), errors="coerce", utc=True)
    dates = dates.dt.tz_localize(None)
    dated = articles[dates.notna()].assign(_date=dates[dates.notna()])
    kind = period_kind(dated["_date"]) if period == "auto" else period
    rows = []
    if len(dated):
        dated = dated.assign(_period=_period_start(dated["_date"], kind),
                             _group=dated[by].astype(object).fillna("unknown").astype(str))
        present = [m for m in measures if m in dated.columns]
        for k, ((group, period), part) in enumerate(dated.groupby(["_group", "_period"],
                                                                  sort=True)):
            values = part[present].to_numpy(dtype=float)
            with quiet_numpy():
                estimate = np.nanmean(values, axis=0)
            replicates = resampled_means(values, n_boot, np.random.default_rng([seed, k]))
            low, high, _ = honest_interval(*percentile_interval(replicates))
            for j, measure in enumerate(present):
                rows.append((group, period.date().isoformat(), kind, measure, estimate[j],
                             low[j], high[j], int(np.isfinite(values[:, j]).sum())))
    table = pd.DataFrame(rows, columns=TIME_COLUMNS)
    return Trend(table, kind, date_column, by, int(len(articles) - len(dated)), measures)
