"""EPUB-only glue: book metadata from the seed's metadata file, a cover, and a valid, reproducible EPUB 3.

Sphinx's epub builder writes the book; at ``build-finished`` the package document gets what Sphinx
does not write (English title, publication date, signatories, accessibility metadata, the EPUB 3
cover property) and the zip is rewritten with fixed timestamps (``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from ..editions import Edition
from ..epub import (
    CONFORMS_TO,
    NAV,
    NCX,
    OPF,
    BookMetadata,
    Landmark,
    draw_cover,
    finish_navigation,
    patch_ncx,
    patch_package,
    write_epub,
)
from ..errors import TekanError
from ..rendering import ENGLISH_INDEX_DOC, GLOSSARY_DOC, sector_doc
from .config import edition_of, get_target, set_default
from .pages import load_for

#: The generated cover, relative to the builder's output folder, and its XHTML page template.
COVER_IMAGE = "_static/tekan-cover.png"
COVER_TEMPLATE = "tekan-epub-cover.html"  # in theme/templates


def configure_epub(app: Sphinx, config: Config) -> None:
    """Fill the epub_* values from the book's metadata file and the edition (each unless conf.py or -D set it)."""
    book = load_for(app)
    meta = book.publication.meta
    target = get_target(config)
    edition = target.edition
    tag = edition.tag
    title = meta.title or book.publication.masthead
    publisher = meta.publisher or config.author
    description = meta.description_zh or meta.title
    if edition.translated:  # the English edition is described in English
        title = meta.title_en or title
        publisher = meta.publisher_en or publisher
        description = meta.description_en or description
    stem = meta.identifier or f"urn:tekan:{book.publication.source.stem}"
    for name, value in (
        ("epub_language", tag),
        ("epub_title", title),
        ("epub_author", config.author),
        ("epub_publisher", publisher),
        ("epub_copyright", config.copyright),
        ("epub_description", description),
        ("epub_identifier", f"{stem}:{tag.lower()}"),  # two scripts, two books
        ("epub_scheme", "URN"),
        ("epub_cover", (COVER_IMAGE, COVER_TEMPLATE)),
        ("epub_writing_mode", "vertical" if target.variant.vertical else "horizontal"),
    ):
        set_default(config, name, value)
    if not config.version:
        raise ExtensionError(
            "`version` is empty: EPUB 3 needs it (tekan.sphinxext sets it to Tekan's version unless conf.py does)"
        )


def prepare_epub(app: Sphinx) -> None:
    """Draw the cover from the book's titles into the EPUB's static folder; tag the pages' language."""
    if app.builder.name != "epub":
        return
    book = load_for(app)
    meta = book.publication.meta
    edition = edition_of(app)
    masthead, _, title = meta.title.partition("·")
    if not title:
        masthead, title = book.publication.masthead, meta.title
    footer = " ".join(x for x in (meta.publisher, meta.date) if x)
    subtitle = meta.title_en
    if edition.translated and meta.title_en:  # the English edition's cover: English first
        paper, _, english = meta.title_en.partition(": ")
        masthead, title, subtitle = (paper if english else masthead), (english or meta.title_en), meta.title
        footer = " ".join(x for x in (meta.publisher_en or meta.publisher, meta.date) if x)
    try:
        draw_cover(Path(app.outdir) / COVER_IMAGE, masthead, title, subtitle, footer, _fonts(edition))
    except TekanError as exc:
        raise ExtensionError(str(exc)) from None
    # Sphinx's epub3 <html> has no language; EPUB reading systems and screen readers need it.
    tag = edition.tag
    app.builder.html_tag = (  # type: ignore[attr-defined]
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{tag}" xml:lang="{tag}">'
    )
    # The guide and the navigation document name the cover and the contents in the book's language.
    app.builder.guide_titles = {  # type: ignore[attr-defined]
        **app.builder.guide_titles,  # type: ignore[attr-defined]
        "toc": edition.pages.contents,
        "cover": edition.print.cover,
    }


def finish_epub(app: Sphinx, exception: Exception | None) -> None:
    """Complete the package document and rewrite the EPUB reproducibly."""
    if exception is not None or app.builder.name != "epub":
        return
    book = load_for(app)
    meta = book.publication.meta
    outdir = Path(app.outdir)
    metadata = BookMetadata(
        title_en=meta.title_en,
        date=meta.date,
        contributors=tuple(
            st.attribution.person or st.attribution.raw for _, sts in book.publication.by_sector() for st in sts
        ),
        description_en=meta.description_en,
        writing_mode=app.config.epub_writing_mode,
        cover=COVER_IMAGE,
        # The claim the checkers verify (tests/test_accessibility.py: Ace on every EPUB, axe on its pages).
        conforms_to=CONFORMS_TO,
    )
    try:
        opf = outdir / OPF
        opf.write_text(patch_package(opf.read_text(encoding="utf-8"), metadata), encoding="utf-8")
        nav = outdir / NAV
        nav.write_text(
            finish_navigation(nav.read_text(encoding="utf-8"), edition_of(app).pages.contents, landmarks(app)),
            encoding="utf-8",
        )
        ncx = outdir / NCX
        ncx.write_text(patch_ncx(ncx.read_text(encoding="utf-8"), app.config.epub_identifier), encoding="utf-8")
        target = outdir / f"{app.config.epub_basename}.epub"
        with zipfile.ZipFile(target) as written:  # keep Sphinx's file list and order
            names = written.namelist()
        write_epub(outdir, names, target)
    except TekanError as exc:
        raise ExtensionError(str(exc)) from None


def landmarks(app: Sphinx) -> tuple[Landmark, ...]:
    """The book's landmarks: cover, contents, where the text begins, the glossary and the English index."""
    edition = edition_of(app)
    labels = edition.pages
    suffix = app.builder.out_suffix  # type: ignore[attr-defined]
    found = set(app.env.found_docs)
    # The text begins with the first part (sector); the home page before it is the book's front matter.
    parts = [sector_doc(sector) for sector, _ in load_for(app).publication.by_sector()]
    body = next((doc for doc in parts if doc in found), app.config.root_doc)
    marks = [
        Landmark("cover", "epub-cover.xhtml", edition.print.cover),
        # The home page lists the parts and statements (Sphinx's guide names it too); the navigation
        # document itself is not in the spine, and a landmark may only lead to a spine item.
        Landmark("toc", f"{app.config.root_doc}{suffix}", labels.contents),
        Landmark("bodymatter", f"{body}{suffix}", edition.access.bodymatter),
    ]
    if GLOSSARY_DOC in found:
        marks.append(Landmark("glossary", f"{GLOSSARY_DOC}{suffix}", labels.glossary))
    if ENGLISH_INDEX_DOC in found:
        marks.append(Landmark("index", f"{ENGLISH_INDEX_DOC}{suffix}", labels.english_index))
    return tuple(marks)


def _fonts(edition: Edition) -> dict[str, str]:
    return {"serif": edition.fonts.serif, "sans": edition.fonts.sans, "mono": edition.fonts.mono}


def setup_epub(app: Sphinx) -> None:
    """Connect the EPUB hooks (they do nothing for other builders)."""
    app.connect("config-inited", configure_epub, priority=600)
    app.connect("builder-inited", prepare_epub)
    app.connect("build-finished", finish_epub)
