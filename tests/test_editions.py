"""The `Edition` record: every fixed word of an edition is written in that edition's script."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import pytest

from tekan.editions import EDITIONS, Edition, edition, edition_for_language
from tekan.scripts import to_hans, to_hant


def words(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every string field of a (nested) words record, with its dotted name."""
    found: list[tuple[str, str]] = []
    for field in fields(value):
        item = getattr(value, field.name)
        if is_dataclass(item):
            found += words(item, f"{prefix}{field.name}.")
        elif isinstance(item, str):
            found.append((f"{prefix}{field.name}", item))
    return found


#: Words that name characters of both forms on purpose (the audit intro explains 佔/佈 against 占/布).
NAMES_CHARACTERS = {("hant", "intro")}


@pytest.mark.parametrize("key", EDITIONS)
def test_fixed_words_are_in_the_editions_script(key: str) -> None:
    current = EDITIONS[key]
    # "other_script" names the other script in that script's form; a few words talk about characters.
    checked = [
        (name, text)
        for part in (current.pages, current.audit, current.glossary, current.site, current.print)
        for name, text in words(part)
        if name != "other_script" and (key, name) not in NAMES_CHARACTERS
    ]
    convert = to_hans if current.script == "hans" else to_hant
    wrong = [(name, text, convert(text)) for name, text in checked if convert(text) != text]
    assert wrong == []
    assert len(checked) > 40


def test_editions_are_one_entry_each() -> None:
    assert all(isinstance(e, Edition) for e in EDITIONS.values())
    tags, languages = {e.tag for e in EDITIONS.values()}, {e.sphinx_language for e in EDITIONS.values()}
    assert len(tags) == len(languages) == len(EDITIONS)
    assert edition_for_language("zh_CN") is EDITIONS["hans"] and edition_for_language("fr") is None
    with pytest.raises(ValueError, match="unknown edition 'xx': choose from hant, hans"):
        edition("xx")
    assert EDITIONS["hans"].headword("計量", "计量") == "计量" and EDITIONS["hant"].folder == "zh-hant"
