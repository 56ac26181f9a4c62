"""Lexicons: versioned word lists with categories and sources, stored as YAML data.

A lexicon file has ``name``, ``version``, ``sources`` and ``categories`` (each with ``name``,
``measure``, ``terms`` and optionally ``requires``, ``unless``, ``label``, ``case_sensitive`` and
``starts``). Terms are words or phrases matched as whole words, case-insensitively; ``word*``
matches any ending; ``re:...`` is a regular expression. A plain term may name a set of national
referents in braces, ``{nation}``, ``{demonym}``, ``{people}`` or ``{capital}``
(``lexicons/nations.yaml``), and stands for one term per value: "against {nation}" is "against
China", "against the West"... (docs/lexicons.md).

Users add or replace categories with their own file (``--lexicon my.yaml``): a category with the
same name replaces the packaged one, a new name is added.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from ..errors import LexiconError
from .anchors import Anchors, category_anchors
from .literals import LiteralSet, is_plain

__all__ = ["Category", "LazyPattern", "Lexicon", "PACKAGED", "apostrophes", "load_lexicon",
           "load_lexicons", "load_targets", "term_key", "term_templates"]

#: The packaged lexicons, by name.
PACKAGED = ("stance", "attribution", "framing")


@dataclass(frozen=True)
class Category:
    """One lexicon category: its terms compiled into a single alternation.

    ``anchors`` are the words at which a match can start, from the terms and the ``starts``
    the data declares for ``re:`` terms; see :mod:`framing.lexicons.anchors`.
    """

    name: str
    measure: str
    terms: tuple[str, ...]
    pattern: "re.Pattern | LazyPattern"  # compiled when first used (LazyPattern)
    requires: str | None = None
    case_sensitive: bool = False
    starts: tuple[str, ...] | None = None
    anchors: Anchors | None = field(default=None, compare=False, repr=False)
    #: A match overlapping a match of this category does not count ("social security" is not
    #: a cautionary "security").
    unless: str | None = None
    #: The sub-label its matches count as (default: the category's name), so that a rule with
    #: a condition and one without can share a sub-label.
    label: str | None = None
    #: Patterns restricted to the terms that can start at a word, filled by
    #: :func:`framing.measures.matching.word_pattern` as words are met.
    word_patterns: dict = field(default_factory=dict, compare=False, repr=False)
    #: ``(LiteralSet, number)``: the automaton holding this category's plain terms with those
    #: of the other categories of its lexicon, set by :class:`Lexicon` (None: matched by the
    #: pattern alone, as sentiment targets are).
    literals: tuple | None = field(default=None, compare=False, repr=False)
    #: How :func:`~framing.measures.matching.literal_matches` uses the automaton,
    #: ``(pattern, anchors, plain terms in the automaton)``: ``(None, None, True)`` when every
    #: term is plain; the pattern and anchors of the ``re:`` terms, tried where no plain term
    #: matches, when the others are plain; the category's own pattern and anchors, tried at
    #: each anchor the automaton finds, when a term ends in ``*``; None when the category has
    #: no anchors (scanned in full).
    literal_plan: tuple | None = field(default=None, compare=False, repr=False, init=False)

    @property
    def sub_label(self) -> str:
        return self.label or self.name

    def __post_init__(self) -> None:
        if self.anchors is None:
            object.__setattr__(self, "anchors", category_anchors(self.terms, self.starts))
        rest = [t for t in self.terms if not is_plain(t)]
        plan = None
        if not rest:
            plan = (None, None, True)
        elif self.anchors is None:
            plan = None
        elif all(t.startswith("re:") for t in rest):
            plan = (compile_terms(rest, case_sensitive=self.case_sensitive),
                    category_anchors(rest, self.starts), True)
        else:  # a word* term: the whole pattern, tried where the automaton finds an anchor
            plan = (self.pattern, self.anchors, False)
        object.__setattr__(self, "literal_plan", plan)


@dataclass(frozen=True)
class Lexicon:
    """A named, versioned set of categories."""

    name: str
    version: str
    sources: tuple[str, ...]
    categories: tuple[Category, ...]
    sha256: str
    origin: str = "packaged"
    extra_origins: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        literals = LiteralSet(self.categories)
        for k, category in enumerate(self.categories):
            object.__setattr__(category, "literals", (literals, k))

    @cached_property
    def by_name(self) -> dict[str, Category]:
        """The categories by name."""
        return {category.name: category for category in self.categories}

    def category(self, name: str) -> Category:
        return self.by_name[name]

    def for_measure(self, measure: str) -> list[Category]:
        return [c for c in self.categories if c.measure == measure]

    @property
    def label(self) -> str:
        """Version string written to every match (``name@version``, ``+custom`` if extended)."""
        return f"{self.name}@{self.version}" + ("+custom" if self.extra_origins else "")


def term_regex(term: str) -> str:
    """The regular expression for one lexicon term (see module docstring)."""
    if term.startswith("re:"):
        return term[3:]
    return r"(?<![\w])" + _term_body(term) + r"(?![\w])"


def apostrophes(escaped: str) -> str:
    """An escaped term with each apostrophe, straight or curly, matching either."""
    return re.sub("['’]", "['’]", escaped)


def _term_body(term: str) -> str:
    words = term.split()
    parts = []
    for word in words:
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(apostrophes(re.escape(word)))
    return r"\s+".join(parts)


def compile_terms(terms: Iterable[str], *, case_sensitive: bool = False) -> re.Pattern:
    r"""One alternation for many terms, longest first so that phrases win over their words.

    Plain terms share one pair of word boundaries, ``(?<!\w)(?:a|b|...)(?!\w)``, so a position
    inside a word is rejected once rather than once per term (several times faster than a
    boundary per term; same matches). ``re:`` terms follow as their own alternatives.
    """
    ordered = sorted(set(terms), key=lambda t: (-len(t), t))
    flags = 0 if case_sensitive else re.IGNORECASE
    plain = [t for t in ordered if not t.startswith("re:")]
    parts = [f"(?:{t[3:]})" for t in ordered if t.startswith("re:")]
    if plain:
        parts.insert(0, r"(?<![\w])(?:" + "|".join(_term_body(t) for t in plain) + r")(?![\w])")
    return re.compile("|".join(parts), flags)


class LazyPattern:
    """:func:`compile_terms` of some terms, compiled when first used: a large category's full
    alternation (thousands of terms) is rarely needed, since its plain terms are matched by the
    lexicon's automaton (:mod:`framing.lexicons.literals`), and compiling it was most of the
    time taken to load the lexicons and to unpickle them in each worker process. Behaves as the
    compiled ``re.Pattern`` (``match``, ``finditer``, ``pattern``...); pickled as its terms."""

    __slots__ = ("terms", "case_sensitive", "_compiled")

    def __init__(self, terms: Iterable[str], case_sensitive: bool = False):
        self.terms = tuple(terms)
        self.case_sensitive = case_sensitive
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = compile_terms(self.terms, case_sensitive=self.case_sensitive)
        return self._compiled

    def __getattr__(self, name: str):
        if name.startswith("_") or name in ("terms", "case_sensitive", "compiled"):
            raise AttributeError(name)  # its own attributes, not yet set: never the pattern's
        return getattr(self.compiled, name)

    def __reduce__(self):
        return LazyPattern, (self.terms, self.case_sensitive)

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyPattern):
            return (self.terms, self.case_sensitive) == (other.terms, other.case_sensitive)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.terms, self.case_sensitive))

    def __repr__(self) -> str:
        return f"LazyPattern({len(self.terms)} terms)"


def _line_of(node: yaml.Node, path: list) -> int | None:
    """1-based line of the YAML node at ``path`` (keys and indexes), if it can be found."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if getattr(k, "value", None) == key]
            if not found:
                return node.start_mark.line + 1
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1


def _parse(text: str, origin: str) -> dict:
    try:
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise LexiconError(f"{where}invalid YAML: {getattr(exc, 'problem', None) or exc}",
                           path=origin, hint="check indentation and quoting") from exc

    def fail(message: str, node_path: list) -> None:
        line = _line_of(tree, node_path) if tree is not None else None
        where = f"line {line}: " if line else ""
        raise LexiconError(f"{where}{message}", path=origin,
                           hint="see docs/lexicons.md for the file format")

    if not isinstance(data, dict):
        fail("a lexicon must be a mapping with 'name' and 'categories'", [])
    if "categories" in data:
        if not isinstance(data["categories"], list):
            fail("'categories' must be a list", ["categories"])
        for index, category in enumerate(data["categories"]):
            if not isinstance(category, dict):
                fail(f"category {index + 1} must be a mapping", ["categories", index])
            for key in ("name", "measure", "terms"):
                if key not in category:
                    fail(f"category {index + 1} has no '{key}'", ["categories", index])
            terms = category["terms"]
            if not isinstance(terms, list) or not terms:
                fail(f"category {category['name']!r}: 'terms' must be a non-empty list",
                     ["categories", index, "terms"])
            for t_index, term in enumerate(terms):
                if not isinstance(term, str) or not term.strip():
                    fail(f"category {category['name']!r}: term {t_index + 1} is not text",
                         ["categories", index, "terms", t_index])
                try:
                    re.compile(term_regex(term))
                except re.error as exc:
                    fail(f"category {category['name']!r}: bad pattern {term!r}: {exc}",
                         ["categories", index, "terms", t_index])
            starts = category.get("starts")
            if starts is not None and not (isinstance(starts, list) and starts and all(
                    isinstance(s, str) and s.strip() for s in starts)):
                fail(f"category {category['name']!r}: 'starts' must be a list of words (a "
                     "trailing * for a prefix)", ["categories", index, "starts"])
    return data


#: The sets a term may name in braces, and the field of ``nations.yaml`` each comes from.
NATION_SETS = {"nation": "names", "demonym": "adjectives", "people": "people",
               "capital": "capitals"}
_PLACEHOLDER = re.compile(r"\{(" + "|".join(NATION_SETS) + r")\}")


@lru_cache(maxsize=1)
def nation_sets() -> tuple[dict[str, tuple[str, ...]], frozenset[str], str]:
    """``(sets, lowercase_words, sha256)`` from the packaged ``nations.yaml``: each set's
    values, the values that are also common lower-case words, and the file's hash."""
    text = resources.files("framing").joinpath("lexicons/nations.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    sets = {key: tuple(dict.fromkeys(v for nation in data["nations"] for v in nation.get(field, ())))
            for key, field in NATION_SETS.items()}
    return sets, frozenset(data.get("lowercase_words", ())), \
        hashlib.sha256(text.encode("utf-8")).hexdigest()


def expand_terms(terms, case_sensitive: bool = False) -> tuple[str, ...]:
    """Each plain term naming a set in braces replaced by one term per value (a value that is
    also a common lower-case word, "US" for "us", only in a case-sensitive category)."""
    if not any("{" in t for t in terms):
        return tuple(terms)
    sets, lowercase_words, _ = nation_sets()
    out = []
    for term in terms:
        found = _PLACEHOLDER.search(term) if not term.startswith("re:") else None
        if found is None:
            out.append(term)
            continue
        for value in sets[found.group(1)]:
            if case_sensitive or value not in lowercase_words:
                out.extend(expand_terms([term[:found.start()] + value + term[found.end():]],
                                        case_sensitive))
    return tuple(dict.fromkeys(out))


def _build(data: dict, origin: str, sha: str) -> Lexicon:
    categories = []
    for c in data.get("categories", []):
        case_sensitive = bool(c.get("case_sensitive"))
        terms = expand_terms(c["terms"], case_sensitive)
        categories.append(Category(str(c["name"]), str(c["measure"]), terms,
                                   LazyPattern(terms, case_sensitive),
                                   c.get("requires"), case_sensitive,
                                   tuple(c["starts"]) if c.get("starts") else None,
                                   unless=c.get("unless"), label=c.get("label")))
    return Lexicon(str(data.get("name", Path(origin).stem)), str(data.get("version", "0")),
                   tuple(data.get("sources", [])), tuple(categories), sha, origin)


def _read(path_or_name: str | Path) -> tuple[str, str]:
    if isinstance(path_or_name, str) and path_or_name in PACKAGED + ("targets",):
        ref = resources.files("framing").joinpath(f"lexicons/{path_or_name}.yaml")
        return ref.read_text(encoding="utf-8"), f"framing/lexicons/{path_or_name}.yaml"
    path = Path(path_or_name)
    if not path.is_file():
        raise LexiconError("lexicon file not found", path=str(path))
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except UnicodeDecodeError as exc:
        raise LexiconError("lexicon is not UTF-8 text", path=str(path)) from exc


@lru_cache(maxsize=16)
def load_lexicon(name_or_path: str | Path) -> Lexicon:
    """Load a packaged lexicon by name (``"stance"``) or a lexicon file by path."""
    text, origin = _read(name_or_path)
    data = _parse(text, origin)
    return _build(data, origin, _sha(text))


def term_key(term: str) -> str:
    """How :func:`term_templates` looks a term up: lower case, straight apostrophes."""
    return term.lower().replace("\u2019", "'")


@lru_cache(maxsize=4)
def term_templates(name_or_path: str | Path) -> dict[str, str]:
    """Which written term each of a lexicon's expanded terms comes from, by :func:`term_key`
    of the expanded term: ``"american citizens"`` -> ``"{demonym} citizens"``, so a match can
    be traced to the rule that made it."""
    text, origin = _read(name_or_path)
    out: dict[str, str] = {}
    for c in _parse(text, origin).get("categories", []):
        for term in c["terms"]:
            for expanded in expand_terms([term], bool(c.get("case_sensitive"))):
                out.setdefault(term_key(expanded), term)
    return out


def _sha(text: str) -> str:
    """A lexicon's hash: of its text, and of ``nations.yaml`` when its terms name a set."""
    if _PLACEHOLDER.search(text):
        text += nation_sets()[2]
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extend(base: Lexicon, path: str | Path) -> Lexicon:
    """Add or replace ``base``'s categories with those of a user file."""
    text, origin = _read(path)
    data = _parse(text, origin)
    custom = _build(data, origin, "")
    # copies: the extended lexicon's automaton is set on its own categories, not on base's
    by_name = {c.name: replace(c, literals=None, word_patterns={}) for c in base.categories}
    for category in custom.categories:
        by_name[category.name] = category
    sha = _sha(base.sha256 + text)
    return Lexicon(base.name, base.version, base.sources + custom.sources,
                   tuple(by_name.values()), sha, base.origin, base.extra_origins + (origin,))


def load_lexicons(custom: Iterable[str | Path] = ()) -> dict[str, Lexicon]:
    """The packaged lexicons, each extended by the user files whose ``name`` matches it.

    A user file without a ``name`` of a packaged lexicon (``stance``, ``attribution``,
    ``framing``) is an error, so a typo never silently does nothing.
    """
    lexicons = {name: load_lexicon(name) for name in PACKAGED}
    for path in custom:
        text, origin = _read(path)
        data = _parse(text, origin)
        name = data.get("name")
        if name not in lexicons:
            raise LexiconError(f"line 1: 'name' must be one of {list(PACKAGED)}, not {name!r}",
                               path=origin, hint="name the packaged lexicon your categories extend")
        lexicons[name] = extend(lexicons[name], path)
    return lexicons


def load_targets(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Sentiment targets: ``{name: aliases}`` from ``targets.yaml`` or a user file."""
    text, origin = _read(path if path is not None else "targets")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"invalid YAML: {exc}", path=origin) from exc
    targets = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(targets, dict) or not all(isinstance(v, list) for v in targets.values()):
        raise LexiconError("expected 'targets:' mapping each name to a list of aliases", path=origin)
    return {str(k): tuple(str(a) for a in v) for k, v in targets.items()}
