"""Reading the pages: one Markdown parser for pages whose MyST settings differ only in their front matter's
``html_meta``, Sphinx's node-walking transforms replaced by ones that look first and do the same, and no debug
records made that no handler writes (``tekan.sphinxext.reading``)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx.builders.latex.transforms import FootnoteDocnameUpdater
from sphinx.transforms.i18n import RemoveTranslatableInline, TranslationProgressTotaliser
from sphinx.transforms.references import SphinxDanglingReferences

from tekan.sphinxext import reading

pytestmark = pytest.mark.sphinx


@pytest.mark.sphinx("html", testroot="book", freshenv=True)  # every page read, whatever ran before
def test_pages_share_a_parser_and_keep_their_own_description(app) -> None:  # type: ignore[no-untyped-def]
    """Each statement page's description (its front matter's ``html_meta``) is its own, though one parser read
    them all: a parser given its first page's settings would repeat that page's description on every page."""
    created: list[Any] = []
    original = reading._ORIGINAL_CREATE

    def counted(config: Any, renderer: Any) -> Any:
        created.append(config)
        return original(config, renderer)

    reading._PARSERS.clear()
    reading._ORIGINAL_CREATE = counted
    try:
        app.build()
    finally:
        reading._ORIGINAL_CREATE = original
    assert app.warning.getvalue().strip() == ""
    assert len(created) == 1, "one parser for the whole book"
    pages = sorted((Path(app.outdir) / "statements").glob("*.html"))
    descriptions = {
        page.name: re.search(r'<meta content="([^"]*)" name="description"', page.read_text(encoding="utf-8"))
        for page in pages
    }
    assert len(pages) >= 16 and all(descriptions.values())
    assert len({found.group(1) for found in descriptions.values() if found}) == len(pages)
    # Each page's description is the start of its own first paragraph (tekan.rendering writes it from it).
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = descriptions[page.name]
        article = re.sub(r"<[^>]+>", "", text.split("<article", 1)[1])
        assert found and found.group(1)[:20] in article


def test_a_configuration_that_differs_in_more_than_html_meta_gets_its_own_parser() -> None:
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    from myst_parser.parsers.mdit import create_md_parser

    reading._ORIGINAL_CREATE = reading._ORIGINAL_CREATE or create_md_parser
    reading._PARSERS.clear()
    plain = MdParserConfig()
    first = reading.create_md_parser(plain, SphinxRenderer)
    with_meta = MdParserConfig(html_meta={"description": "x"})
    assert reading.create_md_parser(with_meta, SphinxRenderer) is first
    assert first.options["myst_config"] is with_meta
    dollars = MdParserConfig(enable_extensions={"dollarmath"})
    other = reading.create_md_parser(dollars, SphinxRenderer)
    assert other is not first and other.options["myst_config"] is dollars
    assert "math_inline" in other.inline.ruler.get_active_rules()
    assert "math_inline" not in first.inline.ruler.get_active_rules()
    assert reading.create_md_parser(MdParserConfig(), SphinxRenderer) is first


# --- the quick transforms do what Sphinx's do ---------------------------------------------------------------


def _page(app: Any, *children: nodes.Node) -> nodes.document:
    settings = get_default_settings(Parser)
    settings.env = app.env
    settings.report_level = 2
    document = new_document("page.md", settings=settings)
    section = nodes.section(ids=["s"], names=["s"])
    section += nodes.title("", "標題")
    section.extend(children)
    document += section
    return document


def _pages(app: Any) -> dict[str, nodes.document]:
    """One page per case: nothing the four transforms look for, then each thing they look for."""
    target = nodes.target("", "", ids=["label"], names=["label"])
    unused_target = nodes.target("", "", ids=["unused"], names=["unused"])
    footnote = nodes.footnote("", nodes.label("", "1"), nodes.paragraph("", "注"), ids=["f1"], names=["1"])
    footnote_reference = nodes.footnote_reference("[1]", "1", refid="f1")
    by_name = nodes.reference("", "到", refname="label")
    unknown_name = nodes.reference("", "無", refname="nowhere")
    translated = nodes.paragraph("", "譯", translated=True)
    untranslated = nodes.paragraph("", "原", translated=False)
    translatable = nodes.paragraph("", "", nodes.inline("", "留", nodes.strong("", "粗"), translatable=True))
    return {
        "plain": _page(app, nodes.paragraph("", "文字"), unused_target),
        "footnotes": _page(app, nodes.paragraph("", "文", footnote_reference), footnote),
        "reference by name": _page(app, target, nodes.paragraph("", "", by_name)),
        "unknown name": _page(app, nodes.paragraph("", "", unknown_name)),
        "translated": _page(app, translated, untranslated),
        "translatable inline": _page(app, translatable),
    }


def _state(document: nodes.document) -> tuple[str, Any, list[str]]:
    messages = [f"{m['level']}: {m.astext()}" for m in document.transform_messages]
    return document.pformat(), document.get("translation_progress"), messages


@pytest.mark.sphinx("html", testroot="book")
@pytest.mark.parametrize(
    "original",
    [TranslationProgressTotaliser, RemoveTranslatableInline, FootnoteDocnameUpdater, SphinxDanglingReferences],
    ids=lambda cls: cls.__name__,
)
def test_each_quick_transform_leaves_every_page_as_sphinxs_does(app, original: type) -> None:  # type: ignore[no-untyped-def]
    quick = reading.QUICK_TRANSFORMS[original]
    app.env.current_document.docname = "page"
    changed = 0
    for (case, theirs), ours in zip(_pages(app).items(), _pages(app).values(), strict=True):
        before = theirs.pformat()
        for document, transform in ((theirs, original), (ours, quick)):
            document.reporter.attach_observer(document.note_transform_message)
            transform(document).apply()
        assert _state(ours) == _state(theirs), case
        changed += _state(theirs) != (before, None, [])
    assert changed, "the cases change something for this transform"


@pytest.mark.sphinx("html", testroot="book")
def test_a_page_without_what_they_look_for_takes_the_quick_path(app) -> None:  # type: ignore[no-untyped-def]
    """The quick transforms' own paths (nothing found) are taken for the plain page: no walk of Sphinx's."""
    app.env.current_document.docname = "page"
    page = _pages(app)["plain"]
    assert not reading.holds(page, reading._translated)
    assert not reading.holds(page, reading._translatable_inline)
    assert not reading.holds(page, reading._footnote)
    assert not reading.holds(page, reading._by_name)
    assert reading.holds(_pages(app)["reference by name"], reading._by_name)


@pytest.mark.sphinx("html", testroot="book")
def test_sphinx_reads_pages_with_the_quick_transforms(app) -> None:  # type: ignore[no-untyped-def]
    transforms = app.registry.get_transforms()
    for original, quick in reading.QUICK_TRANSFORMS.items():
        assert quick in transforms and original not in transforms


# --- logging --------------------------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="book")
def test_no_record_is_made_that_no_handler_writes_and_warnings_still_are(app) -> None:  # type: ignore[no-untyped-def]
    from sphinx.util import logging as sphinx_logging

    logger = logging.getLogger(sphinx_logging.NAMESPACE)
    # Sphinx's own handlers at verbosity 0: info, warnings, the last messages kept for a crash report (pytest's
    # capture handlers, added after the application was made, are left out).
    sphinx_handlers = [h for h in logger.handlers if type(h).__module__.startswith(("sphinx", "logging"))]
    assert logger.level == min(handler.level for handler in sphinx_handlers) == logging.INFO
    assert not logger.isEnabledFor(logging.DEBUG)
    sphinx_logging.getLogger("tekan.test").warning("a warning", type="tekan", subtype="test")
    assert "a warning" in app.warning.getvalue()


# --- walks --------------------------------------------------------------------------------------------------


def _tree() -> nodes.document:
    settings = get_default_settings(Parser)
    document = new_document("page.md", settings=settings)
    for number in range(3):
        section = nodes.section(ids=[f"s{number}"])
        section += nodes.title("", f"標題{number}")
        for inner in range(3):
            paragraph = nodes.paragraph("", f"文{number}{inner}")
            paragraph += nodes.reference("", "", nodes.inline("", "連"), refuri="x")
            paragraph += nodes.emphasis("", "", nodes.strong("", "粗"))
            section += paragraph
        section += nodes.bullet_list("", nodes.list_item("", nodes.paragraph("", "項")), nodes.list_item())
        document += section
    return document


def _replace(node: nodes.Node) -> None:
    if isinstance(node, nodes.Element):
        node.replace_self(nodes.emphasis("", "新", nodes.strong("", "換")))


def _remove_next_sibling(node: nodes.Node) -> None:
    following = node.parent.index(node) + 1 if node.parent else 0
    if node.parent and following < len(node.parent):
        node.parent.remove(node.parent[following])


def _append_child(node: nodes.Node) -> None:
    if isinstance(node, nodes.Element) and len(node) < 3:
        node += nodes.strong("", "加")


def _empty(node: nodes.Node) -> None:
    if isinstance(node, nodes.Element):
        node.children = [nodes.Text("空")]


def _insert_sibling(node: nodes.Node) -> None:
    if node.parent:
        node.parent.insert(node.parent.index(node) + 1, nodes.emphasis("", "旁", nodes.strong("", "加")))


@pytest.mark.parametrize("change", [None, _replace, _remove_next_sibling, _append_child, _empty, _insert_sibling])
@pytest.mark.parametrize("condition", [None, nodes.Element, nodes.strong, nodes.paragraph, nodes.Text, nodes.document])
def test_the_walks_meet_the_nodes_docutils_meets_even_as_the_tree_changes(condition: Any, change: Any) -> None:
    """One generator for the whole walk meets the same nodes in the same order as docutils' nested generators, on
    a tree changed at each node it yields (replaced, its next sibling removed, a child added, its children
    replaced, a sibling inserted: what transforms do while they walk)."""
    fast, superfast = reading.DOCUTILS_WALKS
    assert fast is not reading.fast_findall and superfast is not reading.superfast_findall
    traces = []
    for walk in ((fast, superfast), (reading.fast_findall, reading.superfast_findall)):
        tree, met = _tree(), []
        found = walk[1](tree) if condition is None else walk[0](tree, condition)
        for count, node in enumerate(found):
            met.append(f"{type(node).__name__}:{node.astext()[:4]}")
            if change is not None and count % 3 == 1 and not isinstance(node, nodes.document):
                change(node)
            if count == 300:  # a change that adds what the walk meets next never ends: compare the first 300
                break
        traces.append((met, tree.pformat()))
    assert traces[0] == traces[1]
    assert len(traces[0][0]) > (0 if condition is nodes.document else 1)


@pytest.mark.sphinx("html", testroot="book")
def test_sphinx_walks_pages_without_nested_generators(app) -> None:  # type: ignore[no-untyped-def]
    assert nodes.Node._fast_findall is reading.fast_findall
    assert nodes.Node._superfast_findall is reading.superfast_findall
    page = _tree()
    assert list(page.findall(nodes.strong)) == list(reading.DOCUTILS_WALKS[0](page, nodes.strong))
    assert list(page.findall()) == list(reading.DOCUTILS_WALKS[1](page))
