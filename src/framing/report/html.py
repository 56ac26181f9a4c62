"""HTML presentation of the evidence: an article with its measured spans highlighted.

:func:`explain` returns an :class:`Explanation` (HTML in a notebook, ``[H:...]`` markers in
``print``); :data:`STYLES` and :data:`EXPLAIN_CSS` are how each measure is shown, shared by the
report and the classroom kit.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

__all__ = ["EXPLAIN_CSS", "STYLES", "Explanation", "explain"]

# --- explain ----------------------------------------------------------------------------------

#: How each measure is shown: (CSS class, text marker, human label).
STYLES = {
    "hedge": ("m-hedge", "H", "hedge"),
    "booster": ("m-booster", "B", "booster"),
    "attribution": ("m-attr", "A", "attribution cue"),
    "source": ("m-source", "S", "source"),
    "quote": ("m-quote", "Q", "quotation"),
    "nationalist": ("m-nat", "N", "nationalist cue"),
    "cautionary": ("m-caut", "C", "cautionary cue"),
    "frame": ("m-frame", "F", "sentence framed by your frame model"),
}
EXPLAIN_CSS = """
.fr-article{font:15px/1.7 Georgia,serif;max-width:46em}
.fr-article mark{background:none;padding:0 1px}
.m-hedge{border-bottom:2px dotted #0072B2}
.m-booster{border-bottom:3px double #D55E00}
.m-attr{font-weight:bold;color:#009E73}
.m-source{border-bottom:2px solid #009E73}
.m-quote{background:#f0e6ff !important;font-style:italic}
.m-frame{background:#fff3c4}
.m-nat{background:#ffe0b3 !important;border-bottom:2px solid #E69F00}
.m-caut{background:#d6ecff !important;border-bottom:2px dashed #56B4E9}
.fr-article sup{font:bold 9px sans-serif;color:#333}
.fr-head{font-weight:bold}
"""


@dataclass
class Explanation:
    """An article with its measured spans highlighted (HTML in a notebook, markers in text)."""

    article_id: str
    text: str
    sentences: pd.DataFrame
    matches: pd.DataFrame

    def _segments(self, measures: set[str]) -> list[tuple[str, list, int]]:
        """(text chunk, spans covering it, chunk end offset) between every span boundary."""
        spans = [m for m in self.matches.itertuples() if m.measure in measures]
        cuts = sorted({0, len(self.text)} | {m.start for m in spans} | {m.end for m in spans})
        return [(self.text[a:b], [m for m in spans if m.start <= a and b <= m.end], b)
                for a, b in zip(cuts, cuts[1:])]

    def __str__(self) -> str:
        out = []
        spans = sorted((m for m in self.matches.itertuples() if m.measure in STYLES),
                       key=lambda m: (m.start, -m.end))
        inserts: dict[int, list[str]] = {}
        for m in spans:
            marker = STYLES[m.measure][1]
            inserts.setdefault(m.start, []).append(f"[{marker}:")
            inserts.setdefault(m.end, []).insert(0, "]")
        for i, char in enumerate(self.text):
            out.extend(inserts.get(i, []))
            out.append(char)
        out.extend(inserts.get(len(self.text), []))
        legend = ", ".join(f"{v[1]}={v[2]}" for v in STYLES.values())
        return f"{self.article_id}  ({legend})\n\n" + "".join(out)

    def html(self) -> str:
        """The highlighted article as an HTML fragment (every chunk of text escaped); style it
        with ``EXPLAIN_CSS``. Each span has a class, a marker letter and a hover title."""
        parts = ["<div class='fr-article'><p>"]
        for chunk, active, end in self._segments(set(STYLES)):
            piece = html.escape(chunk).replace("\n\n", "</p><p>")
            for m in active:
                css, marker, label = STYLES[m.measure]
                title = html.escape(f"{label}: {m.category} ({m.term})", quote=True)
                # the marker letter goes once, on the span's last piece
                tag = f" data-m='{marker}'" if end == m.end else ""
                piece = f"<mark class='{css}'{tag} title='{title}'>{piece}</mark>"
            parts.append(piece)
        parts.append("</p></div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return f"<style>{EXPLAIN_CSS}</style>" + self.html()


def explain(analysis, article_id: str) -> Explanation:
    """Return one article with its spans highlighted.

    In a notebook the result renders as HTML (hover a span for its category); ``print`` it for
    plain text with markers such as ``[H:may]``.
    """
    articles = analysis.articles.set_index("article_id")
    if article_id not in articles.index:
        from ..errors import ConfigurationError

        raise ConfigurationError(f"no article {article_id!r}",
                                 hint=f"choose one of {list(articles.index)[:5]}...")
    return Explanation(article_id, articles.loc[article_id, "text"],
                       analysis.sentences[analysis.sentences["article_id"] == article_id],
                       analysis.matches[analysis.matches["article_id"] == article_id])
