"""The ``framing`` command line: thin commands over the library functions.

Each command parses options, calls the library, writes files and turns a
:class:`~framing.errors.FramingError` into a one-line message and exit code 2.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import click

from . import __version__
from .io.readers import DEFAULT_MAX_BYTES
from .errors import ConfigurationError, FramingError, InputError
from .io.output import atomic_write_text
from .engine import default_jobs
from .evaluation import TRAINABLE
from .compare.time import PERIODS
from .report.formats import DEFAULT_FIGURE_FORMATS, FIGURE_FORMATS

__all__ = ["cli", "main"]


@dataclass(frozen=True)
class CorpusOptions:
    """The options of every command that reads a corpus (they mirror ``load_corpus``)."""

    path: Path
    manifest: Path | None = None
    file_column: str | None = None
    outlet_column: str | None = None
    id_column: str | None = None
    text_column: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    furniture: Path | None = None
    keep_furniture: bool = False
    strict: bool = False
    quiet: bool = False
    jobs: int = 1

    def load_kwargs(self) -> dict:
        """Keyword arguments of :func:`framing.load_corpus` (after ``path``)."""
        return dict(manifest=self.manifest, file_column=self.file_column,
                    outlet_column=self.outlet_column, id_column=self.id_column,
                    text_column=self.text_column, max_bytes=self.max_bytes, strict=self.strict,
                    furniture=self.furniture, keep_furniture=self.keep_furniture,
                    progress=not self.quiet, jobs=self.jobs)

    def inputs(self) -> list:
        """The files and folders read (an output may not be, contain or lie in one)."""
        return [self.path, self.manifest, self.furniture]

    def load(self):
        """The corpus, its problems summarised in the terminal; zero articles is E-NO-ARTICLES."""
        from .corpus import load_corpus, require_articles

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # problems are listed in one summary instead
            corpus = load_corpus(self.path, **self.load_kwargs())
        _report_problems(corpus.problems, self.quiet)
        require_articles(corpus, self.path)
        return corpus


@dataclass(frozen=True)
class MeasureOptions:
    """Lexicons, targets and the learned models (they mirror ``framing.analyze``)."""

    lexicons: tuple[Path, ...] = ()
    targets: Path | None = None
    no_models: bool = False
    frame_models: tuple[Path, ...] = ()

    def inputs(self) -> list:
        return [*self.lexicons, self.targets, *self.frame_models]


def _grouped(command, options: list, name: str, group: type):
    """Apply click ``options`` to ``command`` and hand it their values as one ``group``
    dataclass in the keyword argument ``name``."""
    fields = [f.name for f in dataclasses.fields(group)]

    @functools.wraps(command)
    def wrapper(**kwargs):
        values = {f: kwargs.pop(f) for f in fields if f in kwargs}
        return command(**{name: group(**values)}, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


#: Every command takes -q/--quiet.
MIN_ARTICLES_OPTION = click.option(
    "--min-articles", type=click.IntRange(min=1), default=3, show_default=True,
    help="Groups with fewer articles are shown and flagged but left out of the tests and of "
         "the highest/lowest findings (unless every group has fewer).")
QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress bars or notes.")
FIGURE_FORMAT_OPTION = click.option(
    "--figure-format", "figure_formats", type=click.Choice(list(FIGURE_FORMATS)), multiple=True,
    default=DEFAULT_FIGURE_FORMATS, show_default=True,
    help="Format of the figures in figures/ (repeatable). PNG only is the fastest; the HTML "
         "report always embeds the PNG.")
#: Every command that writes a folder replaces it only with --force.
FORCE = click.option("--force", is_flag=True,
                     help="Replace what framing wrote before in a non-empty output folder.")


def _out(help_text: str, required: bool = True):
    """Every command that writes a folder names it with -o/--out."""
    return click.option("--out", "-o", "out", required=required,
                        type=click.Path(file_okay=False, path_type=Path), help=help_text)


def corpus_options(command):
    """Options shared by every command that reads a corpus (``corpus: CorpusOptions``)."""
    return _grouped(command, [
        click.argument("path", type=click.Path(exists=True, path_type=Path)),
        click.option("--manifest", "-m", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Metadata per article (CSV/TSV, JSON, JSONL or YAML)."),
        click.option("--file-column", metavar="NAME",
                     help="Manifest column naming each file [default: file/filename/path]."),
        click.option("--outlet-column", metavar="NAME",
                     help="Column holding the outlet [default: outlet, then publisher]."),
        click.option("--id-column", metavar="NAME",
                     help="Column holding article ids [default: article_id/id/doc_id]."),
        click.option("--text-column", metavar="NAME",
                     help="Text column of a CSV/JSONL/Parquet input [default: text/body/content]."),
        click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
                     show_default=True, help="Refuse files larger than this."),
        click.option("--furniture", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Page-furniture rules (YAML) replacing the packaged ones."),
        click.option("--keep-furniture", is_flag=True,
                     help="Remove no page furniture (neither the rules' lines nor lines "
                          "repeated across an outlet's articles)."),
        click.option("--strict", is_flag=True,
                     help="Stop at the first bad input instead of listing it and going on."),
        QUIET,
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=default_jobs,
                     show_default="all cores",
                     help="Processes for the per-article stages (and the report's figures); "
                          "results do not depend on it."),
    ], "corpus", CorpusOptions)


def lexicon_options(command):
    """Lexicon, targets and model options (``lexicon: MeasureOptions``)."""
    return _grouped(command, [
        click.option("--lexicon", "lexicons", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A lexicon file adding or replacing categories (repeatable)."),
        click.option("--targets", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Sentiment targets file replacing the default targets."),
        click.option("--no-models", "no_models", is_flag=True,
                     help="Lexicons and rules only: switch off the learned hedge, attribution "
                          "and identity cue models (docs/models.md)."),
        click.option("--frame-model", "frame_models", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A frame model of your own from `framing train-frame` (repeatable): "
                          "a sentence column, an article share and its comparison."),
    ], "lexicon", MeasureOptions)


def _measure(corpus: CorpusOptions, lexicon: MeasureOptions, **story_options):
    """Load and measure (``framing.analyze``); the terminal gets the skipped inputs."""
    from .api import analyze

    loaded = corpus.load()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyze(loaded, lexicons=lexicon.lexicons, targets=lexicon.targets,
                       models=not lexicon.no_models, frame_models=lexicon.frame_models,
                       progress=not corpus.quiet, jobs=corpus.jobs, **story_options)


def handle_errors(command):
    """Turn any error into a one-line message and an exit code, never a traceback.

    A :class:`FramingError` (bad input or options) exits 2, an operating-system error (disk
    full, permission) exits 2 naming the file, an interrupt exits 130, and anything else is an
    internal error (exit 70) whose traceback is shown only with ``FRAMING_DEBUG=1``.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except FramingError as exc:
            click.echo(f"Error [{exc.code}]: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was written (a previous output is as it was).",
                       err=True)
            sys.exit(130)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error [E-OS]: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)
        except Exception as exc:  # no traceback reaches a user
            if os.environ.get("FRAMING_DEBUG"):
                raise
            click.echo(f"Internal error [E-INTERNAL]: {type(exc).__name__}: {exc} (this is a "
                       "bug in framing; run again with FRAMING_DEBUG=1 for the traceback and "
                       "report it)", err=True)
            sys.exit(70)

    return wrapper


def _notify(quiet: bool):
    return (lambda message: None) if quiet else (lambda message: click.echo(f"Note: {message}",
                                                                            err=True))


def _output(out: Path, force: bool, inputs, quiet: bool):
    """The command's output folder, checked before any work (framing.io.output.OutputFolder)."""
    from .io.output import OutputFolder

    return OutputFolder(out, force=force, inputs=inputs, notify=_notify(quiet))


def _report_problems(problems, quiet: bool, shown: int = 3) -> None:
    """The skipped inputs in the terminal: a count per problem code and the first few."""
    from .io.readers import summarize_problems

    if len(problems) and not quiet:
        click.echo(summarize_problems(problems, shown=shown), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="framing")
def cli():
    """How do these outlets tell the same story differently?

    framing loads news articles with an outlet manifest, cleans and segments them, and measures
    sentiment, hedging, attribution and national framing sentence by sentence.

    \b
    Examples:
      framing analyze seeds --manifest seeds/manifest.csv --out reports --force
      framing inspect seeds --manifest seeds/manifest.csv
      framing inspect articles.csv --text-column body --outlet-column source
      framing measure stories.jsonl --stream --out big/ && framing compare big/ --out by_outlet/
    """


@cli.command()
@corpus_options
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the summary to this file (.csv or .json).")
@click.option("--details", is_flag=True, help="Also list every cleaning change.")
@handle_errors
def inspect(corpus: CorpusOptions, output, details):
    """Summarise a corpus: outlets, sizes, languages and what cleaning did.

    PATH is a folder of .txt/.md files, one text file, or a CSV/TSV/JSONL/JSON/Parquet table with
    one article per row.

    \b
    Examples:
      framing inspect seeds --manifest seeds/manifest.csv
      framing inspect seeds -m seeds/manifest.csv --output summary.csv --details
      framing inspect stories.jsonl --text-column body --id-column stories_id
    """
    from .io.output import check_output_file

    if output is not None:
        if output.suffix.lower() not in (".csv", ".json"):
            raise ConfigurationError(f"unsupported output format {output.suffix!r}",
                                     path=str(output), hint="use .csv or .json")
        check_output_file(output, corpus.inputs())
    corpus = corpus.load()
    summary = corpus.summary()
    from .io.display import print_frame

    print_frame(summary, title=f"{len(summary)} articles, {len(corpus.sentences)} sentences")
    if details and len(corpus.quality):
        log = corpus.quality[["article_id", "step", "category", "before", "after"]].copy()
        log["before"] = log["before"].str.slice(0, 70)
        print_frame(log, title="Cleaning changes")
    if len(corpus.problems):
        print_frame(corpus.problems[["path", "code", "problem", "action"]],
                    title="Problems with the input", stderr=True)
    if output is not None:
        from .io.tables import csv_text

        if output.suffix.lower() == ".json":
            text = json.dumps(summary.to_dict("records"), ensure_ascii=False, indent=2) + "\n"
        else:
            text = csv_text(summary)
        atomic_write_text(output, text)
        click.echo(f"Wrote {output}", err=True)


@cli.command()
@corpus_options
@lexicon_options
@_out("Output folder for the tables and provenance.json.")
@FORCE
@click.option("--stream", is_flag=True,
              help="Large CSV/TSV/JSONL/Parquet table: read it in chunks and write the tables "
                   "to Parquet as chunks finish (memory does not grow with the corpus).")
@click.option("--chunk-size", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Articles per chunk with --stream or --engine dask.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: run the chunks on a Dask cluster (pip install 'framing[dask]').")
@click.option("--scheduler", metavar="ADDRESS",
              help="Address of an existing Dask scheduler [default: start a LocalCluster].")
@handle_errors
def measure(corpus: CorpusOptions, lexicon: MeasureOptions, out, force, stream, chunk_size,
            engine, scheduler):
    """Measure every sentence and write the articles, sentences and matches tables.

    Writes articles.csv, sentences.csv, matches.csv (and the same as .parquet),
    quality.csv, problems.csv and provenance.json. The folder is written in full or not at all.

    \b
    Examples:
      framing measure seeds --manifest seeds/manifest.csv --out out/
      framing measure seeds -m seeds/manifest.csv --lexicon my_frames.yaml --out out/ --force
      framing measure stories.jsonl --stream --jobs 8 --id-column stories_id --out big/
      framing measure stories.parquet --engine dask --scheduler tcp://10.0.0.5:8786 --out big/
    """
    from .io.tables import write_tables

    if stream or engine == "dask":
        _measure_stream(corpus, lexicon, out, force, chunk_size, engine, scheduler)
        return

    with _output(out, force, corpus.inputs() + lexicon.inputs(), corpus.quiet) as folder:
        analysis = _measure(corpus, lexicon)
        write_tables(analysis, folder)
    click.echo(f"Wrote {len(analysis.articles)} articles, {len(analysis.sentences)} sentences, "
               f"{len(analysis.matches)} matches to {out}", err=True)


def _measure_stream(corpus: CorpusOptions, lexicon: MeasureOptions, out, force, chunk_size,
                    engine, scheduler):
    """``framing measure --stream`` / ``--engine dask``: chunks in, Parquet out."""
    from .io.stream import measure_to_folder, read_partitioned
    from .measures import MeasureConfig

    if corpus.manifest is not None:
        raise ConfigurationError("--stream and --engine dask read metadata from the table's "
                                 "own columns, not from a manifest",
                                 hint="join the manifest into the table first")
    config = MeasureConfig.load(tuple(lexicon.lexicons), lexicon.targets,
                                models=not lexicon.no_models,
                                frame_models=lexicon.frame_models)
    load_options = dict(text_column=corpus.text_column, id_column=corpus.id_column,
                        outlet_column=corpus.outlet_column, max_bytes=corpus.max_bytes,
                        strict=corpus.strict, furniture=corpus.furniture,
                        keep_furniture=corpus.keep_furniture)
    with _output(out, force, corpus.inputs() + lexicon.inputs(), corpus.quiet) as folder:
        counts = measure_to_folder(corpus.path, folder, config, load_options=load_options,
                                   engine=engine, jobs=corpus.jobs, chunk_size=chunk_size,
                                   scheduler=scheduler, progress=not corpus.quiet)
        click.echo(f"\nMeasured {counts['articles']:,} articles, {counts['sentences']:,} "
                   f"sentences, {counts['matches']:,} matches", err=True)
        _report_problems(read_partitioned(folder, "problems"), corpus.quiet)
        if not counts["articles"]:
            raise InputError("no article could be read, so nothing was measured",
                             path=str(corpus.path), hint="see the problems listed above",
                             code="E-NO-ARTICLES")
    click.echo(f"Wrote {out}", err=True)


@cli.command()
@corpus_options
@lexicon_options
@click.option("--by", default="outlet", show_default=True, metavar="COLUMN",
              help="Article column to compare: outlet, publisher, original_source or any manifest column.")
@_out("Output folder (tables, comparison, figures, report.html).")
@FORCE
@click.option("--count-clusters-once", is_flag=True,
              help="Count near-duplicate articles (rewrites of one source) once in the comparison.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap and permutations.")
@click.option("--n-boot", type=click.IntRange(min=100), default=1000, show_default=True,
              help="Bootstrap replicates.")
@MIN_ARTICLES_OPTION
@click.option("--date-column", default="date", show_default=True, metavar="COLUMN",
              help="Article column of dates (a manifest column, or the dates of HTML pages): "
                   "the key measures by group over time (time.csv, figures/trend, a report "
                   "section). Ignored when the articles have no such column.")
@click.option("--period", type=click.Choice(PERIODS), default="auto", show_default=True,
              help="Period of the measures over time (time.csv, figures/trend); auto: by day, "
                   "week, month, quarter or year by the span of the dates.")
@click.option("--story-column", metavar="COLUMN",
              help="Article column naming each article's story (event) [default: find stories "
                   "from similar titles and leads at most a week apart]. Gives the 'story' "
                   "column and the within-story comparison (within_story.csv).")
@FIGURE_FORMAT_OPTION
@handle_errors
def analyze(corpus: CorpusOptions, lexicon: MeasureOptions, by, out, force, count_clusters_once,
            seed, n_boot, min_articles, date_column, period, story_column, figure_formats):
    """The main job: measure, compare outlets, draw figures and write the HTML report.

    Writes articles.csv, sentences.csv, matches.csv, comparison.csv, keyness.csv, rewrites.csv,
    quality.csv, problems.csv, figures/ (PNG and SVG, or --figure-format), report.html and
    provenance.json, and
    time.csv with figures/trend when the articles have dates (--date-column), and
    within_story.csv with figures/within_story when stories are told by two or more groups
    (--story-column, or found automatically). The
    folder is built in a temporary place and swapped in at the end: a failed run leaves the
    previous report as it was. An existing non-empty folder is replaced only with --force.

    \b
    Examples:
      framing analyze seeds --manifest seeds/manifest.csv --out reports --force
      framing analyze seeds -m seeds/manifest.csv --by original_source --out by_source/
      framing analyze stories.jsonl --text-column body --outlet-column media --out out/ -q
      framing analyze events.jsonl --story-column event --date-column published --out out/
      framing analyze events.jsonl --period year --out by_year/
      framing analyze big.jsonl --figure-format png --out quick/ --force
    """
    import matplotlib

    matplotlib.use("Agg")
    from .report import write_report

    with _output(out, force, corpus.inputs() + lexicon.inputs(), corpus.quiet) as folder:
        analysis = _measure(corpus, lexicon, story_column=story_column,
                            date_column=date_column)
        if by not in analysis.articles.columns:
            raise ConfigurationError(f"cannot group by {by!r}: no such article column",
                               hint="use outlet, publisher, original_source or a manifest column")
        write_report(analysis, folder, by, count_clusters_once=count_clusters_once, seed=seed,
                     n_boot=n_boot, min_articles=min_articles, date_column=date_column,
                     period=period, progress=not corpus.quiet, formats=figure_formats,
                     jobs=corpus.jobs)
    click.echo(f"Wrote {len(analysis.articles)} articles, {len(analysis.sentences)} sentences, "
               f"the comparison by {by}, figures and {out / 'report.html'}", err=True)


@cli.command("compare")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--by", default="outlet", show_default=True, metavar="COLUMN",
              help="Article column to compare: outlet, publisher, original_source or another column.")
@_out("Output folder (comparison.csv, figures/, provenance.json).")
@FORCE
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap and permutations.")
@click.option("--n-boot", type=click.IntRange(min=100), default=1000, show_default=True,
              help="Bootstrap replicates.")
@MIN_ARTICLES_OPTION
@FIGURE_FORMAT_OPTION
@QUIET
@handle_errors
def compare_command(path, by, out, force, seed, n_boot, min_articles, figure_formats, quiet):
    """Compare groups from a measured articles table: the comparison stage of a --stream or
    Dask run, in the memory of the articles' measure columns.

    PATH is a folder written by `framing measure` (with or without --stream or --engine dask)
    or its articles table (.parquet or .csv). When every group has two articles or more, the
    estimates, differences, tests and effects are those `framing analyze` gives; the intervals
    resample articles only (docs/report.md).
    Writes comparison.csv, figures/ (heatmap, dot_interval, framing_balance; PNG and SVG, or
    --figure-format) and
    provenance.json, all or nothing.

    \b
    Examples:
      framing measure stories.jsonl --stream --id-column stories_id --out big/
      framing compare big/ --out big_by_outlet/
      framing compare big/articles.parquet --by country --out by_country/ --n-boot 2000
    """
    import matplotlib

    matplotlib.use("Agg")

    from .compare import compare
    from .measures import registry
    from .io.stream import read_partitioned, table_files
    from .report import write_comparison

    output = _output(out, force, [path], quiet)
    output.check()  # before reading anything
    files = table_files(path, "articles")
    if not files:
        raise InputError("no articles table here (articles.parquet, articles.csv or "
                         "articles/part-*.parquet)", path=str(path),
                           hint="give the folder written by framing measure, or its articles table")
    columns = list(dict.fromkeys(["article_id", by, "n_sentences",
                                  *registry.compared_measures()]))
    # which articles a comparison counts (compare.comparable_articles) needs these too
    articles = read_partitioned(path, "articles", columns, optional=["is_english", "too_short"])
    if not quiet:
        click.echo(f"Comparing {len(articles):,} articles by {by}...", err=True)
    comparison = compare(articles, by=by, seed=seed, n_boot=n_boot, min_articles=min_articles)
    groups = len(comparison.groups)
    # the measuring run's record: in the folder given, or beside the table file given
    measured = (path if path.is_dir() else path.parent) / "provenance.json"
    record = json.loads(measured.read_text(encoding="utf-8")) if measured.is_file() else None
    with output as folder:
        write_comparison(comparison, folder, inputs=files, measured_with=record,
                         articles=len(articles), formats=figure_formats,
                         notify=lambda message: click.echo(message, err=True))
    click.echo(f"Wrote the comparison of {sum(comparison.groups.values()):,} articles in "
               f"{groups} groups by {by} to {out}", err=True)


@cli.command()
@click.option("--data", "data", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder laid out like ../shared/validation.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the validation report (Markdown); the project's is "
                   "docs/validation.md.")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold sentences (JSONL, one {\"text\", \"labels\"} object a line, as "
                   "docs/measures.md describes) to score instead of the packaged gold sets.")
@QUIET
@handle_errors
def validate(data, output, gold, quiet):
    """Measure agreement with human annotations and write the validation report.

    \b
    Examples:
      framing validate --data ../shared/validation --output docs/validation.md
      framing validate --data ../shared/validation --output /tmp/validation.md -q
    """
    from .evaluation.validate import render_markdown, run_validation
    from .io.output import check_output_file

    check_output_file(output, [data, gold])
    results = run_validation(data, gold=gold)
    text = render_markdown(results, data)
    if not quiet:
        click.echo(text)
    atomic_write_text(output, text)
    click.echo(f"Wrote {output}", err=True)


@cli.command()
@click.option("--data", "data", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder laid out like ../shared/validation (FactBank, PolNeAR train, "
                   "extraction).")
@_out("Folder for the model files.", required=False)
@click.option("--into-package", is_flag=True,
              help="Replace the models the installed package uses (instead of --out).")
@click.option("--model", "names", multiple=True, type=click.Choice(list(TRAINABLE)),
              help="Train only this model (repeatable) [default: all four].")
@QUIET
@handle_errors
def train(data, out, into_package, names, quiet):
    """Re-create the learned models from the annotated data (about two minutes): the hedge,
    attribution and identity cue models and the page-furniture line model.

    The package ships the trained models; this command rebuilds them byte for byte from the
    same data, or trains on your own data laid out the same way. It writes to --out; the
    package's own models change only with --into-package.

    \b
    Examples:
      framing train --data ../shared/validation --out /tmp/models
      framing train --data ../shared/validation --model hedge --out /tmp/models -q
      framing train --data ../shared/validation --into-package
    """
    from importlib import resources

    from .evaluation.training import train_models

    if (out is None) == (not into_package):
        raise ConfigurationError("say where the models go: --out FOLDER, or --into-package to "
                                 "replace the installed package's models",
                                 hint="framing train --data DIR --out /tmp/models")
    folder = Path(str(resources.files("framing").joinpath("data/models"))) if into_package \
        else out
    models = train_models(data, names or TRAINABLE)
    for name, model in models.items():
        path = Path(folder) / f"{name}.json"
        atomic_write_text(path, model.to_json())
        if not quiet:
            size = (f"{len(model.weights)} weights, {model.training['instances']} training "
                    "instances" if name != "lines" else
                    f"threshold {model.threshold}, {model.training['lines']} training lines "
                    f"of {model.training['pages']} pages")
            click.echo(f"Wrote {path} ({size})", err=True)


@cli.command("train-frame")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The model file to write (JSON); a Markdown report is written beside it.")
@click.option("--name", required=True, metavar="NAME",
              help="The frame's name: lower-case letters, digits and _ (its columns are "
                   "frame_NAME and frame_NAME_share).")
@click.option("--description", "label", metavar="TEXT",
              help="Plain-language name for tables and figures [default: the name].")
@click.option("--text-column", default="text", show_default=True, metavar="COLUMN",
              help="The column of sentences.")
@click.option("--label-column", default="label", show_default=True, metavar="COLUMN",
              help="The label column, or with answer sheets the label coded (nationalist...).")
@click.option("--positive", metavar="VALUE",
              help="The label value that means framed [default: 1, true or yes].")
@click.option("--items", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With classroom answer sheets: the worksheet's items.csv (item, text).")
@click.option("--group-column", metavar="COLUMN",
              help="Keep each group (an article id, say) within one fold, so the figures say "
                   "how the model does on articles it has not seen.")
@click.option("--folds", type=click.IntRange(min=2, max=20), default=5, show_default=True,
              help="Cross-validation folds (stratified).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the folds and the bootstrap (same seed, same model file).")
@click.option("--force", is_flag=True, help="Replace the model file and its report.")
@QUIET
@handle_errors
def train_frame(labelled, out, name, label, text_column, label_column, positive, items,
                group_column, folds, seed, force, quiet):
    """Train a frame of your own from labelled sentences and report how well it does.

    LABELLED is a CSV, TSV or JSONL file with a text and a label column (or the answer sheets
    of a `framing classroom` lesson, with --items). The model (word and word-pair TF-IDF and
    logistic regression, stored as JSON, never pickled) is cross-validated: F1 and Cohen's
    kappa with 95% intervals and the most informative words are printed and written to a
    Markdown file beside the model. Use it with `framing analyze --frame-model FILE`.

    \b
    Examples:
      framing train-frame doubt.csv --name doubt --group-column article_id -o doubt.json
      framing train-frame coded.tsv --name economic --label-column frame --positive economy -o economic.json
      framing train-frame answers.csv --items lesson/items.csv --label-column nationalist --name class_nationalist -o class.json
      framing analyze corpus/ --frame-model doubt.json --out report/
    """
    from .evaluation.frames import frame_report_markdown, read_labelled, train_frame as fit

    report = out.with_suffix(".md")
    for path in (out, report):
        if path.exists() and not force:
            raise ConfigurationError(f"{path} exists", path=str(path),
                                     hint="use --force to replace it")
    texts, flags, groups = read_labelled(labelled, text_column=text_column,
                                         label_column=label_column, positive=positive,
                                         items=items, group_column=group_column)
    model = fit(texts, flags, name=name, label=label, groups=groups, folds=folds, seed=seed,
                source=labelled.name)
    markdown = frame_report_markdown(model)
    atomic_write_text(out, model.to_json())
    atomic_write_text(report, markdown)
    if not quiet:
        click.echo(markdown)
    click.echo(f"Wrote {out} and {report}", err=True)


@cli.command()
@corpus_options
@_out("Folder for worksheet.html, teacher_key.html and the CSVs.")
@click.option("--articles", "article_ids", metavar="ID", multiple=True,
              help="An article to use (repeatable; ids may hold commas) [default: all, or a "
                   "balanced sample of a larger corpus].")
@click.option("--articles-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of article ids to use, one per line.")
@click.option("--lesson-size", type=click.IntRange(min=2, max=26), default=6, show_default=True,
              help="Articles chosen (one or two per outlet) when the corpus is larger and none "
                   "are named.")
@click.option("--hide", "hide", metavar="NAME", multiple=True,
              help="A name to hide on the worksheet besides the outlets' own (repeatable).")
@click.option("--sentences", "n_sentences", type=click.IntRange(min=1, max=200), default=12,
              show_default=True, help="How many sentences students code.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the article letters and the sentence selection (same seed, same sheet).")
@click.option("--level", type=click.Choice(["school", "university"]), default="school",
              show_default=True, help="Language of the tasks and explanations.")
@FORCE
@handle_errors
def classroom(corpus: CorpusOptions, out, article_ids, articles_file, lesson_size, hide,
              n_sentences, seed, level, force):
    """Make a media-literacy lesson: a student worksheet and a teacher key.

    The worksheet shows the articles anonymised as Article A, B, C... with numbered sentences,
    asks which sounds most certain, most hedged, lets named people speak, tells a contest of
    nations, is most cautious, and has sentences to code. Students download their answers as
    a CSV from the page (no network, no server). The teacher key reveals the outlets and shows
    the tool's evidence. Compare the answers with `framing agreement`.

    \b
    Examples:
      framing classroom seeds --manifest seeds/manifest.csv --out lesson/
      framing classroom seeds -m seeds/manifest.csv --sentences 8 --level university --seed 3 --out lesson/
      framing classroom stories.jsonl --outlet-column source --lesson-size 4 --hide "Daily Planet" --out lesson/
      framing classroom seeds -m seeds/manifest.csv --articles 000_d56f76cbf89b281a --articles 003_d428435c1e3cec96 --out lesson/
    """
    from .classroom import build_kit, render_kit

    with _output(out, force, corpus.inputs(), corpus.quiet) as folder:
        analysis = _measure(corpus, MeasureOptions())
        ids = [a.strip() for a in article_ids if a.strip()]
        if articles_file:
            ids += [line.strip() for line in articles_file.read_text(encoding="utf-8-sig")
                    .splitlines() if line.strip()]
        kit = build_kit(analysis, articles=ids or None, n_sentences=n_sentences, seed=seed,
                        level=level, lesson_size=lesson_size, hide=tuple(hide))
        render_kit(kit, folder)
        if kit.chosen is not None and not corpus.quiet:
            click.echo(f"{len(analysis.articles)} articles: chose {len(kit.chosen)} (one or two "
                       "per outlet; --articles names others): " + "; ".join(
                           f"{r.letter} {r.article_id} ({r.outlet})"
                           for r in kit.chosen.itertuples()), err=True)
    click.echo(f"Wrote {out / 'worksheet.html'} (articles {', '.join(sorted(kit.letters))}, "
               f"{len(kit.coded)} sentences to code) and {out / 'teacher_key.html'}", err=True)


@cli.command()
@click.argument("answers", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The folder `framing classroom` wrote (it holds key.csv).")
@_out("Also write agreement.csv, group.csv, disagreements.csv, tasks.csv and agreement.png "
      "here.", required=False)
@FORCE
@QUIET
@handle_errors
def agreement(answers, key, out, force, quiet):
    """Compare students' answers with the tool and with each other.

    ANSWERS are the CSV files the worksheet downloads (or filled answers_template.csv files).
    Prints Cohen's kappa of each student with the tool per label, Krippendorff's alpha for the
    group, and the sentences with most disagreement.

    \b
    Examples:
      framing agreement answers_*.csv --key lesson/
      framing agreement class/*.csv --key lesson/ --out agreement/
    """
    from .classroom.agreement import agreement as compute
    from .io.display import print_frame

    output = _output(out, force, [*answers, key], quiet) if out is not None else None
    if output is not None:
        output.check()  # before any work
    result = compute(list(answers), key)
    for path in result.blank:
        click.echo(f"Warning: {path}: a blank answer sheet (nothing answered, nothing ticked); "
                   "left out", err=True)
    print_frame(result.per_student.round(3), title="Each student against the tool")
    print_frame(result.group.round(3), title="The group (Krippendorff's alpha, nominal)")
    print_frame(result.disagreements.head(15).round(2), title="Sentences with most disagreement")
    if out is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .io.tables import write_csv

        with output as folder:
            for name, frame in (("agreement", result.per_student), ("group", result.group),
                                ("disagreements", result.disagreements), ("tasks", result.tasks)):
                write_csv(frame, folder / f"{name}.csv", float_format=None)
            ax = result.figure()
            ax.figure.tight_layout()
            ax.figure.savefig(folder / "agreement.png", dpi=150, metadata={"Software": None})
            plt.close(ax.figure)
        click.echo(f"Wrote {out}", err=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="framing")
