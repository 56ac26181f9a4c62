"""The four measure families, applied sentence by sentence.

:func:`measure_article` is a pure function of one article's text and sentences; it returns the
sentence columns and the match rows. :func:`measure_articles` measures several at once, the
learned cue models scoring all their candidates together (the same results);
:func:`measure_corpus` runs it over a corpus in chunks of :data:`CHUNK` articles.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np
import pandas as pd

from ..lexicons import Lexicon, load_lexicons, load_targets
from ..segment import paragraph_spans, quote_spans
from . import definitions, registry  # noqa: F401 - definitions registers the packaged measures
from .attribution import attribute_articles
from .cue_model import MODEL_NAMES, CueModel, load_model
from .framing_cues import LEARNED_IDENTITY, NATIONALIST_LABELS, framing_spans_many, sub_label
from .sentiment import compound, target_patterns, target_spans
from .stance import stance_spans_many

__all__ = ["CHUNK", "MATCH_COLUMNS", "MeasureConfig", "measure_article", "measure_articles",
           "measure_corpus", "registry"]

MATCH_COLUMNS = ["article_id", "sentence_index", "start", "end", "measure", "category", "term",
                 "lexicon_version"]


@dataclass(frozen=True)
class MeasureConfig:
    """Lexicons, targets and learned cue models used by the measures.

    ``models`` maps "hedge", "attribution" and/or "nationalist" to a :class:`CueModel`; an empty mapping
    measures with the lexicons and rules alone.
    """

    lexicons: dict[str, Lexicon]
    targets: dict[str, tuple[str, ...]]
    models: dict[str, CueModel] = field(default_factory=dict)
    #: Frame models of the user's own (``framing train-frame``), by name: measures registered
    #: with :func:`framing.measures.frames.register_frame_model`.
    frame_models: dict = field(default_factory=dict)

    @cached_property
    def target_patterns(self) -> list:
        """Compiled target patterns (built once per configuration)."""
        return target_patterns(self.targets)

    @classmethod
    def load(cls, lexicon_files=(), targets_file=None, models: bool = True,
             frame_models=()) -> "MeasureConfig":
        """The packaged (or given) lexicons and targets, with the packaged models unless
        ``models=False``, and the frame models given (files or
        :class:`~framing.measures.frames.FrameModel`), each registered as a measure."""
        from .frames import FrameModel, load_frame_model, register_frame_model

        frames = {}
        for item in frame_models:
            model = item if isinstance(item, FrameModel) else load_frame_model(item)
            if model.name in frames:
                from ..errors import ConfigurationError

                raise ConfigurationError(f"two frame models are named {model.name!r}",
                                         hint="train one of them with another --name")
            register_frame_model(model)
            frames[model.name] = model
        return cls(load_lexicons(lexicon_files), load_targets(targets_file),
                   {name: load_model(name) for name in MODEL_NAMES} if models else {}, frames)


def measure_article(article_id: str, text: str, sentences, config: MeasureConfig,
                    quotes: list[tuple[int, int]] | None = None
                    ) -> tuple[dict[str, list], list[tuple]]:
    """Measure one article. ``sentences`` are its rows of the ``sentences`` table (or any
    mapping with its ``start``, ``end`` and ``sentence_index`` columns); ``quotes`` are its
    quotation spans as segmentation found them (``Corpus.quotes``; found again when not
    given)."""
    return measure_articles([(article_id, text, sentences, quotes)], config)[0]


def measure_articles(articles: Sequence[tuple], config: MeasureConfig
                     ) -> list[tuple[dict[str, list], list[tuple]]]:
    """:func:`measure_article` of each ``(article_id, text, sentences, quotes)``. The learned
    cue models score the candidates of all the articles together, one ``predict_proba`` per
    model (docs/models.md); each article's result depends on that article alone."""
    stance, framing, attribution = (config.lexicons[k] for k in ("stance", "framing", "attribution"))
    models = config.models
    offsets = [(list(sentences["start"]), list(sentences["end"]))
               for _, _, sentences, _ in articles]
    texts = [[text[a:b] for a, b in zip(starts, ends)]
             for (_, text, _, _), (starts, ends) in zip(articles, offsets)]
    flat = [sentence for article in texts for sentence in article]
    all_stance = iter(stance_spans_many(flat, stance, models.get("hedge")))
    all_framing = iter(framing_spans_many(flat, framing, models.get("nationalist")))
    attributions = attribute_articles(
        [(text, list(zip(starts, ends)),
          quote_spans(text, paragraph_spans(text)) if quotes is None else quotes)
         for (_, text, _, quotes), (starts, ends) in zip(articles, offsets)],
        attribution, models.get("attribution"))
    return [_article_tables(article_id, text, sentences, starts, sentence_texts,
                            [next(all_stance) for _ in sentence_texts],
                            [next(all_framing) for _ in sentence_texts], attributed, config)
            for (article_id, text, sentences, _), (starts, _), sentence_texts, attributed
            in zip(articles, offsets, texts, attributions)]


def _article_tables(article_id: str, text: str, sentences, starts: list[int], texts: list[str],
                    stance_found: list, framing_found: list, attributed, config: MeasureConfig
                    ) -> tuple[dict[str, list], list[tuple]]:
    """One article's sentence columns and match rows from its spans."""
    stance, framing, attribution = (config.lexicons[k] for k in ("stance", "framing", "attribution"))
    patterns = config.target_patterns
    identity_model = config.models.get("nationalist")
    learned_label = config.models["attribution"].label if "attribution" in config.models else ""
    columns: dict[str, list] = {c: [] for c in registry.sentence_columns()}
    matches: list[tuple] = []
    indexes = list(sentences["sentence_index"])
    for index, start, sentence, found_stance, found_framing in zip(
            indexes, starts, texts, stance_found, framing_found):
        found_targets = target_spans(sentence, patterns)
        labels = sorted({sub_label(s.category) for s in found_framing
                         if s.measure == "nationalist"}, key=NATIONALIST_LABELS.index)
        cautionary = any(s.measure == "cautionary" for s in found_framing)
        columns["sentiment"].append(compound(sentence))
        columns["hedges"].append(sum(s.measure == "hedge" for s in found_stance))
        columns["boosters"].append(sum(s.measure == "booster" for s in found_stance))
        columns["conditions"].append(sum(s.measure == "condition" for s in found_stance))
        columns["approximators"].append(sum(s.measure == "approximator" for s in found_stance))
        columns["nationalist"].append(bool(labels))
        columns["cautionary"].append(cautionary)
        columns["frame_labels"].append(";".join(labels + (["cautionary"] if cautionary else [])))
        columns["targets"].append(";".join(sorted({s.category for s in found_targets})))
        matches += [(article_id, index, start + s.start, start + s.end, s.measure, s.category,
                     s.term, stance.label) for s in found_stance]
        matches += [(article_id, index, start + s.start, start + s.end, s.measure, s.category,
                     s.term, identity_model.label if s.category == LEARNED_IDENTITY
                     else framing.label) for s in found_framing]
        matches += [(article_id, index, start + s.start, start + s.end, s.measure, s.category,
                     s.term, "targets") for s in found_targets]
    for position, span in attributed.spans:
        start = starts[position]
        matches.append((article_id, indexes[position], start + span.start, start + span.end,
                        "attribution" if span.measure == "attribution_cue" else span.measure,
                        span.category, span.term,
                        learned_label if span.category == "learned_cue" else attribution.label))
    columns["attributed"] = attributed.attributed
    columns["direct_quote"] = attributed.direct_quote
    columns["source_kind"] = attributed.source_kind
    columns["speaker"] = attributed.speaker
    columns["voice"] = attributed.voice
    for family in registry.families().values():  # measures registered by other modules
        extra_columns, extra_matches = family(article_id, text, sentences, config)
        columns.update(extra_columns)
        matches += extra_matches
    matches.sort(key=lambda m: (m[1], m[2], m[3], m[4], m[5]))
    return columns, matches


def _empty_columns(n: int) -> dict[str, list]:
    return {c: [default] * n for c, default in registry.sentence_columns().items()}


#: Articles measured together (their model candidates scored with one ``predict_proba``).
CHUNK = 4


def _measure_chunk(config: MeasureConfig, chunk: list[tuple]) -> list[tuple[dict, list]]:
    """:func:`measure_articles` of the English articles of a chunk of ``(article_id, text,
    sentences, is_english, quotes)`` items, empty columns for the others, in order."""
    if config.frame_models:  # a worker started without the parent's registry (spawn)
        from .frames import register_frame_model

        known = registry.families()
        for name, model in config.frame_models.items():
            if f"frame:{name}" not in known:
                register_frame_model(model)
    measured = iter(measure_articles([(article_id, text, spans, quotes)
                                      for article_id, text, spans, english, quotes in chunk
                                      if english], config))
    return [next(measured) if english else (_empty_columns(len(spans["start"])), [])
            for _, _, spans, english, _ in chunk]


def _chunks(items: list, jobs: int) -> list[list]:
    """Runs of at most :data:`CHUNK` items, small enough to give ``jobs`` processes about
    eight chunks each."""
    size = max(1, min(CHUNK, len(items) // (8 * jobs))) if jobs > 1 else CHUNK
    return [items[k:k + size] for k in range(0, len(items), size)]


def measure_corpus(articles: pd.DataFrame, sentences: pd.DataFrame, config: MeasureConfig,
                   progress: bool = False, jobs: int = 1, quotes: dict | None = None,
                   meanwhile=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the measure columns to ``sentences`` and build the ``matches`` table.

    ``quotes`` maps article ids to the quotation spans segmentation found (``Corpus.quotes``);
    articles not in it have theirs found again.

    Articles that are not English keep empty values (NaN sentiment) and a warning is given.
    ``jobs`` processes measure articles in parallel; the result does not depend on it.
    ``meanwhile`` is called once in this process while they do (see
    :func:`framing.engine.parallel_map`).
    """
    from ..engine import MAX_CHUNK, bar, parallel_map

    # each article's sentence rows, in table order, without building one DataFrame per article
    codes, uniques = pd.factorize(sentences["article_id"])
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
    group = {article_id: k for k, article_id in enumerate(uniques)}
    offsets = {c: sentences[c].to_numpy()[order] for c in ("start", "end", "sentence_index")}
    items, rows = [], []
    for article_id, text, english in zip(articles["article_id"], articles["text"],
                                         articles["is_english"]):
        if article_id not in group:
            continue
        a, b = bounds[group[article_id]], bounds[group[article_id] + 1]
        # workers get only the sentence offsets (cheap to send), not DataFrames
        items.append((article_id, text, {c: v[a:b].tolist() for c, v in offsets.items()},
                      bool(english), (quotes or {}).get(article_id)))
        rows.append(order[a:b])
    show = bar("Measuring", progress)
    # the engine maps chunks; the bar counts articles as their chunks come back
    results = parallel_map(_measure_chunk, _chunks(items, jobs), config, jobs=jobs,
                           progress=lambda done, _: show((r for chunk in done for r in chunk),
                                                         len(items)),
                           max_chunk=max(1, MAX_CHUNK // CHUNK),  # as many articles as others
                           meanwhile=meanwhile)
    all_matches: list[tuple] = []
    for (article_id, _, _, english, _), (columns, matches) in zip(items, results):
        if not english:
            warnings.warn(f"{article_id}: not English; measures skipped", stacklevel=2)
        all_matches.extend(matches)
    if items:
        # one row selection and one column assignment for the whole corpus
        measured = sentences.take(np.concatenate(rows)).reset_index(drop=True)
        for column in registry.sentence_columns():
            measured[column] = [v for columns, _ in results for v in columns[column]]
    else:
        measured = sentences.assign(**{c: pd.Series(dtype=object)
                                       for c in registry.sentence_columns()})
    matches = pd.DataFrame(all_matches, columns=MATCH_COLUMNS)
    return measured, matches
