"""The `Edition` record: every fixed word of an edition is written in that edition's script."""

from __future__ import annotations

import re
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


#: A Han character: no word of a translated edition may hold one (its Chinese is quoted in tagged elements).
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def edition_words(current: Edition) -> list[tuple[str, str]]:
    """Every fixed word the edition prints or tells assistive technology, with its dotted name."""
    parts = {
        "pages": current.pages,
        "audit": current.audit,
        "glossary": current.glossary,
        "site": current.site,
        "print": current.print,
        "access": current.access,
        # The parallel pages are a Chinese edition's, the translated pages the translated edition's.
        **({"translated_pages": current.translated_pages} if current.translated else {"parallel": current.parallel}),
    }
    found = [(f"{part}.{name}", text) for part, record in parts.items() for name, text in words(record)]
    found += [(f"access.theme[{english}]", translated) for english, translated in current.access.theme]
    found += [(f"print.months[{n}]", month) for n, month in enumerate(current.print.months)]
    return found


@pytest.mark.parametrize("key", EDITIONS)
def test_fixed_words_are_in_the_editions_script(key: str) -> None:
    current = EDITIONS[key]
    # "other_script" names the other script in that script's form; a few words talk about characters.
    checked = [
        (name, text)
        for name, text in edition_words(current)
        if not name.endswith("other_script") and (key, name.rpartition(".")[2]) not in NAMES_CHARACTERS
    ]
    if current.translated:  # English through and through: a Chinese word left in would pass any conversion
        wrong = [(name, text) for name, text in checked if HAN.search(text)]
        assert len([text for _, text in checked if text.strip()]) > 60
    else:
        convert = to_hans if current.script == "hans" else to_hant
        wrong = [(name, text, convert(text)) for name, text in checked if convert(text) != text]
        assert len([text for _, text in checked if HAN.search(text)]) > 60
    assert wrong == []


@pytest.mark.parametrize("key", [key for key, e in EDITIONS.items() if not e.translated])
def test_a_chinese_edition_translates_every_theme_label(key: str) -> None:
    """Its screen-reader words replace each of furo's English labels, none left English or empty."""
    access = EDITIONS[key].access
    assert len(access.theme) >= 10
    for english, translated in access.theme:
        assert HAN.search(translated) and english not in translated, (english, translated)
    for name in ("toggle_section", "site_navigation", "on_this_page", "not_found", "not_found_text", "bodymatter"):
        assert HAN.search(getattr(access, name)), name


def test_the_english_words_check_can_fail() -> None:
    from dataclasses import replace

    english = EDITIONS["en"]
    broken = replace(english, access=replace(english.access, on_this_page="本頁內容"))
    assert [name for name, text in edition_words(broken) if HAN.search(text)] == ["access.on_this_page"]


def test_editions_are_one_entry_each() -> None:
    assert all(isinstance(e, Edition) for e in EDITIONS.values())
    tags, languages = {e.tag for e in EDITIONS.values()}, {e.sphinx_language for e in EDITIONS.values()}
    assert len(tags) == len(languages) == len(EDITIONS)
    assert edition_for_language("zh_CN") is EDITIONS["hans"] and edition_for_language("fr") is None
    with pytest.raises(ValueError, match="unknown edition 'xx': choose from hant, hans"):
        edition("xx")
    assert EDITIONS["hans"].headword("計量", "计量") == "计量" and EDITIONS["hant"].folder == "zh-hant"
