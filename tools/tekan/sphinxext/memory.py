"""A large build's memory: doctrees are not kept alive between reading and writing, and the garbage collector
does not rescan them over and over.

* **Doctrees.** A serial Sphinx build keeps every page's doctree alive from reading to writing
  (``BuildEnvironment._write_doc_doctree_cache``), so a book's peak memory is all of its doctrees as Python
  objects — about 1.4 GB for a collection of 1,600 statements. They are pickled to the doctree folder as
  they are read anyway (a parallel build writes from those files): here each page's doctree is dropped
  once the next page is read, and the writing phase loads it from its file, as ``-j`` builds do, then
  forgets the file's bytes once the page is written. A builder that writes the whole book as one tree (the Typst
  PDF: ``keeps_read_doctrees``) holds every page at once when it writes anyway: it keeps the doctrees as they were
  read and takes each from that cache (:func:`read_doctree`) instead of unpickling its file again (1.2 s of CPU
  for the 2,203 pages of a 1,600-statement collection).
* **Garbage collection.** With Python's default thresholds a build of a thousand pages runs dozens of full
  collections, each walking every object alive — a fifth of the CPU time of a 160-statement build. During
  the build the youngest generation is collected after 50,000 allocations instead of 700, which leaves the
  collections of cyclic garbage but few full ones; the thresholds are restored when the build ends.

Both rely on Sphinx keeping its caches in these attributes (Sphinx is pinned below 9.1 in pyproject.toml,
and ``tests/test_memory.py`` fails when they change).
"""

from __future__ import annotations

import gc
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: The youngest generation's threshold during a build (Python's default: 700).
BUILD_GC_THRESHOLD = 50_000


def keeps_read_doctrees(app: Sphinx) -> bool:
    """Whether the builder writes from the doctrees kept since they were read (its ``keeps_read_doctrees``)."""
    return bool(getattr(app.builder, "keeps_read_doctrees", False))


def drop_read_doctrees(app: Sphinx, docname: str, source: list[str]) -> None:
    """Before reading a page: forget the doctrees read so far (each is in its file in the doctree folder)."""
    cache: dict[str, Any] | None = getattr(app.env, "_write_doc_doctree_cache", None)
    if cache and not keeps_read_doctrees(app):
        cache.clear()


def drop_all_read_doctrees(app: Sphinx, env: Any) -> list[str]:
    """After reading: forget the last page's doctree too."""
    drop_read_doctrees(app, "", [])
    return []


def read_doctree(env: Any, docname: str) -> nodes.document:
    """The doctree of ``docname`` as Sphinx gives it to a builder (``get_doctree``): the one kept since it was read
    (taken out of the cache, as ``get_and_resolve_doctree`` takes it), or else unpickled from its file."""
    from sphinx.util.docutils import LoggingReporter

    doctree: nodes.document | None = env._write_doc_doctree_cache.pop(docname, None)
    if doctree is None:
        return env.get_doctree(docname)  # type: ignore[no-any-return]
    doctree.settings.env = env
    doctree.reporter = LoggingReporter(str(env.doc2path(docname)))
    return doctree


def drop_kept_doctrees(env: Any) -> None:
    """Forget the doctrees kept since reading that were not taken (pages the book does not include)."""
    env._write_doc_doctree_cache.clear()


def drop_pickled_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Once a page is resolved for writing: forget its doctree file's bytes (read again if anything asks)."""
    cache: dict[str, bytes] | None = getattr(app.env, "_pickled_doctree_cache", None)
    if cache is not None:
        cache.pop(docname, None)


def raise_gc_threshold(app: Sphinx, env: Any = None, docnames: Any = None) -> None:
    """Collect the youngest generation less often while the build runs (from its reading on: an application that
    is made but never builds, as a test's may be, never leaves the threshold raised)."""
    thresholds = gc.get_threshold()
    if thresholds[0] < BUILD_GC_THRESHOLD:
        app.tekan_gc_thresholds = thresholds  # type: ignore[attr-defined]
        gc.set_threshold(BUILD_GC_THRESHOLD, *thresholds[1:])


def restore_gc_threshold(app: Sphinx, exception: Exception | None) -> None:
    """Python's thresholds again (tests and live-reload servers run many builds in one process)."""
    thresholds = getattr(app, "tekan_gc_thresholds", None)
    if thresholds is not None:
        gc.set_threshold(*thresholds)
        del app.tekan_gc_thresholds  # type: ignore[attr-defined]


def setup_memory(app: Sphinx) -> None:
    """Doctrees written and read back rather than kept alive; fewer garbage collections."""
    app.connect("env-before-read-docs", raise_gc_threshold)
    app.connect("build-finished", restore_gc_threshold)
    app.connect("source-read", drop_read_doctrees)
    app.connect("env-updated", drop_all_read_doctrees)
    app.connect("doctree-resolved", drop_pickled_doctree)
