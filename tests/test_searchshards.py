"""The search index as shards (tekan.searchshards): words folded, spread by hash, postings that round-trip."""

from __future__ import annotations

import json
import random

from tekan.searching import chars_to_hans
from tekan.searchshards import decode_postings, encode_postings, fnv1a, fold_mapping, fold_word, shard_index, shard_of


def test_fnv1a_is_the_published_function() -> None:
    # FNV-1a 32-bit test vectors (the browser computes the same over code points).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_postings_round_trip_as_gaps_or_bitmap() -> None:
    rng = random.Random(24)
    for total in (1, 16, 1_600, 16_000):
        for share in (0.001, 0.05, 0.5, 1.0):
            pages = sorted(rng.sample(range(total), max(1, int(total * share))))
            encoded = encode_postings(pages, total)
            assert decode_postings(encoded) == pages
    dense = encode_postings(range(0, 16_000, 2), 16_000)
    assert isinstance(dense, str) and len(dense) < 3_000  # half of 16,000 pages in 2.7 KB
    assert encode_postings([3, 4, 8], 16_000) == [3, 1, 4]


def test_words_are_folded_to_what_a_query_asks_for() -> None:
    assert fold_word("計量", chars_to_hans) == fold_word("计量", chars_to_hans) == "计量"
    assert fold_word("計量標準", chars_to_hans) is None  # queries ask for pairs and term keys only
    assert fold_word("Jiliang", chars_to_hans) == "jiliang"
    folded = fold_mapping({"計量": [1, 3], "计量": 2, "計": 5}, chars_to_hans, lambda page: None if page == 3 else page)
    assert folded == {"计量": {1, 2}}


def test_shards_hold_every_word_where_the_browser_looks_and_stay_small() -> None:
    rng = random.Random(1)
    terms = {f"w{i}": rng.sample(range(1_600), rng.randint(1, 40)) for i in range(20_000)}
    index = shard_index(terms, {"w1": [7]}, 1_600, shard_bytes=12_000)
    assert index.count & (index.count - 1) == 0 and index.count >= 16
    sizes = [len(text.encode()) for text in index.shards.values()]
    assert max(sizes) < 3 * 12_000
    for word, pages in list(terms.items())[:500]:
        entry = json.loads(index.shards[shard_of(word, index.count)])[word]
        assert decode_postings(entry[0]) == sorted(set(pages))
    assert decode_postings(json.loads(index.shards[shard_of("w1", index.count)])["w1"][1]) == [7]
