"""Framing beyond the DeepSeek story: rules for any nation, the identity model, the gold sets,
and frames of your own (docs/measures.md, docs/models.md, docs/frames.md)."""

from __future__ import annotations

import json
import re
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import cli
from framing.lexicons import expand_terms, load_lexicons
from framing.measures.cue_model import load_model
from framing.measures.framing_cues import LEARNED_IDENTITY, framing_spans, sub_label


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicons()["framing"]


def _labels(sentence, lexicon, model=None):
    return sorted({(s.measure, sub_label(s.category)) for s in framing_spans(sentence, lexicon, model)})


@pytest.mark.parametrize("sentence, expected", [
    # identity appeals need a national referent, for any nation
    ("They should love our country.", [("nationalist", "identity")]),
    ("The Hungarian people will decide, not Brussels.", [("nationalist", "identity")]),
    ("It is in the national interest to act.", [("nationalist", "identity")]),
    ("Our team is proud of our people.", []),  # "our people" with no nation named
    ("It was a patriotic duty.", [("nationalist", "identity")]),  # patriotism: identity
    ("The Patriotic Front won.", []),  # a name
    ("We will protect our people and our values, China's leader said.",
     [("nationalist", "identity")]),
    # rivalry, pride and threat words count only beside a nation
    ("Clinton beat her rival in the Democratic race.", []),
    ("India is racing to beat China in chips.", [("nationalist", "rivalry")]),
    ("A triumph for the team.", []),
    ("A triumph for Brazil.", [("nationalist", "pride")]),
    ("Russian hackers targeted the vote.", [("nationalist", "threat")]),
    # names that contain a nation name no nation
    ("The New Mexico race tightened.", []),
    ("African American voters beat expectations.", []),
    # cautionary framing as news phrases it in any story, with exclusions
    ("It remains unclear whether the vaccine works.", [("cautionary", "cautionary")]),
    ("The plan raises questions about costs.", [("cautionary", "cautionary")]),
    ("Experts caution that it is too early to say.", [("cautionary", "cautionary")]),
    ("Social Security checks went out on Monday.", []),
    ("The fire is under control.", []),
    ("He is a national security adviser.", []),
])
def test_rules_for_any_nation_and_any_story(lexicon, sentence, expected):
    assert _labels(sentence, lexicon) == expected


def test_terms_name_sets_of_nations_and_common_words_stay_out():
    terms = expand_terms(["against {nation}", "the {demonym} people"])
    assert "against China" in terms and "against Brazil" in terms and "against the West" in terms
    assert "the Kenyan people" in terms and "the American people" in terms
    assert "against US" not in terms  # "against us" is not a nation
    assert "against US" in expand_terms(["against {nation}"], case_sensitive=True)
    # the packaged lexicon's hash covers the nations file
    assert load_lexicons()["framing"].sha256 != ""


def test_the_identity_model_adds_mentions_the_rules_miss_and_keeps_the_rules(lexicon):
    model = load_model("nationalist")
    assert model.label.startswith("nationalist-model@") and 0 < model.threshold < 1
    appeal = "How do you like paying for the settlements of your Congress, America?"
    plain = "American officials said the talks would resume on Monday."
    added = [s for s in framing_spans(appeal, lexicon, model) if s.category == LEARNED_IDENTITY]
    assert added and not _labels(appeal, lexicon)  # the rules alone miss it
    assert not [s for s in framing_spans(plain, lexicon, model)
                if s.category == LEARNED_IDENTITY]
    rules = framing_spans("Our country must beat China.", lexicon)
    assert set(rules) <= set(framing_spans("Our country must beat China.", lexicon, model))


def test_in_group_words_are_candidates_where_no_rule_and_no_nation_covers_them(lexicon):
    """"our", "the country" and "national" are the model's candidates (never framing by
    themselves), with their own rule feature, in a sentence that names a nation (a bare "our"
    is not enough); not inside a rule's span, a nation mention or an institution's name."""
    from framing.measures.framing_cues import CANDIDATE_RULES, IN_GROUP, sentence_candidates

    sentence = "Our officers serve the country, China's national security adviser said."
    spans, candidates = sentence_candidates(sentence, lexicon)
    assert not spans
    assert [(c.term, CANDIDATE_RULES[c.category]) for c in candidates] == [
        ("our", IN_GROUP), ("the country", IN_GROUP), ("china", "mention")]
    spans, candidates = sentence_candidates("Our country comes first for our nation.", lexicon)
    assert [s.term for s in spans] == ["our country", "our nation"] and not candidates
    assert not _labels("Our officers serve the country.", lexicon)
    assert sentence_candidates("Our officers serve the country.", lexicon) == ([], [])


def test_the_identity_threshold_is_the_highest_recall_at_the_precision_asked():
    from framing.evaluation.training import IDENTITY_MIN_PRECISION, operating_threshold

    low = IDENTITY_MIN_PRECISION - 0.01
    figures = {0.05: {"precision": low, "recall": 0.60}, 0.08: {"precision": 0.36, "recall": 0.50},
               0.1: {"precision": 0.40, "recall": 0.50}, 0.2: {"precision": 0.45, "recall": 0.40}}
    assert operating_threshold(figures) == 0.1  # 0.05 is under the precision; a tie: the higher
    assert operating_threshold({0.05: {"precision": low, "recall": 0.6},
                                0.3: {"precision": low, "recall": 0.2}}) == 0.3


def test_the_written_without_estimate_offers_the_model_what_dropped_rules_covered():
    """A candidate match under a rule span is judged by the model, in the estimate, only when
    every span over it is an identity rule left out for that fold (a rivalry rule stays)."""
    from framing.evaluation.training import _offered

    covered = [(0, (0, 3), ["f"], True, [((0, 12), "identity")]),  # "our soldiers", dropped
               (0, (20, 25), ["f"], False, [((14, 25), "rivalry")]),  # "against China"
               (0, (30, 33), ["f"], True, [((30, 43), "identity")]),  # kept below
               (1, (0, 3), ["f"], True, [((0, 12), "identity")])]  # not held out
    kept = [(0, (30, 43), "identity", "our nation")]
    assert _offered(covered, kept, {0}) == [(0, (0, 3), ["f"], True)]


def test_learned_identity_is_visible_and_off_without_models():
    text = ["How do you like paying for the settlements of your Congress, America?"]
    with_model = framing.analyze(text)
    learned = with_model.matches[with_model.matches["category"] == LEARNED_IDENTITY]
    assert len(learned) and learned["lexicon_version"].str.startswith("nationalist-model@").all()
    assert with_model.sentences["frame_labels"].iloc[0] == "identity"
    without = framing.analyze(text, models=False)
    assert not (without.matches["category"] == LEARNED_IDENTITY).any()
    assert not without.sentences["nationalist"].iloc[0]


def test_the_gold_sets_are_what_the_seeded_draw_gives_and_labelled_before_tuning(validation_dir):
    """The out-of-story sentences are exactly those the seeded draw gives, in its order, and
    the labels in the file are those of the commit its header names (nothing tuned them
    later)."""
    from framing.evaluation.gold import draw_sentences
    from framing.evaluation.data import gold_header, load_gold

    gold = load_gold(name="out_of_story")
    assert [r["text"] for r in gold] == [r["text"] for r in draw_sentences(validation_dir)]
    assert len(gold) >= 300
    header = gold_header("out_of_story")
    commit = header["labelled_in_commit"]
    shown = subprocess.run(["git", "show", f"{commit}:src/framing/data/gold_out_of_story.jsonl"],
                           capture_output=True, text=True, cwd=framing.__file__.rsplit("/src/", 1)[0])
    if shown.returncode != 0:
        pytest.skip("no git history here (a source archive): the labelling commit cannot be read")
    then = [json.loads(line) for line in shown.stdout.splitlines() if line.strip()]
    assert [(r["text"], r["labels"]) for r in then] == [(r["text"], r["labels"]) for r in gold]
    rows = load_gold(name="frame_dev")
    dev = {r["text"] for r in rows}
    assert not dev & {r["text"] for r in gold}  # the tuning set never holds a gold sentence
    # each development sentence once, by text and by origin, and none from the other gold sets
    assert len(dev) == len(rows) == len({r["origin"] for r in rows})
    assert not dev & {r["text"] for name in ("seeds", "deepseek") for r in load_gold(name=name)}


@pytest.mark.parametrize("name, sample", [("out_of_story", None), ("frame_dev", 200)])
def test_a_second_coding_is_scored_against_both_codings_on_the_sentences_it_holds(name, sample):
    """The out-of-story second coding holds exactly its set's sentences, the development one a
    seeded sample of 200 drawn as its header says; validate_gold scores coder against coder and
    the tool against the second coder on those sentences, counted here by hand."""
    import numpy as np
    from framing.evaluation.data import SECOND_CODINGS, load_gold
    from framing.evaluation.validate import _second_coding, validate_gold

    first = load_gold(name=name)
    second = load_gold(name=name, sets=SECOND_CODINGS)
    if sample is None:
        assert [r["origin"] for r in second] == [r["origin"] for r in first]
    else:  # the header's draw: 200 of the random batches' rows, in file order
        pool = [r for r in first if r["drawn"].startswith("random")]
        picked = sorted(np.random.default_rng(37).choice(len(pool), sample, replace=False))
        assert [r["origin"] for r in second] == [pool[k]["origin"] for k in picked]
    figures = validate_gold(name=name)["second_coding"]
    assert (figures["n_sentences"], figures["of"]) == (len(second), len(first))
    by_origin = {r["origin"]: r["labels"] for r in first}
    for label in ("nationalist", "cautionary"):
        a = [by_origin[r["origin"]][label] for r in second]
        b = [r["labels"][label] for r in second]
        both = sum(x and y for x, y in zip(a, b))
        coders = figures["labels"][label]["coders"]
        assert coders["precision"] == pytest.approx(both / sum(b))
        assert coders["recall"] == pytest.approx(both / sum(a))
        assert coders["positives"] == sum(a) and figures["labels"][label]["tool"]["positives"] == sum(b)
        assert coders["kappa"] >= 0.75  # two codings of the codebook agree (docs/validation.md)
    lacking = [r for r in first if r["origin"] != second[0]["origin"]]
    for gold, again in ((lacking, second), (first, second + second[:1])):
        with pytest.raises(ValueError, match="twice or one the gold set lacks"):
            _second_coding(gold, again, None)


def test_framing_targets_on_sentences_not_tuned_on():
    """Floors a little under what framing reaches (docs/validation.md has the figures); the
    seed and DeepSeek sets lose nothing."""
    from framing.evaluation.validate import validate_gold

    seeds, deepseek = validate_gold(name="seeds"), validate_gold(name="deepseek")
    assert seeds["nationalist"]["f1"] >= 0.94 and seeds["cautionary"]["f1"] >= 0.91
    assert deepseek["nationalist"]["f1"] >= 0.93 and deepseek["cautionary"]["f1"] >= 0.66
    out = validate_gold(name="out_of_story")
    assert out["nationalist"]["positives"] == 22 and out["cautionary"]["positives"] == 38
    assert out["nationalist"]["f1"] >= NATIONALIST_FLOOR
    assert out["cautionary"]["f1"] >= CAUTIONARY_FLOOR
    for label in ("nationalist", "cautionary"):  # 22 and 38 positives: wide intervals
        low, high = out[label]["f1_interval"]
        assert low < out[label]["f1"] < high and high - low > 0.2


@pytest.mark.parametrize("n, truth, said", [(49, 0.4, 0.4), (320, 0.07, 0.05), (1597, 0.14, 0.2),
                                           (30, 0.1, 0.0), (12, 0.0, 0.3)])
def test_the_gold_tables_f1_interval_is_the_bootstrap_of_scikit_learns_f1(n, truth, said):
    """f1_interval counts the resamples at once; bootstrap_interval calls f1_score on each:
    the same seed gives the same interval, to the last bit (NaNs when every resample has one
    class)."""
    import numpy as np
    from sklearn.metrics import f1_score

    from framing.evaluation.frames import bootstrap_interval, f1_interval

    rng = np.random.default_rng(n)
    y, predicted = rng.random(n) < truth, rng.random(n) < said
    expected = bootstrap_interval(y, predicted, lambda a, b: f1_score(a, b, zero_division=0),
                                  n_boot=300, seed=3)
    assert f1_interval(y, predicted, n_boot=300, seed=3) == pytest.approx(expected, nan_ok=True)


#: Floors on the out-of-story gold set, a little under the figures reached (docs/validation.md).
NATIONALIST_FLOOR = 0.45
CAUTIONARY_FLOOR = 0.45


@pytest.mark.slow
def test_flag_waving_cross_validated_by_document(validation_dir):
    from framing.evaluation.training import cross_validate_identity_model

    figures = cross_validate_identity_model(validation_dir, load_lexicons()["framing"])
    assert figures["identity"]["recall"] >= 0.50 and figures["identity"]["precision"] >= 0.33
    assert figures["documents"] == 371
    # without the rules drawn from each fold's own documents, recall falls (docs/validation.md)
    honest = figures["identity_rules_written_without"]
    assert 0.40 <= honest["recall"] < figures["identity"]["recall"] and honest["precision"] >= 0.30


def test_rules_written_without_keeps_what_a_writer_had_without_those_documents():
    """A rule's span in a held-out document stays when the codebook gives the rule, when the
    rule hits Flag-Waving in another document, or when it matches a nationalist gold sentence
    from elsewhere; a rule learned only from the held-out documents goes."""
    from framing.evaluation.training import rules_written_without
    from framing.lexicons import term_templates

    docs = [{"article_id": 7}, {"article_id": 8}, {"article_id": 9}]
    rules = [(0, (0, 9), "identity", "our nation"),  # the codebook's own term
             (0, (20, 34), "identity", "american blood"),  # "{demonym} blood"
             (0, (40, 51), "identity", "french flag"),  # "{demonym} flag"
             (0, (60, 71), "identity", "u.s. dead"),  # "{demonym} dead"
             (1, (0, 14), "identity", "british blood")]
    templates = term_templates("framing")
    support = ({"{demonym} blood": {0, 1}, "{demonym} dead": {0}},  # Flag-Waving hits
               {"{demonym} flag": {"7"}})  # gold sentences, by PTC article id
    kept = rules_written_without(docs, rules, support, templates, {0})
    assert [r[3] for r in kept] == ["our nation", "american blood"]
    support[1]["{demonym} flag"] = {None}  # now the gold sentence comes from elsewhere
    kept = rules_written_without(docs, rules, support, templates, {0})
    assert [r[3] for r in kept] == ["our nation", "american blood", "french flag"]
    assert [r[3] for r in rules_written_without(docs, rules, support, templates, {1})] == [
        "british blood"]
    assert [r[3] for r in rules_written_without(docs, rules, support, templates, {0, 1})] == [
        "our nation", "french flag"]


def test_train_frame_on_a_public_label_and_use_it(validation_dir, tmp_path):
    """PTC's Loaded_Language sentences: train, read the report, measure with the model."""
    from framing.evaluation.frames import ptc_sentences
    from framing.measures.frames import load_frame_model

    sentences = ptc_sentences(validation_dir, "Loaded_Language")
    sentences.to_csv(tmp_path / "loaded.csv", index=False)
    model_path = tmp_path / "loaded.json"
    result = CliRunner().invoke(cli, ["train-frame", str(tmp_path / "loaded.csv"), "--name",
                                      "loaded_language", "--description", "loaded language",
                                      "--group-column", "article_id", "-o", str(model_path)])
    assert result.exit_code == 0, result.output
    assert "Cohen's kappa" in result.output and "Most informative" in result.output
    model = load_frame_model(model_path)
    figures = model.training["cross_validated"]
    assert figures["grouped"] and figures["sentences"] == len(sentences)
    assert 0.25 <= figures["f1"] <= 0.6 and figures["f1_interval"][0] < figures["f1"]
    assert figures["f1"] < figures["f1_interval"][1] and figures["kappa"] > 0.15
    assert (tmp_path / "loaded.md").read_text(encoding="utf-8").startswith("# Frame model")
    assert "pickle" not in model_path.read_text(encoding="utf-8")[:200]
    # the same file and options give the same model file
    again = CliRunner().invoke(cli, ["train-frame", str(tmp_path / "loaded.csv"), "--name",
                                     "loaded_language", "--description", "loaded language",
                                     "--group-column", "article_id", "-o", str(model_path),
                                     "--force", "-q"])
    assert again.exit_code == 0 and load_frame_model(model_path).sha256 == model.sha256
    # the stored pipeline scores like the sentences it was trained on
    texts = sentences["text"].tolist()[:400]
    probabilities = model.probabilities(texts)
    assert ((probabilities >= 0.5) == model.pipeline.predict(texts).astype(bool)).all()
    # its evidence: the words that add most to each probability, largest first, each in the
    # sentence and pulling towards the frame (weights recomputed from the stored numbers)
    evidence = model.evidence(texts)
    assert [p for p, _ in evidence] == pytest.approx(probabilities.tolist())
    assert sum(bool(words) for _, words in evidence) > 300
    tfidf = model.pipeline.named_steps["tfidf"]
    for text, (_, words) in zip(texts, evidence):
        weights = {t: tfidf.transform([text])[0, model.vocabulary[t]] * model.coef[model.vocabulary[t]]
                   for t in words}
        assert len(words) <= 3 and all(w > 0 for w in weights.values())
        assert [weights[t] for t in words] == sorted(weights.values(), reverse=True)
        tokens = re.findall(r"(?u)\b\w\w+\b", text.lower())  # as the vectorizer reads them
        assert all(any(tokens[k:k + len(t.split())] == t.split() for k in range(len(tokens)))
                   for t in words)

    with framing.measures.registry.registered():
        ranked = sorted(zip(probabilities, texts))
        framed_text, plain_text = ranked[-1][1], ranked[0][1]
        corpus = [f"{framed_text} The council met on Tuesday.", f"{plain_text} It rained."] * 2
        analysis = framing.analyze(pd.DataFrame({"text": corpus, "outlet": ["a", "a", "b", "b"]}),
                                   frame_models=[model_path])
        column = analysis.sentences["frame_loaded_language"]
        assert column.notna().all() and set(column) <= {True, False}
        framed = analysis.matches[analysis.matches["measure"] == "frame"]
        assert len(framed) == column.sum() and (framed["category"] == "loaded_language").all()
        (probability, words), = model.evidence([framed_text])  # the report's title shows both
        assert (framed["term"] == f"p={probability:.2f}: {', '.join(words)}").sum() >= 2
        shares = analysis.articles["frame_loaded_language_share"]
        assert shares.between(0, 1).all() and shares.iloc[0] > shares.iloc[1]
        table = analysis.compare(n_boot=100).table
        assert (table["measure"] == "frame_loaded_language_share").any()
        assert "[F:" in str(framing.explain(analysis, analysis.articles["article_id"].iloc[0]))
        # measured without the model: empty, never zero
        plain = framing.analyze(corpus)
        assert plain.articles["frame_loaded_language_share"].isna().all()
    assert "frame_loaded_language_share" not in framing.measures.registry.article_measures()


def test_train_frame_explains_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,tag\nA,maybe\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["train-frame", str(bad), "--name", "x", "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and "no column 'text'" in result.output
    result = runner.invoke(cli, ["train-frame", str(bad), "--name", "x", "--text-column",
                                 "sentence", "--label-column", "tag", "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and "not true or false" in result.output
    few = tmp_path / "few.csv"
    pd.DataFrame({"text": [f"s {k}" for k in range(30)], "label": [1] * 3 + [0] * 27}).to_csv(few)
    result = runner.invoke(cli, ["train-frame", str(few), "--name", "x", "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and "3 positive" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "m.json").exists()
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"format": "something else"}', encoding="utf-8")
    result = runner.invoke(cli, ["measure", str(few), "--text-column", "text", "--frame-model",
                                 str(bogus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "not a frame model" in result.output


def test_classroom_answer_sheets_train_a_frame(seeds_dir, tmp_path):
    """The worksheet's items.csv gives the answer sheets their sentences."""
    from framing.evaluation.frames import read_labelled

    lesson = tmp_path / "lesson"
    result = CliRunner().invoke(cli, ["classroom", str(seeds_dir), "-m", str(seeds_dir / "manifest.csv"),
                                      "--out", str(lesson), "--sentences", "12", "-q"])
    assert result.exit_code == 0, result.output
    items = pd.read_csv(lesson / "items.csv")
    template = pd.read_csv(lesson / "answers_template.csv", dtype=str, keep_default_na=False)
    answers = []
    for student in ("ann", "bo", "cy"):
        sheet = template.assign(student=student)
        ticked = sheet["label"].eq("nationalist") & sheet["item"].isin(items["item"].iloc[:5])
        if student == "cy":  # one student disagrees on one item: the majority decides
            ticked &= sheet["item"] != items["item"].iloc[0]
        sheet.loc[sheet["label"] != "answer", "value"] = ticked.map({True: "1", False: "0"})
        answers.append(sheet)
    pd.concat(answers).to_csv(tmp_path / "answers.csv", index=False)
    texts, labels, groups = read_labelled(tmp_path / "answers.csv", label_column="nationalist",
                                          items=lesson / "items.csv")
    assert texts == items["text"].tolist() and groups is None
    assert labels == [True] * 5 + [False] * (len(items) - 5)


def test_a_worker_without_the_registration_measures_the_frame(tmp_path):
    """A worker process started with spawn has a fresh registry: measuring an article there
    registers the configuration's frame models first (what fork gives for free)."""
    from framing.evaluation.frames import train_frame
    from framing.measures import MeasureConfig, _measure_chunk, registry

    texts = [f"Corrupt thugs and shameful liars number {k}." for k in range(12)] + \
        [f"The council met on day {k}." for k in range(12)]
    model = train_frame(texts, [True] * 12 + [False] * 12, name="insult", n_boot=50)
    with registry.registered():
        with registry.registered():
            config = MeasureConfig.load(frame_models=[model])
        assert "frame:insult" not in registry.families()  # as in a freshly started worker
        text = "Corrupt thugs and shameful liars again."
        [(columns, matches)] = _measure_chunk(config, [("a", text, {"start": [0], "end": [len(text)],
                                                                    "sentence_index": [0]}, True, None)])
        assert columns["frame_insult"] == [True] and matches[-1][4] == "frame"


def test_sentence_model_alternative_learns_without_the_out_of_story_set():
    """`framing validate`'s learned alternative to the rules: trained on the identity model's
    gold sets only, scored on the out-of-story sentences (counted here by hand)."""
    from framing.evaluation.data import load_gold
    from framing.evaluation.training import IDENTITY_GOLD, train_sentence_model
    from framing.evaluation.validate import _sentence_model_lines, validate_frame_sentence_models

    figures = validate_frame_sentence_models()
    rows = [r for name in IDENTITY_GOLD for r in load_gold(name=name)]
    assert "out_of_story" not in IDENTITY_GOLD and figures["sentences"] == len(rows)
    held_out = load_gold(name="out_of_story")
    gold = [r["labels"]["cautionary"] for r in held_out]
    model = train_sentence_model("cautionary")
    said = model.probabilities([r["text"] for r in held_out]) >= model.threshold
    hits = sum(g and s for g, s in zip(gold, said))
    figure = figures["cautionary"]["out_of_story"]
    assert figure["positives"] == sum(gold) == 38
    assert figure["recall"] == pytest.approx(hits / sum(gold))
    assert figure["precision"] == pytest.approx(hits / sum(said))
    text = "\n".join(_sentence_model_lines(figures))
    assert "| cautionary | on the out-of-story sentences |" in text
