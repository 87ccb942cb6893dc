"""What the PDF needs of the machine: the edition's Noto CJK fonts, and a glyph for every character it sets.

The PDF itself is made by the Typst builder (``tekan.sphinxext.typst``); these checks run before it, so a
missing font or character stops the build with its place rather than a gap or a fallback glyph in print.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import Kind, Problem
from .model import Location

if TYPE_CHECKING:
    from .book import Book


def missing_fonts(script: str) -> list[str]:
    """The edition's Noto CJK families that fontconfig does not know."""
    from .editions import cjk_fonts

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(cjk_fonts(script).values())
    listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [family for family in cjk_fonts(script).values() if family not in families]


# --- characters the fonts lack, found before the PDF is made ----------------------------------------------


@lru_cache(maxsize=8)
def font_coverage(family: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The code points a font family has glyphs for, as sorted range starts and ends (from ``fc-query``)."""
    from .epub import font_file

    path, index = font_file(family)
    fc_query = shutil.which("fc-query") or "fc-query"
    out = subprocess.run([fc_query, "-i", str(index), "-f", "%{charset}", path], capture_output=True, text=True)
    starts: list[int] = []
    ends: list[int] = []
    for item in out.stdout.split():
        first, _, last = item.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return tuple(starts), tuple(ends)


def has_glyph(coverage: tuple[tuple[int, ...], tuple[int, ...]], char: str) -> bool:
    """True when ``char`` is in the coverage of :func:`font_coverage`."""
    starts, ends = coverage
    position = bisect.bisect_right(starts, ord(char)) - 1
    return position >= 0 and ord(char) <= ends[position]


def _texts(book: Book) -> Iterator[tuple[Location, str, str]]:
    """Every text of a book the PDF sets, with its place: (location, what, text)."""
    publication = book.publication
    seed = publication.source
    metadata = seed.with_suffix(".toml")
    if publication.masthead:
        yield Location(seed, publication.masthead_line), "masthead", publication.masthead
    for statement in publication.statements:
        yield Location(seed, statement.line), "headline", statement.headline
        lines = statement.paragraph_lines or (statement.line,) * len(statement.paragraphs)
        for line, paragraph in zip(lines, statement.paragraphs, strict=False):
            yield Location(seed, line), "paragraph", paragraph
        yield Location(seed, statement.attribution.line), "byline", statement.attribution.raw
        meta = statement.meta
        if not metadata.is_file():  # the defaults are derived from the seed, checked above
            continue
        for name in ("headline_en", "person_pinyin", "organisation_en", "position_en"):
            yield (
                Location(seed.with_suffix(".toml"), 0),
                f"`{name}` of statement {statement.number}",
                getattr(meta, name),
            )
    for name in ("title", "title_en", "publisher", "publisher_en", "description_zh", "description_en"):
        if not metadata.is_file():
            break
        yield Location(metadata, 0), f"`{name}`", getattr(publication.meta, name)
    for sector in publication.meta.sectors if metadata.is_file() else ():
        yield Location(metadata, 0), f"sector `{sector.id}`", sector.zh + sector.en
    for term in book.glossary.terms:
        where = Location(book.glossary.source, term.line)
        headword = term.hans if book.script == "hans" else term.hant
        for text in (headword, term.pinyin, term.en, term.abbr, term.definition_zh, term.definition_en, term.source):
            yield where, f"term `{term.id}`", text


def missing_glyphs(book: Book, families: Sequence[str]) -> list[Problem]:
    """One problem per character of the book that a PDF font lacks, with its line and column.

    A font without the glyph would leave a gap or take another face's: found here, before the PDF is made.
    """
    coverages = [(family, font_coverage(family)) for family in families]
    problems: list[Problem] = []
    known: dict[str, str] = {}  # character → the first family lacking it ("" when all have it)
    for where, what, text in _texts(book):
        for column, char in enumerate(text, start=1):
            if char in known:
                lacking = known[char]
            else:
                lacking = next((f for f, c in coverages if not char.isspace() and not has_glyph(c, char)), "")
                known[char] = lacking
            if lacking:
                name = unicodedata.name(char, "unnamed")
                problems.append(
                    Problem(
                        f"{what}, column {column}: {char!r} U+{ord(char):04X} {name} is not in the PDF's font "
                        f"{lacking}; the site and the EPUB show it in the reader's fonts — replace it, or build "
                        "only html epub",
                        where,
                        Kind.encoding,
                    )
                )
    return problems
