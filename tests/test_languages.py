"""Every run of text is in the language its element declares, on every page of every edition (HTML and EPUB).

The English edition may hold Chinese only inside elements tagged ``lang="zh-…"`` (headwords, the Chinese beside
an English title, Chinese quoted in a definition); the Chinese editions may hold Chinese inside ``lang="en"``
nowhere, and outside English-tagged elements no English word but those the Chinese text itself uses (AI, QI,
GB/T …, read from the seed and the glossary's Chinese fields) and a few names no edition translates (EPUB,
PDF, Sphinx …). So a theme string left in English, or a Chinese word in the English edition's footer, fails.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tekan.glossary import load_glossary
from tekan.languages import CHINESE
from tekan.metadata import load_publication

from .conftest import BOOK, GLOSSARY, SEED

_CHINESE = re.compile(f"[{CHINESE}]")
#: A word of two letters or more (a letter alone, an index heading "A", is a symbol of no language).
_WORD = re.compile(r"[A-Za-z]{2,}")
#: Void elements never get an end tag.
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
#: Attributes a reader hears or sees (``content`` only of the metas search engines and link previews show).
_SPOKEN = frozenset({"alt", "title", "aria-label", "aria-description", "placeholder", "label"})
_SHOWN_METAS = frozenset({"description", "og:title", "og:description", "og:site_name", "og:image:alt"})
#: Names that stay as they are in every edition: formats, the software the footer credits, its author's handle.
NAMES = frozenset({"EPUB", "PDF", "CSV", "TBX", "Basic", "UTF", "JavaScript", "Sphinx", "Furo", "pradyunsg"})


class LanguageScan(HTMLParser):
    """Collects the text and spoken attributes of a page with the language in force at each (``lang``/``xml:lang``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str, str, str]] = []  # (language, where, text)

    def language(self) -> str:
        return next((lang for _, lang in reversed(self.stack) if lang is not None), "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        own = values.get("lang", values.get("xml:lang"))
        language = own if own is not None else self.language()
        for name, value in values.items():
            shown = (
                tag == "meta" and name == "content" and (values.get("name") or values.get("property")) in _SHOWN_METAS
            )
            if value and (name in _SPOKEN or shown):
                self.runs.append((language, f"<{tag} {name}> line {self.getpos()[0]}", value))
        if tag not in _VOID:
            self.stack.append((tag, own))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(tag in ("script", "style") for tag, _ in self.stack):
            where = "/".join(tag for tag, _ in self.stack[-3:])
            self.runs.append((self.language(), f"{where} line {self.getpos()[0]}", data.strip()))


def runs(markup: str) -> list[tuple[str, str, str]]:
    """(language, where, text) of every text node and spoken attribute of a page."""
    scan = LanguageScan()
    scan.feed(markup)
    scan.close()
    return scan.runs


def pages(book_out: Path, tag: str) -> Iterator[tuple[str, str]]:
    """(name, markup) of every page of an edition: the site's HTML and the EPUB's XHTML."""
    site = book_out / "html" / tag
    for path in sorted(site.rglob("*.html")):
        yield f"html/{tag}/{path.relative_to(site)}", path.read_text(encoding="utf-8")
    with zipfile.ZipFile(book_out / "epub" / f"{BOOK}-{tag}.epub") as epub:
        for name in sorted(epub.namelist()):
            if name.endswith((".xhtml", ".html")):
                yield f"epub/{BOOK}-{tag}.epub!{name}", epub.read(name).decode("utf-8")


def chinese_outside_chinese(markup: str) -> list[str]:
    """The runs holding Chinese where the language in force is not Chinese."""
    return [
        f"{where} [{lang or 'no lang'}]: {text[:80]}"
        for lang, where, text in runs(markup)
        if not lang.lower().startswith("zh") and _CHINESE.search(text)
    ]


def english_in_chinese(markup: str, allowed: frozenset[str]) -> list[str]:
    """Runs of a Chinese page in the wrong language: Chinese inside English, or an English word outside it."""
    wrong = []
    for lang, where, text in runs(markup):
        lang = lang.lower()
        if lang.startswith("en") and _CHINESE.search(text):
            wrong.append(f"{where} [{lang}] Chinese in English: {text[:80]}")
        elif lang.startswith("zh") and "-latn" not in lang:
            words = sorted(set(_WORD.findall(text)) - allowed)
            if words:
                wrong.append(f"{where} [{lang}] English words {words}: {text[:80]}")
    return wrong


@pytest.fixture(scope="module")
def chinese_words() -> frozenset[str]:
    """The Latin words the Chinese text itself uses (5G, AI, QI, GB/T …): seed, headlines, bylines, glossary Chinese."""
    publication, _ = load_publication(SEED)
    texts = [publication.masthead]
    for statement in publication.statements:
        texts += [statement.headline, statement.attribution.raw, *statement.paragraphs]
    for term in load_glossary(GLOSSARY).terms:
        texts += [term.hant, term.hans, term.definition_zh, *term.aliases]
    return frozenset(word for text in texts for word in _WORD.findall(text)) | NAMES


def test_the_scanner_sees_what_it_must() -> None:
    # The checks themselves, on pages written here: a leak is found, tagged text is not.
    leaky = '<html lang="en"><body><div>Made with <a>Furo</a> 的</div><p lang="zh-Hant">計量</p></body></html>'
    assert chinese_outside_chinese(leaky) == ["html/body/div line 1 [en]: 的"]
    labelled = '<html lang="en"><body><a aria-label="下載">x</a><img alt="計量" lang="zh-Hans"/></body></html>'
    assert [m.split(" [")[0] for m in chinese_outside_chinese(labelled)] == ["<a aria-label> line 1"]
    chinese = (
        '<html lang="zh-Hant"><head><meta name="viewport" content="width=device-width"/></head><body>'
        '<a aria-label="Back to top">回到頂部</a><p>打造QI集成</p><span lang="en">Downloads 繁體中文</span>'
        '<span lang="zh-Latn-pinyin">jìliàng</span></body></html>'
    )
    found = english_in_chinese(chinese, frozenset({"QI"}))
    assert [m.split("] ")[1].split(":")[0] for m in found] == [
        "English words ['Back', 'to', 'top']",
        "Chinese in English",
    ]


def test_the_english_edition_has_chinese_only_where_it_is_tagged_chinese(book_out: Path) -> None:
    leaks = [f"{name}: {leak}" for name, markup in pages(book_out, "en") for leak in chinese_outside_chinese(markup)]
    assert leaks == [], f"{len(leaks)} untagged Chinese run(s), the first:\n" + "\n".join(leaks[:20])


def test_the_english_footer_credits_furo_in_english(book_out: Path) -> None:
    page = (book_out / "html" / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"@pradyunsg</a>'s\s*<a href=\"https://github.com/pradyunsg/furo\">Furo</a>", page)


@pytest.mark.parametrize("tag", ["zh-hant", "zh-hans"])
def test_the_chinese_editions_have_no_english_ui_and_no_chinese_tagged_english(
    book_out: Path, tag: str, chinese_words: frozenset[str]
) -> None:
    wrong = [f"{name}: {w}" for name, markup in pages(book_out, tag) for w in english_in_chinese(markup, chinese_words)]
    assert wrong == [], f"{len(wrong)} run(s) in the wrong language, the first:\n" + "\n".join(wrong[:20])
