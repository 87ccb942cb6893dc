"""The seed parser: structure, bylines, and the errors an editor sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.errors import Kind, TekanError
from tekan.metadata import load_publication
from tekan.parsing import parse_seed, read_byline, split_byline

from .conftest import SEED

# Read off the printed bylines by hand: organisation, position(s), person.
BYLINES = [
    ("安徽省市場監管局", "黨組書記、局長", "韓永生"),
    ("重慶市市場監管局", "黨組書記、局長", "唐英瑜"),
    ("陜西省市場監管局", "黨組書記、局長", "張小寧"),
    ("武漢市市場監管局", "黨組書記、局長", "劉濤"),
    ("大同市市場監管局", "黨組書記、局長", "杜福"),
    ("漯河市市場監管局", "黨組書記、局長", "張煒"),
    ("佛山市市場監管局", "黨組書記、局長", "李燦"),
    ("浙江省計量科學研究院", "黨委書記、院長", "朱懷球"),
    ("深圳市計量質量檢測研究院", "院長", "李翔"),
    ("南京市產品質量監督檢驗院", "院長", "周駿貴"),
    ("安徽國科檢測科技有限公司", "董事長", "邵棟梁"),
    ("中鐵工程裝備集團有限公司", "總經理", "趙華"),
    ("吉利控股集團", "高級副總裁", "魏志玲"),
    ("伊利集團", "執行總裁", "張劍秋"),
    ("太鋼集團", "黨委書記、董事長", "高祥明"),
    ("科大訊飛", "董事長", "劉慶峰"),
]


@pytest.fixture(scope="module")
def publication():
    publication, problems = load_publication(SEED)
    assert problems == []
    return publication


def test_seed_has_sixteen_statements_and_the_masthead(publication) -> None:
    assert len(publication.statements) == 16
    assert publication.masthead == "《中國質量報》【中國質量(杭州)大會特刊】"


def test_every_byline_field(publication) -> None:
    got = [(s.attribution.organisation, s.attribution.position, s.attribution.person) for s in publication.statements]
    assert got == BYLINES
    for statement in publication.statements:
        a = statement.attribution
        assert a.organisation + a.position + a.person == a.raw


def test_statements_keep_every_line_of_the_seed(publication) -> None:
    lines = [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]
    rebuilt = []
    for s in publication.statements:
        rebuilt += [s.headline, *s.paragraphs, "——" + s.attribution.raw]
    assert [*rebuilt, publication.masthead] == lines


def test_headlines_and_lines(publication) -> None:
    first, last = publication.statements[0], publication.statements[-1]
    assert first.headline == "讓質量成為美好安徽靚麗底色" and first.line == 1
    assert last.headline == "以質量創新推動持續改進追求卓越"
    assert publication.statements[11].headline == "產品是人品 質量是道德"
    assert [len(s.paragraphs) for s in publication.statements[:3]] == [3, 5, 3]


def test_metadata_groups_statements_by_sector(publication) -> None:
    groups = {sector.id: [s.number for s in sts] for sector, sts in publication.by_sector()}
    assert groups["regulator"] == [1, 2, 3, 4, 5, 6, 7]
    assert all(s.meta.headline_en and s.meta.person_pinyin and s.meta.organisation_en for s in publication.statements)
    assert len({s.meta.slug for s in publication.statements}) == 16


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("某市質量技術監督局副局長王五", ("某市質量技術監督局", "副局長", "王五")),
        ("某集團有限公司黨委副書記、總經理歐陽明月", ("某集團有限公司", "黨委副書記、總經理", "歐陽明月")),
        ("某研究所研究員張三", None),  # 研究員 is not a known position: kept whole
    ],
)
def test_split_byline(byline: str, expected) -> None:
    assert split_byline(byline) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # An organisation suffix (中心, 院, 所, 公司 …) ends the organisation: not 某質量認證 + 中心主任.
        ("某質量認證中心主任 陳建國", ("某質量認證中心", "主任", "陳建國")),
        ("某質量認證中心主任陳建國", ("某質量認證中心", "主任", "陳建國")),
        ("某市計量測試研究院院長 王小明", ("某市計量測試研究院", "院長", "王小明")),
        # Compound positions stay whole: joined by 兼 as by 、.
        ("某精密儀器股份有限公司董事長兼總經理趙明", ("某精密儀器股份有限公司", "董事長兼總經理", "趙明")),
        ("某儀器有限公司董事長兼总经理赵明", ("某儀器有限公司", "董事長兼总经理", "赵明")),
        ("安徽省市場監管局黨組書記、局長韓永生", ("安徽省市場監管局", "黨組書記、局長", "韓永生")),
        # Positions of ministries, Taiwan's companies and agencies, the press and academies.
        ("國家認證認可監督管理委員會認證監管司司長張紅", ("國家認證認可監督管理委員會認證監管司", "司長", "張紅")),
        ("臺灣某股份有限公司執行長林志明", ("臺灣某股份有限公司", "執行長", "林志明")),
        ("經濟部標準檢驗局副署長陳六", ("經濟部標準檢驗局", "副署長", "陳六")),
        ("中國計量報社社長李四", ("中國計量報社", "社長", "李四")),
        ("中國工程院院士王五", ("中國工程院", "院士", "王五")),
        # Academic and professional titles, a Party group's members, the press's reporters.
        ("某大學教授 錢七", ("某大學", "教授", "錢七")),
        ("某研究院正高級工程師衛二", ("某研究院", "正高級工程師", "衛二")),
        ("某市市場監管局黨組成員、副局長孫八", ("某市市場監管局", "黨組成員、副局長", "孫八")),
        ("本報記者 趙六", ("本報", "記者", "趙六")),
        # The brackets of an organisation's name are its own, with the name written apart or first; a bracketed
        # position is not the organisation's.
        ("經濟部標準檢驗局（BSMI）局長 陳怡君", ("經濟部標準檢驗局（BSMI）", "局長", "陳怡君")),
        ("國家市場監督管理總局（國家標準委）副局長 李四", ("國家市場監督管理總局（國家標準委）", "副局長", "李四")),
        ("王五，某檢測中心(CTC)主任", ("某檢測中心(CTC)", "主任", "王五")),
        ("安徽省市場監管局（局長）韓永生", ("安徽省市場監管局", "局長", "韓永生")),
        ("安徽省市場監管局 局長 韓永生", ("安徽省市場監管局", "局長", "韓永生")),
    ],
)
def test_bylines_as_an_editor_would_split_them(byline: str, expected: tuple[str, str, str]) -> None:
    assert read_byline(byline, ["总经理"]) == expected


def test_an_override_says_what_it_joined_to_and_spaces_are_no_error(tmp_path: Path) -> None:
    seed = tmp_path / "f.txt"
    seed.write_text("標題\n正文。\n——某質量認證中心主任 陳建國\n《某報》\n", encoding="utf-8")
    entry = '[[statement]]\nbyline = "某質量認證中心主任 陳建國"\norganisation = "某質量認證中心"\nperson = "陳建國"\n'
    seed.with_suffix(".toml").write_text(entry + 'position = "主任"\n', encoding="utf-8")
    a = load_publication(seed)[0].statements[0].attribution
    assert (a.organisation, a.position, a.person) == ("某質量認證中心", "主任", "陳建國")
    seed.with_suffix(".toml").write_text(entry + 'position = "副主任"\n', encoding="utf-8")
    with pytest.raises(TekanError) as error:
        load_publication(seed)
    message = error.value.message
    assert "'某質量認證中心副主任陳建國'" in message and "'某質量認證中心主任 陳建國'" in message


def test_extra_positions_come_from_data() -> None:
    assert split_byline("某研究所研究員張三", ["研究員"]) == ("某研究所", "研究員", "張三")


def test_a_simplified_byline_with_a_ministry_position_is_split(tmp_path: Path) -> None:
    seed = "标题\n正文。\n——国家认证认可监督管理委员会认证监管司司长张红\n《某报》\n"
    publication, problems = parse_seed(seed, tmp_path / "s.txt")
    a = publication.statements[0].attribution
    assert (a.organisation, a.position, a.person) == ("国家认证认可监督管理委员会认证监管司", "司长", "张红")
    assert not problems


def test_unsplittable_byline_is_kept_whole_with_a_warning(tmp_path: Path) -> None:
    seed = "標題\n正文。\n——某研究所研究員張三\n報頭\n"
    publication, problems = parse_seed(seed, tmp_path / "s.txt")
    assert publication.statements[0].attribution.raw == "某研究所研究員張三"
    assert not publication.statements[0].attribution.is_split
    assert [p.kind for p in problems] == [Kind.byline]
    assert problems[0].location.line == 3


def test_a_second_seed_in_the_same_format_needs_no_code(tmp_path: Path) -> None:
    seed = tmp_path / "other.txt"
    seed.write_text(
        "甲\n一。\n二。\n——甲市市場監管局局長甲乙\n乙\n三。\n——乙公司總裁丙丁\n《乙報》\n", encoding="utf-8"
    )
    publication, problems = load_publication(seed)
    assert [s.attribution.person for s in publication.statements] == ["甲乙", "丙丁"]
    # No metadata file: said once for the file and once per statement, at its headline — not silent.
    assert [(p.kind, p.location.line) for p in problems] == [(Kind.gap, 0), (Kind.gap, 1), (Kind.gap, 5)]
    assert [s.meta.slug for s in publication.statements] == ["jia-yi", "bing-ding"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("   \n\n", 1, "empty"),
        ("標題\n正文\n報頭\n", 1, "no byline"),
        ("標題\n正文\n——某局局長張三\n標題二\n正文二\n報頭\n", 4, "no byline"),
        ("——某局局長張三\n", 1, "without a headline"),
        ("標題\n——某局局長張三\n", 1, "no body"),
        ("標題\n正文\n——\n", 3, "only a dash"),
        ("\u3000\u3000\n\t\n \u00a0 \n", 1, "empty"),  # ideographic and no-break spaces only
        ("甲\n一\n——某局局長張三\n乙\n二\n三\n報頭\n", 4, "the last statement has no byline"),
        ("甲\n一\n——某局局長張三\n——某局局長李四\n報頭\n", 4, "without a headline"),
    ],
)
def test_structure_errors_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    with pytest.raises(TekanError) as info:
        parse_seed(text, tmp_path / "s.txt")
    assert (info.value.location.path, info.value.location.line) == (tmp_path / "s.txt", line)
    assert words in info.value.message
    assert str(info.value).startswith(f"{tmp_path / 's.txt'}:{line}: ")
