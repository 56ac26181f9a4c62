import json

import pandas as pd
from click.testing import CliRunner

from framing.cli import cli


def test_inspect_prints_summary_and_writes_csv_and_json(seeds_dir, tmp_path):
    runner = CliRunner()
    out_csv = tmp_path / "summary.csv"
    result = runner.invoke(cli, ["inspect", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                 "--output", str(out_csv), "-q"])
    assert result.exit_code == 0, result.output
    assert "002_c2a133382acd786c" in result.output and "Forbes" in result.output
    summary = pd.read_csv(out_csv)
    assert len(summary) == 5 and summary["n_duplicate_paragraphs"].tolist()[4] == 8
    out_json = tmp_path / "summary.json"
    result = runner.invoke(cli, ["inspect", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                 "--output", str(out_json), "-q", "--details"])
    assert result.exit_code == 0
    assert json.loads(out_json.read_text())[2]["n_repairs"] == 33
    assert "remove_furniture" in result.output


def test_inspect_strict_error_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(cli, ["inspect", str(tmp_path), "--strict", "-q"])
    assert result.exit_code == 2
    assert "Error [E-EMPTY]" in result.output and "Traceback" not in result.output


def test_inspect_lists_problems_without_stopping(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text("A perfectly fine article sentence. And another one here.")
    result = CliRunner().invoke(cli, ["inspect", str(tmp_path), "-q"])
    assert result.exit_code == 0
    assert "E-EMPTY" in result.output and "ok" in result.output


def test_bad_output_suffix_keeps_nothing_half_written(seeds_dir, tmp_path):
    target = tmp_path / "summary.xlsx"
    result = CliRunner().invoke(cli, ["inspect", str(seeds_dir), "--output", str(target), "-q"])
    assert result.exit_code == 2 and not target.exists()


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output, f"{name} --help has no example"
        assert f"framing {name}" in result.output


def test_python_m_framing_works():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "framing", "--version"], capture_output=True,
                            text=True, check=True)
    assert "framing" in result.stdout


def test_one_naming_scheme_across_commands():
    """Every command takes -q/--quiet; -o always names an output folder (--out), and single
    output files are --output."""
    for name, command in cli.commands.items():
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"-q", "--quiet"} <= options, name
        if "-o" in options:
            assert "--out" in options, name


def test_train_and_validate_write_only_where_told(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "--into-package" in result.output
    result = CliRunner().invoke(cli, ["train", "--data", str(tmp_path), "--out", str(tmp_path),
                                      "--into-package"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "--output" in result.output
