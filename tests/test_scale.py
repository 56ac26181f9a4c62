"""Parallel, streaming and Dask runs give the same tables as a plain run."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import cli
from framing.errors import ConfigurationError
from framing.io.stream import iter_chunks, read_partitioned

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
            # each paragraph made unique to its article: --stream finds lines repeated across
            # an outlet's articles within each chunk only (docs/scaling.md), so the equality of
            # a streamed and a plain run holds for corpora without such lines
            chosen = [f"{p} (Part {i}.{k}.)" for k, p in enumerate(rng.choice(paragraphs, 3))]
            handle.write(json.dumps({"id": f"a{i:03d}", "outlet": f"outlet {i % 3}",
                                     "text": "\n\n".join(chosen)}) + "\n")
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
    # one engine: the Dask run reads and writes as --stream does (its chunks ran on the cluster)
    assert (tmp_path / "dask" / "sentences.parquet").is_file()
    record = json.loads((tmp_path / "dask" / "provenance.json").read_text())
    assert record["options"]["engine"] == "dask" and record["counts"]["articles"] == 40
    for table in ("articles", "sentences", "matches"):
        _same(read_partitioned(tmp_path / "dask", table),
              read_partitioned(tmp_path / "stream", table), table)
    columns = ["article_id", "outlet", "hedges_per_1k"]
    assert read_partitioned(tmp_path / "dask", "articles", columns).sort_values("article_id") \
        .reset_index(drop=True).equals(read_partitioned(tmp_path / "stream", "articles")[columns]
                                       .sort_values("article_id").reset_index(drop=True))
    compared = runner.invoke(cli, ["compare", str(tmp_path / "dask"), "--out",
                                   str(tmp_path / "cmp"), "--n-boot", "100", "-q"])
    assert compared.exit_code == 0, compared.output


def test_compare_command_compares_a_streamed_run_from_its_articles_table(corpus_file, tmp_path):
    from framing.compare import compare
    from framing.plot import dot_interval
    from framing.io.provenance import file_sha256

    runner = CliRunner()
    stream = runner.invoke(cli, ["measure", str(corpus_file), "--stream", "--chunk-size", "9",
                                 "-j", "1", "--out", str(tmp_path / "stream"), "-q"])
    assert stream.exit_code == 0, stream.output
    result = runner.invoke(cli, ["compare", str(tmp_path / "stream"), "--out", str(tmp_path / "cmp"),
                                 "--n-boot", "200", "-q"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv", keep_default_na=False,
                        na_values=[""])
    analysis = framing.analyze(corpus_file)
    full = compare(analysis.articles, analysis.sentences, analysis.matches, n_boot=200).table
    assert table[["measure", "group", "other"]].fillna("").values.tolist() == \
        full[["measure", "group", "other"]].values.tolist()
    assert table["n_sentences"].tolist() == full["n_sentences"].tolist()
    for column in ("estimate", "effect", "p"):  # the CSV keeps 6 significant digits
        np.testing.assert_allclose(table[column], full[column], rtol=1e-5, atol=1e-9)
    for name in ("heatmap", "dot_interval", "framing_balance"):
        assert (tmp_path / "cmp" / "figures" / f"{name}.png").stat().st_size > 1000
    record = json.loads((tmp_path / "cmp" / "provenance.json").read_text())
    assert record["inputs"] == [{"path": str(tmp_path / "stream" / "articles.parquet"),
                                 "sha256": file_sha256(tmp_path / "stream" / "articles.parquet")}]
    assert record["measured_with"]["counts"]["articles"] == 40
    assert record["counts"] == {"articles": 40, "groups": 3, "compared_articles": 40}
    # the figures say what the intervals resampled
    alone = compare(analysis.articles, n_boot=100)
    assert alone.resampled == "articles"
    assert "articles resampled" in dot_interval(alone.table, "hedges_per_1k",
                                                resampled=alone.resampled).get_xlabel()
    assert "articles and sentences" in dot_interval(full, "hedges_per_1k").get_xlabel()
    # the articles file itself, and a plain run's folder, give the same table
    for source, out in ((tmp_path / "stream" / "articles.parquet", "file"),
                        (tmp_path / "stream", "again")):
        again = runner.invoke(cli, ["compare", str(source), "--out", str(tmp_path / out),
                                    "--n-boot", "200", "-q"])
        assert again.exit_code == 0, again.output
        assert (tmp_path / out / "comparison.csv").read_bytes() == \
            (tmp_path / "cmp" / "comparison.csv").read_bytes()


def test_compare_command_names_bad_inputs_and_keeps_what_was_written(corpus_file, tmp_path):
    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["compare", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no articles table" in result.output and str(tmp_path / "empty") in result.output
    measured = runner.invoke(cli, ["measure", str(corpus_file), "-q", "-j", "1",
                                   "--out", str(tmp_path / "plain")])
    assert measured.exit_code == 0, measured.output
    result = runner.invoke(cli, ["compare", str(tmp_path / "plain" / "articles.csv"), "--by",
                                 "country", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "'country'" in result.output and "articles.csv" in result.output
    assert not (tmp_path / "o").exists()
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "keep.txt").write_text("mine")
    result = runner.invoke(cli, ["compare", str(tmp_path / "plain"), "--out", str(tmp_path / "o"),
                                 "--n-boot", "100", "-q"])
    assert result.exit_code == 2 and "--force" in result.output
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["keep.txt"]


def _blas_threads(shared, item) -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_per_article_work_has_one_blas_thread_and_the_callers_setting_is_kept():
    """The engine runs the per-article function with one BLAS thread, in this process and in
    the workers, and gives the caller back the setting it had."""
    from threadpoolctl import threadpool_limits

    from framing.engine import MIN_PARALLEL, bounded_map, parallel_map

    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads(None, None)
        assert before and set(before) == {2}  # numpy's BLAS is there, with two threads
        for jobs in (1, 2):
            seen = parallel_map(_blas_threads, range(MIN_PARALLEL), jobs=jobs)
            assert seen == [[1] * len(before)] * MIN_PARALLEL
            assert list(bounded_map(_blas_threads, range(3), jobs=jobs)) == [[1] * len(before)] * 3
            assert _blas_threads(None, None) == before


def _pid(shared, item) -> int:
    import os

    return os.getpid()


def test_meanwhile_runs_here_while_the_workers_work():
    """parallel_map's ``meanwhile`` (how analyze finds stories during measuring) runs in this
    process once the workers have started, so no thread of framing's exists when they are
    forked; without workers it runs after the items."""
    import multiprocessing
    import os

    from framing.engine import MIN_PARALLEL, parallel_map

    seen = []
    pids = parallel_map(_pid, range(MIN_PARALLEL), jobs=2,
                        meanwhile=lambda: seen.append(len(multiprocessing.active_children())))
    assert seen == [2] and os.getpid() not in pids
    order = []
    parallel_map(lambda shared, item: order.append(item), range(3),
                 meanwhile=lambda: order.append("meanwhile"))
    assert order == [0, 1, 2, "meanwhile"]
