"""The print PDF (Typst), read as a reader gets it: every paragraph, the fonts embedded and real, clreq line breaks
and punctuation widths from the glyph boxes, English hyphenation, the structure tree and /Lang, metadata, bookmarks,
page labels, the indexes with their pages, byte-identical rebuilds.

The three editions are built once per module with ``tekan build pdf --edition all``. Needs the Noto CJK fonts and
poppler (``tools/setup.sh`` installs them); a missing tool fails with its name, never skips.
"""

from __future__ import annotations

import re
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from tekan.book import load_book
from tekan.glossary import pinyin_sort_key
from tekan.metadata import load_publication
from tekan.translated import TranslatedWords

from . import pdfreader as reader
from .conftest import BOOK, EPOCH, GLOSSARY, ROOT, SEED, tekan

pytestmark = pytest.mark.pdf
EDITIONS = {"hant": "zh-hant", "hans": "zh-hans", "en": "en"}
TAGS = {"hant": "zh-Hant", "hans": "zh-Hans", "en": "en"}
A5 = (419.53, 595.28)  # points


@pytest.fixture(scope="module")
def pdf_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three PDF editions of the project's book; the output folder."""
    out = tmp_path_factory.mktemp("pdf")
    result = tekan("build", "pdf", "--edition", "all", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def pdf(out: Path, script: str) -> Path:
    return out / "pdf" / f"{BOOK}-{EDITIONS[script]}.pdf"


@pytest.mark.parametrize("script", EDITIONS)
def test_fonts_are_embedded_noto_cjk_and_a_real_latin_face(pdf_out: Path, script: str) -> None:
    rows = reader.run("pdffonts", str(pdf(pdf_out, script))).splitlines()[2:]
    assert rows, "pdffonts lists no fonts"
    names = set()
    for row in rows:
        fields = row.split()
        assert fields[-5] == "yes", f"not embedded: {row}"  # name type… encoding emb sub uni object ID
        names.add(fields[0].partition("+")[2].removesuffix("-Identity-H"))
    assert all(re.match(r"Noto(Serif|Sans)CJK(tc|sc)-|LibertinusSerif-", name) for name in names), names
    cjk = {"hant": "tc", "hans": "sc", "en": "tc"}[script]
    assert f"NotoSerifCJK{cjk}-Regular" in names and "LibertinusSerif-Regular" in names
    if script != "en":  # the English headlines in italics: the face's own italic, not a slanted roman
        assert "LibertinusSerif-Italic" in names


@pytest.mark.parametrize("script", EDITIONS)
def test_nothing_is_slanted_artificially(pdf_out: Path, script: str) -> None:
    """Title page, colophon and a statement page: every glyph upright in its matrix (italics are italic faces)."""
    found = reader.glyphs(pdf(pdf_out, script), [1, 2, 6])
    assert len(found) > 300
    assert [g for g in found if not g.upright] == []


def test_every_paragraph_of_every_statement_is_in_the_text(pdf_out: Path) -> None:
    for script in ("hant", "hans"):
        printed = reader.text(pdf(pdf_out, script))
        # A footnote mark (an editor's note) is raised: pdftotext may put it on a line of its own.
        body = reader.squeeze("\n".join(line for line in printed.split("\n") if not line.strip().isdigit()))
        book = load_book(SEED, GLOSSARY, script)
        missing = [
            piece[:30]
            for st in book.publication.statements
            for piece in (st.headline, *st.paragraphs, st.attribution.raw)
            if reader.squeeze(piece) not in body
        ]
        assert missing == [], script


@pytest.mark.parametrize("script", EDITIONS)
def test_no_line_breaks_against_clreq(pdf_out: Path, script: str) -> None:
    """No closing mark at a line's start, no opening mark at its end, anywhere (glossary links included)."""
    found = reader.lines(pdf(pdf_out, script))
    assert len(found) > 1500
    assert reader.clreq_breaks(found) == []


def test_the_line_check_finds_a_break_against_clreq(tmp_path: Path) -> None:
    """The checker is not blind: a PDF with a comma forced to a line's start and a bracket at a line's end fails."""
    from tekan import typesetting

    source = tmp_path / "bad.typ"
    source.write_text(
        '#set text(lang: "zh", font: "Noto Serif CJK TC")\n'
        + typesetting.text("質量強則國家強")
        + "#linebreak()"
        + typesetting.text("，質量興則民族興「")
        + "#linebreak()"
        + typesetting.text("金字招牌」。")
        + "\n",
        encoding="utf-8",
    )
    typesetting.compile_pdf(source, tmp_path / "bad.pdf", None, standards=())
    bad = [line.text for line in reader.clreq_breaks(reader.lines(tmp_path / "bad.pdf"))]
    assert bad == ["，質量興則民族興「"]


@pytest.mark.parametrize("script", ["hant", "hans"])
def test_english_in_a_chinese_edition_is_rarely_hyphenated(pdf_out: Path, script: str) -> None:
    """The glossary's English definitions and other English paragraphs of a Chinese edition: a few hyphens, also in
    the Traditional edition, whose Chinese lines are found first fit (16 % of its English lines were hyphenated)."""
    english = reader.english_lines(reader.lines(pdf(pdf_out, script)))
    assert len(english) > 300
    ratio = len(reader.hyphenated(english)) / len(english)
    assert ratio <= 0.10, f"{ratio:.1%} of English lines end in a hyphen"


def test_english_hyphenation_is_rare_and_never_in_names_or_the_contents(pdf_out: Path) -> None:
    found = reader.lines(pdf(pdf_out, "en"))
    english = reader.english_lines(found)
    assert len(english) > 1000
    ratio = len(reader.hyphenated(english)) / len(english)
    assert ratio <= 0.10, f"{ratio:.1%} of English lines end in a hyphen"
    labels = reader.page_labels(pdf(pdf_out, "en"))
    contents = [i + 1 for i, label in enumerate(labels) if label and not label.isdigit()]  # roman numbers
    assert contents and reader.hyphenated([line for line in found if line.page in contents]) == []
    # Names and headlines are never split: each is printed whole (a word broken at a line's end reads "hyphen-ated").
    publication, _ = load_publication(SEED)
    printed = reader.squeeze(" ".join(line.text for line in found))
    for statement in publication.statements:
        for whole in (statement.meta.person_pinyin, statement.meta.headline_en):
            assert reader.squeeze(whole) in printed, whole


@pytest.mark.parametrize("script", EDITIONS)
def test_the_contents_keep_a_column_for_page_numbers_and_never_starve_the_leaders(pdf_out: Path, script: str) -> None:
    """As a book's contents are set: a title that wraps stops short of the page numbers' column (at least 15 pt,
    1.5 em), and the line that leads to a page number holds words of the title and at least three leader dots."""
    path = pdf(pdf_out, script)
    labels = reader.page_labels(path)
    pages = [i + 1 for i, label in enumerate(labels) if label and not label.isdigit()]  # roman: the contents
    found = [line for line in reader.lines(path, pages[0], pages[-1]) if line.page in pages]
    entries = 0
    for page in pages:
        here = [line for line in found if line.page == page and not re.fullmatch(r"[\d\u2060]+|[ivxl]+", line.text)]
        right = max(line.x1 for line in found if line.page == page)
        for line in here[1:] if page == pages[0] else here:  # not the heading 「目錄」, Contents
            title, leaders = re.fullmatch(r"(.*?)((?:\s*\.)*)[\s\u2060\d]*", line.text).groups()  # type: ignore[union-attr]
            if leaders:
                entries += 1
                assert title.strip(" \u2060") and leaders.count(".") >= 3, line
            else:
                assert line.x1 <= right - 15, line  # a wrapped title, short of the numbers
    assert entries >= 20


def heading_line(found: list[reader.Line], title: str) -> int:
    """The index of the line that is the heading ``title`` (not a running head, not a contents entry)."""
    return next(i for i, line in enumerate(found) if line.text == title and line.y0 > 45 and line.x1 - line.x0 < 300)


def test_english_edition_has_an_english_index_with_pages(pdf_out: Path) -> None:
    path = pdf(pdf_out, "en")
    book = load_book(SEED, GLOSSARY, "en")
    titles = [title for _, title in reader.outline(path)]
    assert "Index" in titles
    found = reader.lines(path)
    index = found[heading_line(found, "Index") :]
    entries = {line.text for line in index}
    # Entries in English, each with its page numbers (the glossary entry's page first).
    with_pages = [t for t in entries if re.search(r"[A-Za-z]{3}.*\s\d+(, \d+|–\d+)*$", t)]
    assert len(with_pages) >= len(book.glossary.terms) // 2
    assert any(line.text.startswith("standard") for line in index)


@pytest.mark.parametrize("script", EDITIONS)
def test_an_index_has_one_line_pitch(pdf_out: Path, script: str) -> None:
    """The index's lines are evenly spaced: an entry's second line no further from its first than the next entry
    (with the body's Chinese leading, 「administration for market regulation / (AMR) 市場監管總局」 stood apart)."""
    path = pdf(pdf_out, script)
    book = load_book(SEED, GLOSSARY, script)
    title = "Index of Chinese terms (by pinyin)" if script == "en" else book.edition.print.index
    contents = [i for i, label in enumerate(reader.page_labels(path), start=1) if label and not label.isdigit()]
    found = [line for line in reader.lines(path) if line.page not in contents]
    start = heading_line(found, title)
    pages = {line.page for line in found[start:]}
    gaps = []
    for page in pages:
        for left in (True, False):  # the two columns, each top to bottom
            column = sorted(
                (
                    line
                    for line in found[start:]
                    if line.page == page and 45 < line.y0 < 550 and (line.x0 < 200) == left
                ),
                key=lambda line: line.y1,
            )
            for upper, lower in pairwise(column):
                heads = [line for line in (upper, lower) if re.fullmatch(r"[A-Z]|0–9|[^ ]*索引|Index.*", line.text)]
                if not heads:  # not a letter's heading (the running head is above y0 45, the folio below 550)
                    gaps.append(round(lower.y1 - upper.y1, 1))
    assert len(gaps) > 40
    assert max(gaps) - min(gaps) < 1.0, sorted(set(gaps))


@pytest.mark.parametrize("script", EDITIONS)
def test_index_pages_are_where_the_terms_are(pdf_out: Path, script: str) -> None:
    """Each page number of the pinyin index leads to a page that shows the term (its entry or a use)."""
    path = pdf(pdf_out, script)
    labels = reader.page_labels(path)
    physical = {label: number for number, label in enumerate(labels, start=1) if label.isdigit()}
    book = load_book(SEED, GLOSSARY, script)
    found = reader.lines(path)
    title = "Index of Chinese terms (by pinyin)" if script == "en" else book.edition.print.index
    contents = [i for i, label in enumerate(reader.page_labels(path), start=1) if label and not label.isdigit()]
    body = [line for line in found if line.page not in contents]
    index = body[heading_line(body, title) :]
    checked = 0
    for term in sorted(book.glossary.terms, key=pinyin_sort_key)[:40]:
        headword = term.hans if script == "hans" else term.hant
        head = next((line for line in index if line.text.startswith(headword + " ")), None)
        assert head is not None, headword
        # An entry too long for its column goes on under itself, indented (hanging indent).
        entry, last = head.text, head
        for line in index:
            if line.page == last.page and 0 < line.y0 - last.y0 < 20 and 5 < line.x0 - head.x0 < 20:
                entry, last = f"{entry} {line.text}", line
        pages = re.search(r"((?:\d+(?:–\d+)?(?:, )?)+)$", entry)
        numbers = re.findall(r"(\d+)(?:–(\d+))?", pages[1] if pages else "")  # the pages, in order
        assert numbers, entry
        for first, _ in numbers[:3]:
            page = physical[first]
            shown = reader.squeeze(reader.text(path, page, page))
            english = [term.en.split(" (")[0], *term.en_variants, *([term.abbr] if term.abbr else [])]
            aliases = [book.edition.in_script(alias) for alias in (*term.aliases, *term.misspellings)]
            forms = [headword, *aliases] if script != "en" else [headword, *english]
            # (An English form may be printed in another number: "cities" for "city"; or hyphenated at a line's end.)
            plain = [reader.squeeze(f).casefold().replace("-", "") for f in forms]
            stems = [p[: max(2, len(p) * 4 // 5)] for p in plain]
            assert any(stem in shown.casefold().replace("-", "") for stem in stems), (headword, first)
            checked += 1
    assert checked >= 40


def test_traditional_punctuation_is_full_width_and_never_squeezed(pdf_out: Path) -> None:
    """Taiwan's practice: every mark a full character wide, also two in a row (：「, 」，), and centred (TC face)."""
    found = reader.glyphs(pdf(pdf_out, "hant"), list(range(6, 14)))
    # Chinese marks: in the CJK face (an English line's apostrophe, Members’ Group, is set in the Latin face).
    pairs = [
        (a, b, gap) for a, b, gap in reader.advances(found) if a.char in reader.CJK_PUNCTUATION and "CJK" in a.font
    ]
    assert len(pairs) > 100
    assert any(b.char in reader.CJK_PUNCTUATION for _, b, _ in pairs), "no two marks in a row on these pages"
    narrow = [(a.page, a.char + b.char, round(gap, 2)) for a, b, gap in pairs if gap < a.size - 0.05]
    assert narrow == []
    assert all("NotoSerifCJKtc" in a.font or "NotoSansCJKtc" in a.font for a, _, _ in pairs)


def test_simplified_quotation_marks_are_full_width_chinese_marks(pdf_out: Path) -> None:
    """Every “ ” beside a Chinese character is the CJK face's full-width mark: in the statements and in the glossary's
    usage notes and sources (「这里的“质量”是广义的经济质量」 was set in Latin quotes)."""
    path = pdf(pdf_out, "hans")
    found = reader.glyphs(path, list(range(1, len(reader.page_labels(path)) + 1)))
    han = re.compile(r"[\u3400-\u9fff]")
    quotes = [
        g
        for before, g, after in zip(found, found[1:], found[2:], strict=False)
        if g.char in "“”" and (han.match(before.char) or han.match(after.char))
    ]
    assert len(quotes) > 40
    latin = [(g.page, g.char, g.font) for g in quotes if not ("CJKsc" in g.font and abs(g.width - g.size) < 0.05)]
    assert latin == [], latin[:5]


def test_cjk_latin_space_is_kept_after_a_linked_term(pdf_out: Path) -> None:
    """A glossary link followed by a number keeps the quarter-em space between Chinese and Latin (標準 1200)."""
    found = reader.glyphs(pdf(pdf_out, "hant"), list(range(6, 22)))
    gaps = [
        gap - a.width
        for a, b, gap in reader.advances(found)
        if "\u4e00" <= a.char <= "\u9fff" and b.char.isdigit() and a.size == b.size
    ]
    assert len(gaps) > 5
    assert min(gaps) > 0.15 * 10  # at least 0.15 em at 10 pt


def test_a_bylines_name_stands_a_quarter_em_after_the_position(pdf_out: Path) -> None:
    """局長 韓永生: the name is set off from the position as on the site, not run into it (局長韓永生)."""
    book = load_book(SEED, GLOSSARY, "hant")
    joins = {a.position[-1] + a.person[0] for a in (st.attribution for st in book.publication.statements) if a.person}
    found = reader.glyphs(pdf(pdf_out, "hant"), list(range(6, 40)))
    gaps = [(gap - a.width) / a.size for a, b, gap in reader.advances(found) if a.char + b.char in joins]
    assert len(gaps) >= 5, gaps
    assert min(gaps) > 0.2, gaps  # a quarter em


def test_a_long_english_bylines_lines_are_led_at_their_own_size(pdf_out: Path) -> None:
    """The grey 8 pt English byline under a Chinese one: its second line follows the first at about 10 pt, not at
    the body's Chinese leading (14.8 pt, further than the English line stands from the Chinese one above it)."""
    glyphs = reader.glyphs(pdf(pdf_out, "hant"), list(range(6, 40)))
    found = [g for g in glyphs if g.char.isascii() and abs(g.size - 8) < 0.01]
    baselines = sorted({(g.page, round(g.y0, 1)) for g in found})
    pitches = [b - a for (pa, a), (pb, b) in pairwise(baselines) if pa == pb and 0 < b - a < 20]
    assert len(pitches) >= 3, baselines  # the long English bylines of the book wrap
    assert max(pitches) < 1.4 * 8, pitches


@pytest.mark.parametrize("script", EDITIONS)
def test_tagged_with_the_edition_language_headings_lists_and_links(pdf_out: Path, script: str) -> None:
    lang, elements = reader.structure(pdf(pdf_out, script))
    assert lang == TAGS[script]
    kinds = [e.kind for e in elements]
    book = load_book(SEED, GLOSSARY, script)
    assert kinds.count("H1") >= len(book.publication.meta.sectors) + 1  # parts, the appendix
    assert kinds.count("H2") >= len(book.publication.statements)
    assert "L" in kinds and kinds.count("LI") >= len(book.glossary.terms)  # the glossary is a list
    links = [e for e in elements if e.kind == "Link"]
    assert len(links) > 100
    assert all(link.content and link.annotation_text.strip() for link in links)  # links with their text
    if script != "en":
        assert "Note" in kinds or "FENote" in kinds  # the editors' footnote
    other = {"en": "zh"}.get(script, "en")
    assert any(e.lang.startswith(other) for e in elements), f"no run tagged {other}"
    info = reader.info(pdf(pdf_out, script))
    assert info["Tagged"] == "yes"


@pytest.mark.parametrize("script", EDITIONS)
def test_typst_settles_the_pages_in_three_layouts(pdf_out: Path, script: str, tmp_path: Path) -> None:
    """Typst's first layout of the book sets every linked word (a link to a label it does not know yet is set as
    its words, not as nothing), and the running heads read the pages Typst has just laid out (not a table of them
    written into the book, which is read a layout later): the pages settle in three layouts, the third only for
    what the first could not know (the indexes' page numbers, which lengthen the index). Four before."""
    import shutil

    folder = shutil.copytree(pdf_out / ".work" / EDITIONS[script] / "typst", tmp_path / "typst")
    assert reader.typst_settles_within(folder, 3)


def test_the_print_does_not_read_the_audit_pages(pdf_out: Path) -> None:
    """The print has no audit pages (its editorial note lists the changes itself): they are generated for the site
    and the EPUB into the source folder the formats share, and the PDF's build does not read them."""
    work = pdf_out / ".work" / EDITIONS["hant"]
    assert (work / "src" / "audit.md").is_file()
    read = {path.stem for path in (work / "doctrees-typst").glob("*.doctree")}
    assert {"index", "about", "glossary"} <= read
    assert not [name for name in read if name.startswith("audit")], read


@pytest.mark.parametrize("script", EDITIONS)
def test_metadata_page_size_and_labels(pdf_out: Path, script: str) -> None:
    path = pdf(pdf_out, script)
    info = reader.info(path)
    publication, _ = load_publication(SEED)
    book = load_book(SEED, GLOSSARY, script)
    title = book.publication.meta.title_en if script == "en" else book.publication.meta.title
    assert info["Title"] == title
    assert info["Subject"] == publication.meta.title_en
    assert info["Author"]
    width, height = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (round(A5[0]), round(A5[1]))
    labels = reader.page_labels(path)
    assert labels[:2] == ["", ""]  # title page and colophon
    assert "iii" in labels and "1" in labels and labels.index("iii") < labels.index("1")
    # poppler reads it without complaint (it reported Typst's default /Suspects false as a syntax error)
    assert subprocess.run([reader.tool("pdfinfo"), str(path)], capture_output=True, text=True).stderr == ""


@pytest.mark.parametrize("script", EDITIONS)
def test_xmp_metadata(pdf_out: Path, script: str) -> None:
    """Title, author, language, date, publisher and identifier in the XMP packet (what catalogues read)."""
    from lxml import etree

    packet = reader.run("pdfinfo", "-meta", str(pdf(pdf_out, script)))
    root = etree.fromstring(packet.strip().encode("utf-8"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}

    def values(name: str) -> list[str]:
        return [(li.text or "").strip() for li in root.iterfind(f".//dc:{name}//rdf:li", ns)]

    meta = load_book(SEED, GLOSSARY, script).publication.meta
    assert values("title") == [meta.title_en if script == "en" else meta.title]
    assert values("creator") and all(values("creator"))
    assert values("language") == [TAGS[script]]
    assert values("date") == [meta.date]
    assert values("publisher") == [meta.publisher_en if script == "en" else meta.publisher]
    assert root.findtext(".//dc:identifier", namespaces=ns) == f"{meta.identifier}:{EDITIONS[script]}"
    created = root.findtext(".//{http://ns.adobe.com/xap/1.0/}CreateDate")
    assert created and created.startswith("2021-09-01T00:00:00")  # SOURCE_DATE_EPOCH of the build


def test_two_builds_of_an_undated_book_are_byte_identical(tmp_path: Path) -> None:
    """Under SOURCE_DATE_EPOCH, a book whose metadata gives no date: its dc:date is the epoch's, not the build's."""
    from lxml import etree

    from .test_faults import seed_folder, tekan_command

    seed = seed_folder(tmp_path)
    built = []
    for name in ("one", "two"):
        out = tmp_path / name
        result = tekan(*tekan_command(seed, out, "pdf")[3:], env={"SOURCE_DATE_EPOCH": EPOCH})
        assert result.returncode == 0, result.stderr[-2000:]
        built.append(next((out / "pdf").glob("*-zh-hant.pdf")).read_bytes())
    assert built[0] == built[1]
    packet = reader.run("pdfinfo", "-meta", str(next((tmp_path / "two" / "pdf").glob("*-zh-hant.pdf"))))
    root = etree.fromstring(packet.strip().encode("utf-8"))
    dc, rdf = "{http://purl.org/dc/elements/1.1/}", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    # No date in the metadata: the PDF claims none (never the build's wall clock).
    assert [li.text for li in root.iter(f"{rdf}li") if li.getparent().getparent().tag == f"{dc}date"] == []


@pytest.mark.parametrize("script", ("hant", "en"))
def test_book_structure_and_bookmarks(pdf_out: Path, script: str) -> None:
    """Parts by sector (第一部分 / Part 1) with their statements under them, then the appendix; no "CHAPTER"."""
    path = pdf(pdf_out, script)
    book = load_book(SEED, GLOSSARY, script)
    marks = reader.outline(path)
    parts = [title for depth, title in marks if depth == 0]
    sectors = [s.en if script == "en" else s.zh for s, _ in book.publication.by_sector()]
    assert parts[1 : len(sectors) + 1] == sectors  # after the contents
    assert parts[len(sectors) + 1] == book.edition.print.appendix
    headlines = [
        st.meta.headline_en if script == "en" else st.headline for _, sts in book.publication.by_sector() for st in sts
    ]
    assert [t for d, t in marks if d == 1][: len(headlines)] == headlines
    printed = reader.text(path)
    assert "CHAPTER" not in printed.upper().replace("CHAPTERS", "")
    assert ("Part 1" if script == "en" else "第一部分") in printed


def test_part_page_english_line_is_centred_under_the_title(pdf_out: Path) -> None:
    path = pdf(pdf_out, "hant")
    book = load_book(SEED, GLOSSARY, "hant")
    sector = book.publication.meta.sectors[0]
    found = reader.lines(path)
    title = next(line for line in found if line.text == sector.zh)
    english = next(line for line in found if line.page == title.page and line.text == sector.en)
    assert abs((title.x0 + title.x1) / 2 - (english.x0 + english.x1) / 2) < 1.5


@pytest.mark.parametrize("script", EDITIONS)
def test_every_numbered_page_prints_its_number(pdf_out: Path, script: str) -> None:
    path = pdf(pdf_out, script)
    assert sum(label.isdigit() for label in reader.page_labels(path)) > 20
    assert reader.pages_without_folio(path) == []


@pytest.mark.parametrize("script", EDITIONS)
def test_running_heads_fit_on_one_line(pdf_out: Path, script: str) -> None:
    path = pdf(pdf_out, script)
    found = reader.lines(path)
    heads = [line for line in found if line.y1 < 48]  # above the text block (top margin 18 mm = 51 pt)
    assert len(heads) > 10
    by_page: dict[int, list[reader.Line]] = {}
    for line in heads:
        by_page.setdefault(line.page, []).append(line)
    assert all(len(on_page) == 1 for on_page in by_page.values()), [v for v in by_page.values() if len(v) > 1][:2]
    assert all(line.x1 - line.x0 < 330 for line in heads)


def test_translators_note_is_printed_once(pdf_out: Path) -> None:
    printed = reader.squeeze(reader.text(pdf(pdf_out, "en")))
    assert printed.count(reader.squeeze(TranslatedWords().note)) == 1


def test_glossary_headwords_stay_with_their_entries(pdf_out: Path) -> None:
    """No headword alone at the foot of a page: the entry's definition starts on the headword's page."""
    path = pdf(pdf_out, "hant")
    book = load_book(SEED, GLOSSARY, "hant")
    found = reader.lines(path)
    checked = 0
    for term in book.glossary.terms:
        head = next(  # the entry's head line: headword, pinyin and the English term (an index line has no English)
            (line for line in found if line.text.startswith(term.hant + " ") and term.en[:12] in line.text),
            None,
        )
        if head is None:
            continue
        on_page = reader.squeeze(reader.text(path, head.page, head.page))
        assert reader.squeeze(term.definition_zh)[:6] in on_page, term.hant
        checked += 1
    assert checked > len(book.glossary.terms) // 2


@pytest.mark.parametrize("script", ["hant", "hans"])
def test_glossary_headwords_are_never_hyphenated(pdf_out: Path, script: str) -> None:
    """An entry's head line (headword, pinyin, the English term) never breaks the English term with a hyphen."""
    book = load_book(SEED, GLOSSARY, script)
    english = {book.edition.in_script(term.hant) + " ": term.en.split()[0] for term in book.glossary.terms}
    found = reader.lines(pdf(pdf_out, script))
    heads = [line for line in found if any(line.text.startswith(h) and e in line.text for h, e in english.items())]
    assert len(heads) > 50
    assert reader.hyphenated(heads) == []


@pytest.mark.parametrize("script", EDITIONS)
def test_glossary_head_lines_are_ragged_not_spread(pdf_out: Path, script: str) -> None:
    """An entry's head (headword, its other forms, pinyin) is set ragged: a long English headword's line does not
    spread the Chinese headword after it apart (「質 量 變 革 、 效 率」), read from the glyphs' positions."""
    book = load_book(SEED, GLOSSARY, script)
    forms = {book.edition.in_script(t.hant) for t in book.glossary.terms}
    found = reader.lines(pdf(pdf_out, script))
    heads = [t.en if script == "en" else book.edition.in_script(t.hant) + " " for t in book.glossary.terms]
    pages = sorted({line.page for line in found if line.text.startswith(tuple(heads))})
    assert len(pages) > 10
    glyphs = reader.glyphs(pdf(pdf_out, script), pages)
    text = "".join(g.char if len(g.char) == 1 else "\0" for g in glyphs)  # a glyph a character (ligatures aside)
    spread = checked = 0
    for form in forms:
        for match in re.finditer(re.escape(form), text):
            run = glyphs[match.start() : match.end()]
            if len({(g.page, round(g.y0), g.size) for g in run}) > 1 or run[0].size < 9.5:
                continue  # broken across lines, or not a head's (the definitions' Chinese is 9 pt, justified)
            for a, b in pairwise(run):
                checked += 1
                spread += (b.x0 - a.x0 - a.width) / a.size > 0.05
    assert checked > 100 and spread == 0, (spread, checked)


def test_rebuilds_are_byte_identical(pdf_out: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = tekan("build", "pdf", "--edition", "hant", "--out", str(again), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-2000:]
    assert pdf(again, "hant").read_bytes() == pdf(pdf_out, "hant").read_bytes()


#: ``python -c``: tekan with fewer pages to a reader process than the real book's (``PAGES_PER_READER``), marking a
#: file when the pages are read in batches (in the build tekan forks, which inherits both). A fresh process, as the
#: ``tekan`` command is: forking a pytest process that earlier tests left with threads can deadlock.
READ_IN_BATCHES = """
import contextlib, sys
from pathlib import Path
from tekan.cli import main
from tekan.sphinxext import typst

original, marker = typst.one_batch_per_process, Path(sys.argv[1])  # (the forked build has Sphinx's argv)

@contextlib.contextmanager
def spied():
    marker.touch()
    with original():
        yield

typst.PAGES_PER_READER = 1
typst.one_batch_per_process = spied
sys.exit(main(sys.argv[2:]))
"""


def test_a_pdf_read_on_two_cores_is_the_same_pdf(pdf_out: Path, tmp_path: Path) -> None:
    """A large book's PDF is read by parallel Sphinx processes (``tekan.cli.LARGE_BOOK``), one batch each:
    the book is then assembled from the doctrees they wrote, not from those kept in memory, and must be the same
    book. (The real book's 30 pages are fewer than a reader process is worth: the threshold is lowered.)"""
    import os
    import sys

    batched, again = tmp_path / "read-in-batches", tmp_path / "again"
    command = ["build", "pdf", "-j", "2", "--edition", "hant", "--out", str(again)]
    result = subprocess.run(
        [sys.executable, "-c", READ_IN_BATCHES, str(batched), *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert batched.exists()  # read in parallel
    assert pdf(again, "hant").read_bytes() == pdf(pdf_out, "hant").read_bytes()


def test_print_text_keeps_headline_spaces_and_en_dashes(pdf_out: Path) -> None:
    printed = reader.text(pdf(pdf_out, "hant"))
    book = load_book(SEED, GLOSSARY, "hant")
    spaced = [st.headline for st in book.publication.statements if re.search(r"\w \w", st.headline)]
    assert spaced and all(headline in printed for headline in spaced), spaced
    assert "2020–2025" in printed and printed.count("2020-2025") <= 1  # the audit shows the seed's hyphen once
    assert "urn:tekan" not in printed


def test_every_chinese_paragraph_is_indented_two_characters(pdf_out: Path) -> None:
    """Each paragraph's first line starts two characters (20 pt) in from the text's edge, the last before a byline
    too (it is kept with the byline in a block of its own)."""
    path = pdf(pdf_out, "hant")
    found = reader.lines(path)
    edges = {1: 19 / 25.4 * 72, 0: (148 - 19) / 25.4 * 72 - 320}  # the text's left edge on odd and even pages
    book = load_book(SEED, GLOSSARY, "hant")
    for statement in book.publication.statements:
        for paragraph in statement.paragraphs:
            start = reader.squeeze(paragraph)[:20]  # (two paragraphs may begin alike: 近年來，大同市市場監…)
            line = next(line for line in found if reader.squeeze(line.text).startswith(start))
            assert abs(line.x0 - edges[line.page % 2] - 20) < 1, (statement.meta.slug, paragraph[:10], line.x0)
