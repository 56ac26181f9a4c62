"""Terminal display of tables (rich)."""

from __future__ import annotations

import pandas as pd

__all__ = ["print_frame"]


#: Short headers for wide tables in a terminal; files keep the full column names.
SHORT_HEADERS = {"article_id": "article", "n_words": "words", "n_sentences": "sentences",
                 "detected_language": "lang", "n_repairs": "repairs",
                 "n_furniture_lines": "furniture", "n_duplicate_paragraphs": "duplicates",
                 "stated_source": "stated source", "quality_flags": "flags"}


def print_frame(frame: pd.DataFrame, *, title: str = "", stderr: bool = False) -> None:
    """Print a DataFrame as a rich table (wide tables wrap rather than truncate)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=160)
    table = Table(title=title, show_lines=False)
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(SHORT_HEADERS.get(str(column), str(column)),
                         justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*["" if pd.isna(v) else str(v) for v in row])
    console.print(table)
