"""Traditional ↔ Simplified conversion: OpenCC, corrected by an override dictionary, with protected names and
the glossary's written-out forms.

A text is cut at every protected form (longest match first); protected forms are replaced by their counterpart
as a whole, and only the text between them goes through OpenCC. Protected are: the pairs of
``data/opencc-overrides.txt`` (OpenCC's known errors), the glossary headwords (``Term.hant`` ↔ ``Term.hans``)
and, for a publication, the names of its speakers and organisations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from .datafiles import read_columns
from .linking import Linker
from .model import Glossary, Publication, Statement

#: The project's corrections to OpenCC: ``TRADITIONAL<TAB>SIMPLIFIED  # why`` per line.
OVERRIDES = Path(__file__).parent / "data" / "opencc-overrides.txt"
#: OpenCC configurations: Traditional → Simplified, and Simplified → Traditional with Taiwan's standard
#: character forms (為, 群, 眾 as in the seed, not OpenCC's 爲, 羣, 衆).
T2S, S2T = "t2s", "s2tw"


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def load_overrides(path: Path = OVERRIDES) -> tuple[tuple[str, str], ...]:
    """The (Traditional, Simplified) pairs of an override file, in file order."""
    rows = read_columns(path, 2, "TRADITIONAL<TAB>SIMPLIFIED (then an optional # comment)")
    return tuple((hant, hans) for hant, hans in rows)


@dataclass(frozen=True)
class Converter:
    """Converts text between the scripts, keeping protected forms exactly as given."""

    hans_of: Mapping[str, str]  # protected Traditional form → its Simplified form
    hant_of: Mapping[str, str]  # protected Simplified form → its Traditional form
    to_hans_linker: Linker  # finds protected Traditional forms
    to_hant_linker: Linker  # finds protected Simplified forms

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> Converter:
        """A converter protecting ``pairs`` of (Traditional, Simplified); earlier pairs win a conflict."""
        hans_of: dict[str, str] = {}
        hant_of: dict[str, str] = {}
        for hant, hans in pairs:
            if hant and hans:
                hans_of.setdefault(hant, hans)
                hant_of.setdefault(hans, hant)
        return cls(hans_of, hant_of, Linker.build(hans_of), Linker.build(hant_of))

    def to_hans(self, text: str) -> str:
        """Traditional → Simplified."""
        return _convert(text, self.to_hans_linker, T2S)

    def to_hant(self, text: str) -> str:
        """Simplified → Traditional."""
        return _convert(text, self.to_hant_linker, S2T)


def _convert(text: str, protected: Linker, config: str) -> str:
    if not text:
        return text
    opencc = _opencc(config)
    out: list[str] = []
    position = 0
    for start, end, replacement in protected.occurrences(text):
        if start > position:
            out.append(opencc.convert(text[position:start]))
        out.append(replacement)
        position = end
    if position < len(text):
        out.append(opencc.convert(text[position:]))
    return "".join(out)


def glossary_pairs(glossary: Glossary) -> list[tuple[str, str]]:
    """Each glossary headword with its written-out Simplified form."""
    return [(term.hant, term.hans) for term in glossary.terms]


def name_pairs(publication: Publication, base: Converter) -> list[tuple[str, str]]:
    """The speakers' and organisations' names of a publication with their Simplified forms, for protection."""
    names: list[str] = []
    for statement in publication.statements:
        a = statement.attribution
        names += [n for n in (a.person, a.organisation) if n and n not in names]
    return [(name, base.to_hans(name)) for name in names]


@cache
def default_converter() -> Converter:
    """The converter with the project's overrides only (no glossary, no names)."""
    return Converter.build(load_overrides())


def converter_for(glossary: Glossary | None = None, publication: Publication | None = None) -> Converter:
    """A converter protecting the overrides, the glossary headwords and the publication's names."""
    overrides = load_overrides()
    base = default_converter()
    pairs = list(overrides)
    if publication is not None:
        pairs += name_pairs(publication, base)
    if glossary is not None:
        pairs += glossary_pairs(glossary)
    return Converter.build(pairs)


def to_hans(text: str) -> str:
    """Traditional → Simplified, with the project's overrides."""
    return default_converter().to_hans(text)


def to_hant(text: str) -> str:
    """Simplified → Traditional (Taiwan character forms), with the project's overrides."""
    return default_converter().to_hant(text)


def publication_to_hans(publication: Publication, glossary: Glossary) -> Publication:
    """The Simplified edition of a publication (headlines, body, bylines, titles); names and terms protected."""
    convert = converter_for(glossary, publication).to_hans

    def statement(st: Statement) -> Statement:
        a = st.attribution
        attribution = replace(
            a,
            raw=convert(a.raw),
            organisation=convert(a.organisation),
            position=convert(a.position),
            person=convert(a.person),
        )
        return replace(
            st,
            headline=convert(st.headline),
            paragraphs=tuple(convert(p) for p in st.paragraphs),
            attribution=attribution,
        )

    meta = publication.meta
    sectors = tuple(replace(s, zh=convert(s.zh)) for s in meta.sectors)
    new_meta = replace(
        meta,
        title=convert(meta.title),
        publisher=convert(meta.publisher),
        copyright=convert(meta.copyright),
        description_zh=convert(meta.description_zh),
        sectors=sectors,
    )
    return replace(
        publication,
        masthead=convert(publication.masthead),
        statements=tuple(statement(s) for s in publication.statements),
        meta=new_meta,
    )
