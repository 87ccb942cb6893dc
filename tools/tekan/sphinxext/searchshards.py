"""The website's search index as shards and page files (``_search/``), read by ``tekan-search.js``.

Sphinx still writes ``searchindex.js`` (its incremental builds read it back), but the search page never loads it:
after it is written, its words are folded and spread over shards (:mod:`tekan.searchshards`), and every page gets a
small file with its title and text, from which the browser cuts the excerpt around the match. A statement's
parallel (中英對照) page counts as the statement: one result per statement.

In the English edition the statements' text is English; the glossary terms a page links to are indexed with their
Chinese forms (character pairs), their key and their pinyin, so 計量 and ``jiliang`` find the English statements
that use the term, as they find the Chinese ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..files import write_if_changed
from ..searching import STOPWORDS, bigrams, char_table, chars_to_hans, term_key, term_words
from ..searchshards import fold_mapping, fold_word, shard_index
from .glossary import is_site

#: The folder of the search files in the output.
SEARCH_DIR = "_search"
#: Bumped when the files' shape changes (the browser refuses another).
FORMAT = 1
#: The characters of a page's text kept for its excerpt: a statement has about 1,500; a listing page or the
#: glossary of a large feature runs to megabytes (every statement, every backlink) and is cut here.
PAGE_TEXT = 6_000
_TERM_ANCHOR = re.compile(r"(?:^|#)term-([a-z0-9-]+)$")
_SPACE = re.compile(r"\s+")
#: Pages that only list statements rank below the statements (as ``data/search-scorer.js`` ranked them).
_LISTING = re.compile(r"(?:^|/)(?:index|sectors/[^/]+)$")
#: The reference pages (glossary, English index) hold every term: a statement that uses the word ranks first.
_REFERENCE = re.compile(r"(?:^|/)(?:glossary|english-index|genindex)$")
_PARALLEL = re.compile(r"(?:^|/)parallel/[^/]+$")


def sharded(app: Sphinx) -> bool:
    """True for the website's builders that write a search index (singlehtml has no search page)."""
    return bool(is_site(app.builder) and getattr(app.builder, "search", False) and app.builder.name != "singlehtml")


def page_file(doctreedir: Path, docname: str) -> Path:
    """Where a page's text and linked terms are kept between builds (beside the doctrees: not published)."""
    return doctreedir / "tekan-search-text" / f"{docname}.json"


def record_page_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Keep the page's plain text (for excerpts) and the glossary terms it links to (English edition's index)."""
    if not sharded(app):
        return
    terms: dict[str, None] = {}
    for reference in doctree.findall(nodes.reference):
        anchor = reference.get("refuri") or reference.get("refid") or ""
        match = _TERM_ANCHOR.search(anchor) if "term-" in anchor else None
        if match:
            terms[match.group(1)] = None
    text = _SPACE.sub(" ", " ".join(_blocks(doctree))).strip()
    record = json.dumps({"x": text, "g": list(terms)}, ensure_ascii=False)
    write_if_changed(page_file(Path(app.doctreedir), docname), record)


def _blocks(doctree: nodes.document) -> list[str]:
    """The text of each outermost text element, in order, without raw markup (HTML or LaTeX) or comments."""
    blocks = []
    for element in doctree.findall(nodes.TextElement):
        if isinstance(element, (nodes.raw, nodes.comment)):
            continue
        parent = element.parent
        while parent is not None and not isinstance(parent, nodes.TextElement):
            parent = parent.parent
        if parent is None:
            blocks.append("".join(t.astext() for t in element.findall(nodes.Text) if not _in_raw(t, element)))
    return blocks


def _in_raw(text: nodes.Text, top: nodes.Element) -> bool:
    node = text.parent
    while node is not None and node is not top:
        if isinstance(node, (nodes.raw, nodes.comment)):
            return True
        node = node.parent
    return False


def _statement_of(docnames: list[str]) -> dict[int, int]:
    """Each parallel page's number → its statement's number (where the statement page exists)."""
    number = {name: n for n, name in enumerate(docnames)}
    merged: dict[int, int] = {}
    for n, name in enumerate(docnames):
        if _PARALLEL.search(name):
            statement = name[: name.rindex("parallel/")] + "statements/" + name.rsplit("/", 1)[1]
            if statement in number:
                merged[n] = number[statement]
    return merged


def write_search_files(app: Sphinx, data: dict[str, Any]) -> None:
    """The shards, the page files and the manifest from Sphinx's frozen index ``data``."""
    outdir = Path(app.outdir)
    folder = outdir / SEARCH_DIR
    docnames: list[str] = data["docnames"]
    titles: list[str] = data["titles"]
    merged = _statement_of(docnames)
    total = len(docnames)

    def keep(page: int) -> int | None:
        return merged.get(page, page)

    terms = fold_mapping(data.get("terms", {}), chars_to_hans, keep)
    titleterms = fold_mapping(data.get("titleterms", {}), chars_to_hans, keep)
    language = app.builder.indexer.lang  # type: ignore[attr-defined]  # the html builder's IndexBuilder
    from .config import book_of

    glossary = book_of(app.env).glossary
    by_id = {term.id: term for term in glossary.terms}
    records: dict[int, dict[str, Any]] = {}
    for n, name in enumerate(docnames):
        try:
            records[n] = json.loads(page_file(Path(app.doctreedir), name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            records[n] = {"x": "", "g": []}
    translated = not str(app.config.language or "").startswith("zh")
    if translated:  # the Chinese editions index the terms from their own text (tekan.searching)
        for n, record in records.items():
            target = keep(n)
            if target is None or n in merged:
                continue
            text = str(record.get("x", "")).lower()
            named = [t.id for t in glossary.terms if t.en and _names(t.en.lower(), text)]
            for term_id in dict.fromkeys([*record.get("g", []), *named]):
                term = by_id.get(term_id)
                if term is None:
                    continue
                words = [language.stem(w) for w in term_words(term)]
                words += [gram for form in (term.hant, term.hans, *term.aliases) for gram in bigrams(form)]
                for word in words:
                    form = fold_word(word, chars_to_hans)
                    if form:
                        terms.setdefault(form, set()).add(target)
    index = shard_index(terms, titleterms, total)
    for number, text in index.shards.items():
        write_if_changed(folder / "shards" / f"{number}.json", text)
    for stale in (folder / "shards").glob("*.json"):
        if stale.stem.isdigit() and int(stale.stem) >= index.count:
            stale.unlink()
    found = set().union(*terms.values(), *titleterms.values())
    for n, name in enumerate(docnames):
        if n in merged or n not in found:  # a parallel page, or a page without search (nosearch: the audit)
            continue
        page = {"n": name, "t": titles[n], "x": str(records[n].get("x", ""))[:PAGE_TEXT]}
        write_if_changed(folder / "pages" / f"{n}.json", json.dumps(page, ensure_ascii=False))
    for stale in (folder / "pages").glob("*.json"):
        if stale.stem.isdigit() and int(stale.stem) not in found:
            stale.unlink()
    manifest = _manifest(app, index.count, docnames, glossary, language)
    write_if_changed(folder / "meta.json", json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))


def _names(name: str, text: str) -> bool:
    """True when ``text`` holds the English ``name`` as whole words."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        at = text.find(name, at + 1)
    return False


def _manifest(app: Sphinx, shards: int, docnames: list[str], glossary: Any, language: Any) -> dict[str, Any]:
    """What the browser needs before it looks a word up: the shard count, the character table, the glossary's
    forms with their keys, the strings that show a term in an excerpt, and the listing pages."""
    table = char_table()
    terms: dict[str, str] = {}
    marks: list[list[str]] = []
    words: dict[str, int] = {}
    for number, term in enumerate(glossary.terms):
        key = language.stem(term_key(term))
        forms = list(dict.fromkeys((term.hant, term.hans, *term.aliases)))
        for form in forms:
            for variant in (form, chars_to_hans(form)):
                terms.setdefault(variant, key)
        marks.append([*forms, *([term.en] if term.en else [])])
        for word in term_words(term):
            words.setdefault(language.stem(word), number)
    return {
        "format": FORMAT,
        "shards": shards,
        "docs": len(docnames),
        "t2s": ["".join(table), "".join(table.values())],
        "terms": terms,
        "marks": marks,
        "termwords": words,
        "stopwords": sorted(STOPWORDS | set(getattr(language, "stopwords", ()))),
        "listing": [n for n, name in enumerate(docnames) if _LISTING.search(name)],
        "reference": [n for n, name in enumerate(docnames) if _REFERENCE.search(name)],
    }


def write_after_the_index(app: Sphinx, exception: Exception | None) -> None:
    """Once Sphinx wrote ``searchindex.js`` (and ``search.drop_emptied_words`` pruned it): the shards from it."""
    if exception is not None or not sharded(app):
        return
    from sphinx.search import js_index

    index = Path(app.outdir) / getattr(app.builder, "searchindex_filename", "searchindex.js")
    try:
        data = js_index.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    write_search_files(app, data)


def setup_search_shards(app: Sphinx) -> None:
    """Record each page's text as it is written; write the shards after the search index (connected after
    ``setup_search``, whose build-finished handler prunes the index first)."""
    app.connect("doctree-resolved", record_page_text)
    app.connect("build-finished", write_after_the_index)
