"""Reading what the evaluation reads: the JSON Lines files of a folder laid out like
``../shared/validation`` (:func:`read_jsonl`) and the packaged gold sentences
(:data:`GOLD_SETS`, :func:`load_gold`). The bottom of ``framing.evaluation``: validation,
training and the gold draw import from here, and it imports none of them.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..errors import InputError

__all__ = ["GOLD_SETS", "SECOND_CODINGS", "gold_header", "load_gold", "read_jsonl"]

#: The packaged gold sets (docs/measures.md), by name.
GOLD_SETS = {"seeds": "data/gold_seeds.jsonl", "deepseek": "data/gold_deepseek.jsonl",
             "frame_dev": "data/gold_frame_dev.jsonl",
             "out_of_story": "data/gold_out_of_story.jsonl"}
#: Second, independent codings of a gold set's sentences, by the set's name: its sentences, or
#: a seeded sample of them (rows matched by ``origin``), labelled again without seeing the
#: first coding.
SECOND_CODINGS = {"out_of_story": "data/gold_out_of_story_second.jsonl",
                  "frame_dev": "data/gold_frame_dev_second.jsonl"}


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a validation file (E-INPUT naming it when it is missing)."""
    if not path.is_file():
        raise InputError("validation file not found", path=str(path),
                         hint="--data must be laid out like ../shared/validation")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_gold(path: Path | None = None, name: str = "seeds", sets: dict = GOLD_SETS) -> list[dict]:
    """A gold set's sentences (a first line holding only ``header`` describes the set and is
    left out; :func:`gold_header` reads it). ``sets=SECOND_CODINGS`` reads a second coding."""
    if path is None:
        text = resources.files("framing").joinpath(sets[name]).read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        rows = read_jsonl(Path(path))
    return [row for row in rows if "header" not in row]


def gold_header(name: str) -> dict:
    """The header line of a packaged gold set ({} when it has none)."""
    text = resources.files("framing").joinpath(GOLD_SETS[name]).read_text(encoding="utf-8")
    first = json.loads(text.splitlines()[0])
    return first.get("header", {})
