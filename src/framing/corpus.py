"""Reading inputs into raw article rows: files, folders, manifests, tables, notebook objects.

No text processing happens here (that is :mod:`framing.clean`). Problems with single inputs are
collected as :class:`Problem` rows instead of stopping the load, unless ``strict=True``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

import charset_normalizer
import pandas as pd
import yaml

from .errors import ConfigurationError, InputError

__all__ = ["DEFAULT_MAX_BYTES", "Problem", "RawCorpus", "decode_bytes", "read_manifest",
           "read_source", "read_table"]

#: Files larger than this (bytes) are refused unless ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES = 5_000_000
TEXT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq")
MANIFEST_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".yaml", ".yml")
FILE_COLUMN_GUESSES = ("file", "filename", "file_name", "path", "filepath")
TEXT_COLUMN_GUESSES = ("text", "body", "content", "article", "full_text", "article_text")
ID_COLUMN_GUESSES = ("article_id", "id", "doc_id", "stories_id")
#: Column names that framing itself produces; a manifest column with one of these names is kept
#: under ``manifest_<name>``.
RESERVED_COLUMNS = frozenset({"article_id", "raw_text", "text", "encoding", "source_path"})
#: Encodings preferred when charset-normalizer finds several equally plausible ones: these are
#: the usual encodings of English-language web text (documented in docs/loading.md).
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


@dataclass(frozen=True)
class Problem:
    """One bad input, as listed in the data-quality report."""

    path: str
    article_id: str
    code: str
    problem: str
    hint: str
    action: str

    def as_error(self) -> InputError:
        return InputError(self.problem, path=self.path, hint=self.hint, code=self.code)


@dataclass
class RawCorpus:
    """Raw article rows (``article_id``, metadata..., ``raw_text``, ``encoding``) and problems."""

    articles: pd.DataFrame
    problems: list[Problem]


class _Collector:
    """Collects problems; raises the first one in strict mode."""

    def __init__(self, strict: bool):
        self.strict = strict
        self.problems: list[Problem] = []

    def add(self, path: Any, article_id: str, code: str, problem: str, hint: str,
            action: str = "skipped") -> None:
        item = Problem(str(path), str(article_id), code, problem, hint, action)
        if self.strict:
            raise item.as_error()
        self.problems.append(item)


# --- decoding ---------------------------------------------------------------------------------

def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read directly; anything else is
    detected with charset-normalizer. Raises :class:`InputError` for empty, binary or undecodable
    data.
    """
    if not data.strip():
        raise InputError("file is empty", path=path, hint="remove it or add the article text",
                         code="E-EMPTY")
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                          (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                          (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {encoding} byte-order mark but is not valid "
                                 f"{encoding}: {exc.reason} at byte {exc.start}", path=path,
                                 hint="re-save the file as UTF-8", code="E-DECODE") from exc
    head = data[:8192]
    if b"\x00" in head:
        raise InputError("looks like a binary file (contains NUL bytes)", path=path,
                         hint="only plain-text articles (.txt/.md) can be read; convert it first",
                         code="E-BINARY")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("bytes are not valid UTF-8 and no text encoding fits them", path=path,
                         hint="save the file as UTF-8, or check that it is really text",
                         code="E-DECODE")
    chosen = best
    for match in matches:
        if match.encoding in PREFERRED_ENCODINGS and match.chaos <= best.chaos + 0.1:
            chosen = match
            break
    text = str(chosen)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > 0.01 * len(text):
        raise InputError("looks like a binary file (many control characters)", path=path,
                         hint="only plain-text articles can be read", code="E-BINARY")
    return text, chosen.encoding


def _read_text_file(path: Path, max_bytes: int) -> tuple[str, str]:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", path=str(path),
                         hint="raise the limit with --max-bytes (max_bytes=) if this is really one "
                              "article", code="E-TOO-LARGE")
    return decode_bytes(path.read_bytes(), str(path))


# --- manifests and tables ---------------------------------------------------------------------

def _read_records(path: Path, kind: str) -> pd.DataFrame:
    """Read a CSV/TSV/JSON/JSONL/YAML/Parquet file into a DataFrame of strings where possible."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str,
                               keep_default_na=False, encoding="utf-8-sig")
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False)
        if suffix in (".parquet", ".pq"):
            try:
                return pd.read_parquet(path)
            except ImportError as exc:
                raise InputError("reading Parquet needs pyarrow", path=str(path),
                                 hint="pip install 'framing[parquet]'", code="E-EXTRA") from exc
        if suffix in (".json", ".yaml", ".yml"):
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle) if suffix == ".json" else yaml.safe_load(handle)
            return _records_to_frame(data, path)
    except InputError:
        raise
    except (ValueError, UnicodeDecodeError, yaml.YAMLError, pd.errors.ParserError, OSError) as exc:
        raise InputError(f"cannot read {kind}: {exc}", path=str(path),
                         hint=f"check that it is valid {suffix.lstrip('.').upper()}",
                         code="E-FORMAT") from exc
    raise InputError(f"unsupported {kind} format {suffix!r}", path=str(path),
                     hint="use CSV, TSV, JSON, JSONL, YAML or Parquet", code="E-FORMAT")


def _records_to_frame(data: Any, path: Path) -> pd.DataFrame:
    if isinstance(data, dict):
        # {"file.txt": {"outlet": ...}, ...} or {"articles": [...]}
        if len(data) == 1 and isinstance(next(iter(data.values())), list):
            data = next(iter(data.values()))
        else:
            data = [{"file": key, **(value if isinstance(value, dict) else {"outlet": value})}
                    for key, value in data.items()]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise InputError("expected a list of records (one object per article)", path=str(path),
                         hint="see docs/loading.md for manifest layouts", code="E-FORMAT")
    return pd.DataFrame(data)


def _pick_column(frame: pd.DataFrame, wanted: str | None, guesses: Iterable[str], what: str,
                 path: Any, option: str, required: bool = True) -> str | None:
    if wanted is not None:
        if wanted not in frame.columns:
            raise ConfigurationError(
                f"{what} column {wanted!r} not found; columns are {list(frame.columns)}",
                path=str(path), hint=f"pass the right name with {option}")
        return wanted
    lower = {str(c).lower(): c for c in frame.columns}
    for guess in guesses:
        if guess in lower:
            return lower[guess]
    if required:
        raise ConfigurationError(
            f"no {what} column found among {list(frame.columns)}", path=str(path),
            hint=f"name it with {option}")
    return None


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read a manifest (CSV/TSV, JSON, JSONL or YAML) as a DataFrame."""
    path = Path(path)
    if not path.is_file():
        raise InputError("manifest not found", path=str(path), hint="check the --manifest path",
                         code="E-MISSING")
    return _read_records(path, "manifest")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table of articles (CSV/TSV, JSON, JSONL, Parquet) as a DataFrame."""
    return _read_records(Path(path), "article table")


# --- assembling raw articles ------------------------------------------------------------------

def _metadata_columns(frame: pd.DataFrame, skip: Iterable[str | None]) -> dict[str, str]:
    """Map each manifest column to its name in the articles table."""
    skip = {s for s in skip if s is not None}
    return {c: (f"manifest_{c}" if c in RESERVED_COLUMNS else c) for c in frame.columns
            if c not in skip}


def _clean_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


def _folder_files(root: Path) -> list[Path]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES):
                files.append(Path(dirpath) / name)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _file_id(path: Path, root: Path) -> str:
    relative = path.relative_to(root).as_posix()
    return relative.rsplit(".", 1)[0]


def read_source(source: Any, manifest: str | Path | pd.DataFrame | None = None, *,
                file_column: str | None = None, id_column: str | None = None,
                text_column: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                strict: bool = False) -> RawCorpus:
    """Read any supported input into raw article rows.

    See :func:`framing.load_corpus` for the parameters.
    """
    collector = _Collector(strict)
    if isinstance(source, pd.DataFrame):
        rows = _rows_from_frame(source.copy(), "<DataFrame>", text_column, id_column, max_bytes,
                                collector)
    elif isinstance(source, (list, tuple)) and all(isinstance(s, str) for s in source):
        frame = pd.DataFrame({"text": list(source)})
        rows = _rows_from_frame(frame, "<list>", "text", None, max_bytes, collector)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            rows = _rows_from_folder(path, manifest, file_column, id_column, max_bytes, collector)
            manifest = None  # consumed
        elif path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
            rows = _rows_from_frame(read_table(path), path, text_column, id_column, max_bytes,
                                    collector)
        elif path.is_file():
            rows = _rows_from_files([(path, _file_id(path, path.parent), {})], max_bytes,
                                    collector)
        else:
            raise InputError("no such file or folder", path=str(path),
                             hint="give a folder of .txt/.md files, a CSV/JSONL/Parquet table or "
                                  "one text file", code="E-MISSING")
    else:
        raise ConfigurationError(
            f"cannot load a {type(source).__name__}",
            hint="pass a path, a list of strings or a pandas DataFrame")
    articles = pd.DataFrame(rows)
    if manifest is not None and len(articles):
        articles = _join_manifest(articles, manifest, id_column, collector)
    if articles.empty:
        articles = pd.DataFrame(columns=["article_id", "raw_text", "encoding", "source_path"])
    return RawCorpus(articles.reset_index(drop=True), collector.problems)


def _rows_from_folder(root: Path, manifest: Any, file_column: str | None, id_column: str | None,
                      max_bytes: int, collector: _Collector) -> list[dict]:
    files = _folder_files(root)
    if manifest is None:
        return _rows_from_files([(p, _file_id(p, root), {}) for p in files], max_bytes, collector)
    frame = manifest if isinstance(manifest, pd.DataFrame) else read_manifest(manifest)
    where = "<DataFrame manifest>" if isinstance(manifest, pd.DataFrame) else manifest
    fcol = _pick_column(frame, file_column, FILE_COLUMN_GUESSES, "file", where, "--file-column")
    icol = _pick_column(frame, id_column, (), "id", where, "--id-column", required=False)
    columns = _metadata_columns(frame, [])
    resolved_root = root.resolve()
    listed: set[Path] = set()
    jobs = []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        name = str(_clean_value(record[fcol])).strip()
        label = f"{where} (row {number})"
        if not name:
            collector.add(label, "", "E-MANIFEST", "manifest row has no file name",
                          f"fill the {fcol!r} column")
            continue
        target = (root / name).resolve()
        if not target.is_relative_to(resolved_root):
            collector.add(label, name, "E-ESCAPE",
                          f"manifest path {name!r} points outside the corpus folder {root}",
                          "manifest paths must be relative and stay inside the corpus folder")
            continue
        if not target.is_file():
            collector.add(label, name, "E-MISSING", f"manifest lists {name!r} but the file is missing",
                          f"add the file to {root} or remove the row")
            continue
        listed.add(target)
        article_id = str(_clean_value(record[icol])) if icol else _file_id(target, resolved_root)
        metadata = {columns[c]: _clean_value(v) for c, v in record.items() if c in columns}
        jobs.append((target, article_id, metadata))
    for path in files:
        if path.resolve() not in listed:
            collector.add(path, _file_id(path, root), "E-UNLISTED",
                          "file is not in the manifest, so its outlet is unknown",
                          "add a manifest row for it, or move it out of the corpus folder")
    return _rows_from_files(jobs, max_bytes, collector, root=resolved_root)


def _rows_from_files(jobs: list[tuple[Path, str, dict]], max_bytes: int, collector: _Collector,
                     root: Path | None = None) -> list[dict]:
    rows, seen = [], set()
    for path, article_id, metadata in jobs:
        if article_id in seen:
            collector.add(path, article_id, "E-DUPLICATE-ID", f"article id {article_id!r} is used twice",
                          "give each article a unique id; the first one was kept")
            continue
        try:
            text, encoding = _read_text_file(path, max_bytes)
        except InputError as exc:
            collector.add(path, article_id, exc.code, exc.message, exc.hint or "")
            continue
        except OSError as exc:
            collector.add(path, article_id, "E-READ", f"cannot read file: {exc.strerror}",
                          "check permissions")
            continue
        seen.add(article_id)
        shown = path.relative_to(root).as_posix() if root else str(path)
        rows.append({"article_id": article_id, **metadata, "source_path": shown,
                     "raw_text": text, "encoding": encoding})
        if encoding not in ("utf-8", "ascii"):
            collector.add(path, article_id, "W-ENCODING", f"not UTF-8: decoded as {encoding}",
                          "check a few sentences; save as UTF-8 to silence this", action="loaded")
    return rows


def _rows_from_frame(frame: pd.DataFrame, where: Any, text_column: str | None,
                     id_column: str | None, max_bytes: int, collector: _Collector) -> list[dict]:
    tcol = _pick_column(frame, text_column, TEXT_COLUMN_GUESSES, "text", where, "--text-column")
    icol = _pick_column(frame, id_column, ID_COLUMN_GUESSES, "id", where, "--id-column",
                        required=False)
    columns = _metadata_columns(frame, [tcol, icol])
    width = len(str(len(frame)))
    rows, seen = [], set()
    for number, record in enumerate(frame.to_dict("records"), start=1):
        article_id = (str(_clean_value(record[icol])) if icol else f"article-{number:0{width}d}")
        label = f"{where} (row {number})"
        text = record[tcol]
        if isinstance(text, bytes):
            try:
                text, _ = decode_bytes(text, label)
            except InputError as exc:
                collector.add(label, article_id, exc.code, exc.message, exc.hint or "")
                continue
        text = "" if _clean_value(text) == "" else str(text)
        if not article_id:
            collector.add(label, "", "E-MANIFEST", "row has no id", f"fill the {icol!r} column")
            continue
        if article_id in seen:
            collector.add(label, article_id, "E-DUPLICATE-ID", f"article id {article_id!r} is used twice",
                          "give each article a unique id; the first one was kept")
            continue
        if not text.strip():
            collector.add(label, article_id, "E-EMPTY", "article text is empty",
                          f"fill the {tcol!r} column or drop the row")
            continue
        if len(text.encode("utf-8")) > max_bytes:
            collector.add(label, article_id, "E-TOO-LARGE",
                          f"text is over the limit of {max_bytes:,} bytes",
                          "raise the limit with --max-bytes (max_bytes=)")
            continue
        seen.add(article_id)
        metadata = {columns[c]: _clean_value(v) for c, v in record.items() if c in columns}
        rows.append({"article_id": article_id, **metadata, "source_path": str(where),
                     "raw_text": text, "encoding": "utf-8" if isinstance(where, Path) else "str"})
    return rows


def _join_manifest(articles: pd.DataFrame, manifest: Any, id_column: str | None,
                   collector: _Collector) -> pd.DataFrame:
    """Attach manifest metadata to table rows by article id."""
    frame = manifest if isinstance(manifest, pd.DataFrame) else read_manifest(manifest)
    icol = _pick_column(frame, id_column, ID_COLUMN_GUESSES, "id", manifest, "--id-column")
    frame = frame.rename(columns=_metadata_columns(frame, [icol]))
    frame = frame.rename(columns={icol: "article_id"})
    frame["article_id"] = frame["article_id"].astype(str)
    frame = frame.drop(columns=[c for c in frame.columns if c in articles.columns and c != "article_id"])
    missing = set(articles["article_id"]) - set(frame["article_id"])
    for article_id in sorted(missing):
        collector.add(manifest, article_id, "E-UNLISTED", "article is not in the manifest",
                      "add a manifest row for it", action="loaded; outlet unknown")
    return articles.merge(frame, on="article_id", how="left", sort=False)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    columns = ["path", "article_id", "code", "problem", "hint", "action"]
    return pd.DataFrame([asdict(p) for p in problems], columns=columns)
