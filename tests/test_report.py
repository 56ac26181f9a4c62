"""The HTML report and `framing analyze`: content, escaping, offline, atomic output, --force."""

import json
import re

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import framing  # noqa: E402
from framing.cli import cli  # noqa: E402

EVIL = ("Officials said the <script>alert('x')</script> plan may fail. "
        "Critics warned <img src=x onerror=alert(1)> that China's triumph is a threat. "
        "Analysts <svg onload=alert(2)> said so.")


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    frame = pd.DataFrame({"text": [EVIL, "The ministry said the rollout was safe, experts noted."],
                          "outlet": ["<b>Bad</b> Outlet", "Good"], "id": ["evil", "good"]})
    path = tmp_path_factory.mktemp("r") / "report.html"
    framing.analyze(frame).to_html(path, n_boot=100)
    return path.read_text(encoding="utf-8")


def test_article_text_and_metadata_are_escaped(evil_report):
    assert "<script>" not in evil_report
    assert "<img src=x" not in evil_report
    assert "&lt;script&gt;" in evil_report
    assert "<b>Bad</b>" not in evil_report and "&lt;b&gt;Bad&lt;/b&gt; Outlet" in evil_report
    # cleaning removes an img tag (strip_markup); what is not a known element stays, escaped
    assert "onerror" not in evil_report
    assert "<svg" not in evil_report and "&lt;svg onload=alert(2)&gt;" in evil_report


def test_report_is_offline_and_complete(evil_report):
    # no external resources: every src/href is a data URI or an in-page anchor
    for target in re.findall(r"(?:src|href)=\"([^\"]*)\"", evil_report):
        assert target.startswith(("data:", "#")), target
    assert "http://" not in evil_report.replace("http://www.w3.org", "")
    for section in ("Key findings", "Figures", "Data quality", "evidence highlighted", "Methods",
                    "Caveats", "Provenance"):
        assert section in evil_report
    assert evil_report.count("data:image/png;base64,") == 7
    assert "Descriptive comparison" in evil_report  # one article per outlet is named honestly


def test_analyze_command_writes_the_folder(seeds_dir, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                 "--out", str(out), "-q", "--n-boot", "200"])
    assert result.exit_code == 0, result.output
    for name in ("articles.csv", "sentences.csv", "matches.csv", "comparison.csv", "keyness.csv",
                 "report.html", "provenance.json", "figures/heatmap.png", "figures/heatmap.svg",
                 "figures/article_map.svg"):
        assert (out / name).is_file(), name
    comparison = pd.read_csv(out / "comparison.csv")
    assert list(comparison.columns[:9]) == ["measure", "group", "other", "estimate", "ci_low",
                                            "ci_high", "effect", "p", "p_adj"]
    # an existing folder is kept without --force
    before = (out / "report.html").read_bytes()
    again = runner.invoke(cli, ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                "--out", str(out), "-q", "--n-boot", "200"])
    assert again.exit_code == 2 and "--force" in again.output
    assert (out / "report.html").read_bytes() == before
    # by another column
    by_source = runner.invoke(cli, ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                    "--out", str(tmp_path / "src"), "-q", "--n-boot", "100",
                                    "--by", "original_source"])
    assert by_source.exit_code == 0, by_source.output
    groups = set(pd.read_csv(tmp_path / "src" / "comparison.csv")["group"])
    assert "The New York Times" in groups
    # --figure-format: PNG only (the quick way), the page's images all there
    quick = runner.invoke(cli, ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                "--out", str(tmp_path / "png"), "-q", "--n-boot", "100",
                                "--figure-format", "png"])
    assert quick.exit_code == 0, quick.output
    suffixes = {p.suffix for p in (tmp_path / "png" / "figures").iterdir()}
    assert suffixes == {".png"}
    assert (tmp_path / "png" / "report.html").read_text(encoding="utf-8").count(
        "data:image/png;base64,") == len(list((tmp_path / "png" / "figures").iterdir()))


def test_failed_run_leaves_previous_report(seeds_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("previous", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr("framing.report.render_report", broken)
    result = CliRunner().invoke(cli, ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                      "--out", str(out), "-q", "--force", "--n-boot", "100"])
    assert result.exit_code != 0
    assert (out / "report.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert not [p for p in tmp_path.iterdir() if p.name != "out"]  # no temporary folder left


def test_unknown_group_column_is_a_clear_error(seeds_dir, tmp_path):
    result = CliRunner().invoke(cli, ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                      "--out", str(tmp_path / "x"), "-q", "--by", "colour"])
    assert result.exit_code == 2 and "colour" in result.output


def test_committed_reports_match_a_fresh_run(seeds_dir, tmp_path):
    """reports/ is the README main command's output: re-running it gives the same tables."""
    committed = seeds_dir.parent / "reports"
    if not (committed / "comparison.csv").is_file():
        pytest.fail("reports/ is missing: run the README's main command and commit it")
    result = CliRunner().invoke(cli, ["analyze", str(seeds_dir), "--manifest",
                                      str(seeds_dir / "manifest.csv"), "--out", str(tmp_path / "r"),
                                      "-q"])
    assert result.exit_code == 0, result.output
    for name in ("articles", "sentences", "matches", "comparison", "keyness", "rewrites", "quality"):
        fresh = (tmp_path / "r" / f"{name}.csv").read_text(encoding="utf-8")
        assert fresh == (committed / f"{name}.csv").read_text(encoding="utf-8"), (
            f"reports/{name}.csv differs from a fresh run: re-run the README's main command")


def test_the_comparison_is_computed_once_and_reused_by_the_report(tmp_path, monkeypatch):
    import framing.compare as compare_module

    analysis = framing.analyze(["DeepSeek may be a threat, experts warn.",
                                "Officials said the model could help.",
                                "China's triumph is clear, state media said."] * 2,
                               )
    analysis.articles["outlet"] = ["A", "B", "C", "A", "B", "C"]
    calls = []
    real = compare_module.compare
    import functools

    monkeypatch.setattr(compare_module, "compare", functools.wraps(real)(
        lambda *a, **k: calls.append(k) or real(*a, **k)))
    first = analysis.compare(n_boot=100)
    assert analysis.compare(n_boot=100) is first and len(calls) == 1
    analysis.to_html(tmp_path / "r.html", n_boot=100)
    assert len(calls) == 1  # the report used the comparison already made
    analysis.compare(n_boot=200)
    assert len(calls) == 2  # other options: a new comparison
    # replacing a table makes a new one
    analysis.articles = analysis.articles.copy()
    analysis.compare(n_boot=100)
    assert len(calls) == 3


def test_the_page_embeds_the_saved_figures_scaled_down(tmp_path, seeds_dir):
    import base64
    import io
    import re

    from PIL import Image

    from framing.report import PAGE_DPI, write_report

    analysis = framing.analyze(seeds_dir, manifest=seeds_dir / "manifest.csv")
    write_report(analysis, tmp_path, n_boot=100, progress=True)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    embedded = re.findall(r'id="fig-(\w+)">\s*<img src="data:image/png;base64,([^"]+)"', html)
    assert len(embedded) == 8  # the seven figures and within_story (two stories are shared)
    for name, data in embedded:
        page = Image.open(io.BytesIO(base64.b64decode(data)))
        saved = Image.open(tmp_path / "figures" / f"{name}.png")
        assert abs(page.width - saved.width * PAGE_DPI / 150) <= 1
        assert abs(page.height - saved.height * PAGE_DPI / 150) <= 1


def test_figures_drawn_in_two_processes_are_the_files_drawn_in_one(tmp_path, seeds_dir):
    """write_report(jobs=2) draws the figures in worker processes while this one writes the
    tables: the same files, the same page (its run time aside), the same order of paths."""
    from framing.report import write_report

    analysis = framing.analyze(seeds_dir, manifest=seeds_dir / "manifest.csv")
    one = write_report(analysis, tmp_path / "one", n_boot=100, jobs=1)
    two = write_report(analysis, tmp_path / "two", n_boot=100, jobs=2)
    assert [p.relative_to(tmp_path / "one") for p in one] == \
        [p.relative_to(tmp_path / "two") for p in two]
    figures = sorted((tmp_path / "one" / "figures").iterdir())
    assert len(figures) == 16  # eight figures, PNG and SVG
    for path in figures:
        assert path.read_bytes() == (tmp_path / "two" / "figures" / path.name).read_bytes(), path
    timestamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"&<]*")
    pages = [timestamp.sub("", (tmp_path / d / "report.html").read_text(encoding="utf-8"))
             for d in ("one", "two")]
    assert pages[0] == pages[1]


def test_every_name_a_command_writes_is_one_force_may_replace(seeds_dir, tmp_path):
    """All analyze writes at the top of its folder is in OUTPUT_NAMES: what --force replaces,
    and removes when a later run does not write it (no table of an earlier run is left beside
    the new ones, passed off as the new run's). Dates and shared stories give the optional
    tables, time.csv and within_story.csv."""
    from framing.io.output import OUTPUT_NAMES

    out = tmp_path / "out"
    runner = CliRunner()
    base = ["analyze", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"), "--out", str(out),
            "-q", "--n-boot", "100", "--figure-format", "png"]
    result = runner.invoke(cli, base + ["--date-column", "original_date", "--period", "year"])
    assert result.exit_code == 0, result.output
    written = {entry.name for entry in out.iterdir()}
    assert {"time.csv", "within_story.csv"} <= written
    assert set(pd.read_csv(out / "time.csv")["period_kind"]) == {"year"}  # --period reaches it
    report = json.loads((out / "provenance.json").read_text(encoding="utf-8"))["report"]
    assert report["period"] == report["period_used"] == "year"  # and the provenance says so
    assert report["n_boot"] == 100 and report["by"] == "outlet" and report["stories_compared"]
    assert written <= OUTPUT_NAMES, written - OUTPUT_NAMES
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    # each article its own story, no dates: neither optional table is written this time
    again = runner.invoke(cli, base + ["--force", "--story-column", "file"])
    assert again.exit_code == 0, again.output
    written = {entry.name for entry in out.iterdir()}
    assert not {"time.csv", "within_story.csv"} & written
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # the user's file stays
    # measure and compare: the same rule
    measured, compared = tmp_path / "measured", tmp_path / "compared"
    for args in (["measure", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                  "--out", str(measured), "-q"],
                 ["compare", str(measured), "--out", str(compared), "-q", "--figure-format", "png"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    for folder in (measured, compared):
        written = {entry.name for entry in folder.iterdir()}
        assert "provenance.json" in written and written <= OUTPUT_NAMES, written - OUTPUT_NAMES
