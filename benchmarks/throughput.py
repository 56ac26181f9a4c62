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
   100,000 articles of real paragraphs.
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
    return {"articles": len(rows), "analyze_s": analysis_s, "report_s": report_s,
            "share": report_s / (analysis_s + report_s), "png_s": png_s,
            "png_share": png_s / (analysis_s + png_s)}


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
            f"{share['png_s']:.1f} s ({100 * share['png_share']:.0f} %)")
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
        f"| peak memory, `framing measure --stream --jobs 2` on {n_stream:,} articles of real "
        f"paragraphs (MB, largest process) | {peak:.0f} | < 1024 | {verdict(peak < 1024)} |",
        f"| time of that streaming run (s) | {stream_s:.0f} | | |",
        "",
        "What the figures mean, and what limits the targets not met (from a profile): "
        "docs/scaling.md.",
        "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    say(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
