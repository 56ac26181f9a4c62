"""The classroom kit: worksheet, teacher key, answers and agreement."""

import csv

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.classroom import CODE_LABELS, TASKS, build_kit, render_kit
from framing.classroom.masking import known_names, mask, name_pattern
from framing.classroom.agreement import agreement, read_answers
from framing.cli import cli
from framing.errors import ConfigurationError, InputError


@pytest.fixture(scope="module")
def seeds_analysis(seed_corpus):
    return framing.analyze(seed_corpus)


@pytest.fixture(scope="module")
def kit_folder(seeds_analysis, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lesson")
    kit = build_kit(seeds_analysis, n_sentences=10, seed=4)
    render_kit(kit, folder)
    return kit, folder


def test_worksheet_is_anonymised_and_numbered(kit_folder, seeds_analysis):
    kit, folder = kit_folder
    sheet = (folder / "worksheet.html").read_text(encoding="utf-8")
    assert sorted(kit.letters) == ["A", "B", "C", "D", "E"]
    for row in seeds_analysis.articles.itertuples():
        for name in (row.outlet, row.publisher, row.original_source):
            if isinstance(name, str) and len(name) >= 4:
                assert name not in sheet, name
        assert row.article_id not in sheet
    assert "http" not in sheet.lower().replace("http-equiv", "")
    assert ">A1<" in sheet and ">E1<" in sheet
    for task in TASKS:
        assert f'name="task:{task}"' in sheet
    assert sheet.count('type="checkbox"') == 10 * len(CODE_LABELS)
    assert "@media print" in sheet and "<script src" not in sheet and "<link" not in sheet


def test_selection_is_reproducible_and_mixed(seeds_analysis):
    kit_a = build_kit(seeds_analysis, n_sentences=12, seed=1)
    kit_b = build_kit(seeds_analysis, n_sentences=12, seed=1)
    kit_c = build_kit(seeds_analysis, n_sentences=12, seed=2)
    assert kit_a.coded["item"].tolist() == kit_b.coded["item"].tolist()
    assert kit_a.letters == kit_b.letters
    assert kit_a.coded["item"].tolist() != kit_c.coded["item"].tolist()
    labels = kit_a.coded[list(CODE_LABELS)]
    assert 3 <= labels.any(axis=1).sum() <= 9  # some with labels, some without
    assert not kit_a.coded["is_heading"].any()


def test_expected_answers_follow_the_figures(kit_folder):
    kit, folder = kit_folder
    figures = kit.articles.set_index("letter")
    assert kit.expected["most_hedged"]["tied"][0] == figures["hedges_per_1k"].idxmax()
    assert kit.expected["contest"]["tied"][0] == figures["nationalist_share"].idxmax()
    assert kit.expected["cautious"]["tied"][0] == figures["cautionary_share"].idxmax()
    for item in kit.expected["contest"]["evidence"]:
        row = kit.sentences.set_index("item").loc[item["item"]]
        assert row["nationalist"]
    key = (folder / "teacher_key.html").read_text(encoding="utf-8")
    for row in kit.articles.itertuples():
        assert row.outlet in key  # the key reveals the outlets
    assert "Discussion questions" in key and "fr-article" in key


def test_level_changes_the_language(seeds_analysis, tmp_path):
    render_kit(build_kit(seeds_analysis, level="university", n_sentences=4), tmp_path)
    assert "epistemic" in (tmp_path / "worksheet.html").read_text(encoding="utf-8")
    with pytest.raises(ConfigurationError):
        build_kit(seeds_analysis, level="kindergarten")
    with pytest.raises(ConfigurationError, match="no article"):
        build_kit(seeds_analysis, articles=["nope"])


def test_masking_hides_every_name_an_outlet_goes_by():
    pattern = name_pattern(known_names(["Forbes", "cnn", "BBC News", "reuters.com", "fox"]))
    text = mask("As Forbes reported at https://forbes.com/x, FORBES said so. New York CNN — "
                "the minister told the BBC. BEIJING (Reuters) - calm. Fox News and FOX NEWS "
                "agreed; a fox ran; the Forbes-backed fund.", pattern)
    for name in ("Forbes", "FORBES", "CNN", "BBC", "Reuters", "Fox News", "FOX NEWS", "http"):
        assert name not in text, name
    assert "[link removed]" in text and "a fox ran" in text  # the animal stays
    assert "New York [name hidden] —" in text and "told the [name hidden]" in text
    # short names are whole words in their own case: AP hides "AP", not "Apple" or "map"
    ap = name_pattern(known_names(["Associated Press"]))
    assert mask("AP and the Associated Press; Apple maps", ap) == \
        "[name hidden] and the [name hidden]; Apple maps"
    # an unknown lower-case id is hidden in any case
    assert mask("Daily Planet, DAILYPLANET, dailyplanet", name_pattern(known_names(
        ["dailyplanet", "Daily Planet"]))).count("[name hidden]") == 3


def test_a_name_that_escapes_the_masking_stops_the_build(seeds_analysis, tmp_path):
    from framing.errors import FramingError

    kit = build_kit(seeds_analysis, n_sentences=4, seed=0)
    # a sentence students would see, shown unmasked
    name = kit.articles["publisher"].dropna().iloc[0]
    kit.sentences.loc[kit.sentences.index[0], "display"] = f"As {name} reported."
    with pytest.raises(FramingError, match="would still name") as caught:
        render_kit(kit, tmp_path)
    assert caught.value.code == "E-NAME-LEFT"


def test_discussion_questions_follow_the_articles(seeds_analysis):
    from framing.classroom import _discussion

    table = seeds_analysis.articles.head(3).reset_index(drop=True)
    by_id = dict(zip(table["article_id"], "ABC"))
    plain = _discussion(table.assign(original_source=table["publisher"]), "school", by_id)
    assert not any("copy" in q or "first written" in q for q in plain)
    copied = pd.concat([table, table.head(1).assign(article_id="copy")], ignore_index=True)
    questions = _discussion(copied, "school", dict(by_id, copy="D"))
    assert any("Articles A and D" in q for q in questions)


def test_ties_are_given_as_ties():
    from framing.classroom import _ties

    values = pd.Series({"A": 0.40, "B": 0.41, "C": 0.10})
    assert _ties(values, "highest") == ["B", "A"]
    assert _ties(values, "lowest") == ["C"]
    assert _ties(pd.Series({"A": 0.0, "B": 0.0, "C": 0.2}), "lowest") == ["A", "B"]


def test_either_article_of_a_tie_agrees_with_the_tool(kit_folder, tmp_path):
    kit, folder = kit_folder
    key = pd.read_csv(folder / "key.csv", dtype=str, keep_default_na=False)
    tied = key.copy()
    tied.loc[tied["item"] == "task:contest", "value"] = "A/C"
    tied.to_csv(tmp_path / "key.csv", index=False)
    for student, answer, agrees in (("Ada", "C", True), ("Bo", "A", True), ("Cy", "B", False)):
        sheet = key.assign(student=student)
        sheet.loc[sheet["item"] == "task:contest", "value"] = answer
        sheet.to_csv(tmp_path / f"{student}.csv", index=False)
    result = agreement([tmp_path / f"{s}.csv" for s in ("Ada", "Bo", "Cy")], tmp_path)
    contest = result.tasks[result.tasks["task"] == "contest"].set_index("student")
    assert contest["matches_tool"].to_dict() == {"Ada": True, "Bo": True, "Cy": False}


def test_every_coded_label_has_positives_where_the_articles_have_them(seeds_analysis):
    for seed in range(5):
        kit = build_kit(seeds_analysis, n_sentences=10, seed=seed)
        pool = kit.sentences[~kit.sentences["is_heading"].astype(bool)
                             & (kit.sentences["text"].str.split().str.len() >= 6)]
        available = {"nationalist": pool["nationalist"].any(),
                     "cautionary": pool["cautionary"].any(),
                     "hedge": (pool["hedges"] > 0).any(), "attributed": pool["attributed"].any()}
        for label in CODE_LABELS:
            if available[label]:
                assert kit.coded[label].sum() >= 1, (seed, label)


def test_the_key_shows_readable_labels_only(kit_folder):
    _, folder = kit_folder
    key = (folder / "teacher_key.html").read_text(encoding="utf-8")
    assert "named_voice_share" not in key and "hedges_per_1k" not in key


def test_a_large_corpus_gives_a_balanced_sample_with_names_hidden(validation_dir, tmp_path):
    """192 BASIL articles of three outlets (ids fox, nyt, hpo): six chosen, two per outlet,
    listed; no outlet name left on the worksheet."""
    import json

    rows = [json.loads(line) for line in
            (validation_dir / "stories" / "basil_dev.jsonl").open(encoding="utf-8")]
    path = tmp_path / "basil.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows[:120]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["classroom", str(path), "--out", str(tmp_path / "lesson")])
    assert result.exit_code == 0, result.output
    assert "chose 6" in result.output
    key = (tmp_path / "lesson" / "teacher_key.html").read_text(encoding="utf-8")
    assert 'id="sample"' in key
    sheet = (tmp_path / "lesson" / "worksheet.html").read_text(encoding="utf-8")
    for name in ("Fox News", "New York Times", "HuffPost", "Huffington Post", "NYT"):
        assert name not in sheet, name
    assert sheet.count('class="box art"') == 6


def test_outlet_ids_with_punctuation_hide_the_outlets_names(validation_dir, tmp_path):
    """PolNeAR names its outlets usa-today, west-journal, huff-post, wash-post: the worksheet
    of articles that name their own outlet ("a USA TODAY investigation found", "As reported by
    Western Journalism") shows none of those names."""
    import json
    import re

    from framing.classroom.masking import known_names

    assert {"USA Today", "HuffPost", "Washington Post", "Western Journalism"} <= set(
        known_names(["usa-today", "huff-post", "wash-post", "west-journal"]))
    names = {"usa-today": "USA TODAY", "west-journal": "Western Journalism",
             "huff-post": "HuffPost", "wash-post": "Washington Post"}
    rows, seen = [], set()
    for line in (validation_dir / "attribution" / "polnear_train.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        name = names.get(row["publisher"])
        if name and row["publisher"] not in seen and re.search(rf"\b{name}\b", row["text"]):
            seen.add(row["publisher"])
            rows.append(row)
    assert len(rows) >= 3
    path = tmp_path / "polnear.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["classroom", str(path), "--outlet-column", "publisher",
                                      "--id-column", "doc_id", "--out", str(tmp_path / "lesson")])
    assert result.exit_code == 0, result.output
    sheet = (tmp_path / "lesson" / "worksheet.html").read_text(encoding="utf-8")
    for publisher in seen:
        assert names[publisher] not in sheet and publisher not in sheet, publisher


def test_articles_are_named_one_by_one_or_in_a_file(seeds_analysis, seeds_dir, tmp_path):
    ids = sorted(seeds_analysis.articles["article_id"])[:3]
    listing = tmp_path / "ids.txt"
    listing.write_text("\n".join(ids[1:]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["classroom", str(seeds_dir), "-m",
                                      str(seeds_dir / "manifest.csv"), "--articles", ids[0],
                                      "--articles-file", str(listing), "--out",
                                      str(tmp_path / "l"), "-q"])
    assert result.exit_code == 0, result.output
    assert "articles A, B, C," in result.output
    # an id holding a comma is one id
    frame = pd.DataFrame({"id": ["a,1", "b", "c"], "outlet": ["X", "Y", "Z"],
                          "text": ["Officials said the plan may fail, experts warned today."] * 3})
    kit = build_kit(framing.analyze(frame), articles=["a,1", "b"], n_sentences=2)
    assert sorted(kit.letters.values()) == ["a,1", "b"]


def _fill(template: pd.DataFrame, student: str, flip: set[str], tasks: dict) -> pd.DataFrame:
    filled = template.copy()
    filled["student"] = student
    for i, row in filled.iterrows():
        if row["label"] == "answer":
            filled.at[i, "value"] = tasks.get(row["item"], "")
    return filled


def test_agreement_of_students_with_the_tool(kit_folder, tmp_path):
    kit, folder = kit_folder
    key = pd.read_csv(folder / "key.csv", dtype=str)
    perfect = key.assign(student="Ada")
    flipped = key.assign(student="Bo")
    codes = flipped["label"] != "answer"
    flipped.loc[codes, "value"] = flipped.loc[codes, "value"].map({"0": "1", "1": "0"})
    perfect.to_csv(tmp_path / "ada.csv", index=False)
    flipped.to_csv(tmp_path / "bo.csv", index=False)
    result = agreement([tmp_path / "ada.csv", tmp_path / "bo.csv"], folder)
    ada = result.per_student[result.per_student["student"] == "Ada"]
    bo = result.per_student[result.per_student["student"] == "Bo"]
    assert (ada["agree"] == 1).all() and (bo["agree"] == 0).all()
    assert ada["kappa"].dropna().tolist() == pytest.approx([1.0] * ada["kappa"].notna().sum())
    # always disagreeing: kappa at or below chance for every label (-1 only with balanced margins)
    assert (bo["kappa"].dropna() <= 0).all() and (bo["kappa"] < -0.4).any()
    # two students who always disagree: alpha well below zero
    assert (result.group["alpha_students"].dropna() < 0).all()
    assert len(result.disagreements) == 10 * len(CODE_LABELS)
    assert result.tasks["matches_tool"].all()  # both copied the key's task answers
    ax = result.figure()
    assert ax.get_title()


def test_agreement_command_and_bad_answers(kit_folder, tmp_path):
    kit, folder = kit_folder
    key = pd.read_csv(folder / "key.csv", dtype=str)
    key.assign(student="Cy").to_csv(tmp_path / "cy.csv", index=False)
    out = tmp_path / "agree"
    result = CliRunner().invoke(cli, ["agreement", str(tmp_path / "cy.csv"), "--key", str(folder),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "agreement.png").stat().st_size > 1000
    assert set(pd.read_csv(out / "agreement.csv")["student"]) == {"Cy"}
    bad = tmp_path / "bad.csv"
    bad.write_text("student,item,label,value\nDee,A1,hedge,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_answers(bad)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,answer\nx,y\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["agreement", str(wrong), "--key", str(folder)])
    assert result.exit_code == 2 and "wrong.csv" in result.output


def test_classroom_command(seeds_dir, tmp_path):
    out = tmp_path / "lesson"
    result = CliRunner().invoke(cli, ["classroom", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                      "--out", str(out), "--sentences", "6", "--seed", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"worksheet.html", "teacher_key.html",
                                               "answers_template.csv", "key.csv", "items.csv",
                                               "provenance.json"}
    rows = list(csv.DictReader((out / "answers_template.csv").open(encoding="utf-8")))
    assert len(rows) == len(TASKS) + 6 * len(CODE_LABELS)


def test_blank_answer_sheets_are_left_out_with_a_warning(kit_folder, tmp_path):
    kit, folder = kit_folder
    key = pd.read_csv(folder / "key.csv", dtype=str)
    key.assign(student="Cy").to_csv(tmp_path / "cy.csv", index=False)
    out = tmp_path / "agree"
    result = CliRunner().invoke(cli, ["agreement", str(tmp_path / "cy.csv"),
                                      str(folder / "answers_template.csv"), "--key", str(folder),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "answers_template.csv: a blank answer sheet" in result.output
    assert set(pd.read_csv(out / "agreement.csv")["student"]) == {"Cy"}
    with pytest.raises(InputError, match="every answer sheet is blank"):
        agreement([folder / "answers_template.csv"], folder)
