"""LaTeX → PDF with XeLaTeX (latexmk), failing on any glyph the fonts lack."""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Kind, Problem, TekanError
from .metadata import metadata_path
from .model import Location

if TYPE_CHECKING:
    from .book import Book
    from .editions import Edition
    from .runner import Runner
    from .target import Target

MISSING = re.compile(r"Missing character: There is no (.) \(U\+([0-9A-F]+)\) in font ([^!]+)!")


def missing_characters(log: str) -> list[str]:
    """The ``Missing character`` lines of a XeLaTeX log, as ``字 (U+XXXX) in font``."""
    return sorted({f"{m[1]} (U+{m[2]}) in {m[3].strip()}" for m in MISSING.finditer(log)})


UNDEFINED = re.compile(r"Warning: (?:Reference|Hyper reference|Citation) `([^']*)' .*undefined")


def undefined_references(log: str) -> list[str]:
    """The cross-references XeLaTeX could not resolve (links that would go nowhere)."""
    return sorted({m[1] for m in UNDEFINED.finditer(log)})


def missing_fonts(script: str) -> list[str]:
    """The edition's Noto CJK families that fontconfig does not know."""
    from .editions import cjk_fonts

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(cjk_fonts(script).values())
    listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [family for family in cjk_fonts(script).values() if family not in families]


#: Left in the LaTeX folder while a PDF build is not known to have succeeded.
UNFINISHED = ".tekan-pdf-unfinished"


def latexmk_command(tex: Path) -> list[str]:
    """The XeLaTeX run of a book (latexmk reruns it until references settle)."""
    return ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name]


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


def check_latex(editions: Sequence[Edition]) -> None:
    """The PDF's prerequisites: latexmk and XeLaTeX, and the editions' fonts (one line of advice each)."""
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise TekanError(
            "the PDF needs XeLaTeX: install latexmk texlive-xetex texlive-lang-chinese texlive-fonts-recommended "
            "(tools/setup.sh does this as root), or build only html epub",
            Path("latexmk"),
            Kind.io,
        )
    check_fonts(editions)


def finish_pdf(latex_dir: Path, target: Target, runner: Runner) -> Path:
    """The PDF's finishing step: XeLaTeX on Sphinx's LaTeX output."""
    return make_pdf(latex_dir, target.edition.key, runner)


def make_pdf(latex_dir: Path, script: str, runner: Runner) -> Path:
    """Run latexmk on the Sphinx LaTeX output in ``latex_dir`` (through ``runner``); return the PDF."""
    run = runner  # given by building (no import back: building imports this module)
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise TekanError(
            "the PDF needs XeLaTeX: install make latexmk texlive-xetex texlive-lang-chinese "
            "texlive-fonts-recommended fonts-noto-cjk (tools/setup.sh does this as root)",
            latex_dir,
            Kind.io,
        )
    fonts = missing_fonts(script)
    if fonts:
        raise TekanError(
            f"the PDF needs the fonts {', '.join(fonts)}: install fonts-noto-cjk (tools/setup.sh does this as root)",
            latex_dir,
            Kind.io,
        )
    texs = sorted(latex_dir.glob("*.tex"))
    if not texs:
        raise TekanError("Sphinx wrote no .tex file", latex_dir, Kind.io)
    tex = texs[0]
    command = latexmk_command(tex)
    # latexmk remembers a failed run and will not rerun an unchanged .tex: after a run that failed, was
    # interrupted or was killed (the marker is left behind), it is told to run anyway.
    unfinished = latex_dir / UNFINISHED
    if unfinished.exists():
        command.insert(1, "-g")
    unfinished.touch()
    status = run(command, latex_dir, True)  # its output is in the log, read below
    log_path = tex.with_suffix(".log")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    if status:
        raise TekanError(f"XeLaTeX failed (exit {status}); see the log", log_path, Kind.io)
    missing = missing_characters(log)
    if missing:
        raise TekanError(f"the fonts lack {len(missing)} character(s): {'; '.join(missing[:10])}", log_path, Kind.io)
    undefined = undefined_references(log)
    if undefined:
        raise TekanError(f"{len(undefined)} unresolved reference(s): {'; '.join(undefined[:10])}", log_path, Kind.io)
    unfinished.unlink()
    return tex.with_suffix(".pdf")


# --- characters the fonts lack, found before XeLaTeX runs ----------------------------------------------


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
    metadata = metadata_path(seed)
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
                Location(metadata, 0),
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
        headword = book.edition.headword(term.hant, term.hans)
        for text in (headword, term.pinyin, term.en, term.abbr, term.definition_zh, term.definition_en, term.source):
            yield where, f"term `{term.id}`", text


def missing_glyphs(book: Book, families: Sequence[str]) -> list[Problem]:
    """One problem per character of the book that a PDF font lacks, with its line and column.

    XeLaTeX only logs such a character ("Missing character") and leaves a gap: found here, before it runs.
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
