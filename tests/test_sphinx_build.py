"""Sphinx builds through sphinx.testing: no warnings, pages, anchors and backlinks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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
    from tekan.searchshards import fold_word, join_entry, shard_of

    search = Path(app.outdir) / "_search"
    assert not (Path(app.outdir) / "searchindex.js").exists()  # the shards replace it
    meta = json.loads((search / "meta.json").read_text(encoding="utf-8"))

    def entry(kind: str, form: str) -> Any:
        return json.loads((search / kind / f"{shard_of(form, meta[kind])}.json").read_text(encoding="utf-8"))[form]

    def pages(word: str) -> list[str]:
        form = fold_word(word, chars_to_hans)
        assert form is not None, word
        head = entry("heads", form)
        text, title = join_entry(head, entry("tails", form) if len(head) > 2 else None)
        return [json.loads((search / "pages" / f"{n}.json").read_text(encoding="utf-8"))["n"] for n in text | title]

    for word in ("計量", "计量", "質量", "認證", "認可", "檢驗", "檢測", "高質", "發展"):
        assert pages(word), word
    assert "statements/zhu-huaiqiu" in pages("計量")
    language_data = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "ChineseStemmer" not in language_data


@pytest.mark.sphinx("html", testroot="book")
def test_the_audit_table_is_one_node_until_its_page_is_resolved(app) -> None:
    """While pages are read and resolved the audit table is its rows as data (no transform walks its cells, and
    its doctree file is small); once resolved it is the table :func:`audit_table` makes of those rows (the EPUB's
    and the PDF's pages), or on the site, after the tables the page's description reads, their HTML."""
    from docutils import nodes

    from tekan.sphinxext.pages import audit_rows, audit_table, audit_table_html

    app.build()
    _no_warnings(app)
    stored = app.env.get_doctree("audit")
    placeholders = list(stored.findall(audit_rows))
    assert placeholders and not list(stored.findall(nodes.table))  # a table by statement
    rows = [placeholder["rows"] for placeholder in placeholders]
    assert sum(len(table) - 1 for table in rows) > 400  # every change of the real book, under a header each
    resolved = app.env.get_and_resolve_doctree("audit", app.builder, tags=app.builder.tags)
    assert not list(resolved.findall(audit_rows))
    tables, raw = list(resolved.findall(nodes.table)), list(resolved.findall(nodes.raw))
    assert len(tables) == 1 and len(tables) + len(raw) == len(rows)  # the first statement has 27 changes
    assert tables[0].pformat() == audit_table(rows[0]).pformat()
    assert [node.astext() for node in raw] == [audit_table_html(table) for table in rows[1:]]
    page = (app.outdir / "audit.html").read_text(encoding="utf-8")
    assert page.count("<tr") == sum(map(len, rows)) and "<td><p><strong>陝西</strong>省市場監管局</p></td>" in page


@pytest.mark.sphinx("html", testroot="book")
def test_the_site_writes_the_audit_tables_as_sphinx_translates_them(app, make_app, monkeypatch) -> None:
    """The audit page written directly is the page Sphinx writes from the tables' nodes, byte for byte; and the
    HTML of a table with every character HTML escapes, empty and missing cells, is the translator's."""
    from docutils import nodes
    from sphinx.util.docutils import new_document

    from tekan.sphinxext.pages import ExpandAuditTables, audit_table, audit_table_html

    app.build()
    direct = (app.outdir / "audit.html").read_text(encoding="utf-8")
    monkeypatch.setattr(ExpandAuditTables, "html_directly", False)
    other = make_app("html", srcdir=app.srcdir, builddir=app.srcdir / "_build_nodes", freshenv=True)
    other.build()
    assert (other.outdir / "audit.html").read_text(encoding="utf-8") == direct
    for rows in (
        [["a", "b", "c"], ["1 & 2", ["<x>", '"@"', "&"], ""], [["", "", ""]], ["x", "y", "z", "dropped"]],
        [["only", "a header"]],
    ):
        document = new_document("audit", other.builder.docsettings)
        table = audit_table(rows)  # wrapped as furo wraps a table (its post-transform, tested above)
        wrapper = nodes.container(classes=["table-wrapper"])
        wrapper.update_all_atts(table)
        document += wrapper
        wrapper += table
        translator = other.builder.create_translator(document, other.builder)
        document.walkabout(translator)
        assert "".join(translator.body) == audit_table_html(rows)


#: The post-transforms that run before the audit tables are expanded (``ExpandAuditTables``, 499): references,
#: ``only`` nodes, images, code, signatures and the LaTeX builder's own. None looks into a table of plain text.
EARLIER_POST_TRANSFORMS = {
    "sphinx.builders.latex.transforms." + name
    for name in (
        "CitationReferenceTransform",
        "MathReferenceTransform",
        "SubstitutionDefinitionsRemover",
        "DocumentTargetTransform",
        "IndexInSectionTitleTransform",
        "LiteralBlockTransform",
        "ShowUrlsTransform",
    )
} | {
    "sphinx.domains.c.AliasTransform",
    "sphinx.domains.cpp.AliasTransform",
    "myst_parser.sphinx_ext.myst_refs.MystReferenceResolver",
    "sphinx.transforms.post_transforms.ReferencesResolver",
    "sphinx.transforms.post_transforms.OnlyNodeTransform",
    "sphinx.transforms.post_transforms.images.ImageDownloader",
    "sphinx.transforms.post_transforms.images.DataURIExtractor",
    "sphinx.transforms.post_transforms.SigElementFallbackTransform",
    "sphinx.transforms.post_transforms.PropagateDescDomain",
    "sphinx.transforms.post_transforms.code.HighlightLanguageTransform",
    "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform",
}


@pytest.mark.sphinx("html", testroot="book")
def test_no_post_transform_that_looks_at_tables_runs_before_the_audit_tables_are_expanded(app) -> None:
    """A new post-transform before ``ExpandAuditTables`` (a Sphinx, MyST or theme upgrade) fails here: check that
    it finds nothing in a table of text, or expand the tables before it."""
    from tekan.sphinxext.pages import ExpandAuditTables

    earlier = {
        f"{transform.__module__}.{transform.__name__}"
        for transform in app.registry.get_post_transforms()
        if transform.default_priority < ExpandAuditTables.default_priority
    }
    assert earlier <= EARLIER_POST_TRANSFORMS, earlier - EARLIER_POST_TRANSFORMS
    assert any(t.default_priority == 500 and t.__module__ == "furo" for t in app.registry.get_post_transforms())
