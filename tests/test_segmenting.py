"""The lazily loaded jieba tokenizer cuts exactly as jieba does with its whole dictionary."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from tekan import segmenting
from tekan.scripts import to_hans

from .conftest import SEED

USER_WORDS = "質量基礎設施 100000 n\n质量基础设施 100000 n\n計量 100000 n\n认证认可 100000 n\n"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    seed = SEED.read_text(encoding="utf-8")
    return [seed, to_hans(seed), "English words, 2021 and 中英 mixed: ISO 9001質量管理體系"]


def _jieba(user_words: Path | None) -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if user_words:
        tokenizer.load_userdict(str(user_words))
    return tokenizer


@pytest.mark.parametrize("with_user_words", [False, True])
def test_same_words_as_jieba(tmp_path: Path, texts: list[str], with_user_words: bool) -> None:
    user_words = None
    if with_user_words:
        user_words = tmp_path / "words.txt"
        user_words.write_text(USER_WORDS, encoding="utf-8")
    expected = _jieba(user_words)
    lazy = segmenting.tokenizer(user_words, directory=tmp_path / "cache")
    for text in texts:
        for mode in ("default", "search"):
            assert list(lazy.tokenize(text, mode=mode)) == list(expected.tokenize(text, mode=mode))
        assert lazy.lcut_for_search(text) == expected.lcut_for_search(text)
    assert lazy.total == expected.total
    # Only the entries of the characters the texts contain were loaded.
    assert 0 < len(lazy.FREQ) < len(expected.FREQ)


def test_user_word_wins_over_dictionary(tmp_path: Path) -> None:
    user_words = tmp_path / "words.txt"
    user_words.write_text("质量 7 n\n", encoding="utf-8")  # 质量 is in jieba's dictionary with another frequency
    lazy = segmenting.tokenizer(user_words, directory=tmp_path / "cache")
    lazy.lcut("质量工作")
    assert lazy.FREQ["质量"] == 7


def test_dictionary_is_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    total, table = segmenting.load_table(cache)
    files = list(cache.glob("jieba-*.marshal"))
    assert len(files) == 1
    assert segmenting.load_table(cache) == (total, table)
    files[0].write_bytes(b"not marshal data")  # a damaged cache is rebuilt, not fatal
    assert segmenting.load_table(cache) == (total, table)
