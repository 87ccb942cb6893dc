"""The website's search index as shards and page files (``_search/``), read by ``tekan-search.js``.

Sphinx's ``searchindex.js`` is not written (the search page never loaded it): each page is indexed as Sphinx indexes
it, its words folded and spread over shards (:mod:`tekan.searchshards`: each word's head, enough for the first screen
of results, in ``heads/``, the rest of its pages in ``tails/``), and every page gets a small file with its title and
text, from which the browser cuts the excerpt around the match. A statement's
parallel (中英對照) page counts as the statement: one result per statement.

In the English edition the statements' text is English; the glossary terms a page links to are indexed with their
Chinese forms (character pairs), their key and their pinyin, so 計量 and ``jiliang`` find the English statements
that use the term, as they find the Chinese ones.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..files import write_if_changed
from ..searching import STOPWORDS, bigrams, char_table, chars_to_hans, term_key, term_words
from ..searchshards import (
    HEAD_BYTES,
    TAIL_BYTES,
    Entry,
    entry_size,
    fold_word,
    join_entry,
    search_index,
    shard_count,
    shard_of,
    split_entry,
)
from .glossary import is_site

#: The folder of the search files in the output.
SEARCH_DIR = "_search"
#: Bumped when the files' shape changes (the browser refuses another).
FORMAT = 2
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


#: A page's lead: what follows its title and precedes its text (the English or Chinese form of the title, the
#: link to the parallel page, the translation note). An excerpt is cut from the text after it where it can.
_LEAD = frozenset({"tekan-english", "tekan-chinese", "tekan-parallel-link", "tekan-translation-note"})


def _blocks(doctree: nodes.document) -> tuple[list[str], int]:
    """The text of each outermost text element, in order, without raw markup (HTML or LaTeX) or comments; and how
    many of them are the page's title and its lead (:data:`_LEAD`)."""
    blocks: list[str] = []
    head = 0
    for element in doctree.findall(nodes.TextElement):
        if isinstance(element, (nodes.raw, nodes.comment)):
            continue
        parent = element.parent
        while parent is not None and not isinstance(parent, nodes.TextElement):
            parent = parent.parent
        if parent is None:
            text = "".join(_plain_text(element))
            # The head: empty elements (a label's target), the first with text (the title), then the lead's.
            if head == len(blocks) and (not text.strip() or not "".join(blocks).strip() or _is_lead(element)):
                head += 1
            blocks.append(text)
    return blocks, head


#: What the page shows as a break that the text has no character for: a line break (MyST's hard break, raw) and
#: the quarter-em before a byline's name (CSS): 「…生 王建國　北京市…院長」, 「…院長 王建國」, as printed.
_LINE_BREAKS = frozenset({"<br />", "\\\\"})
_SET_OFF = "tekan-person"


def _plain_text(top: nodes.Element) -> Iterator[str]:
    for text in top.findall(nodes.Text):
        raw = _in_raw(text, top)
        if raw is not None:
            if raw.astext().strip() in _LINE_BREAKS:
                yield " "
            continue
        parent = text.parent
        if parent is not top and _SET_OFF in parent.get("classes", ()) and parent.index(text) == 0:
            yield " "
        yield text.astext()


def _is_lead(element: nodes.Element) -> bool:
    node: nodes.Element | None = element
    while node is not None and not isinstance(node, nodes.section):
        if _LEAD & set(node.get("classes", ())):
            return True
        node = node.parent
    return False


def _in_raw(text: nodes.Text, top: nodes.Element) -> nodes.Element | None:
    """The raw or comment element the text is in (below ``top``), if any."""
    node = text.parent
    while node is not None and node is not top:
        if isinstance(node, (nodes.raw, nodes.comment)):
            return node
        node = node.parent
    return None


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


# --- the index kept between builds: a record per page, the shards as the state of their words ----------------
#
# Sphinx keeps its search index in ``searchindex.js`` (5.5 MB at 1,600 statements), which every build that runs
# reads whole and writes whole. The search page does not load it; the shards are made from the pages' words. So
# Sphinx's index is not kept: each page written is indexed as Sphinx indexes it, its folded words are kept in its
# record (``tekan-search-text/<page>.json`` beside the doctrees, with its title and text), and the shards are
# brought up to date from the words that changed: an edit rewrites the few shards of the words it added or
# removed, and its page's excerpt file. A build that changes the pages' list, the glossary (English edition) or
# most pages makes every file from the records, as a clean build does; the files are the same either way.

#: The state of the last build's search files, beside the doctrees.
STATE_FILE = "tekan-search-state.json"
#: Bumped when a record's or the state's shape changes: every page is then indexed again.
RECORD_FORMAT = 3
#: At most this many pages rewritten, the search files are updated from their words; more, made from every record.
INCREMENTAL_PAGES = 200


@dataclass
class _Session:
    """One build's pages: their text (from doctree-resolved until indexed), the pages indexed, and the records
    they had before (up to :data:`INCREMENTAL_PAGES`)."""

    texts: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    resolved: set[str] = field(default_factory=set)
    state: dict[str, Any] | None = None  # the last build's, read before the first record is rewritten
    indexed: set[str] = field(default_factory=set)
    old: dict[str, dict[str, Any] | None] = field(default_factory=dict)


def _session(app: Sphinx) -> _Session:
    session = getattr(app, "_tekan_search_session", None)
    if session is None:
        session = _Session()
        app._tekan_search_session = session  # type: ignore[attr-defined]  # one per build
    return session


def _read_record(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("v") == RECORD_FORMAT else None


def record_page_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Keep the page's plain text (for excerpts) and the glossary terms it links to (English edition's index),
    until the page is indexed."""
    if not sharded(app):
        return
    terms: dict[str, None] = {}
    for reference in doctree.findall(nodes.reference):
        anchor = reference.get("refuri") or reference.get("refid") or ""
        match = _TERM_ANCHOR.search(anchor) if "term-" in anchor else None
        if match:
            terms[match.group(1)] = None
    blocks, head = _blocks(doctree)
    # The title and lead, a line break, the text: the browser cuts excerpts from the text (one byte to say where).
    text = "\n".join(_SPACE.sub(" ", " ".join(part)).strip() for part in (blocks[:head], blocks[head:]))
    session = _session(app)
    session.texts[docname] = (text, list(terms))
    session.resolved.add(docname)


def _index_page(app: Sphinx, original: Callable[[str, nodes.document, str], None]) -> Callable[..., None]:
    """The builder's ``index_page``: Sphinx indexes the page into an empty index of its own; its words, folded, go
    into the page's record (Sphinx's index keeps nothing between pages: it is not written)."""

    def index_page(pagename: str, doctree: nodes.document, title: str) -> None:
        indexer = getattr(app.builder, "indexer", None)
        if indexer is None or not title:
            original(pagename, doctree, title)
            return
        indexer._mapping, indexer._title_mapping = {}, {}
        original(pagename, doctree, title)
        words = {form for word in indexer._mapping if (form := fold_word(word, chars_to_hans))}
        title_words = {form for word in indexer._title_mapping if (form := fold_word(word, chars_to_hans))}
        indexer._mapping, indexer._title_mapping = {}, {}
        session = _session(app)
        if not session.indexed:
            # The state goes until the files are made again: a build stopped after rewriting records (whose words
            # the shards do not hold yet) leaves none, and the next build indexes every page.
            session.state = _read_state(Path(app.doctreedir))
            (Path(app.doctreedir) / STATE_FILE).unlink(missing_ok=True)
        text, terms = session.texts.pop(pagename, ("", []))
        path = page_file(Path(app.doctreedir), pagename)
        if len(session.indexed) < INCREMENTAL_PAGES:
            session.old[pagename] = _read_record(path)
        session.indexed.add(pagename)
        record = {"v": RECORD_FORMAT, "t": indexer._titles.get(pagename, title), "x": text, "g": terms}
        record |= {"w": sorted(words), "tw": sorted(title_words)}
        write_if_changed(path, json.dumps(record, ensure_ascii=False))

    return index_page


def _not_kept(*_: object, **__: object) -> None:
    """Sphinx's ``searchindex.js`` is neither read nor written (the records and shards replace it)."""


def keep_search_in_records(app: Sphinx) -> None:
    """On the site's builders: Sphinx's search index is not loaded nor dumped, each page's words go to its
    record."""
    app._tekan_search_session = _Session()  # type: ignore[attr-defined]
    if not sharded(app):
        return
    (Path(app.outdir) / "searchindex.js").unlink(missing_ok=True)  # an earlier version's
    builder: Any = app.builder
    builder.load_indexer = _not_kept
    builder.dump_search_index = _not_kept
    builder.index_page = _index_page(app, builder.index_page)


def index_all_without_state(app: Sphinx, env: Any) -> list[str]:
    """Every page, when the search files' state of the last build is missing or of another shape (its records
    may hold no words): each page is indexed again."""
    if not sharded(app) or not env.all_docs:
        return []
    state = _read_state(Path(app.doctreedir))
    if state is not None:
        return []
    return sorted(env.found_docs)


def _read_state(doctreedir: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((doctreedir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("v") == RECORD_FORMAT else None


class _Index:
    """What the search files are made of: the pages' numbers, records and the words each number is found by."""

    def __init__(self, app: Sphinx, docnames: list[str]) -> None:
        self.app = app
        # Numbered by kind, then name: a word's pages in number order, those whose title has it first, are the
        # order of the browser's scores (tekan.searchshards.ranked), so a word's head is its first results.
        self.docnames = sorted(docnames, key=lambda name: (_kind(name), name))
        self.number = {name: n for n, name in enumerate(self.docnames)}
        self.merged = _statement_of(self.docnames)
        self.parallels: dict[int, list[int]] = {}
        for page, statement in self.merged.items():
            self.parallels.setdefault(statement, []).append(page)
        self.doctreedir = Path(app.doctreedir)
        from .config import book_of

        self.glossary = book_of(app.env).glossary
        self.by_id = {term.id: term for term in self.glossary.terms}
        self.language = app.builder.indexer.lang  # type: ignore[attr-defined]  # the html builder's IndexBuilder
        self.translated = not str(app.config.language or "").startswith("zh")

    def target(self, docname: str) -> int:
        n = self.number[docname]
        return self.merged.get(n, n)

    def pages_of(self, target: int) -> list[int]:
        """The pages a number stands for: its own, and its parallel pages."""
        return [target, *self.parallels.get(target, [])]

    def words(self, target: int, record: Callable[[int], dict[str, Any] | None]) -> tuple[set[str], set[str]]:
        """The folded words a number is found by, in its pages' text and in their titles."""
        text: set[str] = set()
        titles: set[str] = set()
        for page in self.pages_of(target):
            found = record(page)
            if found is None:
                continue
            text.update(found.get("w", ()))
            titles.update(found.get("tw", ()))
            if page == target and self.translated:
                text.update(self._glossary_words(found))
        return text, titles

    def _glossary_words(self, record: dict[str, Any]) -> set[str]:
        """In the English edition: the words of the glossary terms a page links to or names (the Chinese editions
        index the terms from their own text, tekan.searching)."""
        text = str(record.get("x", "")).lower()
        named = [t.id for t in self.glossary.terms if t.en and _names(t.en.lower(), text)]
        words: set[str] = set()
        for term_id in dict.fromkeys([*record.get("g", []), *named]):
            term = self.by_id.get(term_id)
            if term is None:
                continue
            forms = [self.language.stem(w) for w in term_words(term)]
            forms += [gram for form in (term.hant, term.hans, *term.aliases) for gram in bigrams(form)]
            words.update(form for word in forms if (form := fold_word(word, chars_to_hans)))
        return words

    def fingerprint(self) -> str:
        """What every page's words and files depend on beyond the page: the pages' list, the edition, the shapes,
        and in the English edition the glossary's forms and words."""
        terms = (
            [[t.id, t.en, t.hant, t.hans, list(t.aliases), term_words(t)] for t in self.glossary.terms]
            if self.translated
            else []
        )
        parts = [FORMAT, RECORD_FORMAT, PAGE_TEXT, self.translated, self.language.lang, self.docnames, terms]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()

    def page_json(self, n: int, record: dict[str, Any] | None) -> str:
        record = record or {}
        page = {"n": self.docnames[n], "t": record.get("t", ""), "x": str(record.get("x", ""))[:PAGE_TEXT]}
        return json.dumps(page, ensure_ascii=False)


def _kind(docname: str) -> int:
    """0 for statements and other pages, 1 for the reference pages, 2 for the listings (which rank lowest)."""
    return 2 if _LISTING.search(docname) else 1 if _REFERENCE.search(docname) else 0


def write_search_files(app: Sphinx) -> None:
    """The shards, the page files and the manifest: from the words that changed in this build's pages, or, when
    the pages' list or what all pages depend on changed, from every page's record."""
    session = _session(app)
    env = app.env
    doctreedir = Path(app.doctreedir)
    state = session.state if session.indexed else _read_state(doctreedir)
    indexed = session.indexed
    unindexed = session.resolved - indexed  # written without a title: not in the index
    for name in unindexed:
        page_file(doctreedir, name).unlink(missing_ok=True)
    known = set(state["docnames"]) if state else set()
    docnames = sorted(((known - unindexed) | indexed) & set(env.all_docs))
    index = _Index(app, docnames)
    fingerprint = index.fingerprint()
    folder = Path(app.outdir) / SEARCH_DIR
    changed = sorted(indexed & set(docnames))
    incremental = (
        state is not None
        and state.get("key") == fingerprint
        and len(changed) <= min(INCREMENTAL_PAGES, len(docnames) // 2)
        and (folder / "meta.json").is_file()
        and _update(index, session, state, folder, changed)
    )
    if not incremental:
        _write_all(index, session, folder, fingerprint)


def _write_all(index: _Index, session: _Session, folder: Path, fingerprint: str) -> None:
    """Every search file from every page's record (a clean build, a changed list of pages).

    The records are read one page at a time (with its parallel pages): a page's file is written from its record
    as its words are counted, so no more than one page's text is held (at 16,000 statements the records hold a
    gigabyte as Python objects). Each word's pages are a list of numbers in increasing order (a list costs a
    third of a set), dropped once the word's entries are encoded."""

    def read(page: int) -> dict[str, Any] | None:
        return _read_record(page_file(index.doctreedir, index.docnames[page]))

    terms: dict[str, list[int]] = {}
    titleterms: dict[str, list[int]] = {}
    found: set[int] = set()
    for n in range(len(index.docnames)):
        if n in index.merged:
            continue
        own = read(n)

        def record(page: int, own: dict[str, Any] | None = own, n: int = n) -> dict[str, Any] | None:
            return own if page == n else read(page)

        text, titles = index.words(n, record)
        for word in text:
            terms.setdefault(word, []).append(n)
        for word in titles:
            titleterms.setdefault(word, []).append(n)
        if text or titles:
            found.add(n)
            write_if_changed(folder / "pages" / f"{n}.json", index.page_json(n, own))
    total = len(index.docnames)
    built = search_index(terms, titleterms, total, release=True)
    for kind, shards in (("heads", built.heads), ("tails", built.tails)):
        for number, shard in shards.shards.items():
            write_if_changed(folder / kind / f"{number}.json", shard)
        for stale in (folder / kind).glob("*.json"):
            if stale.stem.isdigit() and int(stale.stem) >= shards.count:
                stale.unlink()
    if (folder / "shards").is_dir():  # an earlier version's
        shutil.rmtree(folder / "shards")
    for stale in (folder / "pages").glob("*.json"):
        if stale.stem.isdigit() and int(stale.stem) not in found:
            stale.unlink()
    shape = {"heads": built.heads.count, "tails": built.tails.count}
    sizes = {"head_size": built.head_size, "tail_size": built.tail_size}
    _finish(index, folder, shape, sizes, found, fingerprint)


def _update(index: _Index, session: _Session, state: dict[str, Any], folder: Path, changed: list[str]) -> bool:
    """Bring the search files up to date with the words of the ``changed`` pages; False (nothing written) when
    the shards' number would change or a shard is missing: then every file is made again."""
    if any(session.old.get(name) is None for name in changed):
        return False  # a page's words before this build are unknown: what it no longer has cannot be removed
    targets = sorted({index.target(name) for name in changed})
    names = {index.number[name] for name in changed}
    cache: dict[int, dict[str, Any] | None] = {}

    def current(page: int) -> dict[str, Any] | None:
        if page not in cache:
            cache[page] = _read_record(page_file(index.doctreedir, index.docnames[page]))
        return cache[page]

    def before(page: int) -> dict[str, Any] | None:
        return session.old.get(index.docnames[page]) if page in names else current(page)

    # word → slot (0 text, 1 title) → numbers that gained it, numbers that lost it
    delta: dict[str, list[tuple[set[int], set[int]]]] = {}
    found = set(state["found"])
    for target in targets:
        new_text, new_titles = index.words(target, current)
        old_text, old_titles = index.words(target, before)
        for slot, new, old in ((0, new_text, old_text), (1, new_titles, old_titles)):
            for word in new - old:
                delta.setdefault(word, [(set(), set()), (set(), set())])[slot][0].add(target)
            for word in old - new:
                delta.setdefault(word, [(set(), set()), (set(), set())])[slot][1].add(target)
        if new_text or new_titles:
            found.add(target)
        else:
            found.discard(target)
    shape = {"heads": int(state["heads"]), "tails": int(state["tails"])}
    sizes = {"head_size": int(state["head_size"]), "tail_size": int(state["tail_size"])}
    total = len(index.docnames)
    loaded: dict[tuple[str, int], dict[str, Entry]] = {}

    def shard(kind: str, word: str) -> dict[str, Entry]:
        key = (kind, shard_of(word, shape[kind]))
        if key not in loaded:
            loaded[key] = json.loads((folder / kind / f"{key[1]}.json").read_text(encoding="utf-8"))
        return loaded[key]

    try:
        for word in sorted(delta):
            heads, tails = shard("heads", word), shard("tails", word)
            head, tail = heads.pop(word, None), tails.pop(word, None)
            for kind, value in (("head_size", head), ("tail_size", tail)):
                if value is not None:
                    sizes[kind] -= entry_size(word, value)
            text, title = join_entry(head, tail) if head is not None else (set(), set())
            (text_gained, text_lost), (title_gained, title_lost) = delta[word]
            text, title = (text | text_gained) - text_lost, (title | title_gained) - title_lost
            if not text and not title:
                continue
            heads[word], tail = split_entry(text, title, total)
            sizes["head_size"] += entry_size(word, heads[word])
            if tail is not None:
                tails[word] = tail
                sizes["tail_size"] += entry_size(word, tail)
    except (OSError, ValueError):
        return False
    if shard_count(sizes["head_size"], HEAD_BYTES) != shape["heads"]:
        return False
    if shard_count(sizes["tail_size"], TAIL_BYTES) != shape["tails"]:
        return False
    for (kind, number), entries in loaded.items():
        shard_text = json.dumps(dict(sorted(entries.items())), ensure_ascii=False, separators=(",", ":"))
        write_if_changed(folder / kind / f"{number}.json", shard_text)  # as write_shards writes it
    for target in targets:
        path = folder / "pages" / f"{target}.json"
        if target in found:
            write_if_changed(path, index.page_json(target, current(target)))
        else:
            path.unlink(missing_ok=True)
    _finish(index, folder, shape, sizes, found, str(state["key"]))
    return True


def _finish(
    index: _Index, folder: Path, shape: dict[str, int], sizes: dict[str, int], found: set[int], fingerprint: str
) -> None:
    """The manifest, and the state the next build starts from."""
    manifest = _manifest(index.app, shape, index.docnames, index.glossary, index.language)
    write_if_changed(folder / "meta.json", json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))
    state: dict[str, Any] = {"v": RECORD_FORMAT, "key": fingerprint, "docnames": index.docnames}
    state |= {**shape, **sizes, "found": sorted(found)}
    write_if_changed(index.doctreedir / STATE_FILE, json.dumps(state, ensure_ascii=False))


def _names(name: str, text: str) -> bool:
    """True when ``text`` holds the English ``name`` as whole words."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        at = text.find(name, at + 1)
    return False


def _manifest(app: Sphinx, shape: dict[str, int], docnames: list[str], glossary: Any, language: Any) -> dict[str, Any]:
    """What the browser needs before it looks a word up: the shard counts, the character table, the glossary's
    forms with their keys, the strings that show a term in an excerpt, and where the reference pages and the
    listings start among the pages' numbers (they rank below the statements)."""
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
        **shape,
        "docs": len(docnames),
        "t2s": ["".join(table), "".join(table.values())],
        "terms": terms,
        "marks": marks,
        "termwords": words,
        "stopwords": sorted(STOPWORDS | set(getattr(language, "stopwords", ()))),
        "reference": next((n for n, name in enumerate(docnames) if _kind(name) >= 1), len(docnames)),
        "listing": next((n for n, name in enumerate(docnames) if _kind(name) == 2), len(docnames)),
    }


def write_after_the_index(app: Sphinx, exception: Exception | None) -> None:
    """Once every page is written: the search files."""
    if exception is not None or not sharded(app):
        return
    write_search_files(app)


def setup_search_shards(app: Sphinx) -> None:
    """Record each page's text as it is written and its words as it is indexed; write the search files at the
    end of the build."""
    app.connect("builder-inited", keep_search_in_records)
    app.connect("env-get-updated", index_all_without_state)
    app.connect("doctree-resolved", record_page_text)
    app.connect("build-finished", write_after_the_index)
