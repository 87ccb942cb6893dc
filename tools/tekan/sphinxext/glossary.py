"""The glossary page (standard Sphinx glossary, pinyin order), the English index, and backlinks."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Set
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..book import Book
from ..editions import Edition, GlossaryWords
from ..export import to_csv, to_tbx
from ..files import write_if_changed
from ..glossary import initial, pinyin_sort_key, shown_aliases
from ..glossaryfields import GlossaryField, Value, shown, signature
from ..languages import chinese_runs
from ..memo import code_digest
from ..model import Term
from ..rendering import ENGLISH_INDEX_DOC, GLOSSARY_DOC
from ..translated import PARALLEL_DIR
from .config import ENV_VERSION, book_of, edition_of

logger = logging.getLogger(__name__)

# --- glossary ----------------------------------------------------------------------------------


class backlinks(nodes.General, nodes.Element):
    """Placeholder for the list of pages that use a term; filled at resolve time."""


def term_anchor(term: Term) -> str:
    """The stable HTML/LaTeX anchor of a glossary entry."""
    return f"term-{term.id}"


def term_reference(term: Term, text: str) -> addnodes.pending_xref:
    """A ``{term}`` reference to ``term`` showing ``text`` (as a MyST role would make it)."""
    return _term_ref(term, text)


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


def _headword(term: Term, edition: Edition) -> str:
    return edition.headword(term.hant, term.hans)


#: Files the HTML site gets beside its pages (under ``_static/``), written at the end of an HTML build.
CSV_FILE = "tekan-glossary.csv"
TBX_FILE = "tekan-glossary.tbx"
TOOLTIP_SCRIPT = "tekan-terms.js"  # the tooltip behaviour (sphinxext/theme/static)
#: The id of the element that carries a page's tooltip data (the terms that page links to), in its head.
TOOLTIP_DATA_ID = "tekan-terms-data"
#: What earlier versions wrote: one data file of every term, asked for by every page (removed when found).
_OLD_TERMS_SCRIPT = "tekan-terms-data.js"
#: The target of a resolved link to a glossary entry: ``glossary.html#term-ID`` (or ``term-ID`` on the glossary).
_TERM_TARGET = re.compile(r"(?:^|#)term-([a-z0-9-]+)$")
#: Characters that could end or confuse a ``<script>`` element, escaped inside its JSON.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class html_only(nodes.General, nodes.Element):
    """Content for HTML and EPUB only (letter jump bars): unwrapped there, dropped in print."""


class downloads(nodes.General, nodes.Element):
    """Placeholder for the links to the CSV and TBX exports: the website only (EPUB and PDF have no such files)."""


def is_site(builder: Any) -> bool:
    """True for the builders of the website (html, dirhtml, singlehtml), not for EPUB, which has html format too."""
    return bool(builder.format == "html" and not builder.name.startswith("epub"))


def _jump_bar(letters: list[str], prefix: str) -> html_only:
    bar = nodes.paragraph(classes=["tekan-letters"])
    for index, letter in enumerate(letters):
        if index:
            bar += nodes.Text(" · ")
        bar += nodes.reference(letter, letter, refid=f"{prefix}{_slug(letter)}", internal=True)
    return html_only("", bar)


def _slug(letter: str) -> str:
    return "0-9" if letter == "0–9" else letter.lower()


class GlossaryDirective(SphinxDirective):
    """``tekan-glossary``: the glossary file as a standard Sphinx glossary, in pinyin order with letter headings."""

    def run(self) -> list[nodes.Node]:
        book = book_of(self.env)
        self.env.note_dependency(str(book.glossary.source))
        note_placeholders(self.env)
        edition = book.edition
        labels = edition.glossary
        std = self.env.domains.standard_domain
        letters: dict[str, list[Term]] = {}
        if edition.translated:  # the English edition: English order, the English term as the headword
            for term in sorted(book.glossary.terms, key=lambda t: (english_sort_key(t.en), t.en, t.id)):
                letters.setdefault(english_group(term.en), []).append(term)
        else:
            for term in sorted(book.glossary.terms, key=pinyin_sort_key):
                letters.setdefault(initial(term), []).append(term)

        result: list[nodes.Node] = [downloads(), _jump_bar(list(letters), "letter-")]
        source, line = self.get_source_info()
        for letter, group in letters.items():
            result.append(nodes.rubric(letter, letter, ids=[f"letter-{_slug(letter)}"], classes=["tekan-letter"]))
            glossary = addnodes.glossary(sorted=False)
            dlist = nodes.definition_list(classes=["glossary", "tekan-glossary"])
            glossary += dlist
            for term in group:
                headword = term.en if edition.translated else _headword(term, edition)
                term_node = make_glossary_term(
                    self.env, [nodes.Text(headword)], letter, source, line, term_anchor(term), self.state.document
                )
                # The ASCII id is also a term name, so pages link with {term}`計量 <metrology>` in either script.
                if term.id != headword.lower():  # an English headword may be the id itself ("metrology")
                    std.note_object("term", term.id, term_anchor(term), location=term_node)
                term_node += addnodes.index(entries=[("single", f"{term.en}; {headword}", term_anchor(term), "", None)])
                definition = self._translated(term, labels) if edition.translated else self._definition(term, labels)
                item = nodes.definition_list_item("", term_node, definition)
                dlist += item
            result.append(glossary)
        return result

    def _translated(self, term: Term, labels: GlossaryWords) -> nodes.definition:
        return _translated_definition(self, term, labels)

    def _definition(self, term: Term, labels: GlossaryWords) -> nodes.definition:
        edition = edition_of(self.env)
        definition = nodes.definition()
        head = nodes.paragraph(classes=["tekan-term-head"])
        head += nodes.inline(term.pinyin, term.pinyin, classes=["tekan-pinyin", "language-zh-Latn-pinyin"])
        head += nodes.Text(" ")
        english = nodes.strong(term.en, term.en, classes=["tekan-en", "language-en"])
        head += english
        if term.abbr:
            head += nodes.Text(" ")
            head += nodes.inline(term.abbr, f"({term.abbr})", classes=["tekan-abbr", "language-en"])
        head += _inline_fields(term, edition)  # after the abbreviation, as in the English edition
        if term.en_note:  # what the English term means: beside it, never part of it (ISO 10241-1)
            head += nodes.Text(" ")
            note_text = f"({term.en_note})"
            runs = english_runs(note_text, edition)
            head += nodes.inline(note_text, "", *runs, classes=["tekan-en-note", "language-en"])
        # The headword in the other Chinese script, tagged so it gets that script's glyphs.
        other, other_tag = edition.other_headword(term.hant, term.hans)
        if other != _headword(term, edition):
            other_tag = f"language-{other_tag}"
            head += nodes.Text(" ")
            head += nodes.inline("", f"{labels.other_script} ", classes=["tekan-script-label"])
            head += nodes.inline(other, other, classes=["tekan-other-script", other_tag])
        definition += head
        words = edition.pages
        shown = shown_aliases(term, edition)
        if shown:
            line = nodes.paragraph(classes=["tekan-aliases"])
            line += nodes.strong(labels.aliases, labels.aliases)
            line += nodes.Text(words.colon + words.separator.join(shown))
            definition += line
        zh = edition.in_script(term.definition_zh)
        definition += nodes.paragraph(zh, zh, classes=["tekan-definition-zh"])
        definition += nodes.paragraph(
            term.definition_en,
            "",
            *english_runs(term.definition_en, edition),
            classes=["tekan-definition-en", "language-en"],
        )
        definition += _field_paragraphs(term, edition)  # the usage note and every other declared field
        glossary = book_of(self.env).glossary
        if term.see_also:
            see = nodes.paragraph(classes=["tekan-see-also"])
            see += nodes.strong(labels.see, labels.see)
            see += nodes.Text(words.colon)
            for index, ref in enumerate(term.see_also):
                if index:
                    see += nodes.Text(words.separator)
                other_term = glossary.by_id[ref]
                see += _term_ref(other_term, _headword(other_term, edition))
            definition += see
        definition += _field_paragraphs(term, edition, "end")  # the source and every declared field placed last
        if not term.reference:  # a reference entry is looked up, never linked: no statement uses it
            used = nodes.paragraph(classes=["tekan-backlinks"])
            used += nodes.strong(labels.used, labels.used)
            used += nodes.Text(words.colon)
            used += backlinks(term=term.id)
            definition += used
        return definition


def _in_edition_language(chinese: str, english: str, edition: Edition) -> nodes.inline:
    """A usage note or source line of a Chinese edition: its Chinese text in the edition's script (the English
    names and terms it quotes tagged ``en``), or the English text when the entry has no Chinese one."""
    if not chinese:
        return nodes.inline(english, "", *english_runs(english, edition), classes=["language-en"])
    text = edition.in_script(chinese)
    runs = [
        nodes.inline(run, run, classes=["language-en"])
        if not is_chinese and re.search("[A-Za-z]", run)
        else nodes.Text(run)
        for run, is_chinese in chinese_runs(text)
    ]
    return nodes.inline(text, "", *runs)


def english_runs(text: str, edition: Edition | None = None) -> list[nodes.Node]:
    """English text of the glossary file, its quoted Chinese tagged with its language: in a Chinese edition
    converted to the edition's script (第三方检测机构 in the Simplified one); elsewhere Traditional, as the
    file writes it."""
    chinese_edition = edition is not None and not edition.translated
    tag = edition.tag if edition is not None and chinese_edition else "zh-Hant"
    runs: list[nodes.Node] = []
    for run, chinese in chinese_runs(text):
        if not chinese:
            runs.append(nodes.Text(run))
            continue
        shown = edition.in_script(run) if edition is not None and chinese_edition else run
        runs.append(nodes.inline(shown, shown, classes=[f"language-{tag}"]))
    return runs


def _translated_definition(directive: GlossaryDirective, term: Term, labels: GlossaryWords) -> nodes.definition:
    """An entry of the English edition's glossary: Chinese headwords and pinyin, English then Chinese definition."""
    glossary = book_of(directive.env).glossary
    edition = edition_of(directive.env)
    definition = nodes.definition()
    head = nodes.paragraph(classes=["tekan-term-head"])
    head += nodes.inline(term.hant, term.hant, classes=["tekan-zh", "language-zh-Hant"])
    if term.hans != term.hant:
        head += nodes.Text(" ")
        head += nodes.inline("", f"{labels.other_script} ", classes=["tekan-script-label"])
        head += nodes.inline(term.hans, term.hans, classes=["tekan-other-script", "language-zh-Hans"])
    head += nodes.Text(" ")
    head += nodes.inline(term.pinyin, term.pinyin, classes=["tekan-pinyin", "language-zh-Latn-pinyin"])
    if term.abbr:
        head += nodes.inline(term.abbr, f" ({term.abbr})", classes=["tekan-abbr"])
    head += _inline_fields(term, edition)
    definition += head

    def labelled(label: str, classes: list[str]) -> nodes.paragraph:
        line = nodes.paragraph(classes=classes)
        line += nodes.strong(label, label)
        line += nodes.Text(": ")
        return line

    if term.aliases:
        line = labelled(labels.aliases, ["tekan-aliases"])
        line += nodes.inline("", "、".join(term.aliases), classes=["language-zh-Hant"])
        definition += line
    if term.en_note:  # what the English headword means, kept out of the headword itself (ISO 10241-1)
        definition += nodes.paragraph(term.en_note, "", *english_runs(term.en_note), classes=["tekan-en-note"])
    definition += nodes.paragraph(
        term.definition_en, "", *english_runs(term.definition_en), classes=["tekan-definition-en"]
    )
    definition += nodes.paragraph(
        term.definition_zh, term.definition_zh, classes=["tekan-definition-zh", "language-zh-Hant"]
    )
    definition += _field_paragraphs(term, edition)  # the usage note and every other declared field
    if term.see_also:
        line = labelled(labels.see, ["tekan-see-also"])
        for index, ref in enumerate(term.see_also):
            if index:
                line += nodes.Text(", ")
            other = glossary.by_id[ref]
            line += _term_ref(other, other.en)
        definition += line
    definition += _field_paragraphs(term, edition, "end")  # the source and every declared field placed last
    if not term.reference:  # a reference entry is looked up, never linked: no statement uses it
        line = labelled(labels.used, ["tekan-backlinks"])
        line += backlinks(term=term.id)
        definition += line
    return definition


def _field_value(term: Term, field: GlossaryField, value: Value, edition: Edition) -> list[nodes.Node]:
    """A declared field's value as an entry shows it in ``edition``: English text tagged ``en`` (or its Chinese
    companion in a Chinese edition), Chinese text in the edition's script (tagged in a translated edition),
    a code untagged; a list's items joined as the edition joins a run-in list."""
    if isinstance(value, bool):
        return []  # a flag: its label alone says it
    if isinstance(value, int):
        return [nodes.Text(str(value))]
    if isinstance(value, tuple):
        nodes_: list[nodes.Node] = []
        for index, item in enumerate(value):
            if index:
                nodes_.append(nodes.Text(edition.pages.separator))
            nodes_ += _field_value(term, field, item, edition)
        return nodes_
    if field.language == "en":
        chinese = term.value(field.chinese) if field.chinese and not edition.translated else ""
        if isinstance(chinese, str) and chinese:
            return [_in_edition_language(chinese, value, edition)]
        if edition.translated:  # the page's own language
            return english_runs(value)
        return [_in_edition_language("", value, edition)]
    if field.language == "zh":
        if edition.translated:
            return [nodes.inline(value, value, classes=["language-zh-Hant"])]
        text = edition.in_script(value)
        return [nodes.inline(text, text)]
    return [nodes.inline(value, value)]


def _field_classes(field: GlossaryField) -> list[str]:
    return [field.css] if field.css else ["tekan-field", f"tekan-field-{field.key.replace('_', '-')}"]


def _inline_fields(term: Term, edition: Edition) -> list[nodes.Node]:
    """The declared fields shown on an entry's head line, each in brackets after what precedes it."""
    found: list[nodes.Node] = []
    for field in shown("inline"):
        value = term.value(field.key)
        if value in (None, "", (), False):
            continue
        label = field.label_in(edition)
        parts: list[nodes.Node] = [nodes.Text(f" ({label}{edition.pages.colon}" if label else " (")]
        parts += _field_value(term, field, value, edition)
        parts.append(nodes.Text(")"))
        found.append(nodes.inline("", "", *parts, classes=_field_classes(field)))
    return found


def _field_paragraphs(term: Term, edition: Edition, place: str = "body") -> list[nodes.Node]:
    """The declared fields an entry shows as labelled paragraphs at ``place``, in declared order."""
    found: list[nodes.Node] = []
    for field in shown("labelled", place):
        value = term.value(field.key)
        if value in (None, "", (), False):
            continue
        label = field.label_in(edition)
        line = nodes.paragraph(classes=_field_classes(field))
        line += nodes.strong(label, label)
        if value is not True:
            line += nodes.Text(edition.pages.colon)
            line.extend(_field_value(term, field, value, edition))
        found.append(line)
    return found


def english_sort_key(text: str) -> str:
    """English index order: case-insensitive, ignoring a leading article and opening quotes or brackets."""
    key = text.casefold().lstrip("'\"‘“(")
    for article in ("the ", "a ", "an "):
        if key.startswith(article):
            return key[len(article) :]
    return key


def english_group(text: str) -> str:
    """The heading an English index entry is filed under: its first letter, or 0–9."""
    first = english_sort_key(text)[:1]
    return first.upper() if first.isalpha() else "0–9"


class EnglishIndexDirective(SphinxDirective):
    """``tekan-english-index``: English terms and abbreviations A–Z, each linking to its glossary entry."""

    def run(self) -> list[nodes.Node]:
        note_placeholders(self.env)
        book = book_of(self.env)
        self.env.note_dependency(str(book.glossary.source))
        entries = [(term.en, term, False) for term in book.glossary.terms]
        entries += [(term.abbr, term, True) for term in book.glossary.terms if term.abbr]
        entries.sort(key=lambda e: (english_sort_key(e[0]), e[0], e[1].id))
        groups: dict[str, list[tuple[str, Term, bool]]] = {}
        for entry in entries:
            groups.setdefault(english_group(entry[0]), []).append(entry)
        result: list[nodes.Node] = [_jump_bar(list(groups), "en-letter-")]
        for letter, group in groups.items():
            result.append(nodes.rubric(letter, letter, ids=[f"en-letter-{_slug(letter)}"], classes=["tekan-letter"]))
            items = nodes.bullet_list(classes=["tekan-english-index"])
            for text, term, is_abbr in group:
                paragraph = nodes.paragraph()
                paragraph += nodes.inline(text, text, classes=["tekan-en", "language-en"])
                if is_abbr:
                    paragraph += nodes.inline("", f" → {term.en}", classes=["language-en"])
                elif term.abbr:
                    paragraph += nodes.inline("", f" ({term.abbr})", classes=["language-en"])
                paragraph += nodes.Text(" — ")
                paragraph += _term_ref(term, _headword(term, book.edition))
                paragraph += nodes.Text(" ")
                paragraph += nodes.inline(term.pinyin, term.pinyin, classes=["tekan-pinyin", "language-zh-Latn-pinyin"])
                items += nodes.list_item("", paragraph)
            result.append(items)
        return result


# --- cross-page state: which page uses which term ----------------------------------------------


#: An entry of a page's index as the search index keeps it: (text, target id, "main" or "").
IndexEntry = tuple[str, str, str]


class TekanDomain(Domain):
    """Records, per document, the glossary terms it links to (for backlinks) and its index entries (for search)."""

    name = "tekan"
    label = "Tekan"
    initial_data: ClassVar[dict[str, Any]] = {"uses": {}, "index_entries": {}, "placeholders": {}}
    data_version = ENV_VERSION

    @property
    def uses(self) -> dict[str, tuple[int, str, list[str]]]:
        """docname → (order, anchor of the page title, term ids in order of first use)."""
        uses: dict[str, tuple[int, str, list[str]]] = self.data["uses"]
        return uses

    @property
    def index_entries(self) -> dict[str, list[IndexEntry]]:
        """docname → its index entries, for the pages that have any (the glossary: one per term)."""
        entries: dict[str, list[IndexEntry]] = self.data["index_entries"]
        return entries

    @property
    def placeholders(self) -> dict[str, None]:
        """The pages with placeholders filled when they are written (backlinks, jump bars, downloads): the glossary
        and the English index. Every other page is written without looking for them (a walk of its whole tree)."""
        pages: dict[str, None] = self.data["placeholders"]
        return pages

    def clear_doc(self, docname: str) -> None:
        self.uses.pop(docname, None)
        self.index_entries.pop(docname, None)
        self.placeholders.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in ("uses", "index_entries", "placeholders"):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

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
    # The glossary's own pages are not uses, nor the parallel pages (they repeat their statement's text).
    if not used or docname in (GLOSSARY_DOC, ENGLISH_INDEX_DOC) or PARALLEL_DIR in docname.split("/")[:-1]:
        return
    anchor = ""
    for section in doctree.findall(nodes.section):
        anchor = next(
            (i for i in section["ids"] if not i.startswith("id")), section["ids"][0] if section["ids"] else ""
        )
        break
    order = int(app.env.metadata[docname].get("tekan_number", 10_000))
    app.env.domains["tekan"].uses[docname] = (order, anchor, used)  # type: ignore[attr-defined]


def note_placeholders(env: BuildEnvironment) -> None:
    """Note that the page being read has placeholders to fill when it is written."""
    env.domains["tekan"].placeholders[env.current_document.docname] = None  # type: ignore[attr-defined]


#: The builders that resolve one page at a time; the others (singlehtml, LaTeX, Typst) resolve the whole book as one
#: tree, named after its first page.
_PAGE_BUILDERS = frozenset({"html", "dirhtml", "epub"})


def _has_placeholders(app: Sphinx, docname: str) -> bool:
    """Whether the tree resolved for ``docname`` may hold placeholders."""
    return app.builder.name not in _PAGE_BUILDERS or docname in app.env.domains["tekan"].placeholders  # type: ignore[attr-defined]


#: The attribute of a book assembled as one tree that maps each page it includes to the node holding that page's
#: content (the Typst builder's ``start_of_file`` nodes: ``tekan.sphinxext.typst.inline_pages``).
INCLUDED_PAGES = "tekan_included_pages"


def _placeholders(app: Sphinx, doctree: nodes.document, fromdocname: str, kind: type[nodes.Element]) -> list[Any]:
    """The ``kind`` placeholders of the tree resolved for ``fromdocname``. In a book assembled as one tree that
    records its pages (:data:`INCLUDED_PAGES`), only the pages noted with placeholders are walked, not the whole
    book (each placeholder once, should one such page include another)."""
    if not _has_placeholders(app, fromdocname):
        return []
    pages: dict[str, nodes.Node] | None = getattr(doctree, INCLUDED_PAGES, None)
    noted = app.env.domains["tekan"].placeholders  # type: ignore[attr-defined]
    if pages is None or fromdocname in noted:
        return list(doctree.findall(kind))
    found: dict[int, nodes.Node] = {}
    for name, page in pages.items():
        if name in noted:
            found.update((id(node), node) for node in page.findall(kind))
    return list(found.values())


def fill_backlinks(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace each backlinks placeholder with links to the pages that use the term; past
    ``tekan_glossary_backlinks`` pages, with their number and (on the site) a link to the term's search results."""
    placeholders = _placeholders(app, doctree, fromdocname, backlinks)
    if not placeholders:
        return
    uses: dict[str, tuple[int, str, list[str]]] = app.env.domains["tekan"].uses  # type: ignore[attr-defined]
    pages_of: dict[str, list[tuple[int, str, str]]] = {}
    for doc, (order, anchor, terms) in uses.items():
        for term_id in terms:
            pages_of.setdefault(term_id, []).append((order, doc, anchor))
    limit = app.config.tekan_glossary_backlinks
    separator = edition_of(app).pages.separator
    for node in placeholders:
        pages = sorted(pages_of.get(node["term"], ()))
        if len(pages) > limit:
            node.replace_self(_counted_backlinks(app, node["term"], len(pages), fromdocname))
            continue
        replacement: list[nodes.Node] = []
        for index, (_, docname, anchor) in enumerate(pages):
            if index:
                replacement.append(nodes.Text(separator))
            title = app.env.titles[docname].astext() if docname in app.env.titles else docname
            ref = nodes.reference(title, title, internal=True, classes=["tekan-backlink"])
            ref["refuri"] = app.builder.get_relative_uri(fromdocname, docname) + (f"#{anchor}" if anchor else "")
            replacement.append(ref)
        if not replacement:
            replacement.append(nodes.Text("—"))
        node.replace_self(replacement)


def _counted_backlinks(app: Sphinx, term_id: str, count: int, fromdocname: str) -> list[nodes.Node]:
    """The backlinks of a term used on more pages than a reader would go through: their number and, on the site, a
    link to the search for the term's headword (which finds the pages that use it, in either script)."""
    from urllib.parse import quote

    edition = edition_of(app)
    words = edition.glossary
    result: list[nodes.Node] = [nodes.Text(words.used_count.format(count=f"{count:,}"))]
    if is_site(app.builder) and getattr(app.builder, "search", False):
        term = book_of(app.env).glossary.by_id[term_id]
        query = term.hant if edition.translated else _headword(term, edition)
        uri = f"{app.builder.get_relative_uri(fromdocname, 'search')}?q={quote(query)}"
        result.append(nodes.inline("", " · ", classes=["tekan-sep"]))  # as between the glossary's downloads
        link = nodes.reference(words.used_search, words.used_search, refuri=uri, classes=["tekan-backlinks-search"])
        result.append(link)
    return result


def resolve_placeholders(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Keep jump bars for HTML and EPUB, download links for the website; drop both elsewhere."""
    for node in _placeholders(app, doctree, fromdocname, html_only):
        if app.builder.format == "html":
            node.replace_self(node.children)
        else:
            node.parent.remove(node)
    for placeholder in _placeholders(app, doctree, fromdocname, downloads):
        if not is_site(app.builder):
            placeholder.parent.remove(placeholder)
            continue
        labels = edition_of(app).glossary
        here = posixpath.dirname(app.builder.get_target_uri(fromdocname))
        line = nodes.paragraph(classes=["tekan-downloads"])
        line += nodes.strong(labels.download, labels.download)
        line += nodes.Text(edition_of(app).pages.colon)
        for index, (name, label) in enumerate(((CSV_FILE, labels.csv), (TBX_FILE, labels.tbx))):
            if index:
                line += nodes.inline("", " · ", classes=["tekan-sep"])
            uri = posixpath.relpath(f"_static/{name}", here or ".")
            line += nodes.reference(label, label, refuri=uri, classes=["tekan-download"])
        placeholder.replace_self(line)


def add_tooltip_assets(app: Sphinx) -> None:
    """Load the tooltip script on website pages only: an EPUB must carry no scripts."""
    if is_site(app.builder):
        app.add_js_file(TOOLTIP_SCRIPT)


def linked_terms(doctree: nodes.Node, known: Set[str]) -> list[str]:
    """The ids of the glossary terms a resolved page links to, in order of first link."""
    found: dict[str, None] = {}
    for ref in doctree.findall(nodes.reference):
        target = ref.get("refuri") or ("#" + ref["refid"] if ref.get("refid") else "")
        match = _TERM_TARGET.search(target)
        if match and match[1] in known:
            found.setdefault(match[1])
    return list(found)


def term_summary(book: Book, term: Term) -> dict[str, str]:
    """What a reader is shown of a term in place (the site's tooltip, the EPUB's pop-up note): headword, pinyin,
    English, abbreviation, and the definition in the edition's language (a Chinese edition's in its script)."""
    edition = book.edition
    return {
        "hw": _headword(term, edition),
        "py": term.pinyin,
        "en": term.en,
        "abbr": term.abbr,
        "def": term.definition_en if edition.translated else edition.in_script(term.definition_zh),
    }


def tooltip_data(book: Book, term_ids: list[str]) -> str:
    """The tooltip data of one page, as a ``<script type="application/json">`` element for its head: term id →
    headword, pinyin, English, abbreviation and the definition in the edition's language (a Chinese edition's
    in its script); that language's tag, the headwords' (Chinese) tag, and the label of the close control.

    Only the terms the page links to, so a page's bytes follow only its own terms' entries: an edited
    definition rewrites the pages that link to the term, not every page of the site.
    """
    edition = book.edition
    terms = {term_id: term_summary(book, book.glossary.by_id[term_id]) for term_id in term_ids}
    # The headwords' language: Chinese in the edition's script (the English edition's are Traditional).
    hw_lang = "zh-Hans" if edition.script == "hans" else "zh-Hant"
    data = {"terms": terms, "lang": edition.tag, "hwLang": hw_lang, "labels": {"close": edition.glossary.close}}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f'<script type="application/json" id="{TOOLTIP_DATA_ID}">{text.translate(_SCRIPT_SAFE)}</script>'


def add_tooltip_data(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Give a website page that links to terms their tooltip data (``tekan_tooltips``, placed in its head)."""
    if doctree is None or not is_site(app.builder):
        return
    book = book_of(app.env)
    term_ids = linked_terms(doctree, book.glossary.by_id.keys())
    if term_ids:
        context["tekan_tooltips"] = tooltip_data(book, term_ids)


def write_site_files(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Before a website's pages are written: the CSV and TBX exports of the glossary (each only if changed).

    They are made again only when the glossary file, the title or the exporting code changed since the last build
    (the TBX of a large glossary takes a noticeable part of a one-page rebuild).
    """
    if not is_site(app.builder):
        return []
    book = book_of(env)
    static = Path(app.outdir) / "_static"
    title = app.config.project  # the book's full title (tekan.sphinxext.defaults.apply_identity)
    with book.glossary.source.open("rb") as file:  # its text, not its time: an edit may keep size and time
        source = hashlib.file_digest(file, "sha256").hexdigest()
    key = code_digest(["export.py"], str(book.glossary.source), source, title, signature())
    if getattr(env, "tekan_exports_key", None) == key and all((static / n).is_file() for n in (CSV_FILE, TBX_FILE)):
        return []
    env.tekan_exports_key = key  # type: ignore[attr-defined]  # saved with the environment after this event
    written = [
        name
        for name, text in ((CSV_FILE, to_csv(book.glossary)), (TBX_FILE, to_tbx(book.glossary, title).decode("utf-8")))
        if write_if_changed(static / name, text)
    ]
    if written:
        logger.info("tekan: wrote %s", ", ".join(written))
    (static / _OLD_TERMS_SCRIPT).unlink(missing_ok=True)  # an output folder built by an earlier version
    return []


def remember_uses(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Before reading: the pages' records of the terms they use, as the glossary's backlinks show them now."""
    env.tekan_uses_before = dict(env.domains["tekan"].uses)  # type: ignore[attr-defined]
    return []


def _backlinks_shown(uses: dict[str, tuple[int, str, list[str]]], limit: int) -> dict[str, object]:
    """What the glossary's backlinks show of ``uses`` (:func:`fill_backlinks`): per term, its pages in order (number,
    page, anchor), or past ``limit`` pages their number only; not the order in which a page first uses its terms."""
    pages_of: dict[str, list[tuple[int, str, str]]] = {}
    for doc, (order, anchor, terms) in uses.items():
        for term_id in terms:
            pages_of.setdefault(term_id, []).append((order, doc, anchor))
    return {term: len(pages) if len(pages) > limit else sorted(pages) for term, pages in pages_of.items()}


def glossary_needs_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The glossary, when its backlinks change: a term used or no longer used on a page, a page's number or anchor
    (a page that uses the same terms in another order leaves them as they are). Retitled pages rewrite every page
    (``tekan.sphinxext.incremental``), and an edited glossary re-reads it."""
    before = getattr(env, "tekan_uses_before", None)
    if hasattr(env, "tekan_uses_before"):
        del env.tekan_uses_before
    uses = env.domains["tekan"].uses  # type: ignore[attr-defined]
    if GLOSSARY_DOC not in env.found_docs or before == uses:
        return []
    limit = app.config.tekan_glossary_backlinks
    if before is not None and _backlinks_shown(before, limit) == _backlinks_shown(uses, limit):
        return []
    return [GLOSSARY_DOC]


def page_index_entries(doctree: nodes.document) -> list[IndexEntry]:
    """The index entries of a page, as Sphinx's ``IndexBuilder.feed`` takes them for the search index."""
    from sphinx.util.index_entries import split_index_msg

    found: set[IndexEntry] = set()
    for node in doctree.findall(addnodes.index):
        for entry_type, value, target_id, main, _ in node["entries"]:
            try:
                parts = split_index_msg(entry_type, value)
            except ValueError:
                continue
            if entry_type in {"see", "seealso"}:
                found.add((parts[0], target_id or "", main))
            found |= {(part, target_id or "", main) for part in parts}
    return sorted(found)


def collect_index_entries(app: Sphinx, doctree: nodes.document) -> None:
    """Note a page's index entries while it is read (the environment is saved before pages are written)."""
    entries = page_index_entries(doctree)
    if entries:
        app.env.domains["tekan"].index_entries[app.env.current_document.docname] = entries  # type: ignore[attr-defined]


def keep_index_entries(app: Sphinx) -> list[Any]:
    """Put the index entries of the pages this build did not rewrite back into the search index.

    Sphinx's incremental search index keeps the words of the pages a build does not rewrite, but not their
    index entries: it keeps those on the environment, which is saved before pages are written (so a page's
    entries are lost unless it is rewritten, as the glossary was on every build). They are recorded when a page
    is read (tests/test_incremental.py compares the index with a clean build's).
    """
    indexer = getattr(app.builder, "indexer", None)
    entries: dict[str, list[IndexEntry]] | None = getattr(indexer, "_index_entries", None)
    if entries is None:
        return []
    recorded: dict[str, list[IndexEntry]] = app.env.domains["tekan"].index_entries  # type: ignore[attr-defined]
    for docname, found in recorded.items():
        if docname not in entries and docname in app.env.all_docs:
            entries[docname] = found
    return []


def setup_glossary(app: Sphinx) -> None:
    """The glossary directives, the backlinks domain, tooltips, exports and their event handlers."""
    app.add_config_value(
        "tekan_glossary_backlinks",
        200,
        "env",
        types=frozenset({int}),
        description="a glossary entry lists the pages that use its term up to this many; past it, their number and a "
        "link to the term's search results (an archive's glossary would list every statement under its common terms)",
    )
    app.add_directive("tekan-glossary", GlossaryDirective)
    app.add_directive("tekan-english-index", EnglishIndexDirective)
    app.add_node(backlinks)
    app.add_node(html_only)
    app.add_node(downloads)
    app.add_domain(TekanDomain)
    app.connect("builder-inited", add_tooltip_assets)
    app.connect("html-page-context", add_tooltip_data)
    app.connect("doctree-read", collect_uses)
    app.connect("doctree-read", collect_index_entries)
    app.connect("doctree-resolved", fill_backlinks)
    app.connect("doctree-resolved", resolve_placeholders)
    app.connect("env-get-outdated", remember_uses)
    app.connect("env-updated", glossary_needs_rewrite)
    app.connect("html-collect-pages", keep_index_entries)  # before the search index is written
    app.connect("env-updated", write_site_files)
