"""What an EPUB's pages get that the site's do not: pop-up notes, and upright runs in vertical writing.

A glossary term in a statement links (``epub:type="noteref"``) to a short note at the end of its own page
(``<aside epub:type="footnote">``: headword, pinyin, English, definition, and a link to the full glossary
entry); an editor's note (a MyST footnote) gets the same two ``epub:type`` values. Reading systems that
know EPUB 3 notes (Apple Books, Kobo, Thorium, …) show the note over the text; the others show the notes
after the page's text, each with a link back to where it is first used.

In the vertical (直排) edition, short runs of Latin letters and digits in the Chinese text (5G, AI, 30) are set
upright in one em (``text-combine-upright``) and longer numbers (1997) digit by digit, as vertical Chinese
is set; English passages keep lying on their side.

EPUB only: the website keeps its links and tooltips, print its footnotes. The nodes made here exist only in
an EPUB's resolved doctrees, so they need HTML visitors alone (the epub builder writes with the HTML one).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from ..epub import upright_runs
from ..rendering import ENGLISH_INDEX_DOC, GLOSSARY_DOC
from .config import book_of
from .glossary import _TERM_TARGET, english_runs, term_summary

#: The prefix of a term note's id on a page (``tekan-note-quality``) and of the links to it (``tekan-ref-quality-1``).
NOTE_PREFIX = "tekan-note-"
REF_PREFIX = "tekan-ref-"
#: The ``epub:type`` values of EPUB 3 notes (EPUB 3 Structural Semantics Vocabulary) and their ARIA roles (DPUB-ARIA).
NOTEREF: dict[str, Any] = {"epub:type": "noteref", "role": "doc-noteref"}
FOOTNOTE: dict[str, Any] = {"epub:type": "footnote", "role": "doc-footnote"}


class term_noteref(nodes.Inline, nodes.Element):
    """A glossary term in running text, linking to its note on the same page (``refid``)."""


class term_note(nodes.General, nodes.Element):
    """The pop-up note of one glossary term, at the end of the page that uses it."""


class term_notes(nodes.General, nodes.Element):
    """The term notes of a page, after its text (and after its editors' notes)."""


class editor_noteref(nodes.footnote_reference):
    """An editor's note mark (a footnote reference) as an EPUB 3 note reference."""


class editor_note(nodes.footnote):
    """An editor's note (a footnote) as an EPUB 3 footnote."""


def make_popups(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In an EPUB page: glossary terms and editors' notes become note references to pop-up notes."""
    if not app.builder.name.startswith("epub"):
        return
    for mark in list(doctree.findall(nodes.footnote_reference)):
        mark.replace_self(editor_noteref(mark.rawsource, "", *mark.children, **mark.attributes))
    for footnote in list(doctree.findall(nodes.footnote)):
        footnote.replace_self(editor_note(footnote.rawsource, *footnote.children, **footnote.attributes))
    if docname in (GLOSSARY_DOC, ENGLISH_INDEX_DOC):  # the glossary and its index link to its entries
        return
    book = book_of(app.env)
    uses: dict[str, tuple[str, list[str]]] = {}  # term id → its glossary entry, ids of its references here
    for reference in list(doctree.findall(nodes.reference)):
        match = _TERM_TARGET.search(reference.get("refuri", ""))
        if not match or match[1] not in book.glossary.by_id:
            continue
        entry, refs = uses.setdefault(match[1], (reference["refuri"], []))
        refs.append(f"{REF_PREFIX}{match[1]}-{len(refs) + 1}")
        noteref = term_noteref("", *reference.children, ids=[refs[-1]], refid=f"{NOTE_PREFIX}{match[1]}")
        noteref["classes"] = [*reference["classes"], "reference", "internal", "tekan-noteref"]
        reference.replace_self(noteref)
    if not uses:
        return
    labels = book.edition.glossary
    notes = term_notes(classes=["tekan-notes"])
    for term_id, (entry, refs) in uses.items():
        term = book.glossary.by_id[term_id]
        shown = term_summary(book, term)
        note = term_note(ids=[f"{NOTE_PREFIX}{term_id}"], classes=["tekan-note"], backref=refs[0])
        head = nodes.paragraph(classes=["tekan-note-head"])
        if book.edition.translated:  # English headword; the Chinese and its pinyin beside it
            head += nodes.strong(shown["en"], shown["en"])
            head += nodes.Text(" ")
            head += nodes.inline(shown["hw"], shown["hw"], classes=["language-zh-Hant"])
        else:
            head += nodes.strong(shown["hw"], shown["hw"])
        head += nodes.Text(" ")
        head += nodes.inline(shown["py"], shown["py"], classes=["tekan-pinyin", "language-zh-Latn-pinyin"])
        if not book.edition.translated:
            head += nodes.Text(" ")
            head += nodes.inline(shown["en"], shown["en"], classes=["tekan-en", "language-en"])
        if shown["abbr"]:
            head += nodes.inline("", f" ({shown['abbr']})", classes=["language-en"])
        note += head
        # An English definition quotes Chinese: each quoted run tagged, as on the glossary page.
        words = english_runs(shown["def"]) if book.edition.translated else [nodes.Text(shown["def"])]
        note += nodes.paragraph(shown["def"], "", *words, classes=["tekan-note-definition"])
        more = nodes.paragraph(classes=["tekan-note-links"])
        more += nodes.reference(labels.glossary, labels.glossary, refuri=entry, internal=True)
        note += more
        notes += note
    doctree += notes


# --- writing: the HTML translator's output with the EPUB attributes --------------------------------


def visit_term_noteref(self: HTML5Translator, node: term_noteref) -> None:
    self.body.append(self.starttag(node, "a", suffix="", href=f"#{node['refid']}", **NOTEREF))


def depart_term_noteref(self: HTML5Translator, node: term_noteref) -> None:
    self.body.append("</a>")


def visit_term_notes(self: HTML5Translator, node: term_notes) -> None:
    self.body.append(self.starttag(node, "div"))


def depart_term_notes(self: HTML5Translator, node: term_notes) -> None:
    self.body.append("</div>\n")


def visit_term_note(self: HTML5Translator, node: term_note) -> None:
    self.body.append(self.starttag(node, "aside", **FOOTNOTE))


def depart_term_note(self: HTML5Translator, node: term_note) -> None:
    # Back to where the page first uses the term (a reading system without pop-ups shows the note in the flow).
    self.body.append(f'<p class="tekan-note-back"><a role="doc-backlink" href="#{node["backref"]}">↩</a></p>\n')
    self.body.append("</aside>\n")


def visit_editor_noteref(self: HTML5Translator, node: editor_noteref) -> None:
    # Sphinx's footnote reference (a bracketed number) with the EPUB note type.
    classes = ["footnote-reference", self.settings.footnote_references]
    self.body.append(self.starttag(node, "a", suffix="", classes=classes, href=f"#{node['refid']}", **NOTEREF))
    self.body.append('<span class="fn-bracket">[</span>')


def visit_editor_note(self: HTML5Translator, node: editor_note) -> None:
    # docutils' footnote (grouped in an aside.footnote-list) with the EPUB note type.
    style = self.settings.footnote_references
    if not isinstance(node.previous_sibling(), nodes.footnote):
        self.body.append(f'<aside class="footnote-list {style}">\n')
    self.body.append(self.starttag(node, "aside", classes=["footnote", style], **FOOTNOTE))


def upright_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In a vertical EPUB: the Chinese text's short Latin runs and numbers in spans that set them upright."""
    if not app.builder.name.startswith("epub") or app.config.epub_writing_mode != "vertical":
        return
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, (nodes.FixedTextElement, nodes.raw)) or not _in_chinese(parent):
            continue
        runs = upright_runs(text.astext())
        if len(runs) == 1 and not runs[0][1]:
            continue
        parent.replace(
            text,
            [nodes.inline(run, run, classes=[f"tekan-{kind}"]) if kind else nodes.Text(run) for run, kind in runs],
        )


def _in_chinese(element: nodes.Element) -> bool:
    """True when the nearest language tag around ``element`` is Chinese (or there is none: the page's)."""
    node: nodes.Node | None = element
    while isinstance(node, nodes.Element):
        classes: list[str] = node.get("classes", [])
        tags = [c for c in classes if c.startswith("language-")]
        if tags:
            return tags[0] in ("language-zh-Hant", "language-zh-Hans")
        node = node.parent
    return True


def setup_epub_text(app: Sphinx) -> None:
    """Register the note nodes (HTML visitors: only EPUB doctrees hold them) and the EPUB's page changes."""
    app.add_node(term_noteref, html=(visit_term_noteref, depart_term_noteref))
    app.add_node(term_note, html=(visit_term_note, depart_term_note))
    app.add_node(term_notes, html=(visit_term_notes, depart_term_notes))
    app.add_node(editor_noteref, html=(visit_editor_noteref, HTML5Translator.depart_footnote_reference))
    app.add_node(editor_note, html=(visit_editor_note, HTML5Translator.depart_footnote))
    app.connect("doctree-resolved", make_popups)
    app.connect("doctree-resolved", upright_text)
