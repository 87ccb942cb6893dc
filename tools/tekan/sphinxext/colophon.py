"""The website's colophon (``colophon.html``): what the book is and whose, and the tools that made the site.

The theme's tool credit ("Made with Sphinx and @pradyunsg's Furo") is the site's, not the book's: it stands
on this one page, in the edition's language (furo's catalog), and every other page's footer links here in its
place (``tekan.sphinxext.accessibility.theme_footer``). Website only: an EPUB and a PDF have their own
colophon in their metadata.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx

from ..epub import rights_line
from .config import edition_of
from .glossary import is_site
from .pages import load_for

#: The colophon's page name (``colophon.html`` at the root of each edition).
COLOPHON_PAGE = "colophon"


def colophon_body(app: Sphinx) -> str:
    """The colophon's HTML: its heading, the book's title (and its other-language title), publisher, date, rights."""
    edition = edition_of(app)
    meta = load_for(app).publication.meta
    other, other_lang = (meta.title, "zh-Hant") if edition.translated else (meta.title_en, "en")
    publisher = (meta.publisher_en if edition.translated else edition.in_script(meta.publisher)) or meta.publisher
    lines = [
        f"<h1>{html.escape(edition.access.colophon)}</h1>",
        f'<p class="tekan-colophon-title">{html.escape(app.config.project)}</p>',
    ]
    if other and other != app.config.project:
        lines.append(f'<p class="tekan-colophon-other" lang="{other_lang}">{html.escape(other)}</p>')
    facts = [x for x in (publisher, meta.date) if x]
    if facts:
        lines.append(f"<p>{html.escape(' · '.join(facts))}</p>")
    rights = rights_line(app.config.copyright)
    if rights:
        lines.append(f'<p class="tekan-colophon-rights">{html.escape(rights)}</p>')
    return "\n".join(lines)


def collect_colophon(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The colophon page of a website edition (``html-collect-pages``)."""
    if not is_site(app.builder):
        return
    title = edition_of(app).access.colophon
    yield COLOPHON_PAGE, {"title": title, "body": colophon_body(app)}, "page.html"


def setup_colophon(app: Sphinx) -> None:
    """Add the colophon to the website."""
    app.connect("html-collect-pages", collect_colophon)
