"""Comparing groups of articles (outlets, publishers, stated sources): statistics only.

- :mod:`.statistics`: :func:`compare`, the tidy ``comparison`` table (group means with
  intervals, tests against the rest and between pairs, effects, adjusted p-values);
- :mod:`.keyness`: :func:`keyness`, distinctive words per group;
- :mod:`.stories`: :func:`find_stories` and :func:`assign_stories`, the ``story`` column;
- :mod:`.within`: :func:`within_stories`, each group against the mean of the stories it shares;
- :mod:`.time`: :func:`over_time`, the measures by group and period;
- :func:`find_rewrites` (near-duplicate articles) lives in :mod:`framing.clean.rewrites`.
"""

from ..aggregate import sentence_units
from ..clean.rewrites import find_rewrites
from .keyness import KEYNESS_COLUMNS, keyness, log_odds_dirichlet
from .stories import assign_stories, find_stories
from .within import WITHIN_COLUMNS, WithinStories, within_stories
from .time import TIME_COLUMNS, Trend, over_time
from .statistics import (COMPARISON_COLUMNS, MIN_ARTICLES, Comparison, comparable_articles,
                         compare, design, group_levels, standardised_levels)

__all__ = ["COMPARISON_COLUMNS", "KEYNESS_COLUMNS", "MIN_ARTICLES", "TIME_COLUMNS", "Trend",
           "WITHIN_COLUMNS", "WithinStories", "assign_stories", "over_time", "find_stories",
           "within_stories", "Comparison", "comparable_articles", "compare",
           "design", "find_rewrites", "group_levels", "keyness", "log_odds_dirichlet", "sentence_units",
           "standardised_levels"]
