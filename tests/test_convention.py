"""A second paper's layout is one record: this file defines a column layout (``文／NAME（ORGANISATION POSITION）``
after each statement, its own sector rule), registers it, and a book chooses it in its metadata file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tekan.convention import CONVENTIONS, PRESS, SeedConvention, register
from tekan.errors import TekanError
from tekan.metadata import load_publication


def column_sector(organisation: str, position: str) -> tuple[str, str]:
    """This paper files every speaker of a 局 under the regulators, everyone else under the institutions."""
    if organisation.endswith("局"):
        return "regulator", "the organisation is a 局"
    return "institution", "this paper's columns are written by institutions"


COLUMN = SeedConvention(
    name="column",
    byline=re.compile(r"^\s*文\s*[／/]\s*(?P<text>.+?)\s*$"),
    read_byline=PRESS.read_byline,  # the name-first form with the post in brackets is one Tekan reads
    explain_sector=column_sector,
    sectors=PRESS.sectors,
    masthead_facts=PRESS.masthead_facts,
)

SEED = """\
讓計量守護民生
計量是工業的眼睛。我們為一萬多家企業提供校準服務。
文／周文華（浙江省計量科學研究院院長）
以標準引領製造
標準化是國家質量基礎設施的重要組成部分。
文／陳立新（浙江省市場監督管理局局長）
《浙江標準報》2024年10月14日
"""


@pytest.fixture
def column() -> Iterator[SeedConvention]:
    register(COLUMN)
    try:
        yield COLUMN
    finally:
        CONVENTIONS.pop(COLUMN.name, None)


def _book(folder: Path, convention: str | None) -> Path:
    seed = folder / "column.txt"
    seed.write_text(SEED, encoding="utf-8")
    chosen = f'convention = "{convention}"\n' if convention else ""
    (folder / "column.toml").write_text(chosen + '[publication]\ntitle = "浙江標準報·專欄"\n', encoding="utf-8")
    return seed


def test_a_book_chooses_its_papers_convention(column: SeedConvention, tmp_path: Path) -> None:
    publication, _ = load_publication(_book(tmp_path, "column"))
    bylines = [
        (st.attribution.organisation, st.attribution.position, st.attribution.person, st.meta.sector)
        for st in publication.statements
    ]
    assert bylines == [
        ("浙江省計量科學研究院", "院長", "周文華", "institution"),
        ("浙江省市場監督管理局", "局長", "陳立新", "regulator"),
    ]
    assert publication.masthead == "《浙江標準報》2024年10月14日"
    assert publication.meta.date == "2024-10-14", "the masthead's facts, read by the convention's reader"


def test_without_it_the_press_convention_finds_no_byline(column: SeedConvention, tmp_path: Path) -> None:
    with pytest.raises(TekanError, match="no byline found"):
        load_publication(_book(tmp_path, None))


def test_an_unknown_convention_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(TekanError, match="unknown seed convention 'colum': choose from press"):
        load_publication(_book(tmp_path, "colum"))
