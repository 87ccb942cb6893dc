"""The records every other module passes around: small, immutable and picklable."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Location:
    """A place in an input file, for messages an editor can act on."""

    path: Path  # the file
    line: int  # 1-based line number; 0 when the problem concerns the whole file

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class Attribution:
    """Who signed a statement, split from the byline line."""

    raw: str  # the byline as printed, without the leading dash
    organisation: str  # e.g. 安徽省市場監管局; "" when the byline could not be split
    position: str  # e.g. 黨組書記、局長; "" when the byline could not be split
    person: str  # e.g. 韓永生; "" when the byline could not be split
    line: int  # line of the byline in the seed

    @property
    def is_split(self) -> bool:
        """True when organisation, position and person were recognised."""
        return bool(self.person)


@dataclass(frozen=True)
class StatementMeta:
    """Editorial facts about a statement that the seed does not carry."""

    slug: str  # stable ASCII page name
    sector: str  # id of a Sector
    feature: str = ""  # id of the feature in a collection of several seeds; "" in a book of one seed
    headline_en: str = ""  # English rendering of the headline
    person_pinyin: str = ""  # speaker's name in Hanyu Pinyin
    organisation_en: str = ""  # organisation's English name
    position_en: str = ""  # English rendering of the position(s)
    editor_notes: tuple[tuple[str, str], ...] = ()  # (text as printed in a paragraph, the editor's note on it)
    editor_notes_en: tuple[tuple[int, str], ...] = ()  # (paragraph number, the note in English, for the translation)


@dataclass(frozen=True)
class Statement:
    """One signed statement: headline, body, byline."""

    number: int  # 1-based position in the seed
    headline: str  # headline line, verbatim
    paragraphs: tuple[str, ...]  # body paragraphs, verbatim, in order
    attribution: Attribution  # the byline
    line: int  # line of the headline in the seed
    meta: StatementMeta  # slug, sector and English renderings
    paragraph_lines: tuple[int, ...] = ()  # line of each body paragraph in the seed (same order as paragraphs)


@dataclass(frozen=True)
class Sector:
    """A group of statements in the book (e.g. market regulators)."""

    id: str  # stable ASCII id
    zh: str  # Chinese name, in the seed's script
    en: str  # English name; "" when the metadata gives none (then left out)
    feature: str = ""  # id of the feature in a collection ("" in a book of one seed)


@dataclass(frozen=True)
class GlossaryChoice:
    """Which glossary entries a book prints besides those its text uses (the metadata's ``[glossary]`` table)."""

    all: bool = False  # every entry of the glossary file, used or not
    include: tuple[str, ...] = ()  # ids of entries printed though the text does not use them
    where: Location | None = None  # the table, for messages about an unknown id


@dataclass(frozen=True)
class PublicationMeta:
    """Book-level facts from the metadata file beside the seed."""

    title: str  # Chinese title
    title_en: str = ""  # English title
    publisher: str = ""  # Chinese publisher name
    publisher_en: str = ""  # English publisher name
    date: str = ""  # ISO date or year-month of the issue
    identifier: str = ""  # stable identifier (EPUB dc:identifier)
    copyright: str = ""  # copyright line, e.g. "2021, 中國質量報社"; "" derives it from date and publisher
    description_zh: str = ""  # one-paragraph description, Chinese
    description_en: str = ""  # one-paragraph description, English
    sectors: tuple[Sector, ...] = ()  # sectors in book order
    from_masthead: tuple[str, ...] = ()  # the fields read from the masthead (no metadata gave them)
    glossary: GlossaryChoice | None = None  # the metadata's [glossary] table: entries printed beyond those used


class Change(NamedTuple):
    """One edit that normalisation made to the seed's text, for the audit page (a tuple: a long book makes hundreds
    of thousands, and a frozen dataclass costs twice the time to make)."""

    line: int  # line in the seed
    statement: int  # number of the statement; 0 for the masthead
    part: str  # "headline", "paragraph" or "masthead"
    paragraph: int  # 1-based paragraph number within the statement; 0 for headline and masthead
    before: str  # the seed's text around the change
    after: str  # the same stretch after the change
    start: int  # offset of the changed part within ``before`` (and ``after``)
    old: str  # the characters replaced
    new: str  # what replaced them
    rule: str  # "punctuation" or "word"


#: The places of a :class:`Change`'s fields that hold the same few strings in every change (its part, rule, and the
#: characters replaced and replacing: ``,`` and ``，`` 400,000 times over in a long book).
SHARED_FIELDS = tuple(Change._fields.index(name) for name in ("part", "old", "new", "rule"))


@dataclass(frozen=True)
class Publication:
    """A whole special issue: masthead, statements and metadata."""

    masthead: str  # last line of the seed, verbatim
    statements: tuple[Statement, ...]  # in seed order
    meta: PublicationMeta  # book-level metadata
    source: Path  # the seed file
    normalised: bool = False  # True when the text was normalised (``changes`` lists every edit)
    masthead_line: int = 0  # line of the masthead in the seed; 0 when there is none
    script: str = "hant"  # the script the seed is written in: "hant" (Traditional) or "hans" (Simplified)
    changes: tuple[Change, ...] = ()  # edits made to the seed text, in seed order

    def __getstate__(self) -> dict[str, object]:
        # A long book's hundreds of thousands of changes are pickled (memos) as ten columns, one per field: no tuple
        # per change, and a column's repeated values (a rule, a part, a line) written once (16,000 statements: the
        # publication pickled in 0.55 s, 0.85 s with a tuple per change).
        state = {**self.__dict__, "change_columns": tuple(zip(*self.changes, strict=True))}
        del state["changes"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        if "change_columns" in state:
            columns = list(state.pop("change_columns"))
            # Each part, rule and replacement once (a memo written without pickle's memo holds 425,000 copies of
            # "punctuation": 40 MB more of a long book's memory).
            for column in SHARED_FIELDS if columns else ():  # no change: no column
                columns[column] = tuple(map(sys.intern, columns[column]))
            rows: Iterable[Iterable[Any]] = zip(*columns, strict=True)
        else:
            rows = state.get("changes", ())
        self.__dict__.update(state, changes=tuple(map(Change._make, rows)))

    def by_sector(self) -> list[tuple[Sector, list[Statement]]]:
        """Statements grouped by sector, in the metadata's sector order."""
        members: dict[tuple[str, str], list[Statement]] = {}
        for st in self.statements:
            members.setdefault((st.meta.feature, st.meta.sector), []).append(st)
        groups = [(s, members.get((s.feature, s.id), [])) for s in self.meta.sectors]
        return [(s, sts) for s, sts in groups if sts]


@dataclass(frozen=True)
class Term:
    """One glossary entry: a concept with its Chinese and English names."""

    id: str  # stable ASCII anchor, e.g. "metrology"
    hant: str  # Traditional headword
    hans: str  # Simplified headword, written out (never machine-converted)
    pinyin: str  # Hanyu Pinyin with tone marks
    en: str  # English term
    abbr: str  # abbreviation, or ""
    aliases: tuple[str, ...]  # other correct forms that link here, shown to readers under 又作
    category: str  # one of glossary.CATEGORIES
    definition_zh: str  # short definition, Traditional Chinese
    definition_en: str  # short definition, English
    see_also: tuple[str, ...]  # ids of related terms
    source: str  # authority for the English rendering
    usage_note: str  # cross-Strait or other usage remark, or ""
    line: int  # line of the entry in the glossary file
    en_variants: tuple[str, ...] = ()  # other English forms a translation may use (linked, accepted by the QA)
    misspellings: tuple[str, ...] = ()  # wrong forms printed in a source: linked, never shown, TBX deprecated
    en_note: str = ""  # what the English term means, kept out of the term itself (ISO 10241-1), or ""
    wrong_en: tuple[str, ...] = ()  # English a translation must not use for it (false friends): flagged, TBX deprecated
    reference: bool = False  # defined because other entries lean on it: looked up, never linked in the text
    usage_note_zh: str = ""  # the usage note in Traditional Chinese, for the Chinese editions, or ""
    source_zh: str = ""  # the source line in Traditional Chinese, for the Chinese editions, or ""
    fields: tuple[tuple[str, str | tuple[str, ...] | bool | int], ...] = ()  # declared fields' values (glossaryfields)

    def value(self, key: str) -> str | tuple[str, ...] | bool | int | None:
        """The value of the declared field ``key`` (``glossaryfields.FIELDS``), or None when the entry has none."""
        if key in _TERM_ATTRIBUTES:  # a field Term names
            value: str | tuple[str, ...] | bool | int = getattr(self, key)
            return value
        return next((value for name, value in self.fields if name == key), None)

    @property
    def linkable(self) -> tuple[str, ...]:
        """Every Traditional form that links to this term: headword, aliases, misspellings."""
        return (self.hant, *self.aliases, *self.misspellings)


#: The fields Term names (a declared field among them is read as its attribute).
_TERM_ATTRIBUTES = frozenset(Term.__dataclass_fields__) - {"fields", "line"}


@dataclass(frozen=True)
class Translation:
    """One statement in another language, read from its gettext catalog."""

    slug: str  # the statement's page name
    language: str  # e.g. "en"
    path: Path  # the catalog file
    paragraphs: tuple[str, ...]  # each body paragraph translated; "" when fuzzy or missing
    states: tuple[str, ...]  # per paragraph: "translated", "fuzzy" or "missing"
    lines: tuple[int, ...]  # line of each paragraph's message in the catalog; 0 when it has none
    obsolete: int = 0  # messages kept for paragraphs the seed no longer has


@dataclass(frozen=True)
class Glossary:
    """All terms of a glossary file, in file order."""

    terms: tuple[Term, ...]  # entries in file order
    source: Path  # the glossary file
    unused: frozenset[str] = frozenset()  # ids printed though the book's text uses them nowhere (see also, [glossary])
    by_id: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)  # index, filled on load

    def __post_init__(self) -> None:
        self.by_id.update({t.id: t for t in self.terms})


@dataclass(frozen=True)
class SeedConvention:
    """How one paper lays out a feature in its seed text."""

    name: str  # what a metadata file's ``convention = "…"`` names
    byline: re.Pattern[str]  # a line that is a byline; its group ``text`` is the signature
    read_byline: Callable[[str, Iterable[str]], tuple[str, str, str] | None]  # → organisation, position(s), person
    explain_sector: Callable[[str, str], tuple[str, str]]  # (organisation, position) → sector id and the reason
    sectors: Mapping[str, tuple[Sector, ...]]  # the default sectors in book order, per script of the seed
    masthead_facts: Callable[[str], dict[str, str]]  # the masthead line → title, publisher, date it names
    collection_title: str = "{publisher}特刊合集"  # a collection's title when its file gives none
    collection_title_en: str = "{publisher}: Special Issues"  # its English, when the features' English publisher is one
