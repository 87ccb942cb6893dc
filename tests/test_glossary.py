"""The glossary file: schema checks with file and line, order and coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.errors import TekanError
from tekan.glossary import glossary_problems, load_glossary, pinyin_sort_key
from tekan.metadata import load_publication

from .conftest import GLOSSARY, SEED

ENTRY = """
[[term]]
id = "{id}"
hant = "{hant}"
hans = "计量"
pinyin = "jìliàng"
en = "metrology"
category = "metrology"
definition_zh = "定義。"
definition_en = "Definition."
source = "VIM"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_glossary_is_valid_and_names_the_users_terms() -> None:
    glossary = load_glossary(GLOSSARY)
    heads = {t.hant for t in glossary.terms}
    assert {"國家質量基礎設施", "計量", "認證認可", "卡脖子"} <= heads
    assert glossary.by_id["nqi"].abbr == "NQI"


def test_every_term_occurs_in_the_seed() -> None:
    publication, _ = load_publication(SEED)
    unused = [p for p in glossary_problems(load_glossary(GLOSSARY), [publication]) if p.kind == "unused_term"]
    assert unused == []


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (ENTRY.format(id="a", hant="計量") + ENTRY.format(id="a", hant="測量"), 13, "duplicate id"),
        (ENTRY.format(id="a", hant="計量") + ENTRY.format(id="b", hant="計量"), 13, "already the headword"),
        (ENTRY.format(id="A b", hant="計量"), 2, "lowercase ASCII"),
        (ENTRY.format(id="a", hant="計量").replace('source = "VIM"\n', ""), 2, "missing field 'source'"),
        (ENTRY.format(id="a", hant="計量").replace('en = "metrology"', "en = 3"), 2, "must be a str"),
        (ENTRY.format(id="a", hant="計量") + 'see_also = ["nope"]\n', 2, "unknown id 'nope'"),
        (ENTRY.format(id="a", hant="計量") + "colour = 1\n", 2, "unknown field 'colour'"),
        ("[[term]]\nid = \n", 2, "TOML syntax error"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TekanError) as info:
        load_glossary(path)
    assert info.value.location == type(info.value.location)(path, line)
    assert words in info.value.message


def test_pinyin_order_is_by_letters_then_tones() -> None:
    from dataclasses import replace

    base = load_glossary(GLOSSARY).terms[0]
    readings = ["zhìliàng", "jìliàng", "Biāozhǔnhuà", "ānquán", "jīliàng", "jiliang"]
    terms = [replace(base, pinyin=p, hant=str(i)) for i, p in enumerate(readings)]
    ordered = [t.pinyin for t in sorted(terms, key=pinyin_sort_key)]
    assert ordered == ["ānquán", "Biāozhǔnhuà", "jīliàng", "jìliàng", "jiliang", "zhìliàng"]
