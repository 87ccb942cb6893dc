"""Assembling a book from its inputs: seed + metadata + glossary → pages on disk (no Sphinx)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .collection import as_feature, collection_gaps, combine, feature_id, is_collection, read_collection
from .editions import EDITIONS, Edition
from .errors import Kind, Problem, TekanError
from .files import write_if_changed
from .glossary import book_glossary, load_glossary, protected_names, term_linker
from .memo import EntryMemo, FileMemo
from .metadata import load_publication, metadata_path
from .model import Glossary, Publication, Translation
from .processes import collector_paused
from .rendering import render_book

#: Lists the files the last generation wrote, so stale ones can be removed.
MANIFEST = ".tekan-generated"


@dataclass(frozen=True)
class Book:
    """Everything a build needs, loaded and checked."""

    publication: Publication  # the statements with their metadata
    glossary: Glossary  # the terms
    script: str  # the edition's key ("hant", "hans"): tekan.editions.EDITIONS
    problems: tuple[Problem, ...]  # warnings found while loading
    features: tuple[Publication, ...] = ()  # a collection's features, one per seed; () for a book of one seed
    feature_keys: tuple[str, ...] = ()  # per feature: a digest of all it was loaded from (its pages are kept by it)

    @property
    def edition(self) -> Edition:
        """The edition this book is loaded for."""
        return EDITIONS[self.script]


@dataclass(frozen=True)
class Identity:
    """What a book is called and whose it is, in every format (HTML title and footer, EPUB OPF, PDF)."""

    title: str  # the full title: 中國質量報·中國質量（杭州）大會特刊
    short_title: str  # the feature's own title, without the paper's name: 中國質量（杭州）大會特刊
    author: str  # the paper (EPUB dc:creator, PDF author): 中國質量報
    publisher: str  # the publishing house: 中國質量報社
    copyright: str  # the copyright line: 2021 中國質量報社 (English: 2021, China Quality News)


_MASTHEAD_BRACKETS = "《》【】[]「」"

#: A year (or years) set off by Sphinx's half-width comma before a Chinese holder: "2021, 中國質量報社".
_YEAR_COMMA = re.compile(r"^([0-9]{4}(?:[–-][0-9]{4})?)\s*[,，、]\s*(?=[^\x00-\x7f])")


def chinese_copyright(line: str) -> str:
    """A Chinese copyright line as Chinese sets it: the year, a space, the holder ("2021 中國質量報社"), not
    Sphinx's English "2021, 中國質量報社" (a half-width comma in Chinese text); an English holder keeps its comma."""
    return _YEAR_COMMA.sub(r"\1 ", line.strip())


def identity(publication: Publication) -> Identity:
    """The book's identity from its metadata, completed from its masthead (never from the tool's own book)."""
    meta = publication.meta
    masthead = publication.masthead.strip()
    title = meta.title or masthead
    paper, dot, short = title.partition("·")
    if not dot:  # no "paper·feature" title: the masthead's 《paper》 names the paper
        paper, short = "", title
        if masthead.startswith("《") and "》" in masthead:
            paper = masthead[1 : masthead.index("》")]
    paper = paper.strip(_MASTHEAD_BRACKETS).strip()
    # EPUB 3 wants a creator, publisher and rights: at worst the masthead names them.
    author = paper or meta.publisher or masthead.strip(_MASTHEAD_BRACKETS).strip() or title
    publisher = meta.publisher or author
    year = meta.date[:4] if meta.date[:4].isdigit() else ""
    line = chinese_copyright(meta.copyright or " ".join(x for x in (year, publisher) if x))
    return Identity(title=title, short_title=short.strip() or title, author=author, publisher=publisher, copyright=line)


def translated_identity(publication: Publication) -> Identity:
    """The identity of the English edition: the metadata's English title and publisher (Chinese where absent)."""
    from dataclasses import replace

    chinese, meta = identity(publication), publication.meta
    title = meta.title_en or chinese.title
    publisher = meta.publisher_en or chinese.publisher
    year = meta.date[:4] if meta.date[:4].isdigit() else ""
    line = ", ".join(x for x in (year, publisher) if x)
    # "Paper: Feature" loses the paper's name in the site's brand as "報·特刊" does; a title the Chinese edition
    # keeps whole (a collection's 「臺灣品質報特刊合集」) stays whole in English too, not "Special Issues".
    short = (title.partition(": ")[2] or title) if chinese.short_title != chinese.title else title
    return replace(chinese, title=title, short_title=short, author=publisher, publisher=publisher, copyright=line)


# Loading and paging a book make millions of objects (425,000 audit records at 16,000 statements) and no cycles:
# each full collection walked every one of them again (a third of normalising's time).
@collector_paused()
def load_book(
    seed: Path, glossary_path: Path, script: str = "hant", metadata: Path | None = None, normalise: bool = True
) -> Book:
    """Load and check seed, metadata and glossary; raise TekanError on the first fatal problem.

    ``normalise`` corrects the seed's punctuation and mainland word forms (recorded for the audit page);
    ``False`` publishes the seed verbatim.
    """
    if script not in EDITIONS:
        raise TekanError(
            f"unknown edition {script!r}: use {' or '.join(map(repr, EDITIONS))}",
            Path("tekan_target.edition"),
            Kind.metadata,
        )
    library = load_glossary(glossary_path)
    if is_collection(seed):
        facts, seeds = read_collection(seed)
        features, problems, keys = [], [], []
        memo = feature_memo(glossary_path)
        for feature_seed in seeds:

            def load(_: str, feature_seed: Path = feature_seed) -> tuple[Publication, list[Problem]]:
                loaded, found = load_publication(feature_seed)
                return as_feature(_edition(loaded, library, script, normalise), feature_id(feature_seed)), found

            key = _feature_key(feature_seed, script, normalise)
            feature, found = memo.get(key, load)
            features.append(feature)
            problems += found
            keys.append(hashlib.sha256(f"{memo.key}\0{key}".encode()).hexdigest())
        memo.save()
        problems += collection_gaps(seed, facts, features)
        collection = combine(facts, features, seed, EDITIONS[script].script)
        glossary = book_glossary(library, features, EDITIONS[script].script, collection.meta.glossary)
        return Book(collection, glossary, script, tuple(problems), tuple(features), tuple(keys))
    memo = feature_memo(glossary_path, PUBLICATION_MEMO, files=3)

    def load_one(_: str) -> tuple[Publication, list[Problem]]:
        loaded, found = load_publication(seed, metadata)
        return _edition(loaded, library, script, normalise, remember=True), found

    # One feature of 1,600 statements: parsing, normalising and converting it took 2 s of every build.
    publication, problems = memo.get(_feature_key(seed, script, normalise, metadata), load_one)
    memo.save()
    glossary = book_glossary(library, [publication], EDITIONS[script].script, publication.meta.glossary)
    return Book(publication, glossary, script, tuple(problems))


#: The memo of a collection's loaded features, in the user's cache folder (``tekan build`` and its Sphinx process
#: both load the book): an edit to one feature parses, normalises and converts that feature alone. A file per
#: feature: a build reads its own book's features, not those of every book built with this code.
FEATURE_MEMO = "features"


#: Each text's normalisation in a book of one seed (:func:`_edition`).
NORMALISE_MEMO_FILE = "normalise-memo.pickle"
#: The memo of a book of one feature (its last versions: one feature is the whole book, megabytes).
PUBLICATION_MEMO = "publications"
#: Features kept in the memo (a collection of 16,000 statements has 1,000; each edit adds its feature's new version).
FEATURES_KEPT = 4096


def feature_memo(
    glossary_path: Path, name: str = FEATURE_MEMO, files: int = FEATURES_KEPT
) -> EntryMemo[tuple[Publication, list[Problem]]]:
    """The features loaded by earlier builds, valid for this glossary (conversion protects its terms), this code
    and its data (the package's modules and word lists) and the packages whose data convert and segment."""
    from .memo import SEGMENTING_PACKAGES, code_digest, keyed_folder, package_code, versions
    from .segmenting import cache_dir

    try:
        glossary = glossary_path.read_bytes().hex()
    except OSError:  # load_glossary has read it: a file that vanished since loads afresh
        glossary = ""
    key = code_digest((), package_code(), glossary, versions(*SEGMENTING_PACKAGES, "pypinyin"))
    return EntryMemo(keyed_folder(cache_dir(), name, key), key, files=files)


def _feature_key(seed: Path, script: str, normalise: bool, metadata: Path | None = None) -> str:
    """What loading one feature depends on besides the memo's key: its seed and metadata file (bytes and path: the
    problems name it), the edition and the normalisation switch."""
    digest = hashlib.sha256(f"{seed.resolve()}\0{script}\0{normalise}\0".encode())
    if metadata is not None:
        digest.update(f"metadata\0{metadata.resolve()}\0".encode())
    for path in (seed, metadata or seed.with_suffix(".toml")):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0absent\0")
        digest.update(b"\0")
    return digest.hexdigest()


def loaded_book(
    seed: Path, glossary_path: Path, script: str = "hant", metadata: Path | None = None, normalise: bool = True
) -> Book:
    """:func:`load_book`, remembered in this process while its files are unchanged (keyed by the inputs and the
    modification times of the seed(s), their metadata and the glossary).

    One load however many callers ask in one build (the EPUB's settings, the pages, the colophon); and ``tekan build``
    loads each edition's book to check it before Sphinx runs, so a Sphinx child forked from it (``tekan.processes``)
    finds the book loaded. A Book is frozen: a remembered one is never changed by its users.
    """
    watched = [seed, glossary_path, metadata or metadata_path(seed)]
    if is_collection(seed):  # a collection: its features' seeds and metadata files too
        watched += [p for s in read_collection(seed)[1] for p in (s, metadata_path(s))]
    stamps = tuple(_mtime(p) for p in watched)
    return _remembered(seed, glossary_path, script, metadata, normalise, stamps)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=4)
def _remembered(
    seed: Path, glossary: Path, script: str, metadata: Path | None, normalise: bool, stamps: tuple[int, ...]
) -> Book:
    del stamps  # part of the memo key only: an edited input is loaded afresh
    return load_book(seed, glossary, script, metadata, normalise=normalise)


def _edition(
    publication: Publication, glossary: Glossary, script: str, normalise: bool, remember: bool = False
) -> Publication:
    """The text as the edition prints it: normalised or verbatim, in its script; ``remember``: each text's
    normalisation kept in the cache folder (a book of one seed: an edit normalises its own paragraph, not 1,600
    statements)."""
    if normalise:
        from .normalise import normalise_publication, protected_names

        memo: FileMemo[Any] | None = None
        if remember:
            from .memo import code_digest, keyed_file, package_code
            from .segmenting import cache_dir

            key = code_digest((), package_code(), publication.script, repr(sorted(protected_names(publication))))
            memo = FileMemo(keyed_file(cache_dir(), NORMALISE_MEMO_FILE, key, files=8), key, keep=2)
        # A Simplified seed's word forms are its own: only its punctuation and quotation marks are normalised.
        publication = normalise_publication(publication, memo=memo)
        if memo is not None:
            memo.save()
    edition = EDITIONS[script]
    if edition.script == "hans" and publication.script == "hant":
        from .scripts import publication_to_hans

        publication = publication_to_hans(publication, glossary)
    elif edition.script == "hant" and publication.script == "hans":
        from .scripts import publication_to_hant

        publication = publication_to_hant(publication, glossary)
    if edition.forms and edition.script == "hant":  # a region's character forms (Hong Kong's 着, 裏)
        from .scripts import publication_in_forms

        publication = publication_in_forms(publication, glossary, edition.forms)
    return publication


@collector_paused()
def book_pages(
    book: Book,
    translations: Mapping[str, Translation] | None = None,
    memo: FileMemo[list[int]] | None = None,
    parallel_print: bool = False,
    pages: FileMemo[Any] | None = None,
    print_appendix: bool = True,
) -> dict[str, str]:
    """The MyST pages of a book: relative path → text; with ``translations``, a parallel page per statement.

    ``memo`` remembers the word boundaries of the texts linked (keyed by ``glossary.linker_inputs``); ``pages``
    a collection's statement and audit pages (keyed by the code and the linker's inputs: ``render_book``).
    ``parallel_print``: the statement pages themselves are parallel, each paragraph beside its translation, and
    there are no separate parallel pages (the parallel PDF of a Chinese edition). ``print_appendix``: the editorial
    notes hold the print's list of changes (a build for the site or the EPUB drops it: ``rendering.render_about``).
    """
    from dataclasses import replace

    from .translation import EnglishLinker

    edition = book.edition
    if book.glossary.unused:  # the glossary does not say 本書所用 of entries the text does not use
        edition = replace(edition, pages=replace(edition.pages, glossary_intro=edition.pages.glossary_intro_more))
    if edition.translated:
        from .rendering import GLOSSARY_DOC
        from .translated import render_translated_book

        english_words = edition.translated_pages
        if book.glossary.unused:
            english_words = replace(english_words, glossary_intro=edition.pages.glossary_intro_more)
        english_linker = EnglishLinker.build(book.glossary)
        return render_translated_book(
            book.publication, translations or {}, english_linker, GLOSSARY_DOC, english_words, book.features, edition
        )
    linker = term_linker(book.glossary, book.script, memo, protected_names(book.publication, book.script))
    if not translations:
        return render_book(
            book.publication,
            linker,
            edition,
            book.features,
            memo=pages,
            feature_keys=book.feature_keys,
            print_appendix=print_appendix,
        )
    from .rendering import statement_key
    from .translated import english_paragraphs, render_parallel_pages

    words = book.edition.parallel
    english = EnglishLinker.build(book.glossary)
    if parallel_print:
        paragraphs = {
            statement_key(st): english_paragraphs(st, translations[statement_key(st)], english, words.missing)
            for st in book.publication.statements
            if statement_key(st) in translations
        }
        return render_book(
            book.publication,
            linker,
            edition,
            book.features,
            english=paragraphs,
            memo=pages,
            feature_keys=book.feature_keys,
            print_appendix=print_appendix,
        )
    parallel = render_parallel_pages(book.publication, translations, linker, english, words)
    links = {key: words.title for key in translations}
    return {
        **render_book(
            book.publication,
            linker,
            edition,
            book.features,
            links,
            memo=pages,
            feature_keys=book.feature_keys,
            print_appendix=print_appendix,
        ),
        **parallel,
    }


def _generated_file(root: Path, name: str) -> Path | None:
    """The page ``name`` of the manifest as a path inside ``root``; None for anything Tekan cannot have written.

    The manifest is a file in the output folder that anyone may edit: a name that leaves the folder
    (``../x``, an absolute path, a link to elsewhere) or is not a page is never deleted.
    """
    relative = Path(name)
    if not name.endswith(".md") or relative.is_absolute() or ".." in relative.parts or "\\" in name:
        return None
    path = root / relative
    try:
        inside = path.resolve().is_relative_to(root.resolve()) and not path.is_symlink()
    except (OSError, RuntimeError):  # a loop of links
        return None
    return path if inside and path.is_file() else None


def write_pages(pages: dict[str, str], root: Path) -> list[str]:
    """Write generated pages under ``root`` (only changed ones) and remove stale ones; return what changed."""
    listed: dict[str, set[str] | None] = {}  # each folder's names, listed once: a page not there is not read first

    def absent(name: str) -> bool:
        folder, _, page = name.rpartition("/")
        if folder not in listed:
            try:
                listed[folder] = set(os.listdir(root / folder))
            except FileNotFoundError:  # a new folder: nothing to read
                listed[folder] = set()
            except OSError:  # a folder that cannot be listed: each page is read
                listed[folder] = None
        names = listed[folder]
        return names is not None and page not in names

    changed = [name for name, text in sorted(pages.items()) if write_if_changed(root / name, text, absent(name))]
    manifest = root / MANIFEST
    previous = manifest.read_text(encoding="utf-8").split("\n") if manifest.is_file() else []
    for name in previous:
        stale = _generated_file(root, name) if name not in pages else None
        if stale is not None:
            stale.unlink(missing_ok=True)
            changed.append(name)
    write_if_changed(manifest, "\n".join(sorted(pages)) + "\n")
    return changed
