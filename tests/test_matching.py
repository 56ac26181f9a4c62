"""The anchored matcher finds exactly what a full regular-expression scan finds."""

import random
import re

import pytest

from framing.lexicons import Category, Lexicon, compile_terms, load_lexicons, load_targets
from framing.lexicons.anchors import FOLD, category_anchors
from framing.measures.matching import SentenceIndex, find, scan
from framing.measures.sentiment import target_patterns
from framing.evaluation.data import GOLD_SETS, load_gold

TRICKY = [
    "İstanbul's officials said the U.S. may be 3 times bigger than China, perhaps.",
    "“It could not,” she said: 10 times, twice — about 20% of the US (not us) firms.",
    "The gap between the two remains wide; questions linger about DeepSeek-V3 and R1.",
    "Would you? Rumoured, rumored; don't know; we don’t know; anticipated anticipation.",
    "ſo KELVIN sign: K; ÉTATS-UNIS compete with China; vs. America; versus the U.S.",
    "", "said", "   ", "_said_ said_ _said",
    "ſaid so; lıke it; SAİD İİ said; ẞ and ß; Kind",  # characters re.IGNORECASE folds specially
]


def _sentences(seed_corpus) -> list[str]:
    found = list(seed_corpus.sentences["text"]) + TRICKY
    found += [row["text"] for name in GOLD_SETS for row in load_gold(None, name)]
    return found


def _all_categories() -> list[Category]:
    lexicons = load_lexicons()
    return [c for lexicon in lexicons.values() for c in lexicon.categories] + \
        target_patterns(load_targets())


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


def test_packaged_patterns_are_all_anchored():
    # a packaged category that loses its anchors silently becomes slow: catch it here
    assert [c.name for c in _all_categories() if c.anchors is None] == []


def test_anchored_scan_equals_finditer_on_real_and_tricky_sentences(seed_corpus):
    for category in _all_categories():
        for sentence in _sentences(seed_corpus):
            full = [m for m in category.pattern.finditer(sentence) if m.end() > m.start()]
            assert _spans(scan(category.pattern, sentence, category.anchors)) == _spans(full), \
                (category.name, sentence)


def test_every_lexicon_category_found_through_the_automaton_as_by_finditer(seed_corpus,
                                                                            validation_dir):
    """``find`` takes the plain terms of all of a lexicon's categories from one Aho-Corasick
    pass (pyahocorasick) and tries ``re:`` and ``word*`` terms only at their anchors: the same
    spans as ``finditer`` of each category's pattern, on real news and tricky text (a run of
    whitespace, which the automaton leaves to the pattern, included)."""
    import json

    sentences = _sentences(seed_corpus) + ["The  American people\tsaid; Chinese\u00a0officials may",
                                           "celebrating, celebrated; censors' vulnerabilities"]
    with (validation_dir / "framing" / "ptc_train.jsonl").open(encoding="utf-8") as handle:
        for line in list(handle)[:40]:
            sentences += json.loads(line)["text"].split("\n")
    through_automaton = 0
    for lexicon in load_lexicons().values():
        for category in lexicon.categories:
            through_automaton += category.literal_plan is not None
            for sentence in sentences:
                full = [(m.start(), m.end(), m.group(0).lower())
                        for m in category.pattern.finditer(sentence) if m.end() > m.start()]
                assert [(s.start, s.end, s.term) for s in find(category, sentence)] == full, \
                    (category.name, sentence)
    assert through_automaton == sum(len(x.categories) for x in load_lexicons().values())


def test_large_categories_tried_word_by_word_find_what_a_full_scan_finds(seed_corpus,
                                                                          validation_dir):
    """Categories of thousands of terms ("the {demonym} people" for every nation) are tried at
    each word with only the terms that can start there: the same spans as a full scan, on
    real news (PTC sentences with national referents) and tricky text."""
    import json

    from framing.measures.matching import SPLIT_FROM, find

    large = [c for c in _all_categories() if len(c.terms) > SPLIT_FROM]
    assert {c.name for c in large} >= {"identity", "rivalry", "threat", "pride"}
    sentences = _sentences(seed_corpus) + [
        "The American people, not the Kremlin, decide; against China and versus the U.S.",
        "Un-American! Fellow Americans, Americans' pride, AMERICAN PEOPLE and the american public.",
        "Russian hackers, russian Hackers; threats from Iran; Our country, this nation's soul.",
    ]
    with (validation_dir / "framing" / "ptc_train.jsonl").open(encoding="utf-8") as handle:
        for line in list(handle)[:60]:
            sentences += json.loads(line)["text"].split("\n")
    for category in large:
        for sentence in sentences:
            full = [(m.start(), m.end(), m.group(0).lower())
                    for m in category.pattern.finditer(sentence) if m.end() > m.start()]
            assert [(s.start, s.end, s.term) for s in find(category, sentence)] == full, \
                (category.name, sentence)


@pytest.mark.parametrize("terms, starts, exact, prefixes", [
    (["according to", "said", "suggest*"], None, {"according", "said"}, ("suggest",)),
    (["U.S.", "don't know", "self-reliance"], None, {"u", "don", "self"}, ()),
    ([r"re:(?<!\w)(?:a|the) (?:new )?study(?!\w)"], ["a", "the"], {"a", "the"}, ()),
    ([r"re:(?<!\w)rumou?red(?!\w)", "maybe"], ["rumo*"], {"maybe"}, ("rumo",)),
])
def test_anchors_come_from_the_terms_and_the_declared_starts(terms, starts, exact, prefixes):
    anchors = category_anchors(terms, starts)
    assert anchors is not None
    assert set(anchors.exact) == exact and anchors.prefixes == prefixes


@pytest.mark.parametrize("terms", [
    [r"re:(?<!\w)\w+ly(?!\w)"],   # a re: term whose starts are not declared
    ["$5 billion"],                  # does not start with a word character
])
def test_unanchored_categories_are_scanned_in_full(terms):
    assert category_anchors(terms) is None
    pattern = compile_terms(terms)
    text = "xsaid said quickly $5 billion"
    assert _spans(scan(pattern, text, None)) == _spans(
        [m for m in pattern.finditer(text) if m.end() > m.start()])


def test_case_folding_agrees_with_re_ignorecase():
    """FOLD (simple lower case plus the shipped table of re's equal characters) puts two
    characters together exactly when re.IGNORECASE matches one with the other: checked with
    re's public API over every character of the Basic Multilingual Plane and beyond it where
    the table reaches."""
    codes = list(range(0x20, 0x3000)) + list(range(0x1C80, 0x1C90)) + [0xA64B, 0x1E9B, 0x1E61,
                                                                       0xFB05, 0xFB06, 0x212A]
    for code in codes:
        char = chr(code)
        if char.isspace() or not char.isprintable():
            continue
        folded = chr(FOLD[code])
        assert re.fullmatch(re.escape(char), folded, re.IGNORECASE), (hex(code), folded)
        upper = char.upper()  # re's partner of a character: must fold together
        if len(upper) == 1 and re.fullmatch(re.escape(upper), char, re.IGNORECASE):
            assert FOLD[code] == FOLD[ord(upper)], hex(code)
    for lower, equals in FOLD.equals.items():  # every pair of the table is one re agrees with
        for other in equals:
            assert re.fullmatch(re.escape(chr(lower)), chr(other), re.IGNORECASE)
            assert FOLD[lower] == FOLD[other], (hex(lower), hex(other))


def test_random_lexicons_match_like_finditer():
    """Random term lists (phrases, ``word*``, apostrophes, overlapping terms) on random text."""
    rng = random.Random(3)
    vocabulary = ["said", "says", "say", "the", "study", "threat", "threats", "to", "don't",
                  "don’t", "know", "u.s.", "China", "10", "times", "gap", "remains", "a", "new",
                  "anticipate", "anticipated", "e-mail", "x", "İstanbul"]
    for trial in range(60):
        terms = set()
        for _ in range(rng.randint(1, 6)):
            words = rng.sample(vocabulary, rng.randint(1, 3))
            if rng.random() < 0.3:
                words[-1] = words[-1].rstrip(".") + "*"
            terms.add(" ".join(words))
        starts = None
        if rng.random() < 0.3:
            terms.add(r"re:(?<!\w)(?:the|a) (?:new )?(?:study|gap)s?(?!\w)")
            starts = ["the", "a"]
        case_sensitive = rng.random() < 0.2
        pattern = compile_terms(terms, case_sensitive=case_sensitive)
        anchors = category_anchors(terms, starts)
        # the same terms as a category of a lexicon, matched through its automaton, beside a
        # second category sharing some terms
        category = Category("random", "hedge", tuple(sorted(terms)), pattern,
                            case_sensitive=case_sensitive,
                            starts=tuple(starts) if starts else None)
        other = Category("other", "hedge", ("the", "said"), compile_terms(["the", "said"]))
        Lexicon("random", "1", (), (other, category), "")
        for _ in range(40):
            text = rng.choice([" ", " ", " ", "  ", "\n", " \u00a0"]).join(
                rng.choice(vocabulary + [",", "—", "“", "”"]) for _ in range(rng.randint(0, 14)))
            text = text.replace(" ,", ",") if rng.random() < 0.5 else text.upper()
            full = [m for m in pattern.finditer(text) if m.end() > m.start()]
            assert _spans(scan(pattern, text, anchors)) == _spans(full), (sorted(terms), text)
            assert [(s.start, s.end, s.term) for s in find(category, text)] == \
                [(m.start(), m.end(), m.group(0).lower()) for m in full], (sorted(terms), text)


def test_curly_and_straight_apostrophes_match_each_other():
    for term in ("don’t know", "don't know"):
        pattern = compile_terms([term])
        assert [m.group(0) for m in pattern.finditer("I don't know; we don’t know")] == \
            ["don't know", "don’t know"]


def test_sentence_index_offsets():
    index = SentenceIndex("Said he, and said she: SAID.")
    assert index.words == {"said", "he", "and", "she"}
    assert index.starts("said") == [0, 13, 23]
    # "İ" lower-cases to two characters; offsets must still be the sentence's
    other = SentenceIndex("İİ said, said")
    assert [other.sentence[k:k + 4] for k in other.starts("said")] == ["said", "said"]


def test_large_patterns_are_compiled_when_first_used_and_pickled_as_terms():
    """The framing lexicon's alternations of thousands of terms are compiled only when a
    sentence needs them (the automaton does the plain terms), and travel to worker processes
    as their terms: the same matches once compiled."""
    import pickle

    from framing.lexicons import LazyPattern, compile_terms

    identity = load_lexicons()["framing"].category("identity")
    assert isinstance(identity.pattern, LazyPattern) and len(identity.terms) > 1000
    copy = pickle.loads(pickle.dumps(identity))
    assert copy.pattern._compiled is None and copy.pattern == identity.pattern
    text = "The American people and our country's sovereignty; the americans"
    assert [m.span() for m in copy.pattern.finditer(text)] == \
        [m.span() for m in compile_terms(identity.terms).finditer(text)] != []
    assert copy.pattern._compiled is not None
    with pytest.raises(AttributeError):  # not set up (made without its constructor): no recursion
        LazyPattern.__new__(LazyPattern).match
