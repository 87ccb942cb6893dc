"""The print book with Typst: a Sphinx builder (``-b typst``) that assembles the book's doctree, writes it as Typst
source and compiles it to a tagged PDF (``typst.compile``).

The builder assembles one tree of the whole book as Sphinx's LaTeX builder does (``inline_pages``, after Sphinx's
``inline_all_toctrees``); the translator walks it and writes the layout's functions (``tekan/data/tekanbook.typ``)
with every text as a string literal (``tekan.typesetting``): parts by sector (by feature in a collection),
statements with their English headline and byline, editors' footnotes, the glossary as a list, the English index
and the pinyin index with their page numbers found by Typst itself (each use of a term is a marker the index
queries), the corrections appendix. The title page, colophon and PDF metadata come from the book's identity and
metadata.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.locale import __
from sphinx.util import logging

from .. import typesetting as ts
from ..book import Book, identity, translated_identity
from ..editions import BASENAME, HANS, HANT, Edition
from ..errors import Kind
from ..files import write_if_changed
from ..glossary import initial, pinyin_sort_key
from ..model import Term
from ..rendering import AUDIT_LINK_CLASS, ENGLISH_INDEX_DOC, audit_docs, feature_doc, sector_doc, statement_doc
from ..translation import MONTHS
from .config import book_of, get_target
from .glossary import INCLUDED_PAGES, english_group, english_sort_key
from .memory import drop_kept_doctrees, read_doctree

logger = logging.getLogger(__name__)

#: The name of the builder (``sphinx-build -b typst``) and of its output format.
NAME = "typst"


def _date(value: str, english: bool) -> str:
    """``2021-09`` → ``2021年9月`` (``September 2021`` in English)."""
    parts = [int(p) for p in value.split("-") if p.isdigit()]
    if english:
        if len(parts) > 1 and 1 <= parts[1] <= 12:
            return f"{MONTHS[parts[1] - 1]} {parts[0]}"
        return value
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))


def _classes(node: nodes.Node) -> list[str]:
    return list(node.get("classes", [])) if isinstance(node, nodes.Element) else []


def _language(node: nodes.Node) -> str:
    """The ``language-…`` class of a node, without the prefix ("" for none)."""
    return next((c.removeprefix("language-") for c in _classes(node) if c.startswith("language-")), "")


class TypstTranslator(nodes.NodeVisitor):
    """Doctree → Typst markup for the assembled book. Every text node becomes a string literal.

    (A NodeVisitor for Sphinx's registry; it renders by recursion, each node kind to a Typst expression.)
    """

    def __init__(self, builder: TypstBuilder, document: nodes.document) -> None:
        super().__init__(document)
        self.builder = builder
        self.book: Book = book_of(builder.env)
        self.edition: Edition = self.book.edition
        self.parallel = get_target(builder.config).variant.parallel
        publication = self.book.publication
        self.statement_docs = {statement_doc(st) for st in publication.statements}
        self.sector_docs = {sector_doc(s): s for s in publication.meta.sectors}
        self.feature_ids = {st.meta.feature for st in publication.statements if st.meta.feature}
        self.feature_docs = {feature_doc(feature) for feature in self.feature_ids}
        self.terms = self.book.glossary.by_id
        self.footnotes: dict[str, nodes.footnote] = {}
        self.labels: set[str] = set()  # labels placed in the source (links to any other are plain text)
        self.docname = ""
        self.part_number = 0
        self.translation_note = ""
        self.appendix_open = False
        self.sector_opened = False  # a sector heading was just set: its first statement follows on the same page
        self.unhyphenated = False  # English set here is never hyphenated (a glossary headword line)
        self.heads = 0  # parts and chapters written so far: each one's `index`, its running-head marker's number
        self.contents: list[tuple[int, str]] = []  # the headings in the contents: (level, title markup)
        self._collect(document)

    # --- a first walk: what can be linked to, and the footnotes ------------------------------------------------

    def _collect(self, node: nodes.Node, docname: str = "") -> None:
        """What the book's links and notes need, in one walk of the book, which also puts each reference left
        unresolved (a reference to nothing) as its text only."""
        stack: list[tuple[nodes.Node, str, bool]] = [(node, docname, False)]
        while stack:
            current, doc, top = stack.pop()
            if isinstance(current, addnodes.pending_xref):
                current.replace_self(current.children)  # (its children are walked next, where it was)
            if isinstance(current, addnodes.start_of_file):
                doc = str(current["docname"])
            if isinstance(current, nodes.footnote):
                for ident in current["ids"]:
                    self.footnotes[ident] = current
            if isinstance(current, (nodes.section, nodes.term)):
                for ident in current["ids"]:
                    self.labels.add(ts.label(doc, ident))
                if isinstance(current, nodes.section) and top:
                    self.labels.add(ts.label(doc))
            if (
                isinstance(current, nodes.paragraph)
                and "tekan-translation-note" in _classes(current)
                and not self.translation_note
            ):
                self.translation_note = current.astext()
            opens = isinstance(current, addnodes.start_of_file)  # its sections are the page's own (top) ones
            opens = opens or (top and isinstance(current, addnodes.pending_xref))  # (now its parent's children)
            stack.extend((child, doc, opens) for child in reversed(current.children))

    # --- the whole book ---------------------------------------------------------------------------------------

    def translate(self) -> str:
        """The Typst source of the book: the layout's call, title pages, contents, body, back matter, indexes."""
        lines = ['#import "tekanbook.typ": *', f"#show: book.with({self.builder.layout().arguments()})", ""]
        body = ["#body-matter()", "#set page(..body-page)", ""]
        # Of the home page only what its toctree includes: its own text is the title page and the contents.
        body += [self.block(page) for page in _files_below(self.document)]
        if self.appendix_open:
            body.append(self.indexes())
        lines += self.front_matter()  # (after the body: the contents list its headings)
        return "\n".join(lines + body) + "\n"

    def front_matter(self) -> list[str]:
        meta = self.book.publication.meta
        edition = self.edition
        english = edition.translated
        who = translated_identity(self.book.publication) if english else identity(self.book.publication)
        masthead = self.book.publication.masthead
        full = (meta.title_en if english else meta.title) or meta.title or masthead
        short = full.partition("·")[2] if not english else (meta.title_en.partition(": ")[2] or meta.title_en)
        short = short or full
        chinese_title = meta.title.partition("·")[2] or meta.title
        variant = self.edition.parallel.title if self.parallel else ""
        second = chinese_title if english else meta.title_en
        paper = meta.title_en.partition(": ")[0] if ": " in meta.title_en else ""
        if english and self.book.features and paper:  # a collection's masthead is its Chinese title: the paper's name
            masthead_run = self.lang_run(paper, "en")
        else:
            masthead_run = self.lang_run(masthead, "zh") if english else ts.text(masthead)
        title_page = {
            "masthead": masthead_run,
            "title": self.lang_run(short, "en") if english else ts.text(short),
            "title-en": self.lang_run(second, "zh" if english else "en"),
            "variant": ts.text(variant),
            "publisher": ts.text((meta.publisher_en or meta.publisher) if english else meta.publisher),
            "date": ts.text(_date(meta.date, english)),
        }
        imprint = " · ".join(x for x in (meta.publisher_en, meta.date) if x)
        colophon = {
            "title": ts.text(full),
            "title-en": self.lang_run(chinese_title if english else meta.title_en, "zh" if english else "en"),
            "description": ts.text(meta.description_en if english else meta.description_zh),
            "description-en": "" if english else self.lang_run(meta.description_en, "en"),
            "note": ts.text(self.translation_note),
            "imprint": self.lang_run(imprint, "en") + (ts.text(" · " + who.copyright) if who.copyright else ""),
        }
        return [
            f"#title-page({self.named(title_page)})",
            f"#colophon({self.named(colophon)})",
            f"#contents({ts.string(edition.pages.contents)}, entries: {self.contents_entries()})",
            "",
        ]

    def contents_entries(self) -> str:
        """The headings of the contents as a Typst array of (level, title) (for its first layout: see ``contents``)."""
        rows = "".join(f"({level}, [{markup}]), " for level, markup in self.contents)
        return f"({rows})" if rows else "()"

    @staticmethod
    def named(arguments: dict[str, str]) -> str:
        return ", ".join(f"{name}: [{markup}]" for name, markup in arguments.items())

    def lang_run(self, value: str, lang: str, hyphenate: bool = False) -> str:
        """A run of text in ``lang`` ("en" or "zh" of the edition's script)."""
        if not value:
            return ""
        if lang == "en":
            return f"#en(hyphenate: {'true' if hyphenate else 'false'})[{ts.text(value)}]"
        return f"#zh[{ts.text(value)}]"

    # --- blocks -----------------------------------------------------------------------------------------------

    def blocks(self, node: nodes.Node) -> str:
        return "".join(self.block(child) for child in node.children)

    def block(self, node: nodes.Node) -> str:
        if isinstance(node, addnodes.start_of_file):
            outer, self.docname = self.docname, str(node["docname"])
            try:
                return self.document_part(node)
            finally:
                self.docname = outer
        if isinstance(node, nodes.section):
            return self.section(node, top=False)
        if isinstance(node, nodes.paragraph):
            return self.paragraph(node)
        if isinstance(node, nodes.container):
            return self.container(node)
        if isinstance(node, (nodes.compound, addnodes.glossary)):
            return self.blocks(node)
        if isinstance(node, nodes.rubric):
            return f"#section([{self.inline(node)}])\n\n"
        if isinstance(node, nodes.definition_list) and "glossary" in _classes(node):
            return self.glossary(node)
        if isinstance(node, nodes.bullet_list):
            items = [f"[{self.blocks(item).strip()}]" for item in node.children]
            return f"#list({', '.join(items)})\n\n" if items else ""
        if isinstance(node, nodes.table):
            return self.table(node)
        if isinstance(node, nodes.title):
            return f"#section([{self.inline(node)}], level: 3)\n\n"
        # Not printed: targets, comments, meta, index entries (the index is built from the book's data),
        # toctrees, raw output of other formats, the footnotes (set where they are referred to), transitions.
        return ""

    def document_part(self, node: addnodes.start_of_file) -> str:
        doc = self.docname
        if doc in self.feature_docs:
            return self.feature(node)
        if doc == ENGLISH_INDEX_DOC:
            return self.english_index_page(node)
        opening = ""
        in_feature = doc.partition("/")[0] in self.feature_ids  # a feature's own page (its corrections)
        back_matter = doc not in self.sector_docs and doc not in self.statement_docs and not in_feature
        if back_matter and not self.appendix_open:
            self.appendix_open = True
            opening = self.appendix()
        # Sections directly in the file are the page's own (``parent`` is not updated by inline_pages).
        return opening + "".join(
            self.section(c, top=True) if isinstance(c, nodes.section) else self.block(c) for c in node.children
        )

    def appendix(self) -> str:
        words = self.edition.print
        title = ts.text(words.appendix)
        return f"#part([{title}], plain: {ts.string(words.appendix)}, {self.head_index(1, title)})\n\n"

    def feature(self, node: addnodes.start_of_file) -> str:
        """A feature of a collection: a part page (title, English title, masthead and date), then its sectors."""
        section = next((c for c in node.children if isinstance(c, nodes.section)), None)
        if section is None:
            return ""
        title = section.next_node(nodes.title)
        # The second-language title: the English under a Chinese edition's, the Chinese under the English edition's.
        second = {"tekan-english", "tekan-chinese"}
        english = [c for c in section.children if isinstance(c, nodes.paragraph) and second & set(_classes(c))]
        plain = title.astext() if title else ""
        out = [self._part_call(title, english[0] if english else None, plain, numbered=False)]
        out += [self.block(child) for child in _files_below(section)]
        return "".join(out)

    def _part_call(self, title: nodes.Node | None, english: nodes.Node | None, plain: str, numbered: bool) -> str:
        label = ts.label(self.docname)
        markup = self.inline(title) if title else ""
        arguments = [f"[{markup}]", f"plain: {ts.string(plain)}"]
        if english is not None:
            arguments.append(f"english: [{self.english_or_chinese(english)}]")
        if numbered:
            self.part_number += 1
            words = self.edition.print
            number = f"{words.part_before}{self._number(self.part_number)}{words.part_after}"
            arguments.append(f"number: [{ts.text(number)}]")
        arguments.append(self.head_index(1, markup))
        return f"#part({', '.join(arguments)})\n#metadata(none)<{label}>\n\n"

    def head_index(self, level: int, markup: str) -> str:
        """The ``index`` argument of the next part or chapter (of heading ``level``, titled ``markup``): its number
        in the book's order, from 1 (the layout finds a page's running-head markers by it); noted for the contents
        when they list it (parts and level 2, as ``contents`` in the layout)."""
        self.heads += 1
        if level <= 2:
            self.contents.append((level, markup))
        return f"index: {self.heads}"

    def _number(self, n: int) -> str:
        if self.edition.translated:
            return str(n)
        digits = "〇一二三四五六七八九"
        if n < 10:
            return digits[n]
        if n < 20:
            return "十" + (digits[n % 10] if n % 10 else "")
        if n < 100:
            return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
        return str(n)

    def english_or_chinese(self, node: nodes.Node) -> str:
        """The second-language line under a title: English in a Chinese edition, Chinese in the English one."""
        if "tekan-chinese" in _classes(node):
            return self.lang_run(node.astext(), "zh")
        return f"#emph[{self.lang_run(node.astext(), 'en')}]"  # a real italic: the Latin face has one

    def section(self, node: nodes.section, top: bool) -> str:
        doc = self.docname
        is_top = top
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        second = next(
            (
                c
                for c in node.children
                if isinstance(c, nodes.paragraph) and {"tekan-english", "tekan-chinese"} & set(_classes(c))
            ),
            None,
        )
        plain = title.astext() if title else ""
        rest = [c for c in node.children if c is not title and c is not second]
        labels = "".join(f"#metadata(none)<{ts.label(doc, i)}>" for i in node["ids"])
        if is_top and doc in self.sector_docs:
            if self.book.features:  # a sector inside a feature: a heading on a new page, its first statement under it
                markup = self.inline(title) if title else ""
                head = f"#chapter([{markup}], plain: {ts.string(plain)}, {self.head_index(2, markup)}"
                if second is not None:
                    head += f", english: [{self.english_or_chinese(second)}]"
                head += ")\n"
                self.sector_opened = True
                return head + f"#metadata(none)<{ts.label(doc)}>{labels}\n\n" + self.blocks_of(rest)
            return self._part_call(title, second, plain, numbered=True) + labels + "\n" + self.blocks_of(rest)
        if is_top:
            level = 3 if self.book.features and doc in self.statement_docs else 2
            new_page = "false" if self.sector_opened else "true"
            self.sector_opened = False
            markup = self.inline(title) if title else ""
            head = f"#chapter([{markup}], plain: {ts.string(plain)}, level: {level}, {self.head_index(level, markup)}"
            head += f", new-page: {new_page}"
            if second is not None:
                head += f", english: [{self.english_or_chinese(second)}]"
            head += ")\n"
            return head + f"#metadata(none)<{ts.label(doc)}>{labels}\n\n" + self.blocks_of(rest)
        # A section inside a page (the audit's statements): a heading that is not in the contents.
        body = [c for c in node.children if c is not title]
        return f"#section([{self.inline(title) if title else ''}])\n{labels}\n\n" + self.blocks_of(body)

    def blocks_of(self, children: list[nodes.Node]) -> str:
        """The blocks of a page; the paragraph before a byline is kept with it (no signature alone on a page)."""
        out = []
        for index, child in enumerate(children):
            following = children[index + 1] if index + 1 < len(children) else None
            signed = isinstance(following, nodes.container) and "tekan-byline" in _classes(following)
            if signed and isinstance(child, nodes.paragraph) and not _classes(child):
                first = not any(isinstance(c, nodes.paragraph) and not _classes(c) for c in children[:index])
                body = self.block(child).rstrip("\n")
                out.append(f"#keep-with-byline(indent: {'false' if first else 'true'})[{body}]\n\n")
            else:
                out.append(self.block(child))
        return "".join(out)

    def paragraph(self, node: nodes.paragraph) -> str:
        classes = set(_classes(node))
        if "tekan-translation-note" in classes:
            return ""  # once, in the colophon
        if "tekan-letters" in classes or "tekan-downloads" in classes:
            return ""
        if {"tekan-english", "tekan-chinese"} & classes:
            return f"#note-block[{self.english_or_chinese(node)}]\n\n"
        body = self.inline(node)
        if not body:
            return ""
        if "tekan-definition-en" in classes or _language(node) == "en":
            return f"#english-block[{body}]\n\n"
        # A glossary entry's labelled lines (usage, source, every declared field) are set unindented, in the
        # edition's language: a Chinese edition's are Chinese (「这里的“质量”」, full-width quotes), their English
        # runs marked as the site marks them.
        if {"tekan-usage", "tekan-source", "tekan-field"} & classes:
            return f"#{'english-block' if self.edition.translated else 'field-block'}[{body}]\n\n"
        return body + "\n\n"

    def container(self, node: nodes.container) -> str:
        classes = set(_classes(node))
        if "tekan-byline" in classes:
            lines = []
            for child in node.children:
                if not isinstance(child, nodes.paragraph):
                    continue
                if "tekan-byline-en" in _classes(child):
                    lines.append(f"#byline-en[{self.lang_run(child.astext(), 'en')}]")
                elif _language(child) == "en":  # the English edition: the English signature first
                    lines.append(f"#byline[#en(hyphenate: false)[{self.inline(child)}]]")
                elif self.edition.translated:  # and the Chinese one under it
                    lines.append(f"#byline-en[#zh[{self.inline(child)}]]")
                else:
                    lines.append(f"#byline[{self.inline(child)}]")
            return f"#signature[{''.join(lines)}]\n\n"
        if "tekan-parallel-row" in classes:
            sides = {
                side: next(
                    (
                        c
                        for c in node.children
                        if isinstance(c, nodes.container) and f"tekan-parallel-{side}" in c["classes"]
                    ),
                    None,
                )
                for side in ("zh", "en")
            }
            if sides["zh"] is not None and sides["en"] is not None:
                chinese = self.blocks(sides["zh"]).strip()
                english = self.blocks(sides["en"]).strip()
                labels = "".join(f"#metadata(none)<{ts.label(self.docname, i)}>" for i in node["ids"])
                return f"#parallel-row([{chinese}], [{english}]){labels}\n\n"
        if "tekan-parallel-link" in classes:
            return ""
        return self.blocks(node)

    # --- the glossary -----------------------------------------------------------------------------------------

    def glossary(self, node: nodes.definition_list) -> str:
        entries = []
        for item in node.children:
            if not isinstance(item, nodes.definition_list_item):
                continue
            term = next((c for c in item.children if isinstance(c, nodes.term)), None)
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            if term is None or definition is None:
                continue
            ids = list(term["ids"])
            term_id = next((i.removeprefix("term-") for i in ids if i.startswith("term-")), "")
            head_paragraph = next(
                (c for c in definition.children if "tekan-term-head" in _classes(c)),
                None,
            )
            headword = "".join(self.inline_node(c) for c in term.children if not isinstance(c, addnodes.index))
            if self.edition.translated:
                headword = f"#en(hyphenate: false)[{headword}]"
            head = f"#strong[{headword}]"
            if head_paragraph is not None:  # the English headword is a name: never hyphenated
                self.unhyphenated = True
                head += f"#h(0.6em){self.inline(head_paragraph)}"
                self.unhyphenated = False
            # Kept with the head on its page: the entry up to its Chinese definition (other forms, definition).
            parts = [c for c in definition.children if c is not head_paragraph]
            cut = next((i + 1 for i, c in enumerate(parts) if "tekan-definition-zh" in _classes(c)), 1)
            first = "".join(self.block(c) for c in parts[:cut])
            body = "".join(self.block(c) for c in parts[cut:])
            marks = f"#entry-mark({ts.string(term_id)})" if term_id else ""
            labels = "".join(f"#metadata(none)<{ts.label(self.docname, i)}>" for i in ids)
            entries.append(f"[#glossary-entry([{marks}{labels}{head}], [{first.strip()}], [{body.strip()}])]")
        return "#glossary-list(\n" + ",\n".join(entries) + ")\n\n"

    def english_index_page(self, node: addnodes.start_of_file) -> str:
        """The English index of a Chinese edition: English terms A–Z, the headword, and the pages."""
        return self.index_chapter(
            self.book.edition.pages.english_index, self.english_entries(), label_doc=ENGLISH_INDEX_DOC
        )

    def english_entries(self) -> list[tuple[str, str, str]]:
        entries: list[tuple[str, Term, bool]] = [(t.en, t, False) for t in self.book.glossary.terms]
        entries += [(t.abbr, t, True) for t in self.book.glossary.terms if t.abbr]
        entries.sort(key=lambda e: (english_sort_key(e[0]), e[0], e[1].id))
        result = []
        for text, term, is_abbr in entries:
            headword = self.edition.headword(term.hant, term.hans)
            english = f"{text} → {term.en}" if is_abbr else (f"{text} ({term.abbr})" if term.abbr else text)
            head = f"#en(hyphenate: false)[{ts.text(english)}]#h(0.4em)#zh[{ts.text(headword)}]"
            result.append((term.id, head, english_group(text)))
        return result

    def pinyin_entries(self) -> list[tuple[str, str, str]]:
        result = []
        for term in sorted(self.book.glossary.terms, key=pinyin_sort_key):
            headword = self.edition.headword(term.hant, term.hans)
            head = f"#zh[{ts.text(headword)}]#h(0.4em)#pinyin[{ts.text(term.pinyin)}]"
            result.append((term.id, head, initial(term)))
        return result

    def index_chapter(self, title: str, entries: list[tuple[str, str, str]], label_doc: str = "") -> str:
        rows = ",\n".join(f"({ts.string(i)}, [{head}], {ts.string(letter)})" for i, head, letter in entries)
        label = f"#metadata(none)<{ts.label(label_doc)}>" if label_doc else ""
        entries_array = f"(\n{rows},\n)" if rows else "()"  # a book that uses no glossary term: an empty index
        head = f"#chapter([{ts.text(title)}], plain: {ts.string(title)}, {self.head_index(2, ts.text(title))})"
        return f"{head}\n{label}\n#book-index({entries_array})\n\n"

    def indexes(self) -> str:
        """The indexes at the end of the book: pinyin (Chinese headwords); in the English edition, English first."""
        words = self.edition.print
        if self.edition.translated:
            return self.index_chapter(words.index, self.english_entries()) + self.index_chapter(
                "Index of Chinese terms (by pinyin)", self.pinyin_entries()
            )
        return self.index_chapter(words.index, self.pinyin_entries())

    # --- tables -----------------------------------------------------------------------------------------------

    def table(self, node: nodes.table) -> str:
        tgroup = node.next_node(nodes.tgroup)
        if tgroup is None:
            return ""
        columns = int(tgroup.get("cols", 1))
        head = [f"[{self.blocks(e).strip()}]" for row in tgroup.findall(nodes.thead) for e in row.findall(nodes.entry)]
        cells = [
            f"[{self.blocks(e).strip()}]" for body in tgroup.findall(nodes.tbody) for e in body.findall(nodes.entry)
        ]
        return f"#data-table(columns: {columns}, header: ({', '.join(head)},), {', '.join(cells)})\n\n"

    # --- inline -----------------------------------------------------------------------------------------------

    def inline(self, node: nodes.Node | None) -> str:
        if node is None:
            return ""
        return "".join(self.inline_node(child) for child in node.children)

    def inline_node(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return ts.text(str(node))
        if isinstance(node, (addnodes.index, nodes.target, nodes.comment, nodes.substitution_definition)):
            return ""
        if isinstance(node, nodes.raw):
            return ""
        if isinstance(node, nodes.footnote_reference):
            footnote = self.footnotes.get(str(node.get("refid", "")))
            if footnote is None:
                return ""
            text = "".join(self.inline(p) for p in footnote.children if isinstance(p, nodes.paragraph))
            return f"#footnote[{text}]"
        if isinstance(node, nodes.reference):
            return self.reference(node)
        if isinstance(node, nodes.strong):
            return self.language(node, f"#strong[{self.inline(node)}]")
        if isinstance(node, nodes.emphasis):
            return self.language(node, f"#emph[{self.inline(node)}]")
        if isinstance(node, nodes.inline) and "tekan-pinyin" in _classes(node):
            return f"#pinyin[{self.inline(node)}]"
        if isinstance(node, nodes.inline) and "tekan-other-script" in _classes(node):
            return f"#box[{self.language(node, self.inline(node))}]"  # a headword is never split across lines
        if isinstance(node, nodes.inline) and "tekan-person" in _classes(node) and node.parent.index(node):
            # A byline's name after the position, a quarter em apart as on the site (局長 韓永生), not run together.
            return "#h(0.25em)" + self.language(node, self.inline(node))
        if isinstance(node, (nodes.inline, nodes.literal)):
            return self.language(node, self.inline(node))
        if isinstance(node, nodes.Element):
            return self.inline(node)
        return ""

    def language(self, node: nodes.Node, markup: str) -> str:
        """``markup`` in the language of the node's ``language-…`` class (another than the text around it)."""
        lang = _language(node)
        if lang == "en":
            return f"#en(hyphenate: false)[{markup}]" if self.unhyphenated else f"#en[{markup}]"
        if lang in ("zh-Hant", "zh-Hans"):
            script = "hans" if lang == "zh-Hans" else "hant"
            return f"#zh(script: {ts.string(script)})[{markup}]"
        return markup

    def reference(self, node: nodes.reference) -> str:
        body = self.inline(node)
        uri = str(node.get("refuri", ""))
        if not uri and node.get("refid"):
            uri = f"%{self.docname}#{node['refid']}"
        if uri.startswith("%"):
            doc, _, anchor = uri[1:].partition("#")
            target = ts.label(doc, anchor) if anchor else ts.label(doc)
            mark = ""
            term_id = anchor.removeprefix("term-")
            if anchor.startswith("term-") and term_id in self.terms and self.docname in self.statement_docs:
                mark = f"#mark({ts.string(term_id)})"
            if target in self.labels:
                function = "term" if anchor.startswith("term-") else "xref"
                return f"{mark}#{function}(<{target}>)[{body}]"
            return mark + body
        if uri.startswith(("http://", "https://", "mailto:")):
            return f"#link({ts.string(uri)})[{body}]"
        return body


class TypstBuilder(Builder):
    """Builds the book's PDF with Typst: one assembled doctree → ``tekan.typ`` → ``tekan.pdf``."""

    name = NAME
    format = NAME
    epilog = __("The PDF is in %(outdir)s.")
    default_translator_class = TypstTranslator
    #: The pages' doctrees are kept from reading to writing (``tekan.sphinxext.memory``): the book is all of them.
    keeps_read_doctrees = True

    def init(self) -> None:
        self.source = Path(self.outdir) / f"{BASENAME}.typ"

    def get_outdated_docs(self) -> str:
        return "all documents"  # one book: any change rewrites it

    def _read_parallel(self, docnames: list[str], nproc: int) -> None:
        """Sphinx's parallel reading, in one batch per process (:func:`one_batch_per_process`); a few pages (an edit
        of a large book) in this process, as without ``-j``: a reader forked for them would pickle the whole
        environment back, and their doctrees are kept in memory for the book only when read here."""
        if len(docnames) < PAGES_PER_READER * nproc:
            self._read_serial(docnames)
            return
        with one_batch_per_process():
            super()._read_parallel(docnames, nproc)

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return "%" + docname  # resolved to a Typst label by the translator

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def prepare_writing(self, docnames: AbstractSet[str]) -> None:
        pass

    def write_documents(self, docnames: Any) -> None:
        root = self.config.root_doc
        tree = read_doctree(self.env, root)
        tree["docname"] = root
        book = inline_pages(self, root, tree, [root])
        drop_kept_doctrees(self.env)  # the pages the book leaves out (not in print)
        book["docname"] = root
        resolve_book(self, book, root)
        source = TypstTranslator(self, book).translate()
        Path(self.outdir).mkdir(parents=True, exist_ok=True)
        write_if_changed(self.source, source)
        template = Path(self.outdir) / ts.TEMPLATE.name
        write_if_changed(template, ts.TEMPLATE.read_text(encoding="utf-8"))
        write_if_changed(Path(self.outdir) / ts.EDITION, self.layout().settings())

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass  # the whole book is written by write_documents

    def layout(self) -> ts.Layout:
        """The layout's parameters from the edition and the book's metadata."""
        book = book_of(self.env)
        edition = book.edition
        meta = book.publication.meta
        parallel = get_target(self.config).variant.parallel
        other = HANT if edition.script == "hans" else HANS
        title = (meta.title_en if edition.translated else "") or meta.title or book.publication.masthead
        if parallel:
            title += f"（{edition.parallel.title}）"
        identifier = f"{meta.identifier}:{edition.folder}" if meta.identifier else ""
        return ts.Layout(
            lang="en" if edition.translated else "zh",
            region="" if edition.translated else ("cn" if edition.script == "hans" else "tw"),
            script=edition.script,
            serif=edition.fonts.serif,
            sans=edition.fonts.sans,
            other_serif=other.fonts.serif,
            title=title,
            author=self.config.author,
            subject=meta.title_en,
            identifier=identifier,
            date=meta.date,
            tag=edition.tag,
            publisher=(meta.publisher_en or meta.publisher) if edition.translated else meta.publisher,
            rights=self.config.copyright,
            words={
                "contents": edition.pages.contents,
                "index": edition.print.index,
                "appendix": edition.print.appendix,
            },
        )

    def finish(self) -> None:
        output = Path(self.outdir) / f"{BASENAME}.pdf"
        if not self.glyphs_present():
            output.unlink(missing_ok=True)  # no PDF rather than one with gaps (the warnings say where)
            return
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        timestamp = int(epoch) if epoch.isdigit() else None
        with logging.pending_warnings():
            logger.info(__("compiling %s with Typst"), self.source.name)
        layout = self.layout()
        written = [self.source, Path(self.outdir) / ts.TEMPLATE.name, Path(self.outdir) / ts.EDITION]
        characters = set().union(*(set(path.read_text(encoding="utf-8")) for path in written))
        from ..segmenting import cache_dir  # (not at the top: it loads jieba)

        families = (layout.serif, layout.sans, layout.other_serif)
        fonts = ts.cut_fonts(families, characters, Path(self.outdir) / ts.FONTS, cache=cache_dir())
        warnings = ts.compile_pdf(self.source, output, timestamp, fonts=fonts)
        for warning in warnings:
            logger.warning("Typst: %s", warning, type="tekan", subtype=Kind.io.value)
        ts.finish_pdf(output, layout)

    def glyphs_present(self) -> bool:
        """False, with one warning per place, when the edition's fonts lack a character of the book: Typst would
        set it in a fallback face or as a blank box, so the PDF is not made."""
        from ..pdf import missing_glyphs

        book = book_of(self.env)
        fonts = book.edition.fonts
        problems = missing_glyphs(book, (fonts.serif, fonts.sans))
        for problem in problems:
            location = f"{problem.location.path}:{problem.location.line}"
            logger.warning(problem.message, location=location, type="tekan", subtype=problem.kind.value)
        if problems:
            logger.warning(
                "no PDF made: its fonts lack %d character(s) of the book",
                len(problems),
                type="tekan",
                subtype=Kind.encoding.value,
            )
        return not problems


#: Sphinx's post-transforms that act only on what the translator never prints: code blocks (highlighting, doctest
#: flags), API descriptions (C/C++ aliases, signature fallbacks, their domain) and images (fetched, unpacked). Each
#: walks the whole book to find none: about half of resolving the 1,600-statement collection's book (2 of 3.5 s).
UNPRINTED_POST_TRANSFORMS = frozenset(
    {
        "sphinx.domains.c.AliasTransform",
        "sphinx.domains.cpp.AliasTransform",
        "sphinx.transforms.post_transforms.SigElementFallbackTransform",
        "sphinx.transforms.post_transforms.PropagateDescDomain",
        "sphinx.transforms.post_transforms.code.HighlightLanguageTransform",
        "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform",
        "sphinx.transforms.post_transforms.images.ImageDownloader",
        "sphinx.transforms.post_transforms.images.DataURIExtractor",
    }
)


def resolve_book(builder: Builder, book: nodes.document, docname: str) -> None:
    """Sphinx's ``resolve_references`` of the assembled book (its post-transforms, then ``doctree-resolved``),
    without the post-transforms of :data:`UNPRINTED_POST_TRANSFORMS`.

    Sphinx has no public way to leave a post-transform out: its component registry's list (``registry.post_transforms``,
    which ``get_post_transforms`` returns) is filtered while the book is resolved, and put back."""
    registry = builder.env._registry  # the registry resolve_references reads (``Builder.app`` is deprecated)
    every = registry.post_transforms
    registry.post_transforms = [t for t in every if f"{t.__module__}.{t.__qualname__}" not in UNPRINTED_POST_TRANSFORMS]
    try:
        builder.env.resolve_references(book, docname, builder)
    finally:
        registry.post_transforms = every


def inline_pages(builder: Builder, docname: str, tree: nodes.document, traversed: list[str]) -> nodes.document:
    """``tree`` with every page its toctrees include put in their place (each as a ``start_of_file``), as Sphinx's
    ``inline_all_toctrees`` assembles a LaTeX book, without its deep copy of every page: each page here is the
    builder's own already (taken from the doctrees kept since reading, or unpickled from its file: see
    :func:`tekan.sphinxext.memory.read_doctree`), and copying 1,600 statements cost seconds. ``tree`` is changed.

    Each page is walked once, before the pages it includes are put in: for its toctrees and its own sections (each
    marked with the page's name), not once for each and again with all it includes. The book records the node of
    each page it includes (:data:`tekan.sphinxext.glossary.INCLUDED_PAGES`)."""
    included: dict[str, nodes.Node] = {}
    _inline(builder, docname, tree, set(traversed), included)
    setattr(tree, INCLUDED_PAGES, included)  # where each page is (its placeholders are looked for there only)
    return tree


def _inline(
    builder: Builder, docname: str, tree: nodes.Node, traversed: set[str], pages: dict[str, nodes.Node]
) -> list[nodes.section]:
    """:func:`inline_pages` of one page; its own sections (not those of the pages it includes)."""
    toctrees: list[addnodes.toctree] = []
    sections: list[nodes.section] = []
    stack = [tree]
    while stack:  # (one walk of the page for both kinds: a toctree holds no section, nor a section a page)
        node = stack.pop()
        if isinstance(node, addnodes.toctree):
            toctrees.append(node)
        elif isinstance(node, nodes.section):
            sections.append(node)
        if isinstance(node, nodes.Element):
            stack.extend(reversed(node.children))
    for toctree in toctrees:
        included = []
        for name in map(str, toctree["includefiles"]):
            if name in traversed:
                continue
            traversed.add(name)
            try:
                page = read_doctree(builder.env, name)
            except Exception:  # as Sphinx's: a toctree entry that names no page is a warning, not a crash
                logger.warning(
                    __("toctree contains ref to nonexisting file %r"),
                    name,
                    location=docname,
                    type="toc",
                    subtype="not_readable",
                )
                continue
            for section in _inline(builder, name, page, traversed, pages):
                if "docname" not in section:
                    section["docname"] = name
            start = addnodes.start_of_file(docname=name)
            start.children = page.children
            included.append(start)
            pages[name] = start
        toctree.parent.replace(toctree, included)
    return sections


def _files_below(node: nodes.Node) -> list[addnodes.start_of_file]:
    """The pages included below ``node`` (not those included by them: each renders its own)."""
    found: list[addnodes.start_of_file] = []
    for child in node.children:
        if isinstance(child, addnodes.start_of_file):
            found.append(child)
        else:
            found += _files_below(child)
    return found


# --- pages the print leaves out ----------------------------------------------------------------------------------


def skip_pages_not_printed(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """The print has no audit pages (the production log: thousands of rows, the site's and the EPUB's; the print's
    editorial note lists the changes itself): the PDF's build does not read them (a tenth of a collection's reading).
    They stay in the source folder that the formats of an edition share, so the site's build finds them unchanged."""
    if app.builder.format != NAME:
        return
    book = book_of(env)
    left_out = audit_docs(book.publication, book.features)
    docnames[:] = [name for name in docnames if name not in left_out]


def drop_links_to_pages_not_printed(app: Sphinx, doctree: nodes.document) -> None:
    """The editorial note's link to the audit pages (the site's and the EPUB's, in an ``only`` block that Sphinx
    drops after it resolves references): dropped when the page is read for the print, which has no audit pages."""
    if app.builder.format != NAME:
        return
    for container in list(doctree.findall(nodes.container)):
        if AUDIT_LINK_CLASS in container["classes"]:
            container.parent.remove(container)


#: The fewest pages worth a reader process of their own (at 8 ms a page, 0.8 s: more than a fork and the environment
#: pickled back, 0.1–0.2 s at 1,600 statements).
PAGES_PER_READER = 100


@contextlib.contextmanager
def one_batch_per_process() -> Iterator[None]:
    """Sphinx's parallel reading splits the pages into about sqrt(pages × 5) batches, each read by a process
    forked from the main one, which pickles the whole environment back when its batch is read: the environment as
    the main process had it when it forked, with every batch merged before, and its own. At 1,600 statements (2,103
    pages: 21 batches) that cost the main process 2.0–3.3 s of CPU while the readers read, and the readers their
    pickling; in one batch per process 0.5 s (the PDF 3.8 s of CPU less). Sphinx's ``make_chunks``, as its builders
    module calls it, is replaced for this builder's reading only (Sphinx's parallel writing prepares each batch's
    pages before its process starts: there small batches overlap)."""
    from sphinx import builders

    def batches(arguments: Sequence[str], nproc: int, maxbatch: int = 10) -> list[Any]:
        size = -(-len(arguments) // max(nproc, 1)) or 1  # nproc batches of equal size (the last one shorter)
        return [arguments[start : start + size] for start in range(0, len(arguments), size)]

    original = builders.make_chunks  # type: ignore[attr-defined]
    builders.make_chunks = batches  # type: ignore[attr-defined]
    try:
        yield
    finally:
        builders.make_chunks = original  # type: ignore[attr-defined]


def setup_typst(app: Sphinx) -> None:
    """Register the Typst PDF builder."""
    app.add_builder(TypstBuilder)
    app.connect("env-before-read-docs", skip_pages_not_printed)
    app.connect("doctree-read", drop_links_to_pages_not_printed)


def setup(app: Sphinx) -> dict[str, Any]:
    """The PDF format's own extension (``tekan.target.PDF.sphinx_extension``): its builder, ``-b typst``."""
    from .. import __version__

    setup_typst(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
