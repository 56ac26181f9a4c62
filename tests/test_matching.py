"""The anchored matcher finds exactly what a full regular-expression scan finds."""

import random
import re

import pytest

from framing.lexicons import Category, compile_terms, load_lexicons, load_targets
from framing.lexicons.anchors import pattern_anchors
from framing.measures.matching import SentenceIndex, scan
from framing.measures.sentiment import target_patterns
from framing.evaluation.validate import GOLD_SETS, load_gold

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


@pytest.mark.parametrize("regex, exact, prefixes", [
    (r"(?<!\w)(?:a|the) (?:new )?study(?!\w)", {"a", "the"}, ()),
    (r"(?<!\w)(?:twice|\d+ times)(?!\w)", {"twice"}, tuple("0123456789")),
    (r"(?<!\w)rumou?red(?!\w)", set(), ("rumo",)),
    (r"\bthreats? to\b", set(), ("threat",)),
    (r"(?<!\w)U\.S\.(?!\w)", {"u"}, ()),
])
def test_anchors_of_regular_expressions(regex, exact, prefixes):
    anchors = pattern_anchors(re.compile(regex, re.IGNORECASE))
    assert anchors is not None
    assert set(anchors.exact) == exact and anchors.prefixes == prefixes


@pytest.mark.parametrize("regex", [
    r"said",                 # no word boundary: may start inside a word
    r"(?<!\w)\w+ly(?!\w)",    # no literal start
    r"(?:(?<!\w)said|x)",     # one alternative is not anchored
    r"(?<!\w)(?:said)?x",   # may start with x or with said
])
def test_unanchorable_patterns_are_scanned_in_full(regex):
    pattern = re.compile(regex)
    assert pattern_anchors(pattern) is None
    text = "xsaid said quickly"
    assert _spans(scan(pattern, text, None)) == _spans(
        [m for m in pattern.finditer(text) if m.end() > m.start()])


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
        if rng.random() < 0.3:
            terms.add(r"re:(?<!\w)(?:the|a) (?:new )?(?:study|gap)s?(?!\w)")
        pattern = compile_terms(terms, case_sensitive=rng.random() < 0.2)
        anchors = pattern_anchors(pattern)
        for _ in range(40):
            text = " ".join(rng.choice(vocabulary + [",", "—", "“", "”"])
                            for _ in range(rng.randint(0, 14)))
            text = text.replace(" ,", ",") if rng.random() < 0.5 else text.upper()
            full = [m for m in pattern.finditer(text) if m.end() > m.start()]
            assert _spans(scan(pattern, text, anchors)) == _spans(full), (sorted(terms), text)


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
