"""What the PDF needs of the machine: the edition's Noto CJK fonts, and a glyph for every character it sets.

The PDF itself is made by the Typst builder (``tekan.sphinxext.typst``); these checks run before it, so a
missing font or character stops the build with its place rather than a gap or a fallback glyph in print.
"""

from __future__ import annotations

import bisect
import shutil
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Kind, Problem, TekanError, read_text
from .glossaryfields import FIELDS
from .metadata import metadata_path
from .model import Location
from .processes import query
from .tomlfile import value_position

if TYPE_CHECKING:
    from .book import Book
    from .editions import Edition
    from .runner import Runner
    from .target import Target


def missing_fonts(script: str) -> list[str]:
    """The edition's Noto CJK families that fontconfig does not know."""
    from .editions import cjk_fonts

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(cjk_fonts(script).values())
    listed = query([fc_list, ":", "family"]).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [family for family in cjk_fonts(script).values() if family not in families]


def check_fonts(editions: Sequence[Edition]) -> None:
    """The prerequisite of a format that draws with the editions' Noto CJK fonts (EPUB cover, PDF text)."""
    missing = sorted({family for edition in editions for family in missing_fonts(edition.key)})
    if missing:
        raise TekanError(
            f"the fonts {', '.join(missing)} are not installed: install fonts-noto-cjk "
            "(tools/setup.sh does this as root), or build only html",
            Path("fc-list"),
            Kind.io,
        )


def finish_pdf(built: Path, target: Target, runner: Runner) -> Path:
    """The PDF's finishing step: the file the Typst builder compiled (none when the fonts lacked a character,
    which its warnings name)."""
    del runner  # Typst ran inside Sphinx
    from .editions import BASENAME

    pdf = built / f"{BASENAME}.pdf"
    if not pdf.is_file():
        raise TekanError("the Typst builder made no PDF: see its warnings above", target.inputs.seed, Kind.io)
    return pdf


# --- characters the fonts lack, found before the PDF is made ----------------------------------------------


@lru_cache(maxsize=8)
def font_coverage(family: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The code points a font family has glyphs for, as sorted range starts and ends (from ``fc-query``)."""
    from .epub import font_file

    path, index = font_file(family)
    fc_query = shutil.which("fc-query") or "fc-query"
    out = query([fc_query, "-i", str(index), "-f", "%{charset}", path])
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


def _texts(book: Book) -> Iterator[tuple[Location, str, str, str]]:
    """Every text of a book the PDF sets, with its place: (location, what, text, key). ``key`` is the field's
    key when the text is a value of a TOML file (metadata, collection, glossary), "" for a line of a seed.

    In a collection each feature's texts are placed in its own seed and metadata, the book's title in the
    collection file.
    """
    for publication in book.features or (book.publication,):
        seed = publication.source
        metadata = metadata_path(seed)
        described = metadata.is_file()  # without one, the defaults are derived from the seed, checked here
        if publication.masthead:
            yield Location(seed, publication.masthead_line), "masthead", publication.masthead, ""
        for statement in publication.statements:
            yield Location(seed, statement.line), "headline", statement.headline, ""
            lines = statement.paragraph_lines or (statement.line,) * len(statement.paragraphs)
            for line, paragraph in zip(lines, statement.paragraphs, strict=False):
                yield Location(seed, line), "paragraph", paragraph, ""
            yield Location(seed, statement.attribution.line), "byline", statement.attribution.raw, ""
            for name in ("headline_en", "person_pinyin", "organisation_en", "position_en") if described else ():
                where = Location(metadata, 0)
                yield where, f"`{name}` of statement {statement.number}", getattr(statement.meta, name), name
        for name in _PUBLICATION_FIELDS if described else ():
            yield Location(metadata, 0), f"`{name}`", getattr(publication.meta, name), name
        for sector in publication.meta.sectors if described else ():
            yield Location(metadata, 0), f"sector `{sector.id}`", sector.zh, "zh"
            yield Location(metadata, 0), f"sector `{sector.id}`", sector.en, "en"
    if book.features:  # the collection's own title page
        for name in _PUBLICATION_FIELDS:
            yield Location(book.publication.source, 0), f"`{name}`", getattr(book.publication.meta, name), name
    shown = [field for field in FIELDS.values() if field.render != "none"]
    printed = [key for key in dict.fromkeys(k for f in shown for k in (f.key, f.chinese)) if key in FIELDS]
    for term in book.glossary.terms:
        where = Location(book.glossary.source, term.line)
        fields = {
            "hans" if book.edition.script == "hans" else "hant": book.edition.headword(term.hant, term.hans),
            "pinyin": term.pinyin,
            "en": term.en,
            "abbr": term.abbr,
            "definition_zh": term.definition_zh,
            "definition_en": term.definition_en,
        }
        for key, text in fields.items():
            yield where, f"term `{term.id}`", text, key
        for key in printed:  # the declared fields an entry shows (glossaryfields): usage note, source, …
            value = term.value(key)
            for text in FIELDS[key].texts(value) if value is not None else ():
                yield where, f"term `{term.id}`", text, key


#: The publication's fields the PDF sets (title page, imprint, PDF properties).
_PUBLICATION_FIELDS = ("title", "title_en", "publisher", "publisher_en", "description_zh", "description_en")


def missing_glyphs(book: Book, families: Sequence[str]) -> list[Problem]:
    """One problem per character of the book that a PDF font lacks, with its line and column.

    A font without the glyph would leave a gap or take another face's: found here, before the PDF is made.
    """
    coverages = [(family, font_coverage(family)) for family in families]
    problems: list[Problem] = []
    known: dict[str, str] = {}  # character → the first family lacking it ("" when all have it)
    files: dict[Path, str] = {}
    for where, what, text, key in _texts(book):
        for column, char in enumerate(text, start=1):
            if char in known:
                lacking = known[char]
            else:
                lacking = next((f for f, c in coverages if not char.isspace() and not has_glyph(c, char)), "")
                known[char] = lacking
            if lacking:
                name = unicodedata.name(char, "unnamed")
                place = where
                if key:  # a TOML value: the line and column of the character in the file as typed
                    if where.path not in files:
                        files[where.path] = read_text(where.path)
                    line, column_in_file = value_position(files[where.path], char, key, where.line)
                    if line:
                        place, column = Location(where.path, line), column_in_file
                problems.append(
                    Problem(
                        f"{what}, column {column}: {char!r} U+{ord(char):04X} {name} is not in the PDF's font "
                        f"{lacking}; the site and the EPUB show it in the reader's fonts — replace it, or build "
                        "only html epub",
                        place,
                        Kind.encoding,
                    )
                )
    return problems
