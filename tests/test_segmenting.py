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


def test_block_cuts_are_jiebas_own() -> None:
    """``LazyTokenizer.block_cuts`` computes jieba's route itself: the same cuts as jieba's tokenize, for the
    seed's blocks (with the glossary's words added, as the linker adds them) and random mixtures of their
    characters with Latin letters and digits (which jieba joins when single)."""
    import random

    import jieba

    from tekan.glossary import glossary_forms, load_glossary
    from tekan.scripts import to_hans
    from tekan.segmenting import TERM_FREQUENCY, tokenizer

    from .conftest import GLOSSARY, SEED

    cutter = tokenizer()
    for form in glossary_forms(load_glossary(GLOSSARY), "hant"):
        cutter.add_word(to_hans(form), TERM_FREQUENCY)
    lines = [to_hans(line) for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    blocks = [block.group() for line in lines for block in jieba.re_han_default.finditer(line)]
    pool = "".join(blocks) + "abXY0189+#&._%-"
    rng = random.Random(24)
    blocks += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(3_000)]
    blocks = [block for block in blocks if jieba.re_han_default.fullmatch(block)]

    def jiebas(block: str) -> list[int]:
        return sorted({0, len(block)} | {c for _, s, e in cutter.tokenize(block, HMM=False) for c in (s, e)})

    assert [cutter.block_cuts(block) for block in blocks] == [jiebas(block) for block in blocks]


def test_boundaries_cut_only_around_the_forms_agree_where_the_forms_occur() -> None:
    """With ``only_around`` jieba cuts only the blocks a form touches: at every place a form starts or ends the
    answer is the one of cutting the whole text."""
    from tekan.glossary import glossary_forms, load_glossary
    from tekan.scripts import to_hans
    from tekan.segmenting import boundary_finder

    from .conftest import GLOSSARY, SEED

    forms = glossary_forms(load_glossary(GLOSSARY), "hant")
    simplified = [to_hans(form) for form in forms]
    whole = boundary_finder(simplified, to_hans)
    around = boundary_finder(simplified, to_hans, only_around=[*forms, *simplified])
    texts = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    asked = 0
    for text in texts:
        full, gated = whole(text), around(text)
        assert gated <= full | set(range(len(text) + 1))
        for form in forms:
            at = text.find(form)
            while at >= 0:
                asked += 1
                assert (at in full, at + len(form) in full) == (at in gated, at + len(form) in gated), (text, form)
                at = text.find(form, at + 1)
    assert asked > 100


def test_a_clause_met_again_in_a_run_is_not_cut_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A book repeats its clauses and its stock sentences: jieba cuts each clause once per run, with the same
    boundaries each time it is met, in a new paragraph as in the same one met again."""
    from tekan.segmenting import LazyTokenizer, boundary_finder

    cut: list[str] = []
    original = LazyTokenizer.block_cuts

    def counting(self: LazyTokenizer, block: str) -> list[int]:
        cut.append(block)
        return original(self, block)

    monkeypatch.setattr(LazyTokenizer, "block_cuts", counting)
    boundaries = boundary_finder(["质量"], only_around=["质量"])
    first = boundaries("提高产品质量，")
    assert boundaries("提高产品质量，") == first  # the same paragraph again
    assert boundaries("提高产品质量。") == first  # another paragraph, the same clause
    boundaries("要提高产品质量，")
    assert cut == ["提高产品质量", "要提高产品质量"]
