"""Hostile and unlucky input files get one located error (file:line), never a traceback: wide encodings named
correctly, endless streams, invisible and non-characters (also as TOML escapes), identifiers with a final
line feed, impossible dates, lines too long to typeset; and the CSV export evaluates nothing in a spreadsheet."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tekan.errors import Kind, TekanError, read_text
from tekan.export import read_csv, to_csv
from tekan.glossary import load_glossary
from tekan.metadata import load_publication
from tekan.model import Glossary, Term
from tekan.parsing import load_seed

from .conftest import GLOSSARY, ROOT, tekan

SEED_TEXT = (
    "讓質量成為美好安徽靚麗底色\n質量是發展的生命線，標準化工作很重要。\n——安徽省市場監管局局長韓永生\n中國質量報\n"
)
META = """[publication]
title = "測試特刊"
{publication}
[[sector]]
id = "a"
zh = "部分"
en = "Part"
{sector}
[[statement]]
byline = "安徽省市場監管局局長韓永生"
slug = "han"
sector = "a"
{statement}
"""


def book(tmp_path: Path, seed: str = SEED_TEXT, publication: str = "", sector: str = "", statement: str = "") -> Path:
    path = tmp_path / "seed.txt"
    path.write_text(seed, encoding="utf-8")
    path.with_suffix(".toml").write_text(
        META.format(publication=publication, sector=sector, statement=statement), encoding="utf-8"
    )
    return path


def error(call, *args) -> TekanError:  # type: ignore[no-untyped-def]
    with pytest.raises(TekanError) as info:
        call(*args)
    return info.value


# --- encodings and size ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-16-le", b"", "UTF-16LE"),
        ("utf-16-be", b"", "UTF-16BE"),
        ("utf-16-le", b"\xff\xfe", "UTF-16LE"),
        ("utf-16-be", b"\xfe\xff", "UTF-16BE"),
        ("utf-32-le", b"", "UTF-32LE"),
        ("utf-32-be", b"", "UTF-32BE"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32LE"),
        ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32BE"),
    ],
)
def test_wide_encodings_are_named_and_the_advice_converts_them(
    tmp_path: Path, codec: str, bom: bytes, name: str
) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(bom + SEED_TEXT.encode(codec))
    failure = error(read_text, seed)
    assert failure.kind is Kind.encoding and failure.location.line == 1
    assert f"the file is {name}" in failure.message, failure.message
    command = failure.message.rpartition("e.g. ")[2].split()
    assert command[:2] == ["iconv", "-f"] and command[-1] == seed.name
    if shutil.which("iconv") is None:
        pytest.skip("iconv is not installed: the advice is named but not tried")
    converted = subprocess.run([*command[:-1], str(seed)], capture_output=True, check=True).stdout
    assert converted.decode("utf-8").lstrip("\ufeff") == SEED_TEXT  # the advice gives back the text


def test_chinese_only_utf16_without_ascii_is_recognised(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes("讓質量成為美好安徽靚麗底色\n質量是發展的生命線\n".encode("utf-16-le"))
    assert "UTF-16LE" in error(read_text, seed).message


def test_one_or_two_byte_order_marks_leave_no_trace(tmp_path: Path) -> None:
    for marks in (1, 2, 3):
        seed = book(tmp_path, "\ufeff" * marks + SEED_TEXT)
        publication, _ = load_publication(seed)
        assert publication.statements[0].headline == "讓質量成為美好安徽靚麗底色", marks


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_stream_is_refused_quickly(device: str) -> None:
    started = time.monotonic()
    failure = error(read_text, Path(device))
    assert "larger than 64 MB" in failure.message
    assert time.monotonic() - started < 10


def test_an_endless_seed_is_one_line_from_the_command(tmp_path: Path) -> None:
    result = tekan("check", "/dev/zero")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "/dev/zero: error: the file is larger than 64 MB" in result.stderr


# --- characters that are not text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "words"),
    [
        ("\u2028", "line separator U+2028"),
        ("\u2029", "paragraph separator U+2029"),
        ("\ufeff", "byte-order mark U+FEFF"),
        ("\U0001fffe", "non-character U+1FFFE"),
        ("\ufdd0", "non-character U+FDD0"),
        ("\U0010ffff", "non-character U+10FFFF"),
        ("\x1b", "invisible control character U+001B"),
        ("\u202e", "bidirectional control U+202E"),
    ],
)
def test_forbidden_characters_in_the_seed_are_located(tmp_path: Path, char: str, words: str) -> None:
    seed = book(tmp_path, SEED_TEXT.replace("發展", f"發{char}展"))
    failure = error(load_publication, seed)
    assert failure.location.line == 2 and f"{words} at column 5" in failure.message, failure.message


@pytest.mark.parametrize(
    ("table", "field", "escape", "words"),
    [
        ("publication", "title_en", r"\u0007", "U+0007"),
        ("publication", "description_en", r"\u2028", "line separator U+2028"),
        ("statement", "headline_en", r"\U0001FFFE", "non-character U+1FFFE"),
        ("statement", "person_pinyin", r"\b", "U+0008"),
        ("sector", "en", r"\u001b", "U+001B"),
        ("statement", "organisation_en", r"\ufeff", "byte-order mark"),
    ],
)
def test_forbidden_characters_written_as_toml_escapes_are_located(
    tmp_path: Path, table: str, field: str, escape: str, words: str
) -> None:
    seed = book(tmp_path, **({} if table == "sector" else {table: f'{field} = "A{escape}B"'}))
    if table == "sector":
        meta = seed.with_suffix(".toml")
        meta.write_text(meta.read_text(encoding="utf-8").replace('en = "Part"', f'en = "A{escape}B"'), encoding="utf-8")
    failure = error(load_publication, seed)
    lines = seed.with_suffix(".toml").read_text(encoding="utf-8").split("\n")
    assert failure.location.path == seed.with_suffix(".toml")
    assert lines[failure.location.line - 1].startswith(f"{field} = "), (failure.location, lines)
    assert words in failure.message and f"`{field}`" in failure.message, failure.message


def test_forbidden_characters_in_the_glossary_are_located(tmp_path: Path) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    for escape in (r"\u0000", r"\u2029", r"\U0001FFFF", r"\f"):
        changed = text.replace('definition_en = "', f'definition_en = "{escape}', 1)
        path = tmp_path / "terms.toml"
        path.write_text(changed, encoding="utf-8")
        failure = error(load_glossary, path)
        line = changed.split("\n")[failure.location.line - 1]
        assert line.startswith("definition_en = ") and escape in line, (escape, failure)


# --- identifiers, dates, lengths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"statement": "", "sector": ""},  # control: valid
        {"slug": "han\n"},
        {"slug": "han\n\n"},
        {"sector_id": "a\n"},
        {"slug": "Han"},
        {"slug": "han "},
        {"slug": "hän"},
    ],
)
def test_identifiers_must_match_whole(tmp_path: Path, change: dict[str, str]) -> None:
    import json

    text = META.format(publication="", sector="", statement="")
    if "slug" in change:
        text = text.replace('slug = "han"', f"slug = {json.dumps(change['slug'])}")
    if "sector_id" in change:
        text = text.replace('id = "a"', f"id = {json.dumps(change['sector_id'])}").replace(
            'sector = "a"', f"sector = {json.dumps(change['sector_id'])}"
        )
    seed = book(tmp_path)
    seed.with_suffix(".toml").write_text(text, encoding="utf-8")
    if "slug" not in change and "sector_id" not in change:
        load_publication(seed)
        return
    failure = error(load_publication, seed)
    assert "lowercase ASCII letters, digits and hyphens" in failure.message and failure.location.line > 0


def test_a_glossary_id_with_a_final_line_feed_is_refused(tmp_path: Path) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    first_id = text.split('id = "', 1)[1].split('"', 1)[0]
    path = tmp_path / "terms.toml"
    path.write_text(text.replace(f'id = "{first_id}"', f'id = "{first_id}\\n"', 1), encoding="utf-8")
    failure = error(load_glossary, path)
    assert "lowercase ASCII letters" in failure.message and failure.location.line > 0


@pytest.mark.parametrize(
    "date", ["2021-²", "September 2021", "2021-13", "2021-02-30", "２０２１", "2021-9", "21", " 2021"]
)
def test_impossible_dates_are_located_errors(tmp_path: Path, date: str) -> None:
    seed = book(tmp_path, publication=f'date = "{date}"')
    failure = error(load_publication, seed)
    assert failure.location.line == 1 and "YYYY, YYYY-MM or YYYY-MM-DD" in failure.message
    result = tekan("check", str(seed))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{seed.with_suffix('.toml')}:1: error: date" in result.stderr


@pytest.mark.parametrize("date", ["", "  "])
def test_an_empty_date_is_a_gap_not_an_error(tmp_path: Path, date: str) -> None:
    """`tekan init` leaves `date = ""` when the masthead gives none: the draft must still build."""
    publication, problems = load_publication(book(tmp_path, publication=f'date = "{date}"'))
    assert publication.meta.date == ""
    assert any(p.kind.value == "gap" and "date" in p.message for p in problems)


@pytest.mark.parametrize("date", ["2021", "2021-09", "2021-09-01", "2020-02-29"])
def test_real_dates_are_accepted(tmp_path: Path, date: str) -> None:
    publication, _ = load_publication(book(tmp_path, publication=f'date = "{date}"'))
    assert publication.meta.date == date


@pytest.mark.parametrize(("line", "what"), [(1, "headline"), (3, "byline"), (4, "masthead")])
def test_a_line_too_long_to_typeset_is_a_located_error(tmp_path: Path, line: int, what: str) -> None:
    lines = SEED_TEXT.split("\n")
    lines[line - 1] = lines[line - 1] + "質" * 100_000
    seed = tmp_path / "s.txt"
    seed.write_text("\n".join(lines), encoding="utf-8")
    failure = error(load_seed, seed)
    assert failure.location.line == line and f"the {what} is 100,0" in failure.message


@pytest.mark.parametrize("field", ["title", "title_en", "publisher"])
def test_a_metadata_title_too_long_to_typeset_is_a_located_error(tmp_path: Path, field: str) -> None:
    seed = book(tmp_path)
    meta = seed.with_suffix(".toml")
    text = meta.read_text(encoding="utf-8").replace('title = "測試特刊"', f'{field} = "{"長" * 100_000}"')
    meta.write_text(text, encoding="utf-8")
    failure = error(load_publication, seed)
    assert failure.location.line == 2 and f"`{field}` is 100,000 characters long" in failure.message


# --- spreadsheet formulas --------------------------------------------------------------------------


def test_the_csv_export_evaluates_no_formula_and_round_trips() -> None:
    real = load_glossary(GLOSSARY).terms[0]
    hostile = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "'=already", "''+two", "'plain"]
    terms = []
    for number, text in enumerate(hostile):
        fields = {f: text for f in ("en", "abbr", "definition_zh", "definition_en", "source", "usage_note", "pinyin")}
        terms.append(Term(**{**real.__dict__, "id": f"t{number}", "aliases": (text,), **fields}))
    glossary = Glossary(tuple(terms), GLOSSARY)
    exported = to_csv(glossary, to_hans=lambda s: s)
    import csv
    import io

    for row in list(csv.reader(io.StringIO(exported.removeprefix("\ufeff"))))[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell  # nothing a spreadsheet evaluates
    for row, text in zip(read_csv(exported), hostile, strict=True):
        assert {row[c] for c in ("en", "abbreviation", "definition_en", "source", "usage_note", "aliases_hant")} == {
            text
        }
    # A translator's spreadsheet saved back without the apostrophes reads the same.
    assert read_csv(exported.replace("'=HYPERLINK", "=HYPERLINK"))[0]["en"] == hostile[0]


# --- characters the PDF's fonts lack ---------------------------------------------------------------


@pytest.mark.pdf
def test_characters_the_pdf_fonts_lack_are_located_before_the_pdf_is_made(tmp_path: Path) -> None:
    from tekan.book import load_book
    from tekan.pdf import missing_glyphs

    lacking = {"😀": 5, "\ue000": 7, "\u200b": 9, "\ufe0f": 11, "\u200e": 13}  # emoji, private use, ZWSP, VS16, LRM
    body = list("質量是發展的生命線標準化工作很重要")
    for char, column in lacking.items():
        body.insert(column - 1, char)
    seed = book(tmp_path, SEED_TEXT.replace("質量是發展的生命線，標準化工作很重要。", "".join(body)))
    problems = missing_glyphs(load_book(seed, GLOSSARY, "hant"), ("Noto Serif CJK TC", "Noto Sans CJK TC"))
    found = {(p.location.line, p.message.split(":")[0]) for p in problems}
    assert found == {(2, f"paragraph, column {column}") for column in lacking.values()}, found
    assert all("the site and the EPUB show it in the reader's fonts" in p.message for p in problems)
    assert missing_glyphs(load_book(book(tmp_path), GLOSSARY, "hans"), ("Noto Serif CJK SC", "Noto Sans CJK SC")) == []


@pytest.mark.pdf
def test_a_pdf_build_with_missing_glyphs_stops_with_one_line_each(tmp_path: Path) -> None:
    seed = book(tmp_path, SEED_TEXT.replace("中國質量報", "中國質量報😀").replace("標準化", "標準化\ue000"))
    result = tekan("build", "pdf", "--script", "all", "--seed", str(seed), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0] for e in errors] == [f"{seed}:2", f"{seed}:4", str(seed)], errors
    assert "column 14: '\\ue000' U+E000" in errors[0] and "column 6: '😀' U+1F600 GRINNING FACE" in errors[1]
    assert errors[2].startswith(f"{seed}: error: 2 character(s) are missing from the PDF's fonts")
    assert not (tmp_path / "out" / "pdf").exists()  # no PDF was made


def test_a_byline_whose_name_is_in_extension_b_is_split_and_builds(tmp_path: Path) -> None:
    seed = book(tmp_path, SEED_TEXT.replace("韓永生", "𠮷永生"))
    meta = seed.with_suffix(".toml")
    meta.write_text(meta.read_text(encoding="utf-8").replace("韓永生", "𠮷永生"), encoding="utf-8")
    publication, _ = load_publication(seed)
    assert publication.statements[0].attribution.person == "𠮷永生"
    unsplit = "某研究所研究員𠮷三"  # no known position word: kept whole with a warning, and it still builds
    seed.write_text(SEED_TEXT.replace("安徽省市場監管局局長韓永生", unsplit), encoding="utf-8")
    meta.write_text(meta.read_text(encoding="utf-8").replace("安徽省市場監管局局長𠮷永生", unsplit), encoding="utf-8")
    result = tekan("build", "html", "--script", "hant", "--seed", str(seed), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "could not be split" in result.stderr and "kept whole" in result.stderr
    page = (tmp_path / "out" / "html" / "zh-hant" / "statements" / "han.html").read_text(encoding="utf-8")
    assert unsplit in page


@pytest.mark.pdf
def test_tekan_check_warns_about_characters_the_pdf_fonts_lack(tmp_path: Path) -> None:
    seed = book(tmp_path, SEED_TEXT.replace("標準化", "標準化😀"))
    result = tekan("check", str(seed))
    warnings = [line for line in result.stderr.splitlines() if "is not in the PDF's font" in line]
    assert [w.split(": warning: ")[0] for w in warnings] == [f"{seed}:2"], result.stderr
    assert "column 14: '😀' U+1F600 GRINNING FACE" in warnings[0]


@pytest.mark.pdf
def test_characters_the_fonts_lack_in_metadata_and_glossary_values_have_line_and_column(tmp_path: Path) -> None:
    """A value of a TOML file: the line of the field and the column in the file as typed (also for a TOML
    escape), not the value's column with no line."""
    from tekan.book import load_book
    from tekan.pdf import missing_glyphs

    seed = book(tmp_path, publication='title_en = "Test \\U0001F600 issue"\n')
    meta = seed.with_suffix(".toml")
    meta.write_text(meta.read_text(encoding="utf-8").replace('title = "測試特刊"', 'title = "測試😀特刊"'), "utf-8")
    meta.write_text(meta.read_text(encoding="utf-8").replace('zh = "部分"', 'zh = "部\ue000分"'), "utf-8")
    # Every entry printed (the book's text uses few of them): each one's values are set, so each is checked.
    meta.write_text(meta.read_text(encoding="utf-8") + "\n[glossary]\nall = true\n", "utf-8")
    glossary = tmp_path / "terms.toml"
    glossary.write_text(
        GLOSSARY.read_text(encoding="utf-8").replace('en = "metrology"', 'en = "metro\ue001logy"', 1), "utf-8"
    )
    lines = glossary.read_text(encoding="utf-8").split("\n")
    term_line = next(n for n, line in enumerate(lines, start=1) if "metro\ue001logy" in line)
    problems = missing_glyphs(load_book(seed, glossary, "hant"), ("Noto Serif CJK TC", "Noto Sans CJK TC"))
    found = sorted((str(p.location), p.message.split(": '")[0]) for p in problems)
    assert found == sorted(
        [
            (f"{meta}:2", "`title`, column 12"),
            (f"{meta}:3", "`title_en`, column 18"),  # the escape \U0001F600 as typed
            (f"{meta}:7", "sector `a`, column 8"),
            (f"{glossary}:{term_line}", "term `metrology`, column 12"),
        ]
    ), found


@pytest.mark.pdf
def test_in_a_collection_a_character_the_fonts_lack_is_located_in_its_own_seed(tmp_path: Path) -> None:
    from tekan.book import load_book
    from tekan.pdf import missing_glyphs

    root = tmp_path / "collection"
    shutil.copytree(ROOT / "tests" / "roots" / "test-collection", root)
    winter = root / "features" / "2022-winter.txt"
    winter.write_text(winter.read_text(encoding="utf-8").replace("服務高質量", "服務😀高質量"), encoding="utf-8")
    spring = root / "features" / "2020_Spring.toml"
    spring.write_text(spring.read_text(encoding="utf-8").replace('title = "', 'title = "\ue000', 1), encoding="utf-8")
    collection = root / "collection.toml"
    collection.write_text(collection.read_text(encoding="utf-8").replace("合集", "合\ue002集"), encoding="utf-8")
    problems = missing_glyphs(
        load_book(collection, root / "terms.toml", "hant"), ("Noto Serif CJK TC", "Noto Sans CJK TC")
    )
    found = sorted((str(p.location), p.message.split(": '")[0]) for p in problems)
    title_line = (
        spring.read_text(encoding="utf-8")
        .split("\n")
        .index(
            next(line for line in spring.read_text(encoding="utf-8").split("\n") if line.startswith('title = "\ue000'))
        )
        + 1
    )
    assert found == sorted(
        [
            (f"{winter}:2", "paragraph, column 14"),
            (f"{spring}:{title_line}", "`title`, column 10"),
            (f"{collection}:4", "`title`, column 16"),
        ]
    ), found
