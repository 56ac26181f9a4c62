"""The media-literacy classroom kit (``framing classroom`` and ``framing agreement``).

:func:`build_kit` turns a few articles into a student worksheet (anonymised, numbered sentences,
tasks, sentences to code, answers downloadable as CSV from the page itself) and a teacher key
(outlets revealed, the tool's highlighted text and figures, expected answers with evidence,
plain-language explanations and discussion questions). :func:`agreement` compares students'
answer CSVs with the tool and with each other. Both pages are single HTML files with no
external resource, so they work from a USB stick on a school computer with no network.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CODE_LABELS", "TASKS", "Kit", "balanced_sample", "build_kit", "render_kit",
           "select_sentences"]

#: The labels students code, in the codebook's terms.
CODE_LABELS = ("nationalist", "cautionary", "hedge", "attributed")

#: Tasks: id -> (question by level, article measure deciding the expected answer, direction).
TASKS = {
    "most_certain": ({"school": "Which article sounds most sure of itself?",
                      "university": "Which article expresses the most epistemic certainty (fewest "
                                    "hedges relative to boosters)?"},
                     "hedges_per_1k", "lowest"),
    "most_hedged": ({"school": "Which article uses the most 'maybe' words (may, might, could, "
                               "likely...)?",
                     "university": "Which article hedges most (hedges per 1,000 words)?"},
                    "hedges_per_1k", "highest"),
    "named_voices": ({"school": "In which article do named people get to speak the most?",
                      "university": "Which article gives named sources the most voice "
                                    "(attributed sentences with named sources)?"},
                     "named_voice_share", "highest"),
    "contest": ({"school": "Which article tells the story most as a contest between countries?",
                 "university": "Which article uses the nationalist (contest-of-nations) frame most?"},
                "nationalist_share", "highest"),
    "cautious": ({"school": "Which article is the most cautious: talking about limits, risks or "
                            "doubts?",
                  "university": "Which article uses the cautionary frame most?"},
                 "cautionary_share", "highest"),
}

#: What each label means, by level (shown on the worksheet and in the key).
EXPLANATIONS = {
    "school": {
        "nationalist": "The sentence makes the story a competition or a matter of national pride: "
                       "one country beating, catching up with, or threatening another.",
        "cautionary": "The sentence points to limits, risks, doubts or problems: it slows the "
                      "story down.",
        "hedge": "The writer sounds less than sure: words like may, might, could, likely, seems, "
                 "possibly.",
        "attributed": "Someone other than the journalist is the source: a person, a group or a "
                      "report 'said', 'told', 'according to...', or is quoted.",
        "sentiment": "Whether the words of a sentence sound positive or negative, from a list of "
                     "words people rated (VADER). It does not know what is good news for whom.",
    },
    "university": {
        "nationalist": "Contest frame (codebook section 4): rivalry, national pride or triumph, "
                       "threat or alarm, self-reliance, national comparisons of capacity.",
        "cautionary": "Cautionary frame: qualification by limits, risks, constraints, doubt or "
                      "uncertainty.",
        "hedge": "Hedge (Hyland): a marker lowering commitment to a proposition (epistemic modals, "
                 "verbs, adverbs, uncertainty phrases), excluding ability 'could', the month "
                 "'May', approximators and conditionals.",
        "attributed": "Attribution (PARC): a source, a cue and content; direct quotes, reported "
                      "speech, 'according to', document sources.",
        "sentiment": "VADER compound score per sentence, a lexicon-and-rules valence estimate "
                     "validated on social media and news, blind to target and irony.",
    },
}

#: Discussion questions, by level: (question, when it is asked). ``always``; ``rewrites``: some
#: of the lesson's articles are near-copies of each other (``{pairs}`` names them);
#: ``republished``: some articles give an original source other than their publisher;
#: ``single``: every outlet has one article.
DISCUSSION = {
    "school": [
        ("Did you guess the outlets? What gave them away: the words, the sources, the tone?",
         "always"),
        ("Find a sentence where you and the tool disagree. Who is right, and why?", "always"),
        ("The tool counts words. What can a word count miss? (Irony, quotes it disagrees with, "
         "machine-translated text.)", "always"),
        ("{pairs} tell much the same story in many of the same words. Does a copy tell the "
         "story the same way as the original?", "rewrites"),
        ("Some of these articles were first written by another outlet. Whose way of telling the "
         "story are we reading?", "republished"),
        ("If you were the editor, which one sentence would you change to make an article more "
         "balanced?", "always"),
    ],
    "university": [
        ("Which measurement choices (lexicons, thresholds, smoothing of the framing balance) "
         "could change the ranking of the articles? Test one with --lexicon.", "always"),
        ("Where is the tool likely wrong? Look at quoted speech counted as framing, scare quotes, "
         "hedges inside quotes, and machine-translated text.", "always"),
        ("Is a high attribution density a sign of balance, or of outsourcing the frame to "
         "sources?", "always"),
        ("{pairs} are near-copies (TF-IDF cosine {similarity}). Whose framing are we measuring, "
         "the outlet's or the original source's?", "rewrites"),
        ("Republished copies: compare --by publisher with --by original_source. Whose framing "
         "does each grouping measure?", "republished"),
        ("What would a fair comparison need: how many articles per outlet, and why is one "
         "article each only descriptive?", "single"),
    ],
}

#: Readable names of the task measures the key shows (beside the report's labels).
TASK_LABELS = {"named_voice_share": "Share of sentences in which a named source speaks"}
#: Two articles whose task values are this close (relative, or absolute for values near 0)
#: are a tie: the key gives both, and either answer agrees with the tool.
TIE_RTOL, TIE_ATOL = 0.05, 0.005
#: Articles on a worksheet when the corpus is larger and none are named: a balanced sample.
LESSON_SIZE = 6
#: At most this many articles of one outlet in a balanced sample.
PER_OUTLET = 2
#: Sentences to code: the tool's positives wanted for each label, where the articles have them.
POSITIVES_PER_LABEL = 2

@dataclass
class Kit:
    """What :func:`build_kit` produces (write it with :func:`render_kit`)."""

    letters: dict[str, str]            # letter -> article_id
    articles: pd.DataFrame             # the chosen articles, with their letter
    sentences: pd.DataFrame            # their sentences, numbered per letter (item "A3")
    coded: pd.DataFrame                # the sentences to code, with the tool's labels
    expected: dict[str, dict]          # task -> {"answer", "measure", "values", "evidence"}
    analysis: object
    level: str
    seed: int
    pattern: object = None             # the names hidden (a compiled pattern, or None)
    discussion: list = None            # the discussion questions these articles call for
    chosen: pd.DataFrame | None = None  # the balanced sample, when the kit chose the articles


def _label_frame(sentences: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "nationalist": sentences["nationalist"].astype(bool),
        "cautionary": sentences["cautionary"].astype(bool),
        "hedge": sentences["hedges"].astype(int) > 0,
        "attributed": sentences["attributed"].astype(bool),
    }, index=sentences.index)


def select_sentences(sentences: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` sentences to code, reproducible with ``seed``: first, for each label, up to
    :data:`POSITIVES_PER_LABEL` sentences the tool gives it (where the articles have any), so
    every label students code has positives to agree or disagree on; then sentences with and
    without labels, to about half each, spread over the articles; headings and sentences shorter
    than six words are left out."""
    pool = sentences[~sentences["is_heading"].astype(bool)
                     & (sentences["text"].str.split().str.len() >= 6)]
    labels = _label_frame(pool)
    rng = np.random.default_rng(seed)
    n = min(n, len(pool))
    chosen: list = []
    for label in CODE_LABELS:
        have = [i for i in pool.index[labels[label]] if i not in chosen]
        wanted = min(POSITIVES_PER_LABEL - int(labels.loc[chosen, label].sum()), len(have),
                     n - len(chosen))
        if wanted > 0:
            chosen += list(rng.choice(have, wanted, replace=False))
    rest = pool.index.difference(chosen)
    positive = rest[labels.loc[rest].any(axis=1)].to_numpy()
    negative = rest[~labels.loc[rest].any(axis=1)].to_numpy()
    left = n - len(chosen)
    n_pos = min(len(positive), max(left - len(negative), (n + 1) // 2 - len(chosen), 0))
    chosen += list(rng.choice(positive, n_pos, replace=False))
    chosen += list(rng.choice(negative, min(left - n_pos, len(negative)), replace=False))
    picked = pool.loc[sorted(chosen)]
    return picked.assign(**_label_frame(picked))


def _named_voice_share(analysis) -> pd.Series:
    s = analysis.sentences
    named = s["attributed"].astype(bool) & (s["source_kind"] == "named")
    return named.groupby(s["article_id"]).mean()


def balanced_sample(table: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """At most ``size`` articles, one per outlet first and then a second (at most
    :data:`PER_OUTLET`), outlets and articles drawn with ``seed``; articles too short to compare
    are taken last."""
    rng = np.random.default_rng(seed)
    outlets = list(table["outlet"].astype(str).unique())
    rng.shuffle(outlets)
    queues = {}
    for outlet in outlets:
        rows = table[table["outlet"].astype(str) == outlet]
        order = rng.permutation(len(rows))
        short = rows["too_short"].astype(bool).to_numpy() if "too_short" in rows else \
            np.zeros(len(rows), bool)
        queues[outlet] = [rows.index[k] for k in sorted(order, key=lambda k: short[k])]
    chosen: list = []
    for round_ in range(PER_OUTLET):
        for outlet in outlets:
            if len(chosen) < size and len(queues[outlet]) > round_:
                chosen.append(queues[outlet][round_])
    return table.loc[chosen]


def _ties(values: pd.Series, direction: str) -> list[str]:
    """The letters whose value ties with the best (see :data:`TIE_RTOL`), best first."""
    values = values.dropna()
    best = values.min() if direction == "lowest" else values.max()
    close = np.isclose(values.to_numpy(), best, rtol=TIE_RTOL, atol=TIE_ATOL)
    tied = values[close]
    return list(tied.sort_values(ascending=direction == "lowest").index)


def _discussion(table: pd.DataFrame, level: str, by_id: dict[str, str]) -> list[str]:
    """The discussion questions this lesson's articles call for."""
    from ..compare import find_rewrites

    _, pairs = find_rewrites(table) if "text" in table else (None, pd.DataFrame())
    republished = False
    if {"publisher", "original_source"} <= set(table.columns):
        publisher = table["publisher"].fillna("").astype(str).str.casefold()
        source = table["original_source"].fillna("").astype(str).str.casefold()
        republished = bool(((source != "") & (source != publisher)).any())
    facts = {"always": True, "rewrites": len(pairs) > 0, "republished": republished,
             "single": bool(table["outlet"].value_counts().max() == 1)}
    names = ", ".join(f"Articles {by_id[r.article_a]} and {by_id[r.article_b]}"
                      for r in pairs.itertuples()) if len(pairs) else ""
    similarity = ", ".join(f"{r.similarity:.2f}" for r in pairs.itertuples()) if len(pairs) else ""
    return [q.format(pairs=names, similarity=similarity) for q, when in DISCUSSION[level]
            if facts[when]]


def build_kit(analysis, *, articles: list[str] | None = None, n_sentences: int = 12,
              seed: int = 0, level: str = "school", lesson_size: int = LESSON_SIZE,
              hide: tuple[str, ...] = ()) -> Kit:
    """Choose and anonymise the articles, number the sentences, pick sentences to code and work
    out the expected answers from the article measures.

    Without ``articles``, a corpus of more than ``lesson_size`` articles gives a balanced
    sample (:func:`balanced_sample`), listed in ``Kit.chosen``. ``hide`` adds names to hide
    beside the outlets' own (:mod:`framing.classroom.masking`)."""
    from ..errors import ConfigurationError
    from .masking import NAME_COLUMNS, known_names, mask, name_pattern

    if level not in EXPLANATIONS:
        raise ConfigurationError(f"unknown level {level!r}", hint="use school or university")
    table = analysis.articles[analysis.articles["is_english"].astype(bool)]
    sampled = False
    if articles:
        missing = sorted(set(articles) - set(table["article_id"]))
        if missing:
            raise ConfigurationError(f"no article {missing[0]!r} in the corpus",
                                     hint=f"choose from {sorted(table['article_id'])[:20]}")
        table = table.set_index("article_id").loc[list(dict.fromkeys(articles))].reset_index()
    elif len(table) > lesson_size:
        table, sampled = balanced_sample(table, lesson_size, seed), True
    if len(table) < 2:
        raise ConfigurationError("a lesson needs at least two articles",
                                 hint="give a folder with two or more articles")
    if len(table) > len(string.ascii_uppercase):
        raise ConfigurationError(f"{len(table)} articles named: at most 26 fit on a worksheet",
                                 hint="name fewer with --articles")
    # Letters follow a seeded shuffle, so the order does not give the outlets away.
    order = np.random.default_rng(seed).permutation(len(table))
    table = table.iloc[order].reset_index(drop=True)
    letters = {string.ascii_uppercase[i]: aid for i, aid in enumerate(table["article_id"])}
    by_id = {aid: letter for letter, aid in letters.items()}
    table = table.assign(letter=table["article_id"].map(by_id))
    sentences = analysis.sentences[analysis.sentences["article_id"].isin(by_id)].copy()
    sentences["letter"] = sentences["article_id"].map(by_id)
    sentences["number"] = sentences.groupby("article_id").cumcount() + 1
    sentences["item"] = sentences["letter"] + sentences["number"].astype(str)
    # every outlet of the corpus is hidden, not only the lesson's
    everything = analysis.articles
    values = [v for c in NAME_COLUMNS if c in everything.columns
              for v in everything[c].dropna().astype(str).unique()]
    pattern = name_pattern(known_names(values, hide))
    sentences["display"] = [mask(t, pattern) for t in sentences["text"]]
    sentences = sentences.sort_values(["letter", "number"]).reset_index(drop=True)
    coded = select_sentences(sentences, n_sentences, seed)
    figures = table.set_index("letter")
    figures = figures.assign(named_voice_share=figures["article_id"].map(_named_voice_share(analysis)))
    expected = {}
    for task, (_, measure, direction) in TASKS.items():
        values = figures[measure].astype(float)
        if values.isna().all():
            expected[task] = {"answer": "", "measure": measure, "values": values.to_dict(),
                              "evidence": [], "tied": []}
            continue
        tied = _ties(values, direction)
        expected[task] = {"answer": "/".join(tied), "measure": measure,
                          "values": values.to_dict(), "tied": tied,
                          "evidence": _evidence(sentences, tied[0], task)}
    chosen = table[["letter", "article_id", "outlet"]].sort_values("letter") if sampled else None
    return Kit(letters, table, sentences, coded, expected, analysis, level, seed, pattern,
               _discussion(table, level, by_id), chosen)


def _evidence(sentences: pd.DataFrame, letter: str, task: str, k: int = 3) -> list[dict]:
    rows = sentences[sentences["letter"] == letter]
    mask = {"most_certain": rows["boosters"].astype(int) > 0,
            "most_hedged": rows["hedges"].astype(int) > 0,
            "named_voices": rows["attributed"].astype(bool) & (rows["source_kind"] == "named"),
            "contest": rows["nationalist"].astype(bool),
            "cautious": rows["cautionary"].astype(bool)}[task]
    picked = rows[mask].head(k)
    if task == "most_certain" and picked.empty:
        picked = rows[rows["hedges"].astype(int) == 0].head(k)
    return [{"item": r.item, "text": r.display} for r in picked.itertuples()]


def answer_template(kit: Kit) -> pd.DataFrame:
    """The long answer format the worksheet downloads: student, item, label, value."""
    rows = [("", f"task:{task}", "answer", "") for task in TASKS]
    rows += [("", item, label, "") for item in kit.coded["item"] for label in CODE_LABELS]
    return pd.DataFrame(rows, columns=["student", "item", "label", "value"])


def key_table(kit: Kit) -> pd.DataFrame:
    """The tool's answers in the same long format (``student`` = "framing")."""
    rows = [("framing", f"task:{task}", "answer", e["answer"]) for task, e in kit.expected.items()]
    for row in kit.coded.itertuples():
        rows += [("framing", row.item, label, int(bool(getattr(row, label)))) for label in CODE_LABELS]
    return pd.DataFrame(rows, columns=["student", "item", "label", "value"])


def render_kit(kit: Kit, folder: str | Path) -> list[Path]:
    """Write worksheet.html, teacher_key.html, answers_template.csv, key.csv and items.csv
    (the coded sentences as shown) into ``folder``."""
    import jinja2
    from markupsafe import Markup

    from ..report.html import EXPLAIN_CSS, STYLES, explain
    from ..plot import LABELS

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(loader=jinja2.PackageLoader("framing", "classroom/templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, f="{:.2f}": "n/a" if v is None or pd.isna(v) else f.format(v)
    articles = []
    for letter, article_id in sorted(kit.letters.items()):
        rows = kit.sentences[kit.sentences["letter"] == letter]
        paragraphs: list[list[dict]] = []
        last = None
        for r in rows.itertuples():
            if r.paragraph_index != last:
                paragraphs.append([])
                last = r.paragraph_index
            paragraphs[-1].append({"item": r.item, "number": r.number, "text": r.display,
                                   "heading": bool(r.is_heading)})
        meta = kit.articles.set_index("letter").loc[letter]
        articles.append({"letter": letter, "id": article_id, "paragraphs": paragraphs,
                         "outlet": meta.get("outlet", ""), "publisher": meta.get("publisher", ""),
                         "original_source": meta.get("original_source", ""),
                         "kind": meta.get("kind", ""),
                         "html": Markup(explain(kit.analysis, article_id).html())})
    coded = [{"item": r.item, "text": r.display, "labels": {lab: bool(getattr(r, lab))
                                                            for lab in CODE_LABELS}}
             for r in kit.coded.itertuples()]
    figures = kit.articles.set_index("letter").sort_index()
    measures = ["hedges_per_1k", "boosters_per_1k", "attribution_density", "named_source_share",
                "nationalist_share", "cautionary_share", "framing_balance", "sentiment_mean"]
    context = {
        "level": kit.level, "letters": sorted(kit.letters), "articles": articles,
        "tasks": [{"id": t, "question": q[kit.level]} for t, (q, _, _) in TASKS.items()],
        "coded": coded, "labels": CODE_LABELS, "explanations": EXPLANATIONS[kit.level],
        "expected": kit.expected, "discussion": kit.discussion,
        "figures": figures[measures].to_dict("index"),
        "measure_labels": {**LABELS, **TASK_LABELS},
        "chosen": None if kit.chosen is None else kit.chosen.to_dict("records"),
        "measures": measures, "styles": [{"css": c, "marker": m, "label": lab}
                                         for c, m, lab in STYLES.values()],
        "explain_css": Markup(EXPLAIN_CSS), "seed": kit.seed,
        "template_json": Markup(json.dumps(answer_template(kit).to_dict("records"))
                                .replace("</", "<\\/")),
    }
    from .masking import names_left

    # what students see: every article sentence and every sentence to code
    left = names_left([s["text"] for a in articles for p in a["paragraphs"] for s in p]
                      + [c["text"] for c in coded], kit.pattern)
    if left:
        from ..errors import FramingError

        raise FramingError(f"the worksheet would still name {', '.join(left[:5])}",
                           code="E-NAME-LEFT")
    written = []
    for name in ("worksheet", "teacher_key"):
        path = folder / f"{name}.html"
        path.write_text(env.get_template(f"{name}.html.j2").render(**context), encoding="utf-8")
        written.append(path)
    from ..io.tables import write_csv

    # items.csv: the coded sentences as the worksheet shows them (names masked), so that the
    # answer sheets can train a frame model (`framing train-frame answers.csv --items ...`)
    items = pd.DataFrame([(c["item"], c["text"]) for c in coded], columns=["item", "text"])
    for name, frame in (("answers_template", answer_template(kit)), ("key", key_table(kit)),
                        ("items", items)):
        path = folder / f"{name}.csv"
        write_csv(frame, path, float_format=None)
        written.append(path)
    return written
