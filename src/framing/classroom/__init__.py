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
import re
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CODE_LABELS", "TASKS", "Kit", "build_kit", "render_kit", "select_sentences"]

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

DISCUSSION = {
    "school": [
        "Did you guess the outlets? What gave them away: the words, the sources, the tone?",
        "Find a sentence where you and the tool disagree. Who is right, and why?",
        "The tool counts words. What can a word count miss? (Irony, quotes it disagrees with, "
        "machine-translated text.)",
        "Two of these articles are copies of another outlet's story. Does a copy tell the story "
        "the same way as the original?",
        "If you were the editor, which one sentence would you change to make an article more "
        "balanced?",
    ],
    "university": [
        "Which measurement choices (lexicons, thresholds, smoothing of the framing balance) could "
        "change the ranking of the articles? Test one with --lexicon.",
        "Where is the tool likely wrong? Look at quoted speech counted as framing, scare quotes, "
        "hedges inside quotes, and machine-translated text.",
        "Is a high attribution density a sign of balance, or of outsourcing the frame to sources?",
        "Republished and rewritten copies: whose framing are we measuring, the outlet's or the "
        "original source's? Compare --by publisher with --by original_source.",
        "What would a fair comparison need: how many articles per outlet, and why is one article "
        "each only descriptive?",
    ],
}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


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


def anonymise(text: str, names: list[str]) -> str:
    """Hide links and the outlet/publisher/source names in an article's text."""
    text = _URL.sub("[link removed]", text)
    for name in sorted({n for n in names if n and len(n) >= 4}, key=len, reverse=True):
        text = re.sub(re.escape(name), "[name hidden]", text, flags=re.IGNORECASE)
    return text


def _label_frame(sentences: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "nationalist": sentences["nationalist"].astype(bool),
        "cautionary": sentences["cautionary"].astype(bool),
        "hedge": sentences["hedges"].astype(int) > 0,
        "attributed": sentences["attributed"].astype(bool),
    }, index=sentences.index)


def select_sentences(sentences: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` sentences to code, reproducible with ``seed``: about half carry at least one label
    according to the tool and half none, spread over the articles; headings are left out."""
    pool = sentences[~sentences["is_heading"].astype(bool)
                     & (sentences["text"].str.split().str.len() >= 6)]
    labels = _label_frame(pool)
    rng = np.random.default_rng(seed)
    positive = pool.index[labels.any(axis=1)].to_numpy()
    negative = pool.index[~labels.any(axis=1)].to_numpy()
    n = min(n, len(pool))
    n_pos = min(len(positive), max(n - len(negative), (n + 1) // 2))
    chosen = list(rng.choice(positive, n_pos, replace=False)) + \
        list(rng.choice(negative, min(n - n_pos, len(negative)), replace=False))
    picked = pool.loc[sorted(chosen)]
    return picked.assign(**_label_frame(picked))


def _named_voice_share(analysis) -> pd.Series:
    s = analysis.sentences
    named = s["attributed"].astype(bool) & (s["source_kind"] == "named")
    return named.groupby(s["article_id"]).mean()


def build_kit(analysis, *, articles: list[str] | None = None, n_sentences: int = 12,
              seed: int = 0, level: str = "school") -> Kit:
    """Choose and anonymise the articles, number the sentences, pick sentences to code and work
    out the expected answers from the article measures."""
    from ..errors import ConfigurationError

    if level not in EXPLANATIONS:
        raise ConfigurationError(f"unknown level {level!r}", hint="use school or university")
    table = analysis.articles[analysis.articles["is_english"].astype(bool)]
    if articles:
        missing = sorted(set(articles) - set(table["article_id"]))
        if missing:
            raise ConfigurationError(f"no article {missing[0]!r} in the corpus",
                                     hint=f"choose from {sorted(table['article_id'])}")
        table = table.set_index("article_id").loc[list(articles)].reset_index()
    if len(table) < 2:
        raise ConfigurationError("a lesson needs at least two articles",
                                 hint="give a folder with two or more articles")
    if len(table) > len(string.ascii_uppercase):
        raise ConfigurationError("at most 26 articles fit on a worksheet", hint="use --articles")
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
    names = {aid: [str(row.get(c, "") or "") for c in ("outlet", "publisher", "original_source",
                                                      "stated_source")]
             for aid, row in table.set_index("article_id").iterrows()}
    sentences["display"] = [anonymise(t, names[a]) for t, a in
                            zip(sentences["text"], sentences["article_id"])]
    sentences = sentences.sort_values(["letter", "number"]).reset_index(drop=True)
    coded = select_sentences(sentences, n_sentences, seed)
    figures = table.set_index("letter")
    figures = figures.assign(named_voice_share=figures["article_id"].map(_named_voice_share(analysis)))
    expected = {}
    for task, (_, measure, direction) in TASKS.items():
        values = figures[measure].astype(float)
        if values.isna().all():
            expected[task] = {"answer": "", "measure": measure, "values": values.to_dict(),
                              "evidence": []}
            continue
        answer = values.idxmin() if direction == "lowest" else values.idxmax()
        expected[task] = {"answer": answer, "measure": measure, "values": values.to_dict(),
                          "evidence": _evidence(sentences, answer, task)}
    return Kit(letters, table, sentences, coded, expected, analysis, level, seed)


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
    """Write worksheet.html, teacher_key.html, answers_template.csv and key.csv into ``folder``."""
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
        "expected": kit.expected, "discussion": DISCUSSION[kit.level],
        "figures": figures[measures].to_dict("index"), "measure_labels": LABELS,
        "measures": measures, "styles": [{"css": c, "marker": m, "label": lab}
                                         for c, m, lab in STYLES.values()],
        "explain_css": Markup(EXPLAIN_CSS), "seed": kit.seed,
        "template_json": Markup(json.dumps(answer_template(kit).to_dict("records"))
                                .replace("</", "<\\/")),
    }
    written = []
    for name in ("worksheet", "teacher_key"):
        path = folder / f"{name}.html"
        path.write_text(env.get_template(f"{name}.html.j2").render(**context), encoding="utf-8")
        written.append(path)
    for name, frame in (("answers_template", answer_template(kit)), ("key", key_table(kit))):
        path = folder / f"{name}.csv"
        from ..io.tables import write_csv

        write_csv(frame, path, float_format=None)
        written.append(path)
    return written
