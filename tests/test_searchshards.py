"""The search index as shards (tekan.searchshards): words folded, spread by hash, postings that round-trip, each
word's first screen of results in its head and the rest in its tail."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tekan.book import load_book
from tekan.searching import chars_to_hans
from tekan.searchshards import (
    HEAD_RESULTS,
    decode_postings,
    encode_postings,
    fnv1a,
    fold_mapping,
    fold_word,
    join_entry,
    ranked,
    search_index,
    shard_of,
    split_entry,
)

from .conftest import GLOSSARY, SEED


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
    index = search_index(terms, {"w1": [7]}, 1_600, head_bytes=3_000, tail_bytes=6_000)
    for shards in (index.heads, index.tails):
        assert shards.count & (shards.count - 1) == 0 and shards.count >= 16
    assert max(len(text.encode()) for text in index.heads.shards.values()) < 3 * 3_000
    assert max(len(text.encode()) for text in index.tails.shards.values()) < 3 * 6_000
    for word, pages in list(terms.items())[:500]:
        head = json.loads(index.heads.shards[shard_of(word, index.heads.count)])[word]
        tail = json.loads(index.tails.shards[shard_of(word, index.tails.count)]).get(word) if len(head) > 2 else None
        assert join_entry(head, tail)[0] == set(pages)
    head = json.loads(index.heads.shards[shard_of("w1", index.heads.count)])["w1"]
    assert 7 in decode_postings(head[1])  # a title page is among the first results


def test_a_words_head_is_its_first_screen_of_results_and_its_tail_the_rest() -> None:
    rng = random.Random(24)
    for total in (40, 1_600, 16_000):
        for share in (0.001, 0.1, 0.9):
            text = set(rng.sample(range(total), max(1, int(total * share))))
            title = set(rng.sample(sorted(text), max(1, len(text) // 20))) | {total - 1}
            head, tail = split_entry(text, title, total)
            order = ranked(text, title)
            first = sorted(set(decode_postings(head[0])) | set(decode_postings(head[1])))
            assert first == sorted(order[:HEAD_RESULTS])  # the pages the first screen shows, and only those
            assert ranked(*join_entry(head, None)) == order[:HEAD_RESULTS]
            assert join_entry(head, tail) == (text, title)  # head and tail together: every page, each once
            if len(order) > HEAD_RESULTS:
                assert head[2] == len(order) and tail is not None  # the number of results, before the tail
                rest = set(decode_postings(tail[0])) | set(decode_postings(tail[1]))
                assert not rest & set(first)
            else:
                assert len(head) == 2 and tail is None


def test_a_words_head_costs_the_same_on_16_pages_as_on_16000() -> None:
    """The first screen of a one-word query needs the word's head only: a word on every page of 16,000 costs it
    no more than a word on ten (its whole postings, 2.7 KB, are in its tail)."""
    common = set(range(0, 16_000))
    head, tail = split_entry(common, {5, 9_000}, 16_000)
    assert len(json.dumps(head, separators=(",", ":"))) < 80
    assert tail is not None and len(json.dumps(tail)) > 2_000
    assert ranked(*join_entry(head, None))[:2] == [5, 9_000]  # the titles first, then the text by number
    ten, none = split_entry(join_entry(head, None)[0], {5, 9_000}, 16_000)  # a word on those ten pages only
    assert none is None and len(json.dumps(head)) <= len(json.dumps(ten)) + len(", 16000")  # and the count


def test_shards_are_the_json_of_their_entries_and_released_terms_give_the_same_files() -> None:
    rng = random.Random(16_000)
    terms = {f"w{i}": sorted(rng.sample(range(400), rng.randint(1, 60))) for i in range(2_000)}
    terms |= {"计量": [1, 2, 3], "質量": list(range(0, 400, 3))}
    titles = {"w1": [7], "计量": [2], "標準": [9]}
    kept = search_index(terms, titles, 400, head_bytes=500, tail_bytes=1_000)
    for shards in (kept.heads, kept.tails):  # each shard is json.dumps of its entries, words sorted
        for text in shards.shards.values():
            entries = json.loads(text)
            assert list(entries) == sorted(entries)
            assert text == json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    released_terms, released_titles = {w: list(p) for w, p in terms.items()}, {w: list(p) for w, p in titles.items()}
    released = search_index(released_terms, released_titles, 400, head_bytes=500, tail_bytes=1_000, release=True)
    assert released == kept
    assert not released_terms and not released_titles  # each word's pages dropped once encoded


@pytest.mark.parametrize(("edition", "script"), [("zh-hant", "hant"), ("zh-hans", "hans")])
def test_a_pages_text_keeps_apart_what_the_page_sets_apart(book_out: Path, edition: str, script: str) -> None:
    """Excerpts are cut from each page's text (``_search/pages/``): a listing's headline and, on the next line, its
    speaker, and a byline's position and name (a quarter-em apart on the page) are apart in it too, not run together
    as 「…質量提升韓永生」 or 「黨組書記、局長韓永生」."""
    records = [
        json.loads(f.read_text(encoding="utf-8"))
        for f in (book_out / "html" / edition / "_search" / "pages").glob("*.json")
    ]
    text = {record["n"]: record["x"] for record in records}
    statements = load_book(SEED, GLOSSARY, script).publication.statements
    assert len(statements) == 16
    for statement in statements:
        who = statement.attribution
        assert f"{statement.headline}{who.person}" not in text["index"], statement.headline
        assert f"{statement.headline} {who.person}" in text["index"], statement.headline
        assert f"{who.position} {who.person}" in text[f"statements/{statement.meta.slug}"], who.raw
