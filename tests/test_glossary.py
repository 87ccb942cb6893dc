"""The glossary file: schema checks with file and line, order and coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.errors import TekanError
from tekan.glossary import check_glossary, glossary_problems, load_glossary, pinyin_problems, pinyin_sort_key
from tekan.metadata import load_publication

from .conftest import GLOSSARY, SEED

ENTRY = """
[[term]]
id = "{id}"
hant = "{hant}"
hans = "计量"
pinyin = "jìliàng"
en = "metrology"
category = "metrology"
definition_zh = "定義。"
definition_en = "Definition."
source = "VIM"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_glossary_is_valid_and_names_the_users_terms() -> None:
    glossary = load_glossary(GLOSSARY)
    heads = {t.hant for t in glossary.terms}
    assert {"國家質量基礎設施", "計量", "認證認可", "卡脖子"} <= heads
    assert glossary.by_id["nqi"].abbr == "NQI"


def test_every_term_occurs_in_the_seed() -> None:
    publication, _ = load_publication(SEED)
    unused = [p for p in glossary_problems(load_glossary(GLOSSARY), [publication]) if p.kind == "unused_term"]
    assert unused == []


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (ENTRY.format(id="a", hant="計量") + ENTRY.format(id="a", hant="測量"), 13, "duplicate id"),
        (ENTRY.format(id="a", hant="計量") + ENTRY.format(id="b", hant="計量"), 13, "already the headword"),
        (ENTRY.format(id="A b", hant="計量"), 2, "lowercase ASCII"),
        (ENTRY.format(id="a", hant="計量").replace('source = "VIM"\n', ""), 2, "missing field 'source'"),
        (ENTRY.format(id="a", hant="計量").replace('en = "metrology"', "en = 3"), 2, "must be a str"),
        (ENTRY.format(id="a", hant="計量") + 'see_also = ["nope"]\n', 2, "unknown id 'nope'"),
        (ENTRY.format(id="a", hant="計量") + "colour = 1\n", 2, "unknown field 'colour'"),
        ("[[term]]\nid = \n", 2, "TOML syntax error"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TekanError) as info:
        load_glossary(path)
    assert info.value.location == type(info.value.location)(path, line)
    assert words in info.value.message


def test_pinyin_order_is_by_letters_then_tones() -> None:
    from dataclasses import replace

    base = load_glossary(GLOSSARY).terms[0]
    readings = ["zhìliàng", "jìliàng", "Biāozhǔnhuà", "ānquán", "jīliàng", "jiliang"]
    terms = [replace(base, pinyin=p, hant=str(i)) for i, p in enumerate(readings)]
    ordered = [t.pinyin for t in sorted(terms, key=pinyin_sort_key)]
    assert ordered == ["ānquán", "Biāozhǔnhuà", "jīliàng", "jìliàng", "jiliang", "zhìliàng"]


# --- everything `tekan check` reports ------------------------------------------------------------

#: Expressions of the seed's bodies, found by reading every statement, that a reader outside China needs
#: explained: each must be linked (wholly covered by one glossary match) where it occurs.
COVERED = [
    # metrology, standardization, conformity assessment
    "國家質量基礎設施",
    "現代先進測量體系",
    "計量到測量",
    "守時授時",
    "標準化",
    "國家標準",
    "行業標準",
    "地方標準",
    "認證認可",
    "檢驗檢測",
    "檢測認證機構",
    "第三方",
    "合同評審",
    "質量管理體系",
    "質量方針",
    "持續改進",
    # policy campaigns, plans and slogans
    "十四五",
    "質量提升行動",
    "高質量發展",
    "供給側結構性改革",
    "卡脖子",
    "首臺套",
    "質量強國",
    "質量強省",
    "質量強市",
    "標準強省",
    "新發展格局",
    "三個轉變",
    "雙隨機",
    "信用分類監管",
    "一照通",
    "大督查",
    "三地一區",
    "國之大者",
    "國之重器",
    "主體責任",
    "質量工作考核",
    "中國夢",
    "獲得感",
    "走出去",
    "關鍵核心技術",
    "以質取勝",
    "皖美品牌",
    "粵港澳大灣區",
    # administration, institutions, awards, industry
    "黨委政府",
    "總書記",
    "地級市",
    "國務院職轉辦",
    "國家級質檢中心",
    "質檢院",
    "中國質量獎",
    "市長標準獎",
    "單打冠軍",
    "新四化",
    "產業鏈",
    "戰略性新興產業",
    "智能網聯汽車",
]


def test_the_seed_vocabulary_is_covered() -> None:
    from tekan.glossary import glossary_forms
    from tekan.linking import Linker

    publication, _ = load_publication(SEED)
    linker = Linker.build(glossary_forms(load_glossary(GLOSSARY)))
    paragraphs = [p for st in publication.statements for p in st.paragraphs]
    for expression in COVERED:
        places = [(p, p.index(expression)) for p in paragraphs if expression in p]
        assert places, f"{expression} is not in the seed's bodies"
        for paragraph, start in places:
            spans = [(s, e) for s, e, _ in linker.occurrences(paragraph)]
            assert any(s <= start and start + len(expression) <= e for s, e in spans), expression


def test_tekan_check_finds_nothing_in_the_project_glossary() -> None:
    publication, _ = load_publication(SEED)
    problems = glossary_problems(load_glossary(GLOSSARY), [publication])
    assert problems == []


def test_check_reports_every_error_with_its_line(tmp_path: Path) -> None:
    text = (
        ENTRY.format(id="a", hant="計量")  # line 2
        + ENTRY.format(id="b", hant="計量")  # line 13: headword taken
        + ENTRY.format(id="c", hant="測`量")  # line 24: markup in a form
        + ENTRY.format(id="d", hant="測量").replace('category = "metrology"', 'category = "nope"')  # line 35
    )
    glossary, errors = check_glossary(_write(tmp_path, text))
    assert glossary is None
    assert [(e.location.line, e.kind.value) for e in errors] == [
        (13, "glossary"),
        (24, "glossary"),
        (35, "glossary"),
    ]
    assert "already the headword of 'a'" in errors[0].message
    assert "backtick" in errors[1].message and "not one of" in errors[2].message


def test_simplified_forms_may_not_collide(tmp_path: Path) -> None:
    # 乾 and 幹 are different Traditional words that both become 干 in Simplified script.
    text = ENTRY.format(id="a", hant="乾").replace('"计量"', '"干"') + ENTRY.format(id="b", hant="幹").replace(
        '"计量"', '"干"'
    )
    with pytest.raises(TekanError, match="Simplified form '干' collides with 'a'"):
        load_glossary(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("pinyin", "hans", "words"),
    [
        ("jìliàng", "计量", None),
        ("hétong", "合同", None),  # neutral tone on the second syllable is a legitimate reading
        ("jiliang", "计量", "no tone marks"),
        ("jì2liàng", "计量", "is not Hanyu Pinyin"),
        ("jìlàng", "计量", "differs from the usual reading"),
        ("jíliàng", "计量", "'ji' has tone 2, the dictionary says 4"),
        ("jìlíàng", "计量", "has 2 tone marks"),
        ("xiàolǜ", "效率", None),
    ],
)
def test_pinyin_sanity(pinyin: str, hans: str, words: str | None) -> None:
    from dataclasses import replace

    term = replace(load_glossary(GLOSSARY).terms[0], pinyin=pinyin, hans=hans)
    problems = pinyin_problems(term)
    if words is None:
        assert problems == []
    else:
        assert len(problems) == 1 and words in problems[0]


def test_unused_aliases_and_terms_are_reported(tmp_path: Path) -> None:
    text = (
        ENTRY.format(id="metrology", hant="計量")
        + 'aliases = ["計量學"]\n'
        + ENTRY.format(id="absent", hant="不存在").replace('"计量"', '"不存在"').replace("jìliàng", "bù cúnzài")
    )
    publication, _ = load_publication(SEED)
    problems = glossary_problems(load_glossary(_write(tmp_path, text)), [publication])
    messages = [(p.location.line, p.kind.value, p.message) for p in problems]
    assert (2, "unused_term", "alias '計量學' of 'metrology' is never linked in a statement") in messages
    assert (14, "unused_term", "term 'absent' (不存在) occurs in no statement") in messages


def test_letters_sort_before_tones_and_u_umlaut_after_u() -> None:
    from dataclasses import replace

    base = load_glossary(GLOSSARY).terms[0]
    readings = ["lǜsè", "lùxiàn", "lúnzi", "lǚ"]
    terms = [replace(base, pinyin=p, hant=str(i)) for i, p in enumerate(readings)]
    assert [t.pinyin for t in sorted(terms, key=pinyin_sort_key)] == ["lúnzi", "lùxiàn", "lǚ", "lǜsè"]


def test_misspellings_link_but_are_never_shown_and_collapsed_aliases_leave_no_label(tmp_path) -> None:
    from tekan.glossary import glossary_forms, shown_aliases

    path = tmp_path / "terms.toml"
    path.write_text(
        """[[term]]
id = "first-set"
hant = "首臺套"
hans = "首台套"
pinyin = "shǒu tái tào"
en = "first set"
category = "policy"
aliases = ["首台套"]
misspellings = ["首台邰"]
definition_zh = "首臺（套）重大技術裝備。"
definition_en = "First set of major equipment."
source = "Test"
""",
        encoding="utf-8",
    )
    term = load_glossary(path).terms[0]
    assert term.misspellings == ("首台邰",)
    assert shown_aliases(term, "hant") == ["首台套"]
    assert shown_aliases(term, "hans") == []  # 首台套 is the Simplified headword itself: no empty 又作
    forms = glossary_forms(load_glossary(path), "hant")
    assert forms == {"首臺套": "first-set", "首台套": "first-set", "首台邰": "first-set"}


def test_a_misspelling_that_repeats_an_alias_is_an_error(tmp_path) -> None:
    path = tmp_path / "terms.toml"
    path.write_text(
        """[[term]]
id = "x"
hant = "示範區"
hans = "示范区"
pinyin = "shìfànqū"
en = "demonstration zone"
category = "policy"
aliases = ["示范區"]
misspellings = ["示范區"]
definition_zh = "示範。"
definition_en = "Zone."
source = "Test"
""",
        encoding="utf-8",
    )
    with pytest.raises(TekanError, match="listed twice"):
        load_glossary(path)


def test_the_shipped_glossary_keeps_the_reviewed_points() -> None:
    from tekan.scripts import to_hans

    glossary = load_glossary(GLOSSARY)
    by_id = glossary.by_id
    assert "quantity values" in by_id["metrology"].definition_en and "JJF 1001" in by_id["metrology"].source
    assert "national measurement standards" in by_id["metrology"].definition_en
    assert "正式承認" not in by_id["certification-and-accreditation"].definition_zh
    assert "7.7" in by_id["certification-and-accreditation"].source
    assert "3.5.4" in by_id["qms"].source and by_id["qms"].definition_zh.startswith("管理體系中與質量有關的部分")
    assert "理念" not in by_id["high-quality-development"].definition_zh.split("；")[0]
    assert "國務院批准發布" in by_id["national-standard"].definition_zh
    assert "market surveillance" in by_id["nqi"].definition_en and "processes" in by_id["nqi"].definition_en
    assert "制造" not in by_id["empowerment"].definition_zh
    assert "感测器" not in to_hans(by_id["intelligent-connected-vehicle"].definition_zh)
    assert "传感器" in to_hans(by_id["intelligent-connected-vehicle"].definition_zh)
    for term in glossary.terms:  # reader-facing: the notes speak of the book, not of its source file
        assert "seed" not in term.usage_note.lower() and "seed" not in term.source.lower(), term.id
    for generic in ("一站式", "第三方"):  # generic words are aliases of the concepts the statements mean
        assert generic not in {t.hant for t in glossary.terms}
    review = (GLOSSARY.parent / "REVIEW.md").read_text(encoding="utf-8")
    assert all(f"`{term.id}`" in review for term in glossary.terms)


def test_candidate_terms_rank_recurring_field_words_that_the_glossary_lacks(tmp_path) -> None:
    from tekan.glossary import candidate_terms
    from tekan.parsing import parse_seed

    seed = (
        "加強食品抽檢工作\n"
        "要加強食品抽檢，健全追溯體系。食品抽檢結果要公開，追溯體系要覆蓋全鏈條。\n"
        "計量是基礎，追溯體系離不開計量。\n"
        "——某市市場監管局局長王五\n"
        "《某報》【特刊】\n"
    )
    publication, _ = parse_seed(seed, tmp_path / "seed.txt")
    glossary = load_glossary(GLOSSARY)
    found = dict(candidate_terms(glossary, [publication]))
    assert found.get("追溯體系") == 3 and "食品抽檢" in found  # recurring, of the field, not in the glossary
    assert "計量" not in found  # a glossary term is not a candidate
    assert all(count >= 2 for count in found.values())  # recurring only
    ranked = list(found.values())
    assert ranked == sorted(ranked, reverse=True)


FEATURE = "計量是工業的眼睛\n計量是工業的眼睛，是質量的基礎。\n——某市計量測試研究院院長 王小明\n《某報》\n"


def test_a_book_prints_the_entries_its_text_uses_and_those_they_refer_to(tmp_path: Path) -> None:
    """The glossary file is a library: a feature that uses 計量 prints 計量 and its see-also entries, not the file."""
    from tekan.book import book_pages, load_book
    from tekan.project import DEFAULT_GLOSSARY

    seed = tmp_path / "feature.txt"
    seed.write_text(FEATURE, encoding="utf-8")
    library = load_glossary(DEFAULT_GLOSSARY)
    book = load_book(seed, DEFAULT_GLOSSARY)
    pages = book_pages(book)
    assert "{term}`計量 <metrology>`" in pages["statements/wang-xiaoming.md"]
    assert "{term}`質量 <quality>`" in pages["statements/wang-xiaoming.md"]
    referred = {ref for used in ("metrology", "quality") for ref in library.by_id[used].see_also}
    assert set(book.glossary.by_id) == {"metrology", "quality", *referred}
    assert len(book.glossary.terms) < len(library.terms) / 5
    assert book.glossary.unused == referred  # printed for the see-also links, though the text does not use them
    assert all(ref in book.glossary.by_id for term in book.glossary.terms for ref in term.see_also)
    assert "另收所參見" in book_pages(book)["glossary.md"]  # so not simply 本書所用
    # Without see-also targets, every entry printed is used: the intro says 本書所用 and nothing more.
    seed.write_text(FEATURE.replace("計量", "品牌"), encoding="utf-8")
    plain = load_book(seed, DEFAULT_GLOSSARY)
    if not plain.glossary.unused:
        assert "另收" not in book_pages(plain)["glossary.md"]
    # The editor asks for more: include = [...] or all = true in the metadata's [glossary] table.
    seed.write_text(FEATURE, encoding="utf-8")
    seed.with_suffix(".toml").write_text('[glossary]\ninclude = ["nqi", "samr"]\n', encoding="utf-8")
    assert {"nqi", "samr"} <= set(load_book(seed, DEFAULT_GLOSSARY).glossary.by_id)
    seed.with_suffix(".toml").write_text("[glossary]\nall = true\n", encoding="utf-8")
    assert len(load_book(seed, DEFAULT_GLOSSARY).glossary.terms) == len(library.terms)
    seed.with_suffix(".toml").write_text('\n[glossary]\ninclude = ["no-such-term"]\n', encoding="utf-8")
    with pytest.raises(TekanError) as error:
        load_book(seed, DEFAULT_GLOSSARY)
    assert error.value.location.line == 2 and "'no-such-term'" in error.value.message
