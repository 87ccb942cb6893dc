"""Every local link of a published site, checked against the files published: a small crawler for the tests.

A site is a folder served at a URL (``https://host/en/latest/`` on Read the Docs, ``/html/`` by a plain web
server): every page in it is read with :mod:`html.parser`, and each ``href`` and ``src`` (``srcset`` too) that stays
on the site — relative, from the server's root, or absolute under the site's URL — must name a file in the folder
(a folder's ``index.html`` counts). Links elsewhere (another host, ``mailto:``, ``data:``) are not followed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Attributes that name a resource or a page.
LINK_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "data"})


@dataclass(frozen=True)
class Link:
    """One link of one page."""

    page: str  # the page, relative to the site's folder (``zh-hant/index.html``)
    tag: str  # the element (``a``, ``link``, ``script``, ``img``)
    url: str  # the link as written
    target: str  # the path it names under the site's folder (``""``: it leaves the site)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (tag, url) in page order

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name not in LINK_ATTRIBUTES or not value:
                continue
            if name == "srcset":
                self.found += [(tag, part.split()[0]) for part in value.split(",") if part.strip()]
            elif not (tag == "object" and name != "data"):
                self.found.append((tag, value.strip()))


class Site:
    """The published folder ``root``, served at ``url`` (a full URL or a path: ``/``, ``/html/``)."""

    def __init__(self, root: Path, url: str = "/") -> None:
        self.root = root
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        self.path = (parts.path or "/").rstrip("/") + "/"

    def pages(self) -> list[str]:
        """Every HTML page published, relative to the folder."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    def links(self, page: str) -> list[Link]:
        """The links of ``page`` (relative to the folder), each with the path it names on the site."""
        parser = _Links()
        parser.feed((self.root / page).read_text(encoding="utf-8"))
        return [Link(page, tag, url, self.target(page, url)) for tag, url in parser.found]

    def target(self, page: str, url: str) -> str:
        """The path under the folder that ``url`` on ``page`` names; ``""`` for a link off the site (another host,
        another scheme); ``"/…"`` (a path from the server's root) for one on this host outside the site."""
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return ""  # mailto:, data:, javascript:
        if parts.netloc and f"{parts.scheme or 'https'}://{parts.netloc}" != self.origin:
            return ""  # another host
        path = unquote(parts.path)
        if not path:
            return page  # a fragment or a query on the page itself
        if not path.startswith("/"):
            path = posixpath.join(self.path, posixpath.dirname(page), path)
        path = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
        if not (path + "/").startswith(self.path) and path != self.path.rstrip("/"):
            return path  # on this host, outside the site: never published with it
        return path[len(self.path) :] or "."  # "." : the site's folder itself

    def published(self, target: str) -> bool:
        """Whether ``target`` (a path under the folder) is a published file, or a folder with an index page."""
        if not target or target.startswith("/"):
            return False
        path = self.root / target
        return path.is_file() or (path.is_dir() and (path / "index.html").is_file())

    def broken(self) -> Iterator[Link]:
        """Every link of every page that stays on the site and names nothing published."""
        for page in self.pages():
            for link in self.links(page):
                if link.target != "" and not self.published(link.target):
                    yield link


def report(links: list[Link], shown: int = 30) -> str:
    """The broken links, one line each (``page: <a href=…> → what it names``), the first ``shown`` of them."""
    lines = [f"{link.page}: <{link.tag} {link.url}> → {link.target or '?'}" for link in links[:shown]]
    more = [f"… and {len(links) - shown} more"] if len(links) > shown else []
    return "\n".join([f"{len(links)} broken link(s):", *lines, *more])
