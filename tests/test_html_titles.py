"""The related pages' titles are rendered once per build, to the HTML Sphinx renders for them."""

from __future__ import annotations

from typing import Any

import pytest
from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder

pytestmark = pytest.mark.sphinx


@pytest.mark.sphinx("html", testroot="book", freshenv=True)
def test_each_title_is_rendered_once_as_sphinx_renders_it(app: Any, make_app: Any) -> None:
    srcdir = app.srcdir
    app.cleanup()
    calls: list[nodes.Node] = []

    def counted(self: StandaloneHTMLBuilder, node: Any) -> dict[str, str]:
        calls.append(node)
        return original(self, node)

    original = StandaloneHTMLBuilder.render_partial
    StandaloneHTMLBuilder.render_partial = counted  # type: ignore[method-assign]  # counting Sphinx's own
    try:
        app = make_app("html", srcdir=srcdir, freshenv=True)
        app.build()
    finally:
        StandaloneHTMLBuilder.render_partial = original  # type: ignore[method-assign]
    assert app.warning.getvalue().strip() == ""
    rendered = app.builder.render_partial.tekan_titles
    titles = [node for node in calls if isinstance(node, nodes.title)]
    assert rendered and len(titles) == len(rendered) == len({id(node) for node in titles})
    for node, parts in rendered.values():
        assert parts == original(app.builder, node.deepcopy())
    # A title is rendered as every page's "next", "previous" or "parent" from the one rendering.
    page = (app.outdir / "statements" / "han-yongsheng.html").read_text(encoding="utf-8")
    assert any(parts["title"] in page for _, parts in rendered.values())
