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
    # The translators' note once, on the home page where the edition starts; not before every statement or part.
    assert "{tekan-translation-note}" not in page and "{tekan-translation-note}" not in pages["sectors/regulator.md"]
    assert pages["index.md"].count("{tekan-translation-note}") == 1
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


def test_the_english_edition_carries_the_editors_note_on_a_source_slip(tmp_path) -> None:
    """The Chinese editions footnote the source's 高多附加值; the translation, which follows the likely reading,
    says so too, on the paragraph that prints it, instead of correcting silently."""
    book = load_book(SEED, GLOSSARY, "hant")
    pages = render_translated_book(book.publication, _translations(), EnglishLinker.build(book.glossary), "glossary")
    page = pages["statements/wei-zhiling.md"]
    paragraphs = [p for p in page.split("\n\n") if "greater added value" in p]
    assert len(paragraphs) == 1 and paragraphs[0].endswith("[^ed-1]")
    assert "[^ed-1]: Editors’ note" in page and "{tekan-zh}`高多附加值`" in page  # the Chinese tagged as such
    assert "[^ed-" not in pages["statements/han-yongsheng.md"]  # only where the metadata gives an English note


def test_an_english_editors_note_is_optional_and_checked(tmp_path) -> None:
    import pytest

    from tekan.errors import TekanError

    seed = tmp_path / "paper.txt"
    seed.write_text(
        "造好車\n推出更高品質、高多附加值的好車。\n——某汽車集團總裁張三\n《某報》【特刊】\n", encoding="utf-8"
    )
    meta = tmp_path / "paper.toml"
    item = '{ text = "高多附加值", note = "編者按：原文如此。", note_en = "Editors’ note: as printed." }'
    meta.write_text(
        f'[[statement]]\nbyline = "某汽車集團總裁張三"\nslug = "zhang-san"\neditor_notes = [{item}]\n', encoding="utf-8"
    )
    publication, _ = load_publication(seed, meta)
    assert publication.statements[0].meta.editor_notes_en == ((1, "Editors’ note: as printed."),)
    meta.write_text(meta.read_text(encoding="utf-8").replace("note_en", "note_fr"), encoding="utf-8")
    with pytest.raises(TekanError, match="note_en"):
        load_publication(seed, meta)
