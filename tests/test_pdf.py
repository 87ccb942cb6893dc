"""The print PDF: fonts embedded, every paragraph present, a clean XeLaTeX log, book structure, metadata.

Both editions are built once per session with ``tekan build pdf``. Needs XeLaTeX, the Noto CJK fonts and
poppler (``tools/setup.sh`` installs them); a missing tool fails with its name, never skips.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from tekan.book import load_book
from tekan.glossary import initial
from tekan.metadata import load_publication
from tekan.pdf import missing_characters, undefined_references
from tekan.sphinxext.latex import index_key

from .conftest import BOOK, GLOSSARY, SEED

pytestmark = pytest.mark.pdf
SCRIPTS = {"hant": "zh-hant", "hans": "zh-hans"}
A5 = (419.53, 595.28)  # points


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils and the TeX packages (tools/setup.sh does)")
    return path


def run(*command: str) -> str:
    result = subprocess.run([tool(command[0]), *command[1:]], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="session")
def pdf_out(book_out: Path) -> Path:
    """Both PDF editions, from the session's build of the book; the output folder."""
    for name in ("xelatex", "latexmk"):
        tool(name)
    return book_out


def pdf(out: Path, script: str) -> Path:
    return out / "pdf" / f"{BOOK}-{SCRIPTS[script]}.pdf"


def latex_dir(out: Path, script: str) -> Path:
    return out / ".work" / SCRIPTS[script] / "latex"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("script", SCRIPTS)
def test_all_fonts_embedded_and_noto(pdf_out: Path, script: str) -> None:
    lines = run("pdffonts", str(pdf(pdf_out, script))).splitlines()[2:]
    assert lines, "pdffonts lists no fonts"
    for line in lines:
        fields = line.split()
        # name type… encoding emb sub uni object ID: "emb" is the fourth field from the end but two.
        assert fields[-5] == "yes", f"not embedded: {line}"
        assert "NotoSerifCJK" in fields[0] or "NotoSansCJK" in fields[0], f"unexpected font: {line}"


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_paragraph_of_every_statement_is_in_the_text(pdf_out: Path, script: str) -> None:
    printed = run("pdftotext", "-enc", "UTF-8", str(pdf(pdf_out, script)), "-")
    # A footnote mark (an editor's note) is raised: pdftotext puts it on a line of its own, out of order.
    text = squeeze("\n".join(line for line in printed.split("\n") if not line.strip().isdigit()))
    book = load_book(SEED, GLOSSARY, script)
    missing = [
        piece[:30]
        for st in book.publication.statements
        for piece in (st.headline, *st.paragraphs, st.attribution.raw)
        if squeeze(piece) not in text
    ]
    assert missing == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_latex_log_is_clean(pdf_out: Path, script: str) -> None:
    log = (latex_dir(pdf_out, script) / "tekan.log").read_text(encoding="utf-8", errors="replace")
    assert "Output written on tekan.xdv" in log or "Output written on tekan.pdf" in log
    assert missing_characters(log) == []
    assert undefined_references(log) == []
    assert "Overfull \\vbox" not in log  # nothing runs off the bottom of a page
    assert "Fandol" not in log


def test_missing_characters_are_found() -> None:
    log = "Missing character: There is no 為 (U+70BA) in font FandolSong-Regular/OT:script=hani;language=dflt;!\n"
    assert missing_characters(log) == ["為 (U+70BA) in FandolSong-Regular/OT:script=hani;language=dflt;"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_metadata_and_page_size(pdf_out: Path, script: str) -> None:
    info = dict(
        line.split(":", 1)
        for line in run("pdfinfo", "-enc", "UTF-8", str(pdf(pdf_out, script))).splitlines()
        if ":" in line
    )
    publication, _ = load_publication(SEED)
    book = load_book(SEED, GLOSSARY, script)
    assert info["Title"].strip() == book.publication.meta.title
    assert info["Subject"].strip() == publication.meta.title_en
    assert info["Author"].strip()
    width, height = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (round(A5[0]), round(A5[1]))
    tag = {"hant": b"zh-Hant", "hans": b"zh-Hans"}[script]
    assert re.search(rb"/Lang ?\(" + tag + rb"\)", pdf_objects(pdf(pdf_out, script)))


@pytest.mark.parametrize("script", SCRIPTS)
def test_xmp_metadata(pdf_out: Path, script: str) -> None:
    """Title, author, language, date and identifier in the XMP packet (what catalogues and PDF/A read)."""
    from lxml import etree

    packet = run("pdfinfo", "-meta", str(pdf(pdf_out, script)))
    assert packet.strip(), "no XMP metadata stream"
    root = etree.fromstring(packet.strip().encode("utf-8"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}

    def values(name: str) -> list[str]:
        return [(li.text or "").strip() for li in root.iterfind(f".//dc:{name}//rdf:li", ns)]

    book = load_book(SEED, GLOSSARY, script)
    meta = book.publication.meta
    assert values("title") == [meta.title]
    assert values("creator") and all(values("creator"))
    assert values("language") == [{"hant": "zh-Hant", "hans": "zh-Hans"}[script]]
    assert values("date") == [meta.date]
    assert values("publisher") == [meta.publisher]
    identifier = root.findtext(".//dc:identifier", namespaces=ns)
    assert identifier == f"{meta.identifier}:{SCRIPTS[script]}"  # the EPUB's identifier of the same edition
    created = root.findtext(".//{http://ns.adobe.com/xap/1.0/}CreateDate")
    assert created and created.startswith("2021-09-01T00:00:00")  # SOURCE_DATE_EPOCH of the session's build


def pdf_objects(path: Path) -> bytes:
    """The PDF with its compressed streams inflated (the catalog may sit in an object stream)."""
    raw = path.read_bytes()
    inflated = [raw]
    for match in re.finditer(rb"stream\r?\n", raw):
        end = raw.find(b"endstream", match.end())
        try:
            inflated.append(zlib.decompress(raw[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


@pytest.mark.parametrize("script", SCRIPTS)
def test_book_structure(pdf_out: Path, script: str) -> None:
    """Chinese part names (no "CHAPTER"), parts by sector, statements as chapters, appendix, bookmarks."""
    tex = (latex_dir(pdf_out, script) / "tekan.tex").read_text(encoding="utf-8")
    book = load_book(SEED, GLOSSARY, script)
    parts = re.findall(r"\\part\{([^}]*)\}", tex)
    assert parts == [sector.zh for sector, _ in book.publication.by_sector()]
    chapters = re.findall(r"\\chapter\{([^}]*)\}", tex)
    headlines = [st.headline for _, sts in book.publication.by_sector() for st in sts]
    assert chapters[: len(headlines)] == headlines
    appendix = re.search(r"^\\tekanappendix$", tex, re.MULTILINE)
    assert appendix and appendix.start() > tex.rindex(r"\part{")
    text = run("pdftotext", "-enc", "UTF-8", str(pdf(pdf_out, script)), "-")
    assert "CHAPTER" not in text.upper().replace("CHAPTERS", "")
    assert "第一部分" in text
    # Bookmarks: one per part and statement at least, in Unicode.
    outline = run("pdftohtml", "-xml", "-i", "-q", "-stdout", "-f", "1", "-l", "1", str(pdf(pdf_out, script)))
    titles = re.findall(r"<item[^>]*>([^<]*)</item>", outline)
    assert set(headlines) <= {t.strip() for t in titles}


@pytest.mark.parametrize("script", SCRIPTS)
def test_index_groups_terms_by_pinyin_initial(pdf_out: Path, script: str) -> None:
    """makeindex output: every entry sits under the letter its pinyin begins with."""
    book = load_book(SEED, GLOSSARY, script)
    by_key = {index_key(term): term for term in book.glossary.terms}
    ind = (latex_dir(pdf_out, script) / "tekan.ind").read_text(encoding="utf-8")
    letter = ""
    checked = 0
    for line in ind.splitlines():
        heading = re.search(r"\\bigletter\s*(\S)", line)
        if heading:
            letter = heading[1]
            continue
        entry = re.search(r"\\item\s*\\spxentry\{([^}]*)\}", line)
        if entry:
            headword = entry[1]
            terms = [t for t in by_key.values() if (t.hans if script == "hans" else t.hant) == headword]
            assert terms, f"index entry {headword!r} is not a glossary term"
            assert initial(terms[0]) == letter.upper(), f"{headword} filed under {letter}"
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("script", SCRIPTS)
def test_print_text_keeps_headline_spaces_en_dashes_and_no_identifier(pdf_out: Path, script: str) -> None:
    """What a reader of the PDF gets: the headline's space, en dashes in year and page ranges, no urn: on the
    imprint, the compact audit appendix (no seed line numbers)."""
    text = run("pdftotext", "-enc", "UTF-8", str(pdf(pdf_out, script)), "-")
    book = load_book(SEED, GLOSSARY, script)
    # A space between two Han characters is kept (after a full-width bracket the bracket's own blank suffices).
    spaced = [st.headline for st in book.publication.statements if re.search(r"\w \w", st.headline)]
    assert spaced and all(headline in text for headline in spaced), spaced
    # The hyphen survives once: the print appendix shows the seed's text before the change.
    assert "2020–2025" in text and text.count("2020-2025") <= 1
    assert "urn:tekan" not in text
    ind = (latex_dir(pdf_out, script) / "tekan.ind").read_text(encoding="utf-8")
    ranges = re.findall(r"\b(\d+)--(\d+)\b", ind)  # makeindex writes ranges with "--"
    assert ranges, "the index has page ranges"
    printed = [f"{a}–{b}" for a, b in ranges]
    assert all(r in text for r in printed) and not re.search(r"\b\d+--\d+\b", text)
    assert "第 1 行" not in text and "第1行" not in squeeze(text)


@pytest.mark.parametrize("script", SCRIPTS)
def test_glossary_terms_keep_the_body_face_with_an_underline(pdf_out: Path, script: str) -> None:
    tex = (latex_dir(pdf_out, script) / "tekan.tex").read_text(encoding="utf-8")
    assert r"\sphinxtermref{" in tex
    style = (latex_dir(pdf_out, script) / "tekanbook.sty").read_text(encoding="utf-8")
    definition = re.search(r"\\def\\sphinxtermref#1(.*?)\\def\\tekan@end", style, re.DOTALL)
    assert definition and "sffamily" not in definition[1] and "tekan@underline" in definition[1]
