"""The English edition in its three formats, and the parallel pages, as a reader gets them (session build).

Expected text comes from the catalogs and the glossary file, never from the output.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from tekan.glossary import load_glossary
from tekan.metadata import load_publication
from tekan.translation import read_translations

from .conftest import BOOK, GLOSSARY, ROOT, SEED
from .test_epub import epubcheck


@pytest.fixture(scope="module")
def english() -> dict[str, tuple[str, ...]]:
    """slug → the English paragraphs, read from the shipped catalogs."""
    publication, _ = load_publication(SEED)
    return {slug: t.paragraphs for slug, t in read_translations(publication, ROOT / "locale", "en").items()}


def _text(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", page)).split())


def test_three_formats_are_published(book_out: Path) -> None:
    for path in ("html/en/index.html", "html/en/glossary.html", f"epub/{BOOK}-en.epub", f"pdf/{BOOK}-en.pdf"):
        assert (book_out / path).is_file(), path
    assert not (book_out / "html/en/audit.html").exists()  # the audit is of the Chinese text


def test_every_statement_page_is_english_complete_and_marked(
    book_out: Path, english: dict[str, tuple[str, ...]]
) -> None:
    assert len(english) == 16
    home = (book_out / "html" / "en" / "index.html").read_text(encoding="utf-8")
    assert home.count("tekan-translation-note") == 1 and "Editors’ translation" in home
    for slug, paragraphs in english.items():
        html = (book_out / "html" / "en" / "statements" / f"{slug}.html").read_text(encoding="utf-8")
        assert re.search(r'<html[^>]* lang="en"', html)
        assert "tekan-translation-note" not in html  # the note is once, on the home page
        text = _text(html)
        for paragraph in paragraphs:
            assert paragraph and " ".join(paragraph.split()) in text, (slug, paragraph[:40])


def test_english_terms_link_to_the_glossary_entries(book_out: Path) -> None:
    html = (book_out / "html" / "en" / "statements" / "han-yongsheng.html").read_text(encoding="utf-8")
    for text, term in (("Wanmei brands", "wanmei-brand"), ("national quality infrastructure", "nqi")):
        assert re.search(rf'href="\.\./glossary\.html#term-{term}"[^>]*>(<[^>]+>)*{text}<', html), term


def test_glossary_in_english_order_with_the_chinese_beside(book_out: Path) -> None:
    from tekan.book import load_book

    glossary = load_glossary(GLOSSARY)
    html = (book_out / "html" / "en" / "glossary.html").read_text(encoding="utf-8")
    ids = re.findall(r'<dt id="term-([a-z0-9-]+)"', html)
    # English dictionary order: ignoring case and a leading article ("the country's …" files under C).
    printed = load_book(SEED, GLOSSARY, "en").glossary.terms  # the entries the book uses (and those they refer to)
    expected = sorted(printed, key=lambda t: (re.sub(r"^(the|an?) ", "", t.en.casefold()), t.en, t.id))
    assert ids == [t.id for t in expected]
    # The glossary file is a library: entries that no statement uses (nor one that is used refers to) are left out.
    unused = {t.id for t in glossary.terms} - set(ids)
    assert unused
    term = glossary.by_id["metrology"]
    entry = _text(html[html.index('id="term-metrology"') :][:4000])
    assert term.hant in entry and term.pinyin in entry and " ".join(term.definition_en.split())[:60] in entry


def test_english_epub_is_valid_and_english(book_out: Path) -> None:
    epub = book_out / "epub" / f"{BOOK}-en.epub"
    epubcheck(epub)
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode("utf-8")
    assert "<dc:language>en</dc:language>" in opf
    assert "Special Issue for the China Quality (Hangzhou) Conference" in opf


def _letters(text: str) -> str:
    """Letters and digits only, lower case: line breaks, hyphenation and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _body(pdftotext: str, heads: set[str]) -> str:
    """The running text of the pages: a page's running head (a headline, as its first block) and its number
    (its last line) left out, so a word hyphenated across a page break joins up again."""
    pages = []
    for page in pdftotext.split("\f"):
        lines = page.strip("\n").split("\n")
        if lines and lines[-1].strip().isdigit():
            lines = lines[:-1]
        elif lines:  # a page number pdftotext glued to a word hyphenated at the page's end ("“one6")
            lines[-1] = re.sub(r"(?<=[^\d\s])\d+$", "", lines[-1])
        if "" in lines and " ".join(lines[: lines.index("")]) in heads:
            lines = lines[lines.index("") + 1 :]
        pages.append("\n".join(lines).strip("\n"))
    return "\n".join(pages)


def test_english_pdf_has_every_paragraph_and_an_english_title(
    book_out: Path, english: dict[str, tuple[str, ...]]
) -> None:
    pdf = book_out / "pdf" / f"{BOOK}-en.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Title:           China Quality News: Special Issue" in info
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    publication, _ = load_publication(SEED)
    heads = {st.meta.headline_en for st in publication.statements}
    body = _letters(_body(text.stdout, heads))
    missing = [p[:40] for ps in english.values() for p in ps if _letters(p) not in body]
    assert missing == []


def test_parallel_pages_pair_chinese_and_english(book_out: Path, english: dict[str, tuple[str, ...]]) -> None:
    for edition in ("zh-hant", "zh-hans"):
        html = (book_out / "html" / edition / "parallel" / "liu-qingfeng.html").read_text(encoding="utf-8")
        assert html.count('class="tekan-parallel-row') == len(english["liu-qingfeng"]) == 4
        assert '<div class="tekan-parallel-en docutils container" lang="en">' in html
        statement = (book_out / "html" / edition / "statements" / "liu-qingfeng.html").read_text(encoding="utf-8")
        assert 'href="../parallel/liu-qingfeng.html"' in statement


def _page(browser: Any) -> Any:
    """A desktop-sized page that records JavaScript errors and failed requests."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.tekan_log = []
    page.on("pageerror", lambda error: page.tekan_log.append(f"page error: {error}"))
    page.on("response", lambda r: page.tekan_log.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page


def errors(page: Any) -> list[str]:
    return list(page.tekan_log)


@pytest.mark.browser
def test_switcher_offers_three_editions_and_keeps_the_page(browser: Any, site: str) -> None:
    page = _page(browser)
    page.goto(f"{site}/html/zh-hant/parallel/zhao-hua.html")
    names = page.eval_on_selector_all("nav.tekan-editions li", "items => items.map(i => i.textContent)")
    assert len(names) == 3 and any("English" in n for n in names)
    page.click("nav.tekan-editions a.tekan-switch[hreflang=en]")
    page.wait_for_url("**/html/en/statements/zhao-hua.html")
    assert page.get_attribute("html", "lang") == "en"
    page.click("nav.tekan-editions a.tekan-switch[hreflang=zh-Hans]")
    page.wait_for_url("**/html/zh-hans/statements/zhao-hua.html")
    assert errors(page) == []


@pytest.mark.browser
def test_english_tooltip_shows_the_chinese_headword_and_pinyin(browser: Any, site: str) -> None:
    page = _page(browser)
    term = load_glossary(GLOSSARY).by_id["wanmei-brand"]
    page.goto(f"{site}/html/en/statements/han-yongsheng.html")
    page.hover("article a[href$='glossary.html#term-wanmei-brand']")
    tip = page.locator(".tekan-tip:not([hidden])")
    tip.wait_for(timeout=5000)
    text = tip.inner_text()
    assert term.hant in text and term.pinyin in text and term.definition_en[:40] in text
    assert errors(page) == []


# --- an unfinished translation is built, and problems are located in the editor's files -------------------

_UNFINISHED_SEED = """計量為質量賦能
計量是國家質量基礎設施的重要組成部分。
——某省計量科學研究院院長王小明
檢驗檢測服務產業
檢驗檢測傳遞信任。
——某某檢測有限公司董事長李四
認證認可
認證認可是市場經濟的信用證。
——中心主任
《測試報》【測試特刊】
"""


def test_statements_without_catalog_or_english_headline_do_not_stop_the_english_edition(tmp_path: Path) -> None:
    """One statement with no catalog and no headline_en, one whose catalog translates nothing, one whose byline
    names no person: the English site is built, each page without an empty meta tag."""
    from .conftest import tekan

    seed = tmp_path / "seeds" / "f.txt"
    seed.parent.mkdir()
    seed.write_text(_UNFINISHED_SEED, encoding="utf-8")
    assert tekan("translate", str(seed), cwd=tmp_path).returncode == 0
    (tmp_path / "locale" / "en" / "LC_MESSAGES" / "statements" / "wang-xiaoming.po").unlink()
    result = tekan("build", "html", "--edition", "en", "--seed", str(seed), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert ".work" not in result.stderr  # nothing located in a generated file
    pages = sorted((tmp_path / "out" / "html" / "en" / "statements").glob("*.html"))
    assert len(pages) == 3
    for page in pages:
        assert not re.search(r'<meta[^>]*content=""', page.read_text(encoding="utf-8")), page.name


def test_a_warning_in_a_generated_page_is_located_in_the_editors_file(tmp_path: Path) -> None:
    """A warning Sphinx (or docutils, or a book's own extension) gives at a generated page names the seed's line
    of that statement, the glossary, or the metadata file — never the page under OUT/.work."""
    from .conftest import tekan

    seed = tmp_path / "seeds" / "f.txt"
    seed.parent.mkdir()
    seed.write_text(_UNFINISHED_SEED, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text(
        "from sphinx.util import logging\n"
        "extensions = ['tekan.sphinxext']\n"
        "def _warn(app, doctree):\n"
        "    logging.getLogger('book').warning('a warning of the book', location=(app.env.docname, 4))\n"
        "def setup(app):\n"
        "    app.connect('doctree-read', _warn)\n",
        encoding="utf-8",
    )
    result = tekan(
        "build", "html", "--seed", str(seed), "--out", str(tmp_path / "out"), "--script", "hant", cwd=tmp_path
    )
    located = sorted(
        line.partition(": WARNING")[0].partition(": warning")[0]
        for line in re.sub(r"\x1b\[[0-9;]*m", "", result.stderr).splitlines()  # Sphinx colours its lines under CI
        if "a warning of the book" in line
    )
    assert result.returncode == 1 and ".work" not in result.stderr, result.stderr
    assert f"{seed}:1" in located and f"{seed}:4" in located and f"{seed}:7" in located, located
    assert str(seed.with_suffix(".toml")) in located or str(seed) in located  # the home page: no metadata file
