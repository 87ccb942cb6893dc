"""Generating the pages at start-up, and the directives statement pages use (byline, English)."""

from __future__ import annotations

import json
import logging as std_logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..book import Book, book_pages, loaded_book, write_pages
from ..errors import Kind, TekanError
from ..files import write_if_changed
from ..glossary import glossary_forms, linker_inputs, protected_names
from ..linking import Linker
from ..memo import SEGMENTING_PACKAGES, FileMemo, code_digest, package_code, versions
from ..metadata import metadata_path
from ..model import Glossary, Translation
from ..project import DEFAULT_GLOSSARY
from ..rendering import AUDIT_PRINT_CLASS, AUDIT_TABLE, GLOSSARY_DOC, one_line, statement_doc
from ..target import Target
from ..translation import book_translations
from .config import NotPickled, book_of, edition_of, env_book, get_target, setup_config
from .glossary import term_reference
from .search import MEMO_FILE
from .sitemeta import DESCRIPTION_LENGTH

logger = logging.getLogger(__name__)

#: The memo of the linker's word boundaries in the doctree folder (:class:`tekan.memo.FileMemo`).
LINK_MEMO_FILE = "tekan-link-memo.pickle"
#: The memo of a collection's rendered statement and audit pages in the doctree folder (``rendering.render_book``).
PAGE_MEMO_FILE = "tekan-page-memo.pickle"
#: The modules whose code decides the word boundaries of a text: an edit to any of them starts a new memo.
LINKING_CODE = ("segmenting.py", "glossary.py", "scripts.py", "linking.py", "data/unlinked-words.txt")
_NUMBERED_ID = re.compile(r"^id\d+$")


def warn(message: str, kind: Kind, location: Any = None) -> None:
    logger.warning(message, location=location, type="tekan", subtype=kind.value)


def editor_location(book: Book, docname: str) -> str | None:
    """The editor's file (and line) a generated page was made from: a statement's page (or its parallel page)
    → its line in the seed; the glossary page → the glossary; any other page → the metadata file (or the seed)."""
    from ..translated import parallel_doc

    for publication in book.features or (book.publication,):
        for statement in publication.statements:
            if docname in (statement_doc(statement), parallel_doc(statement)):
                return f"{publication.source}:{statement.line}"
    if docname == GLOSSARY_DOC:
        return str(book.glossary.source)
    metadata = metadata_path(book.publication.source)
    return str(metadata if metadata.is_file() else book.publication.source)


class EditorsFiles(std_logging.Filter):
    """Moves a warning located in a generated page (Sphinx's or docutils' own: a directive, a reference, a meta
    tag) to the editor's file that page was made from, so the message points at something the editor can open.

    Added to Sphinx's warning handler after its own filters, which turn a location into ``path:line``
    (``sphinx.util.logging.setup``; canary: the located-warning test in tests/test_english_edition.py).
    Retired if Sphinx lets an extension map the locations of a generated document (it does not as of 9.0).
    """

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: std_logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        book = env_book(getattr(self.app, "env", None))
        if not isinstance(location, str | Path) or book is None:
            return True
        path, _, _ = str(location).rpartition(":") if re.search(r":\d*$", str(location)) else (str(location), "", "")
        source = Path(self.app.srcdir)
        if Path(path).suffix == ".md" and Path(path).is_relative_to(source):
            docname = Path(path).relative_to(source).with_suffix("").as_posix()
            record.location = editor_location(book, docname) or location
        return True


def _locate_in_editors_files(app: Sphinx) -> None:
    from sphinx.util.logging import NAMESPACE, WarningStreamHandler

    for handler in std_logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.addFilter(EditorsFiles(app))


# --- configuration -----------------------------------------------------------------------------


def _check_config(app: Sphinx, config: Any) -> None:
    if not get_target(config).report_gaps:  # the caller (``tekan build``) has reported them itself, once
        config.suppress_warnings = [*config.suppress_warnings, f"tekan.{Kind.gap.value}"]


# --- generation --------------------------------------------------------------------------------


def load_for(app: Sphinx) -> Book:
    """The book named by the configuration, loaded once per build however many handlers ask for it.

    EPUB settings need it at config-inited, the pages at builder-inited, the EPUB again at
    build-finished: the memo (:func:`tekan.book.loaded_book`, keyed by the inputs and their modification times)
    makes that one load, or none in a build forked from ``tekan build``, which loaded it to check it.
    """
    target = get_target(app)
    inputs = target.inputs
    glossary = inputs.glossary or DEFAULT_GLOSSARY
    try:
        return loaded_book(inputs.seed, glossary, target.edition.key, inputs.metadata, not target.variant.verbatim)
    except TekanError as exc:
        raise ExtensionError(str(exc)) from None


def generate_pages(app: Sphinx) -> None:
    """Load the book and write its MyST pages into the source folder (only those that changed)."""
    book = load_for(app)
    # ``tekan build`` printed the input's warnings itself, once (with -W they would fail the build, though an
    # unsplittable byline, say, is kept whole with a warning); plain sphinx-build reports them here.
    target = get_target(app)
    for problem in book.problems if target.report_gaps else ():
        # "path:line" — with the colon even without a line, or Sphinx reads the path as a page name.
        location = problem.location
        warn(problem.message, problem.kind, location=f"{location.path}:{location.line or ''}")
    translations = _translations(app)
    parallel_print = _parallel_print(target)
    if parallel_print and not translations:
        raise ExtensionError(
            "tekan_target.parallel: the parallel print sets each paragraph beside its translation, and this book has "
            "no translation catalogs (`tekan translate`)"
        )
    # The word boundaries of the texts linked by an earlier build: re-rendering unchanged pages segments nothing.
    inputs = linker_inputs(book.glossary, book.script, protected_names(book.publication, book.script))
    key = code_digest(LINKING_CODE, inputs, versions(*SEGMENTING_PACKAGES))
    memo: FileMemo[list[int]] = FileMemo(Path(app.doctreedir) / LINK_MEMO_FILE, key)
    # The pages rendered by an earlier build, valid for this code (the package's modules and data) and linker.
    page_key = code_digest((), package_code(), key)
    rendered: FileMemo[Any] = FileMemo(Path(app.doctreedir) / PAGE_MEMO_FILE, page_key, keep=4)
    # The print's list of changes only where it is printed (``audit_for_the_format`` drops it from the others).
    print_appendix = app.builder.format == "typst"
    pages = book_pages(
        book, translations, memo, parallel_print=parallel_print, pages=rendered, print_appendix=print_appendix
    )
    changed = write_pages(pages, Path(app.srcdir))
    memo.save()
    rendered.save()
    if changed:
        logger.info("tekan: generated %d page(s)", len(changed))
    # Reloaded at every start-up, never pickled with the environment (parallel readers are forked with it).
    app.env.tekan_book = NotPickled(book)  # type: ignore[attr-defined]
    _write_search_words(app, book)


def _parallel_print(target: Target) -> bool:
    """True for the parallel print: the statement pages themselves set each paragraph beside its translation."""
    return target.variant.parallel and (target.format is None or "parallel" in target.format.variants)


def _translations(app: Sphinx) -> dict[str, Translation]:
    """The statements' translations: the English edition's own text, or a Chinese edition's parallel pages
    (in the target's ``parallel_language``; none when it is ""). A collection's features each have their own."""
    target = get_target(app)
    inputs = target.inputs
    language = target.edition.translation or inputs.parallel_language
    try:
        return book_translations(inputs.seed, language, inputs.locale, inputs.metadata)
    except TekanError as exc:
        raise ExtensionError(str(exc)) from None


def _write_search_words(app: Sphinx, book: Book) -> None:
    words = sorted(set(glossary_forms(book.glossary, "hant")) | set(glossary_forms(book.glossary, "hans")))
    path = Path(app.doctreedir) / "tekan-search-words.txt"
    write_if_changed(path, "".join(f"{w} 100000 n\n" for w in words))
    glossary = str(book.glossary.source)
    options = {"dict": str(path), "glossary": glossary, "memo": str(Path(app.doctreedir) / MEMO_FILE)}
    app.config.html_search_options = {**app.config.html_search_options, **options}


# --- statement pages ---------------------------------------------------------------------------


def _data(line: str, directive: SphinxDirective) -> str:
    """A directive content line written by ``rendering.data_line`` (a JSON string), decoded: text, never markup."""
    try:
        value = json.loads(line)
    except ValueError:
        value = None
    if not isinstance(value, str):
        where = directive.get_location()
        warn(f"{directive.name}: expected a JSON string, not {line.strip()!r}", Kind.structure, where)
        return ""
    return value


class BylineDirective(SphinxDirective):
    """``tekan-byline``: the signature of a statement, from ``key: "JSON string"`` lines (never parsed as markup)."""

    has_content = True
    KEYS: ClassVar[tuple[str, ...]] = (
        "organisation",
        "position",
        "person",
        "raw",
        "person_en",
        "position_en",
        "organisation_en",
        "english_first",
    )

    def run(self) -> list[nodes.Node]:
        fields: dict[str, str] = {}
        for line in self.content:
            key, _, value = line.partition(": ")
            if key not in self.KEYS:
                warn(f"tekan-byline: unknown field {key!r}", Kind.structure, self.get_location())
                continue
            fields[key] = _data(value, self)
        words = edition_of(self.env).pages
        byline = nodes.paragraph(classes=["tekan-byline"])
        byline += nodes.Text(words.by_chinese)
        if "raw" in fields:
            byline += nodes.inline(fields["raw"], fields["raw"], classes=["tekan-raw"])
        for key in ("organisation", "position", "person"):
            if key in fields:
                part = nodes.inline(fields[key], "", classes=[f"tekan-{key}"])
                # A position is glossary vocabulary too (黨組書記, 黨委書記): linked as in the body.
                part.extend(self._linked(fields[key]) if key == "position" else [nodes.Text(fields[key])])
                byline += part
        result: list[nodes.Node] = [byline]
        english = [fields.get(k, "") for k in ("person_en", "position_en", "organisation_en")]
        if any(english):
            text = ", ".join(one_line(e) for e in english if e)
            if "english_first" in fields:  # the English edition: the English signature, the Chinese under it
                signature = nodes.paragraph("", words.by + text, classes=["tekan-byline", "language-en"])
                byline["classes"] = ["tekan-byline-zh", "language-zh-Hant"]
                result = [signature, byline]
            else:
                result.append(nodes.paragraph(text, text, classes=["tekan-byline-en", "language-en"]))
        container = nodes.container(classes=["tekan-byline"])
        container.extend(result)
        self.set_source_info(container)
        return [container]

    def _linked(self, text: str) -> list[nodes.Node]:
        book = book_of(self.env)
        parts: list[nodes.Node] = []
        for segment, term_id in _byline_links(book.glossary, book.script, text):
            if term_id is None:
                parts.append(nodes.Text(segment))
            else:
                parts.append(term_reference(book.glossary.by_id[term_id], segment))
        return parts


@lru_cache(maxsize=4)
def _byline_linker(glossary: Glossary, script: str) -> Linker:
    """The linker of bylines, built once per glossary and script (not once per statement page)."""
    return Linker.build(glossary_forms(glossary, script))


#: The links of the positions linked so far, for the glossary and script they were linked with (the glossary by
#: identity: hashing a glossary goes through all its terms). A collection's bylines repeat few positions.
_BYLINE_LINKS: list[Any] = [None, None, {}]


def _byline_links(glossary: Glossary, script: str, text: str) -> list[tuple[str, str | None]]:
    """The segments of a byline's ``text`` with the term each links to (None: plain text), linked once per text."""
    if _BYLINE_LINKS[0] is not glossary or _BYLINE_LINKS[1] != script:
        _BYLINE_LINKS[:] = [glossary, script, {}]
    known: dict[str, list[tuple[str, str | None]]] = _BYLINE_LINKS[2]
    if text not in known:
        known[text] = list(_byline_linker(glossary, script).link([text])[0])
    return known[text]


class EnglishDirective(SphinxDirective):
    """``tekan-english``: a paragraph of English (``lang="en"``) from JSON string lines, taken literally."""

    has_content = True
    classes: ClassVar[list[str]] = ["tekan-english", "language-en"]

    def run(self) -> list[nodes.Node]:
        text = " ".join(one_line(_data(line, self)) for line in self.content if line.strip())
        paragraph = nodes.paragraph(text, text, classes=list(self.classes))
        self.set_source_info(paragraph)
        return [paragraph]


class ChineseDirective(EnglishDirective):
    """``tekan-chinese``: the Chinese original of a title in the English edition (``lang="zh-Hant"``), literally."""

    classes: ClassVar[list[str]] = ["tekan-chinese", "language-zh-Hant"]


class TranslationNoteDirective(EnglishDirective):
    """``tekan-translation-note``: the note that a page's English is the editors' translation, literally."""

    classes: ClassVar[list[str]] = ["tekan-translation-note"]


def chinese_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: object, options: object = None, content: object = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{tekan-zh}`…```: Chinese quoted in English text (an editors' note), tagged so its language is declared."""
    return [nodes.inline(rawtext, text, classes=["language-zh-Hant"])], []


#: A row of an audit table: its cells, a changed cell as [text before, the change, text after].
AuditRow = list[str | list[str]]


def audit_table(rows: list[AuditRow]) -> nodes.table:
    """The nodes MyST makes of a Markdown table whose first row is the header, a change in bold (``{strong}``)."""
    width = len(rows[0])
    table = nodes.table(classes=["colwidths-auto"])
    tgroup = nodes.tgroup(cols=width)
    table += tgroup
    tgroup.extend(nodes.colspec(colwidth=100 // width) for _ in range(width))
    tgroup += nodes.thead("", _audit_row(rows[0], width))
    if len(rows) > 1:
        tgroup += nodes.tbody("", *(_audit_row(row, width) for row in rows[1:]))
    return table


def _audit_row(cells: AuditRow, width: int) -> nodes.row:
    row = nodes.row()
    for cell in [*cells, *[""] * (width - len(cells))][:width]:
        paragraph = nodes.paragraph()
        if isinstance(cell, str):
            if cell:
                paragraph += nodes.Text(cell)
        else:
            before, changed, after = cell
            if before:
                paragraph += nodes.Text(before)
            if changed:
                paragraph += nodes.strong(changed, changed)
            if after:
                paragraph += nodes.Text(after)
        row += nodes.entry("", paragraph)
    return row


class audit_rows(nodes.General, nodes.Element):
    """An audit table while its page is read and resolved: its rows as data in one node, so the transforms that
    walk every node of every page do not walk its thousands of cells (three quarters of a collection's nodes) and
    its doctree file holds a list; :class:`ExpandAuditTables` puts :func:`audit_table`'s nodes in its place."""


class ExpandAuditTables(SphinxPostTransform):
    """Each audit table's nodes in place of its rows, before the post-transforms that look at tables (furo wraps
    each in a container, at 500) and before the page is indexed for search and translated: from there on the page
    is what it was when the directive made the table itself. The post-transforms that run earlier resolve
    references and ``only`` nodes, images, code and signatures, none of which a table of plain text holds
    (``tests/test_sphinx_build.py`` lists them).

    The site's pages (the ``html`` builder with furo) get the table's HTML itself instead, as one raw node: what
    Sphinx's translator writes for those nodes inside furo's wrapper (:func:`audit_table_html`), without making,
    walking and translating a node per cell. The audit page is not searched (``nosearch``), so no index sees the
    difference; the EPUB and the PDF get the nodes."""

    default_priority = 499
    #: The site's tables written as HTML directly (False: as nodes, translated by Sphinx; the tests compare both).
    html_directly: ClassVar[bool] = True

    def run(self, **kwargs: Any) -> None:
        direct = self.html_directly and self.env._builder_cls.name == "html" and self.config.html_theme == "furo"
        described = 0  # characters of text in the tables made as nodes so far
        for placeholder in list(self.document.findall(audit_rows)):
            rows: list[AuditRow] = placeholder["rows"]
            # The page's description is drawn from its first paragraphs (tekan.sphinxext.sitemeta reads no further
            # than twice its length): the first tables stay nodes until their text alone is past that.
            if direct and described > 2 * DESCRIPTION_LENGTH:
                table: nodes.Element = nodes.raw("", audit_table_html(rows), format="html")
            else:
                table = audit_table(rows)
                described += sum(len(part) for cell in (c for row in rows for c in row) for part in _parts(cell))
            table.source, table.line = placeholder.source, placeholder.line
            placeholder.replace_self(table)


def _parts(cell: str | list[str]) -> list[str]:
    return [cell] if isinstance(cell, str) else cell


#: The characters docutils' HTML translator writes as references (``HTMLTranslator.special_characters``).
_HTML_SPECIAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord('"'): "&quot;", ord(">"): "&gt;", ord("@"): "&#64;"}


def audit_table_html(rows: list[AuditRow]) -> str:
    """The HTML of :func:`audit_table` ``(rows)`` as Sphinx's HTML5 translator writes it in furo's table wrapper:
    rows numbered odd and even from the header, the header's cells ``th.head``, each cell one paragraph."""
    width = len(rows[0])
    parts = ['<div class="table-wrapper colwidths-auto docutils container">\n<table class="docutils align-default">\n']
    parts.append("<thead>\n")
    for index, cells in enumerate(rows):
        if index == 1:
            parts.append("</thead>\n<tbody>\n")
        parts.append('<tr class="row-odd">' if index % 2 == 0 else '<tr class="row-even">')
        opening, closing = ('<th class="head"><p>', "</p></th>\n") if index == 0 else ("<td><p>", "</p></td>\n")
        for cell in [*cells, *[""] * (width - len(cells))][:width]:
            parts.append(opening)
            if isinstance(cell, str):
                parts.append(cell.translate(_HTML_SPECIAL))
            else:
                before, changed, after = cell
                parts.append(before.translate(_HTML_SPECIAL))
                if changed:
                    parts.append(f"<strong>{changed.translate(_HTML_SPECIAL)}</strong>")
                parts.append(after.translate(_HTML_SPECIAL))
            parts.append(closing)
        parts.append("</tr>\n")
    parts.append("</tbody>\n" if len(rows) > 1 else "</thead>\n")
    parts.append("</table>\n</div>\n")
    return "".join(parts)


class AuditTableDirective(SphinxDirective):
    """``tekan-audit-table``: a table of the audit page from JSON array lines (data, never markup): the column
    names, then one row per change. A page of thousands of changes is not parsed as Markdown."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        rows = [row for row in (self._row(line) for line in self.content if line.strip()) if row is not None]
        if not rows:
            return []
        table = audit_rows(rows=rows)
        self.set_source_info(table)
        return [table]

    def _row(self, line: str) -> AuditRow | None:
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        if isinstance(value, list) and all(_is_cell(cell) for cell in value):
            return value
        warn(f"{self.name}: expected a JSON array of cells, not {line.strip()!r}", Kind.structure, self.get_location())
        return None


def _is_cell(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and len(value) == 3 and all(isinstance(part, str) for part in value)
    )


class StableSectionIds(SphinxTransform):
    """Drop docutils' numbered ids (``id1``) from sections that carry a label: Chinese titles get
    numbers that shift when content changes, and the label is the stable name links use."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for section in self.document.findall(nodes.section):
            ids = section["ids"]
            stable = [i for i in ids if not _NUMBERED_ID.match(i)]
            if stable and len(stable) < len(ids):
                section["ids"] = stable


def audit_for_the_format(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The audit page: print keeps the compact appendix (no sections, so no running heads of statement titles),
    the site and the EPUB keep the full list by statement. (The PDF resolves one tree of the whole book.)"""
    for compact in list(doctree.findall(nodes.container)):
        if AUDIT_PRINT_CLASS not in compact["classes"]:
            continue
        page = compact.parent
        if app.builder.format == "typst":  # print: the compact appendix
            for section in [child for child in page.children if isinstance(child, nodes.section)]:
                page.remove(section)
        else:
            page.remove(compact)


def setup_pages(app: Sphinx) -> None:
    """The target, page generation and the statement-page directives."""
    setup_config(app)
    app.connect("config-inited", _check_config)
    _locate_in_editors_files(app)
    app.connect("builder-inited", generate_pages)
    app.add_directive("tekan-byline", BylineDirective)
    app.add_directive("tekan-english", EnglishDirective)
    app.add_directive("tekan-chinese", ChineseDirective)
    app.add_directive("tekan-translation-note", TranslationNoteDirective)
    app.add_role("tekan-zh", chinese_role)
    app.add_directive(AUDIT_TABLE, AuditTableDirective)
    app.add_node(audit_rows)
    app.add_post_transform(ExpandAuditTables)
    app.add_transform(StableSectionIds)
    app.connect("doctree-resolved", audit_for_the_format)
