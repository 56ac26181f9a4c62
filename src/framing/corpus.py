"""From inputs to the ``articles`` and ``sentences`` tables: read, clean, identify, segment.

:func:`load_corpus` is the public entry point (also behind ``framing inspect``). Each article is
prepared by :func:`prepare_article`, a pure function of its raw text, so the same code serves a
loop, a process pool or a distributed engine.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .clean import FurnitureRules, clean_text, line_key, load_furniture_rules
from .io.readers import DEFAULT_MAX_BYTES, Problem, problems_frame, read_source
from .clean.language import identify_language, load_identifier
from .segment import (MAX_SENTENCE_CHARS, SENTENCE_COLUMNS, article_quotes, sentence_rows,
                      sentences_frame)
from .clean.textmap import OffsetMap

__all__ = ["ARTICLE_QUALITY_COLUMNS", "Corpus", "load_corpus", "prepare_article",
           "require_articles"]

#: Columns added to every article by cleaning and segmentation (see docs/tables.md).
ARTICLE_QUALITY_COLUMNS = [
    "text", "stated_source", "detected_language", "language_probability", "is_english",
    "n_chars_raw", "n_chars", "n_paragraphs", "n_sentences", "n_words", "n_repairs",
    "n_furniture_lines", "n_duplicate_paragraphs", "too_short", "quality_flags",
]
#: An article whose body (its sentences that are not headings) has fewer words than this is
#: too short to measure (a headline, a caption, a stub): it is measured and listed, but left
#: out of comparisons (docs/reliability.md).
MIN_BODY_WORDS = 20
QUALITY_LOG_COLUMNS = ["article_id", "step", "category", "raw_start", "raw_end", "before", "after"]


#: Columns that follow :data:`~framing.segment.SENTENCE_COLUMNS` in the ``sentences`` table.
RAW_COLUMNS = ("raw_start", "raw_end")
_START, _END = SENTENCE_COLUMNS.index("start"), SENTENCE_COLUMNS.index("end")
_TEXT, _HEADING = SENTENCE_COLUMNS.index("text"), SENTENCE_COLUMNS.index("is_heading")
#: What the quality log says of each segmentation note (``step`` is ``segment``).
SEGMENT_NOTES = {
    "long_sentence": f"split into pieces of at most {MAX_SENTENCE_CHARS:,} characters "
                     "(no sentence end found)",
    "unbalanced_quote": "opening quotation mark never closed: the quote ends with its sentence",
}


@dataclass
class PreparedArticle:
    """One cleaned and segmented article. ``sentences`` are its rows of the ``sentences`` table
    as tuples (plain values travel between processes far more cheaply than a DataFrame;
    :func:`~framing.segment.sentences_frame` with ``extra=RAW_COLUMNS`` makes the table)."""

    fields: dict
    sentences: list[tuple]
    log: list[dict]
    tracked: OffsetMap
    quotes: list[tuple[int, int]]  # quotation spans in the cleaned text (segment's)


def _count_words(text: str) -> int:
    return len(text.split())


def prepare_article(article_id: str, raw_text: str, rules: FurnitureRules | None = None,
                    repeated: frozenset[str] = frozenset()) -> PreparedArticle:
    """Clean (removing ``repeated`` boilerplate lines too), identify the language of, and
    segment one article."""
    result = clean_text(raw_text, rules, repeated)
    language, probability = identify_language(result.text)
    notes: list = []
    quotes = article_quotes(result.text, [(s, e) for s, e, _ in result.paragraphs])
    # each row gains the raw span of its sentence: (raw_start, raw_end)
    sentences = [row + result.tracked.raw_span(row[_START], row[_END])
                 for row in sentence_rows(article_id, result.text, result.paragraphs, notes,
                                          quotes)]
    for category, start, end in notes:
        raw_start, raw_end = result.tracked.raw_span(start, end)
        shown = result.text[start:end]
        result.log.append(dict(step="segment", category=category, raw_start=raw_start,
                               raw_end=raw_end, before=shown[:200],
                               after=SEGMENT_NOTES[category]))
    steps = [entry["step"] for entry in result.log]
    repairs = sum(s in ("repair_mojibake", "repair_lossy_quotes") for s in steps)
    flags = []
    for step, flag in (("repair_mojibake", "mojibake_repaired"),
                       ("strip_markup", "markup_removed"),
                       ("repair_lossy_quotes", "lossy_quotes_repaired"),
                       ("unwrap_lines", "hard_wrapped_lines_joined"),
                       ("remove_furniture", "furniture_removed"),
                       ("remove_duplicates", "duplicate_paragraphs_removed")):
        if step in steps:
            flags.append(flag)
    categories = {entry["category"] for entry in result.log if entry["step"] == "segment"}
    flags += sorted(categories)
    english = language in ("en", "und")
    if not english:
        flags.append(f"non_english:{language}")
    if not len(sentences):
        flags.append("no_sentences")
    body_words = sum(len(row[_TEXT].split()) for row in sentences if not row[_HEADING])
    too_short = body_words < MIN_BODY_WORDS
    if too_short:
        flags.append("too_short")
    fields = {
        "text": result.text,
        "stated_source": result.metadata.get("stated_source", ""),
        "detected_language": language,
        "language_probability": probability,
        "is_english": english,
        "n_chars_raw": len(raw_text),
        "n_chars": len(result.text),
        "n_paragraphs": len(result.paragraphs),
        "n_sentences": len(sentences),
        "n_words": _count_words(result.text),
        "n_repairs": repairs,
        "n_furniture_lines": steps.count("remove_furniture"),
        "n_duplicate_paragraphs": steps.count("remove_duplicates"),
        "too_short": too_short,
        "quality_flags": ";".join(flags),
    }
    log = [{"article_id": article_id, **entry} for entry in result.log]
    return PreparedArticle(fields, sentences, log, result.tracked.compact(), quotes[0])


@dataclass
class Corpus:
    """Loaded, cleaned and segmented articles.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per article, in input order (columns in ``docs/tables.md``).
    sentences : pandas.DataFrame
        One row per sentence, with offsets into the article's cleaned ``text``.
    quality : pandas.DataFrame
        The cleaning log: one row per change (repair, removed furniture, duplicate...).
    problems : pandas.DataFrame
        Inputs that could not be loaded, or loaded with a warning.
    options : dict
        The options used, for provenance.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    quality: pd.DataFrame
    problems: pd.DataFrame
    options: dict = field(default_factory=dict)
    _tracked: dict[str, OffsetMap] = field(default_factory=dict, repr=False)
    #: Each article's quotation spans in its cleaned text, as segmentation found them (the
    #: measures read them instead of finding them again).
    quotes: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    def raw_span(self, article_id: str, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in an article's cleaned text to its raw text."""
        return self._tracked[article_id].raw_span(start, end)

    def summary(self) -> pd.DataFrame:
        """Per-article overview: outlet, size, language and what cleaning did."""
        columns = ["article_id", "outlet", "n_words", "n_sentences", "detected_language",
                   "encoding", "n_repairs", "n_furniture_lines", "n_duplicate_paragraphs",
                   "stated_source", "quality_flags"]
        return self.articles[[c for c in columns if c in self.articles.columns]].copy()

    def __repr__(self) -> str:
        return (f"<Corpus: {len(self.articles)} articles, {len(self.sentences)} sentences, "
                f"{len(self.problems)} problems>")


def require_articles(corpus: "Corpus", source: Any = None) -> "Corpus":
    """``corpus``, or an :class:`~framing.errors.InputError` (``E-NO-ARTICLES``) when no article
    could be read: zero articles is a clear error, never an empty report."""
    if len(corpus.articles):
        return corpus
    from .errors import InputError

    problems = corpus.problems
    if len(problems):
        counts = problems["code"].value_counts().sort_index()
        why = "; ".join(f"{n} {code}" for code, n in counts.items())
        hint = f"{len(problems)} input(s) were skipped ({why}); fix them and run again"
    else:
        hint = "the input holds no articles (a manifest or table with a header and no rows?)"
    where = None if source is None or isinstance(source, (list, pd.DataFrame)) else str(source)
    raise InputError("no article could be read, so there is nothing to measure", path=where,
                     hint=hint, code="E-NO-ARTICLES")


#: Columns that can hold the outlet when there is no ``outlet`` column (docs/loading.md).
OUTLET_CANDIDATES = ("source", "publisher", "media", "media_name", "site", "sitename",
                     "site_name", "newspaper", "publication", "domain")
#: Columns whose URLs' host names can stand for the outlet.
URL_CANDIDATES = ("url", "link", "page_url", "source_url", "article_url")
#: Columns framing adds to raw article rows (not metadata from the input).
_OWN_COLUMNS = frozenset({"article_id", "raw_text", "encoding", "source_path"})


def _host(url) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(str(url).strip()).hostname or ""
    return host[4:] if host.startswith("www.") else host


def outlet_column_for(frame: pd.DataFrame, outlet_column: str | None) -> tuple[str | None, str]:
    """Which column gives the outlet, and how it was chosen.

    The named ``outlet_column``, else an ``outlet`` column; else the one column among
    :data:`OUTLET_CANDIDATES` that the input has (or, without any, the one of
    :data:`URL_CANDIDATES`, by host name), chosen with a note; several candidates are a
    :class:`ConfigurationError` listing them.
    Returns ``(column or None, note)``; the note is empty when nothing needs saying.
    """
    if outlet_column is not None or "outlet" in frame.columns:
        return outlet_column or "outlet", ""
    metadata = [c for c in frame.columns if c not in _OWN_COLUMNS]
    lower = {str(c).lower(): c for c in metadata}
    # a name column wins over a URL column (a web page gives both its site name and its URL)
    found = [lower[c] for c in OUTLET_CANDIDATES if c in lower] or \
        [lower[c] for c in URL_CANDIDATES if c in lower]
    if len(found) > 1:
        from .errors import ConfigurationError

        raise ConfigurationError(
            f"there is no outlet column, and several columns could hold the outlet: "
            f"{', '.join(map(repr, found))}", hint="choose one with --outlet-column (outlet_column=)")
    if found:
        how = "the host names of the URLs in" if str(found[0]).lower() in URL_CANDIDATES else ""
        return found[0], (f"no outlet column: the outlets are {how or 'taken from'} the "
                          f"{found[0]!r} column")
    if metadata:
        return None, (f"no outlet column among {', '.join(map(repr, metadata[:8]))}: every "
                      "article's outlet is 'unknown'")
    return None, ""


def _outlet(frame: pd.DataFrame, column: str | None) -> pd.Series:
    """Outlet per article from ``column`` (:func:`outlet_column_for`); an empty cell falls back
    to ``outlet``, then ``publisher``, then ``unknown``."""
    outlet = pd.Series(["unknown"] * len(frame), index=frame.index, dtype=object)
    for name in reversed([c for c in (column, "outlet", "publisher") if c]):
        if name in frame.columns:
            values = frame[name].astype(object)
            if str(name).lower() in URL_CANDIDATES and name == column:
                values = values.map(lambda v: _host(v) if isinstance(v, str) else v)
            present = values.notna() & (values.astype(str).str.strip() != "")
            outlet = outlet.where(~present, values.astype(str))
    return outlet


def _prepare(rules: FurnitureRules, row: tuple) -> PreparedArticle:
    """``row``: article id, raw text, whether it was extracted from an HTML page (trafilatura
    has then removed the page around it: no line model), and optionally repeated lines."""
    article_id, raw_text, extracted, *repeated = row
    if extracted and rules.line_model is not None:
        rules = replace(rules, line_model=None)
    return prepare_article(article_id, raw_text, rules, repeated[0] if repeated else frozenset())


#: A line is boilerplate when it is in at least this many of an outlet's articles ...
REPEAT_MIN_ARTICLES = 3
#: ... and in at least this share of them ...
REPEAT_MIN_SHARE = 0.2
#: ... and has at most this many words: a longer paragraph repeated across articles is a
#: recycled background paragraph, which is reporting (docs/cleaning.md).
REPEAT_MAX_WORDS = 30


def repeated_lines(texts: list[str], outlets: list[str]) -> dict[str, frozenset[str]]:
    """Per outlet, the lines (by :func:`~framing.clean.line_key`) of at most
    :data:`REPEAT_MAX_WORDS` words found in at least :data:`REPEAT_MIN_ARTICLES` of its articles
    and :data:`REPEAT_MIN_SHARE` of them:
    boilerplate such as a newsletter box or "Share Save" repeats, reporting does not. The
    outlet "unknown" (no outlet information) is left alone."""
    from collections import Counter

    from .clean import line_key

    counts: dict[str, Counter] = {}
    sizes: Counter = Counter()
    for text, outlet in zip(texts, outlets):
        if outlet == "unknown":
            continue
        sizes[outlet] += 1
        keys = {line_key(line) for line in text.split("\n\n")}
        counts.setdefault(outlet, Counter()).update(
            k for k in keys if k and len(k.split()) <= REPEAT_MAX_WORDS)
    return {outlet: frozenset(k for k, n in found.items()
                              if n >= REPEAT_MIN_ARTICLES and n >= REPEAT_MIN_SHARE * sizes[outlet])
            for outlet, found in counts.items()}


def load_corpus(source: Any, manifest: Any = None, *, file_column: str | None = None,
                outlet_column: str | None = None, id_column: str | None = None,
                text_column: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                strict: bool = False, furniture: str | Path | None = None,
                keep_furniture: bool = False, progress: bool = False, jobs: int = 1) -> Corpus:
    """Load articles from a folder, a table file, a list of strings or a DataFrame.

    Parameters
    ----------
    source : path, list of str or pandas.DataFrame
        A folder of ``.txt``/``.md`` files (read recursively), one text file, a CSV/TSV/JSONL/
        JSON/Parquet table with one article per row, a list of article texts, or a DataFrame.
    manifest : path or pandas.DataFrame, optional
        Metadata per article (CSV/TSV, JSON, JSONL or YAML). For a folder, rows are matched to
        files by ``file_column``; for a table, by ``id_column``.
    file_column, outlet_column, id_column, text_column : str, optional
        Column names, when they differ from the defaults (``file``/``filename``/``path``;
        ``outlet`` then ``publisher``; ``article_id``/``id``/``doc_id``; ``text``/``body``/
        ``content``).
    max_bytes : int
        Files (or texts) larger than this are refused.
    strict : bool
        Raise :class:`~framing.errors.InputError` on the first bad input instead of listing it
        in ``problems`` and going on.
    furniture : path, optional
        A page-furniture rules file replacing the packaged ``data/furniture.yaml``.
    keep_furniture : bool
        Remove no page furniture at all (neither the rules' lines nor lines repeated across an
        outlet's articles).
    progress : bool
        Show a progress bar.
    jobs : int
        Processes for cleaning and segmenting (the result does not depend on it).

    Returns
    -------
    Corpus

    Examples
    --------
    >>> corpus = load_corpus(["DeepSeek is based in Hangzhou. It was founded in 2023."])
    >>> corpus.sentences["text"].tolist()
    ['DeepSeek is based in Hangzhou.', 'It was founded in 2023.']
    """
    from .clean import NO_FURNITURE

    rules = NO_FURNITURE if keep_furniture else load_furniture_rules(furniture)
    raw = read_source(source, manifest, file_column=file_column, id_column=id_column,
                      text_column=text_column, max_bytes=max_bytes, strict=strict)
    articles = raw.articles
    problems: list[Problem] = list(raw.problems)
    options = dict(source=str(source) if not isinstance(source, (list, pd.DataFrame)) else
                   f"<{type(source).__name__}>", manifest=None if manifest is None else str(manifest)
                   if not isinstance(manifest, pd.DataFrame) else "<DataFrame>",
                   file_column=file_column, outlet_column=outlet_column, id_column=id_column,
                   text_column=text_column, max_bytes=max_bytes, strict=strict,
                   furniture=rules.source, furniture_version=rules.version,
                   keep_furniture=keep_furniture,
                   line_model=rules.line_model.label if rules.line_model else None,
                   line_model_sha256=rules.line_model.sha256 if rules.line_model else None)
    # the outlet first: several candidate columns stop the run before any cleaning
    column, note = outlet_column_for(articles, outlet_column)
    outlet = _outlet(articles, column)
    prepared_fields, all_sentences, logs, tracked, quotes = [], [], [], {}, {}
    # pages read with trafilatura have lost the page around the article already
    extracted = (articles["page_sha256"].fillna("").astype(str) != "" if "page_sha256" in
                 articles.columns else pd.Series(False, index=articles.index))
    rows = list(zip(articles["article_id"], articles["raw_text"], extracted.astype(bool)))
    from .engine import bar, forks_workers, parallel_map

    if forks_workers(jobs, len(rows)):
        load_identifier()  # forked workers share the loaded model instead of each loading it
    results = parallel_map(_prepare, rows, rules, jobs=jobs,
                           progress=bar("Cleaning and segmenting", progress))
    if not keep_furniture:
        # boilerplate repeated across an outlet's articles: found on the cleaned text, then
        # those articles are cleaned again without it
        boilerplate = repeated_lines([r.fields["text"] for r in results], list(outlet))
        again = [(k, boilerplate[o]) for k, (o, r) in enumerate(zip(outlet, results))
                 if boilerplate.get(o) and any(line_key(p) in boilerplate[o]
                                               for p in r.fields["text"].split("\n\n"))]
        redone = parallel_map(_prepare, [rows[k] + (keys,) for k, keys in again], rules,
                              jobs=jobs)
        results = list(results)
        for (k, _), prepared in zip(again, redone):
            results[k] = prepared
    source_paths = dict(zip(articles["article_id"], articles["source_path"]))
    for (article_id, *_), prepared in zip(rows, results):
        prepared_fields.append(prepared.fields)
        all_sentences.extend(prepared.sentences)
        logs.extend(prepared.log)
        tracked[article_id] = prepared.tracked
        quotes[article_id] = prepared.quotes
        if not prepared.fields["is_english"]:
            message = (f"detected language {prepared.fields['detected_language']!r}; "
                       "English measures will skip this article")
            problems.append(Problem(source_paths[article_id], article_id,
                                    "W-LANGUAGE", message, "check the article or its manifest",
                                    "flagged"))
            warnings.warn(f"{article_id}: {message}", stacklevel=2)
        if prepared.fields["too_short"]:
            problems.append(Problem(source_paths[article_id], article_id, "W-TOO-SHORT",
                                    f"fewer than {MIN_BODY_WORDS} words of body text",
                                    "check the article (a headline or a stub?)",
                                    "measured; left out of comparisons"))
    quality = pd.DataFrame(prepared_fields, columns=ARTICLE_QUALITY_COLUMNS, index=articles.index)
    articles = articles.drop(columns=[c for c in ARTICLE_QUALITY_COLUMNS if c in articles.columns])
    if note:
        problems.append(Problem(options["manifest"] or options["source"], "", "W-OUTLET", note,
                                "name the outlet column with --outlet-column (outlet_column=)",
                                f"used {column!r}" if column else "outlet 'unknown'"))
    if "outlet" in articles.columns:
        # Another column was chosen as the outlet: keep the manifest's own under a new name.
        original = articles.pop("outlet")
        if outlet_column not in (None, "outlet"):
            articles["manifest_outlet"] = original
    articles.insert(1, "outlet", outlet)
    articles = pd.concat([articles, quality], axis=1)
    articles = articles.astype({"is_english": "bool", "too_short": "bool"}) if len(articles) \
        else articles
    sentences = sentences_frame(all_sentences, extra=RAW_COLUMNS)
    return Corpus(articles, sentences, pd.DataFrame(logs, columns=QUALITY_LOG_COLUMNS),
                  problems_frame(problems), options, tracked, quotes)
