"""Entity mentions: the gazetteer (seeds/gazetteer.toml) matched with Aho-Corasick on word boundaries."""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick
import polars as pl

from transforms.terms import TERMS_VERSION, Stopwords

# Bump when the matching rules below change, so stored mentions are recomputed (lexicon digest).
MATCHER_VERSION = "entities-1"
KINDS = frozenset({"country", "person", "organisation", "place"})
HEADLINE_SECTION = -1  # section_index of a headline mention

ENTITIES_SCHEMA: dict[str, pl.DataType] = {
    "entity_id": pl.Utf8,
    "name": pl.Utf8,
    "kind": pl.Utf8,
    "iso_code": pl.Utf8,
    "country_code": pl.Utf8,
    "aliases": pl.List(pl.Utf8),
}
MATCHED_SCHEMA: dict[str, pl.DataType] = {  # mentions_frame() output, before the day and source are added
    "article_id": pl.Utf8,
    "entity_id": pl.Utf8,
    "section_index": pl.Int16,
    "mentions": pl.Int32,
}

# Folding applied to text and aliases alike before matching; every mapping keeps the length, so
# offsets in the folded text are offsets in the original. Curly apostrophes become straight;
# Arabic letters that Urdu writes with its own code points become those (ي ى → ی, ك → ک, ه → ہ).
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u064a": "\u06cc",
                       "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1"})
# Before one of these (after spaces), a capitalised word starts a sentence (ambiguity rule).
_SENTENCE_START = frozenset('.!?:;\n"“”(')
_ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class GazetteerError(ValueError):
    """The gazetteer file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str
    iso: str | None
    country: str | None
    aliases: tuple[str, ...]
    ambiguous: frozenset[str]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entities: tuple[Entity, ...]
    urdu_suffixes: tuple[str, ...]
    digest: str  # sha256 of the file's bytes


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entity_id: str
    alias: str
    needs_support: bool  # an uncased ambiguous alias: counts only beside an unambiguous mention


@dataclass(frozen=True, slots=True)
class _Pattern:
    entity_id: str
    alias: str  # as listed (punctuation folded), for exact-case checks
    exact: bool  # all-capitals or ambiguous cased alias: case must match
    name_check: bool  # cased ambiguous alias: no capitalised neighbour word
    needs_support: bool


def fold(text: str) -> str:
    """Case- and spelling-fold keeping every offset (see _FOLD)."""
    text = text.translate(_FOLD)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def parse_gazetteer(data: bytes, origin: str = "gazetteer") -> Gazetteer:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GazetteerError(f"{origin}: not valid UTF-8 TOML: {exc}") from exc
    suffixes = tuple(doc.get("matching", {}).get("urdu_suffixes", ()))
    entities: list[Entity] = []
    owner: dict[str, str] = {}  # folded alias -> entity id
    for n, raw in enumerate(doc.get("entity", []), start=1):
        where = f"{origin}: entity #{n} ({raw.get('id', '?')})"
        eid, kind = raw.get("id", ""), raw.get("kind", "")
        if not _ENTITY_ID.match(eid):
            raise GazetteerError(f"{where}: id must be lower-case letters, digits and hyphens")
        if kind not in KINDS:
            raise GazetteerError(f"{where}: kind must be one of {sorted(KINDS)}")
        aliases = tuple(dict.fromkeys(a.strip() for a in [*raw.get("en", []), *raw.get("ur", [])]
                                      if a.strip()))
        ambiguous = frozenset(raw.get("ambiguous", []))
        if not aliases or not raw.get("name"):
            raise GazetteerError(f"{where}: needs a name and at least one alias in en or ur")
        if stray := sorted(ambiguous - set(aliases)):
            raise GazetteerError(f"{where}: ambiguous aliases {stray} are not listed in en or ur")
        for alias in aliases:
            key = fold(alias)
            if owner.setdefault(key, eid) != eid:
                raise GazetteerError(f"{where}: alias {alias!r} already belongs to {owner[key]!r}")
        if eid in {e.id for e in entities}:
            raise GazetteerError(f"{where}: duplicate id")
        entities.append(Entity(eid, raw["name"], kind, raw.get("iso"), raw.get("country"),
                               aliases, ambiguous))
    if not entities:
        raise GazetteerError(f"{origin}: no [[entity]] tables")
    return Gazetteer(tuple(entities), suffixes, hashlib.sha256(data).hexdigest())


def entities_frame(gazetteer: Gazetteer) -> pl.DataFrame:
    rows = [{"entity_id": e.id, "name": e.name, "kind": e.kind, "iso_code": e.iso,
             "country_code": e.country, "aliases": list(e.aliases)} for e in gazetteer.entities]
    return pl.DataFrame(rows, schema=ENTITIES_SCHEMA)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "\u200c" or unicodedata.category(c)[0] == "M"


def _is_cased(alias: str) -> bool:
    return alias.lower() != alias.upper()


class Matcher:
    """All aliases of a gazetteer in one Aho-Corasick automaton over folded text."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        listed: dict[str, list[_Pattern]] = {}
        suffixed: dict[str, list[_Pattern]] = {}
        for entity in gazetteer.entities:
            for alias in entity.aliases:
                cased, ambiguous = _is_cased(alias), alias in entity.ambiguous
                pattern = _Pattern(entity.id, alias.translate(_FOLD),
                                   exact=cased and (alias.isupper() or ambiguous),
                                   name_check=cased and ambiguous, needs_support=ambiguous and not cased)
                listed.setdefault(fold(alias), []).append(pattern)
                for suffix in () if cased else gazetteer.urdu_suffixes:
                    suffixed.setdefault(fold(alias + suffix), []).append(pattern)
        self._automaton = ahocorasick.Automaton()
        for key in listed.keys() | suffixed.keys():
            # An alias listed as written wins over a suffixed form that equals it (rule 5).
            patterns = tuple(listed.get(key) or suffixed[key])
            self._automaton.add_word(key, (len(key), patterns))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Mentions in one text: word-bounded, case rules applied, longest non-overlapping first."""
        if not text:
            return []
        folded = fold(text)
        written = text.translate(_FOLD)
        n = len(text)
        candidates: list[Match] = []
        for last, (length, patterns) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if (start > 0 and _is_word_char(text[start - 1])) or (end < n and _is_word_char(text[end])):
                continue
            for p in patterns:
                if p.exact and written[start:end] != p.alias:
                    continue
                if p.name_check and not _stands_alone(text, start, end):
                    continue
                candidates.append(Match(start, end, p.entity_id, p.alias, p.needs_support))
                break
        candidates.sort(key=lambda m: (m.start - m.end, m.start))
        taken = bytearray(n)
        chosen: list[Match] = []
        for m in candidates:
            if not any(taken[m.start:m.end]):
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)

    def count(self, parts: Iterable[tuple[int, str]]) -> Counter[tuple[str, int]]:
        """(entity_id, section_index) -> mentions for one article's texts; support rule applied."""
        found = [(index, m) for index, text in parts for m in self.find(text)]
        supported = {m.entity_id for _, m in found if not m.needs_support}
        return Counter((m.entity_id, index) for index, m in found
                       if not m.needs_support or m.entity_id in supported)


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Ambiguity rule for cased aliases: no capitalised word right after, nor right before
    unless that word starts a sentence ("Jordan Peterson", "Michael Jordan" are names)."""
    j = end
    while j < len(text) and text[j] == " ":
        j += 1
    if j > end and j < len(text) and text[j].isupper():
        return False
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i == start - 1 or i < 0 or not _is_word_char(text[i]):
        return True
    while i >= 0 and _is_word_char(text[i]):
        i -= 1
    if not text[i + 1].isupper():
        return True
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_START


def mentions_frame(parts: pl.DataFrame, matcher: Matcher) -> pl.DataFrame:
    """parts (article_id, section_index, text), grouped by article -> MATCHED_SCHEMA rows."""
    rows: dict[str, list] = {name: [] for name in MATCHED_SCHEMA}
    current: str | None = None
    pending: list[tuple[int, str]] = []

    def flush(article_id: str | None, texts: Sequence[tuple[int, str]]) -> None:
        for (entity_id, index), count in sorted(matcher.count(texts).items()):
            for name, value in zip(rows, (article_id, entity_id, index, count)):
                rows[name].append(value)

    for article_id, index, text in parts.select("article_id", "section_index", "text").iter_rows():
        if article_id != current:
            flush(current, pending)
            current, pending = article_id, []
        pending.append((index, text or ""))
    flush(current, pending)
    return pl.DataFrame(rows, schema=MATCHED_SCHEMA)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """What derived rows depend on: the gazetteer's matcher and the stop words."""

    matcher: Matcher
    stopwords: Stopwords

    @property
    def digest(self) -> str:
        """Changes when the gazetteer, a stop-word list or a matching rule version changes."""
        parts = (MATCHER_VERSION, TERMS_VERSION, self.matcher.gazetteer.digest, self.stopwords.digest)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()
