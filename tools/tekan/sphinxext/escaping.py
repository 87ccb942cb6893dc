"""The book's words reach every HTML template escaped, whatever road they take.

The title, author and copyright line come from the book's metadata (``tekan.sphinxext.defaults``) into the
configuration values ``project``, ``html_title``, ``html_short_title`` and ``copyright``, which Sphinx hands every
template as plain strings (``project``, ``docstitle``, ``shorttitle``, ``copyright``, ``logo_alt``…). Sphinx's
own templates escape them (``|e``); furo prints ``docstitle`` raw in its sidebar brand, mobile header and search
page — so a masthead such as ``《測試報》</span><script>…`` was live HTML on every page. Here each such variable
becomes escaped :class:`markupsafe.Markup` before any template sees it: printed raw it is escaped once, and
``|e`` or ``|striptags|e`` leave it escaped once (not ``&amp;lt;``). A page's own variables (``title``, ``body``,
``toc``, ``metatags``) are HTML Sphinx rendered from escaped doctrees, except the ``title`` of a page that has no
document (the EPUB's cover is given the book's title as it is), which is escaped too; ``tests/test_escaping.py``
records every variable of every page and fails on any raw hostile string, whatever its name.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx

#: Template variables Sphinx fills with plain text from the configuration (the book's identity among them).
PLAIN_TEXT = (
    "project",
    "docstitle",
    "shorttitle",
    "copyright",
    "author",
    "logo_alt",
    "release",
    "version",
    "last_updated",
)


def escape_plain_text(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Make every plain-text variable of the page escaped markup (once: Markup is left as it is)."""
    # A page made from a document has its title rendered as HTML; the others (the EPUB's cover, the search and 404
    # pages) are given a plain one — the cover the book's title itself.
    names = PLAIN_TEXT if doctree is not None else (*PLAIN_TEXT, "title")
    for name in names:
        value = context.get(name)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[name] = escape(value)


def setup_escaping(app: Sphinx) -> None:
    """Escape the configuration's plain text before any other handler or template reads the page's context."""
    app.connect("html-page-context", escape_plain_text, priority=1)
