"""Sphinx builds through sphinx.testing: no warnings, pages, anchors and backlinks."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
    from tekan.searching import chars_to_hans
    from tekan.searchshards import decode_postings, fold_word, shard_of

    search = Path(app.outdir) / "_search"
    assert not (Path(app.outdir) / "searchindex.js").exists()  # the shards replace it
    shards = json.loads((search / "meta.json").read_text(encoding="utf-8"))["shards"]

    def pages(word: str) -> list[str]:
        form = fold_word(word, chars_to_hans)
        assert form is not None, word
        entry = json.loads((search / "shards" / f"{shard_of(form, shards)}.json").read_text(encoding="utf-8"))[form]
        found = [n for slot in entry if slot != 0 for n in decode_postings(slot)]
        return [json.loads((search / "pages" / f"{n}.json").read_text(encoding="utf-8"))["n"] for n in found]

    for word in ("計量", "计量", "質量", "認證", "認可", "檢驗", "檢測", "高質", "發展"):
        assert pages(word), word
    assert "statements/zhu-huaiqiu" in pages("計量")
    language_data = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "ChineseStemmer" not in language_data
