"""The packaged measures, registered once (codebook sections 1-4; formulas in
docs/measures.md). Everything that lists measures (aggregation, comparison, figures, report,
classroom) reads these entries from :mod:`framing.measures.registry`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register_measure, register_sentence_column, register_unit
from .sentiment import THRESHOLD

#: Framing balance uses additive smoothing: ``(N - C) / (N + C + FRAMING_SMOOTHING)``, so an
#: article with one nationalist sentence scores 0.33, not a full 1.0.
FRAMING_SMOOTHING = 2.0


def div(a, b):
    """``a / b`` where ``b > 0``, NaN elsewhere (no warnings)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


# --- sentence columns (the order of the sentences table), with an unmeasured sentence's value
for _name, _default in (("voice", ""), ("sentiment", float("nan")), ("hedges", 0),
                        ("boosters", 0), ("conditions", 0), ("approximators", 0),
                        ("attributed", False), ("direct_quote", False), ("source_kind", ""),
                        ("speaker", ""), ("nationalist", False), ("cautionary", False),
                        ("frame_labels", ""), ("targets", "")):
    register_sentence_column(_name, _default)


# --- per-sentence units whose sums give the article measures -------------------------------
def _text(c):
    return c.sentences["text"].astype(str)


def _sentiment(c):
    return c.sentences["sentiment"].astype(float)


register_unit("n", lambda c: np.ones(len(c.sentences)))
register_unit("words", lambda c: _text(c).str.split().str.len().astype(float))
register_unit("chars", lambda c: _text(c).str.len().astype(float))
register_unit("sentiment", lambda c: _sentiment(c).fillna(0.0))
register_unit("positive", lambda c: (_sentiment(c) >= THRESHOLD).astype(float))
register_unit("negative", lambda c: (_sentiment(c) <= -THRESHOLD).astype(float))
register_unit("hedges", lambda c: c.sentences["hedges"].astype(float))
register_unit("boosters", lambda c: c.sentences["boosters"].astype(float))
register_unit("hedged", lambda c: (c.sentences["hedges"] > 0).astype(float))
register_unit("attributed", lambda c: c.sentences["attributed"].astype(bool).astype(float))
register_unit("cues", lambda c: c.count(c.matches["measure"] == "attribution"))
register_unit("quotes", lambda c: c.count((c.matches["measure"] == "quote")
                                          & c.matches["category"].isin(["direct", "partial"])))
register_unit("quoted_chars", lambda c: quoted_chars(c.sentences, c.matches))
register_unit("sources", lambda c: c.count(c.matches["measure"] == "source"))
for _kind in ("named", "vague", "document"):
    register_unit(_kind, lambda c, kind=_kind: c.count((c.matches["measure"] == "source")
                                                       & (c.matches["category"] == kind)))
register_unit("nationalist", lambda c: c.sentences["nationalist"].astype(bool).astype(float))
register_unit("cautionary", lambda c: c.sentences["cautionary"].astype(bool).astype(float))


def quoted_chars(sentences: pd.DataFrame, matches: pd.DataFrame) -> np.ndarray:
    """Characters of each sentence inside direct quotations (a quote may span sentences).

    Direct quotations of an article are disjoint, so the quoted characters before a position
    ``x`` are the lengths of the quotes that end before it plus the part of the one it is in:
    ``Q(x)``, from a cumulative sum over the quotes sorted by start. A sentence ``[a, b)`` holds
    ``Q(b) - Q(a)`` of them. Articles are laid end to end on one axis so that one sorted pass
    serves the whole table: time ``O((sentences + quotes) log quotes)``.
    """
    direct = matches.loc[(matches["measure"] == "quote") & (matches["category"] == "direct"),
                         ["article_id", "start", "end"]]
    if not len(direct) or not len(sentences):
        return np.zeros(len(sentences))
    ids = pd.concat([sentences["article_id"], direct["article_id"]], ignore_index=True)
    codes, uniques = pd.factorize(ids)
    ends = np.concatenate([sentences["end"].to_numpy(), direct["end"].to_numpy()])
    width = np.zeros(len(uniques), dtype=np.int64)
    np.maximum.at(width, codes, ends.astype(np.int64) + 1)
    offset = np.concatenate([[0], np.cumsum(width)[:-1]])
    s_codes, q_codes = codes[:len(sentences)], codes[len(sentences):]
    q_start = direct["start"].to_numpy(np.int64) + offset[q_codes]
    q_end = direct["end"].to_numpy(np.int64) + offset[q_codes]
    order = np.argsort(q_start, kind="stable")
    q_start, q_end = q_start[order], q_end[order]
    before = np.concatenate([[0], np.cumsum(q_end - q_start)])  # lengths of quotes 0..k-1

    def quoted_before(x: np.ndarray) -> np.ndarray:
        k = np.searchsorted(q_start, x, side="right")  # quotes starting at or before x
        last = np.maximum(k - 1, 0)
        inside = np.minimum(x, q_end[last]) - q_start[last]
        return np.where(k > 0, before[last] + inside, 0)

    a = sentences["start"].to_numpy(np.int64) + offset[s_codes]
    b = sentences["end"].to_numpy(np.int64) + offset[s_codes]
    return (quoted_before(b) - quoted_before(a)).astype(float)


# --- article measures -----------------------------------------------------------------------
register_measure("sentiment_mean", "Mean sentiment (VADER, -1 to 1)",
                 lambda s: div(s["sentiment"], s["n"]), interval=0,
                 key=("mean sentiment", "{:.2f}"), by_voice=True)
register_measure("share_positive", "Share of positive sentences",
                 lambda s: div(s["positive"], s["n"]))
register_measure("share_negative", "Share of negative sentences",
                 lambda s: div(s["negative"], s["n"]))
register_measure("hedges_per_1k", "Hedges per 1,000 words",
                 lambda s: div(1000 * s["hedges"], s["words"]), interval=1,
                 key=("hedges per 1,000 words", "{:.1f}"), by_voice=True)
register_measure("boosters_per_1k", "Boosters per 1,000 words",
                 lambda s: div(1000 * s["boosters"], s["words"]), interval=2,
                 key=("boosters per 1,000 words", "{:.1f}"))
register_measure("hedge_share", "Hedges as share of stance markers",
                 lambda s: div(s["hedges"], s["hedges"] + s["boosters"]))
register_measure("hedged_sentence_share", "Share of sentences with a hedge",
                 lambda s: div(s["hedged"], s["n"]))
register_measure("attribution_density", "Share of sentences attributed to a source",
                 lambda s: div(s["attributed"], s["n"]), interval=3,
                 key=("share of sentences attributed to a source", "{:.0%}"))
register_measure("attributions_per_1k", "Attribution cues per 1,000 words",
                 lambda s: div(1000 * s["cues"], s["words"]))
register_measure("quotes_per_1k", "Quotations per 1,000 words",
                 lambda s: div(1000 * s["quotes"], s["words"]), interval=5,
                 key=("quotations per 1,000 words", "{:.1f}"))
register_measure("quoted_text_share", "Share of text inside quotation marks",
                 lambda s: div(s["quoted_chars"], s["chars"]))
register_measure("named_source_share", "Named sources (share of sources)",
                 lambda s: div(s["named"], s["sources"]), interval=4,
                 key=("share of named sources", "{:.0%}"))
register_measure("vague_source_share", "Vague sources (share of sources)",
                 lambda s: div(s["vague"], s["sources"]))
register_measure("document_source_share", "Documents as sources (share)",
                 lambda s: div(s["document"], s["sources"]))
register_measure("nationalist_share", "Share of sentences with nationalist framing",
                 lambda s: div(s["nationalist"], s["n"]), interval=6,
                 key=("share of sentences with nationalist framing", "{:.0%}"), by_voice=True)
register_measure("cautionary_share", "Share of sentences with cautionary framing",
                 lambda s: div(s["cautionary"], s["n"]), interval=7,
                 key=("share of sentences with cautionary framing", "{:.0%}"), by_voice=True)
register_measure("framing_balance", "Framing balance (nationalist - cautionary, smoothed)",
                 lambda s: np.where(s["n"] > 0, (s["nationalist"] - s["cautionary"])
                                    / (s["nationalist"] + s["cautionary"] + FRAMING_SMOOTHING),
                                    np.nan),
                 interval=8, key=("framing balance (nationalist minus cautionary)", "{:+.2f}"),
                 by_voice=True)
