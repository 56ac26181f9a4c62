"""Throughput and memory on real news text: prints the figures and writes docs/performance.md.

    python benchmarks/throughput.py                 # full run (about 15 minutes on 2 cores)
    python benchmarks/throughput.py --quick         # a fifth of the corpora, to try it out

The text is real news from ../shared/validation (nothing is copied into the project; corpora are
written to a temporary folder): the PolNeAR train and PTC train articles (about 1,200 articles,
970,000 words) as published, and the same articles each on one line (as many CSV exports hold
them). In one run it measures, each figure a ratio of two timings of the same run:

1. words/s of the whole pipeline (load, clean, segment, measure, aggregate; ``framing.analyze``,
   --jobs 1), of the measure stage alone (measuring and aggregating segmented sentences), and of
   VADER alone over the same sentences (the one cost framing cannot avoid), and their ratios;
2. the one-line layout's cost per word against the published layout's;
3. cleaning cost per MB of text laid out in lines of 10 kB, 100 kB and 1 MB (real sentences),
   and the whole pipeline on one 1 MB article;
4. the speed-up of --jobs 2 over --jobs 1 for the whole pipeline (timed alternately,
   ``--repeat`` times each; the best of each, as ``timeit`` does: on a shared virtual machine
   single timings vary by 10-20 %);
5. the share of ``framing analyze`` spent comparing and writing the report (figures in PNG and
   SVG, report.html) on 100 real articles of three outlets (BASIL), and with PNG figures only;
6. peak memory (max RSS of the largest process) of ``framing measure --stream --jobs 2`` on
   100,000 articles of real paragraphs;
7. where the time goes: a cProfile of the measure stage on 300 of the real articles and of the
   report on the 100 BASIL articles, each part's share (:data:`MEASURE_PARTS`,
   :data:`REPORT_PARTS`), and what a target not met would need.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VALIDATION = ROOT.parent / "shared" / "validation"
SOURCES = (("attribution/polnear_train.jsonl", "polnear"), ("framing/ptc_train.jsonl", "ptc"))


def real_articles() -> list[dict]:
    """The PolNeAR train and PTC train articles: id, outlet (the data set's source when it
    names one), text."""
    articles = []
    for relative, name in SOURCES:
        path = VALIDATION / relative
        if not path.is_file():
            sys.exit(f"benchmark: {path} not found: the benchmark reads real text from "
                     "../shared/validation")
        for k, line in enumerate(path.open(encoding="utf-8")):
            row = json.loads(line)
            outlet = row.get("outlet") or row.get("source") or name
            articles.append({"id": f"{name}-{k:05d}", "outlet": str(outlet), "text": row["text"]})
    return articles


def write_jsonl(path: Path, rows: list[dict]) -> int:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return sum(len(row["text"].split()) for row in rows)


def one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def stages(path: Path) -> dict:
    """The whole pipeline, the measure stage and VADER alone, in one process."""
    import framing
    from framing.aggregate import aggregate_articles
    from framing.measures import MeasureConfig, measure_corpus
    from framing.measures.sentiment import compound

    pipeline, analysis = timed(framing.analyze, path, jobs=1)
    corpus, config = analysis.corpus, MeasureConfig.load()
    measure, (sentences, matches) = timed(measure_corpus, corpus.articles, corpus.sentences,
                                          config)
    aggregate, _ = timed(aggregate_articles, corpus.articles, sentences, matches)
    texts = corpus.sentences["text"].tolist()
    vader, _ = timed(lambda: [compound(text) for text in texts])
    words = int(corpus.sentences["text"].str.split().str.len().sum())
    raw_words = int(analysis.articles["raw_text"].str.split().str.len().sum()) \
        if "raw_text" in analysis.articles else words
    return {"articles": len(analysis.articles), "sentences": len(texts), "words": words,
            "raw_words": raw_words, "pipeline_s": pipeline, "measure_s": measure + aggregate,
            "vader_s": vader}


#: The parts of the measure stage a profile reports: (label, framing functions whose cumulative
#: times add up to the part, nested in the part before). The top-level parts are the calls of
#: ``framing.measures.measure_articles`` and ``_article_tables``; nested parts are within them.
MEASURE_PARTS = (("VADER (the sentiment of each sentence)", ("compound",), False),
                 ("stance rules and the hedge model", ("stance_spans_many",), False),
                 ("framing rules and the identity model", ("framing_spans_many",), False),
                 ("attribution rules and the attribution model", ("attribute_articles",), False),
                 ("of which the attribution model (candidates, tokens, features, scoring)",
                  ("_add_learned_cues",), True),
                 ("target patterns", ("target_spans",), False))
#: The parts of the comparison and report a profile reports (all at the top level).
REPORT_PARTS = (("near-duplicate articles", ("find_rewrites",), False),
                ("comparison by group (bootstrap and permutations)",
                 ("_bootstrap", "_permutation"), False),
                ("distinctive words", ("keyness",), False),
                ("measures over time", ("over_time",), False),
                ("within-story comparison", ("within_stories",), False),
                ("drawing the figures (matplotlib)", ("_draw_report_figure",), False),
                ("saving the figures in PNG and SVG (matplotlib)", ("save_figures",), False),
                ("scaling the page's images (Pillow)", ("png_uri",), False),
                ("writing the tables and the page", ("write_tables", "render_report"), False))


def profile_shares(call, parts, total: str) -> list[tuple[str, float]]:
    """Each part's share of the cumulative time of the framing function ``total`` in a cProfile
    of ``call()``, and what the top-level parts leave ("everything else"). The profiler slows
    Python code more than C code, so the shares are approximate."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(call)
    functions = pstats.Stats(profiler).get_stats_profile().func_profiles
    # a part whose function was renamed or not run would read 0 %, and the profile keeps one
    # function per name, so a name another package also uses could read another's time
    missing = [n for n in (total, *(n for _, names, _ in parts for n in names))
               if n not in functions or "framing" not in Path(functions[n].file_name).parts]
    if missing:
        raise LookupError(f"not framing functions in the profile: {', '.join(missing)}")
    whole = functions[total].cumtime
    shares = [(label, sum(functions[n].cumtime for n in names) / whole, nested)
              for label, names, nested in parts]
    rest = 1.0 - sum(share for _, share, nested in shares if not nested)
    return [(label, share) for label, share, _ in shares] + [("everything else", rest)]


def measure_profile(articles: list[dict], folder: Path) -> list[tuple[str, float]]:
    """:func:`profile_shares` of the measure stage on ``articles`` (loaded and segmented first)."""
    import framing
    from framing.measures import MeasureConfig, measure_corpus

    path = folder / "profiled.jsonl"
    write_jsonl(path, articles)
    corpus, config = framing.load_corpus(path), MeasureConfig.load()
    return profile_shares(lambda: measure_corpus(corpus.articles, corpus.sentences, config),
                          MEASURE_PARTS, "measure_corpus")


def report_profile(path: Path, folder: Path) -> list[tuple[str, float]]:
    """:func:`profile_shares` of ``write_report`` (PNG and SVG) on the articles in ``path``."""
    import framing
    from framing.report import write_report

    analysis = framing.analyze(path)
    return profile_shares(lambda: write_report(analysis, folder / "report_profiled"),
                          REPORT_PARTS, "write_report")


def limits(measure_parts, report_parts, real: dict, share: dict) -> list[str]:
    """The section of docs/performance.md on where the time goes and what the targets not met
    would need, from this run's profiles and timings."""
    drawing = sum(v for k, v in report_parts if "matplotlib" in k or "Pillow" in k)
    needed = share["analyze_s"] / 3  # report / (analyze + report) <= 0.25
    lines = ["## Where the time goes (cProfile, this run)", "",
             "Shares of the profiled time; the profiler slows Python code more than C code, so "
             "they are approximate. The measure stage on 300 of the articles "
             "(`measure_corpus`, in one process):", "",
             "| part | share |", "|---|---|",
             *(f"| {k} | {v:.0%} |" for k, v in measure_parts), "",
             f"The comparison and report (`write_report`, PNG and SVG) on the "
             f"{share['articles']} BASIL articles:", "",
             "| part | share |", "|---|---|",
             *(f"| {k} | {v:.0%} |" for k, v in report_parts), "",
             "What the targets not met would need:", ""]
    if real["words"] / real["measure_s"] < 0.5 * real["words"] / real["vader_s"]:
        own = real["measure_s"] - real["vader_s"]
        lines.append(f"- Measure stage at 0.5 of VADER: the stage may take at most twice VADER's "
                     f"{real['vader_s']:.1f} s, so framing's own work ({own:.1f} s: the stage's "
                     f"{real['measure_s']:.1f} s less VADER's, as timed above) would have to take "
                     f"no longer than VADER, {real['vader_s'] / own:.2f} of its time now. In the "
                     f"profile no part but VADER is more than "
                     f"{max(v for k, v in measure_parts if k != MEASURE_PARTS[0][0]):.0%} of the "
                     "stage: the time is per-sentence Python spread over the rules, the patterns "
                     "and the models, not one hot spot.")
    if real["words"] / real["pipeline_s"] < 0.3 * real["words"] / real["vader_s"]:
        load = real["pipeline_s"] - real["measure_s"]
        lines.append(f"- Whole pipeline at 0.30 of VADER: the pipeline may take at most "
                     f"{real['vader_s'] / 0.3:.1f} s here; reading, cleaning, segmenting and "
                     f"identifying the language alone took {load:.1f} s of its "
                     f"{real['pipeline_s']:.1f} s, and the measure stage {real['measure_s']:.1f} s.")
    if share["share"] > 0.25:
        lines.append(f"- Comparison and report at most 25 % of `analyze`: at most "
                     f"{needed:.1f} s for these articles (a third of the {share['analyze_s']:.1f} "
                     f"s of measuring), against {share['report_s']:.1f} s now, of which "
                     f"matplotlib's drawing and saving and the page's images are {drawing:.0%}: "
                     f"a fixed cost of the figures, which does not shrink with the corpus.")
    return lines + [""]


def cleaning_per_mb(text: str) -> dict[str, float]:
    """Seconds per MB to clean 1 MB of real sentences laid out in lines of 10 kB, 100 kB, 1 MB."""
    from framing.clean import clean_text

    sentences = re.findall(r"[^.!?\n]+[.!?]", text)
    stream, out = " ".join(sentences), {}
    source = (stream * (1 + 1_000_000 // max(1, len(stream))))[:1_000_000]
    for label, width in (("10 kB", 10_000), ("100 kB", 100_000), ("1 MB", 1_000_000)):
        lines, start = [], 0
        while start < len(source):
            end = source.rfind(" ", start, start + width) if start + width < len(source) \
                else len(source)
            end = end if end > start else start + width
            lines.append(source[start:end].strip())
            start = end
        document = "\n\n".join(lines)
        seconds, _ = timed(clean_text, document)
        out[label] = seconds / (len(document.encode("utf-8")) / 1e6)
    return out


def report_share(rows: list[dict], folder: Path) -> dict:
    """Seconds of analyze (load to aggregate) and of write_report on the same articles."""
    import matplotlib

    matplotlib.use("Agg")
    import framing
    from framing.report import write_report

    path = folder / "basil100.jsonl"
    write_jsonl(path, rows)
    analysis_s, analysis = timed(framing.analyze, path)
    report_s, _ = timed(write_report, analysis, folder / "report")
    png_s, _ = timed(write_report, analysis, folder / "report_png", formats=("png",))
    jobs_s, _ = timed(write_report, analysis, folder / "report_jobs", jobs=2)
    return {"articles": len(rows), "analyze_s": analysis_s, "report_s": report_s,
            "share": report_s / (analysis_s + report_s), "png_s": png_s,
            "png_share": png_s / (analysis_s + png_s), "jobs_s": jobs_s,
            "jobs_share": jobs_s / (analysis_s + jobs_s)}


_WRAPPER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def stream_peak(path: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall time and peak RSS (MB, largest process) of a streaming run, from a fresh wrapper
    process whose only descendants are the framing command and its workers."""
    command = [sys.executable, "-m", "framing", "measure", str(path), "--stream", "--jobs",
               str(jobs), "--out", str(out), "--force", "--quiet", "--chunk-size", "1000"]
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *command], check=True,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds, int(result.stdout.strip().splitlines()[-1]) / 1024


def paragraph_articles(articles: list[dict], n: int, seed: int = 0) -> list[dict]:
    """``n`` articles of 2 to 5 real paragraphs drawn at random (seeded)."""
    paragraphs = [p.strip() for a in articles for p in a["text"].split("\n")
                  if len(p.split()) >= 8]
    rng = np.random.default_rng(seed)
    return [{"id": f"s{i:07d}", "outlet": f"outlet {i % 7}",
             "text": "\n\n".join(paragraphs[k] for k in
                                 rng.integers(0, len(paragraphs), int(rng.integers(2, 6))))}
            for i in range(n)]


def machine() -> str:
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return (f"{model}, {cores} cores, {memory:.0f} GB RAM, Python "
            f"{platform.python_version()}, {platform.platform()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fifth of the corpora (a trial)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="times each of --jobs 1 and --jobs 2 is run (alternately); the best "
                             "time of each is used (default: 2)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args()
    import framing

    articles = real_articles()
    n_stream = 100_000
    if args.quick:
        articles, n_stream = articles[::5], 5_000
    say = lambda text: print(text, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        published, flat = tmp / "published.jsonl", tmp / "one_line.jsonl"
        words = write_jsonl(published, articles)
        write_jsonl(flat, [dict(a, text=one_line(a["text"])) for a in articles])
        say(f"{len(articles):,} real articles, {words:,} words")
        # warm up (imports, lexicons, models) so that the first timing is not charged for it
        framing.analyze([a["text"] for a in articles[:20]])
        real = stages(published)
        say(f"published: pipeline {real['words'] / real['pipeline_s']:,.0f} words/s, measure "
            f"stage {real['words'] / real['measure_s']:,.0f}, VADER alone "
            f"{real['words'] / real['vader_s']:,.0f}")
        flat_s, _ = timed(framing.analyze, flat, jobs=1)
        say(f"one line per article: pipeline {flat_s:.1f} s against {real['pipeline_s']:.1f} s")
        per_mb = cleaning_per_mb("\n".join(a["text"] for a in articles[:300]))
        say("cleaning, s per MB: " + ", ".join(f"{k} lines {v:.2f}" for k, v in per_mb.items()))
        megabyte = tmp / "megabyte.txt"
        text = one_line(" ".join(a["text"] for a in articles))
        megabyte.write_text(text[:text.rfind(" ", 0, 1_000_000)], encoding="utf-8")
        mb_s, _ = timed(framing.analyze, [megabyte.read_text(encoding="utf-8")])
        say(f"one 1 MB article, whole pipeline: {mb_s:.1f} s")
        runs: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(max(1, args.repeat)):
            for jobs in (1, 2):
                runs[jobs].append(timed(framing.analyze, published, jobs=jobs)[0])
        one, two = min(runs[1]), min(runs[2])
        say(f"--jobs 1 {runs[1]} s, --jobs 2 {runs[2]} s: speed-up {one / two:.2f}")
        basil = [json.loads(line) for line in
                 (VALIDATION / "stories" / "basil_dev.jsonl").open(encoding="utf-8")][:100]
        share = report_share(basil, tmp)
        say(f"100 BASIL articles: analyze {share['analyze_s']:.1f} s, comparison and report "
            f"{share['report_s']:.1f} s ({100 * share['share']:.0f} %), with PNG figures only "
            f"{share['png_s']:.1f} s ({100 * share['png_share']:.0f} %), figures in 2 processes "
            f"{share['jobs_s']:.1f} s ({100 * share['jobs_share']:.0f} %)")
        measure_parts = measure_profile(articles[:300], tmp)
        report_parts = report_profile(tmp / "basil100.jsonl", tmp)
        say("profile of the measure stage: " + ", ".join(f"{k} {v:.0%}" for k, v in measure_parts))
        say("profile of the report: " + ", ".join(f"{k} {v:.0%}" for k, v in report_parts))
        big = tmp / "big.jsonl"
        write_jsonl(big, paragraph_articles(articles, n_stream, seed=1))
        stream_s, peak = stream_peak(big, tmp / "out", 2)
        say(f"streaming {n_stream:,} articles with --jobs 2: {stream_s:.0f} s, peak {peak:.0f} MB")

    vader_wps = real["words"] / real["vader_s"]
    pipeline_wps = real["words"] / real["pipeline_s"]
    measure_wps = real["words"] / real["measure_s"]
    layout = flat_s / real["pipeline_s"]
    verdict = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    lines = [
        "# Performance",
        "",
        f"Produced by `python benchmarks/throughput.py{' --quick' if args.quick else ''}` on "
        f"{datetime.now(timezone.utc):%Y-%m-%d} (framing {framing.__version__}). Do not edit by "
        "hand: re-run the script. Every figure is from one run on real news text "
        f"({len(articles):,} articles of PolNeAR train and PTC train, {words:,} words, from "
        "../shared/validation).",
        "",
        f"Machine: {machine()}.",
        "",
        "| figure | value | target | |",
        "|---|---|---|---|",
        f"| whole pipeline (load to aggregate, --jobs 1), words/s | {pipeline_wps:,.0f} | | |",
        f"| measure stage (measures and aggregation of segmented sentences), words/s | "
        f"{measure_wps:,.0f} | | |",
        f"| VADER alone over the same {real['sentences']:,} sentences, words/s | "
        f"{vader_wps:,.0f} | | |",
        f"| whole pipeline / VADER alone | {pipeline_wps / vader_wps:.2f} | >= 0.30 | "
        f"{verdict(pipeline_wps / vader_wps >= 0.30)} |",
        f"| measure stage / VADER alone | {measure_wps / vader_wps:.2f} | >= 0.5 | "
        f"{verdict(measure_wps / vader_wps >= 0.5)} |",
        f"| each article on one line: time per word against the published layout | "
        f"{layout:.2f}x | <= 1.5x | {verdict(layout <= 1.5)} |",
        *(f"| cleaning 1 MB of text in lines of {k}, s per MB | {v:.2f} | | |"
          for k, v in per_mb.items()),
        f"| one 1 MB article, whole pipeline (s) | {mb_s:.1f} | | |",
        f"| whole pipeline, --jobs 1 / --jobs 2, best of {len(runs[1])} alternate runs (s) | "
        f"{one:.1f} / {two:.1f} | | |",
        f"| every run, --jobs 1 / --jobs 2 (s) | {', '.join(f'{t:.1f}' for t in runs[1])} / "
        f"{', '.join(f'{t:.1f}' for t in runs[2])} | | |",
        f"| speed-up of --jobs 2 | {one / two:.2f} | >= 1.7 | {verdict(one / two >= 1.7)} |",
        f"| comparison and report (figures in PNG and SVG, report.html) on "
        f"{share['articles']} BASIL articles: share of `framing analyze` "
        f"({share['analyze_s']:.1f} s measuring, {share['report_s']:.1f} s reporting) | "
        f"{100 * share['share']:.0f} % | <= 25 % | {verdict(share['share'] <= 0.25)} |",
        f"| the same with `--figure-format png` ({share['png_s']:.1f} s reporting) | "
        f"{100 * share['png_share']:.0f} % | | |",
        f"| the same with the figures drawn in 2 processes while the tables are written "
        f"(`write_report(jobs=2)`, as `framing analyze` does on 2 cores; {share['jobs_s']:.1f} s "
        f"reporting) | {100 * share['jobs_share']:.0f} % | | |",
        f"| peak memory, `framing measure --stream --jobs 2` on {n_stream:,} articles of real "
        f"paragraphs (MB, largest process) | {peak:.0f} | < 1024 | {verdict(peak < 1024)} |",
        f"| time of that streaming run (s) | {stream_s:.0f} | | |",
        "",
        *limits(measure_parts, report_parts, real, share),
        "What the figures mean, and what was tried: docs/scaling.md.",
        "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    say(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
