"""Instructions executed by each part of the measure stage, counted by valgrind (a profiling aid).

    python benchmarks/instructions.py                # 150 articles, about 10 minutes on 2 cores
    python benchmarks/instructions.py --articles 50  # quicker

Timings on a shared virtual machine vary by 10-20 % from run to run, more than most single
optimisations save. The number of instructions the CPU executes varies far less (a few percent
between runs, more on a small corpus), so two versions of the code can be compared with a few
runs each. Each part runs alone in its own Python process under
``valgrind --tool=cachegrind --cache-sim=no``; the count of a process that only loads the corpus
is subtracted, and Python's hash seed is fixed (that alone does not make the counts repeat
exactly). A part
run alone also pays for what it would share with the others in a real run
(the sentence word index, the cue models' tokens), so the parts add up to more than the whole
stage. Needs valgrind (not a Python package: ``apt install valgrind``); it prints the table and
writes nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PARTS = {
    "load": "the corpus loaded, nothing measured (subtracted from the others)",
    "vader": "VADER alone",
    "stance": "stance rules",
    "stance+model": "stance rules and the hedge model",
    "framing": "framing cues",
    "targets": "targets",
    "attribution": "attribution rules",
    "attribution+model": "attribution rules and the attribution model",
    "stage": "the whole measure stage (measure_corpus)",
}


def run_part(part: str, corpus: Path) -> None:
    """Run one part over the corpus (inside valgrind)."""
    import framing
    from framing.measures import MeasureConfig, measure_corpus
    from framing.measures.attribution import attribute_articles
    from framing.measures.framing_cues import framing_spans_many
    from framing.measures.sentiment import compound, target_spans
    from framing.measures.stance import stance_spans_many
    from framing.segment import paragraph_spans, quote_spans

    loaded = framing.load_corpus(corpus)
    config = MeasureConfig.load()
    lexicons, models, patterns = config.lexicons, config.models, config.target_patterns
    for model in models.values():
        model.estimator  # built once per process in a real run too
    compound("warm up")
    texts = list(loaded.sentences["text"])
    by_article = {key: group for key, group in loaded.sentences.groupby("article_id", sort=False)}
    articles = [(text, list(zip(by_article[a]["start"], by_article[a]["end"])),
                 quote_spans(text, paragraph_spans(text)))
                for a, text in zip(loaded.articles["article_id"], loaded.articles["text"])]
    if part == "vader":
        [compound(text) for text in texts]
    elif part in ("stance", "stance+model"):
        hedge = models["hedge"] if part == "stance+model" else None
        stance_spans_many(texts, lexicons["stance"], hedge)
    elif part == "framing":
        framing_spans_many(texts, lexicons["framing"])
    elif part == "targets":
        [target_spans(text, patterns) for text in texts]
    elif part in ("attribution", "attribution+model"):
        model = models["attribution"] if part == "attribution+model" else None
        attribute_articles(articles, lexicons["attribution"], model)
    elif part == "stage":
        measure_corpus(loaded.articles, loaded.sentences, config)


def count(part: str, corpus: Path, valgrind: str) -> int:
    command = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--part", part, "--corpus", str(corpus)]
    # a fixed hash seed: string hashes decide set orders, one source of run-to-run variation
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"{part}: valgrind failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=150, help="resampled articles (default 150)")
    parser.add_argument("--jobs", type=int, default=2, help="valgrind runs at a time (default 2)")
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        run_part(args.part, args.corpus)
        return
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind not found: install it (e.g. `apt install valgrind`) to count "
                         "instructions; benchmarks/throughput.py times the stage without it")
    sys.path.insert(0, str(Path(__file__).parent))
    from throughput import build

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        build(corpus, args.articles)
        import framing

        sentences = len(framing.load_corpus(corpus).sentences)
        with ThreadPoolExecutor(args.jobs) as pool:
            counts = dict(zip(PARTS, pool.map(lambda part: count(part, corpus, valgrind), PARTS)))
    base = counts["load"]
    print(f"{args.articles} resampled articles, {sentences:,} sentences; millions of instructions "
          f"beyond loading ({base / 1e6:,.0f} million)")
    print(f"{'part':<45} {'million':>9} {'per sentence':>13}")
    for part, label in PARTS.items():
        if part != "load":
            extra = counts[part] - base
            print(f"{label:<45} {extra / 1e6:>9,.0f} {extra / sentences:>13,.0f}")
    print(f"ratio of VADER to the whole stage: "
          f"{(counts['vader'] - base) / (counts['stage'] - base):.3f}")


if __name__ == "__main__":
    main()
