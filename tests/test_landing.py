"""The landing page and the downloads: what is published in OUT, and nothing else.

Building one edition keeps the other editions already published on the landing page (with their titles), and
no page links an EPUB or a PDF that was never built; every link of the landing page and of each page's
switcher resolves. Published files are named after the book, so two books' downloads never collide.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tekan.target import book_file_name

from .conftest import tekan
from .stranger import FULL_TITLE, write_feature

pytestmark = pytest.mark.sphinx


def _links(page: Path, selector: str) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select(selector)]


def _unresolved(page: Path, selector: str) -> list[str]:
    return [href for href in _links(page, selector) if not (page.parent / href.split("#")[0]).resolve().exists()]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An unseen book: the Traditional site first, then (another run) the Simplified site and its EPUB."""
    folder = tmp_path_factory.mktemp("landing")
    write_feature(folder)
    for args in (["html", "--script", "hant"], ["html", "epub", "--script", "hans"]):
        result = tekan("build", *args, cwd=folder)
        assert result.returncode == 0, result.stderr[-3000:]
    return folder / "_build"


def test_a_later_build_keeps_the_editions_already_published(out: Path) -> None:
    landing = BeautifulSoup((out / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    editions = {li["lang"]: li for li in landing.select("li.edition")}
    assert set(editions) == {"zh-Hant", "zh-Hans"}
    assert editions["zh-Hant"].find(class_="title").get_text() == FULL_TITLE, "the first run's title is kept"
    assert editions["zh-Hans"].find(class_="title").get_text() == "浙江标准报·浙江标准化周特刊"


def test_only_published_downloads_are_linked_and_every_link_resolves(out: Path) -> None:
    landing = out / "html" / "index.html"
    assert _links(landing, "a.epub") == ["../epub/example-zjbz-2024-week-zh-hans.epub"]
    assert _links(landing, "a.pdf") == [], "no PDF was built"
    assert _unresolved(landing, "a[href]") == []
    for edition in ("zh-hant", "zh-hans"):
        page = out / "html" / edition / "statements" / "zhou-wenhua.html"
        assert _unresolved(page, "nav.tekan-editions a[href]") == []
        assert not [h for h in _links(page, "nav.tekan-editions a[href]") if h.endswith(".pdf")]
    # The Simplified run knew of the Traditional site (published before) but of no Traditional EPUB.
    hans = out / "html" / "zh-hans" / "statements" / "zhou-wenhua.html"
    assert [h for h in _links(hans, "nav.tekan-editions a[href]") if h.endswith(".epub")] == [
        "../../../epub/example-zjbz-2024-week-zh-hans.epub"
    ]


def test_downloads_are_named_after_the_book(tmp_path: Path) -> None:
    assert book_file_name("urn:example:zjbz:2024-week", Path("feature.txt")) == "example-zjbz-2024-week"
    assert book_file_name("urn:tekan:china-quality-news:2021-hangzhou", Path("x.txt")) == (
        "china-quality-news-2021-hangzhou"
    )
    assert book_file_name("", Path("seeds/2024-Metrology Day.txt")) == "2024-metrology-day"
    assert book_file_name("", Path("計量日.txt")) == "book"
    names = {book_file_name(i, Path("feature.txt")) for i in ("urn:isbn:978-7-1", "urn:example:other:2024")}
    assert len(names) == 2 and "tekan" not in names
