"""Optional and partial metadata: what is derived from the seed, one gap warning per missing fact with its
file and line, English left out (never invented), and --strict turning gaps into a failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tekan.derive import masthead_facts, page_name, person_pinyin, sector_of
from tekan.errors import Kind
from tekan.metadata import load_publication

from .conftest import GLOSSARY, SEED, tekan

# An unseen seed (not the repository's): three statements, a dated masthead.
FEATURE = """讓質量成為底色
質量強則國家強,質量興則民族興。
——某省計量科學研究院院長王小明
檢驗檢測服務產業
檢驗檢測傳遞信任。
——某某檢測有限公司董事長李四
標準引領
標準是規則。
——某市市場監管局黨組書記、局長曾國藩
《測試報》2024年3月5日【測試特刊】
"""


@pytest.mark.parametrize(
    ("person", "name", "romanised"),
    [
        ("韓永生", "han-yongsheng", "Han Yongsheng"),
        ("曾國藩", "zeng-guofan", "Zeng Guofan"),  # 曾 as a surname is zeng, not ceng
        ("單田芳", "shan-tianfang", "Shan Tianfang"),
        ("歐陽修", "ouyang-xiu", "Ouyang Xiu"),  # a compound surname stays together
        ("呂小明", "lyu-xiaoming", "Lü Xiaoming"),  # ASCII page name, ü in the name
        ("", "", ""),
    ],
)
def test_page_names_and_romanised_names_come_from_pinyin(person: str, name: str, romanised: str) -> None:
    assert (page_name(person), person_pinyin(person)) == (name, romanised)


@pytest.mark.parametrize(
    ("organisation", "position", "sector"),
    [
        ("安徽省市場監管局", "局長", "regulator"),
        ("浙江省市場監督管理局", "", "regulator"),
        ("某省發展和改革委員會", "", "regulator"),
        ("浙江省計量科學研究院", "院長", "institution"),
        ("國家質檢中心", "主任", "institution"),
        ("某某檢測有限公司", "董事長", "enterprise"),  # 有限公司 ends the name
        ("太鋼集團", "黨委書記", "enterprise"),
        ("科大訊飛", "董事長", "enterprise"),  # no telling suffix: the position decides
        ("某某协会", "会长", "other"),
        # A ministry's department (司) and Taiwan's agencies: the position decides.
        ("国家认证认可监督管理委员会认证监管司", "司长", "regulator"),
        ("臺灣精密機械", "執行長", "enterprise"),
        # A name's bracketed abbreviation does not hide its kind: 中心 ends 某檢測中心（CTC）, not the position.
        ("某檢測中心（CTC）", "副董事長", "institution"),
        ("經濟部標準檢驗局（BSMI）", "局長", "regulator"),
        ("", "", "other"),
    ],
)
def test_sector_from_the_kind_of_organisation(organisation: str, position: str, sector: str) -> None:
    assert sector_of(organisation, position) == sector


def test_the_sector_rule_agrees_with_the_editor_on_the_real_book() -> None:
    publication, _ = load_publication(SEED)
    derived = [sector_of(s.attribution.organisation, s.attribution.position) for s in publication.statements]
    disagree = [
        (s.attribution.organisation, s.meta.sector, d)
        for s, d in zip(publication.statements, derived, strict=True)
        if s.meta.sector != d
    ]
    # The one case a name cannot tell: a testing company the editor filed with the technical institutions.
    assert disagree == [("安徽國科檢測科技有限公司", "institution", "enterprise")]
    assert [page_name(s.attribution.person) for s in publication.statements] == [
        s.meta.slug for s in publication.statements
    ]


@pytest.mark.parametrize(
    ("masthead", "facts"),
    [
        (
            "《中國質量報》【中國質量(杭州)大會特刊】",
            {"title": "中國質量報·中國質量(杭州)大會特刊", "publisher": "中國質量報"},
        ),
        ("《人民日报》2023年5月12日 第9版", {"title": "人民日报", "publisher": "人民日报", "date": "2023-05-12"}),
        ("中国质量报 2021-09", {"title": "中国质量报", "publisher": "中国质量报", "date": "2021-09"}),
        (
            "某縣日報·2024年10月質量月特刊",
            {"title": "某縣日報·質量月特刊", "publisher": "某縣日報", "date": "2024-10"},
        ),
        ("浙江日報社 2024年3月15日 第5版", {"title": "浙江日報社", "publisher": "浙江日報社", "date": "2024-03-15"}),
        ("質量月特刊 2024年10月", {"title": "質量月特刊", "date": "2024-10"}),  # no paper named: no publisher
        ("《某報》2021年2月30日", {"title": "某報", "publisher": "某報"}),  # no such day: no date
    ],
)
def test_publication_facts_from_the_masthead(masthead: str, facts: dict[str, str]) -> None:
    assert masthead_facts(masthead) == facts


def test_no_metadata_derives_everything_and_says_so_once_per_gap(tmp_path: Path) -> None:
    seed = tmp_path / "feature.txt"
    seed.write_text(FEATURE, encoding="utf-8")
    publication, problems = load_publication(seed)
    assert [(s.meta.slug, s.meta.sector) for s in publication.statements] == [
        ("wang-xiaoming", "institution"),
        ("li-si", "enterprise"),
        ("zeng-guofan", "regulator"),
    ]
    assert not any(s.meta.headline_en or s.meta.person_pinyin for s in publication.statements)
    assert [s.id for s in publication.meta.sectors] == ["regulator", "institution", "enterprise"]
    assert [s.zh for s in publication.meta.sectors] == ["政府部門", "技術機構", "企業"]
    meta = publication.meta
    assert (meta.title, meta.publisher, meta.date, meta.title_en) == ("測試報·測試特刊", "測試報", "2024-03-05", "")
    assert [(p.kind, p.location.path.name, p.location.line) for p in problems] == [
        (Kind.gap, "feature.txt", 0),
        (Kind.gap, "feature.txt", 1),
        (Kind.gap, "feature.txt", 4),
        (Kind.gap, "feature.txt", 7),
    ]
    assert f"`tekan init {seed}`" in problems[0].message  # a path that works from here (outside the book)


def test_partial_metadata_keeps_the_editors_facts_and_derives_around_them(tmp_path: Path) -> None:
    seed = tmp_path / "feature.txt"
    seed.write_text(FEATURE, encoding="utf-8")
    seed.with_suffix(".toml").write_text(
        '[publication]\ntitle = "測試特刊"\ntitle_en = "Test"\n\n'
        '[[sector]]\nid = "labs"\nzh = "實驗室"\n\n'
        '[[statement]]\nbyline = "某某檢測有限公司董事長李四"\nslug = "zeng-guofan"\nsector = "labs"\n'
        'headline_en = "Testing"\nperson_pinyin = "Li Si"\norganisation_en = "Testing Co."\n',
        encoding="utf-8",
    )
    publication, problems = load_publication(seed)
    # The editor's slug is taken first: the derived name of 曾國藩 moves aside, stably.
    assert [(s.meta.slug, s.meta.sector) for s in publication.statements] == [
        ("wang-xiaoming", "institution"),
        ("zeng-guofan", "labs"),
        ("zeng-guofan-2", "regulator"),
    ]
    assert [s.id for s in publication.meta.sectors] == ["labs", "regulator", "institution"]
    found = [(p.location.path.name, p.location.line, p.message) for p in problems]
    assert [(name, line) for name, line, _ in found] == [
        ("feature.toml", 1),  # [publication]: publisher and date (taken from the masthead)
        ("feature.toml", 5),  # sector without an English name
        ("feature.txt", 1),  # statement 1: no entry
        ("feature.toml", 9),  # statement 2: position_en empty
        ("feature.txt", 7),  # statement 3: no entry
    ]
    assert "has no publisher, date; from the masthead: publisher '測試報', date '2024-03-05'" in found[0][2]
    assert found[3][2].endswith("has no position_en; English left out of the page")
    assert all(p.kind is Kind.gap for p in problems)


def test_the_projects_own_book_has_no_gap() -> None:
    _, problems = load_publication(SEED)
    assert problems == []


# --- Sphinx: gaps are warnings with file:line and type tekan.gap; empty English is left out everywhere ---


def _gap_warnings(app) -> list[str]:  # type: ignore[no-untyped-def]
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [re.sub(r"^.*/", "", line) for line in text.strip().splitlines()]


@pytest.mark.sphinx("html", testroot="partial")
def test_partial_metadata_builds_with_one_warning_per_gap(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    warnings = _gap_warnings(app)
    assert [w.split(" WARNING: ")[0] for w in warnings] == ["seed.toml:1:", "seed.toml:13:", "seed.txt:7:"]
    assert all(w.endswith("[tekan.gap]") for w in warnings), warnings
    page = (app.outdir / "statements" / "li-si.html").read_text(encoding="utf-8")
    assert "tekan-english" not in page and "tekan-byline-en" not in page  # nothing English invented
    derived = (app.outdir / "statements" / "zeng-guohua.html").read_text(encoding="utf-8")
    assert "曾國華" in derived and "tekan-english" not in derived
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "政府部門" in index and "技術機構" in index and "企業" in index
    # A derived sector's names are Tekan's own words (both languages), not facts about the book.
    assert "Government departments" in (app.outdir / "sectors" / "regulator.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("epub", testroot="partial")
def test_partial_metadata_epub(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert all(w.endswith("[tekan.gap]") for w in _gap_warnings(app))
    nav = (app.outdir / "nav.xhtml").read_text(encoding="utf-8")
    assert not re.search(r"<a[^>]*>\s*</a>", nav)  # no empty entry where an English title is missing
    page = (app.outdir / "statements" / "zeng-guohua.xhtml").read_text(encoding="utf-8")
    assert "監管護航發展" in page and "tekan-english" not in page


@pytest.mark.sphinx("typst", testroot="partial")
def test_partial_metadata_pdf(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert all(w.endswith("[tekan.gap]") for w in _gap_warnings(app))


@pytest.mark.sphinx("html", testroot="partial", confoverrides={"tekan_target.report_gaps": False})
def test_gaps_can_be_left_to_the_caller(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert app.warning.getvalue() == ""


# --- the command line: a normal build passes, --strict fails naming every gap ---


def test_check_and_build_without_metadata_then_strict_fails(tmp_path: Path) -> None:
    seed = tmp_path / "feature.txt"
    seed.write_text(FEATURE, encoding="utf-8")
    check = tekan("--glossary", str(GLOSSARY), "check", str(seed), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    gaps = [line for line in check.stderr.splitlines() if line.endswith("[tekan.gap]")]
    assert [line.split(": warning: ")[0] for line in gaps] == [
        f"{seed}",
        f"{seed}:1",
        f"{seed}:4",
        f"{seed}:7",
    ]
    strict = tekan("--glossary", str(GLOSSARY), "check", "--strict", str(seed), cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.strip().splitlines()[-1].startswith("tekan: error: --strict: 4 warning(s)")
    out = tmp_path / "out"
    build = tekan(
        "--glossary", str(GLOSSARY), "build", "html", "--script", "hant", "--seed", str(seed), "--out", str(out)
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert (out / "html" / "zh-hant" / "statements" / "zeng-guofan.html").is_file()
    assert sum(line.endswith("[tekan.gap]") for line in build.stderr.splitlines()) == 4  # once, not per format
    strict_build = tekan(
        "--glossary", str(GLOSSARY), "build", "html", "--strict", "--seed", str(seed), "--out", str(tmp_path / "o2")
    )
    assert strict_build.returncode == 1 and "--strict: 4 warning(s)" in strict_build.stderr
    assert not (tmp_path / "o2").exists()  # stopped before Sphinx: nothing written


def test_a_title_read_from_the_masthead_is_corrected_with_it(tmp_path: Path) -> None:
    from tekan.book import load_book

    seed = tmp_path / "feature.txt"
    seed.write_text(FEATURE.replace("【測試特刊】", "【測試(杭州)特刊】"), encoding="utf-8")
    assert load_book(seed, GLOSSARY).publication.meta.title == "測試報·測試（杭州）特刊"
    assert load_book(seed, GLOSSARY, normalise=False).publication.meta.title == "測試報·測試(杭州)特刊"
    seed.with_suffix(".toml").write_text('[publication]\ntitle = "編輯(自定)"\n', encoding="utf-8")
    assert load_book(seed, GLOSSARY).publication.meta.title == "編輯(自定)"  # the editor's title is theirs
