"""Reading inputs into raw article rows: files, folders, manifests, tables, notebook objects.

No text processing happens here (that is :mod:`framing.clean`). Problems with single inputs are
collected as :class:`Problem` rows instead of stopping the load, unless ``strict=True``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

import charset_normalizer
import pandas as pd
import yaml

from ..errors import ConfigurationError, InputError, check_code

__all__ = ["DEFAULT_MAX_BYTES", "Problem", "RawCorpus", "decode_bytes", "looks_like_markup",
           "parse_table", "read_manifest", "read_source", "read_table", "summarize_problems"]

#: Files larger than this (bytes) are refused unless ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES = 5_000_000
#: Saved web pages: the article body is extracted with trafilatura (:func:`read_html`).
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt", ".md") + HTML_SUFFIXES
#: Files in a corpus folder that framing cannot read: listed as problems, not silently passed
#: over.
UNSUPPORTED_SUFFIXES = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".epub")
#: Page metadata that fills the manifest columns a user did not give (trafilatura's names ->
#: ours).
PAGE_METADATA = {"title": "title", "date": "date", "sitename": "site_name", "url": "url"}
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

    def __post_init__(self):
        check_code(self.code)

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
        self.append(Problem(str(path), str(article_id), code, problem, hint, action))

    def append(self, item: Problem) -> None:
        if self.strict:
            raise item.as_error()
        self.problems.append(item)


def duplicate_id(where: Any, article_id: str) -> Problem:
    """The problem row of an article whose id an earlier article already has."""
    return Problem(str(where), article_id, "E-DUPLICATE-ID",
                   f"article id {article_id!r} is used twice",
                   "give each article a unique id; the first one was kept", "skipped")


def broken_line(source: Any, number: int, message: str) -> Problem:
    """The problem row of a broken CSV record or JSONL line (the other rows are read)."""
    return Problem(f"{source} (line {number})", "", "E-FORMAT", f"line {number}: {message}",
                   "fix the line; the other rows were read", "skipped")


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
        # UTF-16/32 without a byte-order mark also holds NUL bytes: let charset-normalizer say
        wide = _wide_unicode(data)
        if wide is not None:
            return wide
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


def _wide_unicode(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` when ``data`` is UTF-16 or UTF-32 without a byte-order mark."""
    best = charset_normalizer.from_bytes(data[:65536]).best()
    if best is None or not best.encoding.startswith(("utf_16", "utf_32")):
        return None
    try:
        text = data.decode(best.encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > 0.01 * len(text):
        return None
    return text, best.encoding.replace("_", "-")


_MARKUP = re.compile(r"<(?:!doctype\s+html|html|head|body|script|style|div|span|meta|link|"
                     r"p|br|a\s+href|iframe|noscript)\b[^>]*>", re.IGNORECASE)


def looks_like_markup(text: str) -> bool:
    """Whether ``text`` is HTML rather than prose: a doctype or ``<html>`` near its start, or
    at least 5 HTML tags that make up over 5% of the first 20,000 characters."""
    head = text[:20000]
    if re.match(r"\s*<(?:!doctype\s+html|html)\b", head, re.IGNORECASE):
        return True
    tags = [m.end() - m.start() for m in _MARKUP.finditer(head)]
    return len(tags) >= 5 and sum(tags) > 0.05 * len(head)


def read_html(data: bytes | str, where: str = "<html>") -> tuple[str, dict]:
    """The article body of a web page (gzip-compressed or not) as text, and the page's
    metadata (``title``, ``date``, ``site_name``, ``url`` when the page gives them), extracted
    with trafilatura (docs/loading.md). Raises :class:`InputError` when the page holds no
    article text."""
    import gzip

    if isinstance(data, bytes) and data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"broken gzip file: {exc}", path=where, code="E-DECODE") from exc
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise InputError("reading web pages needs trafilatura", path=where,
                         hint="pip install trafilatura", code="E-EXTRA") from exc
    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    if document is None:
        raise InputError("no article text found in the page", path=where,
                         hint="check that it is an article page, not an index or a login page",
                         code="E-EMPTY")
    fields = document if isinstance(document, dict) else document.as_dict()
    text = (fields.get("text") or "").strip()
    if not text:
        raise InputError("no article text found in the page", path=where,
                         hint="check that it is an article page", code="E-EMPTY")
    metadata = {ours: str(fields[theirs]) for theirs, ours in PAGE_METADATA.items()
                if fields.get(theirs)}
    return text, metadata


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", path=str(path),
                         hint="raise the limit with --max-bytes (max_bytes=) if this is really one "
                              "article", code="E-TOO-LARGE")
    return path.read_bytes()


def _read_text_file(path: Path, max_bytes: int) -> tuple[str, str]:
    return decode_bytes(_read_bytes(path, max_bytes), str(path))


# --- manifests and tables ---------------------------------------------------------------------

#: A CSV field or JSON line longer than this is a broken record, not an article.
MAX_RECORD_CHARS = 50_000_000
#: After this many broken records a table is refused as a whole (it is probably not CSV/JSONL).
MAX_BAD_RECORDS = 1000


def iter_csv_records(lines: Iterable[str], delimiter: str = ","):
    """Records of CSV text, each ``(line_number, fields)``, or ``(line_number, error)`` for a
    broken one.

    Fields are parsed strictly (a quotation mark inside a quoted field must be doubled), so an
    unclosed quotation mark is found instead of swallowing the rows after it: the record that
    starts at the broken line is reported with that line's number, and reading goes on at the
    next line. Memory stays bounded by one record.
    """
    feed = _LineFeed(lines)
    while True:
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        while True:
            feed.start_record()
            try:
                fields = next(reader)
            except StopIteration:
                if feed.pending_error:
                    yield feed.record_start, feed.pending_error
                    feed.skip_broken_line()
                    break
                return
            except csv.Error as exc:
                yield feed.record_start, f"broken CSV record ({exc}; a quotation mark is " \
                                         "probably not closed or not doubled)"
                feed.skip_broken_line()
                break
            yield feed.record_start, fields


class _LineFeed:
    """Lines for :func:`iter_csv_records`, remembering those of the record being read so that
    reading can start again on the line after a broken record's first line."""

    def __init__(self, lines: Iterable[str]):
        self.source = iter(lines)
        self.replay: list[str] = []
        self.current: list[str] = []
        self.size = 0
        self.line = 0  # number of the last line handed out
        self.record_start = 1
        self.pending_error = ""

    def start_record(self) -> None:
        self.current, self.size, self.pending_error = [], 0, ""
        self.record_start = self.line + 1

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.size > MAX_RECORD_CHARS:  # an unclosed quote running on and on
            self.pending_error = (f"a record over {MAX_RECORD_CHARS:,} characters (a quotation "
                                  "mark is probably not closed)")
            raise StopIteration
        line = self.replay.pop() if self.replay else next(self.source)
        self.line += 1
        self.current.append(line)
        self.size += len(line)
        return line

    def skip_broken_line(self) -> None:
        """Drop the broken record's first line and read its other lines again."""
        rest = self.current[1:]
        self.replay.extend(reversed(rest))
        self.line = self.record_start  # the next line handed out is the one after it
        self.current, self.size = [], 0


def _text_lines(text: str):
    """Lines of ``text`` with their line ends (what the csv module expects)."""
    return io.StringIO(text, newline="")


class TableRecords:
    """Records of a CSV, TSV or JSONL text, in order, as ``(line_number, record)``: ``record``
    maps column to value, or is a message saying why the record is broken. CSV rows shorter
    than the header get empty cells; a CSV without a readable header is an
    :class:`InputError`; ``header`` holds the CSV header once read. Reads one record at a time
    (``lines`` may be an open file)."""

    def __init__(self, lines: Iterable[str], kind: str, source: Any = "<table>"):
        self.lines, self.kind, self.source, self.header = lines, kind, source, None

    def __iter__(self):
        return self._records(self.lines, self.kind, self.source)

    def _records(self, lines, kind, source):
        if kind == "jsonl":
            yield from self._json_lines(lines)
            return
        records = iter_csv_records(lines, "\t" if kind == "tsv" else ",")
        for _, fields in records:
            if isinstance(fields, str):
                raise InputError(f"cannot read the header: {fields}", path=str(source),
                                 hint="check that it is valid CSV", code="E-FORMAT")
            if fields:
                self.header = [h.lstrip("\ufeff") if i == 0 else h for i, h in enumerate(fields)]
                break
        if self.header is None:
            return
        header = self.header
        for number, fields in records:
            if isinstance(fields, str):
                yield number, fields
            elif len(fields) > len(header):
                yield number, f"line has {len(fields)} fields, the header {len(header)}"
            elif fields:  # trailing empty cells may be left out
                yield number, dict(zip(header, fields + [""] * (len(header) - len(fields))))

    @staticmethod
    def _json_lines(lines):
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield number, f"not a JSON object ({exc})"
                continue
            yield number, record if isinstance(record, dict) else "not a JSON object"


def _records_frame(records, source: Any, collector: "_Collector | None",
                   dtype: Any = None) -> pd.DataFrame:
    """The good records as a DataFrame (their line numbers in ``attrs``); each broken one a
    problem row, or an error without a ``collector`` or after :data:`MAX_BAD_RECORDS`."""
    rows, numbers, bad = [], [], 0
    for number, record in records:
        if isinstance(record, str):
            bad += 1
            if collector is None or bad > MAX_BAD_RECORDS:
                raise InputError(f"line {number}: {record}", path=str(source),
                                 hint="fix the line (quotation marks inside a quoted CSV field "
                                      "are doubled: \"\"; JSONL has one object per line)",
                                 code="E-FORMAT")
            collector.append(broken_line(source, number, record))
            continue
        rows.append(record)
        numbers.append(number)
    header = getattr(records, "header", None)
    frame = pd.DataFrame(rows, dtype=dtype) if rows else pd.DataFrame(columns=header or [])
    frame.attrs["line_numbers"] = numbers
    return frame


def parse_table(text: str, kind: str, source: Any, collector: "_Collector | None" = None
                ) -> pd.DataFrame:
    """The records of a CSV, TSV or JSONL ``text`` (``kind``) as a DataFrame, CSV and TSV cells
    as strings. A broken record is an :class:`InputError` naming ``source`` and its line, or,
    with a ``collector``, a problem row while the other records are read."""
    lines = _text_lines(text) if kind != "jsonl" else text.split("\n")
    return _records_frame(TableRecords(lines, kind, source), source, collector,
                          object if kind != "jsonl" else None)


def _read_records(path: Path, kind: str, collector: "_Collector | None" = None) -> pd.DataFrame:
    """Read a CSV/TSV/JSON/JSONL/YAML/Parquet file into a DataFrame of strings where possible.

    Text files are decoded as articles are (:func:`decode_bytes`: UTF-8, UTF-16/32, cp1252...).
    A broken CSV record or JSONL line becomes a problem row (with its line number) when a
    ``collector`` is given, and the other records are read; without one it is an error.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".yaml", ".yml"):
            text, _ = decode_bytes(path.read_bytes(), str(path))
            if suffix in (".csv", ".tsv", ".jsonl", ".ndjson"):
                table_kind = {".csv": "csv", ".tsv": "tsv"}.get(suffix, "jsonl")
                frame = parse_table(text, table_kind, path, collector)
            else:
                data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
                frame = _records_to_frame(data, path)
            return frame
        if suffix in (".parquet", ".pq"):
            try:
                return pd.read_parquet(path)
            except ImportError as exc:
                raise InputError("reading Parquet needs pyarrow", path=str(path),
                                 hint="pip install 'framing[parquet]'", code="E-EXTRA") from exc
    except InputError as exc:
        if exc.code == "E-EMPTY":  # an empty manifest or table file: no rows
            raise InputError(f"the {kind} is empty", path=str(path),
                             hint="add a header and one row per article", code="E-EMPTY") from exc
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


def read_manifest(path: str | Path, collector: "_Collector | None" = None) -> pd.DataFrame:
    """Read a manifest (CSV/TSV, JSON, JSONL or YAML) as a DataFrame."""
    path = Path(path)
    if not path.is_file():
        raise InputError("manifest not found", path=str(path), hint="check the --manifest path",
                         code="E-MISSING")
    return _read_records(path, "manifest", collector)


def read_table(path: str | Path, collector: "_Collector | None" = None) -> pd.DataFrame:
    """Read a table of articles (CSV/TSV, JSON, JSONL, Parquet) as a DataFrame.

    Without a ``collector`` a broken record is an :class:`InputError` naming its line."""
    return _read_records(Path(path), "article table", collector)


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


def _folder_files(root: Path, collector: "_Collector | None" = None) -> list[Path]:
    """The .txt/.md files under ``root`` (sorted). Files of a kind framing cannot read yet are
    listed as problems when a ``collector`` is given."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                continue
            if name.lower().endswith(TEXT_SUFFIXES):
                files.append(Path(dirpath) / name)
            elif collector is not None and name.lower().endswith(UNSUPPORTED_SUFFIXES):
                path = Path(dirpath) / name
                collector.add(path, _file_id(path, root), "E-UNSUPPORTED",
                              "not a plain-text article (.txt/.md): not read",
                              "save the article text as .txt (for a web page: its article "
                              "text only)")
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _inside(path: Path, root: Path) -> Path | None:
    """``path`` resolved when it stays inside ``root`` (already resolved), else None; a
    symlink loop raises OSError."""
    try:
        target = path.resolve()
    except RuntimeError as exc:  # Python 3.11 reports symlink loops this way
        raise OSError(40, "symlink loop") from exc
    return target if target.is_relative_to(root) else None


def _file_id(path: Path, root: Path) -> str:
    relative = path.relative_to(root).as_posix()
    if relative.lower().endswith(".gz"):
        relative = relative[:-3]
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
            rows = _rows_from_frame(read_table(path, collector), path, text_column, id_column,
                                    max_bytes, collector)
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
    files = _folder_files(root, collector)
    resolved_root = root.resolve()
    if manifest is None:
        jobs = []
        for path in files:
            article_id = _file_id(path, root)
            try:
                target = _inside(path, resolved_root)
            except OSError as exc:
                collector.add(path, article_id, "E-READ", f"cannot read file: {exc.strerror}",
                              "remove the broken link")
                continue
            if target is None:
                collector.add(path, article_id, "E-ESCAPE",
                              f"{path.name} is a link to a file outside the corpus folder {root}",
                              "copy the file into the corpus folder if it is an article")
                continue
            jobs.append((target, article_id, {}))
        return _rows_from_files(jobs, max_bytes, collector, root=resolved_root)
    frame = manifest if isinstance(manifest, pd.DataFrame) else read_manifest(manifest, collector)
    where = "<DataFrame manifest>" if isinstance(manifest, pd.DataFrame) else manifest
    fcol = _pick_column(frame, file_column, FILE_COLUMN_GUESSES, "file", where, "--file-column")
    icol = _pick_column(frame, id_column, (), "id", where, "--id-column", required=False)
    columns = _metadata_columns(frame, [])
    listed: set[Path] = set()
    jobs: list = []  # per manifest row in order: a job, or a missing file to match later
    lines = frame.attrs.get("line_numbers") or range(2, len(frame) + 2)
    for number, record in zip(lines, frame.to_dict("records")):
        name = str(_clean_value(record[fcol])).strip()
        label = f"{where} (line {number})"
        if not name:
            collector.add(label, "", "E-MANIFEST", "manifest row has no file name",
                          f"fill the {fcol!r} column")
            continue
        try:
            target = (root / name).resolve()
        except RuntimeError:  # Python 3.11 reports symlink loops this way
            collector.add(label, name, "E-READ", f"{name!r} is a symlink loop",
                          "remove the broken link or the manifest row")
            continue
        if not target.is_relative_to(resolved_root):
            collector.add(label, name, "E-ESCAPE",
                          f"manifest path {name!r} points outside the corpus folder {root}",
                          "manifest paths must be relative and stay inside the corpus folder")
            continue
        if not target.is_file():
            jobs.append(("missing", label, name, record))
            continue
        listed.add(target)
        jobs.append(_manifest_job(target, record, label, name, icol, columns, resolved_root,
                                  collector))
    unlisted = {}
    for path in files:
        try:
            resolved = path.resolve()
        except RuntimeError:
            resolved = path
        if resolved not in listed:
            unlisted[resolved] = path
    # a missing file may be an unlisted one under a cut or differently written name
    claims = {k: _name_matches(job[2], unlisted, resolved_root) for k, job in enumerate(jobs)
              if job and job[0] == "missing"}
    counted = {}
    for found in claims.values():
        for path in found:
            counted[path] = counted.get(path, 0) + 1
    for k, found in claims.items():
        _, label, name, record = jobs[k]
        jobs[k] = None
        if len(found) == 1 and counted[found[0]] == 1:
            target = found[0]
            shown = target.relative_to(resolved_root).as_posix()
            collector.add(label, name, "W-FILENAME",
                          f"manifest lists {name!r}; the file is {shown!r} (matched by name)",
                          "correct the manifest to silence this", action="loaded")
            unlisted.pop(target)
            jobs[k] = _manifest_job(target, record, label, name, icol, columns, resolved_root,
                                    collector)
        elif found:
            options = ", ".join(repr(p.relative_to(resolved_root).as_posix()) for p in found[:5])
            collector.add(label, name, "E-MISSING",
                          f"manifest lists {name!r} but the file is missing; it could be "
                          f"{options}", "write the full file name in the manifest")
        else:
            collector.add(label, name, "E-MISSING",
                          f"manifest lists {name!r} but the file is missing",
                          f"add the file to {root} or remove the row")
    for resolved, path in unlisted.items():
        collector.add(path, _file_id(path, root), "E-UNLISTED",
                      "file is not in the manifest, so its outlet is unknown",
                      "add a manifest row for it, or move it out of the corpus folder")
    return _rows_from_files([job for job in jobs if job], max_bytes, collector, root=resolved_root)


def _manifest_job(target: Path, record: dict, label: str, name: str, icol, columns: dict,
                  root: Path, collector: _Collector):
    """The (path, id, metadata) of a manifest row whose file is ``target``, or None."""
    article_id = str(_clean_value(record[icol])).strip() if icol else _file_id(target, root)
    if not article_id:
        collector.add(label, name, "E-MANIFEST", "manifest row has an empty id",
                      f"fill the {icol!r} column")
        return None
    metadata = {columns[c]: _clean_value(v) for c, v in record.items() if c in columns}
    return (target, article_id, metadata)


def _name_key(name: str) -> str:
    """A file name as people vary it: Unicode normalised, case folded, spaces as underscores."""
    import unicodedata

    return unicodedata.normalize("NFC", name).casefold().replace(" ", "_")


def _name_matches(name: str, unlisted: dict[Path, Path], root: Path) -> list[Path]:
    """The unlisted files a missing manifest name may mean: the same name but for Unicode
    normalisation, case, or spaces written as underscores; else files (with the same
    extension) whose name it begins, as a name cut short by an export does."""
    wanted = _name_key(name)
    stem, dot, suffix = wanted.rpartition(".")
    same, longer = [], []
    for resolved in sorted(unlisted):
        key = _name_key(resolved.relative_to(root).as_posix())
        if key == wanted:
            same.append(resolved)
        elif dot and stem and key.endswith("." + suffix) and key.startswith(stem):
            longer.append(resolved)
    return same or longer


def _rows_from_files(jobs: list[tuple[Path, str, dict]], max_bytes: int, collector: _Collector,
                     root: Path | None = None) -> list[dict]:
    rows, seen = [], set()
    for path, article_id, metadata in jobs:
        if article_id in seen:
            collector.append(duplicate_id(path, article_id))
            continue
        page = {}
        try:
            if path.name.lower().endswith(HTML_SUFFIXES):
                data = _read_bytes(path, max_bytes)
                text, found = read_html(data, str(path))
                encoding = "html"
                page = {"page_sha256": hashlib.sha256(data).hexdigest(),
                        **{k: v for k, v in found.items() if not metadata.get(k)}}
            else:
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
        rows.append({"article_id": article_id, **metadata, **page, "source_path": shown,
                     "raw_text": text, "encoding": encoding})
        if encoding not in ("utf-8", "ascii", "html"):
            collector.add(path, article_id, "W-ENCODING", f"not UTF-8: decoded as {encoding}",
                          "check a few sentences; save as UTF-8 to silence this", action="loaded")
        _check_markup(text, path, article_id, collector)
    return rows


def _check_markup(text: str, where: Any, article_id: str, collector: _Collector) -> None:
    if looks_like_markup(text):
        collector.add(where, article_id, "W-MARKUP",
                      "looks like an HTML page, not article text: tags, scripts and page "
                      "furniture would be measured as prose",
                      "give the article text only (copy it from the page, or extract it)",
                      action="loaded as text")


def _rows_from_frame(frame: pd.DataFrame, where: Any, text_column: str | None,
                     id_column: str | None, max_bytes: int, collector: _Collector) -> list[dict]:
    html = text_column is None and "html" in frame.columns and not any(
        str(c).lower() in TEXT_COLUMN_GUESSES for c in frame.columns)
    tcol = "html" if html else _pick_column(frame, text_column, TEXT_COLUMN_GUESSES, "text",
                                            where, "--text-column")
    icol = _pick_column(frame, id_column, ID_COLUMN_GUESSES, "id", where, "--id-column",
                        required=False)
    columns = _metadata_columns(frame, [tcol, icol])
    width = len(str(len(frame)))
    rows, seen = [], set()
    lines = frame.attrs.get("line_numbers")
    for number, record in enumerate(frame.to_dict("records"), start=1):
        article_id = (str(_clean_value(record[icol])).strip() if icol
                      else f"article-{number:0{width}d}")
        label = f"{where} (line {lines[number - 1]})" if lines else f"{where} (row {number})"
        text = record[tcol]
        page = {}
        if html and _clean_value(text) != "":
            try:
                data = text if isinstance(text, bytes) else str(text).encode("utf-8")
                text, found = read_html(data, label)
            except InputError as exc:
                collector.add(label, article_id, exc.code, exc.message, exc.hint or "")
                continue
            page = {"page_sha256": hashlib.sha256(data).hexdigest(),
                    **{k: v for k, v in found.items() if not _clean_value(record.get(k, ""))}}
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
            collector.append(duplicate_id(label, article_id))
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
        rows.append({"article_id": article_id, **metadata, **page, "source_path": str(where),
                     "raw_text": text, "encoding": "html" if html else
                     ("utf-8" if isinstance(where, Path) else "str")})
        if not html:
            _check_markup(text, label, article_id, collector)
    return rows


def _join_manifest(articles: pd.DataFrame, manifest: Any, id_column: str | None,
                   collector: _Collector) -> pd.DataFrame:
    """Attach manifest metadata to table rows by article id."""
    frame = manifest if isinstance(manifest, pd.DataFrame) else read_manifest(manifest, collector)
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


def summarize_problems(problems: pd.DataFrame, shown: int = 3) -> str:
    """The problems of a load in a few lines for the terminal: how many per code, then the
    first ``shown`` with their hints (all of them are in problems.csv and the report)."""
    if not len(problems):
        return ""
    counts = problems["code"].value_counts().sort_index()
    lines = [f"{len(problems)} input problem(s): "
             + ", ".join(f"{n} {code}" for code, n in counts.items())]
    for row in problems.head(shown).itertuples():
        hint = f" ({row.hint})" if row.hint else ""
        lines.append(f"  [{row.code}] {row.path}: {row.problem}{hint} -> {row.action}")
    if len(problems) > shown:
        lines.append(f"  ... and {len(problems) - shown} more (problems.csv lists them all)")
    return "\n".join(lines)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    columns = ["path", "article_id", "code", "problem", "hint", "action"]
    return pd.DataFrame([asdict(p) for p in problems], columns=columns)
