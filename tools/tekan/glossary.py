"""The glossary file (``glossary/terms.toml``): loading, checking and ordering its terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import Kind, Problem, TekanError
from .model import Glossary, Location, Publication, Term
from .tomlfile import check_fields, entry_line, load_toml

CATEGORIES = (
    "quality-infrastructure",
    "metrology",
    "standardization",
    "conformity-assessment",
    "quality-management",
    "policy",
    "institution",
    "award",
    "industry",
)
TERM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REQUIRED = {
    "id": str,
    "hant": str,
    "hans": str,
    "pinyin": str,
    "en": str,
    "category": str,
    "definition_zh": str,
    "definition_en": str,
    "source": str,
}
_OPTIONAL = {"abbr": str, "aliases": list, "see_also": list, "usage_note": str}


def load_glossary(path: Path) -> Glossary:
    """Read and check a glossary file; raise TekanError at the first problem, with its line."""
    data, lines = load_toml(path, Kind.glossary)
    extra = set(data) - {"term"}
    if extra:
        raise TekanError(
            f"unknown top-level key(s): {', '.join(sorted(extra))} (expected only [[term]])",
            Location(path, 0),
            Kind.glossary,
        )
    entries = data.get("term", [])
    if not isinstance(entries, list) or not entries:
        raise TekanError("no [[term]] entries", Location(path, 0), Kind.glossary)
    terms: list[Term] = []
    owner: dict[str, Term] = {}  # every linkable string → the term it belongs to
    for index, entry in enumerate(entries):
        where = Location(path, entry_line(lines, "term", index))
        check_fields(entry, where, Kind.glossary, _REQUIRED, _OPTIONAL)
        term = Term(
            id=entry["id"],
            hant=entry["hant"].strip(),
            hans=entry["hans"].strip(),
            pinyin=entry["pinyin"].strip(),
            en=entry["en"].strip(),
            abbr=entry.get("abbr", "").strip(),
            aliases=tuple(a.strip() for a in entry.get("aliases", [])),
            category=entry["category"],
            definition_zh=entry["definition_zh"].strip(),
            definition_en=entry["definition_en"].strip(),
            see_also=tuple(entry.get("see_also", [])),
            source=entry["source"].strip(),
            usage_note=entry.get("usage_note", "").strip(),
            line=where.line,
        )
        if not TERM_ID.match(term.id):
            raise TekanError(
                f"id {term.id!r} must be lowercase ASCII letters, digits and hyphens", where, Kind.glossary
            )
        if term.category not in CATEGORIES:
            raise TekanError(f"category {term.category!r} is not one of: {', '.join(CATEGORIES)}", where, Kind.glossary)
        if any(t.id == term.id for t in terms):
            raise TekanError(f"duplicate id {term.id!r}", where, Kind.glossary)
        for form in (term.hant, *term.aliases):
            if not form:
                raise TekanError("empty alias", where, Kind.glossary)
            other = owner.get(form)
            if other is not None:
                what = "headword" if form == other.hant else "alias"
                raise TekanError(
                    f"{form!r} is already the {what} of {other.id!r} (line {other.line})", where, Kind.glossary
                )
            owner[form] = term
        terms.append(term)
    ids = {t.id for t in terms}
    for term in terms:
        for ref in term.see_also:
            if ref not in ids:
                raise TekanError(f"see_also names unknown id {ref!r}", Location(path, term.line), Kind.glossary)
            if ref == term.id:
                raise TekanError("see_also names the entry itself", Location(path, term.line), Kind.glossary)
    return Glossary(tuple(terms), path)


def glossary_problems(glossary: Glossary, publications: Iterable[Publication]) -> list[Problem]:
    """Warnings that need the statements: terms no statement uses, pinyin that disagrees with the headword."""
    from pypinyin import Style, lazy_pinyin  # imported late: only `tekan check` needs it

    texts = "\n".join(
        part
        for publication in publications
        for statement in publication.statements
        for part in statement.paragraphs  # only body text is linked
    )
    problems: list[Problem] = []
    for term in glossary.terms:
        where = Location(glossary.source, term.line)
        if not any(form in texts for form in (term.hant, *term.aliases)):
            problems.append(Problem(f"term {term.id!r} ({term.hant}) occurs in no statement", where, Kind.unused_term))
        expected = "".join(lazy_pinyin(term.hant, style=Style.NORMAL, errors="ignore"))
        if _plain(term.pinyin) != expected.lower():
            # Polyphonic characters make this a hint, never an error.
            problems.append(
                Problem(
                    f"pinyin {term.pinyin!r} differs from the usual reading {expected!r} of {term.hant}; "
                    "check polyphones",
                    where,
                    Kind.glossary,
                )
            )
    return problems


def _plain(pinyin: str) -> str:
    """Pinyin without tone marks, spaces, hyphens or apostrophes, lowercase."""
    decomposed = unicodedata.normalize("NFD", pinyin.lower().replace("ü", "v"))
    return "".join(c for c in decomposed if "a" <= c <= "z")


_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def pinyin_sort_key(term: Term) -> tuple[str, str, str]:
    """Dictionary order: letters first, then tones (unmarked = neutral = 5), then the headword."""
    tones = []
    for syllable in re.split(r"[\s'’-]+", term.pinyin.lower()):
        marks = [_TONE_MARKS[c] for c in unicodedata.normalize("NFD", syllable) if c in _TONE_MARKS]
        tones.append(str(marks[0] if marks else 5))
    return _plain(term.pinyin), "".join(tones), term.hant


def initial(term: Term) -> str:
    """The letter heading a term is filed under in the pinyin-ordered glossary."""
    plain = _plain(term.pinyin)
    return plain[0].upper() if plain else "#"
