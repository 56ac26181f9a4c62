"""Article-level figures, computed only from the ``sentences`` and ``matches`` tables.

Formulas are listed in docs/measures.md. Framing balance uses additive smoothing:
``(N - C) / (N + C + FRAMING_SMOOTHING)`` where N and C count nationalist and cautionary
sentences, so an article with one nationalist sentence scores 0.33, not a full 1.0.
"""

from __future__ import annotations

import pandas as pd

from .measures.sentiment import THRESHOLD

__all__ = ["ARTICLE_MEASURES", "FRAMING_SMOOTHING", "aggregate_articles", "framing_balance"]

FRAMING_SMOOTHING = 2.0

ARTICLE_MEASURES = [
    "sentiment_mean", "share_positive", "share_negative", "hedges_per_1k", "boosters_per_1k",
    "hedge_share", "hedged_sentence_share", "attribution_density", "attributions_per_1k",
    "quotes_per_1k", "quoted_text_share", "named_source_share", "vague_source_share",
    "document_source_share", "nationalist_share", "cautionary_share", "framing_balance",
]
VOICE_MEASURES = ["sentiment_mean", "hedges_per_1k", "nationalist_share", "cautionary_share",
                  "framing_balance"]


def framing_balance(nationalist: float, cautionary: float) -> float:
    """Smoothed (N - C) / (N + C + k); 0 when neither frame occurs."""
    return float((nationalist - cautionary) / (nationalist + cautionary + FRAMING_SMOOTHING))


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else float("nan")


def _figures(group: pd.DataFrame) -> dict[str, float]:
    words = group["text"].str.split().str.len().sum()
    n = len(group)
    sentiment = group["sentiment"].astype(float)
    hedges, boosters = group["hedges"].sum(), group["boosters"].sum()
    nationalist, cautionary = group["nationalist"].sum(), group["cautionary"].sum()
    return {
        "sentiment_mean": float(sentiment.mean()) if n else float("nan"),
        "share_positive": _ratio((sentiment >= THRESHOLD).sum(), n),
        "share_negative": _ratio((sentiment <= -THRESHOLD).sum(), n),
        "hedges_per_1k": _ratio(1000 * hedges, words),
        "boosters_per_1k": _ratio(1000 * boosters, words),
        "nationalist_share": _ratio(nationalist, n),
        "cautionary_share": _ratio(cautionary, n),
        "framing_balance": framing_balance(nationalist, cautionary) if n else float("nan"),
        "_hedges": hedges, "_boosters": boosters, "_words": words,
    }


def aggregate_articles(articles: pd.DataFrame, sentences: pd.DataFrame,
                       matches: pd.DataFrame) -> pd.DataFrame:
    """Return ``articles`` with the article measures (and the same by voice) added."""
    rows = []
    sentence_groups = dict(tuple(sentences.groupby("article_id", sort=False)))
    match_groups = dict(tuple(matches.groupby("article_id", sort=False)))
    for article_id, english, n_chars in zip(articles["article_id"], articles["is_english"],
                                            articles["n_chars"]):
        group = sentence_groups.get(article_id)
        if group is None or not english or not len(group):
            rows.append({})
            continue
        found = match_groups.get(article_id, pd.DataFrame(columns=matches.columns))
        base = _figures(group)
        attributions = found[found["measure"] == "attribution"]
        source_rows = found[found["measure"] == "source"]
        quotes = found[(found["measure"] == "quote") & found["category"].isin(["direct", "partial"])]
        n_sources = len(source_rows)  # shares are among identified attributions' sources
        row = {k: v for k, v in base.items() if not k.startswith("_")}
        row.update({
            "hedge_share": _ratio(base["_hedges"], base["_hedges"] + base["_boosters"]),
            "hedged_sentence_share": _ratio((group["hedges"] > 0).sum(), len(group)),
            "attribution_density": _ratio(group["attributed"].sum(), len(group)),
            "attributions_per_1k": _ratio(1000 * len(attributions), base["_words"]),
            "quotes_per_1k": _ratio(1000 * len(quotes), base["_words"]),
            "quoted_text_share": _ratio(_quoted_chars(found, group),
                                        group["text"].str.len().sum()),
            "named_source_share": _ratio((source_rows["category"] == "named").sum(), n_sources),
            "vague_source_share": _ratio((source_rows["category"] == "vague").sum(), n_sources),
            "document_source_share": _ratio((source_rows["category"] == "document").sum(), n_sources),
            "speakers": "; ".join(dict.fromkeys(s for s in group["speaker"] if s)),
        })
        for voice, mask in (("journalist", group["voice"] == "journalist"),
                            ("source", group["voice"] != "journalist")):
            part = group[mask]
            figures = _figures(part) if len(part) else {m: float("nan") for m in VOICE_MEASURES}
            for measure in VOICE_MEASURES:
                row[f"{measure}_{voice}"] = figures[measure] if len(part) else float("nan")
        rows.append(row)
    figures = pd.DataFrame(rows, index=articles.index)
    columns = ARTICLE_MEASURES + ["speakers"] + [f"{m}_{v}" for v in ("journalist", "source")
                                                 for m in VOICE_MEASURES]
    figures = figures.reindex(columns=columns)
    return pd.concat([articles.drop(columns=[c for c in columns if c in articles.columns]),
                      figures], axis=1)


def _quoted_chars(found: pd.DataFrame, group: pd.DataFrame) -> int:
    """Characters of the sentences that lie inside direct quotes (counted once)."""
    quoted = found[(found["measure"] == "quote") & (found["category"] == "direct")]
    covered: set[int] = set()
    for start, end in zip(quoted["start"], quoted["end"]):
        covered.update(range(int(start), int(end)))
    return sum(1 for s, e in zip(group["start"], group["end"]) for i in range(int(s), int(e))
               if i in covered)
