"""Incremental builds that leave no stale page: the two dependencies Sphinx does not see by itself.

Generated pages are rewritten only when their text changes (``book.write_pages``), so Sphinx re-reads
exactly the statements whose text changed, and the glossary (which depends on the glossary file) is
rewritten after every build for its backlinks. Two things are missing from that:

* **Term entries.** A page that links to a term must follow that term's entry, even when its own text is
  unchanged. Each term gets a stamp file in the doctree folder, rewritten only when the entry changes;
  pages note a dependency on the stamps of the terms they link to, so editing one term re-reads the
  pages that link to it and no others.
* **Titles.** Every page shows other pages' titles (the navigation sidebar, previous/next links), so when
  a re-read page's title changes, or a page comes or goes, every page is rewritten (not re-read).
* **Removed pages.** Sphinx keeps the output file of a page that no longer exists (and the EPUB builder
  would pack it); it is deleted before writing.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..files import write_if_changed
from .pages import book_of

logger = logging.getLogger(__name__)

STAMPS = "tekan-terms"


def stamp_path(app: Sphinx, term_id: str) -> Path:
    """The file that changes exactly when the entry of ``term_id`` changes."""
    return Path(app.doctreedir) / STAMPS / f"{term_id}.txt"


def write_term_stamps(app: Sphinx) -> None:
    """Rewrite the stamp of each term whose entry changed; remove those of deleted terms."""
    glossary = book_of(app.env).glossary
    for term in glossary.terms:
        entry = {k: v for k, v in asdict(term).items() if k != "line"}  # moving an entry changes nothing
        write_if_changed(stamp_path(app, term.id), repr(sorted(entry.items())) + "\n")
    folder = Path(app.doctreedir) / STAMPS
    for stale in folder.glob("*.txt"):
        if stale.stem not in glossary.by_id:
            stale.unlink()


def note_term_dependencies(app: Sphinx, doctree: nodes.document) -> None:
    """Make the page depend on the entries of the terms it links to."""
    ids = book_of(app.env).glossary.by_id
    for ref in doctree.findall(addnodes.pending_xref):
        target = ref.get("reftarget", "")
        if ref.get("reftype") == "term" and target in ids:
            app.env.note_dependency(str(stamp_path(app, target)))


def remember_titles(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Before re-reading, note the titles of the pages about to change, and whether pages come or go."""
    titles = {doc: env.titles[doc].astext() for doc in changed if doc in env.titles}
    env.tekan_titles_before = (titles, bool(added or removed), sorted(removed))  # type: ignore[attr-defined]
    return []


def rewrite_all_when_titles_change(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """After reading: every page, when any title changed or a page came or went; else nothing."""
    titles, pages_changed, removed = getattr(env, "tekan_titles_before", ({}, False, []))
    if hasattr(env, "tekan_titles_before"):
        del env.tekan_titles_before
    outfile = getattr(app.builder, "get_outfilename", None)
    if outfile is not None:
        for docname in removed:
            Path(outfile(docname)).unlink(missing_ok=True)
    retitled = sorted(doc for doc, title in titles.items() if doc in env.titles and env.titles[doc].astext() != title)
    if not retitled and not pages_changed:
        return []
    logger.info("tekan: titles changed (%s): rewriting every page's navigation", ", ".join(retitled) or "pages")
    return sorted(env.found_docs)


def setup_incremental(app: Sphinx) -> None:
    """Term-entry dependencies and title-change rewrites."""
    app.connect("builder-inited", write_term_stamps, priority=600)  # after pages.generate_pages loaded the book
    app.connect("doctree-read", note_term_dependencies)
    app.connect("env-get-outdated", remember_titles)
    app.connect("env-get-updated", rewrite_all_when_titles_change)
