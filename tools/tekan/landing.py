"""The site's landing page (``OUT/html/index.html``): one entry per script edition, with its downloads.

It is the site's front door and the ``x-default`` of every page's language alternates, so it is held to the
editions' standard: a ``main`` landmark, each edition's text tagged with its own language, the titles in
both scripts, light and dark colours that pass WCAG AA contrast, the editions' favicon.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from .editions import EDITIONS, Edition
from .target import OutputFormat

#: The favicon every edition publishes (tekan.sphinxext.sitemeta), reached from the landing page.
FAVICON = "_static/tekan-favicon.svg"

STYLE = """
:root { color-scheme: light dark; --ink: #222; --paper: #fff; --link: #2757a4; --rule: #ccc; --muted: #555; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e8e6e3; --paper: #131416; --link: #8ab4f8; --rule: #444; --muted: #b0b0b0; }
}
body { font-family: "Noto Sans CJK TC", "Noto Sans CJK SC", system-ui, sans-serif; max-width: 40rem;
       margin: 3rem auto; padding: 0 1rem; line-height: 1.7; color: var(--ink); background: var(--paper); }
h1 { font-family: "Noto Serif CJK TC", "Noto Serif CJK SC", serif; font-size: 1.6rem; line-height: 1.4; }
h1 span { display: block; }
h1 span + span { font-size: 1.1rem; font-weight: normal; color: var(--muted); }
[lang="zh-Hans"] { font-family: "Noto Sans CJK SC", system-ui, sans-serif; }
h1 [lang="zh-Hans"] { font-family: "Noto Serif CJK SC", serif; }
ul { list-style: none; padding: 0; }
li.edition { border: 1px solid var(--rule); border-radius: 6px; padding: 0.5rem 1.25rem; margin: 1rem 0; }
h2 { margin: 0.5rem 0 0; font-size: 1.4rem; }
p.title { margin: 0.25rem 0; color: var(--muted); }
p.book span { display: block; font-weight: bold; }
a { color: var(--link); }
p.links { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.5rem 0; }
/* Targets of at least 24 x 24 px (WCAG 2.2, 2.5.8). */
p.links a { display: inline-block; min-height: 24px; padding: 0.25rem 0; }
"""


@dataclass(frozen=True)
class Entry:
    """One edition published in OUT, as the landing page lists it."""

    edition: Edition  # the edition
    title: str  # the book's title in it ("" when unknown)
    downloads: tuple[tuple[OutputFormat, str], ...] = ()  # each published file's format and link from OUT/html/


def landing_page(entries: list[Entry], site_url: str = "") -> str:
    """The landing page HTML for the published editions ``entries``: each links its site and its downloads.

    ``site_url`` is the public URL of the folder the page is in (``OUT/html/``); when given, the page names
    its canonical URL and its alternates absolutely, as search engines require.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    canonical = f'<link rel="canonical" href="{escape(base)}index.html">\n' if base else ""
    alternates = [
        f'<link rel="alternate" hreflang="{e.edition.tag}" href="{escape(base)}{e.edition.folder}/index.html">'
        for e in entries
    ]
    alternates.append(f'<link rel="alternate" hreflang="x-default" href="{escape(base)}index.html">')
    head = canonical + "\n".join(alternates)
    return _page(entries, "", head)


def not_found_page(entries: list[Entry], site_url: str) -> str:
    """The site's own 404 page (``OUT/html/404.html``), for a host that serves one page at any missing address of
    the site, as Read the Docs does: it says so in each edition's language and leads to each edition and download
    by links from the server's root (``/en/latest/zh-hant/index.html``), which work at any depth."""
    root = (urlsplit(site_url).path or "/").rstrip("/") + "/"
    said: dict[str, Edition] = {}  # each wording once (Traditional and English, Simplified where it differs)
    for entry in entries:
        said.setdefault(entry.edition.access.not_found, entry.edition)
    heading = "".join(f'<span lang="{e.tag}">{escape(words)}</span>' for words, e in said.items())
    texts = "".join(f'<p lang="{e.tag}">{escape(e.access.not_found_text)}</p>\n' for e in said.values())
    return _page(entries, root, '<meta name="robots" content="noindex">', heading, texts)


def _page(entries: list[Entry], root: str, head: str, heading: str = "", lead: str = "") -> str:
    """The page that lists ``entries``, its links relative (``root`` empty) or from ``root``: ``head`` is added to
    its head; ``heading`` replaces the book's titles as its ``h1`` (they follow it), ``lead`` follows the ``h1``."""
    items = []
    for entry in entries:
        edition, title = entry.edition, entry.title
        words, tag, lang = edition.site, edition.folder, edition.tag
        home = f"{root}{tag}/index.html"
        links = [f'<a class="read" href="{escape(home)}" hreflang="{lang}">{escape(words.read)}</a>']
        for fmt, path in entry.downloads:
            label = {"epub": words.epub, "pdf": words.pdf}.get(fmt.key) or words.download.format(
                name=edition.name, format=fmt.label
            )
            href = posixpath.normpath(root + path) if root else path  # path: from OUT/html/
            links.append(f'<a class="{fmt.key}" href="{escape(href)}" type="{fmt.media_type}">{escape(label)}</a>')
        items.append(
            f'<li class="edition" lang="{lang}">'
            f'<h2><a href="{escape(home)}" hreflang="{lang}">{escape(edition.name)}</a></h2>'
            + (f'<p class="title">{escape(title)}</p>' if title else "")
            + f'<p class="links">{" ".join(links)}</p>'
            "</li>"
        )
    titles = {entry.edition.key: entry.title for entry in entries}
    first = next(iter(titles), "hant")
    page_lang = EDITIONS[first].tag
    # The title in each script, once: the Simplified one only where it differs.
    distinct: dict[str, str] = {}
    for script, title in titles.items():
        if title and title not in distinct.values():
            distinct[script] = title
    if not distinct:
        distinct = {first: "Tekan"}
    titled = "".join(f'<span lang="{EDITIONS[s].tag}">{escape(t)}</span>' for s, t in distinct.items())
    favicon = f"{root}{EDITIONS[first].folder}/{FAVICON}"
    title = " / ".join(distinct.values())
    if heading:  # the book's titles under the page's own heading
        title = f"{EDITIONS[first].access.not_found} · {title}"
        lead += f'<p class="book">{titled}</p>\n'
    else:
        heading = titled
    return f"""<!DOCTYPE html>
<html lang="{page_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{escape(title)}</title>
<link rel="icon" href="{escape(favicon)}" type="image/svg+xml">
{head}
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{heading}</h1>
{lead}<ul class="editions">
{chr(10).join(items)}
</ul>
</main>
</body>
</html>
"""
