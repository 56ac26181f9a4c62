"""Hiding who wrote what on the classroom worksheet.

Every name of every outlet in the corpus is hidden in the articles students read: the values of
the articles' outlet, publisher, original source, stated source, site name and URL columns,
each with the forms it takes in text (without "The", a domain's name) and with the other names
of its outlet from ``data/outlet_aliases.yaml`` (so "fox" in a manifest hides "Fox News" and
"Fox"; "told the BBC" and "(Reuters)" lose the name). Names are matched as whole words, in the
case written (and in capitals, for datelines); an all-lower-case manifest value such as an id or
a domain is matched in any case. Links are removed. After rendering, :func:`names_left` checks
the text students see, and a name left there stops the build (``E-NAME-LEFT``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

from ..errors import LexiconError

__all__ = ["NAME_COLUMNS", "HIDDEN", "alias_groups", "known_names", "mask", "name_pattern",
           "names_left"]

#: Article columns whose values name an outlet.
NAME_COLUMNS = ("outlet", "publisher", "original_source", "stated_source", "site_name", "url",
                "manifest_outlet", "source")
#: What a hidden name becomes.
HIDDEN = "[name hidden]"
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HOST = re.compile(r"^(?:[a-z]+://)?(?:www\.)?([^/\s:]+)", re.IGNORECASE)


@lru_cache(maxsize=1)
def alias_groups() -> tuple[frozenset[str], ...]:
    """The packaged groups of names, one per outlet."""
    origin = "framing/data/outlet_aliases.yaml"
    text = resources.files("framing").joinpath("data/outlet_aliases.yaml").read_text("utf-8")
    try:
        groups = yaml.safe_load(text)["groups"]
        return tuple(frozenset(str(name) for name in group) for group in groups)
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise LexiconError(f"not an outlet alias file ({exc})", path=origin) from exc


def _key(name: str) -> str:
    """How a name is looked up among the aliases: case, a leading "the", spaces and
    punctuation ignored ("usa-today" is "USA Today", "huff-post" "HuffPost")."""
    return re.sub(r"[\W_]+", "", re.sub(r"^the\s+", "", name.casefold().strip()))


def _forms(value: str) -> set[str]:
    """A value and the forms it takes in running text."""
    value = value.strip()
    forms = {value}
    # "Huxiu (虎嗅)": both names; "NYT via machine translation": the outlet and the route
    inner = re.fullmatch(r"(.+?)\s*[(（](.+?)[)）]", value)
    if inner:
        forms |= {inner.group(1).strip(), inner.group(2).strip()}
    forms |= {part.strip() for part in re.split(r"\s+via\s+", value) if part.strip()}
    if "." in value and " " not in value:  # a URL or a domain: its host
        host = _HOST.match(value)
        if host:
            forms.add(host.group(1))
    for form in list(forms):
        if re.match(r"(?i)the\s+", form):
            rest = re.sub(r"(?i)^the\s+", "", form)
            forms |= {rest, f"the {rest}", f"The {rest}"}
    return {f for f in forms if f}


def known_names(values: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """Every name to hide for these column values (and ``extra`` names a teacher adds),
    longest first."""
    names: set[str] = set()
    by_key = {}
    for group in alias_groups():
        for name in group:
            by_key.setdefault(_key(name), set()).update(group)
    for value in [*values, *extra]:
        value = str(value or "").strip()
        if not value or value.lower() in ("nan", "none", "unknown"):
            continue
        forms = _forms(value)
        aliases = {a for form in forms for a in by_key.get(_key(form), ())}
        for alias in aliases:
            names |= _forms(alias)
        names |= forms
    # an outlet's id in lower case ("fox", "nyt") is how a manifest names it, not how a text
    # does; where its group gives the names, the id itself would hide ordinary words
    grouped = {n for group in alias_groups() for n in group}
    names = {n for n in names if not (n in grouped and re.fullmatch(r"[a-z]+", n))}
    return sorted(names, key=lambda n: (-len(n), n))


def name_pattern(names: list[str]) -> re.Pattern | None:
    """One pattern finding any of ``names`` as a whole word (see the module docstring)."""
    parts = []
    for name in names:
        body = r"\s+".join(re.escape(word) for word in name.split())
        if name == name.lower() and not any(ch.isalpha() and ord(ch) > 0x2E80 for ch in name):
            parts.append(rf"(?i:{body})")
        else:
            parts.append(body)
            if name.upper() != name:
                parts.append(r"\s+".join(re.escape(word) for word in name.upper().split()))
    if not parts:
        return None
    return re.compile(rf"(?<![\w.@/])(?:{'|'.join(parts)})(?![\w@]|\.\w)")


def mask(text: str, pattern: re.Pattern | None) -> str:
    """``text`` with links removed and every known name hidden."""
    text = _URL.sub("[link removed]", text)
    return pattern.sub(HIDDEN, text) if pattern is not None else text


def names_left(texts: Iterable[str], pattern: re.Pattern | None) -> list[str]:
    """The known names still in ``texts`` (none after :func:`mask`)."""
    if pattern is None:
        return []
    return sorted({m.group(0) for text in texts for m in pattern.finditer(text)})
