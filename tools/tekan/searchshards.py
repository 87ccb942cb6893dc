"""The search index cut into shards, so that a query fetches a few small files, not the whole index (no Sphinx here).

Sphinx writes one ``searchindex.js`` (every word of every page: 5.5 MB at 1,600 statements) that the search page
loads whole, then fetches every result page to cut its excerpt. Here the same words are spread over *shards* by a
hash of the word (FNV-1a over its code points, computed alike in ``tekan-search.js``), so a query loads one shard
per word it looks up; the number of shards grows with the index, so a shard stays about the same size whatever
the book's size. Each page's title and text (for the excerpt) is one small file of its own, fetched only when the
page is shown.

* **Words.** Han words are kept as character pairs only (the query splitter turns every Han query into pairs or a
  glossary term's key), folded character by character to Simplified, as the browser folds a query: one entry
  serves both scripts. Latin words (English, pinyin, term keys) are kept as Sphinx stemmed them.
* **Postings.** A word's pages as gaps between sorted page numbers, or, when that is longer, as a bitmap of all
  pages in base64 (a word on most pages of 16,000 costs 2.7 KB, not 30 KB).
* **Head and tail.** A word's pages in the order a one-word query shows them (:func:`ranked`) are cut after the
  first :data:`HEAD_RESULTS`: those, with the number of all, are the word's *head* in a head shard (what the first
  screen of results needs, a few bytes whatever the size of the book); the rest is its *tail* in a tail shard,
  fetched when the reader asks for more results or a query of several words must intersect whole lists. A word
  on every page of 16,000 costs its first screen the same as a word on ten.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

#: The pages a word's head holds: the first screen of results (``PAGE_SIZE`` in ``tekan-search.js``).
HEAD_RESULTS = 10
#: The size a head shard aims at: a one-word query loads one (a power of two of them: 0.5–1 of this on average).
HEAD_BYTES = 750
#: The size a tail shard aims at: loaded for "more results" and for queries of several words.
TAIL_BYTES = 4_000
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9_]+")


def fnv1a(word: str) -> int:
    """FNV-1a (32 bits) over the word's code points; ``tekan-search.js`` computes the same."""
    value = 0x811C9DC5
    for char in word:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def shard_of(word: str, shards: int) -> int:
    """The shard that holds ``word``."""
    return fnv1a(word) % shards


def fold_word(word: str, to_hans: Callable[[str], str]) -> str | None:
    """The form a word is kept under, or None when no query can ask for it (a Han word that is not a pair)."""
    if _HAN.search(word):
        return to_hans(word).lower() if len(word) == 2 else None
    return word.lower() if _LATIN_WORD.fullmatch(word.lower()) else None


def encode_postings(pages: Iterable[int], total: int) -> list[int] | str:
    """Sorted page numbers as gaps (``[3, 1, 4]`` = pages 3, 4, 8) or as a base64 bitmap, whichever is shorter."""
    ordered = sorted(set(pages))
    gaps = [page - previous for previous, page in zip([0, *ordered], ordered, strict=False)]
    as_gaps = json.dumps(gaps, separators=(",", ":"))
    bitmap_bytes = (total + 7) // 8
    if len(as_gaps) <= bitmap_bytes * 4 // 3 + 4:
        return gaps
    bits = bytearray(bitmap_bytes)
    for page in ordered:
        bits[page >> 3] |= 1 << (page & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


def decode_postings(encoded: list[int] | str | int) -> list[int]:
    """The page numbers of :func:`encode_postings` (the browser's decoder does the same); 0 stands for none."""
    if isinstance(encoded, int):
        return []
    if isinstance(encoded, str):
        bits = base64.b64decode(encoded)
        return [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte >> b & 1]
    pages, page = [], 0
    for gap in encoded:
        page += gap
        pages.append(page)
    return pages


@dataclass(frozen=True)
class ShardedIndex:
    """The index as files: shard number → its JSON text."""

    shards: dict[int, str]  # shard number → {word: [text postings, title postings]} (0 for none)

    @property
    def count(self) -> int:
        return len(self.shards)


Entry = list[list[int] | str | int]  # [text postings, title postings] (0 for none), + the count in a head with a tail


def entry_size(word: str, value: Entry) -> int:
    """A shard entry's share of the index's size, as the shard count is reckoned (Han characters as 3 bytes)."""
    return _encoded_size(word, _dumps(value))


def _encoded_size(word: str, encoded: str) -> int:
    """:func:`entry_size` of an entry already encoded as JSON."""
    return len(word) * 3 + len(encoded) + 4


def ranked(text: Iterable[int], title: Iterable[int]) -> list[int]:
    """A word's pages in the order a query of that word alone shows them: the pages whose title has it, then the
    others, each by number (pages are numbered by kind: statements and other pages, then the reference pages, then
    the listings, so that this is the order of ``tekan-search.js``'s scores)."""
    titled = set(title)
    return sorted(titled) + sorted(set(text) - titled)


def split_entry(
    text: Iterable[int], title: Iterable[int], total: int, head: int | None = None
) -> tuple[Entry, Entry | None]:
    """A word's head (its first ``head`` pages of :func:`ranked`, by default :data:`HEAD_RESULTS`, and the number of
    all when more) and its tail (the rest, or None)."""
    head = HEAD_RESULTS if head is None else head
    text, title = set(text), set(title)
    order = ranked(text, title)
    first = set(order[:head])
    rest = set(order[head:])

    def slots(pages: set[int]) -> list[list[int] | str | int]:
        return [encode_postings(text & pages, total) if text & pages else 0,
                encode_postings(title & pages, total) if title & pages else 0]  # fmt: skip

    if not rest:
        return slots(first), None
    return [*slots(first), len(order)], slots(rest)


def join_entry(head: Entry, tail: Entry | None) -> tuple[set[int], set[int]]:
    """A word's text and title pages from its head and tail (:func:`split_entry`)."""
    text, title = set(decode_postings(head[0])), set(decode_postings(head[1]))
    if tail is not None:
        text.update(decode_postings(tail[0]))
        title.update(decode_postings(tail[1]))
    return text, title


def write_shards(entries: Mapping[str, Entry], count: int) -> dict[int, str]:
    """Each of ``count`` shards' JSON text, its words sorted."""
    return _join_shards({word: _dumps(value) for word, value in entries.items()}, count)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _join_shards(entries: Mapping[str, str], count: int) -> dict[int, str]:
    """Each of ``count`` shards' JSON text from its entries' JSON texts (``{"word":entry,…}`` as :func:`json.dumps`
    writes the shard's dict), its words sorted."""
    grouped: dict[int, list[str]] = {n: [] for n in range(count)}
    for word in sorted(entries):
        grouped[shard_of(word, count)].append(f"{_dumps(word)}:{entries[word]}")
    return {n: "{" + ",".join(words) + "}" for n, words in grouped.items()}


@dataclass(frozen=True)
class SearchIndex:
    """The index as two sets of shards: each word's head (enough for the first screen) and its tail."""

    heads: ShardedIndex
    tails: ShardedIndex
    head_size: int  # the sums of :func:`entry_size`, from which the counts were reckoned
    tail_size: int


def search_index(
    terms: Mapping[str, Iterable[int]],
    titleterms: Mapping[str, Iterable[int]],
    total: int,
    head_bytes: int = HEAD_BYTES,
    tail_bytes: int = TAIL_BYTES,
    *,
    release: bool = False,
) -> SearchIndex:
    """The heads and tails of already folded ``terms`` (word → pages whose text has it) and ``titleterms`` (whose
    title has it); ``total`` is the number of pages. Each word's entries are kept as their JSON text, not as lists
    (a site of 16,000 statements has tens of millions of postings); with ``release`` (``terms`` and ``titleterms``
    dicts) each word's pages are dropped from them once encoded, so both forms are never whole at once."""
    heads: dict[str, str] = {}
    tails: dict[str, str] = {}
    head_size = tail_size = 0
    for word in set(terms) | set(titleterms):
        text, title = set(terms.get(word, ())), set(titleterms.get(word, ()))
        if release:
            cast(dict[str, Any], terms).pop(word, None)
            cast(dict[str, Any], titleterms).pop(word, None)
        if not text and not title:
            continue
        head, tail = split_entry(text, title, total)
        heads[word] = _dumps(head)
        head_size += _encoded_size(word, heads[word])
        if tail is not None:
            tails[word] = _dumps(tail)
            tail_size += _encoded_size(word, tails[word])
    return SearchIndex(
        ShardedIndex(_join_shards(heads, shard_count(head_size, head_bytes))),
        ShardedIndex(_join_shards(tails, shard_count(tail_size, tail_bytes))),
        head_size,
        tail_size,
    )


def shard_count(size: int, shard_bytes: int) -> int:
    """The number of shards of entries of ``size`` bytes (:func:`entry_size`) at about ``shard_bytes`` each: a
    power of two."""
    count = 1
    while size / count > shard_bytes:
        count *= 2
    return count


def fold_mapping(
    mapping: Mapping[str, int | list[int]], to_hans: Callable[[str], str], keep: Callable[[int], int | None]
) -> dict[str, set[int]]:
    """Sphinx's ``terms`` (word → page or pages) folded (:func:`fold_word`), each page passed through ``keep``
    (which maps a page to the one it stands for, or None to leave it out)."""
    folded: dict[str, set[int]] = {}
    for word, pages in mapping.items():
        form = fold_word(word, to_hans)
        if form is None:
            continue
        for page in [pages] if isinstance(pages, int) else pages:
            kept = keep(page)
            if kept is not None:
                folded.setdefault(form, set()).add(kept)
    return folded
