"""Incremental builds that leave no stale page: the two dependencies Sphinx does not see by itself.

Generated pages are rewritten only when their text changes (``book.write_pages``), so Sphinx re-reads
exactly the statements whose text changed, and the glossary (which depends on the glossary file) is
rewritten after every build for its backlinks. Two things are missing from that:

* **Term entries.** A page that links to a term must follow that term's entry, even when its own text is
  unchanged. The environment keeps each term's stamp (its entry's text) and each page's terms; a term whose
  stamp changed re-reads the pages that link to it and no others. (Not Sphinx's file dependencies, one stamp
  file per term: at 1,600 statements they were 24,000 paths to unpickle and stat on every build.)
* **Navigation.** Every page shows other pages' titles and their order (the navigation sidebar,
  previous/next links), so when a re-read page's title or the list of pages its toctree holds changes, or
  a page comes or goes, every page is rewritten (not re-read). Otherwise no page is rewritten for another
  page's sake: Sphinx by itself rewrites the pages whose toctree lists a re-read page (in case its title
  changed), which this rule covers for every page, so that addition is turned off (``write_what_changed``);
  an edited definition then rewrites only the pages that link to the term, and the glossary.
* **Removed pages.** Sphinx keeps the output file of a page that no longer exists (and the EPUB builder
  would pack it); it is deleted before writing.
"""

from __future__ import annotations

import gc
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..rendering import ENGLISH_INDEX_DOC, GLOSSARY_DOC
from .config import book_of

logger = logging.getLogger(__name__)

#: The stamp files of earlier versions (one per term), removed.
STAMPS = "tekan-terms"


def compare_term_stamps(app: Sphinx) -> None:
    """Note the terms whose entry changed since the last build (all of them when the environment has no stamps:
    a new one, or one of an earlier version, whose pages are then all re-read)."""
    env: Any = app.env
    stamps = {}
    for term in book_of(env).glossary.terms:
        entry = {k: v for k, v in asdict(term).items() if k != "line"}  # moving an entry changes nothing
        stamps[term.id] = repr(sorted(entry.items()))
    before: dict[str, str] | None = getattr(env, "tekan_term_stamps", None)
    if before is None:
        env.tekan_terms_changed = None
    else:
        env.tekan_terms_changed = {t for t in before.keys() | stamps.keys() if before.get(t) != stamps.get(t)}
    env.tekan_term_stamps = stamps
    if not hasattr(env, "tekan_page_terms"):
        env.tekan_page_terms = {}
    shutil.rmtree(Path(app.doctreedir) / STAMPS, ignore_errors=True)


def note_term_dependencies(app: Sphinx, doctree: nodes.document) -> None:
    """Remember the terms the page links to."""
    ids = book_of(app.env).glossary.by_id
    terms: set[str] = set()
    for ref in doctree.findall(addnodes.pending_xref):
        target = ref.get("reftarget", "")
        if ref.get("reftype") == "term" and target in ids:
            terms.add(target)
    env: Any = app.env
    env.tekan_page_terms[env.docname] = tuple(sorted(terms))


def reread_pages_of_changed_terms(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The pages that link to a term whose entry changed (every page when the stamps are new), added to the
    pages to re-read before the navigation is remembered."""
    terms: set[str] | None = getattr(env, "tekan_terms_changed", set())
    if terms is None:
        pages = set(env.found_docs) - added
    elif terms:
        page_terms: dict[str, tuple[str, ...]] = getattr(env, "tekan_page_terms", {})
        pages = {doc for doc, linked in page_terms.items() if not terms.isdisjoint(linked)}
        pages |= {GLOSSARY_DOC, ENGLISH_INDEX_DOC}  # they print the entries: not only when the file looks newer
    else:
        return []
    changed.update((pages & env.found_docs) - added - removed)
    return []


def forget_page_terms(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "tekan_page_terms", {}).pop(docname, None)


def merge_page_terms(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """A parallel read's pages' terms, into the main environment."""
    mine: dict[str, tuple[str, ...]] = env.tekan_page_terms  # type: ignore[attr-defined]
    theirs: dict[str, tuple[str, ...]] = getattr(other, "tekan_page_terms", {})
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def remember_navigation(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Before re-reading, note the titles and toctrees of the pages about to change, and whether pages come or go."""
    titles = {doc: env.titles[doc].astext() for doc in changed if doc in env.titles}
    toctrees = {doc: list(env.toctree_includes.get(doc, ())) for doc in changed}
    env.tekan_navigation_before = (titles, toctrees, bool(added or removed), sorted(removed))  # type: ignore[attr-defined]
    return []


def rewrite_all_when_navigation_changes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """After reading: every page, when any title or toctree changed or a page came or went; else nothing."""
    titles, toctrees, pages_changed, removed = getattr(env, "tekan_navigation_before", ({}, {}, False, []))
    if hasattr(env, "tekan_navigation_before"):
        del env.tekan_navigation_before
    outfile = getattr(app.builder, "get_outfilename", None)
    if outfile is not None:
        for docname in removed:
            Path(outfile(docname)).unlink(missing_ok=True)
    retitled = sorted(doc for doc, title in titles.items() if doc in env.titles and env.titles[doc].astext() != title)
    retitled += sorted(doc for doc, before in toctrees.items() if env.toctree_includes.get(doc, []) != before)
    if not retitled and not pages_changed:
        return []
    logger.info("tekan: navigation changed (%s): rewriting every page", ", ".join(retitled) or "pages")
    return sorted(env.found_docs)


def write_what_changed(app: Sphinx, builder: Builder) -> None:
    """Keep Sphinx from rewriting the pages whose toctree lists a page that is rewritten (their bytes are the
    same unless the navigation changed, and then every page is rewritten); put its record back after writing."""
    if builder.format != "html":
        return
    env = builder.env
    env.tekan_files_to_rebuild, env.files_to_rebuild = env.files_to_rebuild, {}  # type: ignore[attr-defined]


def restore_toctree_parents(app: Sphinx, exception: Exception | None) -> None:
    """Give the environment back the record ``write_what_changed`` set aside (it was pickled before writing)."""
    saved = getattr(app.env, "tekan_files_to_rebuild", None)
    if saved is not None:
        app.env.files_to_rebuild = saved
        del app.env.tekan_files_to_rebuild  # type: ignore[attr-defined]


#: The compiled templates, beside the doctrees.
TEMPLATE_CACHE = "tekan-templates"


def keep_compiled_templates(app: Sphinx) -> None:
    """Keep the HTML templates compiled from build to build (jinja's bytecode cache beside the doctrees, keyed by
    each template's name and source): a rebuild does not compile furo's and Sphinx's templates again (0.2 s)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or getattr(environment, "bytecode_cache", None) is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir) / TEMPLATE_CACHE
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def freeze_loaded_environment(app: Sphinx) -> None:
    """In a build forked from ``tekan`` (a process of one build): the environment loaded from the last build (every
    page's title and table of contents as docutils nodes) out of the garbage collector's walks, which at 1,600
    statements went through it at each full collection of an edit (0.15 s of its CPU). Not in a process that
    builds again (a test session, a live-reload server): frozen objects are never freed."""
    from ..processes import forked_child

    if forked_child():
        gc.freeze()


def thaw_for_a_large_reread(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: when a tenth of the pages or more are read again (a new setting, a glossary edit), what was
    frozen goes back to the collector, since the environment's records of those pages are replaced (frozen, they
    would stay in memory to the end of the build)."""
    if len(docnames) * 10 >= len(env.all_docs) > 0:
        gc.unfreeze()


def setup_incremental(app: Sphinx) -> None:
    """Term-entry dependencies, navigation-change rewrites, and no other rewrites."""
    app.connect("builder-inited", freeze_loaded_environment, priority=100)  # before the pages are generated
    app.connect("env-before-read-docs", thaw_for_a_large_reread)
    app.connect("builder-inited", keep_compiled_templates)
    app.connect("builder-inited", compare_term_stamps, priority=600)  # after pages.generate_pages loaded the book
    app.connect("doctree-read", note_term_dependencies)
    app.connect("env-purge-doc", forget_page_terms)
    app.connect("env-merge-info", merge_page_terms)
    app.connect("env-get-outdated", reread_pages_of_changed_terms, priority=400)  # before remember_navigation
    app.connect("env-get-outdated", remember_navigation)
    app.connect("env-get-updated", rewrite_all_when_navigation_changes)
    app.connect("write-started", write_what_changed)
    app.connect("build-finished", restore_toctree_parents)
