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
from tekan.metadata import load_publication
from tekan.translation import read_translations

from .conftest import EPOCH, GLOSSARY, ROOT, SEED, tekan
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
    return out / "pdf" / f"tekan-{SCRIPTS[script]}-parallel.pdf"


@dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float  # top of the word's box, points from the top of the page
    text: str


def words(pdf: Path) -> tuple[list[Word], float, float]:
    """Every word of the PDF with its page and position, and the page's width and height."""
    xhtml = run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    result: list[Word] = []
    width = height = 0.0
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xhtml, re.S), start=1):
        width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page):
            result.append(Word(number, float(x), float(y), unescape(text)))
    return result, width, height


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _han(text: str) -> str:
    return re.sub(r"\s", "", text)


def _find_chinese(found: list[Word], paragraph: str, after: int) -> int:
    start = _han(paragraph)[:6]
    return next(i for i in range(after, len(found)) if _han(found[i].text).startswith(start))


def _find_english(found: list[Word], paragraph: str, after: int) -> int:
    first = [_letters(w) for w in paragraph.split()[:4]]
    return next(i for i in range(after, len(found) - 4) if [_letters(w.text) for w in found[i : i + 4]] == first)


@pytest.fixture(scope="module")
def english() -> dict[str, tuple[str, ...]]:
    publication, _ = load_publication(SEED)
    return {slug: t.paragraphs for slug, t in read_translations(publication, ROOT / "locale", "en").items()}


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_paragraph_starts_beside_its_translation_in_order(
    parallel_out: Path, script: str, english: dict[str, tuple[str, ...]]
) -> None:
    found, width, _ = words(parallel_pdf(parallel_out, script))
    middle = width / 2
    book = load_book(SEED, GLOSSARY, script)
    rows = 0
    position = 0
    for statement in book.publication.statements:
        translation = english[statement.meta.slug]
        assert len(translation) == len(statement.paragraphs)
        for chinese, text in zip(statement.paragraphs, translation, strict=True):
            zh = _find_chinese(found, chinese, position)
            en = _find_english(found, text, position)
            left, right = found[zh], found[en]
            where = f"{statement.meta.slug}: {chinese[:12]}"
            assert left.page == right.page, where
            assert left.x < middle < right.x, where  # Chinese left, English right
            assert abs(left.y - right.y) < 4, where  # on the same line: the row starts together
            position = max(zh, en)  # the next pair comes after this one
            rows += 1
    assert rows == sum(len(st.paragraphs) for st in book.publication.statements) > 60


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_column_holds_its_whole_text(parallel_out: Path, script: str, english: dict[str, tuple[str, ...]]) -> None:
    found, width, height = words(parallel_pdf(parallel_out, script))
    # The text block only: running heads and page numbers left out (A5, 18 mm top and 20 mm bottom margins).
    body = [w for w in found if 50 < w.y < height - 56]
    left = _han("".join(w.text for w in body if w.x < width / 2))
    right = _letters(" ".join(w.text for w in body if w.x > width / 2))
    book = load_book(SEED, GLOSSARY, script)
    missing_zh = [p[:20] for st in book.publication.statements for p in st.paragraphs if _han(p) not in left]
    missing_en = [p[:40] for ps in english.values() for p in ps if _letters(p) not in right]
    assert missing_zh == [] and missing_en == []


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
        "tekan-zh-hans-parallel.pdf",
        "tekan-zh-hant-parallel.pdf",
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
