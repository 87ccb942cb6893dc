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


#: MARC relator code (``role`` refinement, scheme ``marc:relators``) of a statement's signatory: its author.
AUTHOR = "aut"


@dataclass(frozen=True)
class Contributor:
    """A person the package document names as a contributor, in the edition's language, with a MARC role."""

    name: str  # as the edition writes it: 韓永生, 韩永生, Han Yongsheng
    role: str = AUTHOR  # MARC relator code (aut: the signatory wrote the statement)
    lang: str = ""  # the name's language when it is not the book's ("" for the book's)
    alternate: str = ""  # the name in another script (the Chinese of a pinyin name), or ""
    alternate_lang: str = ""  # that name's language tag (zh-Hant)


@dataclass(frozen=True)
class BookMetadata:
    """What the package document should say about the book beyond Sphinx's defaults."""

    title_alternate: str  # the title in the book's other language (English for Chinese), or ""
    date: str  # publication date (W3CDTF: YYYY, YYYY-MM or YYYY-MM-DD) for dc:date
    contributors: tuple[Contributor, ...]  # the signatories of the statements, in book order
    description_en: str  # English description beside a Chinese one, or "" (the English edition's is Sphinx's)
    writing_mode: str  # "horizontal" or "vertical"
    cover: str  # the cover image's path in the book, or "" when there is none
    conforms_to: str = ""  # the accessibility conformance the book claims (CONFORMS_TO), or "" for none
    title_alternate_lang: str = "en"  # the language of ``title_alternate``
    rights: str = ""  # the rights statement (rights_line), or "" to keep Sphinx's copyright line
    has_index: bool = True  # the book has an index (the English index): the "index" accessibility feature
    has_notes: bool = True  # glossary terms and editors' notes open as pop-up notes (sphinxext/epubtext.py)


def rights_line(copyright: str) -> str:
    """The EPUB's rights statement from Sphinx's copyright value: "2021, 中國質量報社" → "© 2021 中國質量報社"."""
    text = copyright.strip()
    if not text or text.startswith(("©", "Copyright", "(c)", "(C)")):
        return text
    return "© " + re.sub(r"^([0-9]{4}(?:[–-][0-9]{4})?),\s*", r"\1 ", text)


def accessibility_metadata(meta: BookMetadata) -> list[tuple[str, str]]:
    """The schema.org accessibility properties of a text-only book (EPUB Accessibility 1.1): the features
    claimed are those the book has."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if meta.has_index:
        features.append("index")
    features.append("displayTransformability")
    if meta.cover:
        features.append("alternativeText")
    features.append("verticalWriting" if meta.writing_mode == "vertical" else "horizontalWriting")
    summary = (
        "A text-only book: every statement and the bilingual glossary"
        + (" and the English index" if meta.has_index else "")
        + " are marked-up text with headings, a table of contents by sector and links between each glossary term "
        "and the statements that use it. "
        + (
            "Glossary terms and editors' notes are EPUB notes, which reading systems can show in place. "
            if meta.has_notes
            else ""
        )
        + "Passages in another language are tagged with it. "
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


def _lang(tag: str) -> str:
    return f' xml:lang="{html.escape(tag)}"' if tag else ""


def contributor_lines(contributors: tuple[Contributor, ...]) -> list[str]:
    """Each contributor as ``dc:contributor`` with its MARC role and, where given, its name in another script."""
    lines: list[str] = []
    for number, person in enumerate(contributors, 1):
        ref = f"contributor-{number}"
        lines.append(f'<dc:contributor id="{ref}"{_lang(person.lang)}>{html.escape(person.name)}</dc:contributor>')
        lines.append(f'<meta refines="#{ref}" property="role" scheme="marc:relators">{person.role}</meta>')
        if person.alternate:
            lines.append(
                f'<meta refines="#{ref}" property="alternate-script"{_lang(person.alternate_lang)}>'
                f"{html.escape(person.alternate)}</meta>"
            )
    return lines


def patch_package(opf: str, meta: BookMetadata) -> str:
    """Add to Sphinx's ``content.opf`` what it does not write: the title's other-language form, publication
    date, contributors with roles, the rights line, accessibility metadata, the EPUB 3 ``cover-image`` property."""
    # One title (reading systems show every dc:title): its other language is a refinement of it.
    lines: list[str] = []
    if meta.title_alternate:
        lines.append(
            f'<meta refines="#title" property="alternate-script"{_lang(meta.title_alternate_lang)}>'
            f"{html.escape(meta.title_alternate)}</meta>"
        )
    if meta.description_en:
        lines.append(f'<dc:description xml:lang="en">{html.escape(meta.description_en)}</dc:description>')
    lines += contributor_lines(meta.contributors)
    for prop, value in accessibility_metadata(meta):
        lang = ' xml:lang="en"' if prop == "schema:accessibilitySummary" else ""  # written in English
        lines.append(f'<meta property="{prop}"{lang}>{html.escape(value)}</meta>')
    opf, count = re.subn(
        r"<dc:title>([^<]*</dc:title>)",
        lambda m: f'<dc:title id="title">{m[1]}' + "".join(f"\n    {x}" for x in lines),
        opf,
    )
    if count != 1:
        raise TekanError("content.opf has no single dc:title to extend", Path(OPF), Kind.io)
    # Sphinx writes one placeholder contributor; the signatories replace it.
    opf = re.sub(r"\n\s*<dc:contributor>unknown</dc:contributor>", "", opf)
    if meta.rights:
        rights = f"<dc:rights>{html.escape(meta.rights)}</dc:rights>"
        opf = re.sub(r"<dc:rights>[^<]*</dc:rights>", lambda _: rights, opf)
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


# --- vertical writing ------------------------------------------------------------------------------

#: A run of Latin letters and digits in Chinese text, with what may join its parts (5G, ISO 9001, 14.5%, GB/T).
_LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ./%+&-]*[A-Za-z0-9%])?")
#: Longest run set upright in one em (text-combine-upright): two or three characters stay legible.
TCU_MAX = 3


def upright_runs(text: str) -> list[tuple[str, str]]:
    """``text`` (Chinese, to be set vertically) cut into runs, each marked how it stands: "tcu" (a short run of
    letters or digits, upright in one em: 5G, AI, 30, 5%), "upright" (a longer number, digit under digit: 1997),
    or "" (Chinese, and longer Latin such as ISO 9001, which lies on its side as a Latin phrase should)."""
    runs: list[tuple[str, str]] = []
    position = 0
    for match in _LATIN_RUN.finditer(text):
        run = match.group()
        kind = "tcu" if len(run) <= TCU_MAX and run.replace("%", "").isalnum() else ""
        if not kind and run.isdigit():
            kind = "upright"
        if not kind:
            continue
        if match.start() > position:
            runs.append((text[position : match.start()], ""))
        runs.append((run, kind))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], ""))
    return runs
