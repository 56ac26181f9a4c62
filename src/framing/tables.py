"""Writing the tidy tables (CSV always, Parquet when pyarrow is installed), deterministically."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

__all__ = ["write_tables"]

#: Columns left out of articles.csv: the raw text is in the input files (hashed in provenance).
CSV_SKIP = ("raw_text",)


def _csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")


def write_tables(analysis, folder: Path, *, parquet: bool | None = None) -> list[Path]:
    """Write articles, sentences, matches (+ quality log and problems) and provenance.json."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "articles": analysis.articles.drop(columns=[c for c in CSV_SKIP if c in analysis.articles]),
        "sentences": analysis.sentences,
        "matches": analysis.matches,
        "quality": analysis.corpus.quality,
        "problems": analysis.corpus.problems,
    }
    if parquet is None:
        try:
            import pyarrow  # noqa: F401

            parquet = True
        except ImportError:
            parquet = False
    written = []
    for name, frame in tables.items():
        _csv(frame, folder / f"{name}.csv")
        written.append(folder / f"{name}.csv")
        if parquet and name in ("articles", "sentences", "matches"):
            frame.to_parquet(folder / f"{name}.parquet", index=False)
            written.append(folder / f"{name}.parquet")
    (folder / "provenance.json").write_text(
        json.dumps(analysis.provenance(), ensure_ascii=False, indent=2, default=str) + "\n",
        encoding="utf-8")
    written.append(folder / "provenance.json")
    return written
