"""Parallel, streaming and Dask runs give the same tables as a plain run."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import cli
from framing.errors import ConfigurationError
from framing.stream import iter_chunks, read_partitioned

KEYS = {"articles": ["article_id"], "sentences": ["article_id", "sentence_index"],
        "matches": ["article_id", "sentence_index", "start", "end", "measure", "category"]}


@pytest.fixture(scope="module")
def corpus_file(seed_corpus, tmp_path_factory):
    """40 articles resampled from the seed paragraphs, as JSONL."""
    paragraphs = [p for text in seed_corpus.articles["text"] for p in text.split("\n\n")
                  if len(p.split()) > 8]
    rng = np.random.default_rng(1)
    path = tmp_path_factory.mktemp("big") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(40):
            handle.write(json.dumps({"id": f"a{i:03d}", "outlet": f"outlet {i % 3}",
                                     "text": "\n\n".join(rng.choice(paragraphs, 3))}) + "\n")
    return path


def _same(a: pd.DataFrame, b: pd.DataFrame, table: str) -> None:
    columns = [c for c in b.columns if c in a.columns and c not in ("raw_text",)]
    a = a[columns].sort_values(KEYS[table]).reset_index(drop=True).astype(str)
    b = b[columns].sort_values(KEYS[table]).reset_index(drop=True).astype(str)
    pd.testing.assert_frame_equal(a, b)


def test_jobs_give_identical_tables(corpus_file):
    one = framing.analyze(corpus_file, jobs=1)
    two = framing.analyze(corpus_file, jobs=2)
    for table in ("articles", "sentences", "matches"):
        pd.testing.assert_frame_equal(getattr(one, table), getattr(two, table))


def test_stream_equals_a_plain_run(corpus_file, tmp_path):
    runner = CliRunner()
    plain = runner.invoke(cli, ["measure", str(corpus_file), "--out", str(tmp_path / "plain"), "-q",
                                "-j", "1"])
    stream = runner.invoke(cli, ["measure", str(corpus_file), "--stream", "--chunk-size", "7",
                                 "-j", "2", "--out", str(tmp_path / "stream"), "-q"])
    assert plain.exit_code == 0 and stream.exit_code == 0, stream.output
    for table in ("articles", "sentences", "matches"):
        _same(pd.read_parquet(tmp_path / "stream" / f"{table}.parquet"),
              pd.read_parquet(tmp_path / "plain" / f"{table}.parquet"), table)
    provenance = json.loads((tmp_path / "stream" / "provenance.json").read_text())
    assert provenance["counts"]["articles"] == 40 and provenance["options"]["chunk_size"] == 7


def test_chunks_get_global_ids_and_bad_inputs_are_named(tmp_path, seeds_dir):
    path = tmp_path / "noid.csv"
    pd.DataFrame({"text": [f"Sentence number {i}." for i in range(5)]}).to_csv(path, index=False)
    chunks = list(iter_chunks(path, chunk_size=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert pd.concat(chunks)["article_id"].tolist() == [f"row-{i:09d}" for i in range(1, 6)]
    with pytest.raises(ConfigurationError, match="CSV, TSV, JSONL or Parquet"):
        list(iter_chunks(seeds_dir))
    result = CliRunner().invoke(cli, ["measure", str(seeds_dir), "--stream", "--out",
                                      str(tmp_path / "x")])
    assert result.exit_code == 2 and "stream" in result.output


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster(corpus_file, tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    runner = CliRunner()
    stream = runner.invoke(cli, ["measure", str(corpus_file), "--stream", "-j", "1",
                                 "--out", str(tmp_path / "stream"), "-q"])
    dask = runner.invoke(cli, ["measure", str(corpus_file), "--engine", "dask", "-j", "2",
                               "--chunk-size", "10", "--out", str(tmp_path / "dask"), "-q"])
    assert stream.exit_code == 0 and dask.exit_code == 0, dask.output
    assert len(list((tmp_path / "dask" / "sentences").glob("part-*.parquet"))) >= 2
    for table in ("articles", "sentences", "matches"):
        _same(read_partitioned(tmp_path / "dask", table),
              read_partitioned(tmp_path / "stream", table), table)
