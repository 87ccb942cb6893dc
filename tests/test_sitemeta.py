"""The site as a web citizen: language alternates, canonical URLs, sitemap, OpenGraph, favicon, 404 pages.

Unit tests of the URL arithmetic; a small sphinx.testing build with a site URL (canonical, absolute alternates,
the sitemap); and the session's build of the whole book (relative alternates that lead to real files, the 404
page of each script, the favicon).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from tekan.editions import EDITIONS
from tekan.sphinxext.sitemeta import absolute, alternates

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_alternates_name_every_edition_and_the_landing_page() -> None:
    links = alternates("statements/li-si", ".html", "")
    assert links == [
        *((e.tag, f"../../{e.folder}/statements/li-si.html") for e in EDITIONS.values()),
        ("x-default", "../../index.html"),
    ]
    assert alternates("index", ".html", "https://example.org/book")[-1] == (
        "x-default",
        "https://example.org/book/index.html",
    )
    assert alternates("index", ".html", "https://example.org/book/")[0] == (
        "zh-Hant",
        "https://example.org/book/zh-hant/index.html",
    )


def test_alternates_lead_only_to_editions_built_and_having_the_page() -> None:
    # Built without the English edition: no alternate may point into html/en/.
    assert [lang for lang, _ in alternates("glossary", ".html", "", "hant", ["hant", "hans"])] == [
        "zh-Hant",
        "zh-Hans",
        "x-default",
    ]
    # Pages of the Chinese editions only: the audit page, the English index, the parallel (對照) pages.
    for page in ("audit", "english-index", "parallel/li-si"):
        assert "en" not in dict(alternates(page, ".html", "", "hans")), page
    assert "en" in dict(alternates("statements/li-si", ".html", "", "hans"))


def test_absolute_paths_for_the_404_page() -> None:
    prefix = "/html/zh-hant/"
    assert absolute("statements/a.html", prefix) == "/html/zh-hant/statements/a.html"
    assert absolute("../zh-hans/404.html", prefix) == "/html/zh-hans/404.html"
    assert absolute("../../epub/tekan-zh-hant.epub", prefix) == "/epub/tekan-zh-hant.epub"
    assert absolute("glossary.html#term-x", prefix) == "/html/zh-hant/glossary.html#term-x"
    for unchanged in ("#top", "/x.html", "https://example.org/", ""):
        assert absolute(unchanged, prefix) == unchanged


@pytest.mark.sphinx(
    "html",
    testroot="minimal",
    srcdir="minimal-site-url",
    confoverrides={"tekan_target.site_url": "https://example.org/book/"},
)
def test_with_a_site_url_pages_are_canonical_and_the_edition_has_a_sitemap(app) -> None:
    app.build()
    assert app.warning.getvalue().strip() == ""
    page = BeautifulSoup((app.outdir / "statements" / "li-si.html").read_text(encoding="utf-8"), "html.parser")
    canonical = page.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == "https://example.org/book/zh-hant/statements/li-si.html"
    hreflangs = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate")}
    assert hreflangs == {
        **{e.tag: f"https://example.org/book/{e.folder}/statements/li-si.html" for e in EDITIONS.values()},
        "x-default": "https://example.org/book/index.html",
    }
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:url"] == canonical["href"]
    assert og["og:locale"] == "zh_TW"
    alternate = {m["content"] for m in page.find_all("meta", property="og:locale:alternate")}
    assert alternate == {e.sphinx_language for e in EDITIONS.values()} - {"zh_TW"}
    assert og["og:title"] and og["og:description"]
    sitemap = ElementTree.parse(app.outdir / "sitemap.xml").getroot()
    urls = {u.findtext("s:loc", namespaces=SITEMAP_NS): u for u in sitemap.iterfind("s:url", SITEMAP_NS)}
    assert "https://example.org/book/zh-hant/statements/li-si.html" in urls
    assert "https://example.org/book/zh-hant/glossary.html" in urls
    assert all(loc.startswith("https://example.org/book/zh-hant/") for loc in urls)
    links = urls["https://example.org/book/zh-hant/statements/li-si.html"].findall("x:link", SITEMAP_NS)
    assert {link.get("hreflang"): link.get("href") for link in links} == hreflangs
    # The 404 page's links start from the site URL's path.
    missing = (app.outdir / "404.html").read_text(encoding="utf-8")
    assert 'href="/book/zh-hant/_static/' in missing


@pytest.mark.sphinx("html", testroot="minimal")
def test_without_a_site_url_there_is_no_sitemap_and_no_relative_og_url(app) -> None:
    app.build()
    assert app.warning.getvalue().strip() == ""
    assert not (app.outdir / "sitemap.xml").exists()
    page = BeautifulSoup((app.outdir / "statements" / "li-si.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("link", rel="canonical") is None
    assert page.find("meta", property="og:url") is None
    assert page.find("meta", property="og:title") is not None


def _page(book_out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((book_out / "html" / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("tag", [e.folder for e in EDITIONS.values()])
def test_every_page_links_its_twins_in_the_other_editions(book_out: Path, tag: str) -> None:
    edition = book_out / "html" / tag
    pages = [p for p in edition.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 20
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")}
        name = page.relative_to(edition).as_posix()
        chinese_only = name in ("about.html", "audit.html", "english-index.html") or name.startswith("parallel/")
        expected = {e.tag for e in EDITIONS.values() if not chinese_only or e.tag.startswith("zh")}
        assert set(links) == {*expected, "x-default"}, page
        for href in links.values():  # relative, and each leads to a page of the build
            assert (page.parent / href).resolve().is_file(), (page, href)
        assert (page.parent / links["x-default"]).resolve() == book_out / "html" / "index.html"


@pytest.mark.parametrize(("tag", "title"), [("zh-hant", "找不到此頁"), ("zh-hans", "找不到此页")])
def test_each_edition_has_a_404_page_in_its_script(book_out: Path, tag: str, title: str) -> None:
    soup = _page(book_out, f"{tag}/404.html")
    assert soup.find("h1").get_text(strip=True) == title
    assert soup.html["lang"] in ("zh-Hant", "zh-Hans")
    # Served for any missing URL: no relative link, or a reader one folder deep would get broken ones.
    hrefs = [a["href"] for a in soup.find_all(["a", "link"], href=True)]
    relative = [h for h in hrefs if not re.match(r"(#|/|https?://)", h)]
    assert relative == []
    for href in hrefs:
        if href.startswith("/"):
            assert (book_out / href.lstrip("/").split("?")[0].split("#")[0]).exists(), href


def test_every_page_has_the_favicon(book_out: Path) -> None:
    for tag in (e.folder for e in EDITIONS.values()):
        soup = _page(book_out, f"{tag}/statements/zhao-hua.html")
        icon = soup.find("link", rel="icon") or soup.find("link", rel="shortcut icon")
        assert icon is not None
        target = (book_out / "html" / tag / "statements" / icon["href"]).resolve()
        assert target.is_file() and target.read_text(encoding="utf-8").startswith("<svg")
    landing = _page(book_out, "index.html")
    assert (book_out / "html" / landing.find("link", rel="icon")["href"]).is_file()


def test_landing_page_is_a_page_of_its_own_with_both_titles() -> None:
    from tekan.editions import HANS, HANT
    from tekan.landing import Entry, landing_page

    html = landing_page([Entry(HANT, "甲書"), Entry(HANS, "甲书")], "https://example.org/book")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "zh-Hant"
    main = soup.find("main")
    assert main is not None and main.find("h1") is not None
    assert [(s["lang"], s.get_text()) for s in soup.find("h1").find_all("span")] == [
        ("zh-Hant", "甲書"),
        ("zh-Hans", "甲书"),
    ]
    assert soup.title.get_text() == "甲書 / 甲书"
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/book/index.html"
    hreflangs = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert hreflangs["zh-Hans"] == "https://example.org/book/zh-hans/index.html"
    assert hreflangs["x-default"] == "https://example.org/book/index.html"
    assert "prefers-color-scheme: dark" in soup.style.get_text()
    # One title only when both scripts write it the same way.
    same = BeautifulSoup(landing_page([Entry(HANT, "Tekan"), Entry(HANS, "Tekan")]), "html.parser")
    assert not same.find("a", class_="epub"), "no download link to a file not published"
    assert len(same.find("h1").find_all("span")) == 1 and same.find("link", rel="canonical") is None
