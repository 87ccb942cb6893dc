"""A build keeps no page's doctree alive between reading and writing, and puts the collector back as it found it."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from tekan.sphinxext.memory import BUILD_GC_THRESHOLD

pytestmark = pytest.mark.sphinx


@pytest.mark.sphinx("html", testroot="minimal", freshenv=True)
def test_doctrees_are_read_back_from_their_files_and_forgotten(app: Any) -> None:
    # The caches this relies on are Sphinx's private attributes: this fails when Sphinx renames them.
    assert isinstance(app.env._write_doc_doctree_cache, dict)
    assert isinstance(app.env._pickled_doctree_cache, dict)
    seen: list[tuple[str, int, bool, int]] = []

    def writing(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
        if doctree is not None:
            cached = app.env._pickled_doctree_cache
            seen.append((pagename, len(app.env._write_doc_doctree_cache), pagename in cached, gc.get_threshold()[0]))

    app.connect("html-page-context", writing)
    app.build()
    assert app.warning.getvalue().strip() == ""
    pages = [page for page, *_ in seen]
    assert "statements/wang-xiaoming" in pages and "glossary" in pages
    # While pages are written: no doctree kept from reading, none kept from its file, fewer collections.
    assert {(alive, kept, threshold) for _, alive, kept, threshold in seen} == {(0, False, BUILD_GC_THRESHOLD)}
    assert gc.get_threshold()[0] < BUILD_GC_THRESHOLD  # Python's own again once the build is over
    html = (app.outdir / "statements" / "wang-xiaoming.html").read_text(encoding="utf-8")
    assert "王小明" in html and 'href="../glossary.html#term-metrology"' in html
