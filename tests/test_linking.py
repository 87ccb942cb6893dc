"""Automatic term linking: longest match, first occurrence, never in headlines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.glossary import glossary_forms, load_glossary
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


# --- word boundaries -----------------------------------------------------------------------------


def test_with_boundaries_a_form_that_crosses_a_word_is_skipped_for_a_shorter_or_later_one() -> None:
    def words(text: str) -> set[int]:  # 產品|質量|安全 as a segmenter would cut it
        return {0, 2, 4, 6}

    linker = Linker.build({"品質": "quality", "質量": "quality", "質量安全": "qs"}, words)
    assert linker.occurrences("產品質量安全") == [(2, 6, "qs")]
    # Without boundaries the same forms match inside 產品 (the old behaviour, still right for other uses).
    assert Linker.build({"品質": "quality", "質量安全": "qs"}).occurrences("產品質量安全") == [(1, 3, "quality")]


def test_with_boundaries_the_longest_form_ending_on_a_boundary_wins() -> None:
    linker = Linker.build({"標準": "standard", "標準化": "standardization"}, lambda text: {0, 2, 5})
    assert linker.occurrences("推進標準化") == [(2, 5, "standardization")]
    linker = Linker.build({"標準": "standard", "標準化": "standardization"}, lambda text: {0, 2, 4, 6})
    assert linker.occurrences("推進標準化的") == [(2, 4, "standard")]


BOUNDARY_CASES = [
    # (text written for the test, form that must be linked, form that must not be)
    ("要提升商品質量和服務水平", "質量", "品質"),
    ("堅持用標準提高產品質量", "質量", "品質"),
    ("守住食品安全、產品質量安全底線", "質量安全", "品質"),
    ("打造一批品質標桿企業", "品質", None),
    ("為消費者提供高品質服務", "品質", None),
]


def test_the_statements_linker_links_on_jieba_word_boundaries_in_both_scripts() -> None:
    from tekan.glossary import term_linker
    from tekan.scripts import to_hans

    glossary = load_glossary(GLOSSARY)
    for script in ("hant", "hans"):
        linker = term_linker(glossary, script)
        for text, wanted, unwanted in BOUNDARY_CASES:
            text, wanted = (to_hans(text), to_hans(wanted)) if script == "hans" else (text, wanted)
            found = [text[start:end] for start, end, _ in linker.occurrences(text)]
            assert wanted in found, (script, text, found)
            if unwanted:
                unwanted = to_hans(unwanted) if script == "hans" else unwanted
                assert unwanted not in found, (script, text, found)


def test_the_pages_of_du_fu_and_shao_dongliang_link_quality_not_pinzhi() -> None:
    from tekan.book import book_pages, load_book

    from .conftest import SEED

    for script in ("hant", "hans"):
        pages = book_pages(load_book(SEED, GLOSSARY, script))
        du_fu = next(text for name, text in pages.items() if "杜福" in text and name.startswith("statements/"))
        shao = next(text for name, text in pages.items() if "邵棟梁" in text or "邵栋梁" in text)
        quality_safety = "质量安全" if script == "hans" else "質量安全"
        assert "{term}`" + quality_safety + " <quality-and-safety>`" in du_fu, script
        for page in (du_fu, shao):
            assert "品質 <quality>" not in page and "品质 <quality>" not in page, script


LINKED_FEATURE = (
    "計量是工業的眼睛\n"
    "安徽國科檢測科技有限公司建立了計量標準，參與制定國家標準，開展檢測服務。浙江華測檢測科技有限公司也是。\n"
    "——安徽國科檢測科技有限公司總經理趙明\n"
    "《某報》\n"
)


@pytest.mark.parametrize("script", ["hant", "hans"])
def test_no_term_is_linked_inside_a_name_or_another_concept(tmp_path: Path, script: str) -> None:
    """檢測 is not linked inside a company's name (the byline's or one the text names), 標準 nor 計量 inside 計量標準
    (a measurement standard); the same words outside them are."""
    from tekan.book import book_pages, load_book
    from tekan.scripts import to_hans

    seed = tmp_path / "feature.txt"
    seed.write_text(LINKED_FEATURE, encoding="utf-8")
    book = load_book(seed, GLOSSARY, script)
    page = book_pages(book)["statements/zhao-ming.md"]
    convert = to_hans if script == "hans" else str
    body = next(part for part in page.split("\n\n") if part.startswith(convert("安徽")))
    expected = convert("安徽國科檢測科技有限公司建立了計量標準，參與制定") + "{term}`" + convert("國家標準")
    assert body.startswith(expected)
    assert "{term}`" + convert("檢測") + " <testing>`" + convert("服務") in body
    assert convert("浙江華測檢測科技有限公司也是") in body  # a company named in the text, not in a byline
    assert "metrology" not in book.glossary.by_id  # 計量 occurs only inside 計量標準: not used, not printed


def _reference_occurrences(
    forms: dict[str, str], cuts: set[int], text: str, protected: str = "\x00protected"
) -> list[tuple[int, int, str]]:
    """The linker's rule written out plainly: from left to right, at each place on a boundary, the longest form
    that ends on a boundary; the next place after it."""
    found, place = [], 0
    while place < len(text):
        ends = [place + len(form) for form in forms if text.startswith(form, place) and place + len(form) in cuts]
        if place in cuts and ends:
            end = max(ends)
            found.append((place, end, forms[text[place:end]]))
            place = end
        else:
            place += 1
    return [occurrence for occurrence in found if occurrence[2] != protected]


@pytest.mark.parametrize("script", ["hant", "hans"])
def test_the_statements_linker_finds_what_the_plain_rule_finds_on_jiebas_whole_segmentation(script: str) -> None:
    """The linker asks for boundaries only where a form starts or ends, and jieba routes only the blocks where a
    word may span such a place: on varied texts (the seed, its clauses marked and shuffled, random runs) it finds
    what the plain rule finds on jieba's segmentation of the whole text (its own tokenizer and whole dictionary)."""
    from tekan.glossary import protected_names, term_linker
    from tekan.metadata import load_publication
    from tekan.scripts import to_hans
    from tekan.segmenting import TERM_FREQUENCY

    from .conftest import SEED
    from .test_segmenting import _jieba, _jieba_cuts, varied_texts

    publication, _ = load_publication(SEED)
    glossary = load_glossary(GLOSSARY)
    names = protected_names(publication, "hant")
    if script == "hans":
        names = tuple(to_hans(name) for name in names)
    linker = term_linker(glossary, script, names=names)
    forms = dict(linker.forms)
    reference = _jieba(None)
    for word in dict.fromkeys(forms):
        reference.add_word(to_hans(word), TERM_FREQUENCY)
    # A form that another one begins, followed by a character that may make a word with the longer one's end
    # (標準化學: 標準|化學): the longest form does not end on a boundary, a shorter one may.
    longer = [(short, form) for form in forms for short in forms if short != form and form.startswith(short)]
    tails = "學工品量國家強的了在"
    texts = [*varied_texts(), *(f"我們{form}{tail}的工作" for _, form in longer[:300] for tail in tails)]
    if script == "hans":
        texts = [to_hans(text) for text in texts]
    linked = 0
    for text in texts:
        cuts = _jieba_cuts(reference, text)
        expected = _reference_occurrences(forms, cuts, text)
        assert linker.occurrences(text) == expected, text
        linked += len(expected)
    assert linked > 500
