"""The parallel (對照) PDF of each Chinese edition: every paragraph beside its English, in order, as printed.

Built once per module with ``tekan build pdf --script all --parallel``. What a reader sees is read back with
poppler's word boxes (``pdftotext -bbox``): each Chinese paragraph starts in the left column on the same line as
its translation in the right column, the pairs follow each other down the pages in the book's order, and each
column holds its whole text. Expected text comes from the seed and the shipped catalogs, never from the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from tekan.book import load_book
from tekan.languages import has_chinese
from tekan.metadata import load_publication
from tekan.translation import read_translations

from .conftest import BOOK, EPOCH, GLOSSARY, ROOT, SEED, tekan
from .test_pdf import pdf_objects, run

pytestmark = pytest.mark.pdf
SCRIPTS = {"hant": "zh-hant", "hans": "zh-hans"}


@pytest.fixture(scope="module")
def parallel_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parallel")
    result = tekan("build", "pdf", "--script", "all", "--parallel", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pdf (zh-hant, parallel)" in result.stderr
    return out


def parallel_pdf(out: Path, script: str) -> Path:
    return out / "pdf" / f"{BOOK}-{SCRIPTS[script]}-parallel.pdf"


@dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float  # top of the word's box, points from the top of the page
    text: str
    height: float = 0.0  # of the word's box (a raised footnote mark is shorter than the text)


def words(pdf: Path) -> tuple[list[Word], float, float]:
    """Every word of the PDF's text blocks with its page and position, and the page's width and height.

    Running heads and page numbers are left out: A5 with 18 mm top and 20 mm bottom margins.
    """
    xhtml = run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    result: list[Word] = []
    width = height = 0.0
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xhtml, re.S), start=1):
        width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        boxes = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
        for x, y, bottom, text in re.findall(boxes, page):
            if 50 < float(y) < height - 56:
                result.append(Word(number, float(x), float(y), unescape(text), float(bottom) - float(y)))
    return result, width, height


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _han(text: str) -> str:
    return re.sub(r"\s", "", text)


def _find_chinese(found: list[Word], paragraph: str, after: int) -> int:
    # The first characters, on the paragraph's first line: pdftotext may cut a line at punctuation or a term.
    first = _han(paragraph)[:9]  # enough to tell a paragraph from a headline that starts as it does

    def line(i: int) -> str:
        return "".join(w.text for w in found[i : i + 12] if w.page == found[i].page and abs(w.y - found[i].y) < 2)

    return next(
        i for i in range(after, len(found)) if _han(found[i].text)[:1] == first[:1] and _han(line(i)).startswith(first)
    )


def _find_english(found: list[Word], paragraph: str, after: int) -> int:
    # The first words' letters, read in the column the first word starts (the English column has no indent): a
    # word hyphenated at a line's end is two boxes, and pdftotext may read the Chinese column's line between them.
    first = _letters(" ".join(paragraph.split()[:8]))  # enough to tell "In recent years, …" apart

    def following(i: int) -> str:
        # (The column's edge moves by the difference of the inner and outer margins on the next page.)
        column = [w.text for w in found[i : i + 80] if w.x >= found[i].x - 15 and not has_chinese(w.text)]
        return _letters(" ".join(column[:10]))

    return next(
        i
        for i in range(after, len(found))
        if _letters(found[i].text)[:1] == first[:1] and following(i).startswith(first)
    )


@pytest.fixture(scope="module")
def english() -> dict[str, tuple[str, ...]]:
    publication, _ = load_publication(SEED)
    return {slug: t.paragraphs for slug, t in read_translations(publication, ROOT / "locale", "en").items()}


def row_starts(found: list[Word], script: str, english: dict[str, tuple[str, ...]]) -> list[tuple[str, Word, Word]]:
    """(where, first word of the Chinese paragraph, first word of its translation) of every row, in book order."""
    book = load_book(SEED, GLOSSARY, script)
    starts = []
    zh = en = 0
    for statement in book.publication.statements:
        translation = english[statement.meta.slug]
        assert len(translation) == len(statement.paragraphs)
        for chinese, text in zip(statement.paragraphs, translation, strict=True):
            zh = _find_chinese(found, chinese, zh)  # each column read on from its last paragraph
            en = _find_english(found, text, en)
            starts.append((f"{statement.meta.slug}: {chinese[:12]}", found[zh], found[en]))
    return starts


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_paragraph_starts_beside_its_translation_in_order(
    parallel_out: Path, script: str, english: dict[str, tuple[str, ...]]
) -> None:
    found, _, _ = words(parallel_pdf(parallel_out, script))
    starts = row_starts(found, script, english)
    previous = (0, 0.0)
    for where, left, right in starts:
        assert left.page == right.page, where
        assert right.x - left.x > 100, where  # Chinese left, English a column's width to the right
        assert abs(left.y - right.y) < 4, where  # on the same line: the row starts together
        assert (left.page, left.y) > previous, where  # below the row before, or on a later page
        previous = (left.page, left.y)
    book = load_book(SEED, GLOSSARY, script)
    assert len(starts) == sum(len(st.paragraphs) for st in book.publication.statements) > 50


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_column_holds_its_whole_text(parallel_out: Path, script: str, english: dict[str, tuple[str, ...]]) -> None:
    found, _, _ = words(parallel_pdf(parallel_out, script))
    # Where the English column begins, on left-hand and right-hand pages (their margins differ).
    edge = {right.page % 2: right.x for _, _, right in row_starts(found, script, english)}
    body = [w for w in found if w.page % 2 in edge]
    # A footnote mark (an editor's note: a small raised number) is read into the line below it: left out.
    marks = {id(w) for w in body if w.text.isdigit() and w.height < 8}
    left = _han("".join(w.text for w in body if w.x < edge[w.page % 2] - 2 and id(w) not in marks))
    right = _letters(" ".join(w.text for w in body if w.x >= edge[w.page % 2] - 2))
    book = load_book(SEED, GLOSSARY, script)
    missing_zh = [p[:20] for st in book.publication.statements for p in st.paragraphs if _han(p) not in left]
    missing_en = [p[:40] for ps in english.values() for p in ps if _letters(p) not in right]
    assert (missing_zh, missing_en) == ([], [])


@pytest.mark.parametrize("script", SCRIPTS)
def test_fonts_metadata_and_title(parallel_out: Path, script: str) -> None:
    pdf = parallel_pdf(parallel_out, script)
    for line in run("pdffonts", str(pdf)).splitlines()[2:]:
        assert line.split()[-5] == "yes", f"not embedded: {line}"
    info = run("pdfinfo", "-enc", "UTF-8", str(pdf))
    variant = {"hant": "中英對照", "hans": "中英对照"}[script]
    title = load_book(SEED, GLOSSARY, script).publication.meta.title
    assert f"Title:           {title}（{variant}）" in info
    tag = {"hant": b"zh-Hant", "hans": b"zh-Hans"}[script]
    assert re.search(rb"/Lang ?\(" + tag + rb"\)", pdf_objects(pdf))
    first_page = run("pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(pdf), "-")
    assert variant in first_page
    log = (parallel_out / ".work" / f"{SCRIPTS[script]}-parallel" / "latex" / "tekan.log").read_text(
        encoding="utf-8", errors="replace"
    )
    assert "Missing character" not in log and "Overfull \\vbox" not in log


def test_the_other_editions_are_left_alone(parallel_out: Path) -> None:
    assert sorted(p.name for p in (parallel_out / "pdf").iterdir()) == [
        f"{BOOK}-zh-hans-parallel.pdf",
        f"{BOOK}-zh-hant-parallel.pdf",
    ]


def test_parallel_without_a_pdf_or_a_translation_stops_with_one_line(tmp_path: Path) -> None:
    result = tekan("build", "html", "--parallel", "--out", str(tmp_path / "a"))
    assert result.returncode == 1 and "--parallel makes the parallel" in result.stderr
    assert "Traceback" not in result.stderr
    book = tmp_path / "book"
    (book / "seeds").mkdir(parents=True)
    (book / "seeds" / "f.txt").write_text(
        "以標準引領浙江製造\n標準化是國家質量基礎設施的重要組成部分。\n——浙江省市場監督管理局局長陳立新\n《浙江標準報》\n",
        encoding="utf-8",
    )
    result = tekan("build", "pdf", "--parallel", "--project", str(book))
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1 and "no English catalogs" in lines[0], result.stderr
    assert not (book / "_build" / "pdf").exists()
