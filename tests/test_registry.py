"""The measure registry: a measure defined once is read by every stage."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import framing  # noqa: E402
from framing import plot  # noqa: E402
from framing.measures import registry  # noqa: E402

WORDS = ("Regulators in several countries opened reviews of how the company stores the data of "
         "its users, and analysts said the outcome could shape the market for years.")


def exclamations(article_id, text, sentences, config):
    """A toy family: sentences ending in '!' (a column) and each '!' (a match)."""
    column, matches = [], []
    for index, start, end in zip(sentences["sentence_index"], sentences["start"],
                                 sentences["end"]):
        sentence = text[start:end]
        column.append(sentence.endswith("!"))
        matches += [(article_id, index, start + k, start + k + 1, "exclamation", "mark", "!",
                     "toy") for k, c in enumerate(sentence) if c == "!"]
    return {"exclaims": column}, matches


def test_a_toy_measure_reaches_every_stage(tmp_path):
    texts = [f"{WORDS} What a day! It rained!", f"{WORDS} Nothing happened.",
             f"{WORDS} Wow!", f"{WORDS} Calm again."]
    frame = pd.DataFrame({"text": texts, "outlet": ["Loud", "Calm", "Loud", "Calm"]})
    with registry.registered():
        registry.register_sentence_column("exclaims", False)
        registry.register_family("exclamations", exclamations)
        registry.register_unit("exclaimed", lambda c: c.sentences["exclaims"].astype(float))
        registry.register_measure("exclamation_share", "Share of sentences ending in '!'",
                                  lambda s: s["exclaimed"] / s["n"], interval=9)
        analysis = framing.analyze(frame)
        assert analysis.sentences["exclaims"].sum() == 3
        assert (analysis.matches["measure"] == "exclamation").sum() == 3
        shares = analysis.articles.set_index("outlet")["exclamation_share"]
        assert shares["Loud"].tolist() == [2 / 3, 1 / 2] and shares["Calm"].tolist() == [0, 0]
        comparison = analysis.compare(n_boot=100)
        row = comparison.table.query("measure == 'exclamation_share' and other == ''")
        assert row.set_index("group")["estimate"].to_dict() == {"Calm": 0.0, "Loud": (2 / 3 + 1 / 2) / 2}
        fig, ax = plt.subplots()
        plot.heatmap(comparison.table, ax=ax)
        assert "Share of sentences ending in '!'" in [t.get_text() for t in ax.get_yticklabels()]
        assert "exclamation_share" in registry.interval_measures()
    # outside the block the registry is as it was
    assert "exclamation_share" not in registry.article_measures()
    assert "exclaims" not in registry.sentence_columns()
    assert "exclaims" not in framing.analyze(frame).sentences.columns
