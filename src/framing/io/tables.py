"""Writing the tidy tables (CSV and Parquet), deterministically.

Every CSV framing writes goes through :func:`write_csv`, which neutralises spreadsheet formulas
(docs/tables.md): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading single quote, as OWASP advises, so that opening the file in a spreadsheet
never runs a formula taken from an outlet name, an id or a title. A carriage return inside a cell is
written as a line break (``\\n``, which the writer quotes; a lone ``\\r`` would split the row for
most readers). Parquet keeps exact values; :func:`restore_csv_cell` undoes the quote when
framing reads its own CSV back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_STARTS", "csv_text", "neutralise_formulas", "restore_csv_cell", "write_csv",
           "write_tables"]

#: Columns left out of articles.csv: the raw text is in the input files (hashed in provenance).
CSV_SKIP = ("raw_text",)
#: A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value):
    if isinstance(value, str):
        if "\r" in value:  # a lone CR is not quoted by the writer and would split the row
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a single quote before every text cell a spreadsheet would run as a
    formula, and carriage returns in text cells written as line breaks; numbers (negative
    ones too) are left as they are."""
    columns = [c for c in frame.columns
               if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))]
    if not columns or frame.empty:
        return frame
    changed = {c: frame[c].map(_neutralise) for c in columns}
    changed = {c: v for c, v in changed.items() if not v.equals(frame[c])}
    return frame.assign(**changed) if changed else frame


def restore_csv_cell(value):
    """The exact value of a cell :func:`neutralise_formulas` quoted (other values unchanged)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (formulas neutralised, ``\\n`` line ends, 6 significant digits)."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n",
                                             float_format="%.6g")


def write_csv(frame: pd.DataFrame, path: Path, float_format: str | None = "%.6g") -> Path:
    """Write ``frame`` as CSV (formulas neutralised, ``\\n`` line ends, 6 significant digits
    unless ``float_format`` says otherwise)."""
    neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n",
                                      float_format=float_format)
    return Path(path)


def write_tables(analysis, folder: Path, *, parquet: bool = True,
                 report: dict | None = None) -> list[Path]:
    """Write articles, sentences, matches (+ quality log and problems) and provenance.json
    (with ``report``, the options of the report written beside them, when given)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "articles": analysis.articles.drop(columns=[c for c in CSV_SKIP if c in analysis.articles]),
        "sentences": analysis.sentences,
        "matches": analysis.matches,
        "quality": analysis.corpus.quality,
        "problems": analysis.corpus.problems,
    }
    written = []
    for name, frame in tables.items():
        write_csv(frame, folder / f"{name}.csv")
        written.append(folder / f"{name}.csv")
        if parquet and name in ("articles", "sentences", "matches"):
            frame.to_parquet(folder / f"{name}.parquet", index=False)
            written.append(folder / f"{name}.parquet")
    record = analysis.provenance()
    if report is not None:
        record["report"] = report
    (folder / "provenance.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    written.append(folder / "provenance.json")
    return written
