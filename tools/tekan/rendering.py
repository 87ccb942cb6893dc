"""Publication → MyST Markdown pages. Seed text is escaped so that it is always data, never markup."""

from __future__ import annotations

import hashlib
import json
import pickle
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from .editions import HANT, AuditWords, Edition, PageWords
from .linking import Linker, Segment
from .model import Change, Publication, Sector, Statement

if TYPE_CHECKING:
    from .memo import FileMemo

T = TypeVar("T")

#: ASCII punctuation that cannot start MyST, CommonMark, HTML or Sphinx syntax in running text. (Not ``)``:
#: ``1)`` or ``2021)`` at the start of a line opens an ordered list.)
_SAFE_PUNCTUATION = ",;('\"?!/"
#: Line breaks of every kind: CommonMark's, and those Python's ``splitlines`` and YAML also break at.
_BREAKS = "\n\r\v\f\x1c-\x1e\x85\u2028\u2029"  # as a character class's contents
_LINE_BREAKS = re.compile(f"[{_BREAKS}]+")
_SPACES = re.compile(f"[ \t{_BREAKS}]+")
#: The ASCII marks :func:`escape` backslash-escapes, as a character class's contents.
_ESCAPED_MARKS = re.escape("".join(c for c in r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""" if c not in _SAFE_PUNCTUATION))
_ESCAPE = re.compile(f"([{_ESCAPED_MARKS}])")
#: Anything :func:`escape` changes: a line break or a mark it escapes (most of a book's text holds neither).
_ESCAPED_OR_BREAK = re.compile(f"[{_ESCAPED_MARKS}{_BREAKS}]")

#: Names of the generated pages (relative to the Sphinx source folder, without suffix).
GLOSSARY_DOC = "glossary"
ENGLISH_INDEX_DOC = "english-index"
AUDIT_DOC = "audit"
ABOUT_DOC = "about"


def escape(text: str) -> str:
    """Inline text as MyST that reads back as itself: every ASCII punctuation mark that could open markup is
    backslash-escaped (CommonMark escapes), and line breaks become spaces (they would start new blocks)."""
    if _ESCAPED_OR_BREAK.search(text) is None:  # one search for most text, not two
        return text
    if _LINE_BREAKS.search(text):  # never in seed lines; metadata (descriptions) may hold them
        text = _LINE_BREAKS.sub(" ", text)
    # Most text needs no escape: searching first skips re.sub's per-call template handling (3x faster).
    return _ESCAPE.sub(r"\\\1", text) if _ESCAPE.search(text) else text


def one_line(text: str) -> str:
    """Metadata text for a place that holds one line (an English headline, a cover): runs of spaces and
    line breaks become one space (the ideographic space U+3000 is text and kept)."""
    return _SPACES.sub(" ", text).strip(" ")


#: ``json.dumps(value, ensure_ascii=False)`` without a new encoder per call (an audit page has 600,000 lines).
_JSON = json.JSONEncoder(ensure_ascii=False)


def data_line(value: str | list[object]) -> str:
    """``value`` as one line that no Markdown, MyST or YAML reader splits: a JSON string (or array) literal.

    Metadata (English headlines, pinyin, descriptions) reaches the pages only this way — as the content
    of a directive or a front-matter value that decodes it — so it is data, never markup.
    """
    text = _JSON.encode(value)  # escapes the C0 controls, quotes and backslashes
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def yaml_string(value: str) -> str:
    """A YAML scalar that is read back as exactly ``value`` (JSON strings are valid YAML)."""
    return data_line(value)


def front_matter(description: str, author: str = "", fields: tuple[str, ...] = ()) -> list[str]:
    """A page's YAML front matter: tekan ``fields`` (``key: value`` lines), then the HTML description and author.

    An empty value is left out (docutils refuses a meta tag without content, and would stop the build).
    """
    meta = [f"    {name}: {yaml_string(value)}" for name, value in (("description", description), ("author", author))]
    meta = [line for line, value in zip(meta, (description, author), strict=True) if value.strip()]
    return ["---", *fields, *(["myst:", "  html_meta:", *meta] if meta else []), "---"]


def feature_of(publication: Publication) -> str:
    """The id of the feature a collection's publication is ("" for one without statements, or outside a collection)."""
    return publication.statements[0].meta.feature if publication.statements else ""


def _in(feature: str, name: str) -> str:
    """``name`` inside a feature's folder (a collection), or as it is (a book of one seed)."""
    return f"{feature}/{name}" if feature else name


def statement_doc(statement: Statement) -> str:
    """The page name of a statement (in a collection, inside its feature's folder: names never collide)."""
    return _in(statement.meta.feature, f"statements/{statement.meta.slug}")


def statement_key(statement: Statement) -> str:
    """A statement's key among a book's translations: its page name, in a collection with its feature's
    (two features may each have a ``wang-xiaoming``)."""
    slug = statement.meta.slug
    return f"{statement.meta.feature}/{slug}" if statement.meta.feature else slug


def statement_label(statement: Statement) -> str:
    """The label (and HTML id) of a statement's title."""
    return page_label(statement.meta.feature, statement.meta.slug)


def sector_doc(sector: Sector) -> str:
    """The page name of a sector's part page."""
    return _in(sector.feature, f"sectors/{sector.id}")


def feature_doc(feature: str) -> str:
    """The home page of a feature in a collection (the book's own home page in a book of one seed)."""
    return _in(feature, "index")


def audit_doc(feature: str) -> str:
    """The audit page of a feature's normalisation (the book's own in a book of one seed)."""
    return _in(feature, AUDIT_DOC)


def about_doc(feature: str) -> str:
    """The editorial note of a feature (關於本版: what was done to the text), in the contents; it links to the audit."""
    return _in(feature, ABOUT_DOC)


def page_link(target_doc: str, from_doc: str) -> str:
    """A relative Markdown link target from one generated page to another."""
    start = posixpath.dirname(from_doc)
    folder, _, name = target_doc.rpartition("/")
    # The path of the target's folder, worked out once per pair of folders (an audit log of 16,000 statements asked
    # 140,000 times), then the page's name; the whole path where the page's name could be part of the way back.
    if name in ("", ".", "..") or start == target_doc or start.startswith(target_doc + "/"):
        return posixpath.relpath(target_doc, start or ".") + ".md"
    way = _folder_link(folder, start)
    return (name if way == "." else f"{way}/{name}") + ".md"


@lru_cache(maxsize=1024)
def _folder_link(folder: str, start: str) -> str:
    return posixpath.relpath(folder or ".", start or ".")


def page_label(feature: str, name: str) -> str:
    """The label (and HTML id) ``name`` of a page of a feature (in a collection) or of the book."""
    # The feature last: HTML ids drop leading digits, and feature ids often start with a year.
    return f"{name}-{feature}" if feature else name


def _role(text: str, term: str) -> str:
    # Term forms are checked to hold no backtick or angle bracket (glossary.load_glossary).
    return "{term}`" + text + " <" + term + ">`"


def render_segments(segments: list[Segment]) -> str:
    """One paragraph: escaped text, with term occurrences as ``{term}`` roles."""
    return "".join(escape(text) if term is None else _role(text, term) for text, term in segments)


def parallel_row(number: int, chinese: str, english: str) -> list[str]:
    """One paragraph and its translation as a parallel (對照) row: side by side on a wide page, stacked on a narrow one.

    ``chinese`` and ``english`` are MyST paragraphs; the row's id is ``p<number>``.
    """
    return [
        "````{container} tekan-parallel-row",
        f":name: p{number}",
        "",
        "```{container} tekan-parallel-zh",
        chinese,
        "```",
        "",
        "```{container} tekan-parallel-en language-en",
        english,
        "```",
        "````",
        "",
    ]


def render_statement(
    statement: Statement, linker: Linker, parallel: str = "", english: Sequence[str] | None = None
) -> str:
    """The MyST page of one statement: front matter, title, body, byline.

    ``parallel`` is the text of a link to the statement's parallel (Chinese–English) page; "" for none.
    ``english`` (MyST paragraphs, one per paragraph) makes the page itself parallel: each paragraph in a row
    beside its translation (the parallel print edition).
    """
    attribution, meta = statement.attribution, statement.meta
    description = statement.paragraphs[0][:120]
    # Nothing here may change when another statement is edited (the seed line would: adding a paragraph
    # to one statement would then change every later page and re-read the whole book).
    fields = (f"tekan_number: {statement.number}", f"tekan_sector: {yaml_string(meta.sector)}")
    front = front_matter(description, attribution.person or attribution.raw, fields)
    lines = [*front, "", f"({statement_label(statement)})=", f"# {escape(statement.headline)}", ""]
    if meta.headline_en:
        lines += ["```{tekan-english}", data_line(meta.headline_en), "```", ""]
    if parallel:  # the website and the EPUB have the parallel pages; print has not
        link = f"[{escape(parallel)}](../parallel/{meta.slug}.md)"
        lines += ["````{only} html", "```{container} tekan-parallel-link", link, "```", "````", ""]
    notes = list(meta.editor_notes)
    footnotes: list[str] = []
    linked = linker.link(statement.paragraphs)
    for number, (text, paragraph) in enumerate(zip(statement.paragraphs, linked, strict=True), start=1):
        marks = ""
        for quoted, note in [n for n in notes if n[0] in text]:
            notes.remove((quoted, note))
            footnotes.append(f"[^ed-{len(footnotes) + 1}]: {escape(note)}")
            marks += f"[^ed-{len(footnotes)}]"
        if english is not None:
            lines += parallel_row(number, render_segments(paragraph) + marks, english[number - 1])
        else:
            lines += [render_segments(paragraph) + marks, ""]
    lines += render_byline(statement)
    if footnotes:  # the editor's notes on the source's text, after the byline
        lines += [*footnotes, ""]
    return "\n".join(lines)


def render_byline(statement: Statement, english_first: bool = False) -> list[str]:
    """The ``tekan-byline`` directive of a statement; ``english_first`` for the English edition."""
    attribution, meta = statement.attribution, statement.meta
    lines = ["```{tekan-byline}"]
    if english_first:
        lines.append(f"english_first: {data_line('yes')}")
    # Parts are shown split only when they join back to the byline as printed (name-first or
    # bracketed bylines are read for their parts, but printed exactly as written).
    if attribution.is_split and attribution.organisation + attribution.position + attribution.person == attribution.raw:
        lines += [
            f"organisation: {data_line(attribution.organisation)}",
            f"position: {data_line(attribution.position)}",
            f"person: {data_line(attribution.person)}",
        ]
    else:
        lines += [f"raw: {data_line(attribution.raw)}"]
    for key, value in (
        ("person_en", meta.person_pinyin),
        ("position_en", meta.position_en),
        ("organisation_en", meta.organisation_en),
    ):
        if value:
            lines.append(f"{key}: {data_line(value)}")
    return [*lines, "```", ""]


def render_sector(sector: Sector, statements: list[Statement]) -> str:
    """A sector's part page: its name and the toctree of its statements."""
    lines = [f"({page_label(sector.feature, f'sector-{sector.id}')})=", f"# {escape(sector.zh)}", ""]
    if sector.en:  # an English name the metadata does not give is left out, never invented
        lines += ["```{tekan-english}", data_line(sector.en), "```", ""]
    lines += [
        "```{toctree}",
        ":maxdepth: 1",
        "",
        *(f"/{statement_doc(st)}" for st in statements),
        "```",
        "",
    ]
    return "\n".join(lines)


def render_index(publication: Publication, labels: PageWords, feature: str = "") -> str:
    """The home page (or a feature's, in a collection): title, description, statements grouped by sector.

    A feature's page is a part of the collection: it also shows the feature's masthead and date, and its
    table of contents holds its sectors and its audit page (the glossary and indexes are the collection's).
    """
    here = feature_doc(feature)
    meta = publication.meta
    lines = [
        *front_matter(meta.description_zh or meta.title),
        "",
        f"({page_label(feature, 'home')})=",
        f"# {escape(meta.title)}",
        "",
    ]
    if meta.title_en:
        lines += ["```{tekan-english}", data_line(meta.title_en), "```", ""]
    if feature:
        lines += [escape("　".join(p for p in (publication.masthead, meta.date) if p)), ""]
    if meta.description_zh:
        lines += [escape(meta.description_zh), ""]
    if meta.description_en:
        lines += ["```{tekan-english}", data_line(meta.description_en), "```", ""]
    groups = publication.by_sector()
    for sector, statements in groups:
        lines += [f"({page_label(feature, f'home-{sector.id}')})=", f"## {escape(sector.zh)}", ""]
        for st in statements:
            who = "".join(p for p in (st.attribution.organisation, st.attribution.position) if p)
            speaker = st.attribution.person or st.attribution.raw
            # A Markdown link, not a role: role text is not unescaped, link text is.
            lines.append(f"- [{escape(st.headline)}]({page_link(statement_doc(st), here)})  ")
            lines.append(f"  {escape(speaker)}　{escape(who)}" if who else f"  {escape(speaker)}")
            if st.meta.headline_en:
                lines += ["", "  ```{tekan-english}", f"  {data_line(st.meta.headline_en)}", "  ```", ""]
        lines.append("")
    lines += [
        "```{toctree}",
        ":hidden:",
        f":caption: {labels.contents}",
        "",
        *(f"/{sector_doc(sector)}" for sector, _ in groups),
        *([] if feature else [f"/{GLOSSARY_DOC}", f"/{ENGLISH_INDEX_DOC}"]),
        f"/{about_doc(feature)}",
        "```",
        "",
    ]
    return "\n".join(lines)


def render_collection_index(collection: Publication, features: tuple[Publication, ...], labels: PageWords) -> str:
    """The home page of a collection: its title and description, and each feature with its date and size."""
    meta = collection.meta
    lines = [
        *front_matter(meta.description_zh or meta.title),
        "",
        "(home)=",
        f"# {escape(meta.title)}",
        "",
    ]
    if meta.title_en:
        lines += ["```{tekan-english}", data_line(meta.title_en), "```", ""]
    if meta.description_zh:
        lines += [escape(meta.description_zh), ""]
    if meta.description_en:
        lines += ["```{tekan-english}", data_line(meta.description_en), "```", ""]
    ids = [feature_of(feature) for feature in features]
    for fid, feature in zip(ids, features, strict=True):
        if not fid:
            continue
        size = f"{len(feature.statements)} {labels.statements}"
        facts = "　".join(p for p in (feature.masthead, feature.meta.date, size) if p)
        lines += [f"- [{escape(feature.meta.title)}]({page_link(feature_doc(fid), 'index')})  ", f"  {escape(facts)}"]
        if feature.meta.title_en:
            lines += ["", "  ```{tekan-english}", f"  {data_line(feature.meta.title_en)}", "  ```", ""]
    lines += [
        "",
        "```{toctree}",
        ":hidden:",
        f":caption: {labels.contents}",
        "",
        *(f"/{feature_doc(fid)}" for fid in ids if fid),
        f"/{GLOSSARY_DOC}",
        f"/{ENGLISH_INDEX_DOC}",
        "```",
        "",
    ]
    return "\n".join(lines)


def render_glossary(labels: PageWords) -> str:
    """The glossary page; entries come from the ``tekan-glossary`` directive."""
    intro = labels.glossary_intro.format(english=f"{{doc}}`/{ENGLISH_INDEX_DOC}`")
    return "\n".join([f"({GLOSSARY_DOC})=", f"# {labels.glossary}", "", intro, "", "```{tekan-glossary}", "```", ""])


def render_english_index(labels: PageWords) -> str:
    """The English A–Z index of glossary terms (kept out of search: it repeats the glossary's words)."""
    return "\n".join(
        [
            "---",
            "nosearch: true",
            "---",
            "",
            f"({ENGLISH_INDEX_DOC})=",
            f"# {labels.english_index}",
            "",
            *([escape(labels.english_index_intro), ""] if labels.english_index_intro else []),
            "```{tekan-english-index}",
            "```",
            "",
        ]
    )


def _remembered(memo: FileMemo[Any] | None, parts: object, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave an earlier build for the same ``parts`` (everything the page is made of besides
    what the memo's key covers: the code and the linker's inputs)."""
    if memo is None:
        return compute()
    value: T = memo.get(value_digest(parts), lambda _: compute())
    return value


def value_digest(parts: object) -> str:
    """A digest of ``parts`` that depends on their values alone: their pickle without its memo (``fast``), which would
    write a value met twice as a reference to its first place, so that equal parts holding one string twice or two
    equal strings (a statement's changes, loaded afresh after an edit) had two digests and their pages were made
    again (every audit page of a feature of 1,600 statements, after any edit)."""
    import io

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: the parts hold no cycle
    pickler.dump(parts)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def render_book(
    publication: Publication,
    linker: Linker,
    edition: Edition = HANT,
    features: tuple[Publication, ...] = (),
    parallel: Mapping[str, str] | None = None,
    english: Mapping[str, Sequence[str]] | None = None,
    memo: FileMemo[Any] | None = None,
    feature_keys: Sequence[str] = (),
    print_appendix: bool = True,
) -> dict[str, str]:
    """Every generated page of a book: relative path (with ``.md``) → MyST text.

    A collection (``features``: one publication per seed, ``publication`` their union under the
    collection's own metadata) has its home page, glossary and English index at the top, and each
    feature's home, sectors, statements and audit page in the feature's own folder. ``parallel`` maps the keys
    (:func:`statement_key`) of the statements that have a parallel page to the text of the link to it; ``english``
    maps keys to the statements' English paragraphs (MyST), which makes those statement pages parallel (the
    parallel print).
    ``memo`` keeps the statement and audit pages from build to build (valid for one code and one linker's inputs):
    an edit re-renders the pages of what it changed. With ``feature_keys`` (one per feature: a digest of everything
    the feature was loaded from, :attr:`tekan.book.Book.feature_keys`) it keeps each feature's pages as a whole: an
    edit renders its own feature's pages, and the others' are taken as they were without being made or compared.
    ``print_appendix``: the editorial notes hold the print's list of changes (:func:`render_about`).
    """
    labels = edition.pages
    parallel = parallel or {}
    english = english or {}
    if features:
        pages = {"index.md": render_collection_index(publication, features, labels)}
    else:
        pages = {"index.md": render_index(publication, labels)}
    sectors = publication.by_sector()
    if memo is not None and features and len(feature_keys) == len(features):
        own: dict[str, list[tuple[Sector, list[Statement]]]] = {}
        for sector, statements in sectors:
            own.setdefault(sector.feature, []).append((sector, statements))
        look = hashlib.sha256(pickle.dumps(edition, pickle.HIGHEST_PROTOCOL)).hexdigest()
        for feature, key in zip(features, feature_keys, strict=True):
            fid = feature_of(feature)
            if not fid:
                continue
            groups = own.pop(fid, [])
            members = [st for _, sts in groups for st in sts]
            # The pages depend on the feature, its place in the collection (the statements are numbered through),
            # the edition and the statements' parallel links and translations; the linker is the memo's key.
            first = min((st.number for st in members), default=0)
            links = tuple(parallel.get(statement_key(st), "") for st in members)
            translations = tuple(english.get(statement_key(st)) for st in members)
            pages |= _remembered(
                memo,
                ("feature", key, look, fid, first, links, translations, print_appendix),
                lambda f=feature, g=groups: _feature_pages(  # type: ignore[misc]
                    f, g, linker, edition, parallel, english, memo, print_appendix
                ),
            )
        sectors = [group for groups in own.values() for group in groups]
        rest: tuple[Publication, ...] = ()  # each feature's own pages are among its pages
    else:
        rest = features
    pages |= _sector_pages(sectors, linker, parallel, english, memo)
    pages[f"{GLOSSARY_DOC}.md"] = render_glossary(labels)
    pages[f"{ENGLISH_INDEX_DOC}.md"] = render_english_index(labels)
    if not features:
        pages[f"{ABOUT_DOC}.md"] = render_about(publication, edition, print_appendix=print_appendix)
        if publication.changes:
            audit = render_audit_pages(publication, edition, memo=memo)  # one feature's log: each page remembered
            pages |= {f"{name}.md": text for name, text in audit.items()}
    for feature in rest:
        pages |= _feature_own_pages(feature, edition, memo, print_appendix)
    return pages


def _feature_pages(
    feature: Publication,
    sectors: list[tuple[Sector, list[Statement]]],
    linker: Linker,
    edition: Edition,
    parallel: Mapping[str, str],
    english: Mapping[str, Sequence[str]],
    memo: FileMemo[Any] | None,
    print_appendix: bool = True,
) -> dict[str, str]:
    """The pages of one feature of a collection: its sectors and statements (``sectors``: the collection's, numbered
    through), its home, about and audit pages."""
    own = _feature_own_pages(feature, edition, memo, print_appendix)
    return _sector_pages(sectors, linker, parallel, english, memo) | own


def _sector_pages(
    sectors: list[tuple[Sector, list[Statement]]],
    linker: Linker,
    parallel: Mapping[str, str],
    english: Mapping[str, Sequence[str]],
    memo: FileMemo[Any] | None,
) -> dict[str, str]:
    """The pages of ``sectors`` and of their statements."""
    pages: dict[str, str] = {}
    for sector, statements in sectors:
        pages[f"{sector_doc(sector)}.md"] = render_sector(sector, statements)
        for statement in statements:
            link = parallel.get(statement_key(statement), "")
            translation = english.get(statement_key(statement))
            pages[f"{statement_doc(statement)}.md"] = _remembered(
                memo,
                ("statement", statement, link, translation),
                lambda st=statement, ln=link, tr=translation: render_statement(st, linker, ln, tr),  # type: ignore[misc]
            )
    return pages


def _feature_own_pages(
    feature: Publication, edition: Edition, memo: FileMemo[Any] | None, print_appendix: bool = True
) -> dict[str, str]:
    """A collection's feature's home, about and audit pages."""
    labels = edition.pages
    pages: dict[str, str] = {}
    fid = feature_of(feature)
    if fid:
        pages[f"{feature_doc(fid)}.md"] = render_index(feature, labels, fid)
        pages[f"{about_doc(fid)}.md"] = render_about(feature, edition, fid, print_appendix)
        if feature.changes:
            audit = _remembered(
                memo,
                ("audit", feature, edition, fid),
                lambda f=feature, fid=fid: render_audit_pages(f, edition, fid),  # type: ignore[misc]
            )
            pages |= {f"{name}.md": text for name, text in audit.items()}
    return pages


# --- the audit page ----------------------------------------------------------------------------


def _cell(text: str, start: int, length: int) -> str:
    piece = text[start : start + length]
    # The changed characters in bold; they are Han characters or punctuation, never a backtick.
    return escape(text[:start]) + "{strong}`" + piece + "`" + escape(text[start + length :])


#: What a Markdown table cell drops at either end (CommonMark's whitespace): the audit's tables were Markdown tables.
_CELL_SPACE = "\t\n\v\f\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"

_CELL_SPACE_SET = frozenset(_CELL_SPACE)


def _table_cell(text: str, start: int, length: int) -> list[str]:
    """A cell of the audit table: the text before the change, the change (in bold), the text after it, without
    the spaces at either end of the cell (a context cut next to a space)."""
    left = len(text) - len(text.lstrip(_CELL_SPACE)) if text[:1] in _CELL_SPACE_SET else 0
    right = len(text.rstrip(_CELL_SPACE)) if text[-1:] in _CELL_SPACE_SET else len(text)
    begin, end = min(max(start, left), right), min(max(start + length, left), right)
    return [text[left:begin], text[begin:end], text[end:right]]


#: The directive of the audit page's tables: one JSON array per row, data (never markup), so a page of
#: thousands of changes is not parsed as Markdown tables (which cost most of a collection's reading time).
AUDIT_TABLE = "tekan-audit-table"


#: The class of the print appendix's compact list on the audit page (the PDF keeps it, the others drop it).
AUDIT_PRINT_CLASS = "tekan-audit-print"
#: The class of the editorial note's link to the audit pages (the site's and the EPUB's: the print has none).
AUDIT_LINK_CLASS = "tekan-audit-link"
#: Kinds of change the print appendix lists one by one (punctuation and quotes are counted, and listed on the site).
PRINT_RULES = ("word", "customary", "lookalike", "dash")


def _place(change: Change, words: AuditWords) -> str:
    return words.paragraph.format(n=change.paragraph) if change.part == "paragraph" else getattr(words, change.part)


def editorial_note(publication: Publication, edition: Edition = HANT) -> list[str]:
    """What was done to the seed's text, as paragraphs, derived from the changes normalisation made (never a
    claim about the seed's history that the changes do not show)."""
    from .normalise import RULES

    words = edition.audit
    if not publication.normalised:
        return [words.verbatim]
    changes = publication.changes
    tally = Counter(c.rule for c in changes)
    counts = {rule: tally[rule] for rule in (*RULES, "conversion")}
    if publication.script == "hans":  # a Simplified seed: punctuation corrected, the Traditional by conversion
        return [words.intro_simplified_seed.format(punctuation=counts["punctuation"], conversion=counts["conversion"])]
    if not changes:
        return [words.none, *([words.converted_note] if words.converted_note else [])]
    summary = edition.pages.separator.join(
        words.count.format(label=getattr(words, r), n=n) for r, n in counts.items() if n
    )
    done = "".join(sentence for rule, sentence in words.done if counts.get(rule))
    paragraphs = [words.intro.format(total=len(changes), summary=summary) + done + words.names]
    if words.converted_note:
        paragraphs.append(words.converted_note)
    return paragraphs


def render_about(
    publication: Publication, edition: Edition = HANT, feature: str = "", print_appendix: bool = True
) -> str:
    """The editorial note (關於本版): what was done to the text and, in print, a compact list of the changes of
    word, form and dash; the site and the EPUB link to the audit page, which lists every change.

    Without ``print_appendix`` the page has no print list at all (the site and the EPUB drop it: it was a megabyte of
    every build's pages at 1,600 statements, read again whenever one change's context moved)."""
    words = edition.audit
    lines = [f"({page_label(feature, ABOUT_DOC)})=", f"# {words.about}", ""]
    for paragraph in editorial_note(publication, edition):
        lines += [escape(paragraph), ""]
    changes = publication.changes
    if not publication.normalised or not changes:
        return "\n".join(lines)
    link = f"[{escape(words.log.format(total=len(changes)))}]({page_link(audit_doc(feature), about_doc(feature))})"
    lines += ["````{only} html", f"```{{container}} {AUDIT_LINK_CLASS}", link, "```", "````", ""]
    if not print_appendix:
        return "\n".join(lines)
    titles = {st.number: st for st in publication.statements}
    groups = _changes_by_statement(publication)
    from .normalise import RULES

    rules = [*RULES, "conversion"]
    # Print: a line per statement with its counts, and a line per change of word, form or dash (a table of
    # narrow columns would take pages); no seed line numbers.
    lines += [f"````{{container}} {AUDIT_PRINT_CLASS}", escape(words.print_note), ""]
    for number, group in groups.items():
        statement = titles.get(number)
        name = escape(statement.headline) if statement else words.masthead
        tally = Counter(c.rule for c in group)
        counted = [(k, tally[k]) for k in rules]
        kinds = [words.count.format(label=getattr(words, k), n=n) for k, n in counted if n]
        lines.append(f"- {name}{edition.pages.colon}" + edition.pages.separator.join(kinds))
    lines.append("")
    listed = [c for c in changes if c.rule in PRINT_RULES]
    if listed:
        items: dict[tuple[object, ...], str] = {}  # an item met again (the same change, headline and place): once
        for c in listed:
            statement = titles.get(c.statement)
            headline = statement.headline if statement else None
            key = (headline, c.part, c.paragraph, c.before, c.after, c.start, len(c.old), len(c.new), c.rule)
            item = items.get(key)
            if item is None:
                where = f"{escape(headline)}，{_place(c, words)}" if headline is not None else words.masthead
                before, after = _cell(c.before, c.start, len(c.old)), _cell(c.after, c.start, len(c.new))
                item = items[key] = f"* {where}：{before} → {after}（{getattr(words, c.rule)}）"  # another list: bullet
            lines.append(item)
        lines.append("")
    lines += ["````", ""]
    return "\n".join(lines)


#: Statements (with their changes) per audit page: past this a feature's log continues on ``audit-2``, ``audit-3``…
#: (a single feature of 1,600 statements made one page of 10 MB).
AUDIT_STATEMENTS_PER_PAGE = 48


def audit_page_doc(feature: str, number: int) -> str:
    """The ``number``-th page of a feature's audit log (1: the audit page itself, which the editorial note links to)."""
    return audit_doc(feature) if number == 1 else _in(feature, f"{AUDIT_DOC}-{number}")


def audit_page_docs(publication: Publication, feature: str = "") -> list[str]:
    """The names of the audit pages of a feature (of the book, in a book of one seed), as
    :func:`render_audit_pages` names them: none when normalisation changed nothing."""
    pages = _audit_pages(len({change.statement for change in publication.changes}))
    return [audit_page_doc(feature, number) for number in range(1, pages + 1)]


def audit_docs(publication: Publication, features: Sequence[Publication] = ()) -> set[str]:
    """The names of every audit page of a book (``features``: a collection's, each with its own log)."""
    if not features:
        return set(audit_page_docs(publication))
    ids = ((feature, feature_of(feature)) for feature in features)
    return {name for feature, fid in ids if fid for name in audit_page_docs(feature, fid)}


def render_audit(publication: Publication, edition: Edition = HANT, feature: str = "") -> str:
    """The audit page of a short log (of a longer one: its first page; :func:`render_audit_pages`)."""
    return next(iter(render_audit_pages(publication, edition, feature).values()))


def render_audit_pages(
    publication: Publication, edition: Edition = HANT, feature: str = "", memo: FileMemo[Any] | None = None
) -> dict[str, str]:
    """The audit pages, the production log: every change normalisation made, by statement and paragraph, each with
    a link to its statement (the site and the EPUB); page name (without ``.md``) → MyST. Outside the contents: the
    editorial note links to the first page; a log of more than :data:`AUDIT_STATEMENTS_PER_PAGE` statements goes on
    over numbered pages, each linking to all of them. ``memo`` keeps each page (an edit renders the page of the
    statement it changed)."""
    groups = _changes_by_statement(publication)
    chunks = _audit_chunks(groups)
    titles = {st.number: st for st in publication.statements}
    pages: dict[str, str] = {}
    for index, chunk in enumerate(chunks or [[]], start=1):
        here = audit_page_doc(feature, index)
        page = {n: groups[n] for n in chunk}
        own = {n: titles[n] for n in chunk if n in titles}
        pages[here] = _remembered(
            memo,
            ("audit-page", page, own, edition, feature, index, len(chunks)),
            lambda page=page, own=own, index=index: _render_audit_page(  # type: ignore[misc]
                page, own, edition, feature, index, len(chunks)
            ),
        )
    return pages


def _changes_by_statement(publication: Publication) -> dict[int, list[Change]]:
    groups: dict[int, list[Change]] = {}
    for change in publication.changes:
        groups.setdefault(change.statement, []).append(change)
    return groups


def _audit_chunks(groups: Mapping[int, list[Change]]) -> list[list[int]]:
    """The statements (with changes) of each audit page, :data:`AUDIT_STATEMENTS_PER_PAGE` a page."""
    numbers = list(groups)
    per_page = AUDIT_STATEMENTS_PER_PAGE
    return [numbers[per_page * page : per_page * (page + 1)] for page in range(_audit_pages(len(numbers)))]


def _audit_pages(statements: int) -> int:
    """How many audit pages the changes of ``statements`` statements fill (none for none)."""
    return -(-statements // AUDIT_STATEMENTS_PER_PAGE)


def _render_audit_page(
    groups: Mapping[int, list[Change]],
    titles: Mapping[int, Statement],
    edition: Edition,
    feature: str,
    number: int,
    count: int,
) -> str:
    words = edition.audit
    here = audit_page_doc(feature, number)
    # Kept out of the search index: its fragments of the seed would crowd the statements out of the results.
    label = page_label(feature, AUDIT_DOC if number == 1 else f"{AUDIT_DOC}-page-{number}")
    title = words.title if count == 1 else f"{words.title} {number}/{count}"
    lines = ["---", "nosearch: true", "orphan: true", "---", "", f"({label})=", f"# {title}", ""]
    lines += [f"{escape(words.back)}[{words.about}]({page_link(about_doc(feature), here)})。", ""]
    if count > 1:  # every page of the log, this one in bold
        links = [
            f"**{n}**" if n == number else f"[{n}]({page_link(audit_page_doc(feature, n), here)})"
            for n in range(1, count + 1)
        ]
        lines += [" · ".join(links), ""]
    head = data_line([words.place, words.before, words.after, words.rule])
    # Each rule's cell encoded once, and each place's once per run of its rows (16,000 statements: 425,000 rows).
    rules: dict[str, str] = {}
    encode, spaces = _JSON_STRING, _CELL_SPACE_SET
    for statement_number, group in groups.items():
        statement = titles.get(statement_number)
        if statement is None:
            lines += [f"({page_label(feature, 'audit-masthead')})=", f"## {words.masthead}", ""]
        else:
            lines += [f"(audit-{statement_label(statement)})=", f"## {escape(statement.headline)}", ""]
            lines += [f"[{words.read}]({page_link(statement_doc(statement), here)})", ""]
        lines += [f"```{{{AUDIT_TABLE}}}", head]
        at: tuple[str, int] | None = None  # the place of the rows before (a paragraph's changes follow each other)
        place = ""
        for c in group:
            _, _, part, paragraph, before, after, start, old, new, kind = c  # unpacked: no attribute look-ups
            if at is None or at[1] != paragraph or at[0] != part:
                at = part, paragraph
                place = _json_string(_place(c, words))
            rule = rules.get(kind)
            if rule is None:
                rule = rules[kind] = _json_string(getattr(words, kind))
            # data_line([place, before cell, after cell, rule]): the same JSON, its parts encoded once.
            if before[:1] in spaces or before[-1:] in spaces or after[:1] in spaces or after[-1:] in spaces:
                row = None
            else:  # no spaces at either end of either cell (nearly every row): _json_cell's pieces, inline
                old_end, new_end = start + len(old), start + len(new)
                row = (
                    f"[{place}, [{encode(before[:start])}, {encode(before[start:old_end])}, "
                    f"{encode(before[old_end:])}], [{encode(after[:start])}, {encode(after[start:new_end])}, "
                    f"{encode(after[new_end:])}], {rule}]"
                )
                if "\x85" in row or "\u2028" in row or "\u2029" in row:  # _json_string escapes these
                    row = None
            if row is None:
                cells = _json_cell(before, start, len(old)), _json_cell(after, start, len(new))
                row = f"[{place}, {cells[0]}, {cells[1]}, {rule}]"
            lines.append(row)
        lines += ["```", ""]
    return "\n".join(lines)


#: JSON's string literal as :func:`data_line` writes it (``json.dumps(text, ensure_ascii=False)``, its line breaks
#: escaped).
_JSON_STRING: Callable[[str], str] = json.encoder.encode_basestring


def _json_string(text: str) -> str:
    literal = _JSON_STRING(text)
    if "\x85" in literal or "\u2028" in literal or "\u2029" in literal:
        literal = literal.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return literal


def _json_cell(text: str, start: int, length: int) -> str:
    """``data_line(_table_cell(text, start, length))`` without the lists: a cell's three parts as a JSON array."""
    if text[:1] in _CELL_SPACE_SET or text[-1:] in _CELL_SPACE_SET:
        left, middle, right = _table_cell(text, start, length)
    else:  # the cell has no spaces at either end (nearly every one): the change's own place
        end = start + length
        left, middle, right = text[:start], text[start:end], text[end:]
    return f"[{_json_string(left)}, {_json_string(middle)}, {_json_string(right)}]"
