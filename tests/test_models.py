"""The learned cue models: loading, behaviour on real sentences, and reproducible training."""

import json

import pandas as pd
import pytest

from framing import analyze
from framing.errors import ConfigurationError
from framing.lexicons import load_lexicons
from framing.measures.cue_model import (_TOKEN, context_features, feature_name, feature_pair,
                                        load_model, model_from_json, tokenize)
from framing.measures.stance import stance_spans

LEX = load_lexicons()


def test_packaged_models_load_with_provenance():
    for name in ("hedge", "attribution"):
        model = load_model(name)
        assert model.label == f"{name}-model@1.0"
        assert len(model.sha256) == 64 and model.training["instances"] > 100
        assert 0 < model.threshold < 1
    assert {"wants", "hopes", "asked"} <= load_model("attribution").candidates


def test_hedge_model_only_removes_lexicon_hedges():
    model = load_model("hedge")
    sentences = ["The plant would close, the company said it would pay, and prices may rise.",
                 "Analysts expect the trend to continue, and the deal could possibly collapse."]
    for sentence in sentences:
        with_model = {(s.start, s.end) for s in stance_spans(sentence, LEX["stance"], model)}
        without = {(s.start, s.end) for s in stance_spans(sentence, LEX["stance"])}
        assert with_model <= without


def test_attribution_model_adds_beliefs_and_intentions():
    sentence = "Senator Warren wants the agency to publish its findings before the vote."
    rules_only = analyze([sentence], models=False)
    learned = analyze([sentence])
    assert not rules_only.sentences["attributed"].any()
    assert learned.sentences["attributed"].all()
    cue = learned.matches[learned.matches["measure"] == "attribution"]
    assert cue[["category", "term", "lexicon_version"]].values.tolist() == [
        ["learned_cue", "wants", "attribution-model@1.0"]]
    assert learned.sentences["speaker"].iloc[0] == "Senator Warren"


def test_booster_phrases_are_never_learned_cues():
    analysis = analyze(["There is no doubt that the company has changed the industry."])
    assert not analysis.sentences["attributed"].any()


def test_features_depend_on_context():
    tokens = tokenize("He said it would rain.")
    a = context_features(tokens, 3, 3, "epistemic_modal")
    b = context_features(tokenize("It would rain, he thinks."), 1, 1, "epistemic_modal")
    assert "term=would" in a and "term=would" in b and set(a) != set(b)


TRICKY = ["“We won’t,” she said -- the U.S.-based firm's co-founder (Liang) didn’t say.",
          "Prices rose 3.5% in Q1; \"analysts\" ‘doubt’ it: why?", "", "—", "a  b\tc\n d",
          "ſaid SAİD Zürich naïve 北京 said"]


def test_tokens_are_the_pattern_matches_with_their_offsets():
    for sentence in TRICKY:
        expected = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(sentence)]
        tokens = tokenize(sentence)
        assert [(t.start, t.end, t.text) for t in tokens] == expected
        assert all(t.lower == t.text.lower() and sentence[t.start:t.end] == t.text for t in tokens)


def test_feature_names_and_pairs_are_inverses():
    for name in ("hedge", "attribution"):
        weights = load_model(name).weights
        assert all(feature_name(feature_pair(key)) == key for key in weights)
    tokens = tokenize("“Ma, he said, wants the rule,” an aide added: it is 2025.")
    for k in range(len(tokens)):
        for rule in ("", "epistemic_modal"):
            features = context_features(tokens, k, min(k + 1, len(tokens) - 1), rule)
            assert [feature_name(feature_pair(f)) for f in features] == features


def test_batched_scoring_gives_exactly_the_probability_of_the_names(seeds_dir):
    """The run-time scorer (feature pairs, columns found candidate by candidate, one
    predict_proba for the batch) and the training-time features (names, weights summed) must
    not drift: the same probability to the last bit, for every packaged model."""
    from framing.measures.cue_model import CandidateBatch, context_pairs

    sentences = [line for path in sorted(seeds_dir.glob("*.txt"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences += TRICKY
    for name in ("hedge", "attribution", "nationalist"):
        model = load_model(name)
        batch, expected, contexts = CandidateBatch(model), [], []
        for sentence in sentences[:200]:
            tokens = tokenize(sentence)
            for k in range(len(tokens)):
                for last, rule, quoted in ((k, "", None), (min(k + 2, len(tokens) - 1), "hedge", True)):
                    contexts.append(context_pairs(tokens, k, last, rule, quoted))
                    batch.add(contexts[-1])
                    expected.append(model.probability(context_features(tokens, k, last, rule, quoted)))
        assert len(batch) == len(expected) > 5000
        assert batch.probabilities().tolist() == expected
        assert model.estimator.predict_proba(contexts)[:, 1].tolist() == expected

def test_malformed_model_file_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"name": "hedge"}), encoding="utf-8")
    with pytest.raises(ConfigurationError) as info:
        model_from_json(path.read_text(), str(path))
    assert "broken.json" in str(info.value)


def test_models_recorded_in_provenance(seeds_dir):
    analysis = analyze(["He said so."])
    provenance = analysis.provenance()
    assert provenance["models"]["attribution"]["sha256"] == load_model("attribution").sha256
    assert analyze(["He said so."], models=False).provenance()["models"] == {}


@pytest.mark.slow
@pytest.mark.validation
@pytest.mark.parametrize("name", ["hedge", "attribution"])
def test_training_reproduces_the_shipped_cue_models(validation_dir, name):
    """A change to what the models read (sentence splitting, tokens) must come with the models
    retrained: the attribution model once lagged a splitter change by weeks."""
    from importlib import resources

    from framing.evaluation.training import train_models

    shipped = resources.files("framing").joinpath(f"data/models/{name}.json").read_text("utf-8")
    assert train_models(validation_dir, [name])[name].to_json() == shipped


@pytest.mark.slow
@pytest.mark.validation
def test_training_reproduces_the_shipped_identity_model(validation_dir):
    """`framing train --model nationalist` gives the packaged identity model byte for byte."""
    from importlib import resources

    from framing.evaluation.training import train_models

    shipped = resources.files("framing").joinpath("data/models/nationalist.json").read_text("utf-8")
    model = train_models(validation_dir, ["nationalist"])["nationalist"]
    assert model.to_json() == shipped
    assert "out_of_story" not in model.training["data"]


def test_skipping_runs_of_function_words_changes_no_cue(seeds_dir, monkeypatch):
    """Learned candidates made only of function words ("to", "has") are not scored: whatever the
    model said, they would be dropped. Scoring every candidate must give the same attribution,
    for the packaged model and for models that accept more (threshold 0 accepts every one)."""
    from dataclasses import replace

    from framing.measures import attribution
    from framing.segment import paragraph_spans, quote_spans, segment_article

    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt"))]
    texts.append("The minister has hoped to win. He pointed to: the data. It is to be seen. "
                 "Officials have also said it was not about to happen, and they were to go on.")
    model = load_model("attribution")
    skipped = 0
    for threshold in (model.threshold, 0.2, 0.0):
        variant = replace(model, threshold=threshold)
        for text in texts:
            rows = segment_article("a", text)
            sentences = list(zip(rows["start"], rows["end"]))
            quotes = quote_spans(text, paragraph_spans(text))
            fast = attribution.attribute_article(text, sentences, quotes, LEX["attribution"], variant)
            with monkeypatch.context() as patch:
                patch.setattr(attribution, "_worth_scoring", lambda sentence, candidates: candidates)
                every = attribution.attribute_article(text, sentences, quotes, LEX["attribution"], variant)
            assert fast == every
            for a, b in sentences:
                found = attribution.learned_candidates(text[a:b], a, [], attribution.Intervals([]),
                                                          model.candidates,
                                                       LEX["attribution"])
                skipped += len(found) - len(attribution._worth_scoring(text[a:b], found))
    assert skipped > 100


def test_the_model_is_a_scikit_learn_pipeline_and_a_batch_decides_each_candidate_alone():
    """CueModel.estimator is a scikit-learn pipeline built from the JSON weights (nothing
    pickled); accept_many decides each candidate as its own probability says, whatever else is
    in the batch (the same decisions in reverse order, and one by one)."""
    from sklearn.pipeline import Pipeline

    from framing.evaluation.data import GOLD_SETS, load_gold
    from framing.measures.cue_model import context_pairs, load_model, tokenize

    sentences = [row["text"] for name in GOLD_SETS for row in load_gold(None, name)]
    for name in ("hedge", "attribution"):
        model = load_model(name)
        assert isinstance(model.estimator, Pipeline)
        contexts, expected = [], []
        for sentence in sentences:
            tokens = tokenize(sentence)
            for k in range(len(tokens)):
                contexts.append(context_pairs(tokens, k, k))
                expected.append(model.accepts(context_features(tokens, k, k)))
        assert model.accept_many(contexts) == expected
        assert model.accept_many(contexts[::-1]) == expected[::-1]
        assert [model.accept_many([c])[0] for c in contexts[:300]] == expected[:300]
        assert model.accept_many([]) == []
        assert 10 < sum(expected) < len(expected)  # the comparison has both decisions

def test_the_tables_do_not_depend_on_how_articles_are_batched(validation_dir, monkeypatch):
    """The measures score the model candidates of several articles together (CHUNK); on real
    articles with many candidates, batches of 1, 3 and 16 articles and a parallel run give the
    same sentences and matches, learned spans included."""
    from framing import load_corpus
    from framing import measures
    from framing.measures import MeasureConfig, measure_corpus

    texts = []
    for name, chosen in (("framing/ptc_train.jsonl", range(20)),
                         # the first 20, and three with identity appeals the model adds
                         ("attribution/polnear_train.jsonl", [*range(20), 66, 265, 381])):
        with (validation_dir / name).open(encoding="utf-8") as handle:
            lines = handle.readlines()
        texts += [json.loads(lines[k])["text"] for k in chosen]
    corpus = load_corpus(texts)
    config = MeasureConfig.load()
    results = []
    for chunk, jobs in ((1, 1), (3, 1), (16, 1), (measures.CHUNK, 2)):
        monkeypatch.setattr(measures, "CHUNK", chunk)
        results.append(measure_corpus(corpus.articles, corpus.sentences, config, jobs=jobs,
                                      quotes=corpus.quotes))
    # every model's decisions are in the comparison: the spans the attribution and identity
    # models add, and the hedges the hedge model drops
    added = results[0][1]["lexicon_version"].value_counts()
    assert added["attribution-model@1.0"] > 20 and added["nationalist-model@1.1"] >= 3
    rules_only = measure_corpus(corpus.articles, corpus.sentences, MeasureConfig.load(models=False))
    assert results[0][0]["hedges"].sum() < rules_only[0]["hedges"].sum()
    for sentences, matches in results[1:]:
        pd.testing.assert_frame_equal(sentences, results[0][0])
        pd.testing.assert_frame_equal(matches, results[0][1])

