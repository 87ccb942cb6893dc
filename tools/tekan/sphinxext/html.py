"""HTML-only touches: the edition's language tag on ``<html lang>``, and the script switcher.

The site has one edition per script, side by side (``html/zh-hant/``, ``html/zh-hans/``), with the EPUB and
PDF of each in ``epub/`` and ``pdf/`` beside ``html/``. The switcher (``theme/templates/sidebar/search.html``)
links every page to the same page of the other edition, like the language flyout of Read the Docs, which furo
lacks; ``tekan-editions.js`` carries the reader's query and anchor along.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sphinx.application import Sphinx

from ..editions import BASENAME, EDITIONS

#: Pages only the Chinese editions have, and the English edition's page to switch to instead.
_CHINESE_ONLY = {"about": "index", "audit": "index", "english-index": "glossary"}


def counterpart(pagename: str, script: str, other: str) -> str:
    """The page of edition ``other`` that stands for ``pagename`` of edition ``script`` (usually the same)."""
    if EDITIONS[other].translated and not EDITIONS[script].translated:
        if pagename.startswith("parallel/"):  # a parallel page → the English statement
            return "statements/" + pagename.removeprefix("parallel/")
        return _CHINESE_ONLY.get(pagename, pagename)
    return pagename


def editions(script: str, pagename: str, suffix: str = ".html", published: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The switcher's entries for ``pagename`` in the ``script`` edition: name, language, links, current or not.

    ``published`` lists the editions built side by side (all when empty).
    """
    up = "../" * pagename.count("/")  # from the page to its edition's root
    words = EDITIONS[script].site
    names = dict(words.names)
    result = []
    for other in EDITIONS.values():
        if published and other.key not in published and other.key != script:
            continue
        tag = other.folder
        target = counterpart(pagename, script, other.key)
        result.append(
            {
                "script": other.key,
                "name": other.name,
                "lang": other.tag,
                "current": other.key == script,
                "href": f"{up}../{tag}/{target}{suffix}",
                "epub": f"{up}../../epub/{BASENAME}-{tag}.epub",
                "pdf": f"{up}../../pdf/{BASENAME}-{tag}.pdf",
                # The links' names, in the page's language: "下載簡體中文 EPUB", "Download the English PDF".
                "epub_label": words.download.format(name=names.get(other.key, other.name), format="EPUB"),
                "pdf_label": words.download.format(name=names.get(other.key, other.name), format="PDF"),
            }
        )
    return result


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Tag pages ``zh-Hant`` / ``zh-Hans`` (script, not region, so browsers pick the right glyphs); add the switcher."""
    script = app.config.tekan_script
    edition = EDITIONS[script]
    context["language"] = edition.tag
    if app.builder.name == "html" and app.config.tekan_switcher:
        context["tekan_switcher"] = {"caption": edition.site.caption, "downloads": edition.site.downloads}
        published = [key for key in app.config.tekan_switcher_editions.split(",") if key]
        suffix = getattr(app.builder, "out_suffix", ".html")
        context["tekan_editions"] = editions(script, pagename, suffix, published)


def add_assets(app: Sphinx) -> None:
    """The switcher's script and style, for the HTML builder only (not EPUB)."""
    if app.builder.name == "html":
        app.add_css_file("tekan-editions.css")
        if app.config.tekan_switcher:
            app.add_js_file("tekan-editions.js", loading_method="defer")


def setup_html(app: Sphinx) -> None:
    """The language tag, the switcher's config value and assets."""
    app.add_config_value(
        "tekan_switcher",
        False,
        "html",
        types=frozenset({bool}),
        description="show the switcher to the other script's edition (set by `tekan build`, which builds both)",
    )
    app.add_config_value(
        "tekan_switcher_editions",
        "",
        "html",
        types=frozenset({str}),
        description="the editions published side by side, comma-separated keys (default: every edition)",
    )
    app.connect("builder-inited", add_assets)
    app.connect("html-page-context", page_context)
