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
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import pairwise
from math import inf, log, ulp
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from .files import atomic_write, read_private

if TYPE_CHECKING:
    from .scripts import CharacterTable


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

_T = TypeVar("_T", dict[str, str], tuple[int, dict[str, tuple[str, bytes]]])  # what the cache files hold

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
    return _cached(directory / f"jieba-{_dictionary_key()}.marshal", _well_formed, _split_dictionary)


def _cached(path: Path, well_formed: Callable[[object], TypeGuard[_T]], make: Callable[[], _T]) -> _T:
    """The value marshalled in the private cache file ``path`` if it is ``well_formed``, else made and cached (a
    read-only home or a folder others can write: not cached, the next run makes it again)."""
    data = read_private(path)
    if data is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            stored = marshal.loads(data)
            if well_formed(stored):
                return stored
    value = make()
    with contextlib.suppress(OSError):
        atomic_write(path, marshal.dumps(value), mode=0o600, follow_link=False, private=True)
    return value


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


def _followers(table: dict[str, tuple[str, bytes]]) -> dict[str, str]:
    """Each character of the dictionary's entries → the characters that follow it in one (a string)."""
    following: dict[str, set[str]] = {}
    for words, _ in table.values():
        for first, second in pairwise(words):
            if first != "\n" and second != "\n":
                following.setdefault(first, set()).add(second)
    return {char: "".join(sorted(chars)) for char, chars in following.items()}


def load_followers(directory: Path | None = None) -> dict[str, str]:
    """:func:`_followers` of the split dictionary, from its own cache file (read as :func:`load_table` reads its
    own), made and cached the first time: half a second, where the cached file loads in milliseconds."""
    directory = directory or cache_dir()
    path = directory / f"jieba-followers-{_dictionary_key()}.marshal"
    return _cached(path, _well_formed_followers, lambda: _followers(load_table(directory)[1]))


def _well_formed_followers(stored: object) -> TypeGuard[dict[str, str]]:
    """Whether an unmarshalled cache is {character: the characters that follow it}, as :func:`_followers` makes."""
    return (
        isinstance(stored, dict)
        and bool(stored)
        and all(isinstance(char, str) and len(char) == 1 and isinstance(chars, str) for char, chars in stored.items())
    )


class LazyTokenizer(jieba.Tokenizer):  # type: ignore[misc]  # jieba has no type information
    """A jieba tokenizer whose dictionary entries are loaded per first character, on first use."""

    def __init__(self, total: int, table: dict[str, tuple[str, bytes]], directory: Path | None = None) -> None:
        super().__init__()
        self._table = table
        self._directory = directory  # of the cache files
        self._loaded: set[str] = set()
        self.total = total
        self.initialized = True  # jieba's check_initialized() must not load the full dictionary
        self._followers: dict[str, str] | None = None  # see joinable()
        # The pairs of characters in the words added (add_word), and of Latin letters and digits.
        self._joined: set[str] = {first + second for first in _LATIN_CHARS for second in _LATIN_CHARS}
        # Each entry of FREQ → its word's log probability, jieba's ``log(count) - log(total)``; 0.0 for a prefix (count
        # 0): block_cuts takes no logarithm. Valid while ``total`` is ``_scored`` (add_word changes it).
        self._scores: dict[str, float] = {}
        self._scored: int | None = None
        # Each stretch's route (stretch_cut): its cuts, and the narrowest margin of its choices. A stretch is a
        # phrase more than a clause: a book's texts share many more of them than of their blocks.
        self._stretches: dict[str, tuple[frozenset[int], float]] = {}

    def load_characters(self, chars: Iterable[str]) -> None:
        """Add the dictionary entries that start with any of ``chars``."""
        if self._loaded.issuperset(chars):  # nearly every block once a book's first pages are cut: no set made
            return
        for char in set(chars) - self._loaded:
            self._loaded.add(char)
            packed = self._table.get(char)
            if packed is None:
                continue
            words, frequencies = packed
            freq = array(_FREQ_CODE)
            freq.frombytes(frequencies)
            # No entry of this character is present yet: add_word() loads a word's characters before adding it.
            entries = words.split("\n")
            self.FREQ.update(zip(entries, freq, strict=True))
            if self._scored == self.total:
                logtotal = log(self.total)
                scores = [log(count) - logtotal if count else 0.0 for count in freq]
                self._scores.update(zip(entries, scores, strict=True))

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # jieba's name
        # Every path through jieba's cutting looks words up in the DAG's sentence or its substrings.
        self.load_characters(sentence)
        dag: dict[int, list[int]] = super().get_DAG(sentence)
        return dag

    def block_cuts(self, block: str) -> list[int]:
        """Where jieba (without HMM) cuts one block (a run that ``jieba.re_han_default`` matches whole): the same
        dictionary route (``get_DAG`` then ``calc``, ties to the longer word) and the same joining of single Latin
        letters and digits as ``jieba.Tokenizer.__cut_DAG_NO_HMM``, without its generators and dictionaries."""
        return self._route(block)[0]

    def _route(self, block: str) -> tuple[list[int], float]:
        """:meth:`block_cuts`, and the narrowest margin by which the route's choice at any place beat the next best
        (infinite where a place had one choice)."""
        self.load_characters(block)
        if self._scored != self.total:  # the first route, or words added since the last
            logtotal = log(self.total)
            self._scores = {word: log(count) - logtotal if count else 0.0 for word, count in self.FREQ.items()}
            self._scored = self.total
        size = len(block)
        alone = log(1) - log(self.total)  # a character that is no word: jieba's ``log(FREQ.get(…) or 1) - logtotal``
        scores = [0.0] * (size + 1)
        ends = [0] * size
        get = self._scores.get
        margin = inf
        for start in range(size - 1, -1, -1):
            best_score, best_end, second = 0.0, -1, -inf
            end = start
            probability = get(block[start])
            while probability is not None:
                if probability:  # a word (a prefix's is 0.0)
                    score = probability + scores[end + 1]
                    # jieba takes the max of (score, end): on a tie the longer word, and ends only grow here.
                    if best_end < 0 or score >= best_score:
                        if best_end >= 0:
                            second = best_score
                        best_score, best_end = score, end
                    elif score > second:
                        second = score
                end += 1
                if end >= size:
                    break
                probability = get(block[start : end + 1])
            if best_end < 0:  # no dictionary word starts here: the character alone
                best_score, best_end = alone + scores[start + 1], start
            elif best_score - second < margin:
                margin = best_score - second
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
        return cuts, margin

    def stretch_cut(self, block: str, place: int) -> bool | None:
        """Whether jieba cuts ``block`` at ``place``, from the route through the stretch around it alone: from the
        last place before it to the first after it where two characters that are not :meth:`joinable` meet. No
        word spans those places, so every route passes them, and the route through the block chooses inside the
        stretch as the stretch's own route does: its scores are the stretch's plus the same number (the route's
        score from the stretch's end). Only rounding differs; so None (ask :meth:`block_cuts`) when a choice in the
        stretch won by a margin that rounding over the whole block could overturn. A stretch is routed once, and not
        at all while the places asked are spanned by no word (:meth:`_unspanned`): text that repeats few phrases
        routes few stretches."""
        followers = self._followers
        if followers is None:
            followers = self._followers = load_followers(self._directory)
        joined = self._joined
        size = len(block)
        # The stretch's ends: :meth:`joinable` inline (a book asks hundreds of thousands of places).
        start = place - 1
        while start > 0 and (
            block[start] in followers.get(block[start - 1], "") or block[start - 1 : start + 1] in joined
        ):
            start -= 1
        end = place + 1
        while end < size and (block[end] in followers.get(block[end - 1], "") or block[end - 1 : end + 1] in joined):
            end += 1
        if start == 0 and end == size:
            return None
        stretch = block[start:end]
        found = self._stretches.get(stretch)
        if found is None:
            self.load_characters(stretch)
            if self._unspanned(stretch, place - start):  # most places of a stretch not routed yet: no route needed
                return True
            route, margin = self._route(stretch)
            found = self._stretches[stretch] = frozenset(route), margin
        cuts, margin = found
        # A route's score is a sum of at most ``size`` logarithms, each between -log(total) and 0: every partial sum
        # lies within log(total) * (size + 1) of 0, and each addition rounds by at most half an ulp of that. Along a
        # chain of at most ``size`` additions, a choice's score in the block and in the stretch plus the block's
        # score at the stretch's end part by at most ``size`` ulps; two choices' margins, by twice that. 16 times is
        # asked.
        if margin <= 16 * size * ulp(log(self.total) * (size + 1)):
            return None
        return place - start in cuts

    def _unspanned(self, stretch: str, place: int) -> bool:
        """Whether no dictionary word spans ``place`` (0 < place < len(stretch)) of a stretch whose characters are
        loaded (:meth:`load_characters`), and no single Latin letters or digits stand on both sides (jieba may join
        them): every route through the stretch then passes the place, and jieba cuts there. A word from ``start``
        reaches past ``place`` only if ``get_DAG``'s walk from ``start``, which stops at the first string that is
        neither a word nor a prefix of one, finds ``stretch[start : place + 1]``; no word crosses the stretch's ends.
        """
        if stretch[place - 1] in _LATIN_SET and stretch[place] in _LATIN_SET:
            return False
        get, size = self.FREQ.get, len(stretch)
        for start in range(place - 1, -1, -1):
            end = place + 1
            count = get(stretch[start:end])
            while count is not None:
                if count:  # a word from start to end > place
                    return False
                if end >= size:
                    break
                end += 1
                count = get(stretch[start:end])
        return True

    def add_word(self, word: str, freq: Any = None, tag: str | None = None) -> None:
        # The dictionary's own entries for the word's characters must be present first, as in jieba.
        self.load_characters(word)
        super().add_word(word, freq, tag)
        self._scored = None  # FREQ and total changed
        self._stretches.clear()
        self._joined.update(map(str.__add__, word, word[1:]))

    def joinable(self, pair: str) -> bool:
        """Whether jieba's route may not cut between the two characters of ``pair``: they follow each other in an
        entry of the dictionary (loaded or not: :func:`load_followers`) or of a word added, or both are Latin
        letters or digits (jieba joins them when single). False: a cut there wherever they stand."""
        if self._followers is None:
            self._followers = load_followers(self._directory)
        return pair[1] in self._followers.get(pair[0], "") or pair in self._joined


def tokenizer(user_words: str | Path | None = None, directory: Path | None = None) -> LazyTokenizer:
    """A lazily loaded jieba tokenizer, with the words of ``user_words`` (jieba's user-dictionary format)."""
    jieba.setLogLevel(60)
    total, table = load_table(directory)
    result = LazyTokenizer(total, table, directory)
    if user_words and Path(user_words).is_file():
        result.load_userdict(str(user_words))
    return result


#: What jieba joins when single (``jieba.re_eng``).
_LATIN = re.compile("[a-zA-Z0-9]")
_LATIN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LATIN_SET = frozenset(_LATIN_CHARS)
#: jieba frequency of a glossary form in :func:`boundary_finder` (jieba's total is about 60 million): high enough
#: that a cut through a term wins whenever the rest of the sentence still falls into dictionary words
#: (产品|质量安全 rather than 产品质量|安全), but a term never splits a word apart (产品|质量, not 产|品质|量).
TERM_FREQUENCY = 1_000_000


#: Two characters of one block (``jieba.re_han_default``, "([…]+)"): a place between them is inside the block.
_INSIDE_BLOCK = re.compile(jieba.re_han_default.pattern.removeprefix("(").removesuffix("+)") + "{2}")


class Cuts:
    """jieba's word boundaries (without HMM) in one text, worked out block by block as they are asked for.

    jieba cuts a text block by block (runs of Han, Latin letters, digits and ``+#&._%-``: ``jieba.re_han_default``),
    each block by its own characters alone, and between blocks at every character. So a place is a boundary when
    it is not inside a block, or when no dictionary word holds its two characters side by side
    (:meth:`LazyTokenizer.joinable`: most places), or else when jieba's route through the block cuts there
    (:class:`Routes`: most often known from the stretch of the block around the place,
    :meth:`LazyTokenizer.stretch_cut`).

    A Traditional text is segmented in its Simplified form. Most texts convert character for character
    (:class:`tekan.scripts.CharacterTable`): such a text is not converted whole, only the two characters at a place
    asked about (their answer kept for the run: :attr:`Segmenter.pairs`) and the block a route is needed for.
    """

    __slots__ = ("_blocks", "_converted", "_segmented", "_segmenter", "_table", "_text")

    def __init__(self, text: str, segmenter: Segmenter) -> None:
        self._text = text  # the text as given; converted (``convert``) when a place inside it is asked for
        self._segmenter = segmenter
        self._segmented: str | None = None  # the text jieba cuts: converted, or as given when ``_table`` converts it
        self._table: list[int | str] | None = None  # converts ``_segmented`` character for character, if not None
        self._blocks: tuple[list[int], list[int]] | None = None  # its blocks' starts and ends
        self._converted: tuple[int, str] | None = None  # the start of the block last asked about, and its conversion

    def __contains__(self, place: object) -> bool:
        size = len(self._text)
        if not isinstance(place, int) or place <= 0 or place >= size:
            return place == 0 or place == size
        text = self._segmented
        if text is None:
            text = self._prepare()
        pair = text[place - 1 : place + 1]
        segmenter = self._segmenter
        # Between characters that never stand side by side in a word: outside a block, at its edge or inside it,
        # a boundary (no route can pass the place without a cut).
        joinable = (segmenter.pairs if self._table is None else segmenter.table_pairs).get(pair)
        if joinable is None:
            joinable = segmenter.joinable(pair, self._table)
        if not joinable:
            return True
        if self._blocks is None:
            spans = [block.span() for block in jieba.re_han_default.finditer(text)]
            self._blocks = [start for start, _ in spans], [end for _, end in spans]
        starts, ends = self._blocks
        block = bisect_right(starts, place) - 1  # the block that holds both characters
        start = starts[block]
        words = text[start : ends[block]]
        if self._table is not None:  # converted once per block asked about (two or three places: one word's ends)
            converted = self._converted
            if converted is None or converted[0] != start:
                converted = self._converted = start, words.translate(self._table)
            words = converted[1]
        return segmenter.routes.cut(words, place - start)

    def _prepare(self) -> str:
        text = self._text
        segmenter = self._segmenter
        if segmenter.convert is not None:
            characters = segmenter.characters
            if characters is not None and characters.applies(text):
                self._table = characters.table
            else:
                converted = segmenter.convert(text)
                if len(converted) == len(text):  # else the text is segmented as it is
                    text = converted
        self._segmented = text
        return text


def in_block(char: str) -> bool:
    """Whether jieba cuts ``char`` as part of a block (``jieba.re_han_default``), not alone."""
    return _BLOCK_CHARACTER.fullmatch(char) is not None


_BLOCK_CHARACTER = re.compile(jieba.re_han_default.pattern.removeprefix("(").removesuffix("+)"))


class Segmenter:
    """What the :class:`Cuts` of one :func:`boundary_finder` share: the blocks' routes, the conversion, and each pair
    of characters' answer to :meth:`LazyTokenizer.joinable` (a book's texts ask about the same pairs again and
    again)."""

    def __init__(self, routes: Routes, convert: Callable[[str], str] | None, characters: CharacterTable | None) -> None:
        self.routes = routes
        self.convert = convert
        self.characters = characters  # how ``convert`` converts most texts, character for character
        self.pairs: dict[str, bool] = {}  # a pair in the text jieba cuts → whether it is joinable inside a block
        self.table_pairs: dict[str, bool] = {}  # the same for a pair as given, to convert by ``characters``

    def joinable(self, pair: str, table: list[int | str] | None) -> bool:
        """Whether the two characters of ``pair`` (converted by ``table`` first) stand inside one block and may be
        inside one word (:meth:`LazyTokenizer.joinable`); remembered."""
        given = pair
        if table is not None:
            pair = pair.translate(table)
        answer = _INSIDE_BLOCK.fullmatch(pair) is not None and self.routes.tokenizer.joinable(pair)
        (self.pairs if table is None else self.table_pairs)[given] = answer
        return answer


class Routes:
    """jieba's cuts of the blocks asked about in one run, with ``words`` (Simplified) added to the dictionary. At a
    place a word may span, the route through the stretch around it decides (:meth:`LazyTokenizer.stretch_cut`,
    each distinct stretch routed once), or where that cannot, the block's own route (each distinct block routed at
    most once: a clause a book repeats is cut as it was)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = list(words)
        self._tokenizer: LazyTokenizer | None = None
        self._cuts: dict[str, frozenset[int]] = {}

    @property
    def tokenizer(self) -> LazyTokenizer:
        """The tokenizer, made (its dictionary loaded, the words added) on first use."""
        if self._tokenizer is None:
            loaded = tokenizer()
            for word in dict.fromkeys(self._words):
                if word:
                    loaded.add_word(word, TERM_FREQUENCY)
            self._tokenizer = loaded
        return self._tokenizer

    def cut(self, block: str, place: int) -> bool:
        """Whether jieba cuts ``block`` at ``place``, where the two characters are :meth:`LazyTokenizer.joinable`
        (:class:`Cuts` asks only there: anywhere else jieba cuts whatever the route)."""
        found = self._cuts.get(block)
        if found is not None:
            return place in found
        tokenizer = self._tokenizer
        if tokenizer is None:
            tokenizer = self.tokenizer
        answer = tokenizer.stretch_cut(block, place)
        if answer is None:
            found = self._cuts[block] = frozenset(tokenizer.block_cuts(block))
            answer = place in found
        return answer


def boundary_finder(
    words: Iterable[str], to_hans: Callable[[str], str] | None = None, characters: CharacterTable | None = None
) -> Callable[[str], Cuts]:
    """A function giving the word boundaries of a text by jieba, with ``words`` (Simplified) as dictionary words.

    ``to_hans`` converts a Traditional text first (jieba's dictionary is Simplified); the boundaries are those
    of the converted text, which has the same length (else the text is segmented as it is). ``characters``: how
    ``to_hans`` converts most texts character for character (:func:`tekan.scripts.hans_characters` of
    :func:`in_block`, for :func:`tekan.scripts.to_hans`). The boundaries are a :class:`Cuts`: worked out only at the
    places asked about, the dictionary loaded only for a text asked about.
    """
    segmenter = Segmenter(Routes(words), to_hans, characters)

    def boundaries(text: str) -> Cuts:
        return Cuts(text, segmenter)

    return boundaries
