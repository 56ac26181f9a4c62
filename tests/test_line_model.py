"""The page-furniture line model (framing.clean.lines, framing.evaluation.lines)."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

import framing
from framing.clean import clean_text, load_furniture_rules
from framing.clean.lines import (CONTEXT_FEATURES, LINE_FEATURES, context_features, line_features,
                                 line_model_from_json, load_line_model)
from framing.errors import ConfigurationError

PROSE = [
    "Regulators in three countries opened reviews of the company's data practices on Monday, "
    "officials said, after a week in which its app topped the download charts.",
    "The company did not respond to a request for comment, and analysts said the outcome of the "
    "reviews could take months to become clear.",
    "Shares of chip makers fell sharply as investors weighed what a cheaper model could mean for "
    "the demand for the most advanced processors.",
    "Some executives said the reaction was overdone, and that spending on data centres would "
    "continue to grow over the next several years.",
]
# a page as a reader who copies all of it gets it: menus above, sign-up and comments below
PAGE = "\n".join([
    "Chip makers fall as regulators open reviews - Daily Planet",
    "Home", "World", "Business", "Technology", "Sports", "Sign in", "Subscribe",
    "Chip makers fall as regulators open reviews",
    *PROSE,
    "Share this article", "Facebook", "Twitter", "Email",
    "Sign up for our newsletter", "Privacy Policy", "Terms of Use",
    "12 Comments",
    "jdoe99", "November 19, 2019 at 2:25 pm",
    "Nobody could have seen this coming, and the market will be back to normal next week.",
    "© 2025 Daily Planet Media. All rights reserved.",
])


def test_the_packaged_model_removes_a_pages_furniture_and_keeps_its_article():
    result = clean_text(PAGE)
    for paragraph in PROSE:
        assert paragraph in result.text
    kept = result.text.split("\n\n")
    furniture = [line for line in PAGE.splitlines() if line not in PROSE][1:]
    furniture.remove("Chip makers fall as regulators open reviews")  # the headline
    # everything after the article goes, the comment too; of the menu above it, at most the
    # two items next to the headline stay
    after = PAGE.splitlines()[PAGE.splitlines().index(PROSE[-1]) + 1:]
    assert not set(after) & set(kept)
    assert len(set(furniture) & set(kept)) <= 2 and "Home" not in kept
    logged = [e for e in result.log if e["category"] == "line_model"]
    assert logged and all(e["step"] == "remove_furniture" for e in logged)
    assert all("probability" in e["after"] for e in logged)
    # every logged span points at the removed line in the raw text
    for entry in logged:
        assert PAGE[entry["raw_start"]:entry["raw_end"]] == entry["before"]


def test_keep_furniture_and_rules_without_the_model_keep_the_lines():
    kept = clean_text(PAGE, load_furniture_rules(line_model=False))
    assert "Technology" in kept.text.split("\n\n")
    assert not [e for e in kept.log if e["category"] == "line_model"]
    corpus = framing.load_corpus([PAGE], keep_furniture=True)
    assert "Technology" in corpus.articles["text"][0]


def test_short_documents_and_headlines_are_left_alone():
    model = load_line_model()
    # fewer lines than the model's minimum: nothing is classified
    short = ["Home", "World"] + PROSE[:1]
    assert len(short) < model.min_lines and model.furniture(short) == []
    # a headline first line is kept even where the model would drop it; a page title is not
    lines = ["Markets slide"] + PAGE.splitlines()[1:]
    removed = {i for i, _ in model.furniture(lines)}
    assert 0 not in removed
    assert 0 in {i for i, _ in model.furniture(PAGE.splitlines())}


def test_features_are_local_to_each_document_and_named():
    lines = PAGE.splitlines()
    features = line_features(lines)
    assert features.shape == (len(lines), len(LINE_FEATURES))
    assert np.isfinite(features).all()
    # what a line looks like does not depend on where it stands; where it stands does
    local = LINE_FEATURES.index("document_stop_share")
    moved = line_features(lines[::-1])[::-1]
    assert np.allclose(features[:, :local], moved[:, :local])
    assert not np.allclose(features[:, local:], moved[:, local:])
    context = context_features(np.linspace(0.01, 0.99, len(lines)), np.ones(len(lines)))
    assert context.shape == (len(lines), len(CONTEXT_FEATURES))
    assert line_features([]).shape == (0, len(LINE_FEATURES))


def test_the_comment_marker_applies_to_the_lines_after_it():
    lines = PROSE + ["3 Comments", PROSE[0]]
    column = line_features(lines)[:, LINE_FEATURES.index("after_comment_marker")]
    assert column.tolist() == [0, 0, 0, 0, 0, 1]


def test_a_model_from_other_cues_or_another_version_is_refused(tmp_path):
    text = json.loads(load_line_model().to_json())
    other = dict(text, cues_sha256="0" * 64)
    with pytest.raises(ConfigurationError, match="other line cues"):
        line_model_from_json(json.dumps(other), "other.json")
    wrong = dict(text, stages=[dict(s, coef=s["coef"][:-1]) for s in text["stages"]])
    with pytest.raises(ConfigurationError, match="not a framing line model"):
        line_model_from_json(json.dumps(wrong), "wrong.json")


def test_the_estimators_give_the_files_decision():
    model = load_line_model()
    lines = PAGE.splitlines()
    probability = model.probabilities(lines)
    first, second = model.estimators
    # the first stage by hand from the file's numbers
    stage = model.stages[0]
    z = (line_features(lines) - np.array(stage["mean"])) / np.array(stage["scale"])
    by_hand = 1 / (1 + np.exp(-(z @ np.array(stage["coef"]) + stage["intercept"])))
    assert np.allclose(first.predict_proba(line_features(lines))[:, 1], by_hand)
    assert ((probability >= 0) & (probability <= 1)).all()


@pytest.mark.slow
def test_training_is_reproducible_and_rebuilds_the_packaged_model(validation_dir):
    from framing.evaluation.lines import extraction_pages, fit_line_model, train_line_model

    pages = extraction_pages(validation_dir)
    assert sum(len(p.lines) for p in pages) > 10_000
    # labels: most lines of a page are furniture, and article lines are most of the body's words
    labels = np.concatenate([p.labels for p in pages])
    assert 0.1 < labels.mean() < 0.4
    small = fit_line_model(pages[:30])
    assert fit_line_model(pages[:30]).to_json() == small.to_json()
    packaged = resources.files("framing").joinpath("data/models/lines.json")
    assert train_line_model(validation_dir).to_json() == packaged.read_text(encoding="utf-8")


def test_the_model_spares_clean_news(validation_dir):
    """Real news articles without a page around them lose almost nothing (PolNeAR dev: the
    model was trained on web pages only)."""
    from framing.evaluation.lines import page_lines

    model = load_line_model()
    words = removed = 0
    path = validation_dir / "attribution" / "polnear_dev.jsonl"
    for line in path.open(encoding="utf-8"):
        lines = page_lines(json.loads(line)["text"])
        words += sum(len(x.split()) for x in lines)
        removed += sum(len(lines[i].split()) for i, _ in model.furniture(lines))
    assert words > 50_000
    assert removed / words < 0.01


def test_a_corpus_logs_line_model_removals_in_its_quality_log():
    corpus = framing.load_corpus([PAGE])
    log = corpus.quality
    assert (log["category"] == "line_model").any()
    assert corpus.articles["n_furniture_lines"][0] >= (log["category"] == "line_model").sum()
    rules = replace(load_furniture_rules(), line_model=None)
    assert clean_text(PAGE, rules).text != corpus.articles["text"][0]


def test_pages_read_from_html_are_not_classified_again(tmp_path):
    """trafilatura has already removed the page around the article: its lines are kept."""
    html = "<html><head><title>Reviews</title></head><body><article>" + "".join(
        f"<p>{line}</p>" for line in ["Markets", "Stocks"] + PROSE + ["More", "Read"]) + \
        "</article></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (tmp_path / "other.txt").write_text("\n".join(["Markets", "Stocks"] + PROSE + ["More", "Read"]),
                                       encoding="utf-8")
    corpus = framing.load_corpus(tmp_path)
    removed = corpus.quality[corpus.quality["category"] == "line_model"]
    # the same lines as plain text lose their page furniture; read from the page they do not
    assert set(removed["article_id"]) == {"other"} and set(removed["before"]) == {"More", "Read"}
    assert "Markets" in corpus.articles.set_index("article_id")["text"]["page"]
