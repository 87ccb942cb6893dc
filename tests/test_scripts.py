"""Traditional ↔ Simplified: OpenCC's known errors fixed, names and glossary terms pinned in both scripts.

The pinned forms below were written out by hand and checked against usage (mainland press and the
organisations' own Simplified names; Taiwan/Hong Kong press for Traditional), not copied from the converter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.book import load_book
from tekan.errors import TekanError
from tekan.scripts import Converter, converter_for, load_overrides, to_hans, to_hant

from .conftest import GLOSSARY, SEED

#: Every speaker of the seed: Traditional (as printed) → Simplified.
PEOPLE = {
    "韓永生": "韩永生",
    "唐英瑜": "唐英瑜",
    "張小寧": "张小宁",
    "劉濤": "刘涛",
    "杜福": "杜福",
    "張煒": "张炜",
    "李燦": "李灿",
    "朱懷球": "朱怀球",
    "李翔": "李翔",
    "周駿貴": "周骏贵",
    "邵棟梁": "邵栋梁",
    "趙華": "赵华",
    "魏志玲": "魏志玲",
    "張劍秋": "张剑秋",
    "高祥明": "高祥明",
    "劉慶峰": "刘庆峰",
}
#: Every organisation of the seed's bylines: Traditional (as printed) → Simplified.
ORGANISATIONS = {
    "安徽省市場監管局": "安徽省市场监管局",
    "重慶市市場監管局": "重庆市市场监管局",
    "陝西省市場監管局": "陕西省市场监管局",  # the seed's look-alike 陜 (U+965C) is corrected (audited)
    "武漢市市場監管局": "武汉市市场监管局",
    "大同市市場監管局": "大同市市场监管局",
    "漯河市市場監管局": "漯河市市场监管局",
    "佛山市市場監管局": "佛山市市场监管局",
    "浙江省計量科學研究院": "浙江省计量科学研究院",
    "深圳市計量質量檢測研究院": "深圳市计量质量检测研究院",
    "南京市產品質量監督檢驗院": "南京市产品质量监督检验院",
    "安徽國科檢測科技有限公司": "安徽国科检测科技有限公司",
    "中鐵工程裝備集團有限公司": "中铁工程装备集团有限公司",
    "吉利控股集團": "吉利控股集团",
    "伊利集團": "伊利集团",
    "太鋼集團": "太钢集团",
    "科大訊飛": "科大讯飞",
}
#: Names in the body text: Traditional → Simplified.
NAMES_IN_TEXT = {"習近平": "习近平", "中國寶武": "中国宝武", "中鐵裝備": "中铁装备", "安徽國科": "安徽国科"}
#: Glossary headwords whose Simplified form is easy to get wrong: Traditional → Simplified.
TERMS = {
    "國家質量基礎設施": "国家质量基础设施",
    "計量": "计量",
    "認證認可": "认证认可",
    "卡脖子": "卡脖子",
    "檢驗檢測": "检验检测",
    "首臺套": "首台套",
    "真抓實幹": "真抓实干",
    "粵港澳大灣區": "粤港澳大湾区",
    "共同富裕示範區": "共同富裕示范区",
    "全國質量強市示範城市": "全国质量强市示范城市",
    "質量第一、效益優先": "质量第一、效益优先",
    "國之重器": "国之重器",
}


@pytest.fixture(scope="module")
def hant():  # type: ignore[no-untyped-def]
    return load_book(SEED, GLOSSARY, "hant")


@pytest.fixture(scope="module")
def hans():  # type: ignore[no-untyped-def]
    return load_book(SEED, GLOSSARY, "hans")


@pytest.fixture(scope="module")
def converter(hant) -> Converter:  # type: ignore[no-untyped-def]
    return converter_for(hant.glossary, hant.publication)


def test_pins_cover_every_name_of_the_seed(hant) -> None:  # type: ignore[no-untyped-def]
    people = {st.attribution.person for st in hant.publication.statements}
    organisations = {st.attribution.organisation for st in hant.publication.statements}
    assert people == set(PEOPLE), "a speaker was added or renamed: pin the name in both scripts"
    assert organisations == set(ORGANISATIONS), "an organisation was added: pin it in both scripts"


@pytest.mark.parametrize(("traditional", "simplified"), [*PEOPLE.items(), *ORGANISATIONS.items()])
def test_names_in_both_directions(converter: Converter, traditional: str, simplified: str) -> None:
    assert converter.to_hans(traditional) == simplified
    assert converter.to_hant(simplified) == traditional


def test_simplified_bylines_carry_the_pinned_names(hant, hans) -> None:  # type: ignore[no-untyped-def]
    for st_hant, st_hans in zip(hant.publication.statements, hans.publication.statements, strict=True):
        assert st_hans.attribution.person == PEOPLE[st_hant.attribution.person]
        assert st_hans.attribution.organisation == ORGANISATIONS[st_hant.attribution.organisation]


def test_names_in_the_simplified_text(hans) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(p for st in hans.publication.statements for p in st.paragraphs)
    for simplified in NAMES_IN_TEXT.values():
        assert simplified in text


@pytest.mark.parametrize(("traditional", "simplified"), TERMS.items())
def test_pinned_glossary_forms(hant, traditional: str, simplified: str) -> None:  # type: ignore[no-untyped-def]
    term = next(t for t in hant.glossary.terms if t.hant == traditional)
    assert term.hans == simplified


def test_every_glossary_term_converts_to_its_written_out_form(converter: Converter, hant) -> None:  # type: ignore[no-untyped-def]
    for term in hant.glossary.terms:
        assert converter.to_hans(f"推進{term.hant}工作") == f"推进{term.hans}工作", term.id
        assert converter.to_hant(term.hans) == term.hant, term.id


def test_protected_form_wins_over_opencc() -> None:
    # A protected pair whose Simplified form is not OpenCC's: the written-out form is used, in both directions.
    assert to_hans("瞭解情況") == "了解情况"
    converter = Converter.build([("瞭解", "瞭解")])
    assert converter.to_hans("瞭解情況") == "瞭解情况"
    assert converter.to_hant("瞭解情况") == "瞭解情況"


@pytest.mark.parametrize(
    ("simplified", "opencc_error", "traditional"),
    [
        ("指明了实现高质量发展的方向", "指明瞭", "指明了實現高質量發展的方向"),
        ("踏上新征程", "徵程", "踏上新征程"),
        ("刘庆峰", "劉慶峯", "劉慶峰"),
        ("邵栋梁", "邵棟樑", "邵棟梁"),
    ],
)
def test_overrides_fix_opencc_s2t(simplified: str, opencc_error: str, traditional: str) -> None:
    import opencc

    assert opencc_error in opencc.OpenCC("s2t").convert(simplified)  # the error the override exists for
    assert to_hant(simplified) == traditional


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("著力提升科技水平", "着力提升科技水平"),
        ("發揮著重要作用", "发挥着重要作用"),
        ("質量顯著提升", "质量显著提升"),  # 顯著 keeps 著
        ("陜西省", "陕西省"),
    ],
)
def test_overrides_fix_opencc_t2s(traditional: str, simplified: str) -> None:
    assert to_hans(traditional) == simplified


def test_simplified_edition_is_fully_simplified(hans) -> None:  # type: ignore[no-untyped-def]
    for st in hans.publication.statements:
        for text in (st.headline, *st.paragraphs, st.attribution.raw):
            assert to_hans(text) == text


def test_round_trip_restores_the_traditional_text(converter: Converter, hant) -> None:  # type: ignore[no-untyped-def]
    for st in hant.publication.statements:
        for text in (st.headline, *st.paragraphs):
            assert converter.to_hant(converter.to_hans(text)) == text


def test_override_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "overrides.txt"
    path.write_text("# comment\n指明了\t指明了  # fine\n只有一列\n", encoding="utf-8")
    with pytest.raises(TekanError) as info:
        load_overrides(path)
    assert info.value.location.line == 3


def test_project_overrides_load() -> None:
    pairs = dict(load_overrides())
    assert pairs["指明了"] == "指明了"
    assert pairs["劉慶峰"] == "刘庆峰"


def test_each_edition_prints_its_own_quotation_marks(hant, hans) -> None:  # type: ignore[no-untyped-def]
    hant_text = "".join(p for st in hant.publication.statements for p in (st.headline, *st.paragraphs))
    hans_text = "".join(p for st in hans.publication.statements for p in (st.headline, *st.paragraphs))
    assert "「" in hant_text and "“" not in hant_text and "”" not in hant_text  # W3C clreq: Traditional 「」
    assert "“" in hans_text and "「" not in hans_text and "」" not in hans_text  # Simplified “ ”
    assert hant_text.count("「") == hans_text.count("“") == 71
    # The glossary's Chinese in the Simplified edition too (its definitions are written with 「」).
    assert to_hans("指「卡脖子」的『關鍵』技術") == "指“卡脖子”的‘关键’技术"


def test_the_character_path_converts_exactly_as_opencc() -> None:
    """Texts in which no OpenCC phrase occurs skip OpenCC's parse trees (tekan.scripts._opencc_convert): the
    result must be OpenCC's own, for the seed, the glossary, every phrase in a context and random mixtures."""
    import random

    from tekan.glossary import load_glossary
    from tekan.scripts import _character_path, _opencc, _opencc_convert

    # The canary of the private table it reads (opencc's _dict_chain_data): without it every text goes to OpenCC.
    path = _character_path("t2s")
    assert path is not None and len(path.phrases) > 100
    opencc = _opencc("t2s")
    texts = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    glossary = load_glossary(GLOSSARY)
    texts += [term.hant for term in glossary.terms] + [term.definition_zh for term in glossary.terms]
    texts += [f"前{phrase}後" for phrase in path.phrases]
    # Characters past the Basic Multilingual Plane: those the table maps (𠁞 → 𠀾) and those it does not (𠮷).
    astral = "".join(chr(code) for code in sorted(path.characters) if code >= 0x10000)
    assert astral and "𠮷" not in astral
    texts += [f"質量{char}檢測" for char in astral] + ["𠮷量"]
    pool = "".join(texts) + "乾著沈吒傢昇濛,，。 -"
    rng = random.Random(24)
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 40))) for _ in range(5_000)]
    assert [_opencc_convert(text, "t2s") for text in texts] == [opencc.convert(text) for text in texts]
    assert sum(1 for text in texts if not any(phrase in text for phrase in path.phrases)) > 1_000  # the path is taken


def test_the_character_table_converts_exactly_as_to_hans() -> None:
    """A text the character table applies to converts by ``str.translate`` exactly as :func:`to_hans` converts it
    (OpenCC, the overrides, the Simplified quotation marks), each character into one of its kind (jieba's blocks
    stay where they were); a text holding an override, an OpenCC phrase, a character past the Basic Multilingual
    Plane or one that converts into another kind is not converted so."""
    import random

    from tekan.glossary import load_glossary
    from tekan.scripts import _character_path, default_converter, hans_characters
    from tekan.segmenting import in_block

    characters = hans_characters(in_block)
    path = _character_path("t2s")
    assert characters is not None and path is not None
    texts = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [term.definition_zh for term in load_glossary(GLOSSARY).terms]  # 「 」 and 『 』 → “ ” and ‘ ’
    overrides = list(default_converter().hans_of)
    odd = [chr(code) for code in range(0x3400, 0xA000) if chr(code) != chr(code).translate(characters.table)]
    odd = [char for char in odd if in_block(char) != in_block(char.translate(characters.table))]
    pool = "".join(texts) + "乾著沈吒傢昇濛,，。「」『』 -"
    rng = random.Random(7)
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 40))) for _ in range(3_000)]
    texts += [f"提高{form}水平" for form in overrides] + [f"前{phrase}後" for phrase in list(path.phrases)[:500]]
    texts += ["質量𠁞檢測", "𠮷量"]
    applied = [text for text in texts if characters.applies(text)]
    assert [text.translate(characters.table) for text in applied] == [to_hans(text) for text in applied]
    assert all(len(to_hans(text)) == len(text) for text in applied)
    assert len(applied) > 2_000 and len(texts) - len(applied) > 250  # both ways are taken
    assert not any(characters.applies(f"提高{form}水平") for form in overrides)
    assert not characters.applies("質量𠁞檢測") and not characters.applies("𠮷量")
    # Where the table would move a block's edge (jieba cuts differently), the whole conversion is taken.
    for char in odd:
        assert not characters.applies(f"質量{char}")
