"""The glossary page (standard Sphinx glossary, pinyin order), the English index, and backlinks."""

from __future__ import annotations

from collections.abc import Set
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..glossary import initial, pinyin_sort_key
from ..model import Term
from ..rendering import ENGLISH_INDEX_DOC, GLOSSARY_DOC
from .pages import ENV_VERSION, book_of

# --- glossary ----------------------------------------------------------------------------------


class backlinks(nodes.General, nodes.Element):
    """Placeholder for the list of pages that use a term; filled at resolve time."""


def term_anchor(term: Term) -> str:
    """The stable HTML/LaTeX anchor of a glossary entry."""
    return f"term-{term.id}"


def _term_ref(term: Term, text: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "",
        nodes.inline(text, text, classes=["xref", "std", "std-term"]),
        refdomain="std",
        reftype="term",
        reftarget=term.id,
        refexplicit=True,
        refwarn=True,
    )
    return ref


def _headword(term: Term, script: str) -> str:
    return term.hans if script == "hans" else term.hant


LABELS = {
    "hant": {"see": "另見", "source": "譯名依據", "used": "出現於", "note": "用法", "letters": "拼音索引"},
    "hans": {"see": "另见", "source": "译名依据", "used": "出现于", "note": "用法", "letters": "拼音索引"},
}


class GlossaryDirective(SphinxDirective):
    """``tekan-glossary``: the glossary file as a standard Sphinx glossary, in pinyin order with letter headings."""

    def run(self) -> list[nodes.Node]:
        book = book_of(self.env)
        self.env.note_dependency(str(book.glossary.source))
        script = book.script
        labels = LABELS[script]
        std = self.env.domains.standard_domain
        terms = sorted(book.glossary.terms, key=pinyin_sort_key)
        letters: dict[str, list[Term]] = {}
        for term in terms:
            letters.setdefault(initial(term), []).append(term)

        result: list[nodes.Node] = []
        jump = nodes.paragraph(classes=["tekan-letters"])
        for index, letter in enumerate(letters):
            if index:
                jump += nodes.Text(" · ")
            jump += nodes.reference(letter, letter, refid=f"letter-{letter.lower()}", internal=True)
        result.append(jump)
        source, line = self.get_source_info()
        for letter, group in letters.items():
            result.append(nodes.rubric(letter, letter, ids=[f"letter-{letter.lower()}"], classes=["tekan-letter"]))
            glossary = addnodes.glossary(sorted=False)
            dlist = nodes.definition_list(classes=["glossary", "tekan-glossary"])
            glossary += dlist
            for term in group:
                headword = _headword(term, script)
                term_node = make_glossary_term(
                    self.env, [nodes.Text(headword)], letter, source, line, term_anchor(term), self.state.document
                )
                # The ASCII id is also a term name, so pages link with {term}`計量 <metrology>` in either script.
                std.note_object("term", term.id, term_anchor(term), location=term_node)
                term_node += addnodes.index(entries=[("single", f"{term.en}; {headword}", term_anchor(term), "", None)])
                item = nodes.definition_list_item("", term_node, self._definition(term, labels))
                dlist += item
            result.append(glossary)
        return result

    def _definition(self, term: Term, labels: dict[str, str]) -> nodes.definition:
        definition = nodes.definition()
        head = nodes.paragraph(classes=["tekan-term-head"])
        head += nodes.inline(term.pinyin, term.pinyin, classes=["tekan-pinyin", "language-zh-Latn-pinyin"])
        head += nodes.Text(" ")
        english = nodes.strong(term.en, term.en, classes=["tekan-en", "language-en"])
        head += english
        if term.abbr:
            head += nodes.Text(" ")
            head += nodes.inline(term.abbr, f"({term.abbr})", classes=["tekan-abbr", "language-en"])
        definition += head
        zh = term.definition_zh if self.env.config.tekan_script == "hant" else _to_hans(term.definition_zh)
        definition += nodes.paragraph(zh, zh, classes=["tekan-definition-zh"])
        definition += nodes.paragraph(
            term.definition_en, term.definition_en, classes=["tekan-definition-en", "language-en"]
        )
        if term.usage_note:
            note = nodes.paragraph(classes=["tekan-usage"])
            note += nodes.strong(labels["note"], labels["note"])
            note += nodes.Text("：")
            note += nodes.inline(term.usage_note, term.usage_note, classes=["language-en"])
            definition += note
        glossary = book_of(self.env).glossary
        if term.see_also:
            see = nodes.paragraph(classes=["tekan-see-also"])
            see += nodes.strong(labels["see"], labels["see"])
            see += nodes.Text("：")
            for index, ref in enumerate(term.see_also):
                if index:
                    see += nodes.Text("、")
                other = glossary.by_id[ref]
                see += _term_ref(other, _headword(other, self.env.config.tekan_script))
            definition += see
        source = nodes.paragraph(classes=["tekan-source"])
        source += nodes.strong(labels["source"], labels["source"])
        source += nodes.Text("：")
        source += nodes.inline(term.source, term.source, classes=["language-en"])
        definition += source
        used = nodes.paragraph(classes=["tekan-backlinks"])
        used += nodes.strong(labels["used"], labels["used"])
        used += nodes.Text("：")
        used += backlinks(term=term.id)
        definition += used
        return definition


def _to_hans(text: str) -> str:
    from ..scripts import to_hans

    return to_hans(text)


class EnglishIndexDirective(SphinxDirective):
    """``tekan-english-index``: English terms A–Z, each linking to its glossary entry."""

    def run(self) -> list[nodes.Node]:
        book = book_of(self.env)
        self.env.note_dependency(str(book.glossary.source))
        terms = sorted(book.glossary.terms, key=lambda t: (t.en.casefold(), t.id))
        result: list[nodes.Node] = []
        groups: dict[str, list[Term]] = {}
        for term in terms:
            groups.setdefault(term.en[:1].upper(), []).append(term)
        for letter, group in groups.items():
            result.append(nodes.rubric(letter, letter, ids=[f"en-letter-{letter.lower()}"], classes=["tekan-letter"]))
            items = nodes.bullet_list(classes=["tekan-english-index"])
            for term in group:
                paragraph = nodes.paragraph()
                paragraph += nodes.inline(term.en, term.en, classes=["language-en"])
                if term.abbr:
                    paragraph += nodes.inline(term.abbr, f" ({term.abbr})", classes=["language-en"])
                paragraph += nodes.Text(" — ")
                paragraph += _term_ref(term, _headword(term, book.script))
                items += nodes.list_item("", paragraph)
            result.append(items)
        return result


# --- cross-page state: which page uses which term ----------------------------------------------


class TekanDomain(Domain):
    """Records, per document, the glossary terms it links to (for backlinks)."""

    name = "tekan"
    label = "Tekan"
    initial_data: ClassVar[dict[str, Any]] = {"uses": {}}  # docname → (order, anchor, [term ids])
    data_version = ENV_VERSION

    @property
    def uses(self) -> dict[str, tuple[int, str, list[str]]]:
        """docname → (order, anchor of the page title, term ids in order of first use)."""
        uses: dict[str, tuple[int, str, list[str]]] = self.data["uses"]
        return uses

    def clear_doc(self, docname: str) -> None:
        self.uses.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["uses"]:
                self.uses[docname] = otherdata["uses"][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def collect_uses(app: Sphinx, doctree: nodes.document) -> None:
    """Note the glossary terms a page links to, in order of first use."""
    docname = app.env.current_document.docname
    ids = book_of(app.env).glossary.by_id
    used: list[str] = []
    for ref in doctree.findall(addnodes.pending_xref):
        target = ref.get("reftarget", "")
        if ref.get("reftype") == "term" and target in ids and target not in used:
            used.append(target)
    if not used or docname in (GLOSSARY_DOC, ENGLISH_INDEX_DOC):  # the glossary's own pages are not uses
        return
    anchor = ""
    for section in doctree.findall(nodes.section):
        anchor = next(
            (i for i in section["ids"] if not i.startswith("id")), section["ids"][0] if section["ids"] else ""
        )
        break
    order = int(app.env.metadata[docname].get("tekan_number", 10_000))
    app.env.domains["tekan"].uses[docname] = (order, anchor, used)  # type: ignore[attr-defined]


def fill_backlinks(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace each backlinks placeholder with links to the pages that use the term."""
    uses: dict[str, tuple[int, str, list[str]]] = app.env.domains["tekan"].uses  # type: ignore[attr-defined]
    for node in list(doctree.findall(backlinks)):
        pages = sorted((order, doc, anchor) for doc, (order, anchor, terms) in uses.items() if node["term"] in terms)
        replacement: list[nodes.Node] = []
        for index, (_, docname, anchor) in enumerate(pages):
            if index:
                replacement.append(nodes.Text("、"))
            title = app.env.titles[docname].astext() if docname in app.env.titles else docname
            ref = nodes.reference(title, title, internal=True, classes=["tekan-backlink"])
            ref["refuri"] = app.builder.get_relative_uri(fromdocname, docname) + (f"#{anchor}" if anchor else "")
            replacement.append(ref)
        if not replacement:
            replacement.append(nodes.Text("—"))
        node.replace_self(replacement)


def _glossary_needs_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    # Backlinks are filled when the glossary is written, so rewrite it whenever any page was re-read.
    return [GLOSSARY_DOC] if GLOSSARY_DOC in env.found_docs else []


def setup_glossary(app: Sphinx) -> None:
    """The glossary directives, the backlinks domain and its event handlers."""
    app.add_directive("tekan-glossary", GlossaryDirective)
    app.add_directive("tekan-english-index", EnglishIndexDirective)
    app.add_node(backlinks)
    app.add_domain(TekanDomain)
    app.connect("doctree-read", collect_uses)
    app.connect("doctree-resolved", fill_backlinks)
    app.connect("env-updated", _glossary_needs_rewrite)
