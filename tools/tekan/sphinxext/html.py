"""HTML-only touches: the edition's language tag on ``<html lang>``, and the script switcher.

The site has one edition per script, side by side (``html/zh-hant/``, ``html/zh-hans/``), with the files of
each published format beside ``html/``, or inside it for a self-contained site (the layout is
:class:`tekan.target.OutputFormat`'s and :meth:`tekan.target.Site.download`'s). The switcher
(``theme/templates/sidebar/search.html``) links every page to the same page of the other editions, like the
language flyout of Read the Docs, which furo lacks, and to the downloads the target says are published;
``tekan-editions.js`` carries the reader's query and anchor along.

Sphinx renders the title of the previous, next and parent pages of every page it writes through a docutils
publisher of its own (``render_partial``: transforms, then the HTML translator), about five titles a page, most
of them the same few (a sector page is the parent of each of its statements): 3 % of a 1,600-statement build. The
site's builder here renders each title node of the environment once per build (a title holding no link or image,
whose HTML cannot depend on the page it appears on) and gives the same HTML again.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
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


def _same_everywhere(node: nodes.Node) -> bool:
    """A title whose HTML is the same on every page: no link, pending reference or image in it."""
    return isinstance(node, nodes.title) and not any(
        isinstance(n, (nodes.reference, addnodes.pending_xref, nodes.image)) for n in node.findall(nodes.Element)
    )


def remember_titles(app: Sphinx) -> None:
    """The HTML builders' ``render_partial``: a title node rendered once per build (the builder renders the same
    related pages' titles for page after page)."""
    builder: Any = app.builder
    original = getattr(builder, "render_partial", None)
    if original is None or getattr(original, "tekan_titles", None) is not None:
        return
    rendered: dict[int, tuple[nodes.Node, dict[str, str]]] = {}  # id → (the node, kept alive; its parts)

    def render_partial(node: nodes.Node | None) -> dict[str, str]:
        if node is None or not _same_everywhere(node):
            return dict(original(node))
        found = rendered.get(id(node))
        if found is None or found[0] is not node:
            found = rendered[id(node)] = (node, dict(original(node)))
        return dict(found[1])

    render_partial.tekan_titles = rendered  # type: ignore[attr-defined]
    builder.render_partial = render_partial


def forget_titles(app: Sphinx, env: Any, docnames: Any) -> None:
    """Before a build reads: the titles rendered by the last build of this builder are forgotten."""
    rendered = getattr(getattr(app.builder, "render_partial", None), "tekan_titles", None)
    if rendered is not None:
        rendered.clear()


def setup_html(app: Sphinx) -> None:
    """The language tag, the switcher's assets, the related pages' titles rendered once."""
    app.connect("builder-inited", remember_titles)
    app.connect("env-before-read-docs", forget_titles)
    app.connect("builder-inited", add_assets)
    app.connect("html-page-context", page_context)
