"""Translation catalogs (`tekan translate`), their status and the terminology check (`tekan check`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from tekan.glossary import load_glossary
from tekan.metadata import load_publication
from tekan.translation import (
    EnglishLinker,
    book_translations,
    catalog_path,
    english_forms,
    read_translations,
    required_numbers,
    terminology_problems,
    update_catalogs,
)

from .conftest import GLOSSARY, ROOT, SEED, tekan

SEED_TEXT = """\
測量讓產品更可靠
國家計量院去年新建了12項計量標準,測量能力提升30%。
先進測量體系服務200多萬家企業。
——某市計量院院長陳大文
檢測機構走出去
2019年5月8日,某公司的檢測機構獲得國際認可。
——某某檢測公司總經理林小紅
《測試報》【測試特刊】
"""

METADATA = """\
[publication]
title = "測試特刊"

[[sector]]
id = "institution"
zh = "技術機構"
en = "Technical institutions"

[[statement]]
byline = "某市計量院院長陳大文"
slug = "chen-dawen"
sector = "institution"
person_pinyin = "Chen Dawen"

[[statement]]
byline = "某某檢測公司總經理林小紅"
slug = "lin-xiaohong"
sector = "institution"
person_pinyin = "Lin Xiaohong"
"""

GLOSSARY_TEXT = """\
[[term]]
id = "metrology"
hant = "計量"
hans = "计量"
pinyin = "jìliàng"
en = "metrology"
category = "metrology"
definition_zh = "測量的科學。"
definition_en = "The science of measurement."
source = "VIM 2.2"

[[term]]
id = "measurement"
hant = "測量"
hans = "测量"
pinyin = "cèliáng"
en = "measurement"
category = "metrology"
definition_zh = "獲得量值的過程。"
definition_en = "Obtaining quantity values."
source = "VIM 2.1"

[[term]]
id = "testing-body"
hant = "檢測機構"
hans = "检测机构"
pinyin = "jiǎncè jīgòu"
en = "testing body (laboratory)"
en_variants = ["testing laboratory"]
category = "conformity-assessment"
definition_zh = "從事檢測的機構。"
definition_en = "A body that performs testing."
source = "ISO/IEC 17000"
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A book folder as an editor makes one: seeds/, glossary/, and a names file for English."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "glossary").mkdir()
    (tmp_path / "seeds" / "feature.txt").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "seeds" / "feature.toml").write_text(METADATA, encoding="utf-8")
    (tmp_path / "glossary" / "terms.toml").write_text(GLOSSARY_TEXT, encoding="utf-8")
    return tmp_path


def _translate(book: Path) -> None:
    result = tekan(
        "--glossary", str(book / "glossary" / "terms.toml"), "translate", str(book / "seeds" / "feature.txt")
    )
    assert result.returncode == 0, result.stderr


def _check(book: Path) -> str:
    result = tekan("--glossary", str(book / "glossary" / "terms.toml"), "check", str(book / "seeds" / "feature.txt"))
    assert result.returncode == 0, result.stderr
    return result.stderr


def _fill(path: Path, strings: dict[str, str]) -> None:
    """Translate messages as a PO editor would: by msgid."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for msgid, string in strings.items():
        if msgid in catalog:  # the other statements' paragraphs are in their own catalogs
            catalog[msgid].string = string
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_translate_makes_one_catalog_per_statement_with_terms_names_and_numbers_marked(book: Path) -> None:
    _translate(book)
    first = book / "locale" / "en" / "LC_MESSAGES" / "statements" / "chen-dawen.po"
    assert sorted(p.name for p in first.parent.iterdir()) == ["chen-dawen.po", "lin-xiaohong.po"]
    with first.open("rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    assert [m.id for m in messages] == [
        "國家計量院去年新建了12項計量標準,測量能力提升30%。",  # the seed as printed: ASCII commas kept
        "先進測量體系服務200多萬家企業。",
    ]
    assert messages[0].locations == [("seeds/feature.txt", 2)]
    comments = "\n".join(messages[0].auto_comments)
    assert "term 計量 (metrology): metrology" in comments
    assert "term 測量 (measurement): measurement" in comments
    assert "numbers: 12, 30%" in comments
    second = book / "locale" / "en" / "LC_MESSAGES" / "statements" / "lin-xiaohong.po"
    with second.open("rb") as handle:
        comments = " ".join(next(m for m in read_po(handle) if m.id).auto_comments)
    assert "term 檢測機構 (testing-body): testing body (laboratory) | testing body | testing laboratory" in comments


def test_check_reports_translated_fuzzy_and_missing_per_statement(book: Path) -> None:
    _translate(book)
    po = catalog_path(book / "locale", "en", "chen-dawen")
    _fill(
        po,
        {
            "國家計量院去年新建了12項計量標準,測量能力提升30%。": "Last year the national metrology institute "
            "set up 12 new measurement standards, and its measurement capability rose by 30%.",
        },
    )
    report = _check(book)
    assert "en: chen-dawen: 1 translated, 0 fuzzy, 1 missing" in report
    assert "en: lin-xiaohong: 0 translated, 0 fuzzy, 1 missing" in report
    assert f"{po}:" in report and "paragraph 2 is missing [tekan.translation]" in report

    # The editor rewrites the first paragraph: the translation is kept, marked fuzzy, and no longer published.
    seed = book / "seeds" / "feature.txt"
    seed.write_text(SEED_TEXT.replace("12項", "13項"), encoding="utf-8")
    _translate(book)
    with po.open("rb") as handle:
        message = read_po(handle).get("國家計量院去年新建了13項計量標準,測量能力提升30%。")
    assert message is not None and message.fuzzy and "12 new" in message.string
    assert "en: chen-dawen: 0 translated, 1 fuzzy, 1 missing" in _check(book)
    publication, _ = load_publication(seed)
    assert read_translations(publication, book / "locale", "en")["chen-dawen"].paragraphs == ("", "")


def test_translate_twice_changes_nothing(book: Path) -> None:
    _translate(book)
    before = {p: p.read_bytes() for p in (book / "locale").rglob("*.po")}
    _translate(book)
    assert {p: p.read_bytes() for p in (book / "locale").rglob("*.po")} == before


def _misses(book: Path, strings: dict[str, str]) -> list[str]:
    _translate(book)
    for slug in ("chen-dawen", "lin-xiaohong"):
        _fill(catalog_path(book / "locale", "en", slug), strings)
    publication, _ = load_publication(book / "seeds" / "feature.txt")
    glossary = load_glossary(book / "glossary" / "terms.toml")
    translations = read_translations(publication, book / "locale", "en")
    names = {"國家計量院": ("national metrology institute",)}
    return [str(p) for p in terminology_problems(publication, glossary, translations, names)]


GOOD = {
    "國家計量院去年新建了12項計量標準,測量能力提升30%。": "Last year the national metrology institute set up 12 new "
    "measurement standards, and its measurement capability rose by 30 per cent.",
    "先進測量體系服務200多萬家企業。": "The advanced measurement system serves more than 2 million enterprises.",
    "2019年5月8日,某公司的檢測機構獲得國際認可。": "On 8 May 2019 a company’s testing laboratories won "
    "international accreditation.",
}


def test_terminology_check_accepts_a_faithful_translation(book: Path) -> None:
    # Plurals ("laboratories"), per cent, a month name for 5月, 200多萬 as "2 million" are all accepted.
    assert _misses(book, GOOD) == []


@pytest.mark.parametrize(
    ("msgid", "english", "expected"),
    [
        (
            "國家計量院去年新建了12項計量標準,測量能力提升30%。",
            "Last year the national metrology institute set up 12 new standards, and its capacity rose by 30%.",
            "paragraph 1: 測量 (measurement) is not rendered by any of: measurement",
        ),
        (
            "國家計量院去年新建了12項計量標準,測量能力提升30%。",
            "Last year the national metrology institute set up 12 new measurement standards, up by 3%.",
            "paragraph 1: number 30% missing",
        ),
        (
            "國家計量院去年新建了12項計量標準,測量能力提升30%。",
            "Last year the metrology institute set up 12 new measurement standards, up by 30%.",
            "paragraph 1: name 國家計量院 missing (national metrology institute)",
        ),
        (
            "先進測量體系服務200多萬家企業。",
            "The advanced measurement system serves more than 200 enterprises.",
            "paragraph 2: number 200多萬 missing (expected 2,000,000 or 2 million)",
        ),
        (
            "2019年5月8日,某公司的檢測機構獲得國際認可。",
            "On 8 June 2019 a company’s testing laboratories won international accreditation.",
            "paragraph 1: number 5月 missing (expected May)",
        ),
        (
            "2019年5月8日,某公司的檢測機構獲得國際認可。",
            "On 8 May 2019 a company’s test labs won international accreditation.",
            "paragraph 1: 檢測機構 (testing-body) is not rendered by any of: testing body (laboratory) | testing body",
        ),
    ],
)
def test_terminology_check_names_each_miss_with_its_catalog_line(
    book: Path, msgid: str, english: str, expected: str
) -> None:
    misses = _misses(book, {**GOOD, msgid: english})
    assert len(misses) == 1, misses
    assert expected in misses[0]
    assert ".po:" in misses[0] and misses[0].endswith("[tekan.terminology]")


def test_english_linker_whole_words_any_case_and_plurals() -> None:
    glossary = load_glossary(GLOSSARY)
    linker = EnglishLinker.build(glossary)
    found = [
        (text[s:e], t)
        for text in ["Testing bodies and a national standard; standardization"]
        for s, e, t in linker.occurrences(text)
    ]
    assert found == [
        ("Testing bodies", "testing-and-certification-body"),
        ("national standard", "national-standard"),
        ("standardization", "standardization"),
    ]
    assert linker.occurrences("understandard constandardization") == []


def test_required_numbers() -> None:
    assert required_numbers("佔河南省的1/6、全國的1/60，80%的技術，2020年5月12日") == [
        ("1", ("1", "one")),
        ("6", ("6", "six")),
        ("1", ("1", "one")),
        ("60", ("60",)),
        ("80%", ("80%", "80 per cent", "80 percent")),
        ("2020", ("2020",)),
        ("5月", ("May",)),
        ("12", ("12",)),
    ]


def test_numbers_under_ten_may_be_spelled_out_as_running_prose_wants_them() -> None:
    from tekan.translation import _has_number

    forms = dict(required_numbers("參與研制了9項國家標準，連續8年，第10名"))
    assert forms["9"] == ("9", "nine") and forms["8"] == ("8", "eight") and forms["10"] == ("10",)
    assert _has_number("drafting nine national standards", "nine")
    assert _has_number("Nine national standards", "nine")
    assert not _has_number("ninety national standards", "nine")  # a whole word, not part of one
    assert not _has_number("drafting 19 national standards", "9")


def test_shipped_translation_is_complete_up_to_date_and_has_no_terminology_misses(tmp_path: Path) -> None:
    result = tekan("check")
    assert result.returncode == 0, result.stderr
    assert "[tekan.translation]" not in result.stderr
    assert "[tekan.terminology]" not in result.stderr
    assert "en: 55/55 paragraphs translated, 0 terminology misses" in result.stderr
    # The catalogs match the seed and the glossary: running `tekan translate` would change nothing.
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale)
    publication, _ = load_publication(SEED)
    changed = update_catalogs(publication, load_glossary(GLOSSARY), locale, "en", ROOT)
    assert [path.name for path, was_changed in changed if was_changed] == []


@pytest.mark.parametrize(
    ("renamed", "siblings"),
    [
        ("chen-dawen", False),  # the slug renamed in the metadata: the old catalog is for no statement
        ("lin-xiaohong", True),  # the same with a second seed in the book: its catalogs are not orphans
    ],
)
def test_check_reports_a_catalog_for_no_statement(book: Path, renamed: str, siblings: bool) -> None:
    _translate(book)
    old = catalog_path(book / "locale", "en", renamed)
    metadata = book / "seeds" / "feature.toml"
    metadata.write_text(METADATA.replace(f'slug = "{renamed}"', f'slug = "{renamed}-2"'), encoding="utf-8")
    stray = catalog_path(book / "locale", "en", "nobody")  # a catalog copied in from elsewhere
    shutil.copy(old, stray)
    if siblings:
        other = book / "seeds" / "other.txt"
        other.write_text(SEED_TEXT.replace("陳大文", "陳小文").replace("林小紅", "林大紅"), encoding="utf-8")
        (book / "seeds" / "other.toml").write_text(
            METADATA.replace("陳大文", "陳小文")
            .replace("林小紅", "林大紅")
            .replace('"chen-dawen"', '"nobody"')
            .replace('"lin-xiaohong"', '"lin-dahong"'),
            encoding="utf-8",
        )
    report = _check(book)
    orphans = [line for line in report.splitlines() if "is for no statement" in line]
    expected = [old] if siblings else [old, stray]
    assert [line.partition(": warning: ")[0] for line in orphans] == [str(p) for p in sorted(expected)], report
    assert all(line.endswith("[tekan.translation]") for line in orphans)
    assert f"no statement has the page name {renamed!r}" in report
    # Renamed to the new page name, the catalog is the statement's again: nothing to report about it.
    old.rename(catalog_path(book / "locale", "en", f"{renamed}-2"))
    assert str(old) not in _check(book)


def test_a_month_without_a_year_is_its_name() -> None:
    """5月20日 is "May 20": the 5 is the month, not a number the translation lacks."""
    assert required_numbers("5月20日是世界計量日，歷時5個月") == [
        ("5月", ("May",)),
        ("20", ("20",)),
        ("5", ("5", "five")),
    ]


def test_a_term_inside_another_terms_english_is_rendered() -> None:
    """堅持質量第一…提升質量: "put quality first" renders 質量第一 and, inside it, 質量 (quality)."""
    from dataclasses import replace

    from tekan.model import Attribution, Statement, StatementMeta, Translation
    from tekan.translation import terminology_problems

    glossary = load_glossary(GLOSSARY)
    paragraph = "堅持質量第一，不斷提升質量。"
    attribution = Attribution("某局局長張三", "某局", "局長", "張三", 3)
    statement = Statement(1, "標題", (paragraph,), attribution, 1, StatementMeta("zhang-san", "regulator"))
    publication, _ = load_publication(SEED)
    publication = replace(publication, statements=(statement,))
    english = "We put quality first and give priority to performance, and keep raising it."
    translation = Translation("zhang-san", "en", Path("zhang-san.po"), (english,), ("translated",), (7,))
    assert terminology_problems(publication, glossary, {"zhang-san": translation}, {}) == []
    missing = replace(translation, paragraphs=("We keep raising it.",))
    assert [p.message for p in terminology_problems(publication, glossary, {"zhang-san": missing}, {})] == [
        "paragraph 1: 質量第一 (quality-first) is not rendered by any of: "
        + " | ".join(english_forms(glossary.by_id["quality-first"])),
        "paragraph 1: 質量 (quality) is not rendered by any of: "
        + " | ".join(english_forms(glossary.by_id["quality"])),
    ]


def test_strict_refuses_an_english_edition_with_untranslated_paragraphs(book: Path) -> None:
    """`--edition en --strict` stops before building, with an error at the catalog line of each paragraph."""
    _translate(book)
    _fill(catalog_path(book / "locale", "en", "chen-dawen"), GOOD)
    glossary = str(book / "glossary" / "terms.toml")
    result = tekan("--glossary", glossary, "build", "html", "--edition", "en", "--strict", "--out", "out", cwd=book)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: paragraph" in line]
    assert errors and all("lin-xiaohong.po:" in line and line.endswith("[tekan.translation]") for line in errors)
    assert "chen-dawen.po" not in result.stderr and not (book / "out" / "html").exists()


#: The English of the catalogs before issue 21, where it rendered a glossary term by another concept's English:
#: (statement, paragraph, the old sentence, the term it got wrong). Paragraph 0 is the metadata's headline_en.
OLD_WRONG_ENGLISH = [
    (
        "liu-qingfeng",
        0,
        "Drive continuous improvement and pursue excellence through quality innovation",
        "continual-improvement",
    ),
    ("zhang-wei", 0, "Strengthen quality assurance for the green food industry ecosystem", "quality-safeguards"),
    (
        "zhang-wei",
        1,
        "activated the factors of quality across the board, and strengthened quality assurance so that Luohe "
        "can build a nationally leading green food industry ecosystem.",
        "quality-safeguards",
    ),
    (
        "shao-dongliang",
        2,
        "from sampling and contract review to the issue of reports, forming a system of traceability at every "
        "level and of mutual checks.",
        "tracing",
    ),
    (
        "zhou-jungui",
        3,
        "Guided by the working philosophy of “on-demand services, specialization of capabilities, automation of "
        "testing, speed of inspection and standardization of processes”.",
        "testing",
    ),
    (
        "tang-yingyu",
        3,
        "Second, “supervision” is used to drive coordinated quality improvement in key industries… included it in the "
        "assessment and supervision of municipal departments.",
        "oversight",
    ),
    ("du-fu", 2, "It made the responsibility for quality supervision fully binding.", "quality-regulation"),
    (
        "li-can",
        2,
        "it created the country’s first “artificial intelligence + double random” quality supervision system",
        "quality-regulation",
    ),
]


def _with_english(english: dict[tuple[str, int], str]):  # type: ignore[no-untyped-def]
    """The shipped translation with some paragraphs (or headlines, paragraph 0) replaced, and the check's inputs."""
    from dataclasses import replace

    from tekan.book import load_book
    from tekan.translation import read_translations

    glossary = load_glossary(GLOSSARY)
    hant = load_book(SEED, GLOSSARY, "hant").publication
    publication, _ = load_publication(SEED)
    translations = read_translations(publication, ROOT / "locale", "en")
    statements = []
    for statement in hant.statements:
        slug = statement.meta.slug
        if (slug, 0) in english:
            statement = replace(statement, meta=replace(statement.meta, headline_en=english[slug, 0]))
        paragraphs = [english.get((slug, n), text) for n, text in enumerate(translations[slug].paragraphs, start=1)]
        translations[slug] = replace(translations[slug], paragraphs=tuple(paragraphs))
        statements.append(statement)
    return replace(hant, statements=tuple(statements)), glossary, translations


def test_the_check_flags_a_terms_wrong_english_on_the_old_catalogs() -> None:
    hant, glossary, translations = _with_english({(slug, n): text for slug, n, text, _ in OLD_WRONG_ENGLISH})
    problems = [p for p in terminology_problems(hant, glossary, translations, {}) if "renders" in p.message]
    flagged = {(p.location.path.stem if p.location.path.suffix == ".po" else "headline", p.message) for p in problems}
    for slug, number, _, term_id in OLD_WRONG_ENGLISH:
        where = "headline" if number == 0 else slug
        wanted = f"({term_id})"
        assert any(w == where and wanted in m and (number == 0 or f"paragraph {number} " in m) for w, m in flagged), (
            slug,
            number,
            sorted(flagged),
        )
    assert len(problems) == len(OLD_WRONG_ENGLISH)  # and nothing else in the shipped text


def test_a_wrong_form_inside_a_longer_accepted_one_or_meant_for_another_term_is_not_flagged() -> None:
    from tekan.glossary import term_linker
    from tekan.translation import wrong_english

    glossary = load_glossary(GLOSSARY)
    linker = term_linker(glossary, "hant")
    # 追溯 beside 計量: "metrological traceability" is another term's whole English, not 追溯's wrong one.
    chinese = "檢測報告層層追溯，計量數據可以追溯。"
    assert (
        wrong_english(
            chinese, "Every report can be traced back; the data have metrological traceability.", linker, glossary
        )
        == []
    )
    assert wrong_english(chinese, "Reports have traceability at every level.", linker, glossary) == [
        ("tracing", "traceability")
    ]
    # 檢測 is testing: "inspection and testing" (檢驗檢測) and an institute's name hold "inspection" legitimately.
    assert (
        wrong_english(
            "國家級質檢中心開展檢測。", "The national quality inspection and testing centre tests.", linker, glossary
        )
        == []
    )
    assert wrong_english("開展檢測。", "Carry out inspections.", linker, glossary) == [("testing", "inspections")]
    # Only a term of this paragraph's Chinese: 'quality assurance' is right for 質量保證, wrong for 質量保障.
    assert wrong_english("提供質量保證。", "Provide quality assurance.", linker, glossary) == []
    assert wrong_english("強化質量保障。", "Strengthen quality assurance.", linker, glossary) == [
        ("quality-safeguards", "quality assurance")
    ]


def test_a_wrong_english_form_must_not_also_be_accepted(tmp_path: Path) -> None:
    from tekan.errors import TekanError

    path = tmp_path / "terms.toml"
    path.write_text(
        GLOSSARY_TEXT.replace(
            'en_variants = ["testing laboratory"]',
            'en_variants = ["testing laboratory"]\nwrong_en = ["Testing Laboratory"]',
        ),
        encoding="utf-8",
    )
    with pytest.raises(TekanError, match="also an accepted English form"):
        load_glossary(path)


def _spoil_big5(po: Path) -> int:
    po.write_bytes(po.read_text(encoding="utf-8").encode("big5hkscs"))
    return 1


def _spoil_keyword(po: Path) -> int:
    lines = po.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("msgid") and n > 5)
    lines.insert(at, "msgfoo ")
    po.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def _control(char: str) -> Callable[[Path], int]:
    def spoil(po: Path) -> int:
        msgid = "國家計量院去年新建了12項計量標準,測量能力提升30%。"
        _fill(po, {msgid: f"Last year the institute set up 12 new standards,{char} a rise of 30%."})
        lines = po.read_text(encoding="utf-8").split("\n")
        return next(n for n, line in enumerate(lines, start=1) if line == f'msgid "{msgid}"') + 1  # its msgstr

    return spoil


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_spoil_big5, "not valid UTF-8 at byte 2 of the line (byte 2 of the file); it looks like BIG5"),
        (_spoil_keyword, "not a valid PO file: Unknown or misformatted keyword"),
        (_control("\x1b"), "invisible control character U+001B in a msgstr, at column 57: remove it"),
        (_control("\x07"), "invisible control character U+0007 in a msgstr, at column 57"),
        (_control("\u202e"), "bidirectional control U+202E in a msgstr, at column 57"),
    ],
    ids=["big5", "malformed", "esc", "bel", "rlo"],
)
def test_a_bad_catalog_is_one_located_line_in_check_and_before_any_build(
    book: Path, spoil: Callable[[Path], int], expected: str
) -> None:
    """Catalogs are input like any other: read as UTF-8 (a legacy encoding named), parsed with the line of a
    mistake, and refused when a translation holds a character that is not text (it would break the EPUB)."""
    _translate(book)
    po = catalog_path(book / "locale", "en", "chen-dawen")
    line = spoil(po)
    glossary = str(book / "glossary" / "terms.toml")
    seed = str(book / "seeds" / "feature.txt")
    check = tekan("--glossary", glossary, "check", seed)
    out = book / "out"
    build = tekan("--glossary", glossary, "build", "html", "--edition", "en", "--seed", seed, "--out", str(out))
    for result in (check, build):
        assert result.returncode == 1
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [errors[0]] and errors[0].startswith(f"{po}:{line}: error: {expected}"), result.stderr
    assert "Traceback" not in build.stderr and not (out / ".work").exists()  # stopped before Sphinx


def test_a_seed_without_catalogs_is_not_read_again_for_its_translations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tekan convert` has read the seed already: without a catalog folder there is nothing to match it with."""
    seed = tmp_path / SEED.name
    shutil.copy(SEED, seed)
    shutil.copy(SEED.with_suffix(".toml"), seed.with_suffix(".toml"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the seed was read again")

    monkeypatch.setattr("tekan.metadata.load_publication", refuse)
    assert book_translations(seed, "en") == {}
