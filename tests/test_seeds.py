"""The foundation issue's acceptance checks on the five seed articles."""

import re


def article(corpus, prefix):
    return corpus.articles.set_index("article_id").filter(like=prefix, axis=0).iloc[0]


def sentences_of(corpus, prefix):
    return corpus.sentences[corpus.sentences["article_id"].str.startswith(prefix)]


def test_002_repaired(seed_corpus):
    text = article(seed_corpus, "002")["text"]
    assert "ā" not in text
    assert "DeepSeek’s founder, Liang Wenfeng" in text
    assert "“Sputnik moment”" in text
    assert "“We’re done following. It’s time to lead.”" in text


def test_000_furniture_gone_and_listed(seed_corpus):
    text = " ".join(sentences_of(seed_corpus, "000")["text"])
    for furniture in ["TL;DR", "Deep Insight", "| Feature |", "All content rights",
                      "Original source", "curated digest", "Related Updates", "💡"]:
        assert furniture not in text
    log = seed_corpus.quality[seed_corpus.quality["article_id"].str.startswith("000")]
    assert {"emoji_header", "table_row", "rights_notice", "stated_source"} <= set(log["category"])
    assert article(seed_corpus, "000")["stated_source"] == "虎嗅"


def test_003_ui_text_gone(seed_corpus):
    text = " ".join(sentences_of(seed_corpus, "003")["text"])
    assert "Loading Now" not in text and "Post Comment" not in text
    assert article(seed_corpus, "003")["stated_source"] == "www.nature.com"


def test_004_duplicates_counted_once(seed_corpus):
    frame = sentences_of(seed_corpus, "004")
    assert frame["text"].duplicated().sum() == 0
    raw_sentences = article(seed_corpus, "004")["raw_text"].count("DeepSeek was faced with")
    assert raw_sentences == 2
    assert frame["text"].str.contains("DeepSeek was faced with").sum() == 1
    assert (frame["text"] == "DeepSeek: China's Secret Weapon in the AI Race Against the U.S.").sum() == 1
    assert article(seed_corpus, "004")["n_duplicate_paragraphs"] == 8


def test_us_never_ends_a_sentence_mid_phrase(seed_corpus):
    for text in seed_corpus.sentences["text"]:
        # a sentence ending in "U.S." must not be followed by a lower-case continuation
        assert not re.search(r"\bU\.S\.$", text) or not text[0].islower()
    joined = seed_corpus.sentences["text"].tolist()
    assert any("major U.S. corporations" in s for s in joined)
    assert not any(s.endswith("major U.S.") for s in joined)


def test_offsets_slice_text_and_map_to_raw(seed_corpus):
    texts = seed_corpus.articles.set_index("article_id")
    for row in seed_corpus.sentences.itertuples():
        assert texts.loc[row.article_id, "text"][row.start:row.end] == row.text
        raw = texts.loc[row.article_id, "raw_text"][row.raw_start:row.raw_end]
        # raw and cleaned differ only by repairs and whitespace
        assert raw.split()[0][:1] in (row.text[:1], "ā", "•", "-") or raw.strip()[:3] == row.text[:3]


def test_publisher_and_original_source_kept(seed_corpus):
    articles = seed_corpus.articles
    assert {"outlet", "publisher", "original_source", "stated_source"} <= set(articles.columns)
    assert articles["original_source"].tolist()[1] == "The New York Times"
