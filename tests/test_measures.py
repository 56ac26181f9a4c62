"""Each measure on real seed sentences and on the codebook's examples, including exclusions."""

import pandas as pd
import pytest

from framing import analyze
from framing.lexicons import load_lexicons
from framing.measures.framing_cues import framing_spans
from framing.measures.stance import stance_spans

LEX = load_lexicons()


def kinds(sentence, measure):
    return [s.term for s in stance_spans(sentence, LEX["stance"]) if s.measure == measure]


@pytest.mark.parametrize("sentence, hedges", [
    ("Deepseek's success may depend on how it shared their strengths.", ["may"]),
    ("The talks were held in May 2024.", []),                       # the month
    ("She could not obtain a visa to the US.", []),                 # ability could
    ("Would you like some tea?", []),                               # polite request
    ("He said the company would close the plant.", []),            # future in the past
    ("The success of DeepSeek is seen as a logical development.", ["is seen as"]),
    ("Estimates suggest between 10,000 and 50,000 chips.", ["estimates suggest"]),
    ("It is impossible to say what the landscape will look like.", ["impossible to say"]),
    ("He expects a more successful Chinese AI startup to appear soon.", ["expects"]),
])
def test_hedges(sentence, hedges):
    assert kinds(sentence, "hedge") == hedges


def test_approximators_and_conditionals_are_not_hedges():
    sentence = "If it fails, about 18% of nearly 2000 universities close."
    assert kinds(sentence, "hedge") == []
    assert kinds(sentence, "condition") == ["if"]
    assert len(kinds(sentence, "approximator")) == 2


def test_boosters():
    assert kinds("The success of Deepseek proves that our education is amazing.", "booster") == ["proves"]
    assert kinds("There is no doubt that it worked.", "booster") == ["there is no doubt"]


def frames(sentence):
    return {s.category for s in framing_spans(sentence, LEX["framing"])}


@pytest.mark.parametrize("sentence, expected", [
    ("DeepSeek: China's Secret Weapon in the AI Race Against the U.S.", {"threat", "rivalry"}),
    ("DeepSeek should be a wake-up call to the US.", {"threat"}),
    ("China produced more than four times the US STEM alumni in 2020.", {"comparison"}),
    ("Users celebrate the model as a testament to domestic ingenuity.", {"pride"}),
    ("The reality is more complicated.", {"cautionary"}),
    ("Nevertheless, questions linger about DeepSeek's future trajectory.", {"cautionary"}),
    ("DeepSeek is based in Hangzhou.", set()),                      # a place is not a frame
    ("The model is four times faster than the old one.", set()),     # comparison needs a nation
])
def test_framing(sentence, expected):
    assert frames(sentence) >= expected and (expected or not frames(sentence))


@pytest.fixture(scope="module")
def seeds_analysis(seeds_dir):
    return analyze(seeds_dir, manifest=seeds_dir / "manifest.csv")


def sentence_row(analysis, contains):
    rows = analysis.sentences[analysis.sentences["text"].str.contains(contains, regex=False)]
    assert len(rows) == 1, contains
    return rows.iloc[0]


def test_attribution_on_seeds(seeds_analysis):
    row = sentence_row(seeds_analysis, "Pavel Durov, founder of messaging platform")
    assert row["attributed"] and row["speaker"] == "Pavel Durov" and row["source_kind"] == "named"
    row = sentence_row(seeds_analysis, "Experts warn that emerging")
    assert row["source_kind"] == "vague"
    row = sentence_row(seeds_analysis, "Data from 2020 shows that")
    assert row["source_kind"] == "document"
    # pronoun resolved to the last named speaker
    row = sentence_row(seeds_analysis, "he wrote online")
    assert row["speaker"] == "Pavel Durov" and row["voice"] == "quoted"
    # partial quote with a cue vs scare quote
    row = sentence_row(seeds_analysis, "what some have called a “Sputnik moment”")
    assert row["direct_quote"] and row["attributed"]
    row = sentence_row(seeds_analysis, "The reality is more complicated.")
    assert not row["attributed"] and row["voice"] == "journalist"


def test_multi_sentence_quote_is_quoted_voice(seeds_analysis):
    row = sentence_row(seeds_analysis, "Innovation often arises in itself")
    assert row["direct_quote"] and row["voice"] == "quoted" and row["speaker"] == "Lean"


def test_matches_point_into_text(seeds_analysis):
    texts = seeds_analysis.articles.set_index("article_id")["text"]
    for m in seeds_analysis.matches.itertuples():
        span = texts[m.article_id][m.start:m.end]
        if m.measure in ("hedge", "booster", "nationalist", "cautionary", "attribution"):
            assert span.lower().split()[0] == m.term.split()[0], (span, m.term)
    assert set(seeds_analysis.matches["lexicon_version"]) >= {"stance@1.1", "framing@2.6",
                                                               "attribution@1.1"}


def test_article_figures_follow_from_sentences(seeds_analysis):
    articles = seeds_analysis.articles.set_index("article_id")
    sentences = seeds_analysis.sentences
    for article_id, group in sentences.groupby("article_id"):
        row = articles.loc[article_id]
        assert row["nationalist_share"] == pytest.approx(group["nationalist"].mean())
        assert row["sentiment_mean"] == pytest.approx(group["sentiment"].mean())
        words = group["text"].str.split().str.len().sum()
        assert row["hedges_per_1k"] == pytest.approx(1000 * group["hedges"].sum() / words)
        n, c = group["nationalist"].sum(), group["cautionary"].sum()
        assert row["framing_balance"] == pytest.approx((n - c) / (n + c + 2))


def test_speakers_are_listed_once_in_order_of_first_appearance(seeds_analysis):
    articles = seeds_analysis.articles.set_index("article_id")
    for article_id, group in seeds_analysis.sentences.groupby("article_id"):
        spoken = [s for s in group.sort_values("sentence_index")["speaker"] if s]
        assert articles.loc[article_id, "speakers"] == "; ".join(dict.fromkeys(spoken))
    analysis = analyze(["Marina Zhang said the plan would fail. Critics agree. "
                        "Marina Zhang said it again. John Smith said it would work."])
    assert analysis.articles["speakers"].tolist() == ["Marina Zhang; Critics; John Smith"]


def test_document_source_window_does_not_cut_a_word():
    """The 80 characters before "shows" start inside "metadata": its tail "data" is no source."""
    cut = ("Its metadata from many orbiting imaging satellites over the ocean and the coastline "
           "now shows steady growth.")
    assert len(cut[:cut.index(" shows") + 1]) - cut.index("data") == 80
    whole = "Its data from many orbiting imaging satellites now shows steady growth."
    analysis = analyze([cut, whole], models=False)
    attributed = analysis.sentences.set_index("article_id")["attributed"]
    assert attributed.tolist() == [False, True]
    cues = analysis.matches[analysis.matches["category"] == "document_cue"]
    assert cues["article_id"].tolist() == ["article-2"]


def test_000_has_no_attribution_so_shares_are_nan_not_zero(seeds_analysis):
    row = seeds_analysis.articles.set_index("article_id").loc["000_d56f76cbf89b281a"]
    assert row["attribution_density"] == 0
    assert pd.isna(row["named_source_share"])


def test_targets_sentiment():
    analysis = analyze(["China is wonderful and great. The US is terrible and awful. We us ours."])
    sentences = analysis.sentences
    assert sentences["targets"].tolist() == ["China", "US", ""]  # "us" is not the US


def test_non_english_is_skipped_with_warning():
    with pytest.warns(UserWarning):
        analysis = analyze(["深度求索是一家位于杭州的人工智能公司。它由梁文锋创立。公司发布了多个开源模型。"])
    assert analysis.sentences["sentiment"].isna().all()
    assert analysis.matches.empty
    assert analysis.articles["speakers"].isna().all()  # not measured, not "no speakers"


def test_explain_html_escapes_and_marks(seeds_analysis):
    from framing import explain

    explanation = explain(seeds_analysis, "004_af1ccabac85664da")
    html = explanation._repr_html_()
    assert "m-nat" in html and "title=" in html
    assert "[H:" in str(explanation)
    hostile = analyze(["<script>alert(1)</script> Experts warn it may fail. <img onerror=x>"])
    html = explain(hostile, "article-1")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html


def test_custom_lexicon_adds_and_replaces(tmp_path):
    custom = tmp_path / "mine.yaml"
    custom.write_text("name: framing\ncategories:\n  - name: pride\n    measure: nationalist\n"
                      "    terms: [glorious]\n", encoding="utf-8")
    text = ["A glorious day. A day of national pride."]
    default = analyze(text)
    mine = analyze(text, lexicons=[custom])
    assert default.sentences["nationalist"].tolist() == [False, True]
    assert mine.sentences["nationalist"].tolist() == [True, False]  # category replaced
    assert mine.matches["lexicon_version"].str.endswith("+custom").any()


def test_extending_a_lexicon_leaves_the_base_lexicon_as_it_was(tmp_path):
    """The extended lexicon has its own categories and automaton: the base's categories keep
    theirs (an automaton without the user's terms) and match as before."""
    from framing.lexicons import extend, load_lexicon
    from framing.measures.matching import find

    custom = tmp_path / "mine.yaml"
    custom.write_text("name: framing\ncategories:\n  - name: glory\n    measure: nationalist\n"
                      "    terms: [glorious]\n", encoding="utf-8")
    base = load_lexicon("framing")
    automata = {id(c.literals[0]) for c in base.categories}
    extended = extend(base, custom)
    assert {id(c.literals[0]) for c in base.categories} == automata and len(automata) == 1
    assert not automata & {id(c.literals[0]) for c in extended.categories}
    sentence = "We must beat China in a glorious race, said officials."
    rivalry = base.category("rivalry")
    assert find(rivalry, sentence) == find(extended.category("rivalry"), sentence) != []
    assert find(extended.category("glory"), sentence)[0].term == "glorious"


@pytest.mark.parametrize("content, message", [
    ("name: framing\ncategories:\n  - name: x\n    measure: nationalist\n", r"line 3: category 1 has no 'terms'"),
    ("name: framing\ncategories:\n  - name: x\n    measure: n\n    terms: ['re:(open']\n",
     r"line 5: category 'x': bad pattern"),
    ("name: framing\ncategories: [\n", r"line \d+: invalid YAML"),
    ("name: nonsense\ncategories: []\n", r"'name' must be one of"),
])
def test_malformed_lexicon_names_file_line_problem(tmp_path, content, message):
    from framing import LexiconError

    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as error:
        analyze(["Text."], lexicons=[path])
    assert "bad.yaml" in str(error.value)


def test_measures_read_the_quotation_spans_segmentation_found(seed_corpus):
    from framing.measures import MeasureConfig, measure_corpus
    from framing.segment import paragraph_spans, quote_spans

    for article_id, text in zip(seed_corpus.articles["article_id"], seed_corpus.articles["text"]):
        assert seed_corpus.quotes[article_id] == quote_spans(text, paragraph_spans(text))
    config = MeasureConfig.load()
    given = measure_corpus(seed_corpus.articles, seed_corpus.sentences, config,
                           quotes=seed_corpus.quotes)
    found = measure_corpus(seed_corpus.articles, seed_corpus.sentences, config)
    assert given[0].equals(found[0]) and given[1].equals(found[1])
    assert sum(len(q) for q in seed_corpus.quotes.values()) > 10
