"""The site as a good web citizen: language alternates, canonical URLs, a sitemap, OpenGraph, a favicon, a 404 page.

Every page names its twin in each edition (``<link rel="alternate" hreflang>``, the landing page as
``x-default``), so a search engine or a browser offers the reader the script they read. The list of editions is
:data:`tekan.editions.EDITIONS`: a new edition is one entry there and appears in every page's alternates.

With the target's ``site_url`` (the public URL of the site's root folder, ``OUT/html/``, where the landing page is;
on Read the Docs it defaults to the canonical URL Read the Docs gives the build) each edition also gets
``html_baseurl`` (so furo writes ``<link rel="canonical">``), absolute alternates, ``og:url`` and a
``sitemap.xml`` whose entries carry the same alternates. Without it the alternates are relative (browsers follow
them; search engines want absolute ones) and no sitemap is written, since a sitemap of relative URLs is invalid.

sphinxext-opengraph writes the OpenGraph tags; sphinx-notfound-page the 404 page in the edition's script, with
absolute links so it works at any depth. sphinx-sitemap is not used: it builds alternate URLs from gettext locale
folders (``zh_TW/``), which cannot name these editions (``zh-hant/``), and starts a multiprocessing manager
process in every build.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..editions import EDITIONS
from .config import get_target, set_default
from .html import counterpart

#: The site's icon (特, the first character of 特刊, white on the cover's red), in the package's static files.
FAVICON = Path(__file__).resolve().parent / "theme" / "tekan-favicon.svg"
SITEMAP = "sitemap.xml"
NOT_FOUND_PAGE = "404"


def edition_url(site_url: str, tag: str) -> str:
    """The public URL of an edition's folder, from the site's root URL."""
    return f"{site_url.rstrip('/')}/{tag}/"


def alternates(
    pagename: str, suffix: str, site_url: str, script: str = "hant", published: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(hreflang, href) of ``pagename`` in every edition that has it, itself included, and the landing page as
    x-default. ``published`` lists the editions built side by side (all when empty): no link leads to an edition
    that was not built, nor to one without this page (the editorial note, the audit page, the English index and the
    parallel pages are pages of the Chinese editions only)."""
    # Relative, without the site's URL: from the page up to its edition's folder, then up to the site's root.
    root = site_url.rstrip("/") + "/" if site_url else "../" * (pagename.count("/") + 1)
    editions = [
        e
        for e in EDITIONS.values()
        if (not published or e.key in published or e.key == script) and counterpart(pagename, script, e.key) == pagename
    ]
    links = [(edition.tag, f"{root}{edition.folder}/{pagename}{suffix}") for edition in editions]
    return [*links, ("x-default", f"{root}index.html")]


def site_name(config: Config) -> str:
    """The site's name in OpenGraph (``og:site_name``): its short title."""
    return str(config.html_title or config.project)


def configure_site(app: Sphinx, config: Config) -> None:
    """Derive each edition's base URL, OpenGraph and 404 settings from the target's site URL and edition (each
    unless the book's conf.py or ``-D`` set it)."""
    edition = get_target(config).edition
    tag = edition.folder
    site_url = site_url_of(config)
    if site_url and not config.html_baseurl:
        config.html_baseurl = edition_url(site_url, tag)
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)
    # OpenGraph: absolute URLs when the site's URL is known; never a social card (it would need matplotlib).
    # Never empty: on Read the Docs an empty one makes sphinxext-opengraph demand READTHEDOCS_CANONICAL_URL
    # (and fail the build without it); without a site URL the relative og:url is dropped (page_links).
    set_default(config, "ogp_site_url", config.html_baseurl or "/")
    set_default(config, "ogp_site_name", site_name(config))
    set_default(config, "ogp_social_cards", {"enable": False})
    # The description meta is written by this module in the page's language (describe_in_language).
    set_default(config, "ogp_enable_meta_description", False)
    locales = [
        f'<meta property="og:locale" content="{edition.sphinx_language}" />',
        *(
            f'<meta property="og:locale:alternate" content="{other.sphinx_language}" />'
            for other in EDITIONS.values()
            if other != edition
        ),
    ]
    set_default(config, "ogp_custom_meta_tags", locales)
    # The 404 page: served for any missing URL, so its links are absolute (from the site's root path).
    root_path = urlsplit(site_url).path if site_url else "/html/"
    set_default(config, "notfound_urls_prefix", edition_url(root_path or "/", tag))
    words = edition.access
    body = f"<h1>{html.escape(words.not_found)}</h1>\n<p>{html.escape(words.not_found_text)}</p>"
    set_default(config, "notfound_context", {"title": words.not_found, "body": body})


def site_url_of(config: Config) -> str:
    """The public URL of OUT/html/: the target's, else the one Read the Docs gives its builds."""
    return get_target(config).site.url or os.environ.get("READTHEDOCS_CANONICAL_URL", "")


_RELATIVE_HREF = re.compile(r'href="(?![#/?]|[a-z][a-z0-9+.-]*:)([^"]*)"')


def absolute(href: str, prefix: str) -> str:
    """``href`` (relative to the edition's root folder) as a path from the server's root, for the 404 page."""
    if not href or href.startswith(("#", "/")) or "://" in href:
        return href
    path, hash_, fragment = href.partition("#")
    return posixpath.normpath(posixpath.join(prefix, path)) + hash_ + fragment


def absolute_links_on_404(context: dict[str, Any], prefix: str) -> None:
    """The 404 page is served at any missing URL: its sidebar and switcher links must not be relative.
    (sphinx-notfound-page rewrites the links it knows of; the shared navigation and the switcher are ours.)"""
    tree = context.get("furo_navigation_tree")
    if isinstance(tree, str):
        context["furo_navigation_tree"] = _RELATIVE_HREF.sub(lambda m: f'href="{absolute(m[1], prefix)}"', tree)
    for edition in context.get("tekan_editions", []):
        edition["href"] = absolute(edition["href"], prefix)
        for download in edition["downloads"]:
            download["href"] = absolute(download["href"], prefix)


def _published(app: Sphinx) -> tuple[str, ...]:
    """The editions built side by side with this one (empty: all of them)."""
    return get_target(app).site.editions


#: How long a description drawn from the page's text may be (sphinxext-opengraph's default).
DESCRIPTION_LENGTH = 200


def _other_language(node: nodes.Node, language: str) -> bool:
    """True when ``node`` is tagged with a language other than the page's (``language-en`` in a Chinese page,
    ``language-zh-Hant`` or pinyin in an English one); the other Chinese script counts as the page's."""
    for cls in node["classes"] if isinstance(node, nodes.Element) else ():
        if cls.startswith("language-"):
            tag = cls.removeprefix("language-")
            return tag.split("-")[0] != language.split("-")[0] or "-Latn" in tag
    return False


def page_description(doctree: nodes.document, language: str, length: int = DESCRIPTION_LENGTH) -> str:
    """The page's description in its own language: its ``description`` meta (front matter) if it has one, else
    the text of its first paragraphs without the runs in another language (an English headline in a Chinese
    page, the Chinese original beside an English title)."""
    for meta in doctree.findall(nodes.meta):
        if meta.get("name") == "description" and meta.get("content"):
            return str(meta["content"])
    parts: list[str] = []

    def collect(node: nodes.Node) -> None:
        if sum(map(len, parts)) > 2 * length:  # enough: a glossary page need not be walked to its end
            return
        if _other_language(node, language) or isinstance(node, (nodes.title, nodes.Invisible, nodes.raw)):
            return
        if isinstance(node, nodes.Element) and "tekan-letters" in node["classes"]:  # a jump bar: A · B · C
            return
        if isinstance(node, nodes.Text):
            parts.append(str(node))
        for child in getattr(node, "children", []):
            collect(child)
        if isinstance(node, nodes.paragraph):
            parts.append(" ")

    collect(doctree)
    text = " ".join("".join(parts).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def describe_in_language(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Describe the page in its own language (sphinxext-opengraph takes its first words, whatever their language):
    its documented per-page field ``og:description``, set before sphinxext-opengraph reads the page's fields."""
    if app.builder.name != "html" or doctree is None:
        return
    description = page_description(doctree, get_target(app).edition.tag)
    if description:
        from markupsafe import Markup

        # Escaped like every template variable (tekan.sphinxext.escaping); page_links escapes what opengraph wrote.
        escaped = Markup.escape(description)
        context["meta"] = {**(context.get("meta") or {}), "og:description": escaped}
        context["tekan_description"] = escaped


def _description_tag(context: dict[str, Any], doctree: Any) -> str:
    """The page's ``<meta name="description">`` in its language, unless its front matter wrote one."""
    description = str(context.get("tekan_description", ""))  # escaped (describe_in_language)
    written = doctree is not None and any(meta.get("name") == "description" for meta in doctree.findall(nodes.meta))
    if not description or written:
        return ""
    return f'\n<meta name="description" content="{description}" />'


#: OpenGraph tags whose text sphinxext-opengraph writes with only its double quotes escaped (``make_tag``).
_OPENGRAPH_TEXT = re.compile(r'<meta property="og:(title|site_name|description)" content="([^"]*)" />')


def escape_opengraph(metatags: str, title: str, site_name: str, description: str = "") -> str:
    """``metatags`` with ``og:title`` (the page's title, ``context["title"]``, HTML), ``og:site_name`` and
    ``og:description`` (the page's text, given to it as the per-page field) fully escaped: sphinxext-opengraph
    writes them with their ``<``, ``>``, ``&`` and ``'`` as they are."""
    from markupsafe import Markup

    texts = {"title": Markup(title).striptags(), "site_name": site_name, "description": description}

    def escaped(match: re.Match[str]) -> str:
        text = texts[match[1]] or html.unescape(match[2])  # a description of its own: escaped all the same
        return f'<meta property="og:{match[1]}" content="{html.escape(text, quote=True)}" />'

    return _OPENGRAPH_TEXT.sub(escaped, metatags)


def page_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Add the page's language alternates to its head; drop a relative ``og:url`` (OpenGraph wants it absolute);
    describe the page in its own language."""
    if app.builder.name != "html":
        return
    if pagename == NOT_FOUND_PAGE:
        absolute_links_on_404(context, app.config.notfound_urls_prefix)
        return
    suffix = getattr(app.builder, "out_suffix", ".html")
    target = get_target(app)
    links = alternates(pagename, suffix, site_url_of(app.config), target.edition.key, _published(app))
    tags = "".join(f'\n<link rel="alternate" hreflang="{lang}" href={quoteattr(href)} />' for lang, href in links)
    title, description = str(context.get("title", "")), html.unescape(str(context.get("tekan_description", "")))
    metatags = escape_opengraph(context.get("metatags", ""), title, site_name(app.config), description)
    metatags += _description_tag(context, doctree)
    if not site_url_of(app.config):
        metatags = "\n".join(line for line in metatags.split("\n") if 'property="og:url"' not in line)
    context["metatags"] = metatags + tags


def remove_old_sitemap(app: Sphinx) -> None:
    """Before a build without the site's URL: the sitemap an earlier build wrote with it (its URLs may be wrong
    now) is removed, so the edition is what a clean build makes. Removed before writing, not after, so another
    extension's sitemap written at the end is kept."""
    if app.builder.name == "html" and not site_url_of(app.config):
        (Path(app.outdir) / SITEMAP).unlink(missing_ok=True)


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``sitemap.xml`` of the edition (absolute URLs, each with its alternates); only when the site's URL is known."""
    if exception is not None or app.builder.name != "html" or not site_url_of(app.config):
        return
    suffix = getattr(app.builder, "out_suffix", ".html")
    base = app.config.html_baseurl
    entries = []
    for pagename in sorted(app.env.found_docs):
        links = "".join(
            f'\n    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(href)}/>'
            for lang, href in alternates(
                pagename, suffix, site_url_of(app.config), get_target(app).edition.key, _published(app)
            )
        )
        entries.append(f"  <url>\n    <loc>{base}{pagename}{suffix}</loc>{links}\n  </url>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )
    target = Path(app.outdir) / SITEMAP
    if not target.exists() or target.read_text(encoding="utf-8") != xml:
        target.write_text(xml, encoding="utf-8")


def setup_sitemeta(app: Sphinx) -> None:
    """The OpenGraph and 404 extensions, and the hooks above (the site's URL is the target's ``site_url``)."""
    # sphinxext-opengraph prints a line about matplotlib on import (social cards, which are not used here).
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")
    app.setup_extension("notfound.extension")
    app.connect("config-inited", configure_site, priority=650)
    app.connect("html-page-context", describe_in_language, priority=400)  # before sphinxext-opengraph (500)
    app.connect("html-page-context", page_links, priority=700)
    app.connect("builder-inited", remove_old_sitemap)
    app.connect("build-finished", write_sitemap)
