"""HTML-only touches: the edition's language tag on ``<html lang>``, and the script switcher.

The site has one edition per script, side by side (``html/zh-hant/``, ``html/zh-hans/``), with the files of
each published format beside ``html/``, or inside it for a self-contained site (the layout is
:class:`tekan.target.OutputFormat`'s and :meth:`tekan.target.Site.download`'s). The switcher
(``theme/templates/sidebar/search.html``) links every page to the same page of the other editions, like the
language flyout of Read the Docs, which furo lacks, and to the downloads the target says are published;
``tekan-editions.js`` carries the reader's query and anchor along.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..editions import EDITIONS
from ..target import FORMATS, Target, book_file_name
from .config import book_of, get_target

#: Pages only the Chinese editions have, and the English edition's page to switch to instead.
_CHINESE_ONLY = {"about": "index", "audit": "index", "english-index": "glossary"}


def counterpart(pagename: str, script: str, other: str) -> str:
    """The page of edition ``other`` that stands for ``pagename`` of edition ``script`` (usually the same)."""
    if EDITIONS[other].translated and not EDITIONS[script].translated:
        if pagename.startswith("parallel/"):  # a parallel page → the English statement
            return "statements/" + pagename.removeprefix("parallel/")
        if pagename.startswith("audit-"):  # a further page of a long audit log
            return _CHINESE_ONLY["audit"]
        return _CHINESE_ONLY.get(pagename, pagename)
    return pagename


def editions(target: Target, pagename: str, name: str, suffix: str = ".html") -> list[dict[str, Any]]:
    """The switcher's entries for ``pagename``: each published edition's name, language, link and downloads.

    ``name`` is the stem of the book's files; the downloads are those ``target.site`` lists as published.
    """
    up = "../" * pagename.count("/")  # from the page to its edition's root
    script = target.edition.key
    words = target.edition.site
    names = dict(words.names)
    published = target.site.editions
    result = []
    for other in EDITIONS.values():
        if other.key not in published and other.key != script:
            continue
        downloads = []
        for fmt in FORMATS.values():
            if fmt.download and fmt.key in target.site.downloads_of(other.key):
                downloads.append(
                    {
                        "format": fmt.key,
                        "name": fmt.label,
                        "type": fmt.media_type,
                        "href": f"{up}../{target.site.href(fmt, name, other)}",
                        # In the page's language: "下載簡體中文 EPUB", "Download the English PDF".
                        "label": words.download.format(name=names.get(other.key, other.name), format=fmt.label),
                    }
                )
        result.append(
            {
                "script": other.key,
                "name": other.name,
                "lang": other.tag,
                "current": other.key == script,
                "href": f"{up}../{other.folder}/{counterpart(pagename, script, other.key)}{suffix}",
                "downloads": downloads,
            }
        )
    return result


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Tag pages ``zh-Hant`` / ``zh-Hans`` (script, not region, so browsers pick the right glyphs); add the switcher."""
    target = get_target(app)
    edition = target.edition
    context["language"] = edition.tag
    if app.builder.name == "html" and target.site.editions:
        book = book_of(app.env)
        name = target.name or book_file_name(book.publication.meta.identifier, book.publication.source)
        context["tekan_switcher"] = {"caption": edition.site.caption, "downloads": edition.site.downloads}
        suffix = getattr(app.builder, "out_suffix", ".html")
        context["tekan_editions"] = editions(target, pagename, name, suffix)


def add_assets(app: Sphinx) -> None:
    """The switcher's script and style, for the HTML builder only (not EPUB)."""
    if app.builder.name == "html":
        app.add_css_file("tekan-editions.css")
        if get_target(app).site.editions:
            app.add_js_file("tekan-editions.js", loading_method="defer")


def setup_html(app: Sphinx) -> None:
    """The language tag, the switcher's assets."""
    app.connect("builder-inited", add_assets)
    app.connect("html-page-context", page_context)
