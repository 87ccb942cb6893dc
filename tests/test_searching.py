"""The extra index words of the search (pure core): pairs, pinyin, glossary term keys and English words."""

from __future__ import annotations

import pytest

from tekan.glossary import load_glossary
from tekan.searching import TermFinder, bigrams, fold_latin, han_index_words, latin_words, term_key, word_pinyin
from tekan.sphinxext.search import chars_to_hans, index_words

from .conftest import GLOSSARY


def test_bigrams_and_folding() -> None:
    assert bigrams("皖美品牌") == ["皖美", "美品", "品牌"]
    assert bigrams("皖") == []
    assert fold_latin("Jì Liàng") == "ji liang"
    assert latin_words("Assessment of Quality-Work (local)") == ["assessment", "quality", "work", "local"]
    assert word_pinyin("安徽") == "anhui"
    assert word_pinyin("QI") == ""


def test_terms_are_found_in_any_form_and_overlapping() -> None:
    glossary = load_glossary(GLOSSARY)
    finder = TermFinder.build(glossary, chars_to_hans)
    # 計量到測量 is a term, and it holds 計量 and 測量: a reader searching either must find it.
    assert finder.terms_in("準確把握計量到測量的路徑") == ["metrology-to-measurement", "metrology", "measurement"]
    # An alias, in Simplified, finds the headword's term; the key is the headword's toneless pinyin.
    assert finder.terms_in("加快构建现代先进计量测试体系") == ["modern-advanced-measurement-system", "metrology"]
    term = glossary.by_id["modern-advanced-measurement-system"]
    assert term_key(term) == "xiandaixianjinceliangtixi"
    assert finder.keys["國家現代先進測量體系"] == finder.keys["现代先进测量体系"] == "xiandaixianjinceliangtixi"
    words = finder.index_words("計量")
    assert words[0] == "jiliang" and "metrology" in words


def test_index_words_of_a_text() -> None:
    from tekan.segmenting import tokenizer

    glossary = load_glossary(GLOSSARY)
    finder = TermFinder.build(glossary, chars_to_hans)
    words = index_words("讓安徽質量、皖美品牌持續賦能", tokenizer(), finder)
    for expected in ("皖美", "美品", "anhui", "wanmeipinpai", "wanmei", "empowering", "质量"):
        assert expected in words, expected
    assert han_index_words(["質量"], ["質量"]) == ["質量", "zhiliang"]


def test_a_words_pinyin_is_remembered_for_later_builds(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The pinyin of the words a build indexed is kept in the user's cache folder: a later build (of any book) that
    meets the same words indexes them the same without computing (or importing pypinyin for) any of them."""
    from tekan.sphinxext import search

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = "讓安徽質量、皖美品牌持續賦能"
    first = search.SearchTekan({"glossary": str(GLOSSARY)})
    words = first.split(text)
    assert "anhui" in words and "wanmei" in words
    first.pinyin.save()
    assert (tmp_path / "tekan" / search.PINYIN_MEMO_FILE).is_file()

    def no_pinyin(word: str) -> str:
        raise AssertionError(f"computed the pinyin of {word!r} again")

    monkeypatch.setattr(search, "word_pinyin", no_pinyin)
    assert search.SearchTekan({"glossary": str(GLOSSARY)}).split(text) == words
    with pytest.raises(AssertionError, match="again"):
        search.SearchTekan({"glossary": str(GLOSSARY)}).split("另一段從未見過的文字：計量測試")


def test_characters_convert_one_by_one_as_the_table_says() -> None:
    """``chars_to_hans`` (a ``str.translate`` of OpenCC's character table) gives, for every character of the table
    and text around them, what converting each character through the table gives."""
    from tekan.searching import char_table, chars_to_hans

    table = char_table()
    text = "".join(table) + "計量检测 abc「質量」123"
    assert chars_to_hans(text) == "".join(table.get(c, c) for c in text)
    assert chars_to_hans("") == "" and chars_to_hans("質量強國") == "质量强国"
