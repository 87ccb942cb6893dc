"""The glossary file: schema checks with file and line, order and coverage."""

from __future__ import annotations

import re
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
    # added for issue 21 (the terms a reader of these statements looks up that the glossary lacked)
    "質量管理",
    "質量提升",
    "質量保障",
    "質量創新",
    "追求卓越",
    "質量監管",
    "質量滿意度",
    "計量基礎設施",
    "追溯",
    "公信力",
    "技術機構",
    "藥品安全",
    "非標定制",
    "引進來",
    "三鏈同構",
    "短板",
    "放心消費",
    "督察",
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


# --- the termbase rules (ISO 10241-1, TBX): issue 21 ------------------------------------------------------------

#: The English fields a reader or a translator's tool sees.
ENGLISH_FIELDS = ("en", "en_note", "definition_en", "source", "usage_note")
#: One spelling: British with Oxford -ize, as the English text is written (centre, fulfil, licence, programme,
#: defence; organization, standardization). Each pattern is a form of the other spellings.
OTHER_SPELLINGS = re.compile(
    r"\b(?:cent(?:er|ers|ered)|fulfill(?:s|ment|ments)?|licens(?:e|es)|colou?r(?:s|ed)?|honor(?:s|ed)?|labor|defense"
    r"|program|programs|catalog|catalogs|behavior\w*|modeling|favor\w*|travel(?:ed|er)|enroll(?:s|ment)?|gray"
    r"|\w*(?:organis|recognis|realis|standardis|specialis|modernis|optimis|internationalis|digitalis|industrialis"
    r"|globalis|prioritis|mobilis|authoris|categoris|harmonis|utilis|commercialis|informatis|personalis|minimis"
    r"|maximis|capitalis|centralis|normalis|stabilis|urbanis|legalis|localis|visualis)(?:e|es|ed|ing|ation|ations))\b",
    re.IGNORECASE,
)
#: Official names spelled their own way: quoted as they are.
PROPER_NAMES = ("China Green Food Development Center",)


def _english_texts() -> list[tuple[str, str]]:
    """(where, text) for every English text of the book: glossary fields, catalogs' translations, metadata."""
    from babel.messages.pofile import read_po

    glossary = load_glossary(GLOSSARY)
    texts = [(f"{t.id}.{f}", getattr(t, f)) for t in glossary.terms for f in ENGLISH_FIELDS]
    texts += [(f"{t.id}.en_variants", v) for t in glossary.terms for v in t.en_variants]
    for path in sorted((GLOSSARY.parent.parent / "locale" / "en").rglob("*.po")):
        with path.open("rb") as handle:
            texts += [(path.stem, m.string) for m in read_po(handle) if m.id and isinstance(m.string, str)]
    publication, _ = load_publication(SEED)
    for st in publication.statements:
        meta = st.meta
        texts += [(f"{meta.slug}.meta", v) for v in (meta.headline_en, meta.position_en, meta.organisation_en)]
        texts += [(f"{meta.slug}.note_en", note) for _, note in meta.editor_notes_en]
    meta = publication.meta
    texts += [("publication", v) for v in (meta.title_en, meta.publisher_en, meta.description_en)]
    return texts


def test_the_english_has_one_spelling_and_typographic_apostrophes() -> None:
    texts = _english_texts()
    assert len(texts) > 700  # glossary, 55 paragraphs, metadata
    for where, text in texts:
        for name in PROPER_NAMES:
            text = text.replace(name, "")
        assert not OTHER_SPELLINGS.search(text), (where, OTHER_SPELLINGS.findall(text))
        assert "'" not in text, (where, text)  # ’ and ‘ ’, never the typewriter apostrophe
        assert not re.search(r"\b(?:19|20)\d\d-(?:19|20)?\d\d\b", text), (where, text)  # a range: 2020–2025


def test_the_spelling_rule_catches_the_other_spellings() -> None:
    for wrong in ("testing center", "sense of fulfillment", "national organisations", "business license", "Centers"):
        assert OTHER_SPELLINGS.search(wrong), wrong
    for right in ("testing centre", "sense of fulfilment", "organizations", "licence", "characteristics", "emphasis"):
        assert not OTHER_SPELLINGS.search(right), right


def test_no_english_term_holds_an_explanation(tmp_path: Path) -> None:
    glossary = load_glossary(GLOSSARY)
    for term in glossary.terms:
        assert not re.search(r"[(\[]", term.en), (term.id, term.en)
    assert glossary.by_id["chokepoint-technology"].en == "chokepoint"
    assert "depends on others" in glossary.by_id["chokepoint-technology"].en_note
    # `tekan check` says so of a glossary that does it.
    path = _write(tmp_path, ENTRY.format(id="a", hant="計量").replace('en = "metrology"', 'en = "metrology (science)"'))
    publication, _ = load_publication(SEED)
    messages = [p.message for p in glossary_problems(load_glossary(path), [publication])]
    assert any("holds an explanation" in m for m in messages), messages


#: Concepts that definitions lean on: (Chinese as the definitions write it, English as they write it) → each has an
#: entry whose headword or alias is that Chinese (found by reading every definition).
LEANED_ON = [
    ("合格評定", "conformity assessment"),
    ("認可", "accreditation"),
    ("校準", "calibration"),
    ("計量溯源性", "metrological traceability"),
    ("質量保證", "quality assurance"),
    ("質量管理", "quality management"),
    ("市場監管總局", "SAMR"),
    ("國家認監委", "CNCA"),
    ("國家標準委", "SAC"),
    ("中國合格評定國家認可委員會", "CNAS"),
    ("質量監管", "quality regulation"),
    ("食品安全", "food safety"),
    ("藥品安全", "drug safety"),
]
#: Acronyms the definitions use that are no concept of the field, or spelled out where they stand.
NOT_ENTRIES = {"CPC", "GB", "DB", "ISO", "IEC", "IT", "SI", "MIIT", "AQSIQ", "R&D"}


def test_every_concept_a_definition_leans_on_has_an_entry() -> None:
    glossary = load_glossary(GLOSSARY)
    forms = {form: term for term in glossary.terms for form in term.linkable}
    abbreviations = {term.abbr for term in glossary.terms if term.abbr}
    zh = " ".join(t.definition_zh for t in glossary.terms)
    en = " ".join(t.definition_en for t in glossary.terms)
    for chinese, english in LEANED_ON:
        assert chinese in zh or english in en, f"{chinese} is no longer used by a definition: drop it from the list"
        assert chinese in forms, f"definitions use {chinese} ({english}) but no entry defines it"
        assert english in (forms[chinese].en, forms[chinese].abbr), (chinese, forms[chinese].en)
    for acronym in set(re.findall(r"\b[A-Z][A-Za-z]*[A-Z]\b", en)):
        assert acronym in abbreviations or acronym in NOT_ENTRIES, (
            f"{acronym} is used by a definition: give it an entry"
        )


def test_reference_entries_are_looked_up_not_linked(tmp_path: Path) -> None:
    """認可 is accreditation in a definition and 'approval' in running text: reference entries link nowhere."""
    from tekan.glossary import glossary_forms

    glossary = load_glossary(GLOSSARY)
    references = [t for t in glossary.terms if t.reference]
    assert {"accreditation", "conformity-assessment", "calibration", "samr", "cnas", "cnca", "sac"} <= {
        t.id for t in references
    }
    forms = glossary_forms(glossary)
    assert not any(forms.get(form) == t.id for t in references for form in t.linkable)
    assert "認可" not in forms and "認證認可" in forms


def test_the_bare_words_that_would_mislink_are_not_linkable() -> None:
    """Decided in REVIEW.md: 公正 (fairness), 第三方 (third-party payment), 一站式 (one-stop shopping) link
    nowhere on their own; the generic 標桿, 人工智能, 物聯網, 大數據 have no entry; 品質 stays with 質量."""
    from tekan.glossary import glossary_forms

    glossary = load_glossary(GLOSSARY)
    forms = glossary_forms(glossary)
    for bare in ("公正", "第三方", "一站式", "標桿", "人工智能", "物聯網", "大數據"):
        assert bare not in forms, bare
    assert forms["品質"] == "quality"
    assert forms["質量基礎設施「一站式」服務"] == "qi-one-stop-service"


def test_every_alias_links_in_the_texts_own_form_in_both_editions(tmp_path: Path) -> None:
    """An alias is written as the normalised Traditional text prints it (「四大」底線); a stranger's seed printing
    “四大”底線 links it in the Traditional and the Simplified edition alike."""
    from tekan.book import load_book
    from tekan.glossary import term_linker

    seed = tmp_path / "paper.txt"
    seed.write_text(
        "守住底線\n要牢牢守住食品安全、藥品安全、特種設備安全、產品質量安全“四大”底線。\n——某市市場監管局局長王五\n"
        "《某報》【特刊】\n",
        encoding="utf-8",
    )
    for script in ("hant", "hans"):
        publication = load_book(seed, GLOSSARY, script).publication
        linker = term_linker(load_glossary(GLOSSARY), script)
        found = {term_id for p in publication.statements[0].paragraphs for _, _, term_id in linker.occurrences(p)}
        assert "four-bottom-lines" in found, (script, publication.statements[0].paragraphs)
    # In the shipped text: `tekan check` warns of an alias that is never linked (none is), and a form written
    # with curly quotes is refused, since neither edition prints it.
    publication, _ = load_publication(SEED)
    assert not [p for p in glossary_problems(load_glossary(GLOSSARY), [publication]) if "never linked" in p.message]
    path = _write(tmp_path, ENTRY.format(id="a", hant="計量") + 'aliases = ["“四大”底線"]\n')
    with pytest.raises(TekanError, match="「 」"):
        load_glossary(path)


#: Documents a source cites by clause: terminology standards and vocabularies.
STANDARD = re.compile(r"\b(?:ISO(?:/IEC)?|JJF|JCGM|GB/T|ITU-R)\b[^;]*")
CLAUSE = re.compile(r"\d+\.\d+|\bArt\.|clause \d|clause number not verified|not cited|\(VIM\) \d")


def test_every_standard_cited_gives_its_clause_or_says_it_is_not_verified() -> None:
    glossary = load_glossary(GLOSSARY)
    for term in glossary.terms:
        for citation in STANDARD.findall(term.source):
            assert CLAUSE.search(citation), (term.id, citation)
    assert "not verified" in glossary.by_id["metrology"].source  # JJF 1001's clause: not verified here
    for unverified in ("third-party", "sampling", "testing-and-certification-body"):
        assert "17000:2020" in glossary.by_id[unverified].source and "not verified" in glossary.by_id[unverified].source


def test_review_md_records_what_landed() -> None:
    """The substantive fixes REVIEW.md lists, checked against the glossary (issue 21)."""
    glossary = load_glossary(GLOSSARY)
    by_id = glossary.by_id
    title = (
        "Outline of the 14th Five-Year Plan (2021–2025) for National Economic and Social Development and the "
        "Long-Range Objectives Through the Year 2035"
    )
    assert title in by_id["14th-five-year-plan"].source and title in by_id["14th-five-year-plan"].definition_en
    assert "Vision 2035" not in by_id["14th-five-year-plan"].source
    assert "「四大」底線" in by_id["four-bottom-lines"].aliases
    assert (
        "14040" not in by_id["whole-life-cycle"].source.split(";")[0]
        and "環境" not in by_id["whole-life-cycle"].definition_zh
    )
    certification = by_id["certification"].definition_en
    assert "service" in certification and "with the exception of accreditation" in certification
    assert "認可除外" in by_id["certification"].definition_zh
    assert by_id["continual-improvement"].wrong_en == ("continuous improvement",)
    assert (
        "quality assurance" in by_id["quality-safeguards"].wrong_en
        and by_id["quality-assurance"].en == "quality assurance"
    )
    review = (GLOSSARY.parent / "REVIEW.md").read_text(encoding="utf-8")
    row = review.split("## Entries reviewed")[1].split("| `14th-five-year-plan`")[1].split("\n")[0]
    assert "Long-Range Objectives Through the Year 2035" in row and "Checked; no change" not in row
    for fixed in ("four-bottom-lines", "certification", "whole-life-cycle"):  # no longer "Checked; no change"
        row = review.split("## Entries reviewed")[1].split(f"| `{fixed}`")[1].split("\n")[0]
        assert "Checked; no change" not in row, fixed


def test_every_entry_gives_its_usage_and_source_in_chinese_for_the_chinese_editions() -> None:
    """The Chinese editions print 用法 and 譯名依據 in their own language: every usage note and every source has
    its Chinese text, in Traditional characters (the Simplified edition converts it)."""
    from tekan.scripts import to_hant

    glossary = load_glossary(GLOSSARY)
    for term in glossary.terms:
        assert term.source_zh, term.id
        assert bool(term.usage_note) == bool(term.usage_note_zh), term.id
        for text in filter(None, (term.source_zh, term.usage_note_zh)):
            assert re.search(r"[\u4e00-\u9fff]", text), (term.id, text)
            assert "'" not in text and "“" not in text, (term.id, text)  # 「」 in Traditional
    # Traditional: converting to Traditional changes nothing but mainland forms the glossary keeps on purpose.
    assert to_hant(glossary.by_id["calibration"].usage_note_zh) == glossary.by_id["calibration"].usage_note_zh


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("traditional.txt", "守住底線\n要守住產品質量安全“四大”底線。\n——某市市場監管局局長王五\n《某報》【特刊】\n"),
        ("simplified.txt", "守住底线\n要守住产品质量安全“四大”底线。\n——某市市场监管局局长王五\n《某报》【特刊】\n"),
    ],
)
def test_check_counts_an_alias_used_as_the_pages_print_it(tmp_path: Path, name: str, text: str) -> None:
    """`tekan check` reads the text as the pages link it (normalised; a Simplified seed converted), so the alias
    「四大」底線 counts as used where a seed prints “四大”底線 — in a Traditional and in a Simplified seed."""
    seed = tmp_path / name
    seed.write_text(text, encoding="utf-8")
    publication, _ = load_publication(seed)
    unused = [
        p.message for p in glossary_problems(load_glossary(GLOSSARY), [publication]) if "four-bottom-lines" in p.message
    ]
    assert unused == []
    # And the pages do link it: the Simplified edition keeps a Simplified seed's “ ” (W3C clreq), the Traditional
    # edition prints 「 」.
    from tekan.book import load_book
    from tekan.glossary import term_linker

    for script, quoted in (("hans", "“四大”底线"), ("hant", "「四大」底線")):
        paragraph = load_book(seed, GLOSSARY, script).publication.statements[0].paragraphs[0]
        linker = term_linker(load_glossary(GLOSSARY), script)
        assert quoted in paragraph, (script, paragraph)
        assert "four-bottom-lines" in {term for _, _, term in linker.occurrences(paragraph)}, (script, paragraph)
