"""Measuring corpora too large for memory: chunked input, parallel workers, incremental Parquet.

``framing measure BIG.jsonl --stream --out DIR`` reads a CSV/TSV/JSONL/Parquet table in chunks
(:func:`iter_chunks`), measures each chunk in a worker process (:func:`measure_chunk`: the same
``load_corpus`` -> ``measure_corpus`` -> ``aggregate_articles`` as a normal run) and appends the
``articles`` (without raw text), ``sentences`` and ``matches`` tables to Parquet files as
chunks finish, in input order. At most ``2 x jobs`` chunks are in flight, so memory depends on
the chunk size, not on the corpus size. ``--engine dask`` runs the same chunks on a Dask
cluster (:func:`dask_measure`) through the engine's same bounded map: same readers, same
output.

Ids: the chunks of a table need an id column (``--id-column``); without one, rows get
``row-000000001``... by their position in the whole input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pandas as pd

from .readers import ID_COLUMN_GUESSES
from ..errors import ConfigurationError, InputError

__all__ = ["STREAM_TABLES", "dask_measure", "iter_chunks", "measure_chunk", "measure_to_folder",
           "read_partitioned", "stream_measure", "table_files"]

STREAM_TABLES = ("articles", "sentences", "matches", "problems")
SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet"}


def _kind(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None or not path.is_file():
        raise ConfigurationError("streaming needs one CSV, TSV, JSONL or Parquet table",
                                 path=str(path), hint="drop --stream for a folder of text files")
    return kind


def iter_chunks(path: str | Path, *, chunk_size: int = 2000, id_column: str | None = None,
                problems: list | None = None) -> Iterator[pd.DataFrame]:
    """The table at ``path`` in chunks of ``chunk_size`` rows, each with an id column.

    CSV/TSV and JSONL are read record by record with the readers of a normal run
    (:class:`framing.io.readers.TableRecords`), so a broken line is a problem row with its line
    number and the other rows go on. Rows whose id an earlier chunk already had are left out
    too (``E-DUPLICATE-ID``): chunks are measured apart, so only this reader sees every id.
    Problems are appended to ``problems`` (a list of :class:`~framing.io.readers.Problem`).
    """
    from .readers import duplicate_id

    path = Path(path)
    kind = _kind(path)
    found = problems if problems is not None else []
    seen: set[str] = set()
    offset = 0
    try:
        for chunk in _raw_chunks(path, kind, chunk_size, found):
            chunk = chunk.reset_index(drop=True)
            rows = len(chunk)
            column = id_column or next((c for c in ID_COLUMN_GUESSES if c in chunk.columns), None)
            if column is None:
                chunk.insert(0, "article_id", [f"row-{offset + i + 1:09d}" for i in range(len(chunk))])
            elif column in chunk.columns:
                ids = chunk[column].map(lambda v: "" if v is None or v != v else str(v).strip())
                repeated = ids.isin(seen) & (ids != "")
                for number, article_id in zip(chunk.index[repeated], ids[repeated]):
                    found.append(duplicate_id(f"{path} (row {offset + number + 1})", article_id))
                seen.update(ids[~repeated])
                chunk = chunk[~repeated.to_numpy()]
            offset += rows
            yield chunk
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the table in chunks ({exc})", path=str(path),
                         hint="check the file format (one JSON object per line for JSONL)") from exc


def _raw_chunks(path: Path, kind: str, chunk_size: int, problems: list) -> Iterator[pd.DataFrame]:
    """Rows of the table in chunks, as the normal readers read them (broken records are
    problems with their line numbers)."""
    from .readers import TableRecords, broken_line

    if kind == "parquet":
        import pyarrow.parquet as pq

        yield from (batch.to_pandas() for batch in
                    pq.ParquetFile(path).iter_batches(batch_size=chunk_size))
        return

    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows: list = []
        for number, record in TableRecords(handle, kind, path):
            if isinstance(record, str):
                problems.append(broken_line(path, number, record))
                continue
            rows.append(record)
            if len(rows) == chunk_size:
                yield pd.DataFrame(rows, dtype=object if kind != "jsonl" else None)
                rows = []
        if rows:
            yield pd.DataFrame(rows, dtype=object if kind != "jsonl" else None)


def measure_chunk(shared: tuple, chunk: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Load, measure and aggregate one chunk: the normal pipeline on a table of rows."""
    from ..aggregate import aggregate_articles
    from ..measures import measure_corpus
    from ..corpus import load_corpus

    config, load_options = shared[0], dict(shared[1])
    source = load_options.pop("source", None)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(chunk, **load_options)
        sentences, matches = measure_corpus(corpus.articles, corpus.sentences, config,
                                            quotes=corpus.quotes)
    articles = aggregate_articles(corpus.articles, sentences, matches)
    if source is not None:  # as a normal run on the file would record them
        articles["source_path"], articles["encoding"] = source, "utf-8"
    return {"articles": articles.drop(columns=["raw_text"], errors="ignore"),
            "sentences": sentences, "matches": matches, "problems": corpus.problems}


def _arrow(frame: pd.DataFrame, schema=None):
    """A pyarrow table with stable types: text columns as strings, so chunks share a schema."""
    import pyarrow as pa

    frame = frame.copy()
    for column in frame.columns:
        if not (pd.api.types.is_numeric_dtype(frame[column]) or
                pd.api.types.is_bool_dtype(frame[column])):
            frame[column] = frame[column].map(lambda v: None if v is None or v != v else str(v)) \
                .astype(object)
    if schema is None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                  for f in table.schema]
        return table.cast(pa.schema(fields))
    frame = frame.reindex(columns=schema.names)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False, safe=False)


class _Writers:
    """One ParquetWriter per table, opened at the first chunk that has rows."""

    def __init__(self, folder: Path):
        self.folder, self.writers, self.rows = folder, {}, dict.fromkeys(STREAM_TABLES, 0)

    def write(self, tables: dict[str, pd.DataFrame]) -> None:
        import pyarrow.parquet as pq

        for name, frame in tables.items():
            if not len(frame):
                continue
            if name not in self.writers:
                table = _arrow(frame)
                self.writers[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", table.schema)
            else:
                table = _arrow(frame, self.writers[name].schema)
            self.writers[name].write_table(table)
            self.rows[name] += len(frame)

    def close(self) -> dict[str, int]:
        for writer in self.writers.values():
            writer.close()
        return self.rows


def stream_measure(path: str | Path, folder: str | Path, config, *, load_options: dict,
                   jobs: int = 1, chunk_size: int = 2000, id_column: str | None = None,
                   progress: bool = False, executor=None, shared=None) -> dict[str, int]:
    """Measure a large table chunk by chunk into ``folder`` (Parquet); returns row counts.

    The chunks are read here (:func:`iter_chunks`, the readers of a normal run) and go through
    the engine's ordered, bounded map (:func:`framing.engine.bounded_map`: at most ``2 x jobs``
    chunks in flight) on local processes or on ``executor`` (a Dask cluster's, with ``shared``
    scattered to it: :func:`dask_measure`); the tables are written here as chunks finish, so
    memory depends on the chunk size, not on the corpus size."""
    from ..engine import bounded_map, counter

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers = _Writers(folder)
    shared = shared if shared is not None else (config, dict(load_options, source=str(path)))
    from .readers import problems_frame

    found: list = []  # problems only the reader sees (broken lines, ids repeated across chunks)
    chunks = iter_chunks(path, chunk_size=chunk_size, id_column=id_column, problems=found)
    done = 0
    status = counter("Measured", "articles", progress)

    def finish(size: int, tables: dict) -> None:
        nonlocal done
        if found:
            tables = dict(tables, problems=pd.concat([problems_frame(found), tables["problems"]],
                                                     ignore_index=True))
            found.clear()
        writers.write(tables)
        done += size
        status(done)

    try:
        for size, tables in bounded_map(_measure_sized, chunks, shared, jobs=jobs,
                                        executor=executor):
            finish(size, tables)
        if found:  # problems after the last chunk
            writers.write({"problems": problems_frame(found)})
    finally:
        counts = writers.close()
    return counts


def measure_to_folder(path: str | Path, folder: str | Path, config, *, load_options: dict,
                      engine: str = "local", jobs: int = 1, chunk_size: int = 2000,
                      scheduler: str | None = None, progress: bool = False) -> dict[str, int]:
    """``framing measure --stream`` / ``--engine dask`` as a library call: measure the table at
    ``path`` chunk by chunk into ``folder`` (Parquet) and write its ``provenance.json``;
    returns the row counts. Use an :class:`~framing.io.output.OutputFolder` for ``folder``."""
    import json

    from .provenance import config_provenance, file_sha256

    path, folder = Path(path), Path(folder)
    id_column = load_options.get("id_column")
    if engine == "dask":
        counts = dask_measure(path, folder, config, load_options=load_options,
                              scheduler=scheduler, workers=jobs, chunk_size=chunk_size,
                              id_column=id_column, progress=progress)
    else:
        counts = stream_measure(path, folder, config, load_options=load_options, jobs=jobs,
                                chunk_size=chunk_size, id_column=id_column, progress=progress)
    furniture = load_options.get("furniture")
    record = dict(config_provenance(config),
                  inputs=[{"path": str(path), "sha256": file_sha256(path)}],
                  options=dict(load_options, engine=engine, chunk_size=chunk_size, jobs=jobs,
                               scheduler=scheduler, models=bool(config.models),
                               furniture=None if furniture is None else str(furniture)),
                  counts=counts)
    (folder / "provenance.json").write_text(json.dumps(record, indent=2, default=str) + "\n",
                                            encoding="utf-8")
    return counts


def _measure_sized(shared: tuple, chunk: pd.DataFrame) -> tuple[int, dict[str, pd.DataFrame]]:
    return len(chunk), measure_chunk(shared, chunk)


# --- Dask ---------------------------------------------------------------------------------------

def dask_measure(path: str | Path, folder: str | Path, config, *, load_options: dict,
                 scheduler: str | None = None, workers: int = 2, chunk_size: int = 2000,
                 id_column: str | None = None, progress: bool = False) -> dict[str, int]:
    """The chunk pipeline on a Dask cluster: the same as :func:`stream_measure` (same readers,
    same output), with the chunks measured on the cluster through its ``concurrent.futures``
    executor. ``scheduler`` is the address of an existing cluster; without it a
    ``LocalCluster`` with ``workers`` processes is started. The lexicons and models are
    scattered to the workers once."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigurationError("the Dask engine needs the dask extra",
                                 hint="pip install 'framing[dask]'") from exc
    cluster = None
    client = Client(scheduler) if scheduler else Client(
        cluster := LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                dashboard_address=None))
    try:
        shared = client.scatter((config, dict(load_options, source=str(path))), broadcast=True)
        return stream_measure(path, folder, config, load_options=load_options, jobs=workers,
                              chunk_size=chunk_size, id_column=id_column, progress=progress,
                              executor=client.get_executor(), shared=shared)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def table_files(path: Path, table: str) -> list[Path]:
    """The files holding ``table`` at ``path``: the file itself, or in a folder written by
    ``framing measure`` (``<table>.parquet`` or ``.csv``), ``--stream`` (``<table>.parquet``)
    or ``--engine dask`` (``<table>/part-*.parquet``)."""
    if path.is_file():
        return [path]
    for candidate in (path / f"{table}.parquet", path / f"{table}.csv"):
        if candidate.is_file():
            return [candidate]
    return sorted((path / table).glob("part-*.parquet"))


def _read_framing_csv(file: Path, columns: list[str] | None) -> pd.DataFrame:
    """A table framing wrote as CSV, read strictly (a broken record is an error naming its
    line, never rows merged into one) with the exact values of formula-quoted cells."""
    import io

    from .readers import parse_table
    from .tables import restore_csv_cell

    text = file.read_text(encoding="utf-8-sig")
    kind = "tsv" if file.suffix == ".tsv" else "csv"
    frame = parse_table(text, kind, file)
    frame = frame[columns] if columns else frame
    # the types pandas gives the same CSV (numbers as numbers), ids and groups kept as text
    kept = [c for c in frame.columns if c == "article_id"]
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    buffer.seek(0)
    typed = pd.read_csv(buffer, dtype={c: str for c in kept}, keep_default_na=False,
                        na_values=[""])
    for column in typed.columns:
        if not (pd.api.types.is_numeric_dtype(typed[column])
                or pd.api.types.is_bool_dtype(typed[column])):
            typed[column] = typed[column].map(restore_csv_cell)
    return typed


def read_partitioned(folder: str | Path, table: str, columns: list[str] | None = None,
                     optional: list[str] = ()) -> pd.DataFrame:
    """A table written by ``framing measure``, :func:`stream_measure` (one file) or
    :func:`dask_measure` (parts); ``folder`` may also be the table's own file. Only
    ``columns`` are read when given: a missing one is an :class:`InputError` naming the file;
    the ``optional`` ones are read too where the table has them (older tables may not).
    An empty DataFrame when the folder holds no such table."""
    files = table_files(Path(folder), table)
    if not files:
        return pd.DataFrame()
    frames = []
    for file in files:
        try:
            if file.suffix == ".parquet":
                import pyarrow.parquet as pq

                names = pq.ParquetFile(file).schema_arrow.names
            elif file.suffix in (".csv", ".tsv"):
                names = list(pd.read_csv(file, nrows=0, sep="\t" if file.suffix == ".tsv" else ",").columns)
            else:
                raise InputError(f"cannot read a {table} table from a {file.suffix or 'suffix-less'} "
                                 "file", path=str(file), hint="give a .parquet or .csv file")
            missing = [c for c in columns or () if c not in names]
            if missing:
                raise InputError(f"the {table} table has no column {', '.join(map(repr, missing))}",
                                 path=str(file),
                                 hint=f"give the {table} table written by framing measure")
            wanted = None if columns is None else \
                columns + [c for c in optional if c in names and c not in columns]
            if file.suffix == ".parquet":
                frames.append(pd.read_parquet(file, columns=wanted))
            else:
                frames.append(_read_framing_csv(file, wanted))
        except (ValueError, OSError) as exc:
            raise InputError(f"cannot read the {table} table ({exc})", path=str(file)) from exc
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
