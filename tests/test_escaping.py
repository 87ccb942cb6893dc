"""Every string from a seed, its metadata, a catalog or the glossary reaches a template escaped, wherever it
goes: the book's title in furo's brand and mobile header (``html_title``/``project``), ``<title>``, meta and
OpenGraph tags, the landing page, the 404 page, the EPUB's package and navigation. Two checks per build:

- every variable a template receives (``html-page-context``, recorded by the test book's ``conf.py`` after every
  handler of Tekan's) holds no hostile string raw, whatever its name;
- every page the reader gets (three web editions, the landing page, the EPUB) has no element or attribute the
  hostile strings would inject, and shows the title as written (escaped once, not twice).
"""

from __future__ import annotations

import html
import json
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from tekan.tomlfile import dumps

from .conftest import tekan

#: What the hostile strings would inject: a script after closing furo's ``<span>``, an image with a handler after
#: closing an attribute, a handler in a single-quoted attribute, a bold element, a Jinja expression.
INJECTIONS = (
    "</span><script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)",
    "<b>粗體</b>",
    "{{ 7*7 }}",
)
RAW = ("<script>alert", "<img src=x", "<b>粗體")  # only an unescaped `<` makes these
TITLE = "《測試報》" + INJECTIONS[0]
FULL_TITLE = f"{TITLE}·特刊{INJECTIONS[1]}"

SEED = f"""以標準引領製造{INJECTIONS[3]}
標準化是國家質量基礎設施的重要組成部分。計量是工業的眼睛。
——某省市場監督管理局局長陳立新
讓計量守護民生{INJECTIONS[2]}
我們為一萬多家企業提供校準服務。
——某省計量科學研究院院長周文華
{TITLE}
"""


def hostile(word: str) -> str:
    return word + "".join(INJECTIONS)


METADATA = {
    "publication": {
        "title": FULL_TITLE,
        "title_en": hostile("Test News: Special Issue"),
        "publisher": hostile("測試報社"),
        "publisher_en": hostile("Test News"),
        "copyright": hostile("2024, 測試報社"),
        "date": "2024-10",
        "identifier": hostile("urn:example:test"),
        "description_zh": hostile("描述"),
        "description_en": hostile("About"),
    },
    "sector": [{"id": "s", "zh": hostile("監管部門"), "en": hostile("Regulators")}],
    "statement": [
        {
            "byline": "某省市場監督管理局局長陳立新",
            "slug": "chen-lixin",
            "sector": "s",
            "headline_en": hostile("Standards lead"),
            "person_pinyin": hostile("Chen Lixin"),
            "organisation_en": hostile("Provincial Administration"),
            "position_en": hostile("Director"),
        },
        {
            "byline": "某省計量科學研究院院長周文華",
            "slug": "zhou-wenhua",
            "sector": "s",
            "headline_en": hostile("Metrology for people"),
        },
    ],
}

GLOSSARY = {
    "term": [
        {
            "id": "metrology",
            "hant": "計量",
            "hans": "计量",
            "pinyin": hostile("jìliàng"),
            "en": hostile("metrology"),
            "category": "metrology",
            "definition_zh": hostile("實現單位統一的活動。"),
            "definition_en": hostile("Science of measurement."),
            "source": hostile("VIM"),
        }
    ]
}

#: The test book's conf.py: Tekan's extension, and a recorder of every template variable holding a raw hostile
#: string (run last, after every handler that adds or rewrites a variable).
CONF = f"""
import json
from pathlib import Path

from tekan.sphinxext.config import edition_of

extensions = ["tekan.sphinxext"]
RAW = {RAW!r}
RECORD = Path(__file__).parent / "context-record.jsonl"


def _raw(value, path, found, seen):
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        if any(raw in value for raw in RAW):
            found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _raw(item, f"{{path}}[{{key!r}}]", found, seen)
    elif isinstance(value, (list, tuple, set)):
        for index, item in enumerate(value):
            _raw(item, f"{{path}}[{{index}}]", found, seen)
    elif hasattr(value, "__dict__") and not callable(value) and type(value).__module__ != "builtins":
        for key, item in vars(value).items():
            _raw(item, f"{{path}}.{{key}}", found, seen)


def record(app, pagename, templatename, context, doctree):
    from tekan.sphinxext.config import get_target

    found = []
    for name, value in context.items():
        _raw(value, name, found, set())
    with RECORD.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({{"builder": app.builder.name, "script": get_target(app).edition.key,
                                  "page": pagename, "names": len(context), "raw": found}}) + "\\n")


def setup(app):
    app.connect("html-page-context", record, priority=10_000)
"""


def write_book(folder: Path) -> Path:
    """The hostile book: seed, metadata, glossary and a conf.py that records the template variables."""
    (folder / "docs").mkdir(parents=True)
    (folder / "glossary").mkdir()
    seed = folder / "feature.txt"
    seed.write_text(SEED, encoding="utf-8")
    seed.with_suffix(".toml").write_text(dumps(METADATA), encoding="utf-8")
    (folder / "glossary" / "terms.toml").write_text(dumps(GLOSSARY), encoding="utf-8")
    (folder / "docs" / "conf.py").write_text(CONF, encoding="utf-8")
    return seed


def translate_hostilely(seed: Path) -> None:
    """The English catalogs `tekan translate` makes, each paragraph translated with the hostile strings."""
    result = tekan("translate", str(seed), "--project", str(seed.parent))
    assert result.returncode == 0, result.stderr[-2000:]
    catalogs = sorted((seed.parent / "locale" / "en").rglob("*.po"))
    assert len(catalogs) == 2
    po_string = hostile("A translated paragraph").replace("\\", "\\\\").replace('"', '\\"')
    for catalog in catalogs:
        head, _, paragraphs = catalog.read_text(encoding="utf-8").partition("\n\n")
        catalog.write_text(head + "\n\n" + paragraphs.replace('msgstr ""', f'msgstr "{po_string}"'), encoding="utf-8")


COLLECTION_TITLE = "《測試報》合集" + "".join(INJECTIONS)


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile book built as the three web editions and their EPUBs, and as a collection (its own title)."""
    folder = tmp_path_factory.mktemp("escaping")
    seed = write_book(folder / "book")
    translate_hostilely(seed)
    collection = seed.parent / "collection.toml"
    collection.write_text(dumps({"seeds": [seed.name], "collection": {"title": COLLECTION_TITLE}}), encoding="utf-8")
    out = folder / "out"
    for formats, edition in (("html", "all"), ("epub", "all")):
        result = tekan("build", formats, "--edition", edition, "--project", str(seed.parent), "--out", str(out))
        assert result.returncode == 0, result.stderr[-3000:]
    both = ("--script", "hant", "--seed", str(collection), "--out", str(folder / "collection"))
    result = tekan("build", "html", "epub", *both, "--project", str(seed.parent))
    assert result.returncode == 0, result.stderr[-3000:]
    return folder


def _records(folder: Path) -> list[dict]:
    lines = (folder / "book" / "docs" / "context-record.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_no_template_variable_holds_a_raw_hostile_string(hostile_out: Path) -> None:
    records = _records(hostile_out)
    # The recorder saw every edition's pages in both builders (else this test would test nothing).
    seen = {(r["builder"], r["script"]) for r in records}
    assert seen == {(b, s) for b in ("html", "epub") for s in ("hant", "hans", "en")}, seen
    pages = {r["page"] for r in records}
    assert {"index", "404", "glossary", "sectors/s", "statements/chen-lixin", "search"} <= pages, pages
    assert min(r["names"] for r in records) > 40  # the whole context: Sphinx's, furo's and Tekan's variables
    raw = [(r["builder"], r["script"], r["page"], name) for r in records for name in r["raw"]]
    assert raw == [], raw[:20]


def _pages(hostile_out: Path) -> dict[str, bytes]:
    """Every page a reader or a reading system gets: the sites, the landing pages, every file of every EPUB."""
    pages: dict[str, bytes] = {}
    for out in (hostile_out / "out", hostile_out / "collection"):
        for path in sorted((out / "html").rglob("*.html")):
            pages[str(path.relative_to(hostile_out))] = path.read_bytes()
        for epub in sorted((out / "epub").glob("*.epub")):
            with zipfile.ZipFile(epub) as archive:
                for name in archive.namelist():
                    if name.endswith((".xhtml", ".html", ".opf", ".ncx")):
                        pages[f"{epub.name}/{name}"] = archive.read(name)
    return pages


def assert_nothing_injected(markup: bytes, where: str) -> None:
    """No element or attribute a hostile string would make: parsed as a browser would, not searched as text."""
    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():  # the EPUB's XHTML, package and NCX, read as a browser would read them
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(True):
        if element.name == "script" and element.get("type") == "application/json":  # data: no `<` can end it
            assert "<" not in element.get_text(), where
        else:
            assert not (element.name == "script" and "alert" in element.get_text()), where
        assert not (element.name == "img" and element.get("src") == "x"), where
        assert not (element.name == "b" and "粗體" in element.get_text()), where
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert handlers == [], (where, element.name, handlers)


def test_no_page_of_any_edition_or_epub_has_injected_markup(hostile_out: Path) -> None:
    pages = _pages(hostile_out)
    for edition in ("zh-hant", "zh-hans", "en"):
        assert f"out/html/{edition}/404.html" in pages and f"out/html/{edition}/search.html" in pages
    assert "out/html/index.html" in pages and "collection/html/zh-hant/index.html" in pages
    assert any(name.endswith(".opf") for name in pages) and any(name.endswith("nav.xhtml") for name in pages)
    assert b"A translated paragraph" in pages["out/html/en/statements/chen-lixin.html"]  # the catalogs were read
    for name, markup in pages.items():
        assert_nothing_injected(markup, name)
        # Escaped once: a title shown as `&lt;script&gt;` to the reader is a defect too.
        for twice in (b"&amp;lt;", b"&amp;gt;", b"&amp;quot;", b"&amp;#", b"&amp;amp;"):
            assert twice not in markup, (name, twice)


SHORT_TITLES = {
    "out/html/zh-hant": "特刊" + INJECTIONS[1],
    "out/html/zh-hans": "特刊" + INJECTIONS[1],
    "out/html/en": "Special Issue" + "".join(INJECTIONS),
    "collection/html/zh-hant": COLLECTION_TITLE,
}


@pytest.mark.parametrize("site", sorted(SHORT_TITLES))
def test_the_title_is_shown_as_written_in_brand_header_and_window_title(hostile_out: Path, site: str) -> None:
    from bs4 import BeautifulSoup

    title = SHORT_TITLES[site]
    for page in ("index.html", "glossary.html", "search.html", "404.html"):
        soup = BeautifulSoup((hostile_out / site / page).read_bytes(), "html.parser")
        brand = soup.find(class_="sidebar-brand-text")
        header = soup.select_one(".header-center .brand")
        assert brand is not None and brand.get_text() == title, (page, brand)
        assert header is not None and header.get_text() == title, (page, header)
        assert soup.title is not None and soup.title.get_text().endswith(title), (page, soup.title)
        site_name = soup.find("meta", attrs={"property": "og:site_name"})
        assert site_name is None or site_name["content"] == title, page


def test_the_landing_page_and_the_epub_package_name_the_book_as_written(hostile_out: Path) -> None:
    from bs4 import BeautifulSoup

    landing = BeautifulSoup((hostile_out / "out" / "html" / "index.html").read_bytes(), "html.parser")
    assert FULL_TITLE in [p.get_text() for p in landing.find_all("p", class_="title")]
    (epub,) = (hostile_out / "out" / "epub").glob("*-zh-hant.epub")  # named from the (hostile) identifier
    assert epub.name.isascii() and "<" not in epub.name and '"' not in epub.name
    with zipfile.ZipFile(epub) as archive:
        opf = next(n for n in archive.namelist() if n.endswith(".opf"))
        package = archive.read(opf).decode("utf-8")
    titles = re.findall(r"<dc:title[^>]*>([^<]*)</dc:title>", package)
    assert titles and html.unescape(titles[0]) == FULL_TITLE, titles
