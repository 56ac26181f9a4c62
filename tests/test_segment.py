import pytest

from framing.segment import (is_heading, paragraph_spans, quote_spans, segment_article,
                             sentences_frame, unbalanced_quotes)


def sentences(text):
    return segment_article("a", text)["text"].tolist()


@pytest.mark.parametrize("text", [
    "DeepSeek released two models that rival those of major U.S. corporations.",
    "Dr. Smith met Mr. Jones in Washington, D.C. on Monday.",
    "The A.I. race is on, said Prof. Li of Tsinghua Univ. yesterday.",
    "John F. Kennedy spoke at 10 a.m. and left.",
])
def test_abbreviations_do_not_split(text):
    assert sentences(text) == [text]


def test_sentences_split_normally():
    assert sentences("One sentence. Another one! A third? Yes.") == [
        "One sentence.", "Another one!", "A third?", "Yes."]


def test_us_never_ends_a_sentence_before_a_lowercase_word():
    text = "The U.S. restrictions stung. Chips from the U.S. were scarce."
    assert sentences(text) == ["The U.S. restrictions stung.", "Chips from the U.S. were scarce."]


@pytest.mark.parametrize("line, first, expected", [
    ("The Education of Liang Wenfeng, DeepSeek’s Founder", False, True),
    ("DeepSeek: China's Secret Weapon in the AI Race Against the U.S.", False, True),
    ("What Changed", False, True),
    ("Where Will the AI Race Go Next?", False, True),
    ("The reality is more complicated.", False, False),
    ("Damien MA, founder of Macropolo, said:", False, False),
    ("100,000 students enter genius classes yearly for math/physics olympiads and elite uni entry",
     False, False),
    ("China's 40-Year Talent Plan Fuels AI US Rivalry", True, True),
])
def test_is_heading(line, first, expected):
    assert is_heading(line, first=first) is expected


def test_quote_runs_over_several_sentences():
    text = "“First quoted sentence. Second quoted sentence,” he said. Then narration."
    frame = segment_article("a", text)
    assert frame["in_quote"].tolist() == [True, True, False]


def test_unbalanced_quote_ends_with_its_sentence_and_is_listed():
    # An opening mark never closed made the rest of the paragraph "quoted"; now the quote ends
    # with the sentence it opened in, and the mark is listed for the quality log.
    text = "He said: “this never closes. Still narration.\n\nA new paragraph of narration."
    frame = segment_article("a", text)
    assert frame["in_quote"].tolist() == [True, False, False]
    assert unbalanced_quotes(text, paragraph_spans(text)) == [text.index("“")]
    assert quote_spans("” stray closing mark.", [(0, 21)]) == []


def test_quote_over_several_paragraphs_runs_to_the_paragraph_end():
    # News convention: a quote that goes on in the next paragraph is not closed, and the next
    # paragraph opens with a quotation mark.
    text = "He said: “this goes on. Still quoted.\n\n“And here it ends,” he said."
    frame = segment_article("a", text)
    assert frame["in_quote"].tolist()[:2] == [True, True]
    assert unbalanced_quotes(text, paragraph_spans(text)) == []


def test_straight_quotes_tracked():
    text = 'Liang said, "The Top 50 talents might not be in China, but we can build them."'
    spans = quote_spans(text, [(0, len(text))])
    assert len(spans) == 1 and text[spans[0][0]] == '"' and spans[0][1] == len(text)


def test_scare_quotes_are_a_small_share():
    frame = segment_article("a", "What some have called a “Sputnik moment” shook markets this week.")
    assert not frame["in_quote"].iloc[0]
    assert 0 < frame["quote_share"].iloc[0] < 0.5


def test_offsets_slice_text():
    text = "Heading Here\n\nFirst sentence.  Second sentence.\n\nThird."
    frame = segment_article("a", text)
    for row in frame.itertuples():
        assert text[row.start:row.end] == row.text
    assert frame["is_heading"].tolist() == [True, False, False, False]
    assert frame["paragraph_index"].tolist() == [0, 1, 1, 2]


def test_sentences_table_has_the_same_types_with_or_without_rows():
    full = segment_article("a", "DeepSeek is based in Hangzhou. “It works,” he said.")
    empty = sentences_frame([])
    assert list(empty.columns) == list(full.columns)
    numeric = [c for c in full.columns if c not in ("article_id", "text")]
    assert (empty.dtypes[numeric] == full.dtypes[numeric]).all()
    assert full["in_quote"].tolist() == [False, True]
    with_raw = sentences_frame([], extra=("raw_start", "raw_end"))
    assert with_raw.dtypes[["raw_start", "raw_end"]].tolist() == ["int64", "int64"]


@pytest.mark.parametrize("text", [
    "Reps. Nancy Pelosi and Adam Schiff said the bill would pass.",
    "His rivals, particularly Sens. Ted Cruz and Marco Rubio, need a win.",
    "“Gov. Christie, blink twice,” the host joked on Monday.",
    "Lt. Gen. Michael Flynn resigned after the report.",
    "The U.S. and the U.K. signed the deal on Monday.",
    "He is the No. 1 seed in the tournament this year.",
])
def test_titles_and_abbreviations_common_in_news_do_not_end_sentences(text):
    assert len(segment_article("a", text)) == 1


def test_titles_rarely_end_sentences_in_real_news(validation_dir):
    import json
    import re

    texts = [json.loads(line)["text"] for name in ("attribution/polnear_train.jsonl",
                                                   "framing/ptc_train.jsonl")
             for line in (validation_dir / name).open(encoding="utf-8")][:400]
    sentences = [s for k, t in enumerate(texts) for s in segment_article(str(k), t)["text"]]
    title = re.compile(r"\b(?:Reps|Sens|Govs|Gens|Sen|Gov|Rep|Gen|Lt|Col|Capt|Adm|Sgt|Rev|No)\.$")
    cut = [s for s in sentences if title.search(s)]
    assert len(sentences) > 10000
    assert len(cut) <= 5, cut[:5]  # 2 of 15,871 when written (a title at a real sentence end)
