"""The glossary in real Sphinx builds: pinyin order, stable anchors, backlinks in every format, tooltips and
exports on the website only."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from tekan.export import read_csv
from tekan.glossary import load_glossary, pinyin_sort_key

pytestmark = pytest.mark.sphinx

DT_ID = re.compile(r'<dt id="(term-[^"]+)"[^>]*>(.*?)<')


def _no_warnings(app) -> None:
    warnings = app.warning.getvalue().strip()
    assert warnings == "", warnings


def _glossary_anchors(outdir: Path) -> dict[str, str]:
    """Anchor → headword of every entry on the glossary page, in page order."""
    html = (outdir / "glossary.html").read_text(encoding="utf-8")
    return {anchor: text.strip() for anchor, text in DT_ID.findall(html)}


@pytest.mark.sphinx("html", testroot="glossary")
def test_glossary_page_is_in_pinyin_order_with_downloads_and_tooltips(app) -> None:
    app.build()
    _no_warnings(app)
    glossary = load_glossary(Path(app.srcdir) / "terms.toml")
    expected = [f"term-{t.id}" for t in sorted(glossary.terms, key=pinyin_sort_key)]
    assert list(_glossary_anchors(app.outdir)) == expected
    page = (app.outdir / "glossary.html").read_text(encoding="utf-8")
    # Letter headings in alphabetical order, each reachable from the jump bar.
    letters = re.findall(
        r'<h2 class="[^"]*tekan-letter[^"]*" id="letter-([a-z])">', page
    )  # headings a reader can jump by
    assert letters == sorted(letters) and letters == ["g", "j"]
    assert all(f'href="#letter-{letter}"' in page for letter in letters)
    # Both scripts and the aliases in the entry head.
    assert "计量" in page and "國家質量基礎設施" in page
    # Downloads: linked from the page, present in the output, holding every term.
    for name in ("tekan-glossary.csv", "tekan-glossary.tbx"):
        assert f'href="_static/{name}"' in page
        assert (app.outdir / "_static" / name).is_file()
    rows = read_csv((app.outdir / "_static" / "tekan-glossary.csv").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [t.id for t in glossary.terms]

    # Tooltips: each page carries the data of the terms it links to, and no others; the script is shared.
    def tooltips(page: str) -> dict:
        html = (app.outdir / page).read_text(encoding="utf-8")
        found = re.findall(r'<script type="application/json" id="tekan-terms-data">(.*?)</script>', html, re.S)
        assert len(found) <= 1 and html.index("</head>") > (html.index(found[0]) if found else 0)
        data = json.loads(found[0]) if found else {"terms": {}, "lang": "zh-Hant"}
        assert data["lang"] == "zh-Hant"
        return data["terms"]

    def entry(term_id: str) -> dict:
        t = glossary.by_id[term_id]
        return {"hw": t.hant, "py": t.pinyin, "en": t.en, "abbr": t.abbr, "def": t.definition_zh}  # a Chinese edition

    assert tooltips("statements/wang-xiaoming.html") == {
        i: entry(i) for i in ("metrology", "nqi", "inspection-and-testing")
    }
    assert tooltips("statements/li-si.html") == {"inspection-and-testing": entry("inspection-and-testing")}
    assert tooltips("glossary.html") == {"nqi": entry("nqi")}  # metrology's "see also" links to nqi
    assert tooltips("search.html") == {}
    statement = (app.outdir / "statements" / "wang-xiaoming.html").read_text(encoding="utf-8")
    assert 'src="../_static/tekan-terms.js' in statement
    assert (app.outdir / "_static" / "tekan-terms.js").is_file()
    assert not (app.outdir / "_static" / "tekan-terms-data.js").exists()


def test_tooltip_data_cannot_end_its_script_element() -> None:
    """A definition with ``</script>`` or ``<!--`` stays data: the JSON escapes every angle bracket."""
    from dataclasses import replace

    from tekan.book import load_book
    from tekan.sphinxext.glossary import tooltip_data

    root = Path(__file__).parent / "roots" / "test-glossary"
    book = load_book(root / "seed.txt", root / "terms.toml", "hant")
    hostile = replace(book.glossary.terms[0], definition_zh="甲</script><script>alert(1)</script> <!-- & 乙")
    book = replace(book, glossary=replace(book.glossary, terms=(hostile, *book.glossary.terms[1:]), by_id={}))
    element = tooltip_data(book, [hostile.id])
    inner = element.removeprefix('<script type="application/json" id="tekan-terms-data">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["terms"][hostile.id]["def"] == hostile.definition_zh


@pytest.mark.sphinx("html", testroot="glossary")
def test_english_index_lists_terms_and_abbreviations_a_to_z(app) -> None:
    app.build()
    page = (app.outdir / "english-index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<span class="tekan-en"[^>]*>([^<]+)</span>', page)
    assert entries == ["inspection and testing", "metrology", "national quality infrastructure", "NQI"]
    assert re.search(r"NQI</span>.*?→ national quality infrastructure.*?glossary.html#term-nqi", page, re.S)
    assert re.findall(r'id="en-letter-([a-z0-9-]+)"', page) == ["i", "m", "n"]


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-anchors")
def test_anchors_stay_when_terms_are_added_and_reordered(app, make_app) -> None:
    app.build()
    before = _glossary_anchors(app.outdir)
    assert set(before) == {"term-metrology", "term-nqi", "term-inspection-and-testing"}
    terms = Path(app.srcdir) / "terms.toml"
    entries = terms.read_text(encoding="utf-8").split("[[term]]")
    new_entry = """
id = "chokepoint-technology"
hant = "卡脖子"
hans = "卡脖子"
pinyin = "qiǎ bózi"
en = "chokepoint (technologies)"
category = "policy"
definition_zh = "依賴進口、可能受制於人的關鍵技術。"
definition_en = "Key technologies for which China depends on imports."
source = "Descriptive translation"

"""
    # A new term first, the old ones in reverse order.
    terms.write_text("[[term]]".join(["", new_entry, *reversed(entries[1:])]), encoding="utf-8")
    app.cleanup()  # unregister the first app's nodes before a second app starts in this process
    again = make_app("html", srcdir=app.srcdir, freshenv=True)
    again.build()
    _no_warnings(again)
    after = _glossary_anchors(again.outdir)
    for anchor, headword in before.items():
        assert after.get(anchor) == headword, anchor
    assert after["term-chokepoint-technology"] == "卡脖子"
    statement = (again.outdir / "statements" / "wang-xiaoming.html").read_text(encoding="utf-8")
    assert 'href="../glossary.html#term-metrology"' in statement
    assert 'href="../glossary.html#term-chokepoint-technology"' in statement
    assert not re.search(r'id="(term-\d+|id\d+)"', (again.outdir / "glossary.html").read_text(encoding="utf-8"))


@pytest.mark.sphinx("epub", testroot="glossary")
def test_epub_has_backlinks_but_no_scripts_or_downloads(app) -> None:
    app.build()
    _no_warnings(app)
    glossary = (app.outdir / "glossary.xhtml").read_text(encoding="utf-8")
    entry = glossary[glossary.index('id="term-inspection-and-testing"') :]
    entry = entry[: entry.index("</dd>")]
    assert 'href="statements/wang-xiaoming.xhtml#wang-xiaoming"' in entry
    assert 'href="statements/li-si.xhtml#li-si"' in entry
    assert "tekan-downloads" not in glossary and "tekan-glossary.csv" not in glossary
    assert 'href="#letter-j"' in glossary  # the jump bar helps on a reader too
    epub = next(app.outdir.glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        assert not [n for n in names if "tekan-terms" in n or n.endswith((".csv", ".tbx"))]
        for name in names:
            if name.endswith(".xhtml"):
                assert b"<script" not in archive.read(name), name


@pytest.mark.sphinx("typst", testroot="glossary")
def test_print_backlinks_point_at_statement_labels(app) -> None:
    """In the PDF's source the glossary's backlinks go to the statements' own labels, which are placed."""
    from tekan.typesetting import label

    app.build()
    _no_warnings(app)
    source = (app.outdir / "tekan.typ").read_text(encoding="utf-8")
    glossary = source[source.index("#glossary-list(") :]
    targets = set(re.findall(r"#xref\(<([^>]+)>\)", glossary))  # a cross-reference (`xref` in tekanbook.typ)
    expected = {label(f"statements/{slug}", slug) for slug in ("wang-xiaoming", "li-si")}
    assert expected <= targets
    for target in targets:
        assert f"<{target}>" in source.replace(f"#xref(<{target}>)", ""), target  # placed somewhere
    assert "下載詞彙表" not in source  # the downloads are the website's
    assert "letter-" not in source  # no jump bar in print
    assert (app.outdir / "tekan.pdf").stat().st_size > 10_000


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-edition-language")
def test_a_chinese_edition_gives_usage_and_source_in_its_own_language(app, make_app) -> None:
    """用法 and 譯名依據 in the edition's language and script (issue 21); the English term's explanation beside it,
    not in it; an entry without a Chinese note keeps its English one."""
    terms = Path(app.srcdir) / "terms.toml"
    terms.write_text(
        terms.read_text(encoding="utf-8").replace(
            'source = "JCGM 200:2012 (VIM) 2.2"\n',
            'source = "JCGM 200:2012 (VIM) 2.2"\nsource_zh = "國際計量學詞彙（VIM）2.2"\n'
            'usage_note = "Taiwan says 度量衡 for legal metrology."\nusage_note_zh = "臺灣的法定計量稱「度量衡」。"\n'
            'en_note = "the science of measurement"\n',
            1,
        ),
        encoding="utf-8",
    )
    app.cleanup()
    for script, usage, source in (
        ("hant", "臺灣的法定計量稱「度量衡」。", "國際計量學詞彙"),
        ("hans", "台湾的法定计量称“度量衡”。", "国际计量学词汇"),
    ):
        page, entry = _glossary_in_edition(make_app, app.srcdir, script, "metrology")
        assert usage in entry and "Taiwan says" not in entry, script
        assert source in entry and "JCGM" not in entry.split("tekan-source")[1], script
        assert re.search(r'class="[^"]*tekan-en-note[^"]*"[^>]*>\(the science of measurement\)', entry), script
        nqi = page[page.index('id="term-nqi"') :]
        assert "UNIDO" in nqi[: nqi.index("</dd>")]  # no Chinese source given: the English one


@pytest.mark.sphinx("html", testroot="glossary", srcdir="glossary-quoted-chinese")
def test_chinese_quoted_in_english_glossary_text_is_in_the_editions_script(app, make_app) -> None:
    """The glossary file writes Chinese inside English notes in Traditional; a Simplified edition shows it in
    Simplified, tagged zh-Hans (第三方檢測機構 was printed in Traditional in the Simplified book)."""
    terms = Path(app.srcdir) / "terms.toml"
    terms.write_text(
        terms.read_text(encoding="utf-8").replace(
            'source = "JCGM 200:2012 (VIM) 2.2"\n',
            'source = "JCGM 200:2012 (VIM) 2.2"\nusage_note = "A 計量檢測機構 does this work."\n',
            1,
        ),
        encoding="utf-8",
    )
    app.cleanup()
    for script, shown, absent in (("hant", "計量檢測機構", "计量检测机构"), ("hans", "计量检测机构", "計量檢測機構")):
        _, entry = _glossary_in_edition(make_app, app.srcdir, script, "metrology")
        tag = "zh-Hans" if script == "hans" else "zh-Hant"
        assert re.search(rf'<span lang="{tag}">{shown}</span>', entry), (script, entry)
        assert absent not in entry, script


def _glossary_in_edition(make_app, srcdir, script: str, term: str) -> tuple[str, str]:
    """Build the test root's glossary in one Chinese edition (no warnings); return the page and ``term``'s entry."""
    again = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"tekan_target.edition": script})
    again.build()
    _no_warnings(again)
    page = (again.outdir / "glossary.html").read_text(encoding="utf-8")
    again.cleanup()
    entry = page[page.index(f'id="term-{term}"') :]
    return page, entry[: entry.index("</dd>")]


def _entry(page: str, anchor: str) -> str:
    entry = page[page.index(f'id="{anchor}"') :]
    return entry[: entry.index("</dd>")]


@pytest.mark.sphinx("html", testroot="glossary", freshenv=True, confoverrides={"tekan_glossary_backlinks": 1})
def test_a_term_used_on_more_pages_than_the_limit_shows_their_number_and_its_search(app) -> None:
    """An archive's glossary would list thousands of statements under a common term: past the limit an entry says how
    many pages use the term and links to the search for its headword (which finds them); under it, the pages."""
    from urllib.parse import quote

    app.build()
    _no_warnings(app)
    page = (app.outdir / "glossary.html").read_text(encoding="utf-8")
    common = _entry(page, "term-inspection-and-testing")
    assert "tekan-backlink" not in common.replace("tekan-backlinks", "")
    assert "出現於" in common and "2 頁" in common
    links = re.findall(r'<a class="[^"]*tekan-backlinks-search[^"]*" href="([^"]*)">見搜尋結果</a>', common)
    assert links == [f"search.html?q={quote('檢驗檢測')}"], common
    assert (app.outdir / "search.html").is_file()
    listed = [a for a, _ in DT_ID.findall(page) if "tekan-backlink" in _entry(page, a).replace("tekan-backlinks", "")]
    assert listed  # a term used on one page still links to it


@pytest.mark.sphinx("epub", testroot="glossary", freshenv=True, confoverrides={"tekan_glossary_backlinks": 1})
def test_an_epub_past_the_limit_gives_the_number_of_pages_without_a_search(app) -> None:
    app.build()
    _no_warnings(app)
    entry = _entry((app.outdir / "glossary.xhtml").read_text(encoding="utf-8"), "term-inspection-and-testing")
    assert "2 頁" in entry and "search" not in entry and "wang-xiaoming.xhtml" not in entry


@pytest.mark.sphinx("singlehtml", testroot="glossary", freshenv=True)
def test_a_book_in_one_page_has_its_glossarys_backlinks_filled(app) -> None:
    """The placeholders are looked for only on the pages that have them, and in a tree of the whole book."""
    app.build()
    _no_warnings(app)
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    entry = _entry(page, "term-inspection-and-testing")
    assert entry.count("tekan-backlink reference internal") == 2 and 'href="#letter-j"' in page


@pytest.mark.sphinx("html", testroot="glossary", freshenv=True, parallel=2)
def test_a_parallel_build_fills_the_glossarys_backlinks(app) -> None:
    """The pages with placeholders, noted by the workers that read them, are merged into the environment."""
    app.build()
    _no_warnings(app)
    entry = _entry((app.outdir / "glossary.html").read_text(encoding="utf-8"), "term-inspection-and-testing")
    assert entry.count("tekan-backlink reference internal") == 2


def test_a_books_placeholders_are_looked_for_in_its_noted_pages_each_once() -> None:
    """In a book assembled as one tree that records where each page is (the Typst builder's), placeholders are found
    in the pages noted with them only, each once even where one such page includes another; without the record, or
    when the book's own page is noted, in the whole tree."""
    from types import SimpleNamespace

    from docutils import nodes
    from docutils.utils import new_document
    from sphinx import addnodes

    from tekan.sphinxext.glossary import INCLUDED_PAGES, _placeholders, backlinks

    book = new_document("book")
    pages = {name: addnodes.start_of_file(docname=name) for name in ("glossary", "nested", "statement")}
    for name, page in pages.items():
        page += nodes.paragraph("", "", backlinks(term=name))
    pages["glossary"] += pages["nested"]  # the glossary includes a page
    book += [pages["glossary"], pages["statement"]]
    noted = {"glossary": None, "nested": None}
    app = SimpleNamespace(
        builder=SimpleNamespace(name="typst"),
        env=SimpleNamespace(domains={"tekan": SimpleNamespace(placeholders=noted)}),
    )

    def terms(fromdocname: str) -> list[str]:
        return sorted(node["term"] for node in _placeholders(app, book, fromdocname, backlinks))  # type: ignore[arg-type]

    assert terms("index") == ["glossary", "nested", "statement"]  # no record: the whole tree
    setattr(book, INCLUDED_PAGES, pages)
    assert terms("index") == ["glossary", "nested"]  # not the statement's (a page never noted has none)
    noted["index"] = None
    assert terms("index") == ["glossary", "nested", "statement"]  # the book's own page: the whole tree
