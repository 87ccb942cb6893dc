"""The crawler of tests/sitelinks.py finds what it must: a link to nothing, a link out of the site, an absolute link
under another path; and it follows what stays on the site (relative, from the server's root, under the site's URL)."""

from __future__ import annotations

from pathlib import Path

from .sitelinks import Site, report


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_crawler_finds_every_broken_link_and_only_those(tmp_path: Path) -> None:
    root = tmp_path / "html"
    write(root / "index.html", '<a href="a/index.html">a</a> <a href="a/">a</a> <a href="../epub/b.epub">out</a>')
    write(root / "epub" / "b.epub", "")
    write(
        root / "a" / "index.html",
        '<link rel="icon" href="../_static/i.svg"><img srcset="p.png 1x, q.png 2x" alt="">'
        '<a href="page.html#x">p</a><a href="#top">t</a><a href="mailto:x@y.org">m</a><a href="https://else.org/x">e</a>'
        '<a href="/v/latest/epub/b.epub">abs</a><a href="https://h.org/v/latest/a/page.html?q=1">full</a>'
        '<a href="/v/stable/a/page.html">other version</a><a href="https://h.org/v/latest/">root</a>'
        '<script src="%5Fstatic/s.js"></script>',
    )
    write(root / "a" / "page.html", "")
    write(root / "a" / "p.png", "")
    site = Site(root, "https://h.org/v/latest/")
    broken = [(link.page, link.url, link.target) for link in site.broken()]
    assert broken == [
        ("a/index.html", "../_static/i.svg", "_static/i.svg"),
        ("a/index.html", "q.png", "a/q.png"),
        ("a/index.html", "/v/stable/a/page.html", "/v/stable/a/page.html"),
        ("a/index.html", "%5Fstatic/s.js", "a/_static/s.js"),
        ("index.html", "../epub/b.epub", "/v/epub/b.epub"),  # beside the site: not served with it
    ]
    assert "5 broken link(s)" in report(list(site.broken()))
