"""A seed in either script: the rule that recognises a Simplified seed, the refusal of a mixed one with its
place, and a Simplified seed's two editions — Simplified as written, Traditional by conversion with names
and terms protected and every context-dependent choice listed on the audit page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.book import book_pages, load_book
from tekan.errors import Kind, TekanError
from tekan.metadata import load_publication
from tekan.scripts import detect_script, script_only

from .conftest import GLOSSARY, tekan

# Unseen Simplified seed, written for these tests (not the repository's).
JIANTI = """让质量成为发展底色
质量强则国家强,质量兴则民族兴。后来我们把头发剪短了,皇后也说明了计量的作用。
要推进国家质量基础设施建设,干部要干实事。
——安徽省市场监管局党组书记、局长韩永生
以标准引领产业升级
标准是经济活动和社会发展的技术支撑。软件和信息技术要走在前面。
——科大讯飞董事长刘庆峰
《中国质量报》2021年9月16日【中国质量(杭州)大会特刊】
"""


def _seed(tmp_path: Path, text: str = JIANTI) -> Path:
    seed = tmp_path / "jianti.txt"
    seed.write_text(text, encoding="utf-8")
    return seed


@pytest.mark.parametrize(
    ("char", "kind"), [("质", "hans"), ("們", "hant"), ("质", "hans"), ("中", ""), ("于", ""), ("后", ""), ("A", "")]
)
def test_script_only_characters(char: str, kind: str) -> None:
    assert script_only(char) == kind


def test_detection_rule(tmp_path: Path) -> None:
    assert detect_script(JIANTI, tmp_path / "s.txt") == "hans"
    assert detect_script("質量強則國家強", tmp_path / "s.txt") == "hant"
    assert detect_script("中文\n一二三", tmp_path / "s.txt") == "hant"  # reads the same in both: as today


def test_a_mixed_seed_is_refused_naming_line_and_characters(tmp_path: Path) -> None:
    text = JIANTI.replace("以标准引领产业升级", "以標準引領產業升級")
    with pytest.raises(TekanError) as info:
        load_publication(_seed(tmp_path, text))
    assert info.value.kind is Kind.script and info.value.location.line == 5
    assert "標 (line 5, column 2)" in info.value.message and "Simplified-only" in info.value.message


def test_simplified_seed_parses_with_simplified_position_words_and_default_sectors(tmp_path: Path) -> None:
    publication, _ = load_publication(_seed(tmp_path))
    assert publication.script == "hans"
    a = publication.statements[0].attribution
    assert (a.organisation, a.position, a.person) == ("安徽省市场监管局", "党组书记、局长", "韩永生")
    assert [s.meta.slug for s in publication.statements] == ["han-yongsheng", "liu-qingfeng"]
    assert [s.zh for s in publication.meta.sectors] == ["政府部门", "企业"]


def test_the_simplified_edition_is_the_seed_as_written(tmp_path: Path) -> None:
    verbatim = load_book(_seed(tmp_path), GLOSSARY, "hans", normalise=False).publication
    first = verbatim.statements[0]
    assert first.paragraphs == tuple(JIANTI.split("\n")[1:3])
    normalised = load_book(_seed(tmp_path), GLOSSARY, "hans").publication
    assert normalised.statements[0].paragraphs[1] == "要推进国家质量基础设施建设，干部要干实事。"  # punctuation only
    assert {c.rule for c in normalised.changes} == {"punctuation"}


def test_the_traditional_edition_is_converted_with_protections_and_audited(tmp_path: Path) -> None:
    book = load_book(_seed(tmp_path), GLOSSARY, "hant")
    first, second = book.publication.statements
    assert first.headline == "讓質量成為發展底色"
    assert first.paragraphs[0] == "質量強則國家強，質量興則民族興。後來我們把頭髮剪短了，皇后也說明了計量的作用。"
    assert first.paragraphs[1] == "要推進國家質量基礎設施建設，幹部要幹實事。"
    assert second.paragraphs[0] == "標準是經濟活動和社會發展的技術支撐。軟件和信息技術要走在前面。"  # not 軟體/資訊
    assert (first.attribution.organisation, first.attribution.person) == ("安徽省市場監管局", "韓永生")
    assert second.attribution.raw == "科大訊飛董事長劉慶峰"  # 峰, not OpenCC's 峯
    assert book.publication.meta.sectors[0].zh == "政府部門"
    conversions = [(c.old, c.new, c.line, c.paragraph) for c in book.publication.changes if c.rule == "conversion"]
    assert conversions == [("发", "髮", 2, 1), ("后", "后", 2, 1)]  # the choices the context made
    pages = book_pages(book)
    assert "{term}`國家質量基礎設施 <nqi>`" in pages["statements/han-yongsheng.md"]
    assert "以簡體寫成" in pages["about.md"] and "](audit.md)" in pages["about.md"]
    # Each choice with the seed's text around it, then the converted text around it.
    row = '["后来我们把头", "发", "剪短了，皇后"], ["後來我們把頭", "髮", "剪短了，皇后"], "轉換"]'
    assert row in pages["audit.md"]
    assert (
        "{term}`国家质量基础设施 <nqi>`"
        in book_pages(load_book(_seed(tmp_path), GLOSSARY, "hans"))["statements/han-yongsheng.md"]
    )


def test_a_simplified_seed_builds_both_editions(tmp_path: Path) -> None:
    seed = _seed(tmp_path)
    out = tmp_path / "out"
    result = tekan("--glossary", str(GLOSSARY), "build", "html", "--seed", str(seed), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    hans = (out / "html" / "zh-hans" / "statements" / "han-yongsheng.html").read_text(encoding="utf-8")
    hant = (out / "html" / "zh-hant" / "statements" / "han-yongsheng.html").read_text(encoding="utf-8")
    assert "后来我们把头发剪短了" in hans and "後來我們把頭髮剪短了" in hant
    assert 'lang="zh-Hans"' in hans and 'lang="zh-Hant"' in hant


def test_the_metadata_language_decides_a_neutral_seed_and_must_agree_with_the_characters(tmp_path: Path) -> None:
    neutral = _seed(tmp_path, "天下\n一二三。\n——某所主任王五\n《天下》\n")
    assert load_publication(neutral)[0].script == "hant"  # no script-specific character: as today
    neutral.with_suffix(".toml").write_text('[publication]\ntitle = "天下"\nlanguage = "zh-Hans"\n', encoding="utf-8")
    assert load_publication(neutral)[0].script == "hans"
    contrary = _seed(tmp_path)
    contrary.with_suffix(".toml").write_text('\n[publication]\nlanguage = "zh-Hant"\n', encoding="utf-8")
    with pytest.raises(TekanError) as info:
        load_publication(contrary)
    assert (info.value.kind, info.value.location.line) == (Kind.script, 2)
    assert "says the seed is Traditional, but it is written in Simplified (e.g. 让)" in info.value.message


def test_glossary_use_is_checked_in_the_seeds_own_script(tmp_path: Path) -> None:
    from tekan.glossary import glossary_problems, load_glossary

    publication, _ = load_publication(_seed(tmp_path))
    unused = {
        p.message.split("'")[1]
        for p in glossary_problems(load_glossary(GLOSSARY), [publication])
        if "occurs" in p.message
    }
    assert not {"nqi", "metrology", "quality", "standard"} & unused  # 国家质量基础设施, 计量, 质量, 标准


QUOTED = """计量是工业的“眼睛”
计量是工业的“眼睛”,也是「质量」的基础,市场占有率逐年提高。
——某市计量测试研究院院长王小明
《某报》2022年5月20日【世界计量日特刊】
"""


def test_simplified_text_keeps_its_quotation_marks_in_every_simplified_edition(tmp_path: Path) -> None:
    """GB/T 15834: a Simplified original keeps “ ” (its 「」 become “ ”) and its own word forms (占, not 佔);
    its Traditional edition prints 「」. A collection of it with a Traditional feature mixes nothing."""
    seed = _seed(tmp_path, QUOTED)
    hans = load_book(seed, GLOSSARY, "hans").publication.statements[0]
    assert hans.headline == "计量是工业的“眼睛”"
    assert hans.paragraphs[0] == "计量是工业的“眼睛”，也是“质量”的基础，市场占有率逐年提高。"
    hant = load_book(seed, GLOSSARY, "hant").publication.statements[0]
    assert hant.headline == "計量是工業的「眼睛」" and "「質量」" in hant.paragraphs[0]
    traditional = tmp_path / "fanti.txt"
    traditional.write_text("標準是質量的“基石”\n標準是質量的“基石”。\n——某市標準化研究院院長李四\n《某報》\n", "utf-8")
    collection = tmp_path / "both.toml"
    collection.write_text('seeds = ["fanti.txt", "jianti.txt"]\n', encoding="utf-8")
    pages = book_pages(load_book(collection, GLOSSARY, "hans"))
    statements = "".join(text for name, text in pages.items() if "/statements/" in name)
    assert "“基石”" in statements and "“眼睛”" in statements and "“质量”" in statements
    assert not any(mark in statements for mark in "「」『』")


def test_a_long_seed_s_script_is_found_by_scanning_as_by_its_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``_LONG_TEXT`` characters a seed is scanned for each script's characters instead of making a set of its
    characters: the same scripts, and a mixed long seed is refused at the same line and characters."""
    from tekan import scripts

    texts = [JIANTI, "質量強則國家強", "中文\n一二三", "", "ABC", JIANTI.replace("以标准引领", "以標準引領")]
    texts += [chr(code) for code in (0x3400, 0x4E2D, 0x8CEA, 0x8D28, 0x9FFF, 0xF900, 0xFAFF, 0x20BB7)]

    def found(text: str) -> str:
        try:
            return scripts.detect_script(text, tmp_path / "s.txt")
        except TekanError as error:
            return f"{error.location.line}: {error.message}"

    short = [found(text) for text in texts]
    monkeypatch.setattr(scripts, "_LONG_TEXT", 0)
    assert [found(text) for text in texts] == short
    assert short[:3] == ["hans", "hant", "hant"] and "mixes scripts" in short[5]
    patterns = scripts._script_only_patterns()
    for code in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00)):
        char = chr(code)
        assert {kind for kind, pattern in patterns.items() if pattern.fullmatch(char)} == {script_only(char)} - {""}
