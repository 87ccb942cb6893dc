"""Search finds what readers type: a table of queries with the statements a reader expects, run in Chromium.

The expected statements were found by reading the seed (a substring query expects every statement whose text
contains it; a glossary form, its pinyin or its English expects every statement that uses the term in any of
its forms). The table, with recall per query and in total, is written to ``search-recall.md`` in the build
folder and printed (``pytest -s``); every query must find all of its expected statements. Precision (the share
of the statements found that were expected) is reported beside recall, with the unexpected statements named,
and is not asserted: search ranks and shows more than the table expects (a term's related words, a byline).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_browser import search

pytestmark = pytest.mark.browser

SLUGS = (
    "han-yongsheng",  # 1 Anhui market regulation
    "tang-yingyu",  # 2 Chongqing
    "zhang-xiaoning",  # 3 Shaanxi
    "liu-tao",  # 4 Wuhan
    "du-fu",  # 5 Datong
    "zhang-wei",  # 6 Luohe
    "li-can",  # 7 Foshan
    "zhu-huaiqiu",  # 8 Zhejiang Institute of Metrology
    "li-xiang",  # 9 Shenzhen metrology and quality inspection
    "zhou-jungui",  # 10 Nanjing product quality inspection
    "shao-dongliang",  # 11 Anhui Guoke testing
    "zhao-hua",  # 12 CREG tunnel boring machines
    "wei-zhiling",  # 13 Geely
    "zhang-jianqiu",  # 14 Yili
    "gao-xiangming",  # 15 TISCO
    "liu-qingfeng",  # 16 iFLYTEK
)

#: A statement's place in the book, for listing them in book order.
ORDER = {slug: number for number, slug in enumerate(SLUGS)}


def _s(*numbers: int) -> frozenset[str]:
    return frozenset(SLUGS[n - 1] for n in numbers)


HIGH_QUALITY = _s(2, 3, 7, 8, 9, 10, 11, 13, 14, 15, 16)  # 高質量發展 (15 says it in the quotation)
METROLOGY = _s(3, 8, 9)  # 計量: 現代先進計量測試體系; the metrology institute; 9's byline
MEASUREMENT_SYSTEM = _s(1, 3, 8)  # the term 現代先進測量體系 with its aliases 國家…, 現代先進計量測試體系
NQI = _s(1, 3, 4, 9)  # 國家質量基礎設施 / 質量基礎設施 / QI (9: "打造QI集成應用")
ONE_STOP = _s(3, 4, 5, 10)
INSPECTION_AND_TESTING = _s(1, 6, 10, 11)
QUALITY_CITY = _s(2, 4, 5, 6, 7)  # 質量強市 (4 also 質量強區)
CHOKEPOINT = _s(8, 12, 15)
EMPOWER = _s(1, 8, 9, 16)  # 賦能
ZH = ("zh-hant", "zh-hans")
EN = ("en",)

#: (kind, query, editions, expected statements)
QUERIES: list[tuple[str, str, tuple[str, ...], frozenset[str]]] = [
    ("substring", "皖美", ZH, _s(1)),
    ("word", "皖美品牌", ZH, _s(1)),
    ("term", "現代先進測量體系", ZH, MEASUREMENT_SYSTEM),
    ("term, Simplified", "现代先进测量体系", ZH, MEASUREMENT_SYSTEM),
    ("term alias", "國家現代先進測量體系", ZH, MEASUREMENT_SYSTEM),
    ("substring", "先進測量", ZH, _s(1, 8)),
    ("word", "計量", ZH, METROLOGY),
    ("word, Simplified", "计量", ZH, METROLOGY),
    ("word", "檢驗檢測", ZH, INSPECTION_AND_TESTING),
    ("word, Simplified", "检验检测", ZH, INSPECTION_AND_TESTING),
    ("word", "高質量發展", ZH, HIGH_QUALITY),
    ("word", "質量強市", ZH, QUALITY_CITY),
    ("substring, Simplified", "强市", ZH, QUALITY_CITY),
    ("word", "卡脖子", ZH, CHOKEPOINT),
    ("word", "一站式", ZH, ONE_STOP),
    ("word", "賦能", ZH, EMPOWER),
    ("word, Simplified", "赋能", ZH, EMPOWER),
    ("word", "產業鏈", ZH, _s(3, 6, 9, 14, 16)),
    ("term alias, Simplified", "质量基础设施", ZH, NQI),
    ("name", "科大訊飛", ZH, _s(16)),
    ("name", "伊利", ZH, _s(14)),
    ("substring", "掘進", ZH, _s(12)),
    ("pinyin", "jiliang", ZH, METROLOGY),
    ("pinyin, tones, spaced", "jì liàng", ZH, METROLOGY),
    ("pinyin, spaced", "ji liang", ZH, METROLOGY),
    ("pinyin, spaced", "gaozhiliang fazhan", ZH, HIGH_QUALITY),
    ("pinyin, prefix", "wanmei", ZH, _s(1)),
    ("pinyin, tones", "yīzhànshì", ZH, ONE_STOP),
    ("pinyin", "qiabozi", ZH, CHOKEPOINT),
    ("pinyin of a name", "anhui", ZH, _s(1, 11)),
    ("pinyin, two words", "zhiliang qiangshi", ZH, QUALITY_CITY),
    ("English", "metrology", ZH, METROLOGY),
    ("English", "measurement", ZH, MEASUREMENT_SYSTEM),
    ("English", "one-stop", ZH, ONE_STOP),
    ("English", "inspection and testing", ZH, INSPECTION_AND_TESTING),
    ("English", "high-quality development", ZH, HIGH_QUALITY),
    ("English", "chokepoint", ZH, CHOKEPOINT),
    ("English, inflected", "empower", ZH, EMPOWER),
    ("English", "national quality infrastructure", ZH, NQI),
    # The English edition: its own text (Sphinx's English search), expected from reading the translation.
    ("English", "metrology", EN, METROLOGY),  # 3: metrology and testing system; 8; 9's byline
    ("English", "measurement", EN, _s(1, 8)),
    ("English", "one-stop", EN, ONE_STOP),
    ("English", "chokepoint", EN, CHOKEPOINT),
    ("English", "Wanmei", EN, _s(1)),
    ("English", "inspection and testing", EN, _s(1, 4, 6, 9, 10, 11)),  # 4: centres; 9: its byline
    ("English", "quality infrastructure", EN, _s(1, 3, 4)),
    ("English name", "Xi Jinping", EN, _s(5, 12, 15)),
    ("English, inflected", "empowered", EN, EMPOWER),  # empowering, empower, empowered
    # A term's Chinese forms and pinyin find the English statements that use it (linked, or named in English).
    ("word", "計量", EN, METROLOGY),
    ("word, Simplified", "计量", EN, METROLOGY),
    ("pinyin", "jiliang", EN, METROLOGY),
    ("pinyin, tones, spaced", "jì liàng", EN, METROLOGY),
    ("term", "卡脖子", EN, CHOKEPOINT),
]

ROWS = [(kind, query, edition, expected) for kind, query, editions, expected in QUERIES for edition in editions]


@pytest.fixture(scope="module")
def recall(browser: Any, site: str, book_out: Path) -> dict[tuple[str, str], frozenset[str]]:
    """Every query run once in its edition; the table is written beside the build and printed."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    found = {(query, edition): frozenset(search(tab, site, edition, query)) for _, query, edition, _ in ROWS}
    context.close()
    lines = [
        "| kind | query | edition | expected | found | recall | precision | found, not expected |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    hits = total = returned = 0
    for kind, query, edition, expected in ROWS:
        got = found[(query, edition)]
        hits += len(expected & got)
        total += len(expected)
        returned += len(got)
        precision = f"{len(expected & got) / len(got):.0%}" if got else "–"
        extra = ", ".join(sorted(got - expected, key=lambda slug: ORDER.get(slug, len(ORDER))))
        lines.append(
            f"| {kind} | {query} | {edition} | {len(expected)} | {len(got)} | "
            f"{len(expected & got) / len(expected):.0%} | {precision} | {extra} |"
        )
    lines.append(
        f"\n{len(ROWS)} queries, recall {hits}/{total} = {hits / total:.1%}, "
        f"precision {hits}/{returned} = {hits / max(returned, 1):.1%} "
        "(a statement found but not expected counts against precision, though it may use a related word)"
    )
    table = "\n".join(lines)
    (book_out / "search-recall.md").write_text(table + "\n", encoding="utf-8")
    print("\n" + table)
    return found


@pytest.mark.parametrize(("kind", "query", "edition", "expected"), ROWS, ids=[f"{r[2]}-{r[1]}" for r in ROWS])
def test_query_finds_every_expected_statement(
    recall: dict[tuple[str, str], frozenset[str]], kind: str, query: str, edition: str, expected: frozenset[str]
) -> None:
    assert expected, "a row must expect something"
    missing = expected - recall[(query, edition)]
    assert not missing, f"{kind} query {query!r} in {edition} misses {sorted(missing)}"


def test_the_table_is_large_enough() -> None:
    kinds = {kind.split(",")[0] for kind, *_ in QUERIES}
    assert len(QUERIES) >= 30 and {"word", "substring", "pinyin", "English"} <= kinds
