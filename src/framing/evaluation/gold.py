"""The out-of-story gold set: sentences drawn at random from real news, labelled by hand.

:func:`draw_sentences` draws the sentences (seeded, reproducible: a test draws them again and
finds the committed texts) from every article of PolNeAR (train and dev) and PTC (train) in
``../shared/validation``, each article segmented by :func:`framing.segment.segment_article` as
published. Sentences of fewer than :data:`MIN_WORDS` words (headlines cut to a word or two,
bylines) are not drawn. The labels in ``data/gold_out_of_story.jsonl`` were written by reading
each sentence against ../shared/docs/codebook.md section 4, before any cue or model was tuned
on them (the file's header names the commit that added them; docs/validation.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..segment import segment_article
from .data import read_jsonl

__all__ = ["GOLD_SEED", "GOLD_SIZE", "MIN_WORDS", "SOURCES", "draw_sentences"]

#: Where the sentences come from, relative to the validation folder, and each file's id field.
SOURCES = (("attribution/polnear_train.jsonl", "doc_id"), ("attribution/polnear_dev.jsonl", "doc_id"),
           ("framing/ptc_train.jsonl", "article_id"))
GOLD_SEED = 20261126
GOLD_SIZE = 320
MIN_WORDS = 5


def draw_sentences(data: str | Path, n: int = GOLD_SIZE, seed: int = GOLD_SEED) -> list[dict]:
    """``n`` sentences drawn uniformly without replacement from all sentences of at least
    :data:`MIN_WORDS` words: ``{"text", "origin"}`` with origin ``file:document:start``."""
    data = Path(data)
    pool = []
    for name, key in SOURCES:
        for doc in read_jsonl(data / name):
            text = doc["text"]
            frame = segment_article(str(doc[key]), text)
            for start, end in zip(frame["start"].tolist(), frame["end"].tolist()):
                sentence = " ".join(text[start:end].split())
                if len(sentence.split()) >= MIN_WORDS:
                    pool.append((sentence, f"{name}:{doc[key]}:{start}"))
    picks = np.random.default_rng(seed).choice(len(pool), size=n, replace=False)
    return [{"text": pool[i][0], "origin": pool[i][1]} for i in sorted(picks)]
