"""Canary of the Typst builder's one Sphinx internal (the README's "Third-party internals"): the book is resolved
without the post-transforms that act only on what the PDF never prints, by filtering the component registry's list
while Sphinx resolves it."""

from __future__ import annotations

import importlib
import inspect

import pytest

pytestmark = pytest.mark.sphinx


def test_sphinx_applies_the_post_transforms_its_registry_lists() -> None:
    """``tekan.sphinxext.typst.resolve_book`` filters ``app.registry.post_transforms`` while the environment resolves
    the book: Sphinx must read the list from the registry then (``get_post_transforms``), and each left-out transform
    must still be one Sphinx registers, under its name. Retired by a Sphinx option to leave post-transforms out
    for a builder (to propose), or by each of them declaring the builders or formats it serves."""
    from sphinx.environment import BuildEnvironment
    from sphinx.registry import SphinxComponentRegistry
    from sphinx.transforms.post_transforms import SphinxPostTransform

    from tekan.sphinxext.typst import UNPRINTED_POST_TRANSFORMS

    registry = SphinxComponentRegistry()
    assert registry.get_post_transforms() is registry.post_transforms
    assert "get_post_transforms()" in inspect.getsource(BuildEnvironment.apply_post_transforms)
    for name in UNPRINTED_POST_TRANSFORMS:
        module, _, qualname = name.rpartition(".")
        found = getattr(importlib.import_module(module), qualname)
        assert f"{found.__module__}.{found.__qualname__}" == name
        assert issubclass(found, SphinxPostTransform) or hasattr(found, "apply")


def test_a_reference_left_unresolved_is_its_text_where_it_was() -> None:
    """The translator's first walk of the book puts each reference Sphinx left unresolved (a ``pending_xref``) as its
    children in its place, one inside another too, and walks them there: nothing of the reference is left, its
    text is, in order, and a section it held would still be seen (its label placed)."""
    from docutils import nodes
    from docutils.utils import new_document
    from sphinx import addnodes

    from tekan.sphinxext.typst import TypstTranslator
    from tekan.typesetting import label

    book = new_document("book")
    page = addnodes.start_of_file(docname="page")
    inner = addnodes.pending_xref("", nodes.Text("內"), reftype="term", reftarget="nothing")
    outer = addnodes.pending_xref("", nodes.Text("前"), inner, nodes.Text("後"), reftype="doc", reftarget="none")
    paragraph = nodes.paragraph("", "", nodes.Text("甲"), outer, nodes.Text("乙"))
    note = nodes.footnote("", nodes.paragraph("", "", addnodes.pending_xref("", nodes.Text("注"))), ids=["note-1"])
    section = nodes.section("", nodes.title("", "題"), paragraph, note, ids=["s"])
    page += addnodes.pending_xref("", section)  # (never so in a real book: a section held by a reference)
    book += page
    translator = TypstTranslator.__new__(TypstTranslator)
    translator.footnotes, translator.labels, translator.translation_note = {}, set(), ""
    translator._collect(book)
    assert list(book.findall(addnodes.pending_xref)) == []
    assert paragraph.astext() == "甲前內後乙" and [type(c) for c in paragraph.children] == [nodes.Text] * 5
    assert note.astext() == "注" and translator.footnotes == {"note-1": note}
    assert section.parent is page
    assert translator.labels == {label("page", "s"), label("page")}  # the page's own section: its label too
