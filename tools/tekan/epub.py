"""Finishing an EPUB 3 that Sphinx wrote: book metadata it lacks, a cover image, and a reproducible zip.

No Sphinx here: these are functions over the unpacked book folder and plain metadata, called by
``tekan.sphinxext.epub`` once Sphinx has written the book.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Kind, TekanError
from .processes import query

#: The EPUB's package document, navigation document and the container's fixed first entry.
OPF = "content.opf"
NAV = "nav.xhtml"
NCX = "toc.ncx"
MIMETYPE = "mimetype"
#: Zip timestamps cannot precede 1980; earlier SOURCE_DATE_EPOCH values are clamped.
_ZIP_EPOCH = 315532800


@dataclass(frozen=True)
class BookMetadata:
    """What the package document should say about the book beyond Sphinx's defaults."""

    title_en: str  # English title (a second dc:title, xml:lang="en")
    date: str  # publication date (W3CDTF: YYYY, YYYY-MM or YYYY-MM-DD) for dc:date
    contributors: tuple[str, ...]  # the signatories of the statements, in book order
    description_en: str  # English description (the Chinese one is Sphinx's dc:description)
    writing_mode: str  # "horizontal" or "vertical"
    cover: str  # the cover image's path in the book, or "" when there is none
    conforms_to: str = ""  # the accessibility conformance the book claims (CONFORMS_TO), or "" for none


def accessibility_metadata(meta: BookMetadata) -> list[tuple[str, str]]:
    """The schema.org accessibility properties of a text-only book (EPUB Accessibility 1.1)."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "index", "displayTransformability"]
    if meta.cover:
        features.append("alternativeText")
    features.append("verticalWriting" if meta.writing_mode == "vertical" else "horizontalWriting")
    summary = (
        "A text-only book: every statement, the bilingual glossary and the English index are marked-up text "
        "with headings, a table of contents by sector and links between each glossary term and the statements "
        "that use it. English passages are tagged as English. "
        + ("The cover image has a text alternative. " if meta.cover else "")
        + "No hazards."
    )
    return [
        ("schema:accessMode", "textual"),
        *(("schema:accessibilityFeature", f) for f in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilitySummary", summary),
        *((("dcterms:conformsTo", meta.conforms_to),) if meta.conforms_to else ()),
    ]


_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def patch_package(opf: str, meta: BookMetadata) -> str:
    """Add to Sphinx's ``content.opf`` what it does not write: English title, publication date,
    contributors, accessibility metadata, and the EPUB 3 ``cover-image`` property."""
    lines: list[str] = []
    if meta.title_en:
        lines.append(f'<dc:title id="title-en" xml:lang="en">{html.escape(meta.title_en)}</dc:title>')
    if meta.description_en:
        lines.append(f'<dc:description xml:lang="en">{html.escape(meta.description_en)}</dc:description>')
    lines += [f"<dc:contributor>{html.escape(name)}</dc:contributor>" for name in meta.contributors]
    lines += [f'<meta property="{prop}">{html.escape(value)}</meta>' for prop, value in accessibility_metadata(meta)]
    opf, count = re.subn(r"(<dc:title>[^<]*</dc:title>)", lambda m: m[1] + "".join(f"\n    {x}" for x in lines), opf)
    if count != 1:
        raise TekanError("content.opf has no single dc:title to extend", Path(OPF), Kind.io)
    # Sphinx writes one placeholder contributor; the signatories replace it.
    opf = re.sub(r"\n\s*<dc:contributor>unknown</dc:contributor>", "", opf)
    if meta.date:
        if not _DATE.fullmatch(meta.date):
            raise TekanError(f"publication date {meta.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD", Path(OPF), Kind.io)
        # dc:date is the publication date; Sphinx puts the build time there (it stays in dcterms:modified).
        opf = re.sub(r"<dc:date>[^<]*</dc:date>", f"<dc:date>{meta.date}</dc:date>", opf)
    opf = _drop_repeated_itemrefs(opf)
    if meta.cover:
        href = re.escape(html.escape(meta.cover))
        opf, count = re.subn(
            rf'(<item id="[^"]*" href="{href}" media-type="image/[a-z+]+")', r'\1 properties="cover-image"', opf
        )
        if count != 1:
            raise TekanError(f"the cover image {meta.cover} is not in the manifest", Path(OPF), Kind.io)
    return opf


def _drop_repeated_itemrefs(opf: str) -> str:
    # Sphinx lists a cover page left by an earlier build in the same folder twice in the spine (RSC-005).
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        if match[2] in seen:
            return ""
        seen.add(match[2])
        return match[0]

    return re.sub(r'(\n\s*)?<itemref idref="([^"]+)"[^>]*/>', keep_first, opf)


#: EPUB Accessibility 1.1's identifier of the conformance level the book claims (``dcterms:conformsTo``).
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class Landmark:
    """One entry of the navigation document's landmarks: a structural part of the book and where it starts."""

    kind: str  # its epub:type: cover, toc, bodymatter, glossary, index
    href: str  # the page (and fragment), relative to the navigation document
    title: str  # what a reader is told, in the book's language
    lang: str = ""  # the title's language when it is not the book's (e.g. "en")


def finish_navigation(nav: str, toc_title: str, landmarks: tuple[Landmark, ...] = ()) -> str:
    """Complete Sphinx's navigation document: its title in the book's language (Sphinx writes "Table of
    Contents"), the ``doc-toc`` role that matches ``epub:type="toc"`` (assistive technologies read roles, not
    epub:type), and a landmarks navigation so reading systems can go straight to the text or the glossary."""
    nav = re.sub(r"(<title>|<h1>)[^<]*(</title>|</h1>)", lambda m: f"{m[1]}{html.escape(toc_title)}{m[2]}", nav)
    nav, count = re.subn(r'<nav epub:type="toc"(?![^>]*\brole=)', '<nav epub:type="toc" id="toc" role="doc-toc"', nav)
    if count != 1:
        raise TekanError("nav.xhtml has no single table of contents to complete", Path(NAV), Kind.io)
    if landmarks:
        items = "".join(
            f'\n        <li><a epub:type="{mark.kind}" href="{html.escape(mark.href)}"'
            + (f' lang="{mark.lang}" xml:lang="{mark.lang}"' if mark.lang else "")
            + f">{html.escape(mark.title)}</a></li>"
            for mark in landmarks
        )
        # hidden: reading systems offer landmarks in their own menus; it is not a page to read.
        block = (
            f'\n    <nav epub:type="landmarks" id="landmarks" hidden="">\n      <ol>{items}\n      </ol>\n    </nav>'
        )
        nav = nav.replace("</body>", f"{block}\n  </body>", 1)
    return nav


def patch_ncx(ncx: str, identifier: str) -> str:
    """Put the book's identifier into the EPUB 2 table of contents (Sphinx writes the id's XML name there,
    which EPUBCheck reports as NCX-001)."""
    return re.sub(r'(<meta name="dtb:uid" content=")[^"]*(")', lambda m: f"{m[1]}{html.escape(identifier)}{m[2]}", ncx)


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every zip entry: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.gmtime(max(epoch, _ZIP_EPOCH))[:6]


def write_epub(book_dir: Path, names: list[str], target: Path) -> None:
    """Zip ``names`` (relative to ``book_dir``) into ``target`` as an EPUB whose bytes depend only on the
    files' contents: ``mimetype`` first and stored, fixed timestamps and permissions, the given order."""
    stamp = zip_time()
    staging = target.with_name(f".{target.name}.new")
    with zipfile.ZipFile(staging, "w") as epub:
        for name in [MIMETYPE, *(n for n in names if n != MIMETYPE)]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever the building machine
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == MIMETYPE else zipfile.ZIP_DEFLATED
            epub.writestr(info, (book_dir / name).read_bytes(), compresslevel=9)
    os.replace(staging, target)


# --- the cover ---------------------------------------------------------------------------------

COVER_SIZE = (1200, 1800)
_PAPER = (250, 247, 240)
_RED = (170, 24, 32)
_INK = (30, 30, 30)
_GREY = (90, 90, 90)


def font_file(family: str) -> tuple[str, int]:
    """The file and face index fontconfig chooses for ``family`` (e.g. "Noto Serif CJK TC:bold")."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise TekanError("the EPUB cover needs fontconfig (fc-match): install fontconfig", Path(family), Kind.io)
    out = query([fc_match, "-f", "%{family}\n%{file}\n%{index}", family])
    fields = out.stdout.split("\n")
    wanted = family.split(":")[0]
    if out.returncode or len(fields) < 3 or wanted not in fields[0].split(","):
        raise TekanError(
            f"font {wanted!r} is not installed: install fonts-noto-cjk (tools/setup.sh does this as root)",
            Path(family),
            Kind.io,
        )
    return fields[1], int(fields[2] or 0)


def _wrap(draw: object, text: str, font: object, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (at spaces when it has any, else anywhere)."""
    from PIL import ImageDraw, ImageFont

    assert isinstance(draw, ImageDraw.ImageDraw) and isinstance(font, ImageFont.FreeTypeFont)
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{joiner}{word}" if current else word
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw_cover(target: Path, masthead: str, title: str, title_en: str, footer: str, fonts: dict[str, str]) -> None:
    """Draw the cover: the newspaper's name on a red band, the issue's title, its English title, the footer."""
    from PIL import Image, ImageDraw, ImageFont

    def font(family: str, size: int) -> ImageFont.FreeTypeFont:
        path, index = font_file(family)
        return ImageFont.truetype(path, size, index=index)

    from .rendering import one_line

    # Pillow draws a line break as a new line and cannot measure or anchor such text: one line each.
    masthead, title, title_en, footer = (one_line(text) for text in (masthead, title, title_en, footer))
    width, height = COVER_SIZE
    margin = 110
    image = Image.new("RGB", COVER_SIZE, _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 430), fill=_RED)
    band = font(f"{fonts['serif']}:bold", 120)
    band_lines = _wrap(draw, masthead, band, width - 2 * margin)
    y = 215 - 75 * len(band_lines)
    for line in band_lines:
        draw.text((width // 2, y), line, font=band, fill=_PAPER, anchor="mt")
        y += 150
    # The title on one line when it fits at a readable size, else wrapped at the largest size.
    size = 104
    while size > 76 and draw.textlength(title, font=font(f"{fonts['serif']}:bold", size)) > width - 2 * margin:
        size -= 4
    big = font(f"{fonts['serif']}:bold", size)
    y = 620
    for line in _wrap(draw, title, big, width - 2 * margin):
        draw.text((width // 2, y), line, font=big, fill=_INK, anchor="mt")
        y += int(size * 1.35)
    draw.line((margin * 2, y + 30, width - margin * 2, y + 30), fill=_RED, width=6)
    y += 100
    english = font(fonts["serif"], 50)
    for line in _wrap(draw, title_en, english, width - 2 * margin):
        draw.text((width // 2, y), line, font=english, fill=_GREY, anchor="mt")
        y += 70
    small = font(fonts["sans"], 46)
    draw.text((width // 2, height - 150), footer, font=small, fill=_INK, anchor="mt")
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, format="PNG", optimize=True)
