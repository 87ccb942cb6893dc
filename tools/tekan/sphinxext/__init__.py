"""The Sphinx extension: generates the book's pages at start-up and renders bylines, glossary and backlinks.

Thin glue over the pure core (``tekan.book``, ``tekan.glossary``, ``tekan.rendering``); a book's conf.py is
``extensions = ["tekan.sphinxext"]`` and ``tekan_target = {"seed": "…"}`` (the extension brings MyST, furo, its
templates, static files, catalogs and every default setting: ``defaults``). One module per feature, each with its own
``setup_<feature>(app)``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from ..target import FORMATS
from .accessibility import setup_accessibility
from .colophon import setup_colophon
from .config import ENV_VERSION
from .defaults import setup_defaults
from .epub import setup_epub
from .epubtext import setup_epub_text
from .escaping import setup_escaping
from .glossary import setup_glossary
from .html import setup_html
from .incremental import setup_incremental
from .memory import setup_memory
from .navigation import setup_navigation
from .pages import setup_pages
from .purge import setup_purge
from .reading import setup_reading
from .search import setup_search
from .searchshards import setup_search_shards
from .settings import setup_settings
from .sitemeta import setup_sitemeta


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the tekan configuration, directives, domain and event handlers."""
    setup_defaults(app)
    setup_pages(app)
    setup_glossary(app)
    setup_search(app)
    setup_search_shards(app)
    setup_html(app)
    setup_escaping(app)
    setup_accessibility(app)
    setup_colophon(app)
    setup_sitemeta(app)
    setup_navigation(app)
    setup_epub(app)
    setup_epub_text(app)
    setup_incremental(app)
    setup_memory(app)
    setup_settings(app)
    setup_purge(app)
    setup_reading(app)
    for fmt in FORMATS.values():  # a format whose builder is not Sphinx's own brings it (tekan.target)
        if fmt.sphinx_extension:
            app.setup_extension(fmt.sphinx_extension)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
