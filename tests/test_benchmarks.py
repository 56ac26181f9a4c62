"""The benchmark's profile (benchmarks/throughput.py) names functions framing really runs."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def throughput():
    spec = importlib.util.spec_from_file_location("throughput", ROOT / "benchmarks" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(shares, parts):
    assert [label for label, _ in shares] == [label for label, _, _ in parts] + ["everything else"]
    top = sum(share for (_, share), (_, _, nested) in zip(shares, parts) if not nested)
    assert all(share > 0 for _, share in shares[:-1]), shares
    assert top + shares[-1][1] == pytest.approx(1.0) and 0 <= shares[-1][1] < 0.5


def test_the_measure_profile_finds_every_part(throughput, tmp_path):
    articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8")}
                for p in sorted((ROOT / "seeds").glob("*.txt"))]
    _check(throughput.measure_profile(articles, tmp_path), throughput.MEASURE_PARTS)
    with pytest.raises(LookupError, match="not framing functions in the profile: no_such_function"):
        throughput.profile_shares(lambda: None, [("x", ("no_such_function",), False)],
                                  "no_such_function")


def test_the_report_profile_finds_every_part(throughput, validation_dir, tmp_path):
    rows = [json.loads(line) for line in
            (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")][:12]
    path = tmp_path / "basil.jsonl"
    throughput.write_jsonl(path, rows)
    _check(throughput.report_profile(path, tmp_path), throughput.REPORT_PARTS)
