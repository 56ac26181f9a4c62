import json

import pandas as pd
from click.testing import CliRunner

from framing.cli import cli


def test_measure_writes_tables_and_provenance(seeds_dir, tmp_path):
    out = tmp_path / "out"
    args = ["measure", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"), "--out", str(out), "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for name in ("articles.csv", "sentences.csv", "matches.csv", "provenance.json"):
        assert (out / name).is_file()
    provenance = json.loads((out / "provenance.json").read_text())
    assert len(provenance["lexicons"]["stance"]["sha256"]) == 64
    assert len(provenance["inputs"]) == 6  # five articles and the manifest
    matches = pd.read_csv(out / "matches.csv")
    assert list(matches.columns) == ["article_id", "sentence_index", "start", "end", "measure",
                                     "category", "term", "lexicon_version"]
    first = (out / "sentences.csv").read_bytes()
    # a second run refuses to overwrite without --force, then gives byte-identical tables
    assert CliRunner().invoke(cli, args).exit_code == 2
    assert CliRunner().invoke(cli, args + ["--force"]).exit_code == 0
    assert (out / "sentences.csv").read_bytes() == first


def test_failed_run_keeps_previous_output(seeds_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous report")
    import framing.io.tables

    def broken(analysis, folder, **kwargs):
        (folder / "articles.csv").write_text("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(framing.io.tables, "write_tables", broken)
    result = CliRunner().invoke(cli, ["measure", str(seeds_dir), "--out", str(out), "--force", "-q"])
    assert result.exit_code != 0
    assert (out / "keep.txt").read_text() == "previous report"
    assert not (out / "articles.csv").exists()
