"""The bad-input matrix (docs/reliability.md): one test per case, each asserting the exact
behaviour (problem code, exit status, what was kept). Every ``test_case_<id>`` here is a row of
the table in docs/reliability.md and the other way round (test_reliability_doc_lists_every_case).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import cli

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("Regulators in several countries opened reviews of how the company stores the data of "
         "its users, and analysts said the outcome could shape the market for years.")


def article(n: int) -> str:
    return f"Story {n} begins here. {WORDS} The firm said it would cooperate fully with them."


@pytest.fixture
def corpus(tmp_path):
    """Three small articles from two outlets with a manifest inside the folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(article(i), encoding="utf-8")
    (folder / "manifest.csv").write_text("file,outlet\na0.txt,North\na1.txt,North\na2.txt,South\n",
                                         encoding="utf-8")
    return folder


def run(*args, cwd: Path | None = None):
    """The CLI in this process; ``result.output`` holds stdout and stderr."""
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return CliRunner().invoke(cli, [str(a) for a in args])
    finally:
        os.chdir(old)


def clean_exit(result, code: int) -> str:
    """Assert the exit code and that no traceback reached the user; return the output."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- output folders: nothing the user owns is ever deleted ---------------------------------------

def test_case_force_out_is_corpus(corpus):
    before = snapshot(corpus)
    out = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", corpus,
                         "--force", "-q"), 2)
    assert "E-OUTPUT-INPUT" in out
    assert snapshot(corpus) == before


def test_case_force_out_contains_corpus(corpus):
    before = snapshot(corpus)
    out = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out",
                         corpus.parent, "--force", "-q"), 2)
    assert "E-OUTPUT-INPUT" in out and "contains the input" in out
    assert snapshot(corpus) == before


def test_case_force_out_inside_corpus(corpus):
    out = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out",
                         corpus / "out", "--force", "-q"), 2)
    assert "E-OUTPUT-INPUT" in out and "lies inside" in out
    assert not (corpus / "out").exists()


def test_case_force_on_a_folder_framing_did_not_write(corpus, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"chapter one")
    out = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", folder,
                         "--force", "-q"), 2)
    assert "E-NOT-FRAMING" in out and "thesis.docx" in out
    assert snapshot(folder) == {"thesis.docx": b"chapter one"}


def test_case_force_keeps_user_files_and_folder_mode(corpus, tmp_path):
    out = tmp_path / "out"
    clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", out, "-q"), 0)
    (out / "thesis.docx").write_bytes(b"chapter one")
    (out / "stale.parquet").write_bytes(b"mine too")
    os.chmod(out, 0o750)
    first = json.loads((out / "provenance.json").read_text())
    result = run("measure", corpus, "-m", corpus / "manifest.csv", "--out", out, "--force")
    text = clean_exit(result, 0)
    assert (out / "thesis.docx").read_bytes() == b"chapter one"
    assert (out / "stale.parquet").read_bytes() == b"mine too"
    assert "kept 2 file(s) framing did not write" in text
    assert oct(out.stat().st_mode & 0o777) == oct(0o750)
    assert json.loads((out / "provenance.json").read_text())["created"] >= first["created"]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".framing-")]


def test_case_out_dot_in_an_empty_folder(corpus, tmp_path):
    here = tmp_path / "empty"
    here.mkdir()
    clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", ".", "-q",
                   cwd=here), 0)
    assert (here / "articles.csv").is_file() and (here / "provenance.json").is_file()


def test_case_out_dot_holding_the_corpus(corpus):
    out = clean_exit(run("measure", "corpus", "-m", "corpus/manifest.csv", "--out", ".",
                         "--force", "-q", cwd=corpus.parent), 2)
    assert "E-OUTPUT-INPUT" in out


def test_case_unwritable_output_checked_before_work(corpus, tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")

    def must_not_load(*args, **kwargs):
        raise AssertionError("the corpus was segmented before the output was checked")

    monkeypatch.setattr("framing.segment.sentence_tokenizer", must_not_load)
    out = clean_exit(run("analyze", corpus, "-m", corpus / "manifest.csv", "--out",
                         blocker / "report", "-q"), 2)
    assert "E-OUTPUT" in out and "cannot write the output folder" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_case_read_only_parent_checked_before_work(corpus, tmp_path):  # pragma: no cover
    parent = tmp_path / "locked"
    parent.mkdir()
    os.chmod(parent, 0o555)
    out = clean_exit(run("analyze", corpus, "-m", corpus / "manifest.csv", "--out",
                         parent / "report", "-q"), 2)
    assert "E-OUTPUT" in out


def test_case_existing_output_checked_before_work(corpus, tmp_path, monkeypatch):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("mine")

    def must_not_load(*args, **kwargs):
        raise AssertionError("the corpus was segmented before the output was checked")

    monkeypatch.setattr("framing.segment.sentence_tokenizer", must_not_load)
    out = clean_exit(run("analyze", corpus, "-m", corpus / "manifest.csv", "--out", out_dir,
                         "-q"), 2)
    assert "E-EXISTS" in out


def test_case_killed_run_left_a_temporary_folder(corpus, tmp_path):
    out = tmp_path / "out"
    clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", out, "-q"), 0)
    leftover = out / ".framing-tmp-abc123"
    leftover.mkdir()
    (leftover / "articles.csv").write_bytes(b"x" * 1_000_000)
    text = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", out,
                          "--force"), 0)
    assert not leftover.exists()
    assert "removed the unfinished output an interrupted run left" in text


def test_case_two_runs_on_one_output_folder(corpus, tmp_path):
    from framing.io.output import OutputFolder

    out = tmp_path / "out"
    with OutputFolder(out) as first:
        (first / "articles.csv").write_text("being written")
        text = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", out,
                              "--force", "-q"), 2)
        assert "E-BUSY" in text
        assert (first / "articles.csv").read_text() == "being written"  # not cleaned up
    assert (out / "articles.csv").read_text() == "being written"


def test_case_killed_run_between_renames(tmp_path):
    # what a run killed halfway through the swap leaves: the old outputs in the journal folder,
    # part of the new ones in place
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("new, partial")
    (out / "thesis.docx").write_text("mine")
    old = out / ".framing-old-x1"
    old.mkdir()
    (old / "report.html").write_text("old report")
    (old / "articles.csv").write_text("old table")
    (old / ".incoming.json").write_text(json.dumps(["report.html", "articles.csv"]))
    (old / ".installing").touch()
    from framing.io.output import OutputFolder

    notes = []
    OutputFolder(out, notify=notes.append).recover()
    assert snapshot(out) == {"report.html": b"old report", "articles.csv": b"old table",
                             "thesis.docx": b"mine"}
    assert "restored the previous output" in notes[0]


def test_case_killed_run_before_the_swap_finished_moving_old_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("old report")  # not yet moved to the journal
    old = out / ".framing-old-x2"
    old.mkdir()
    (old / "articles.csv").write_text("old table")
    (old / ".incoming.json").write_text(json.dumps(["report.html", "articles.csv"]))
    from framing.io.output import OutputFolder

    OutputFolder(out, notify=lambda m: None).recover()
    assert snapshot(out) == {"report.html": b"old report", "articles.csv": b"old table"}


def test_case_old_style_backup_left_beside_the_folder(corpus, tmp_path):
    out = tmp_path / "out"
    clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", out, "-q"), 0)
    os.replace(out, tmp_path / ".out.old")  # a run of framing 0.1 killed between its renames
    from framing.io.output import OutputFolder

    notes = []
    OutputFolder(out, notify=notes.append).recover()
    assert (out / "articles.csv").is_file() and not (tmp_path / ".out.old").exists()
    assert "restored the previous output" in notes[0]


# --- inputs ----------------------------------------------------------------------------------------

def test_case_relative_folder_without_manifest(corpus, tmp_path):
    (corpus / "manifest.csv").unlink()
    clean_exit(run("measure", "corpus", "--out", "out", "-q", cwd=corpus.parent), 0)
    record = json.loads((corpus.parent / "out" / "provenance.json").read_text())
    assert sorted(i["path"] for i in record["inputs"]) == ["a0.txt", "a1.txt", "a2.txt"]


def test_case_symlink_out_of_the_corpus(corpus, tmp_path):
    (corpus / "manifest.csv").unlink()
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash " * 5)
    (corpus / "leak.txt").symlink_to(secret)
    loaded = framing.load_corpus(corpus)
    assert "leak" not in set(loaded.articles["article_id"])
    assert loaded.problems.set_index("article_id").loc["leak", "code"] == "E-ESCAPE"
    assert not loaded.articles["raw_text"].str.contains("root:x").any()


def test_case_symlink_loop_listed_in_the_manifest(corpus):
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    with (corpus / "manifest.csv").open("a") as handle:
        handle.write("loop.txt,North\n")
    text = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out",
                          corpus.parent / "out"), 0)
    problems = pd.read_csv(corpus.parent / "out" / "problems.csv")
    assert problems.loc[problems["article_id"] == "loop.txt", "code"].tolist() == ["E-READ"]
    assert "symlink loop" in text


def test_case_csv_formula_injection(tmp_path):
    table = pd.DataFrame({"id": ["+1-555", "b2", "c3"], "outlet": ["=HYPERLINK(\"x\")", "@SUM(1)", "-x"],
                          "title": ["\tTab", "\rCR", "plain"], "text": [article(i) for i in range(3)]})
    table.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    clean_exit(run("measure", tmp_path / "t.jsonl", "--out", tmp_path / "out", "-q"), 0)
    raw = pd.read_csv(tmp_path / "out" / "articles.csv", dtype=str, keep_default_na=False)
    assert raw["article_id"].tolist() == ["'+1-555", "b2", "c3"]
    assert raw["outlet"].tolist() == ["'=HYPERLINK(\"x\")", "'@SUM(1)", "'-x"]
    # a carriage return is written as a quoted line break, so the row is not split
    assert raw["title"].tolist() == ["'\tTab", "\nCR", "plain"]
    for name in ("sentences", "matches", "problems", "quality"):
        text = (tmp_path / "out" / f"{name}.csv").read_text()
        assert not re.search(r"(^|,)[=+@]", text, re.MULTILINE), name
    exact = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert exact["outlet"].tolist() == table["outlet"].tolist()
    # framing reads its own CSV back exactly
    from framing.io.stream import read_partitioned

    back = read_partitioned(tmp_path / "out" / "articles.csv", "articles", ["article_id", "outlet"])
    assert back["outlet"].tolist() == table["outlet"].tolist()


def test_case_long_unpunctuated_sentence(tmp_path):
    text = (" ".join(WORDS.replace(",", "").replace(".", "").split()) + " ") * 600  # ~100 kB
    loaded = framing.load_corpus([text])
    lengths = loaded.sentences["end"] - loaded.sentences["start"]
    assert lengths.max() <= 1500 and len(loaded.sentences) > 60
    log = loaded.quality[loaded.quality["step"] == "segment"]
    assert log["category"].tolist() == ["long_sentence"]
    assert "long_sentence" in loaded.articles.loc[0, "quality_flags"]


@pytest.mark.slow
def test_case_one_megabyte_article_on_one_line_finishes(tmp_path):
    """A guard against quadratic time, not a speed test: this took over 8 minutes before the
    linear text map and attribution (about 5 s now; docs/performance.md measures speed)."""
    paragraph = f"{WORDS} “We will comply,” the company said. "
    (tmp_path / "big.txt").write_text(paragraph * (1_000_000 // len(paragraph)))
    code = ("import framing; a = framing.analyze([open('big.txt').read()]); "
            "print(len(a.sentences))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 5000


def test_case_manifest_with_a_header_and_no_rows(corpus, tmp_path):
    (corpus / "manifest.csv").write_text("file,outlet\n")
    out = clean_exit(run("analyze", corpus, "-m", corpus / "manifest.csv", "--out",
                         tmp_path / "report", "-q"), 2)
    assert "E-NO-ARTICLES" in out
    assert not (tmp_path / "report").exists()
    with pytest.raises(framing.InputError, match="no article could be read"):
        framing.analyze(corpus, manifest=corpus / "manifest.csv")


def test_case_outlet_name_with_dollar_signs(corpus, tmp_path):
    (corpus / "manifest.csv").write_text("file,outlet\na0.txt,$$ Money\na1.txt,$$ Money\n"
                                         "a2.txt,South $x$\n")
    clean_exit(run("analyze", corpus, "-m", corpus / "manifest.csv", "--out",
                   tmp_path / "report", "-q", "--n-boot", "100"), 0)
    assert (tmp_path / "report" / "figures" / "heatmap.png").is_file()
    import matplotlib.pyplot as plt

    from framing import plot

    fig, ax = plt.subplots()
    plot.dot_interval(pd.DataFrame({"measure": ["m"], "group": ["$$ Money"], "other": [""],
                                    "estimate": [1.0], "ci_low": [0.5], "ci_high": [1.5],
                                    "unit": ["article"]}), "m", ax=ax)
    fig.canvas.draw()
    assert ax.get_yticklabels()[0]._preprocess_math(ax.get_yticklabels()[0].get_text()) == \
        ("$$ Money", False)


def test_case_utf16_without_byte_order_mark(corpus):
    (corpus / "a2.txt").write_bytes(article(2).encode("utf-16-le"))
    loaded = framing.load_corpus(corpus, corpus / "manifest.csv")
    row = loaded.articles.set_index("article_id").loc["a2"]
    assert row["encoding"] == "utf-16-le" and row["text"].startswith("Story 2")
    assert loaded.problems["code"].tolist() == ["W-ENCODING"]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_case_manifest_not_in_utf8(corpus, encoding):
    text = "file,outlet\na0.txt,Le Monde diplomatique é\na1.txt,Süd\na2.txt,Nord\n"
    (corpus / "manifest.csv").write_bytes(text.encode(encoding))
    loaded = framing.load_corpus(corpus, corpus / "manifest.csv")
    assert loaded.articles["outlet"].tolist() == ["Le Monde diplomatique é", "Süd", "Nord"]


def test_case_empty_id_cell(corpus):
    (corpus / "manifest.csv").write_text("file,id,outlet\na0.txt,x0,North\na1.txt,,North\n"
                                         "a2.txt,x2,South\n")
    loaded = framing.load_corpus(corpus, corpus / "manifest.csv", id_column="id")
    assert loaded.articles["article_id"].tolist() == ["x0", "x2"]
    problem = loaded.problems.iloc[0]
    assert (problem["code"], problem["problem"]) == ("E-MANIFEST", "manifest row has an empty id")
    assert "line 3" in problem["path"]


def test_case_unbalanced_opening_quote():
    sentences = " ".join(f"Sentence number {i} tells more of the story." for i in range(60))
    text = f"The minister said “we will act. {sentences}"
    loaded = framing.load_corpus([text])
    shares = loaded.sentences["quote_share"]
    assert shares.iloc[0] > 0 and (shares.iloc[1:] == 0).all()  # the quote ends with its sentence
    log = loaded.quality[loaded.quality["step"] == "segment"]
    assert log["category"].tolist() == ["unbalanced_quote"]
    assert log["raw_start"].tolist() == [text.index("“")]


def test_case_article_that_is_only_a_heading(corpus):
    (corpus / "a1.txt").write_text("# Breaking: Markets React\n")
    analysis = framing.analyze(corpus, manifest=corpus / "manifest.csv")
    flagged = analysis.articles.set_index("article_id")["too_short"]
    assert flagged.to_dict() == {"a0": False, "a1": True, "a2": False}
    problems = analysis.corpus.problems
    assert problems.loc[problems["code"] == "W-TOO-SHORT", "article_id"].tolist() == ["a1"]
    counts = analysis.compare(n_boot=100).table.query("other == ''").groupby("group")["n_articles"].max()
    assert counts.to_dict() == {"North": 1, "South": 1}


def test_case_html_page_saved_as_text(corpus):
    page = ("<!DOCTYPE html><html><head><script>var x = 1;</script></head><body><div><p>"
            + WORDS + "</p></div></body></html>")
    (corpus / "a1.txt").write_text(page)
    (corpus / "report.pdf").write_bytes(b"%PDF-1.4 not an article")
    loaded = framing.load_corpus(corpus, corpus / "manifest.csv")
    codes = loaded.problems.set_index("article_id")["code"].to_dict()
    assert codes == {"a1": "W-MARKUP", "report": "E-UNSUPPORTED"}


def test_case_jsonl_with_a_broken_line(tmp_path):
    lines = [json.dumps({"id": f"x{i}", "text": article(i)}) for i in range(3)]
    lines.insert(1, '{"id": "bad", "text": "unterminated')
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n")
    loaded = framing.load_corpus(tmp_path / "t.jsonl")
    assert loaded.articles["article_id"].tolist() == ["x0", "x1", "x2"]
    assert loaded.problems["code"].tolist() == ["E-FORMAT"]
    assert loaded.problems["path"].iloc[0].endswith("t.jsonl (line 2)")
    out = clean_exit(run("measure", tmp_path / "t.jsonl", "--strict", "--out", tmp_path / "o",
                         "-q"), 2)
    assert "line 2" in out and not (tmp_path / "o").exists()


def test_case_csv_with_an_unclosed_quote(tmp_path):
    rows = ["id,outlet,text", f'x0,North,"{article(0)}"', f'x1,North,"{article(1)}',
            f'x2,South,"{article(2)}"', f"x3,South,{article(3).replace(',', '')}"]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    loaded = framing.load_corpus(tmp_path / "t.csv")
    assert loaded.articles["article_id"].tolist() == ["x0", "x2", "x3"]
    assert loaded.articles.set_index("article_id").loc["x2", "text"] == article(2)
    assert loaded.problems["code"].tolist() == ["E-FORMAT"]
    assert "(line 3)" in loaded.problems["path"].iloc[0]


def test_case_compare_a_csv_with_an_unclosed_quote(corpus, tmp_path):
    clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", tmp_path / "m",
                   "-q"), 0)
    from framing.measures.registry import compared_measures

    articles = pd.read_csv(tmp_path / "m" / "articles.csv")
    articles = articles[["article_id", "outlet", "n_sentences", *compared_measures()]]
    lines = articles.to_csv(index=False).splitlines()
    lines[2] = lines[2].replace(",North,", ',"North,', 1)
    (tmp_path / "broken.csv").write_text("\n".join(lines) + "\n")
    out = clean_exit(run("compare", tmp_path / "broken.csv", "--out", tmp_path / "c", "-q"), 2)
    assert "line 3" in out and "E-FORMAT" in out
    assert not (tmp_path / "c").exists()


def test_case_stream_ids_repeated_across_chunks(tmp_path):
    table = pd.DataFrame({"id": ["x0", "x1", "x2", "x0", "x3"], "outlet": ["A", "B", "A", "B", "B"],
                          "text": [article(i) for i in range(5)]})
    table.to_csv(tmp_path / "t.csv", index=False)
    clean_exit(run("measure", tmp_path / "t.csv", "--stream", "--chunk-size", "2", "-j", "1",
                   "--out", tmp_path / "o", "-q"), 0)
    articles = pd.read_parquet(tmp_path / "o" / "articles.parquet")
    problems = pd.read_parquet(tmp_path / "o" / "problems.parquet")
    assert articles["article_id"].tolist() == ["x0", "x1", "x2", "x3"]
    assert articles.set_index("article_id").loc["x0", "outlet"] == "A"  # the first one kept
    assert problems[["article_id", "code"]].values.tolist() == [["x0", "E-DUPLICATE-ID"]]


def test_case_skipped_inputs_summarised_in_the_terminal(corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    with (corpus / "manifest.csv").open("a") as handle:
        handle.write("empty.txt,North\nblob.txt,South\n")
    text = clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out",
                          tmp_path / "o"), 0)
    assert "2 input problem(s): 1 E-BINARY, 1 E-EMPTY" in text
    assert "[E-EMPTY]" in text and "remove it or add the article text" in text


def test_case_internal_error_has_no_traceback(corpus, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("framing.report.write_report", broken)
    out = clean_exit(run("analyze", corpus, "-m", corpus / "manifest.csv", "--out",
                         tmp_path / "r", "-q"), 70)
    assert "E-INTERNAL" in out and "simulated bug" in out and "FRAMING_DEBUG=1" in out
    assert not (tmp_path / "r").exists()


def test_case_many_articles_keep_figures_and_report_bounded(monkeypatch):
    from framing import plot
    from framing.report import render_report, report_sample

    texts = [article(i) for i in range(90)]
    analysis = framing.analyze(pd.DataFrame({"text": texts, "outlet": [f"O{i % 3}" for i in range(90)]}))
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    plot.story_arc(analysis.sentences, analysis.articles, ax=ax)
    assert len(ax.get_lines()) == 3 + 1  # a mean line per outlet and the zero line
    assert "too many for a line each" in ax.get_title()
    fig, ax = plt.subplots()
    plot.article_map(analysis.articles, ax=ax)
    labelled = [t for t in ax.texts if t.get_text()]
    assert len(labelled) <= plot.ARTICLE_MAP_LABELS
    assert f"{len(labelled)} of 90 articles labelled" in ax.get_title() or (
        not labelled and "no article labels" in ax.get_title())
    monkeypatch.setattr(plot, "ARTICLE_MAP_POINTS", 50)
    fig, ax = plt.subplots()
    plot.article_map(analysis.articles, ax=ax)
    assert sum(len(c.get_offsets()) for c in ax.collections) == 50
    assert "a random 50 of 90 articles drawn" in ax.get_title()
    shown = report_sample(analysis.articles, "outlet", limit=10)
    assert len(shown) == 10 and shown["outlet"].value_counts().to_dict() == {"O0": 4, "O1": 3,
                                                                             "O2": 3}
    many = analysis.articles.assign(outlet=[f"G{i}" for i in range(90)])
    from framing.report.figures import FigureInputs, draw_figures

    assert draw_figures(FigureInputs(many, analysis.sentences,
                                     analysis.compare(n_boot=100).table, analysis.keyness(),
                                     by="outlet")) == {}
    comparison = analysis.compare(n_boot=100)
    html = render_report(analysis, comparison, analysis.keyness(), {})
    assert "No figures were drawn" in html


def test_reliability_doc_lists_every_case():
    """docs/reliability.md and this module list the same cases."""
    doc = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, re.MULTILINE))
    tested = {name[len("test_case_"):] for name in globals() if name.startswith("test_case_")}
    assert documented == tested


def test_every_code_is_registered_and_documented():
    """Each code in the source is in framing.errors.REGISTRY, and docs/errors.md is the page
    the registry generates."""
    from framing.errors import REGISTRY, errors_markdown

    used = set()
    for path in (ROOT / "src" / "framing").rglob("*.py"):
        used |= set(re.findall(r"\"([EW]-[A-Z0-9-]+)\"", path.read_text(encoding="utf-8")))
    assert used <= set(REGISTRY), used - set(REGISTRY)
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == errors_markdown()
    with pytest.raises(ValueError, match="unregistered"):
        framing.InputError("x", code="E-NOT-A-CODE")


def test_framing_compare_leaves_too_short_articles_out(corpus, tmp_path):
    """framing compare reads the columns that decide which articles count (too_short,
    is_english), as a whole-corpus comparison does."""
    for i in range(3, 6):
        (corpus / f"a{i}.txt").write_text(article(i), encoding="utf-8")
    (corpus / "stub.txt").write_text("# Breaking: Markets React\n", encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "file,outlet\n" + "".join(f"a{i}.txt,{'North' if i < 3 else 'South'}\n" for i in range(6))
        + "stub.txt,North\n", encoding="utf-8")
    clean_exit(run("measure", corpus, "-m", corpus / "manifest.csv", "--out", tmp_path / "m",
                   "-q"), 0)
    for table in ("articles.parquet", "articles.csv"):
        out = tmp_path / f"c-{table}"
        clean_exit(run("compare", tmp_path / "m" / table, "--out", out, "--n-boot", "100", "-q"), 0)
        levels = pd.read_csv(out / "comparison.csv").query("other.isna()", engine="python")
        assert levels.groupby("group")["n_articles"].max().to_dict() == {"North": 3, "South": 3}
