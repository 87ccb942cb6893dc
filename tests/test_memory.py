"""A build keeps no page's doctree alive between reading and writing (but the PDF's, which writes them all as one
tree), and puts the collector back as it found it."""

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


@pytest.mark.sphinx("typst", testroot="minimal", freshenv=True)
def test_the_pdf_is_written_from_the_doctrees_kept_since_reading(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Typst builder writes the whole book as one tree: it keeps every page's doctree from reading and takes each
    from that cache, unpickling none; the book's source is the same as one assembled from the doctree files."""
    from sphinx.environment import BuildEnvironment

    unpickled: list[str] = []
    get_doctree = BuildEnvironment.get_doctree

    def recording(env: Any, docname: str) -> Any:
        unpickled.append(docname)
        return get_doctree(env, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", recording)  # (on the class: the environment is pickled)
    app.build()
    assert app.warning.getvalue().strip() == ""
    assert unpickled == []  # every page was taken from the doctrees read
    assert app.env._write_doc_doctree_cache == {}  # and taken out: none is kept after the book is written
    kept = (app.outdir / "tekan.typ").read_text(encoding="utf-8")
    assert "王小明" in kept
    (app.outdir / "tekan.typ").unlink()
    app.builder.write_documents({"index"})  # the book again, now that no doctree is kept: every page from its file
    assert "statements/wang-xiaoming" in unpickled and "index" in unpickled
    assert (app.outdir / "tekan.typ").read_text(encoding="utf-8") == kept
    assert gc.get_threshold()[0] < BUILD_GC_THRESHOLD
