import pytest

import framing
from framing.clean import (clean_text, load_furniture_rules, needs_lossy_quote_repair,
                           normalize_quotes, normalize_whitespace, repair_lossy_quotes,
                           repair_mojibake, strip_decorations)
from framing.errors import LexiconError


def test_repair_mojibake_fixes_utf8_read_as_cp1252():
    damaged = "DeepSeek’s “Sputnik moment”".encode("utf-8").decode("cp1252", errors="replace").replace("\ufffd", "\x9d")
    assert repair_mojibake(damaged) == "DeepSeek’s “Sputnik moment”"


def test_repair_mojibake_keeps_curly_quotes():
    assert repair_mojibake("“quoted” and it’s fine") == "“quoted” and it’s fine"


@pytest.mark.parametrize("damaged, repaired", [
    ("in what some have called a āSputnik momentā.", "in what some have called a “Sputnik moment”."),
    ("DeepSeekās founder", "DeepSeek’s founder"),
    ("which āisnāt capital but confidence.ā", "which “isn’t capital but confidence.”"),
    ("āWeāre done following. Itās time to lead.ā", "“We’re done following. It’s time to lead.”"),
    ("multiple Chinese āSilicon Valleys.ā", "multiple Chinese “Silicon Valleys.”"),
    ("new LLMās.", "new LLM’s."),
    ("Itâs the cp1252 reading", "It’s the cp1252 reading"),
    ("before ā after", "before — after"),
])
def test_repair_lossy_quotes(damaged, repaired):
    assert repair_lossy_quotes(damaged) == repaired


def test_lossy_repair_gate_leaves_real_macrons_alone():
    text = "Zhāng Wěi met Māori leaders in Wellington."
    assert not needs_lossy_quote_repair(text)
    assert clean_text(text).text == text


def test_normalize_quotes():
    assert normalize_quotes("«Bonjour» „Hallo“ ``quoted''") == "“Bonjour” “Hallo“ “quoted”"
    assert normalize_quotes("don´t") == "don’t"


def test_normalize_whitespace():
    assert normalize_whitespace("  a\t b\u00a0\u00a0c\u200b d  ") == "a b c d"


def test_strip_decorations():
    assert strip_decorations("- •The 'Genius Class' model") == "The 'Genius Class' model"
    assert strip_decorations("💡China's elite schools") == "China's elite schools"
    assert strip_decorations("## A heading") == "A heading"
    assert strip_decorations("see [the report](https://example.org/r)") == "see the report"


@pytest.mark.parametrize("line, category", [
    ("⚡ 30-Second TL;DR", "emoji_header"),
    ("🔮 Future ImplicationsAI analysis grounded in cited sources", "emoji_header"),
    ("Loading Now", "ui_text"),
    ("Post Comment", "ui_text"),
    ("Read this week's curated digest of top AI events →", "ui_text"),
    ("AI-curated news aggregator. All content rights belong to original publishers.",
     "rights_notice"),
    ("Siyi Zhao contributed to the research.", "credit_line"),
    ("| Open Weights | Yes | No | No |", "table_row"),
    ("|---|---|---|---|", "table_row"),
    ("Original Source: www.nature.com", "stated_source"),
    ("34 postsGet LivefyreFAQSign in5 people listening + FollowSharePost comment as...", "ui_text"),
    ("Julia CravenFlagShareLikeReplyAni Vrabel 5ptsmoderatorFeaturedFebruary 6, 2016", "ui_text"),
    (".", "punctuation_only"),
    ("* * *", "punctuation_only"),
])
def test_furniture_rules(line, category):
    found = load_furniture_rules().match(line, line)
    assert found is not None and found[0] == category


@pytest.mark.parametrize("line", [
    "💡China's elite schools birth AI talents beating OpenAI—key to global rivalry shifts.",
    "The reality is more complicated.",
    "Critics say the comment section of the site was closed.",
])
def test_prose_is_not_furniture(line):
    assert load_furniture_rules().match(line, line) is None


def test_clean_text_removes_furniture_and_keeps_stated_source():
    raw = "Title Of The Story\n\nLoading Now\nA sentence of prose here.\nOriginal source: Huxiu ↗\n"
    result = clean_text(raw)
    assert result.text == "Title Of The Story\n\nA sentence of prose here."
    assert result.metadata == {"stated_source": "Huxiu"}
    removed = [e["before"] for e in result.log if e["step"] == "remove_furniture"]
    assert removed == ["Loading Now", "Original source: Huxiu ↗"]


def test_duplicate_paragraphs_counted_once_and_logged():
    raw = "A repeated paragraph of text.\nSomething else.\nA repeated paragraph of text.\nYes.\nYes."
    result = clean_text(raw)
    assert result.text.count("A repeated paragraph") == 1
    assert result.text.count("Yes.") == 2  # too short to count as duplicated prose
    assert [e["step"] for e in result.log].count("remove_duplicates") == 1


def test_hard_wrapped_text_is_unwrapped():
    raw = ("This paragraph was wrapped at a fixed width by an old\n"
           "newsroom system so that each line is about the same\n"
           "length and the sentences run over the line breaks.\n\n"
           "A second paragraph is wrapped the same way as the first\n"
           "one, which is how plain-text archives often look now.\n")
    result = clean_text(raw)
    assert len(result.paragraphs) == 2
    assert "old newsroom" in result.text


def test_one_paragraph_per_line_is_not_unwrapped(seeds_dir):
    raw = (seeds_dir / "000_d56f76cbf89b281a.txt").read_text(encoding="utf-8")
    assert all(e["step"] != "unwrap_lines" for e in clean_text(raw).log)


def test_markup_in_plain_text_is_removed_and_an_embedded_tweet_quotes_its_author():
    """Tags are removed whole, each one edit mapped to its raw span; an empty embed leaves a
    line of punctuation, which goes as furniture; a tweet's text is its author's quotation."""
    raw = ('A <b>bold</b> claim, and a<b and c>d stays.\n'
           '<tweet tweet-id="661196115484643328"><tweet/>.\n'
           '<tweet id="7" author="@SpeakerRyan" datetime="2016-07-05">This defies '
           'explanation.</tweet>.')
    result = clean_text(raw)
    assert result.text == ("A bold claim, and a<b and c>d stays.\n\n"
                           "@SpeakerRyan tweeted: “This defies explanation.”")
    markup = [e for e in result.log if e["step"] == "strip_markup"]
    assert [e["before"] for e in markup] == ["<b>", "</b>", '<tweet tweet-id="661196115484643328">',
                                             "<tweet/>", raw[raw.index('<tweet id="7"'):raw.index("This")],
                                             "</tweet>."]
    assert all(raw[e["raw_start"]:e["raw_end"]] == e["before"] for e in markup)
    start = result.text.index("@SpeakerRyan")
    lo, hi = result.tracked.raw_span(start, start + len("@SpeakerRyan tweeted: “"))
    assert raw[lo:hi].startswith('<tweet id="7"') and raw[hi - 1] == ">"
    analysis = framing.analyze([raw])
    tweet = analysis.sentences[analysis.sentences["text"].str.startswith("@SpeakerRyan")].iloc[0]
    assert tweet["direct_quote"] and tweet["speaker"] == "SpeakerRyan"
    assert "markup_removed" in analysis.articles["quality_flags"].iloc[0].split(";")


def test_real_embeds_and_comment_widgets_leave_no_markup(validation_dir):
    """The PolNeAR articles that hold tweet embeds or a live blog's comment widget: none of
    it reaches the measured text, and every tweet with an author is that author's quote."""
    import json
    import re

    docs = [json.loads(line) for line in
            (validation_dir / "attribution" / "polnear_train.jsonl").open(encoding="utf-8")]
    docs = [d for d in docs if re.search(r"<tweet|livefyre", d["text"], re.I)]
    assert len(docs) >= 10
    analysis = framing.analyze([d["text"] for d in docs])
    text = "\n".join(analysis.articles["text"])
    assert not re.search(r"<tweet|</tweet|tweet-id|livefyre|sharelikereply", text, re.I)
    authors = sum(len(re.findall(r'<tweet\b[^>]*\bauthor="[^"]+"[^>]*>[^<]*\S[^<]*</tweet>',
                                 d["text"])) for d in docs)
    quoted = analysis.sentences[analysis.sentences["text"].str.contains(" tweeted: “")]
    assert authors >= 10 and len(quoted) >= authors * 0.9  # a tweet of two sentences counts once
    assert quoted["attributed"].mean() >= 0.9
    # each article on one line (as CSV exports hold them): a tag left open, or broken off,
    # must not take the rest of the line, which is now the rest of the article, with it
    texts = [d["text"] for d in docs]
    published = sum(len(clean_text(text).text.split()) for text in texts)
    for order in (texts, texts[::-1]):  # the articles one after another, on one line
        flat = len(clean_text(" ".join(" ".join(order).split())).text.split())
        assert flat >= 0.97 * published, (published, flat)


def test_no_rule_removes_a_long_line():
    """A rights notice or a widget's label is furniture as a line of its own; inside an
    article laid out on one line (a CSV export) it is not, or the article would go with it."""
    notice = "Copyright 2016 The Associated Press. All rights reserved."
    body = "The minister said the plan would go ahead on Monday. " * 20
    assert clean_text(body + "\n" + notice).text == body.strip()
    flat = clean_text(body + notice + " 34 postsGet LivefyreFAQSign in").text
    assert flat.startswith(body.strip()) and "All rights reserved" in flat
    rules = load_furniture_rules()
    assert rules.max_line_words == 80
    assert rules.match(notice, notice) and not rules.match(body + notice, body + notice)


def test_clean_text_offsets_map_back_to_raw():
    raw = "Itās  here.\r\nSecond\u00a0line with “quotes”."
    result = clean_text(raw)
    start = result.text.index("Second")
    lo, hi = result.tracked.raw_span(start, start + len("Second"))
    assert raw[lo:hi] == "Second"


def test_malformed_furniture_file_names_file_and_line(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - category: x\n    patterns: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"rules.yaml.*bad pattern"):
        load_furniture_rules(bad)
    bad.write_text("rules: [\n  - :\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"rules.yaml: invalid YAML at line \d"):
        load_furniture_rules(bad)
    bad.write_text("max_line_words: many\nrules:\n  - category: x\n    patterns: ['a']\n",
                   encoding="utf-8")
    with pytest.raises(LexiconError, match=r"rules.yaml.*max_line_words must be a positive"):
        load_furniture_rules(bad)


def test_lines_repeated_across_an_outlets_articles_are_furniture():
    import pandas as pd

    import framing

    body = ("Regulators in several countries opened reviews of how the company stores the data of "
            "its users. Analysts said the outcome could shape the market for years. {n}")
    texts = [body.format(n=f"Story {k} adds its own detail.") + "\n\nShare Save\n\nGetty Images"
             for k in range(5)] + [body.format(n=f"Item {k}.") for k in range(5)]
    frame = pd.DataFrame({"text": texts, "outlet": ["Loud"] * 5 + ["Quiet"] * 5})
    corpus = framing.load_corpus(frame)
    removed = corpus.quality[corpus.quality["category"] == "repeated_line"]
    assert sorted(set(removed["before"])) == ["Getty Images", "Share Save"]
    assert len(removed) == 10 and not corpus.articles["text"].str.contains("Share Save").any()
    # the shared reporting sentence is in every article of both outlets, but only as part of
    # a longer paragraph, so it stays
    assert corpus.articles["text"].str.contains("Analysts said the outcome").all()
    kept = framing.load_corpus(frame, keep_furniture=True)
    assert kept.articles["text"].str.contains("Share Save").sum() == 5
    assert kept.quality[kept.quality["step"] == "remove_furniture"].empty


def test_repeated_line_thresholds():
    from framing.corpus import repeated_lines

    texts = ["Body one.\n\nBoiler", "Body two.\n\nBoiler", "Body three.\n\nBoiler", "Body four."]
    assert repeated_lines(texts, ["A"] * 4) == {"A": frozenset({"boiler"})}
    assert repeated_lines(texts[:2], ["A"] * 2) == {"A": frozenset()}  # two articles: too few
    assert repeated_lines(texts, ["unknown"] * 4) == {}  # no outlet information: left alone
