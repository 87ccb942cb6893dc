"""What can be derived from the seed alone when the metadata file is missing or partial.

Page names come from the speaker's name in pinyin, sectors from the kind of organisation, and the title,
publisher and date from the masthead. Nothing English is derived except the romanised name (which
``tekan init`` offers for checking): a missing English headline is left out, never invented.
"""

from __future__ import annotations

import datetime
import re
from functools import cache
from pathlib import Path

from .datafiles import read_columns
from .model import Sector

#: Surnames read otherwise than in ordinary words (曾 zeng, 單 shan) and compound surnames (歐陽 ouyang).
SURNAMES = Path(__file__).parent / "data" / "surnames.txt"

#: The sector of a statement, from its organisation and position (the rule, in order):
#:  1. the organisation's name ends with a keyword: the longest keyword that matches decides
#:     (有限公司 before 司; 研究院 before 院);
#:  2. otherwise a position word names the kind (董事長 → enterprise, 局長 → regulator, 院長 → institution);
#:  3. otherwise the default sector, "other".
#: Keywords are given in both scripts.
SECTOR_SUFFIXES: dict[str, tuple[str, ...]] = {
    "regulator": ("局", "廳", "厅", "委", "委員會", "委员会", "辦", "办", "辦公室", "办公室", "署", "政府"),
    "institution": (
        *("院", "研究院", "所", "研究所", "中心", "站", "實驗室", "实验室", "大學", "大学", "學院", "学院"),
    ),
    "enterprise": ("公司", "有限公司", "集團", "集团", "企業", "企业", "廠", "厂", "銀行", "银行"),
}
#: Words an organisation's name ends with (中心, 院, 所, 公司 …): in a byline such a word ends the organisation, so
#: 某質量認證中心主任 is 某質量認證中心 + 主任, not 某質量認證 + 中心主任. Longest first.
ORGANISATION_SUFFIXES: tuple[str, ...] = tuple(
    sorted({suffix for suffixes in SECTOR_SUFFIXES.values() for suffix in suffixes}, key=len, reverse=True)
)
SECTOR_POSITIONS: dict[str, tuple[str, ...]] = {
    "enterprise": (
        *("董事長", "董事长", "總經理", "总经理", "總裁", "总裁", "首席執行官", "首席执行官"),
        *("執行長", "执行长", "廠長", "厂长"),
    ),
    "regulator": (
        *("局長", "局长", "廳長", "厅长", "部長", "部长", "市長", "市长", "省長", "省长"),
        *("司長", "司长", "署長", "署长", "處長", "处长"),
    ),
    "institution": ("院長", "院长", "所長", "所长", "站長", "站长", "校長", "校长"),
}
#: The id of the sector for statements no rule places.
OTHER = "other"
#: Default sector names, in book order, in each script (a metadata file's [[sector]] entries win).
DEFAULT_SECTORS: dict[str, tuple[Sector, ...]] = {
    "hant": (
        Sector("regulator", "政府部門", "Government departments"),
        Sector("institution", "技術機構", "Technical institutions"),
        Sector("enterprise", "企業", "Enterprises"),
        Sector(OTHER, "其他", "Other statements"),
    ),
    "hans": (
        Sector("regulator", "政府部门", "Government departments"),
        Sector("institution", "技术机构", "Technical institutions"),
        Sector("enterprise", "企业", "Enterprises"),
        Sector(OTHER, "其他", "Other statements"),
    ),
}


#: The brackets an organisation's name may hold, opening → closing: 經濟部標準檢驗局（BSMI）,
#: 國家市場監督管理總局（國家標準化管理委員會）.
NAME_BRACKETS = {"（": "）", "(": ")", "【": "】", "[": "]", "〔": "〕", "［": "］"}
_OPENING, _CLOSING = re.escape("".join(NAME_BRACKETS)), re.escape("".join(NAME_BRACKETS.values()))
#: A bracketed part at the end of an organisation's name: its abbreviation or other name (（BSMI）, （CTC）).
_TRAILING_BRACKETS = re.compile(f"\\s*[{_OPENING}][^{_OPENING}{_CLOSING}]*[{_CLOSING}]$")


def explain_sector(organisation: str, position: str) -> tuple[str, str]:
    """The default sector of a speaker (rule: see SECTOR_SUFFIXES) and the reason, for the editor."""
    best = ("", OTHER)
    name = _TRAILING_BRACKETS.sub("", organisation)  # 某檢測中心（CTC） ends in 中心
    for sector, suffixes in SECTOR_SUFFIXES.items():
        for suffix in suffixes:
            if name.endswith(suffix) and len(suffix) > len(best[0]):
                best = (suffix, sector)
    if best[0]:
        return best[1], f"the organisation's name ends in {best[0]}"
    for sector, words in SECTOR_POSITIONS.items():
        for word in words:
            if word in position:
                return sector, f"the position {word}"
    return OTHER, "no rule matched (organisation's name and position say nothing of its kind)"


def sector_of(organisation: str, position: str) -> str:
    """The id of the default sector a speaker's organisation belongs to (rule: see SECTOR_SUFFIXES)."""
    return explain_sector(organisation, position)[0]


def default_sector(sector_id: str, script: str = "hant") -> Sector:
    """The default definition of a sector id in a script."""
    return next(s for s in DEFAULT_SECTORS[script] if s.id == sector_id)


@cache
def _surnames() -> tuple[tuple[str, tuple[str, ...]], ...]:
    rows = read_columns(SURNAMES, 2, "SURNAME<TAB>SYLLABLES")
    # Longest first, so a compound surname wins over a single character.
    return tuple(sorted(((name, tuple(s.split())) for name, s in rows), key=lambda r: -len(r[0])))


def _syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # imported late: loading it alone takes 0.2 s

    syllables = [s.lower() for s in lazy_pinyin(text, v_to_u=True)]
    return [re.sub(r"[^a-zü]", "", s) for s in syllables if re.sub(r"[^a-zü]", "", s)]


def name_syllables(person: str) -> tuple[list[str], list[str]]:
    """A Han name's surname and given-name syllables in pinyin (toneless; ü kept)."""
    for surname, syllables in _surnames():
        if person.startswith(surname) and len(person) > len(surname):
            return list(syllables), _syllables(person[len(surname) :])
    found = _syllables(person)
    return found[:1], found[1:]


def _ascii(syllable: str) -> str:
    # ü as in passports (lü → lyu); no other letter of toneless pinyin is outside ASCII.
    return syllable.replace("ü", "yu")


def page_name(person: str) -> str:
    """The ASCII page name of a speaker: ``han-yongsheng``, ``ouyang-xiu``; "" when there is no Han name."""
    if not person or "·" in person:
        parts = [p for p in person.split("·") if p]
        return "-".join(_ascii("".join(_syllables(p))) for p in parts if _syllables(p))
    surname, given = name_syllables(person)
    return "-".join(_ascii("".join(part)) for part in (surname, given) if part)


def person_pinyin(person: str) -> str:
    """The speaker's name romanised for checking: ``Han Yongsheng``, ``Ouyang Xiu``; "" when there is no name."""
    if not person:
        return ""
    if "·" in person:
        return "·".join("".join(_syllables(p)).capitalize() for p in person.split("·") if p)
    surname, given = name_syllables(person)
    return " ".join("".join(part).capitalize() for part in (surname, given) if part)


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not yet taken (and record it as taken)."""
    name, count = base, 1
    while name in taken:
        count += 1
        name = f"{base}-{count}"
    taken.add(name)
    return name


_BRACKETS = re.compile(r"《([^》]+)》|【([^】]+)】|〈([^〉]+)〉|［([^］]+)］|\[([^\]]+)\]")
#: A page or edition number after the date (第9版, 第 12 期): not part of the title.
_PAGE = re.compile(r"第\s*[0-9０-９一二三四五六七八九十百]+\s*[版期號号]")
#: Without 《》, the paper is the first name of the masthead that ends like one (某縣日報, 中国质量报, 浙江日報社).
_PAPER = re.compile(r"[^\s\u3000·・\-—]+?[報报]社?(?=$|[\s\u3000·・\-—])")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*(?:年|[-./])\s*(?P<m>1[0-2]|0?[1-9])\s*(?:月|[-./])?"
    r"(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日?)?"
)


def masthead_facts(masthead: str) -> dict[str, str]:
    """Title, publisher and date read from a masthead such as ``《中國質量報》【中國質量(杭州)大會特刊】``.

    The title joins the bracketed names with ``·`` (the masthead itself when it has none); the publisher is
    the name in 《》, else the first name ending in 報 (``某縣日報·2024年10月質量月特刊``); the date is the
    first parseable one (``2021年9月16日``, ``2021-09-16``, ``2021年9月``), written in ISO form.
    Facts that are not there are left out.
    """
    facts: dict[str, str] = {}
    parts = [next(g for g in m.groups() if g) for m in _BRACKETS.finditer(masthead)]
    rest = _PAGE.sub("", _DATE.sub("", _BRACKETS.sub("", masthead))).strip(" \u3000·・-—")
    title_parts = [p.strip() for p in parts if p.strip()] + ([rest] if rest else [])
    if title_parts:
        facts["title"] = "·".join(title_parts)
    paper = re.search(r"《([^》]+)》", masthead) or _PAPER.search(_DATE.sub(" ", _BRACKETS.sub(" ", masthead)))
    if paper:
        facts["publisher"] = paper[paper.lastindex or 0].strip()
    for match in _DATE.finditer(masthead):
        year, month = int(match["y"]), int(match["m"])
        try:
            if match["d"]:
                facts["date"] = datetime.date(year, month, int(match["d"])).isoformat()
            else:
                facts["date"] = f"{year:04d}-{month:02d}"
        except ValueError:  # 2021年2月30日: not a date
            continue
        break
    return facts
