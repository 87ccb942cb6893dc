"""The lazily loaded jieba tokenizer cuts exactly as jieba does with its whole dictionary."""

from __future__ import annotations

from itertools import pairwise
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


# --- word boundaries for the linker, worked out only where asked -----------------------------------------------


@pytest.fixture(scope="module")
def linker_words() -> tuple[list[str], list[str]]:
    """The glossary's forms with the real seed's protected names (Traditional), and their Simplified forms: the
    words the statements' linker adds to jieba's dictionary."""
    from tekan.glossary import glossary_forms, load_glossary, protected_names
    from tekan.metadata import load_publication

    from .conftest import GLOSSARY

    publication, _ = load_publication(SEED)
    forms = glossary_forms(load_glossary(GLOSSARY), "hant")
    words = [*forms, *(name for name in protected_names(publication, "hant") if name not in forms)]
    return words, [to_hans(word) for word in words]


def varied_texts() -> list[str]:
    """The seed's lines; each with every clause marked as the benchmark marks each copy (甲乙 after each comma and
    full stop); random runs of the seed's characters with Latin letters, digits, jieba's block characters and
    punctuation; and clauses of the seed shuffled together."""
    import random

    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    marked = [line.replace(",", ",甲乙").replace("。", "。丙丁").replace("、", "、戊己") for line in lines]
    rng = random.Random(2024)
    pool = "".join(lines) + "abcXYZ0123456789+#&._%-  ，。「」" * 20
    mixed = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 80))) for _ in range(400)]
    clauses = [clause for line in lines for clause in line.replace("。", ",").split(",") if clause]
    shuffled = ["，".join(rng.sample(clauses, 4)) for _ in range(200)]
    return [*lines, *marked, *mixed, *shuffled]


def _jieba_cuts(cutter: jieba.Tokenizer, text: str) -> set[int]:
    """Every word boundary of ``text`` as jieba cuts the whole of it (without HMM): the reference. A Traditional
    text is cut in its Simplified form (jieba's dictionary is Simplified) where that converts character for
    character, as Tekan segments it."""
    converted = to_hans(text)
    text = converted if len(converted) == len(text) else text
    return {0, len(text)} | {place for _, start, end in cutter.tokenize(text, HMM=False) for place in (start, end)}


@pytest.mark.parametrize("script", ["hant", "hant-by-character", "hans"])
def test_cuts_asked_place_by_place_are_jiebas_cuts_of_the_whole_text(
    linker_words: tuple[list[str], list[str]], script: str
) -> None:
    """:class:`segmenting.Cuts` answers at every place of a text as jieba's segmentation of the whole text does
    (jieba's own tokenizer, its whole dictionary, the same words added), though it cuts only blocks asked about
    and only where a dictionary word may span the place; a Traditional text converted whole, or (as the linker
    does) character by character where the conversion allows, only at the places and blocks asked about."""
    from tekan.scripts import hans_characters
    from tekan.segmenting import TERM_FREQUENCY, boundary_finder, in_block

    simplified = linker_words[1]
    reference = _jieba(None)
    for word in dict.fromkeys(simplified):
        reference.add_word(word, TERM_FREQUENCY)
    characters = hans_characters(in_block) if script == "hant-by-character" else None
    boundaries = boundary_finder(simplified, to_hans if script.startswith("hant") else None, characters)
    texts = varied_texts()
    if script == "hans":
        texts = [to_hans(text) for text in texts]
    checked = 0
    for text in texts:
        expected = _jieba_cuts(reference, text)
        cuts = boundaries(text)
        assert [place for place in range(-1, len(text) + 2) if place in cuts] == sorted(expected), text
        checked += len(text)
    assert checked > 30_000


def test_a_place_no_word_spans_is_a_cut_without_a_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no dictionary word holds the two characters on either side of a place, jieba cuts there whatever the
    route: the block is not routed. Where one may (品質 in 產品質量), the route decides, once per block in a run
    (a clause a book repeats is routed once)."""
    from tekan.segmenting import LazyTokenizer, boundary_finder

    routed: list[str] = []
    original = LazyTokenizer.block_cuts

    def counting(self: LazyTokenizer, block: str) -> list[int]:
        routed.append(block)
        return original(self, block)

    monkeypatch.setattr(LazyTokenizer, "block_cuts", counting)
    boundaries = boundary_finder(["质量"], to_hans)
    text = "推進質量工作"  # 推进|质量|工作: 进质 and 量工 are in no word
    assert (2 in boundaries(text), 4 in boundaries(text)) == (True, True)
    assert routed == []
    assert 4 in boundaries("提高產品質量，")  # 提高|产品|质量, though 品质 is a word
    assert 4 in boundaries("提高產品質量。")  # another paragraph, the same clause
    assert 3 not in boundaries("提高產品質量。")
    assert routed == ["提高产品质量"]


def test_a_place_a_word_may_span_is_cut_by_the_route_of_its_stretch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a word may span a place, the route through the stretch around it decides (from the nearest place before
    it to the nearest after it where no word can span): the stretch is routed, not the block, and the cuts are
    jieba's over the whole text. A stretch whose route chose between two equal scores (甲乙|丙 or 甲|乙丙, each word
    added alike) cannot tell how rounding over the whole block breaks the tie: the block's route decides."""
    from tekan.segmenting import TERM_FREQUENCY, LazyTokenizer, boundary_finder

    routed: list[str] = []
    original = LazyTokenizer._route

    def counting(self: LazyTokenizer, block: str) -> tuple[list[int], float]:
        routed.append(block)
        return original(self, block)

    monkeypatch.setattr(LazyTokenizer, "_route", counting)
    for words, text, block, tied in (
        (["质量"], "我們要不斷提高產品質量，", "我们要不断提高产品质量", None),
        (["甲乙", "丙", "甲", "乙丙"], "推進甲乙丙工作", "推进甲乙丙工作", "甲乙丙"),
    ):
        reference = _jieba(None)
        for word in words:
            reference.add_word(word, TERM_FREQUENCY)
        routed.clear()
        cuts = boundary_finder(words, to_hans)(text)
        assert [place for place in range(len(text) + 1) if place in cuts] == sorted(_jieba_cuts(reference, text))
        stretches = [stretch for stretch in routed if stretch != block]
        assert stretches and all(stretch in block for stretch in stretches)
        if tied is None:
            assert block not in routed
        else:  # the tied stretch routed, then the block
            assert tied in stretches and routed[-1] == block


def test_the_route_of_a_stretch_cuts_as_the_route_of_its_block(linker_words: tuple[list[str], list[str]]) -> None:
    """``LazyTokenizer.stretch_cut`` answers at every place inside the varied texts' blocks as the block's own route
    (``block_cuts``) does, or refers the place to it (a stretch that is the whole block, or a near tie): rarely."""
    from tekan.segmenting import TERM_FREQUENCY, tokenizer

    cutter = tokenizer()
    for word in linker_words[1]:
        cutter.add_word(word, TERM_FREQUENCY)
    blocks = {block.group() for text in varied_texts() for block in jieba.re_han_default.finditer(to_hans(text))}
    answered = referred = 0
    for block in blocks:
        route = cutter.block_cuts(block)
        for place in range(1, len(block)):
            answer = cutter.stretch_cut(block, place)
            if answer is None:
                referred += 1
            else:
                answered += 1
                assert answer == (place in route), (block, place)
    assert answered > 10 * referred > 0


def test_no_word_spans_a_place_that_unspanned_accepts(linker_words: tuple[list[str], list[str]]) -> None:
    """``LazyTokenizer._unspanned`` says yes only where no edge of jieba's own route graph (``get_DAG``) crosses the
    place and the place is not between two single Latin letters or digits, over the varied texts' blocks (a block,
    like a stretch, is a run no word crosses)."""
    from tekan.segmenting import _LATIN, TERM_FREQUENCY, tokenizer

    cutter = tokenizer()
    for word in linker_words[1]:
        cutter.add_word(word, TERM_FREQUENCY)
    blocks = {block.group() for text in varied_texts() for block in jieba.re_han_default.finditer(to_hans(text))}
    accepted = refused = 0
    for block in blocks:
        cutter.load_characters(block)
        dag = cutter.get_DAG(block)
        for place in range(1, len(block)):
            crossed = any(start < place <= end for start, ends in dag.items() for end in ends if start < place)
            latin = bool(_LATIN.match(block[place - 1]) and _LATIN.match(block[place]))
            if cutter._unspanned(block, place):
                accepted += 1
                assert not crossed and not latin, (block, place)
            else:
                refused += 1
                assert crossed or latin, (block, place)
    assert accepted > refused > 0


def test_the_followers_are_those_of_the_whole_dictionary(tmp_path: Path) -> None:
    """The pairs of characters that stand side by side in some entry: from the dictionary's own entries, kept in
    a cache file of their own, made again when it is damaged."""
    from tekan.segmenting import load_followers

    full = _jieba(None)
    expected: dict[str, set[str]] = {}
    for word in full.FREQ:
        for first, second in pairwise(word):
            expected.setdefault(first, set()).add(second)
    cache = tmp_path / "cache"
    followers = load_followers(cache)
    assert {char: set(chars) for char, chars in followers.items()} == expected
    (path,) = cache.glob("jieba-followers-*.marshal")
    path.write_bytes(b"damaged")
    assert load_followers(cache) == followers
