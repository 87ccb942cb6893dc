"""Automatic term linking: longest match, first occurrence, never in headlines."""

from __future__ import annotations

from tekan.book import glossary_forms
from tekan.glossary import load_glossary
from tekan.linking import Linker
from tekan.rendering import render_statement

from .conftest import GLOSSARY


def test_longest_match_wins() -> None:
    linker = Linker.build({"檢測": "testing", "檢驗檢測": "i-and-t", "檢驗": "inspection"})
    assert linker.link(["提高檢驗檢測水平"]) == [[("提高", None), ("檢驗檢測", "i-and-t"), ("水平", None)]]


def test_only_the_first_occurrence_of_a_term_is_linked() -> None:
    linker = Linker.build({"計量": "metrology", "計量測試": "mt"})
    result = linker.link(["計量與計量。", "計量測試，計量。"])
    linked = [(text, term) for paragraph in result for text, term in paragraph if term]
    assert linked == [("計量", "metrology"), ("計量測試", "mt")]


def test_aliases_link_to_the_same_entry_once() -> None:
    linker = Linker.build({"真抓實幹": "earnest", "真抓實干": "earnest"})
    result = linker.link(["真抓實干、真抓實幹"])
    assert [t for p in result for t in p if t[1]] == [("真抓實干", "earnest")]


def test_text_is_preserved_exactly() -> None:
    linker = Linker.build({"質量": "quality", "質量強國": "qp"})
    text = "建設質量強國,質量第一"
    assert "".join(t for t, _ in linker.link([text])[0]) == text


def test_an_empty_glossary_links_nothing() -> None:
    assert Linker.build({}).link(["計量"]) == [[("計量", None)]]


def test_no_link_in_headlines(tmp_path) -> None:
    from tekan.metadata import load_publication

    from .conftest import SEED

    publication, _ = load_publication(SEED)
    glossary = load_glossary(GLOSSARY)
    linker = Linker.build(glossary_forms(glossary))
    for statement in publication.statements:
        page = render_statement(statement, linker)
        heading = next(line for line in page.split("\n") if line.startswith("# "))
        assert "{term}" not in heading
        assert "{term}" in page  # every statement uses at least one glossary term


def test_real_glossary_links_the_terms_the_user_named() -> None:
    glossary = load_glossary(GLOSSARY)
    linker = Linker.build(glossary_forms(glossary))
    text = "夯實國家質量基礎設施,計量、認證認可,解決“卡脖子”問題"
    linked = {glossary.by_id[t].hant for p in linker.link([text]) for _, t in p if t}
    assert {"國家質量基礎設施", "計量", "認證認可", "卡脖子"} <= linked
