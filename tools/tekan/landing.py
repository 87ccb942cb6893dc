"""The site's landing page (``OUT/html/index.html``): one entry per script edition, with its downloads.

It is the site's front door and the ``x-default`` of every page's language alternates, so it is held to the
editions' standard: a ``main`` landmark, each edition's text tagged with its own language, the titles in
both scripts, light and dark colours that pass WCAG AA contrast, the editions' favicon.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

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
    downloads: tuple[tuple[OutputFormat, str], ...] = ()  # each published file's format and path under OUT


def landing_page(entries: list[Entry], site_url: str = "") -> str:
    """The landing page HTML for the published editions ``entries``: each links its site and its downloads.

    ``site_url`` is the public URL of the folder the page is in (``OUT/html/``); when given, the page names
    its canonical URL and its alternates absolutely, as search engines require.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    items, alternates = [], []
    for entry in entries:
        edition, title = entry.edition, entry.title
        words, tag, lang = edition.site, edition.folder, edition.tag
        alternates.append(f'<link rel="alternate" hreflang="{lang}" href="{escape(base)}{tag}/index.html">')
        links = [f'<a class="read" href="{tag}/index.html" hreflang="{lang}">{escape(words.read)}</a>']
        for fmt, path in entry.downloads:
            label = {"epub": words.epub, "pdf": words.pdf}.get(fmt.key) or words.download.format(
                name=edition.name, format=fmt.label
            )
            links.append(f'<a class="{fmt.key}" href="../{escape(path)}" type="{fmt.media_type}">{escape(label)}</a>')
        items.append(
            f'<li class="edition" lang="{lang}">'
            f'<h2><a href="{tag}/index.html" hreflang="{lang}">{escape(edition.name)}</a></h2>'
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
    heading = "".join(f'<span lang="{EDITIONS[s].tag}">{escape(t)}</span>' for s, t in distinct.items())
    favicon = f"{EDITIONS[first].folder}/{FAVICON}"
    canonical = f'<link rel="canonical" href="{escape(base)}index.html">\n' if base else ""
    return f"""<!DOCTYPE html>
<html lang="{page_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{escape(" / ".join(distinct.values()))}</title>
<link rel="icon" href="{favicon}" type="image/svg+xml">
{canonical}{chr(10).join(alternates)}
<link rel="alternate" hreflang="x-default" href="{escape(base)}index.html">
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<ul class="editions">
{chr(10).join(items)}
</ul>
</main>
</body>
</html>
"""
