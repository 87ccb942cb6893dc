"""A new glossary field is one declaration in one place: this file declares ``iso_ref`` (the clause of a standard
that defines the concept), writes a glossary of unseen entries that use it, and builds a small book in the
Traditional, Simplified and English editions in every format through Tekan's own build steps. Nothing else in
Tekan names the field: the parser checks it, every edition's glossary shows it under its label, the PDF sets it
and the exports carry it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tekan.building import build_edition
from tekan.editions import EDITIONS
from tekan.errors import TekanError
from tekan.export import read_csv, to_csv, to_tbx
from tekan.glossary import load_glossary
from tekan.glossaryfields import FIELDS, GlossaryField, register, unregister
from tekan.runner import run_process
from tekan.target import FORMATS, Inputs, Site, Target

from . import pdfreader

pytestmark = pytest.mark.sphinx

#: The one place the field is declared.
ISO_REF = GlossaryField(
    "iso_ref",
    str,
    label="標準條目",  # shown as 标准条目 in the Simplified edition
    label_en="Standard clause",
    language="",  # a standard's number: no language
    pattern=r"(ISO|IEC|ISO/IEC|OIML) [A-Za-z0-9 :./-]+, [0-9.]+",
    help="the clause of an international standard that defines the concept",
)

GLOSSARY = """\
[[term]]
id = "energy-meter"
hant = "電能表"
hans = "电能表"
pinyin = "diànnéngbiǎo"
en = "electricity meter"
category = "metrology"
definition_zh = "測量電能的儀表，家庭用電據以計費。"
definition_en = "An instrument that measures electrical energy, the basis of a household's electricity bill."
source = "IEC terminology"
iso_ref = "IEC 62052-11:2020, 3.1.1"

[[term]]
id = "verification"
hant = "檢定"
hans = "检定"
pinyin = "jiǎndìng"
en = "verification"
category = "metrology"
definition_zh = "查明和確認測量儀器符合法定要求的活動。"
definition_en = "Provision of objective evidence that a measuring instrument fulfils specified legal requirements."
source = "International Vocabulary of Metrology"
iso_ref = "ISO/IEC Guide 99:2007, 2.44"

[[term]]
id = "household"
hant = "千家萬戶"
hans = "千家万户"
pinyin = "qiānjiā wànhù"
en = "every household"
category = "policy"
definition_zh = "泛指眾多家庭。"
definition_en = "Households in general."
source = "Descriptive translation"
"""

SEED = """\
電能表檢定守護千家萬戶
每一塊電能表都要按期檢定,家庭用電計費才準確。
檢定人員走進千家萬戶,為居民講解電能表的讀數。
——某市計量科學研究院院長周明遠
"""

METADATA = """\
[publication]
title = "測試報·電能計量特刊"
title_en = "Test News: Electricity Metering"
publisher = "測試報社"
publisher_en = "Test News"
date = "2024-06"
identifier = "urn:example:test-news:2024-energy"

[[sector]]
id = "institution"
zh = "技術機構"
en = "Technical institutions"

[[statement]]
byline = "某市計量科學研究院院長周明遠"
slug = "zhou-mingyuan"
sector = "institution"
headline_en = "Meter verification guards every household"
person_pinyin = "Zhou Mingyuan"
position_en = "President"
organisation_en = "A Municipal Institute of Metrology"
"""

NAME = "test-news-2024-energy"


@pytest.fixture(scope="module")
def iso_ref() -> Iterator[GlossaryField]:
    """The field, declared for this module only."""
    register(ISO_REF)
    try:
        yield ISO_REF
    finally:
        unregister(ISO_REF.key)


def in_process(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    """Sphinx in this process (so it sees the declaration above); Typst as Tekan runs it."""
    if list(command[1:3]) == ["-m", "sphinx"]:
        from sphinx.cmd.build import build_main

        return build_main(list(command[3:]))
    return run_process(command, cwd, quiet)


@pytest.fixture(scope="module")
def book(iso_ref: GlossaryField, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("field")
    (folder / "feature.txt").write_text(SEED, encoding="utf-8")
    (folder / "feature.toml").write_text(METADATA, encoding="utf-8")
    (folder / "terms.toml").write_text(GLOSSARY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def published(book: Path) -> dict[str, Path]:
    """The book in the Traditional, Simplified and English editions, every format."""
    inputs = Inputs(book / "feature.txt", book / "terms.toml")
    out = book / "out"
    formats = list(FORMATS.values())
    keys = ("hant", "hans", "en")
    site = Site(keys, tuple((key, tuple(f.key for f in formats if f.download)) for key in keys))
    paths = {}
    for key in keys:
        for fmt in formats:
            target = Target(EDITIONS[key], inputs, fmt, site=site, name=NAME, report_gaps=False)
            paths[f"{key}-{fmt.key}"] = build_edition(target, out, runner=in_process)
    return paths


def _entry(html: str, term_id: str) -> str:
    """The text of one glossary entry (its head and its definition), as a reader sees it."""
    page = BeautifulSoup(html, "html.parser")
    head = page.find(id=f"term-{term_id}")
    assert head is not None, term_id
    return head.get_text() + head.find_next_sibling("dd").get_text()


@pytest.mark.parametrize(
    ("key", "label"), [("hant", "標準條目："), ("hans", "标准条目："), ("en", "Standard clause: ")]
)
def test_each_edition_shows_the_field_under_its_label(published: dict[str, Path], key: str, label: str) -> None:
    html = (published[f"{key}-html"] / "glossary.html").read_text(encoding="utf-8")
    assert label + "IEC 62052-11:2020, 3.1.1" in _entry(html, "energy-meter")
    assert label + "ISO/IEC Guide 99:2007, 2.44" in _entry(html, "verification")
    assert label.rstrip("： ") not in _entry(html, "household"), "an entry without the field shows no label"


def test_the_epub_glossary_shows_the_field(published: dict[str, Path]) -> None:
    with zipfile.ZipFile(published["hant-epub"]) as epub:
        page = epub.read("glossary.xhtml").decode("utf-8")
    assert "標準條目：IEC 62052-11:2020, 3.1.1" in _entry(page, "energy-meter")


@pytest.mark.pdf
@pytest.mark.parametrize(("key", "label"), [("hant", "標準條目："), ("en", "Standardclause:")])
def test_the_pdf_sets_the_field(published: dict[str, Path], key: str, label: str) -> None:
    text = pdfreader.squeeze(pdfreader.text(published[f"{key}-pdf"]))
    assert label + "ISO/IECGuide99:2007,2.44" in text
    assert label + "IEC62052-11:2020,3.1.1" in text


def test_the_site_exports_carry_the_field(published: dict[str, Path]) -> None:
    static = published["hant-html"] / "_static"
    rows = {row["id"]: row for row in read_csv((static / "tekan-glossary.csv").read_text(encoding="utf-8"))}
    assert rows["verification"]["iso_ref"] == "ISO/IEC Guide 99:2007, 2.44"
    assert rows["household"]["iso_ref"] == ""
    tbx = (static / "tekan-glossary.tbx").read_text(encoding="utf-8")
    assert "<note>Standard clause: IEC 62052-11:2020, 3.1.1</note>" in tbx


def test_an_undeclared_field_is_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(FIELDS, ISO_REF.key, raising=False)  # the module's declaration, when it is in force
    glossary = tmp_path / "terms.toml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    with pytest.raises(TekanError, match="unknown field 'iso_ref'"):
        load_glossary(glossary)


@pytest.mark.parametrize(
    ("value", "message"),
    [("17025", r"field 'iso_ref' must be a str"), ('"clause 3.1"', r"field 'iso_ref': 'clause 3.1' does not match")],
)
def test_a_wrong_value_is_located(iso_ref: GlossaryField, tmp_path: Path, value: str, message: str) -> None:
    glossary = tmp_path / "terms.toml"
    glossary.write_text(GLOSSARY.replace('"ISO/IEC Guide 99:2007, 2.44"', value), encoding="utf-8")
    with pytest.raises(TekanError, match=message) as caught:
        load_glossary(glossary)
    entry_line = GLOSSARY.split("\n").index('id = "verification"')  # the entry's [[term]] line, 1-based
    assert str(caught.value.location) == f"{glossary}:{entry_line}"


def test_the_exports_follow_the_declaration(iso_ref: GlossaryField, tmp_path: Path) -> None:
    glossary = tmp_path / "terms.toml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    loaded = load_glossary(glossary)
    assert loaded.by_id["energy-meter"].value("iso_ref") == "IEC 62052-11:2020, 3.1.1"
    assert read_csv(to_csv(loaded, str))[0]["iso_ref"] == "IEC 62052-11:2020, 3.1.1"
    assert re.search(r"<note>Standard clause: ISO/IEC Guide 99:2007, 2\.44</note>", to_tbx(loaded, "", str).decode())


@pytest.mark.pdf
def test_a_character_the_pdf_fonts_lack_in_a_declared_field_is_located(iso_ref: GlossaryField, book: Path) -> None:
    """The usage note is one of Tekan's own declared fields: the PDF's glyph check reads it from its declaration."""
    from tekan.book import load_book
    from tekan.pdf import missing_glyphs

    note = 'usage_note = "A set phrase\ue000."'
    text = GLOSSARY.replace('source = "Descriptive translation"\n', f'source = "Descriptive translation"\n{note}\n')
    glossary = book / "private-use.toml"
    glossary.write_text(text, encoding="utf-8")
    problems = missing_glyphs(load_book(book / "feature.txt", glossary, "hant"), ("Noto Serif CJK TC",))
    line, column = text.split("\n").index(note) + 1, note.index("\ue000") + 1
    found = [(p.location.line, p.message.split(":")[0]) for p in problems]
    assert found == [(line, f"term `household`, column {column}")]
