"""The search index cut into shards, so that a query fetches a few small files, not the whole index (no Sphinx here).

Sphinx writes one ``searchindex.js`` (every word of every page: 5.5 MB at 1,600 statements) that the search page
loads whole, then fetches every result page to cut its excerpt. Here the same words are spread over *shards* by a
hash of the word (FNV-1a over its code points, computed alike in ``tekan-search.js``), so a query loads one shard
per word it looks up; the number of shards grows with the index, so a shard stays about
:data:`SHARD_BYTES` whatever the book's size. Each page's title and text (for the excerpt) is one small file of
its own, fetched only when the page is shown.

* **Words.** Han words are kept as character pairs only (the query splitter turns every Han query into pairs or a
  glossary term's key), folded character by character to Simplified, as the browser folds a query: one entry
  serves both scripts. Latin words (English, pinyin, term keys) are kept as Sphinx stemmed them.
* **Postings.** A word's pages as gaps between sorted page numbers, or, when that is longer, as a bitmap of all
  pages in base64 (a word on most pages of 16,000 costs 2.7 KB, not 30 KB).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

#: The size a shard aims at (before compression): a query of four words loads about four of these.
SHARD_BYTES = 12_000
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


def decode_postings(encoded: list[int] | str) -> list[int]:
    """The page numbers of :func:`encode_postings` (the browser's decoder does the same)."""
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


def shard_index(
    terms: Mapping[str, Iterable[int]],
    titleterms: Mapping[str, Iterable[int]],
    total: int,
    shard_bytes: int = SHARD_BYTES,
) -> ShardedIndex:
    """Spread the words of already folded ``terms`` (word → pages whose text has it) and ``titleterms`` (whose
    title has it) over shards of about ``shard_bytes``; ``total`` is the number of pages."""
    entries: dict[str, list[list[int] | str | int]] = {}
    for slot, mapping in ((0, terms), (1, titleterms)):
        for word, pages in mapping.items():
            listed = list(pages)
            if listed:
                entries.setdefault(word, [0, 0])[slot] = encode_postings(listed, total)
    size = sum(len(word) * 3 + len(json.dumps(value, separators=(",", ":"))) + 4 for word, value in entries.items())
    count = shard_count(size, shard_bytes)
    grouped: dict[int, dict[str, list[list[int] | str | int]]] = {n: {} for n in range(count)}
    for word in sorted(entries):
        grouped[shard_of(word, count)][word] = entries[word]
    return ShardedIndex(
        {n: json.dumps(words, ensure_ascii=False, separators=(",", ":")) for n, words in grouped.items()}
    )


def shard_count(size: int, shard_bytes: int = SHARD_BYTES) -> int:
    """The number of shards of an index of ``size`` bytes (as :func:`shard_index` counts them): a power of two."""
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
