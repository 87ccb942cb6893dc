"""Sphinx builds through sphinx.testing: no warnings, pages, anchors and backlinks."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.sphinx


def _no_warnings(app) -> None:
    warnings = app.warning.getvalue().strip()
    assert warnings == "", warnings


@pytest.mark.sphinx("html", testroot="minimal")
def test_minimal_book_builds_clean(app) -> None:
    app.build()
    _no_warnings(app)
    page = (app.outdir / "statements" / "wang-xiaoming.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hant"' in page
    assert 'href="../glossary.html#term-metrology"' in page
    assert 'class="tekan-byline' in page and "王小明" in page
    assert "<h1>計量為質量賦能" in page
    glossary = (app.outdir / "glossary.html").read_text(encoding="utf-8")
    assert 'id="term-metrology"' in glossary and 'id="term-nqi"' in glossary
    # Backlinks name the statements that use the term.
    entry = glossary[glossary.index('id="term-inspection-and-testing"') :]
    entry = entry[: entry.index("</dd>")]
    assert "statements/wang-xiaoming.html#wang-xiaoming" in entry
    assert "statements/li-si.html#li-si" in entry


@pytest.mark.sphinx("html", testroot="book")
def test_real_book_builds_clean(app) -> None:
    app.build()
    _no_warnings(app)
    statements = sorted((app.outdir / "statements").glob("*.html"))
    assert len(statements) == 16
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    for sector in ("市場監管部門", "技術機構", "企業"):
        assert sector in index
    assert "韓永生" in index and "安徽省市場監管局" in index
    glossary = (app.outdir / "glossary.html").read_text(encoding="utf-8")
    assert not re.search(r'id="(term-\d+|id\d+)"', glossary), "numbered anchors are unstable"
    anchors = set(
        re.findall(r'href="\.\./glossary\.html#(term-[a-z0-9-]+)"', "".join(p.read_text() for p in statements))
    )
    assert {
        "term-nqi",
        "term-metrology",
        "term-certification-and-accreditation",
        "term-chokepoint-technology",
    } <= anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in glossary


@pytest.mark.sphinx("html", testroot="book")
def test_search_index_holds_chinese_words(app) -> None:
    app.build()
    text = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]
    docs = json.loads(text[text.index("(") + 1 : text.rindex(")")])["docnames"]
    for word in ("計量", "计量", "質量", "認證認可", "檢驗檢測", "高質量發展"):
        assert word in terms, word
    metrology_pages = terms["計量"] if isinstance(terms["計量"], list) else [terms["計量"]]
    assert "statements/zhu-huaiqiu" in [docs[i] for i in metrology_pages]
    language_data = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "ChineseStemmer" not in language_data
