"""Nothing to purge for a page the environment never read.

Before Sphinx reads a page it removes what the page left in the environment (``env-purge-doc``, then
``BuildEnvironment.clear_doc``); the standard domain does it by scanning every label, term and object of the book
for the page's name. For a page the environment has never read there is nothing to find, yet in a build from
nothing each of the pages scans what all the pages read before it left: the square of the book (2.6 % of a
1,600-statement build, and ten times that share at 16,000). The domain here skips the scan for a page that was not
among the environment's pages (``env.all_docs``) when its purge began, and scans as before for every other.

The domain is Sphinx's own (a subclass, installed with ``add_domain(override=True)``); it relies on Sphinx emitting
``env-purge-doc`` right before each ``clear_doc`` (``tests/test_private_api.py`` checks).

Sphinx's table-of-contents collector does the same at ``env-purge-doc``: it goes through the list of every page
some toctree includes (``env.files_to_rebuild``, which names only pages already read) to take the page out of each
(0.8 % at 1,600 statements; at 16,000 the square of 22,000 pages). Its purge is replaced by one that skips that
pass for a page the environment never read, at the same priority (the collector is Sphinx's; the test above and
``tests/test_private_api.py`` fail when it changes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector


class FreshPagesStandardDomain(StandardDomain):
    """Sphinx's standard domain, which does not scan the book for a page the environment never read."""

    #: The page whose purge is under way, when the environment has not read it (set at ``env-purge-doc``).
    unread: str | None = None

    def clear_doc(self, docname: str) -> None:
        if docname == self.unread:
            self.unread = None
            # What the scan leaves behind even when it finds nothing: the terms' table, made on first use (a
            # parallel build's merge_domaindata expects it in every worker's data).
            self.data.setdefault("terms", {})
            return
        super().clear_doc(docname)


def note_unread(app: Sphinx, env: Any, docname: str) -> None:
    """At ``env-purge-doc``: remember the page if the environment never read it (nothing of it to remove)."""
    domain = env.domains.standard_domain
    if isinstance(domain, FreshPagesStandardDomain):
        domain.unread = docname if docname not in env.all_docs else None


def clear_toc(original: Callable[[Sphinx, BuildEnvironment, str], None]) -> Callable[..., None]:
    """``TocTreeCollector.clear_doc`` (``original``), which skips the pass over every included page for a page never
    read (no toctree's list of includers can name it: only a page's own reading adds it)."""

    def clear(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        if docname in env.all_docs:
            original(app, env, docname)
            return
        for table in (env.tocs, env.toc_secnumbers, env.toc_fignumbers, env.toc_num_entries, env.toctree_includes):
            table.pop(docname, None)
        env.glob_toctrees.discard(docname)
        env.numbered_toctrees.discard(docname)

    return clear


def replace_toc_purge(app: Sphinx) -> None:
    """Put :func:`clear_toc` in place of the table-of-contents collector's own purge, at its priority."""
    for listener in list(app.events.listeners.get("env-purge-doc", [])):
        owner = getattr(listener.handler, "__self__", None)
        if type(owner) is TocTreeCollector and owner.listener_ids is not None:
            app.disconnect(listener.id)
            handler = clear_toc(listener.handler)
            owner.listener_ids["env-purge-doc"] = app.connect("env-purge-doc", handler, listener.priority)


def setup_purge(app: Sphinx) -> None:
    app.add_domain(FreshPagesStandardDomain, override=True)
    app.connect("env-purge-doc", note_unread)
    replace_toc_purge(app)
