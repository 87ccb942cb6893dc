"""The English edition's pages and the parallel pages, as MyST (pure core, the shipped translation)."""

from __future__ import annotations

from tekan.book import load_book
from tekan.glossary import load_glossary, term_linker
from tekan.metadata import load_publication
from tekan.translated import render_parallel_pages, render_translated_book
from tekan.translation import EnglishLinker, read_translations

from .conftest import GLOSSARY, ROOT, SEED


def _translations():  # type: ignore[no-untyped-def]
    publication, _ = load_publication(SEED)
    return read_translations(publication, ROOT / "locale", "en")


def test_english_pages_link_terms_by_their_english_forms() -> None:
    book = load_book(SEED, GLOSSARY, "hant")
    pages = render_translated_book(book.publication, _translations(), EnglishLinker.build(book.glossary), "glossary")
    page = pages["statements/han-yongsheng.md"]
    assert "# Make quality the bright hallmark of a beautiful Anhui" in page
    assert '```{tekan-chinese}\n"讓質量成為美好安徽靚麗底色"\n```' in page
    assert "{term}`Wanmei brands <wanmei-brand>`" in page
    assert "{term}`national quality infrastructure <nqi>`" in page
    assert page.count("<nqi>`") == 1  # the first occurrence on the page only, as in the Chinese
    assert "{tekan-translation-note}" in page
    assert 'person_en: "Han Yongsheng"' in page and 'english_first: "yes"' in page
    assert set(pages) >= {"index.md", "glossary.md", "sectors/regulator.md"}
    assert "audit.md" not in pages and "english-index.md" not in pages


def test_parallel_pages_pair_each_paragraph_with_its_translation() -> None:
    book = load_book(SEED, GLOSSARY, "hans")
    glossary = load_glossary(GLOSSARY)
    pages = render_parallel_pages(
        book.publication, _translations(), term_linker(glossary, "hans"), EnglishLinker.build(glossary)
    )
    assert len(pages) == 16
    page = pages["parallel/liu-qingfeng.md"]
    assert page.count("{container} tekan-parallel-row") == 4
    assert "{term}`持续改进 <continual-improvement>`" in page  # the Simplified text, linked
    assert "{term}`continual improvement <continual-improvement>`" in page
    assert "2 million developer teams" in page
