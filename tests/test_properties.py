"""Property-based tests: arbitrary Unicode never crashes loading and segmenting."""

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import load_corpus
from framing.clean import clean_text
from framing.segment import paragraph_spans, quote_spans, segment_article

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
prose = st.lists(st.sampled_from(["U.S.", "Dr.", "“", "”", '"', "ā", "â", "\n", "\n\n", " ",
                                  "word", "Word.", "said", "?", "—", "‘", "’", "|", "💡", "\r\n",
                                  "Loading Now", "#", "<b>", "</b>", "<tweet/>", "</tweet>",
                                  '<tweet id="1" author="@a">', "<p>", "<"]),
                   max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, prose))
def test_segmenting_arbitrary_text_never_crashes_and_offsets_slice(text):
    result = clean_text(text)
    frame = segment_article("x", result.text, result.paragraphs)
    for row in frame.itertuples():
        assert result.text[row.start:row.end] == row.text
        assert row.text == row.text.strip() and row.text
    for start, end, _ in result.paragraphs:
        lo, hi = result.tracked.raw_span(start, end)
        assert 0 <= lo <= hi <= len(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, prose), st.data())
def test_compact_offset_map_gives_the_same_raw_spans(text, data):
    tracked = clean_text(text).tracked
    compact = tracked.compact()
    n = len(tracked)
    assert len(compact) == n and len(compact.starts) <= max(1, n)
    pairs = [(0, n), (n, n), (0, 0)] + [tuple(sorted(data.draw(st.tuples(
        st.integers(0, n), st.integers(0, n))))) for _ in range(20)]
    for start, end in pairs:
        assert compact.raw_span(start, end) == tracked.raw_span(start, end), (start, end)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(texts, prose), min_size=1, max_size=3))
def test_loading_arbitrary_texts_never_crashes(items):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(items)
    assert len(corpus.articles) + len(corpus.problems.query("code.str.startswith('E-')")) == len(items)
    texts_by_id = dict(zip(corpus.articles["article_id"], corpus.articles["text"]))
    for row in corpus.sentences.itertuples():
        assert texts_by_id[row.article_id][row.start:row.end] == row.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", '"', "‘", "’", "a", "A", " ", "\n\n", "(", "it’s"]),
                max_size=40).map("".join))
def test_quotes_open_at_a_mark_and_close_at_a_mark_or_the_paragraph_end(text):
    paragraphs = paragraph_spans(text)
    spans = quote_spans(text, paragraphs)
    assert spans == sorted(spans)
    for (a, b), following in zip(spans, spans[1:] + [(len(text) + 1, 0)]):
        end = next(e for s, e in paragraphs if s <= a < e)
        assert text[a] in "“\"‘" and a < b <= end and b <= following[0]
        assert b == end or text[b - 1] in "”\"’" or text[b] == "“"
