"""Throughput and memory benchmark: prints the figures and writes docs/performance.md.

    python benchmarks/throughput.py                 # full run (about 25 minutes on 2 cores)
    python benchmarks/throughput.py --quick         # smaller corpora, to try it out

It builds corpora by resampling paragraphs of the seed articles and of the project's gold
sentences, with about one word in ten replaced at random so that sentences do not repeat (nothing
large is committed: corpora go to a temporary folder) and measures:

1. words/s of the full measure stage (all four measure families, the learned models, the
   aggregation) on already-segmented sentences, with --jobs 1;
2. words/s of VADER alone over the same sentences (the one cost framing cannot avoid);
3. their ratio (target: at least 0.6);
4. the speed-up of --jobs 2 over --jobs 1 for the whole pipeline (load, clean, segment,
   measure; target: at least 1.7 on a 2-core machine). The two are timed alternately,
   ``--repeat`` times each (default 2), and the speed-up is that of the best time of each, as
   ``timeit`` does: on a shared virtual machine single timings vary by 10-20 % from run to run,
   and the best is the least disturbed. Every timing is printed and written;
5. peak memory (max RSS of the process tree) of `framing measure --stream` on 100,000 articles
   (target: under 1 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def paragraphs() -> list[str]:
    import framing
    from framing.evaluation.validate import GOLD_SETS, load_gold

    corpus = framing.load_corpus(ROOT / "seeds", ROOT / "seeds" / "manifest.csv")
    found = [p for text in corpus.articles["text"] for p in text.split("\n\n") if len(p.split()) > 8]
    found += [row["text"] for name in GOLD_SETS for row in load_gold(None, name)]
    return found


def perturb(paragraph: str, vocabulary: list[str], rng: np.random.Generator) -> str:
    """The paragraph with about one word in ten replaced by a random word of the seeds, so that
    sentences are (almost) never repeated: no cache keyed on sentence text can flatter the
    figures, as it could on a corpus of a few hundred distinct sentences resampled."""
    words = paragraph.split(" ")
    for k in rng.integers(0, len(words), max(1, len(words) // 10)):
        words[k] = vocabulary[int(rng.integers(len(vocabulary)))]
    return " ".join(words)


def build(path: Path, n: int, per_article: tuple[int, int] = (3, 8), seed: int = 0) -> int:
    """Write n articles (JSONL) of resampled, perturbed paragraphs; returns the number of words."""
    source = paragraphs()
    vocabulary = sorted({w for p in source for w in p.split()})
    rng = np.random.default_rng(seed)
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            k = int(rng.integers(per_article[0], per_article[1] + 1))
            text = "\n\n".join(perturb(p, vocabulary, rng) for p in rng.choice(source, k))
            words += len(text.split())
            handle.write(json.dumps({"id": f"b{i:07d}", "outlet": f"outlet {i % 7}",
                                     "text": text}) + "\n")
    return words


def measure_stage(path: Path) -> dict:
    """Full measure stage vs VADER alone on the same segmented sentences (one process)."""
    import framing
    from framing.aggregate import aggregate_articles
    from framing.measures import MeasureConfig, measure_corpus
    from framing.measures.sentiment import compound

    corpus = framing.load_corpus(path)
    config = MeasureConfig.load()
    words = int(corpus.sentences["text"].str.split().str.len().sum())
    start = time.perf_counter()
    sentences, matches = measure_corpus(corpus.articles, corpus.sentences, config)
    aggregate_articles(corpus.articles, sentences, matches)
    full = time.perf_counter() - start
    start = time.perf_counter()
    for text in corpus.sentences["text"]:
        compound(text)
    vader = time.perf_counter() - start
    return {"articles": len(corpus.articles), "sentences": len(corpus.sentences), "words": words,
            "full_seconds": full, "vader_seconds": vader,
            "full_words_per_s": words / full, "vader_words_per_s": words / vader,
            "ratio": (words / full) / (words / vader)}


def pipeline_seconds(path: Path, jobs: int) -> float:
    import framing

    start = time.perf_counter()
    framing.analyze(path, jobs=jobs)
    return time.perf_counter() - start


_WRAPPER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def stream_peak(path: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall time and peak RSS (MB, largest process) of a streaming run.

    The run starts from a fresh wrapper process whose only descendants are the framing command
    and its workers, so the peak is theirs (not that of workers forked earlier by this script).
    """
    command = [sys.executable, "-m", "framing", "measure", str(path), "--stream", "--jobs",
               str(jobs), "--out", str(out), "--force", "--quiet", "--chunk-size", "1000"]
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *command], check=True,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak_kb = int(result.stdout.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def machine() -> str:
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{model}, {cores} cores, {memory:.0f} GB RAM, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpora (a trial run)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="times each of --jobs 1 and --jobs 2 is run (alternately); the best "
                             "time of each is used (default: 2)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args()
    n_measure, n_jobs, n_stream = (1000, 1000, 5000) if args.quick else (10_000, 10_000, 100_000)
    import framing

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        build(corpus, n_jobs)
        stage = measure_stage(corpus)
        print(f"measure stage: {stage['full_words_per_s']:,.0f} words/s; VADER alone: "
              f"{stage['vader_words_per_s']:,.0f} words/s; ratio {stage['ratio']:.2f}", flush=True)
        runs: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(max(1, args.repeat)):
            for jobs in (1, 2):
                runs[jobs].append(pipeline_seconds(corpus, jobs))
        one, two = min(runs[1]), min(runs[2])
        timings = {jobs: ", ".join(f"{t:.1f}" for t in times) for jobs, times in runs.items()}
        print(f"pipeline on {n_jobs:,} articles: --jobs 1 {timings[1]} s, --jobs 2 {timings[2]} s; "
              f"best {one:.1f} / {two:.1f} s, speed-up {one / two:.3f}", flush=True)
        big = tmp / "big.jsonl"
        build(big, n_stream, per_article=(2, 5), seed=1)
        stream_seconds, peak = stream_peak(big, tmp / "out", 2)
        print(f"streaming {n_stream:,} articles with --jobs 2: {stream_seconds:.0f} s, peak memory "
              f"{peak:.0f} MB (largest process)", flush=True)
    verdict = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    lines = [
        "# Performance",
        "",
        f"Produced by `python benchmarks/throughput.py{' --quick' if args.quick else ''}` on "
        f"{datetime.now(timezone.utc):%Y-%m-%d} (framing {framing.__version__}). Do not edit by "
        "hand: re-run the script.",
        "",
        f"Machine: {machine()}.",
        "",
        "| figure | value | target | |",
        "|---|---|---|---|",
        f"| full measure stage, words/s (--jobs 1, {stage['articles']:,} articles, "
        f"{stage['words']:,} words) | {stage['full_words_per_s']:,.0f} | | |",
        f"| VADER alone over the same sentences, words/s | {stage['vader_words_per_s']:,.0f} | | |",
        f"| ratio (measure stage / VADER alone) | {stage['ratio']:.2f} | >= 0.6 | "
        f"{verdict(stage['ratio'] >= 0.6)} |",
        f"| whole pipeline on {n_jobs:,} articles, --jobs 1 / --jobs 2, best of "
        f"{len(runs[1])} alternate runs (s) | {one:.1f} / {two:.1f} | | |",
        f"| every run, --jobs 1 (s) | {timings[1]} | | |",
        f"| every run, --jobs 2 (s) | {timings[2]} | | |",
        f"| speed-up of --jobs 2 over --jobs 1 | {one / two:.3f} | >= 1.7 | {verdict(one / two >= 1.7)} |",
        f"| peak memory, `framing measure --stream --jobs 2` on {n_stream:,} articles (MB, largest "
        f"process) | {peak:.0f} | < 1024 | {verdict(peak < 1024)} |",
        f"| time of that streaming run (s) | {stream_seconds:.0f} | | |",
        "",
        "What the figures mean and what the profile shows: see docs/scaling.md.",
        "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
