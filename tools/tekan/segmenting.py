"""Chinese word segmentation for search: jieba, with its dictionary loaded only for the characters in use.

``jieba.Tokenizer()`` unmarshals a 500,000-entry prefix dictionary (about 0.5 s) before it cuts the first
sentence. Every lookup jieba makes while cutting a text is a substring of that text, so only the entries
that start with one of its characters can matter: :class:`LazyTokenizer` keeps the dictionary split by
first character in a cache file and loads a character's entries the first time a text contains it. The
words, frequencies and total are jieba's own, so the segmentation is exactly jieba's.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable, Iterable
from math import log
from pathlib import Path
from typing import Any, TypeGuard

from .files import atomic_write, read_private
from .memo import FileMemo


def _without_pkg_resources() -> None:
    """Import jieba as if setuptools' pkg_resources were absent: jieba only opens its own files with it (and falls
    back to ``open``), and importing it costs 0.13 s of every build — three times for both scripts."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # Python's way to make an import fail
    try:
        import jieba  # noqa: F401  # imported here, bound below
    finally:
        del sys.modules["pkg_resources"]


_without_pkg_resources()
import jieba  # noqa: E402  # after the function above

#: Bump when the layout of the cache file changes.
CACHE_FORMAT = 1
_FREQ_CODE = "q"


def cache_dir() -> Path:
    """Where the split dictionary is kept: ``$XDG_CACHE_HOME/tekan`` (``~/.cache/tekan``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tekan"


def _dictionary_key() -> str:
    # By content, not modification time: every installation of jieba (each virtual environment, each test
    # install) has its own file times, and a 9 MB cache file per installation piled up in the cache folder.
    dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    digest = hashlib.sha256(dictionary.read_bytes()).hexdigest()[:16]  # 5 MB: 10 ms
    return f"{CACHE_FORMAT}-{jieba.__version__}-{digest}"


def _split_dictionary() -> tuple[int, dict[str, tuple[str, bytes]]]:
    """jieba's full prefix dictionary, as first character → (entries joined by newlines, frequencies)."""
    full = jieba.Tokenizer()
    full.initialize()
    groups: dict[str, list[str]] = {}
    for word in full.FREQ:
        groups.setdefault(word[0], []).append(word)
    table = {
        char: ("\n".join(words), array(_FREQ_CODE, (full.FREQ[w] for w in words)).tobytes())
        for char, words in groups.items()
    }
    return int(full.total), table


def load_table(directory: Path | None = None) -> tuple[int, dict[str, tuple[str, bytes]]]:
    """The split dictionary from the cache, building (and caching) it the first time.

    The cache is read only if only we can have written it (:func:`tekan.files.read_private`: ours, not a link,
    in a folder no one else can write) and only if it has the shape this module writes; anything else is
    ignored and the dictionary split again.
    """
    directory = directory or cache_dir()
    path = directory / f"jieba-{_dictionary_key()}.marshal"
    data = read_private(path)
    if data is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            stored = marshal.loads(data)
            if _well_formed(stored):
                return stored
    total, table = _split_dictionary()
    with contextlib.suppress(OSError):  # a read-only home, a folder others can write: the next build splits again
        atomic_write(path, marshal.dumps((total, table)), mode=0o600, follow_link=False, private=True)
    return total, table


def _well_formed(stored: object) -> TypeGuard[tuple[int, dict[str, tuple[str, bytes]]]]:
    """Whether an unmarshalled cache is (total, {first character: (words joined by newlines, frequencies)}) with
    one frequency per word: what :meth:`LazyTokenizer.load_characters` unpacks."""
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], int) and stored[0] > 0):
        return False
    table = stored[1]
    if not isinstance(table, dict) or not table:
        return False
    size = array(_FREQ_CODE).itemsize
    for char, entry in table.items():
        if not (isinstance(char, str) and len(char) == 1 and isinstance(entry, tuple) and len(entry) == 2):
            return False
        words, frequencies = entry
        if not (isinstance(words, str) and isinstance(frequencies, bytes)):
            return False
        if len(frequencies) != size * (words.count("\n") + 1) or not words.startswith(char):
            return False
    return True


class LazyTokenizer(jieba.Tokenizer):  # type: ignore[misc]  # jieba has no type information
    """A jieba tokenizer whose dictionary entries are loaded per first character, on first use."""

    def __init__(self, total: int, table: dict[str, tuple[str, bytes]]) -> None:
        super().__init__()
        self._table = table
        self._loaded: set[str] = set()
        self.total = total
        self.initialized = True  # jieba's check_initialized() must not load the full dictionary

    def load_characters(self, chars: Iterable[str]) -> None:
        """Add the dictionary entries that start with any of ``chars``."""
        for char in set(chars) - self._loaded:
            self._loaded.add(char)
            packed = self._table.get(char)
            if packed is None:
                continue
            words, frequencies = packed
            freq = array(_FREQ_CODE)
            freq.frombytes(frequencies)
            # No entry of this character is present yet: add_word() loads a word's characters before adding it.
            self.FREQ.update(zip(words.split("\n"), freq, strict=True))

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # jieba's name
        # Every path through jieba's cutting looks words up in the DAG's sentence or its substrings.
        self.load_characters(sentence)
        dag: dict[int, list[int]] = super().get_DAG(sentence)
        return dag

    def block_cuts(self, block: str) -> list[int]:
        """Where jieba (without HMM) cuts one block (a run that ``jieba.re_han_default`` matches whole): the same
        dictionary route (``get_DAG`` then ``calc``, ties to the longer word) and the same joining of single Latin
        letters and digits as ``jieba.Tokenizer.__cut_DAG_NO_HMM``, without its generators and dictionaries."""
        self.load_characters(block)
        freq, size = self.FREQ, len(block)
        logtotal = log(self.total)
        scores = [0.0] * (size + 1)
        ends = [0] * size
        get = freq.get
        for start in range(size - 1, -1, -1):
            best_score, best_end = 0.0, -1
            end = start
            count = get(block[start])
            while count is not None:
                if count:
                    score = log(count) - logtotal + scores[end + 1]
                    # jieba takes the max of (score, end): on a tie the longer word, and ends only grow here.
                    if best_end < 0 or score >= best_score:
                        best_score, best_end = score, end
                end += 1
                if end >= size:
                    break
                count = get(block[start : end + 1])
            if best_end < 0:  # no dictionary word starts here: the character alone
                best_score, best_end = log(get(block[start]) or 1) - logtotal + scores[start + 1], start
            scores[start], ends[start] = best_score, best_end
        cuts: list[int] = []
        position, latin_run = 0, False
        while position < size:
            after = ends[position] + 1
            single_latin = after - position == 1 and _LATIN.match(block[position]) is not None
            if not (single_latin and latin_run):  # jieba joins consecutive single letters and digits into one word
                cuts.append(position)
            latin_run = single_latin
            position = after
        cuts.append(size)
        return cuts

    def add_word(self, word: str, freq: Any = None, tag: str | None = None) -> None:
        # The dictionary's own entries for the word's characters must be present first, as in jieba.
        self.load_characters(word)
        super().add_word(word, freq, tag)


def tokenizer(user_words: str | Path | None = None, directory: Path | None = None) -> LazyTokenizer:
    """A lazily loaded jieba tokenizer, with the words of ``user_words`` (jieba's user-dictionary format)."""
    jieba.setLogLevel(60)
    total, table = load_table(directory)
    result = LazyTokenizer(total, table)
    if user_words and Path(user_words).is_file():
        result.load_userdict(str(user_words))
    return result


#: What jieba joins when single (``jieba.re_eng``).
_LATIN = re.compile("[a-zA-Z0-9]")
#: jieba frequency of a glossary form in :func:`boundary_finder` (jieba's total is about 60 million): high enough
#: that a cut through a term wins whenever the rest of the sentence still falls into dictionary words
#: (产品|质量安全 rather than 产品质量|安全), but a term never splits a word apart (产品|质量, not 产|品质|量).
TERM_FREQUENCY = 1_000_000


def boundary_finder(
    words: Iterable[str],
    to_hans: Callable[[str], str] | None = None,
    memo: FileMemo[list[int]] | None = None,
    only_around: Iterable[str] = (),
) -> Callable[[str], set[int]]:
    """A function giving the word boundaries of a text by jieba, with ``words`` (Simplified) as dictionary words.

    ``to_hans`` converts a Traditional text first (jieba's dictionary is Simplified); the boundaries are those
    of the converted text, which has the same length (else the text is segmented as it is). With ``memo`` (whose
    key stands for the words), a text segmented by an earlier build is not segmented again, and the dictionary is
    loaded only for a text the memo lacks.

    With ``only_around`` (the strings whose boundaries the caller asks about: the linker's forms), jieba cuts only
    the blocks that contain one of them. jieba cuts a text block by block (runs of Han, Latin letters, digits and
    ``+#&._%-``) and each block on its own, so the boundaries within those blocks are exactly jieba's; within the
    other blocks only their edges are given (nothing is asked there). A block is cut when any occurrence of one of
    them (found at every position, overlapping ones too) covers part of it.
    """
    words = list(words)
    gate = sorted({form for form in only_around if form}, key=len, reverse=True)
    if gate:
        from .linking import _trie_pattern  # the linker's own trie of alternatives: one pass over the text

        gate_re: re.Pattern[str] | None = re.compile(f"(?=({_trie_pattern(gate)}))")
    else:
        gate_re = None
    cutters: list[LazyTokenizer] = []
    # jieba cuts each block on its own, by the block's characters alone: a block seen before in this run (a
    # clause a book repeats) is cut as it was then.
    block_cuts: dict[str, list[int]] = {}

    def cutter() -> LazyTokenizer:
        if not cutters:
            loaded = tokenizer()
            for word in dict.fromkeys(words):
                if word:
                    loaded.add_word(word, TERM_FREQUENCY)
            cutters.append(loaded)
        return cutters[0]

    def cut_block(block: str) -> list[int]:
        found = block_cuts.get(block)
        if found is None:
            found = block_cuts[block] = cutter().block_cuts(block)
        return found

    def segment(text: str) -> list[int]:
        simplified = to_hans(text) if to_hans is not None else text
        if len(simplified) != len(text):
            simplified = text
        if gate_re is None:
            cuts = {0, len(text)}
            # Without HMM an unknown run falls into single characters: every boundary there is open, as before.
            for _, start, end in cutter().tokenize(simplified, HMM=False):
                cuts.add(start)
                cuts.add(end)
            return sorted(cuts)
        asked = bytearray(len(text) + 1)
        for source in (text, simplified) if simplified is not text else (text,):
            for match in gate_re.finditer(source):
                start, end = match.span(1)
                asked[start:end] = b"\x01" * (end - start)
        found: list[int] = []  # in increasing order, each once
        position = 0
        for block in jieba.re_han_default.finditer(simplified):
            first, last = block.span()
            found.extend(range(position, first + 1))  # between blocks jieba cuts at every character
            if asked.find(1, first, last) >= 0:
                found.extend([first + cut for cut in cut_block(block.group())[1:-1]])  # 0 and the end: the edges
            position = last
        found.extend(range(position, len(text) + 1))
        return found

    def boundaries(text: str) -> set[int]:
        return set(segment(text) if memo is None else memo.get(text, segment))

    return boundaries
