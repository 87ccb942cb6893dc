"""The memo that keeps segmentations from build to build: remembered under its key only, pruned, never trusted
when damaged; and the linker's occurrences through it equal those found afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.linking import Linker
from tekan.memo import JOURNAL_FROM, FileMemo, PartitionedMemo, code_digest, keyed_file
from tekan.scripts import to_hans
from tekan.segmenting import boundary_finder


class Counter:
    """A computation that counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> list[str]:
        self.calls.append(text)
        return [text[::-1]]


def test_a_value_is_computed_once_and_remembered_by_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "memo.pickle"
    compute = Counter()
    first: FileMemo[list[str]] = FileMemo(path, "key-1")
    assert first.get("質量", compute) == ["量質"] and first.get("質量", compute) == ["量質"]
    first.save()
    again: FileMemo[list[str]] = FileMemo(path, "key-1")
    assert again.get("質量", compute) == ["量質"]
    assert compute.calls == ["質量"]


def test_another_key_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "memo.pickle"
    compute = Counter()
    memo: FileMemo[list[str]] = FileMemo(path, "dictionary A")
    memo.get("計量", compute)
    memo.save()
    FileMemo(path, "dictionary B").get("計量", compute)
    assert compute.calls == ["計量", "計量"]


def test_entries_unused_for_keep_builds_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "memo.pickle"
    compute = Counter()
    memo: FileMemo[list[str]] = FileMemo(path, "k", keep=2)
    memo.get("old", compute)
    memo.save()
    for _ in range(2):  # two builds that use only "new"
        memo = FileMemo(path, "k", keep=2)
        memo.get("new", compute)
        memo.save()
    memo = FileMemo(path, "k", keep=2)
    assert "old" not in memo.entries and "new" in memo.entries


def test_a_damaged_memo_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "memo.pickle"
    path.write_bytes(b"\x80\x05 not a pickle")
    compute = Counter()
    assert FileMemo(path, "k").get("標準", compute) == ["準標"]
    assert compute.calls == ["標準"]


def test_a_memo_others_could_have_written_is_not_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "memo.pickle"
    memo: FileMemo[list[str]] = FileMemo(path, "k")
    memo.get("計量", Counter())
    memo.save()
    assert path.stat().st_mode & 0o777 == 0o600
    assert "計量" in FileMemo(path, "k").entries
    path.chmod(0o666)  # a shared cache folder: anyone could have planted this pickle
    assert FileMemo(path, "k").entries == {}


def test_an_unwritable_cache_never_fails_a_build(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be\n", encoding="utf-8")
    compute = Counter()
    memo: FileMemo[list[str]] = FileMemo(blocker / "tekan" / "memo.pickle", "k")
    assert memo.get("標準", compute) == ["準標"]
    memo.save()  # cannot make the folder: no error, nothing written
    assert blocker.read_text(encoding="utf-8").startswith("a file")
    assert list(tmp_path.iterdir()) == [blocker]


def test_the_code_digest_follows_the_inputs() -> None:
    assert code_digest(["memo.py"], "a") == code_digest(["memo.py"], "a")
    assert code_digest(["memo.py"], "a") != code_digest(["memo.py"], "b")
    assert code_digest(["memo.py"], "a") != code_digest(["linking.py"], "a")


def test_occurrences_through_the_memo_equal_fresh_ones_and_skip_segmenting(tmp_path: Path) -> None:
    words = ["计量", "国家质量基础设施", "检验检测"]
    forms = {"計量": "metrology", "國家質量基礎設施": "nqi", "檢驗檢測": "t", "質量": "quality"}
    texts = ["計量是國家質量基礎設施的重要組成部分，檢驗檢測離不開計量。", "產品質量安全"]
    fresh = Linker.build(forms, boundary_finder(words, to_hans))
    path = tmp_path / "links.pickle"
    memo: FileMemo[list[int]] = FileMemo(path, "forms")
    remembered = Linker.build(forms, boundary_finder(words, to_hans), memo=memo)
    assert [remembered.occurrences(t) for t in texts] == [fresh.occurrences(t) for t in texts]
    memo.save()
    # Read back from the memo's offsets (not kept from the segmenting), the same occurrences.
    read_back = Linker.build(forms, boundary_finder(words, to_hans), memo=FileMemo(path, "forms"))
    assert [read_back.occurrences(t) for t in texts] == [fresh.occurrences(t) for t in texts]
    # A later build finds them in the memo: a planted value proves nothing was segmented.
    later: FileMemo[list[int]] = FileMemo(path, "forms")
    assert fresh.occurrences(texts[0])[0] == (0, 2, "metrology")
    later.entries[texts[0]] = (later.build, [])
    assert Linker.build(forms, boundary_finder(words, to_hans), memo=later).occurrences(texts[0]) == []


def _large_memo(path: Path) -> None:
    memo: FileMemo[list[str]] = FileMemo(path, "k")
    for n in range(12_000):
        memo.get(f"段落{n}", Counter())
    memo.save()
    assert path.stat().st_size >= JOURNAL_FROM


def test_a_few_new_entries_go_to_the_journal_and_are_read_back(tmp_path: Path) -> None:
    """An edit's few new entries are added to the journal beside a large memo, which is not rewritten; the next
    build reads both; once the journal outgrows an eighth of the memo it is folded in."""
    path = tmp_path / "memo.pickle"
    journal = tmp_path / "memo.pickle.new"
    _large_memo(path)
    stored = path.read_bytes()
    compute = Counter()
    memo: FileMemo[list[str]] = FileMemo(path, "k")
    assert memo.get("段落1", compute) == ["1落段"] and memo.get("編輯", compute) == ["輯編"]
    memo.save()
    assert path.read_bytes() == stored and journal.is_file() and journal.stat().st_mode & 0o777 == 0o600
    again: FileMemo[list[str]] = FileMemo(path, "k")
    assert again.get("編輯", compute) == ["輯編"] and again.get("段落7", compute) == ["7落段"]
    assert compute.calls == ["編輯"]
    for n in range(200):  # builds that each add a large entry, until the journal is folded into the memo
        memo = FileMemo(path, "k", keep=10_000)
        memo.get(f"新{n}", lambda text: [text * 2_000])
        memo.save()
        if not journal.exists():
            break
    assert not journal.exists() and path.read_bytes() != stored
    last: FileMemo[list[str]] = FileMemo(path, "k")
    assert {"編輯", "新0", f"新{n}", "段落1"} <= set(last.entries) and 2 < n < 100
    compute.calls.clear()
    unchanged = path.read_bytes()
    memo = FileMemo(path, "k")
    memo.get("新0", compute)
    memo.save()  # nothing computed: nothing written
    assert compute.calls == [] and path.read_bytes() == unchanged and not journal.exists()


def test_a_damaged_or_foreign_journal_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "memo.pickle"
    journal = tmp_path / "memo.pickle.new"
    _large_memo(path)
    memo: FileMemo[list[str]] = FileMemo(path, "k")
    memo.get("編輯", Counter())
    memo.save()
    assert "編輯" in FileMemo(path, "k").entries
    journal.chmod(0o666)  # anyone could have planted it
    assert "編輯" not in FileMemo(path, "k").entries and "段落1" in FileMemo(path, "k").entries
    journal.chmod(0o600)
    journal.write_bytes(journal.read_bytes()[:-9])  # cut short
    assert "編輯" not in FileMemo(path, "k").entries and "段落1" in FileMemo(path, "k").entries


def test_a_memo_of_the_shared_cache_has_a_file_per_key_and_keeps_the_latest(tmp_path: Path) -> None:
    """Two books built in turn each keep their memo (one file per key), and only the latest few files stay."""
    compute = Counter()
    for book in ("A", "B", "A"):
        memo: FileMemo[list[str]] = FileMemo(keyed_file(tmp_path, "feature-memo.pickle", book), book)
        memo.get(f"{book}的段落", compute)
        memo.save()
    assert compute.calls == ["A的段落", "B的段落"]
    for n in range(5):
        memo = FileMemo(keyed_file(tmp_path, "feature-memo.pickle", str(n), files=3), str(n))
        memo.get("段落", compute)
        memo.save()
    assert sorted(p.name.startswith("feature-memo-") for p in tmp_path.iterdir()) == [True] * 3
    assert keyed_file(tmp_path, "feature-memo.pickle", "4").is_file()


def test_a_partitioned_memo_reads_only_the_parts_it_looks_up(tmp_path: Path) -> None:
    folder = tmp_path / "search-memo"
    compute = Counter()
    memo: PartitionedMemo[list[str]] = PartitionedMemo(folder, "k", parts=16)
    texts = [f"段落{n}" for n in range(200)]
    assert [memo.get(text, compute) for text in texts] == [[text[::-1]] for text in texts]
    memo.save()
    assert len(list(folder.glob("*.pickle"))) == 16 and all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    again: PartitionedMemo[list[str]] = PartitionedMemo(folder, "k", parts=16)
    assert again.get("段落7", compute) == ["7落段"] and len(again.loaded) == 1
    assert compute.calls == texts
    assert PartitionedMemo(folder, "other key", parts=16).get("段落7", compute) == ["7落段"]
    assert compute.calls == [*texts, "段落7"]


def test_a_memo_of_large_values_reads_only_the_entries_a_build_looks_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A collection's features: a file per entry, so a build reads its own book's features and not every value
    other books left with the same code; a value read back equals the one computed; the least recently used files
    past the limit go, and a new code version's folder replaces the oldest ones."""
    from tekan import memo as memos
    from tekan.memo import EntryMemo, keyed_folder

    folder = keyed_folder(tmp_path, "features", "code-1")
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700
    compute = Counter()
    other: EntryMemo[list[str]] = EntryMemo(folder, "code-1", files=5)
    for number in range(4):  # another book's features
        other.get(f"別的書{number}", compute)
    other.save()
    read: list[str] = []
    private = memos.read_private

    def counted(path: Path) -> bytes | None:
        read.append(path.name)
        return private(path)

    monkeypatch.setattr(memos, "read_private", counted)
    memo: EntryMemo[list[str]] = EntryMemo(folder, "code-1", files=5)
    assert memo.get("本書", compute) == ["書本"]
    memo.save()
    again: EntryMemo[list[str]] = EntryMemo(folder, "code-1", files=5)
    read.clear()
    assert again.get("本書", compute) == ["書本"] and compute.calls.count("本書") == 1 and len(read) == 1
    assert EntryMemo(folder, "code-2").get("本書", compute) == ["書本"] and compute.calls.count("本書") == 2
    again.save()  # 本書 used last: the oldest of the other book's goes when a sixth entry is written
    memo.get("第六", compute)
    memo.save()
    assert len(list(folder.iterdir())) == 5
    for text in ("本書", "第六"):
        assert EntryMemo(folder, "code-1").get(text, compute) and compute.calls.count(text) == 1 + (text == "本書")
    for code in ("code-2", "code-3", "code-4"):
        keyed_folder(tmp_path, "features", code, folders=3)
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("features-")]) == 3


def test_a_large_memo_a_build_used_stays_among_the_latest_though_not_rewritten(tmp_path: Path) -> None:
    """A large memo a build used adds its few entries to its journal (or nothing) without rewriting the file; it is
    still the most recently used of its name, so memos other books write after it do not push it out."""
    compute = Counter()
    kept = keyed_file(tmp_path, "normalise-memo.pickle", "mine", files=3)
    memo: FileMemo[list[str]] = FileMemo(kept, "mine")
    for number in range(JOURNAL_FROM // 500):
        memo.get(f"段落{number}" * 50, compute)
    memo.save()
    for other in ("a", "b"):
        memo = FileMemo(keyed_file(tmp_path, "normalise-memo.pickle", other, files=3), other)
        memo.get("別的", compute)
        memo.save()
    import os

    os.utime(kept, (1, 1))  # written long ago
    memo = FileMemo(kept, "mine")
    assert memo.stored >= JOURNAL_FROM and memo.get("段落0" * 50, compute) == [("段落0" * 50)[::-1]]
    memo.save()  # nothing new: the file is not rewritten
    memo = FileMemo(keyed_file(tmp_path, "normalise-memo.pickle", "c", files=3), "c")
    memo.get("別的", compute)
    memo.save()
    assert kept.is_file() and len(list(tmp_path.glob("normalise-memo-*.pickle"))) == 3


@pytest.mark.parametrize("edited", [True, False])
def test_a_publication_read_back_from_an_entry_memo_is_the_one_written(tmp_path: Path, edited: bool) -> None:
    """A publication comes back from the memo's file (written without pickle's memo) equal to the one computed, with
    its changes or with none; its changes' few strings (part, rule, replacement) are again one each."""
    import sys

    from tekan.memo import EntryMemo
    from tekan.metadata import load_publication
    from tekan.normalise import normalise_publication

    from .conftest import SEED

    publication = load_publication(SEED)[0]
    if edited:
        publication = normalise_publication(publication)
    assert bool(publication.changes) == edited
    memo: EntryMemo[object] = EntryMemo(tmp_path, "code")
    memo.get("seed", lambda _: publication)
    memo.save()
    read = EntryMemo(tmp_path, "code").get("seed", lambda _: pytest.fail("computed again"))
    assert read == publication
    assert isinstance(read, type(publication))
    assert all(all(sys.intern(text) is text for text in (c.part, c.old, c.new, c.rule)) for c in read.changes)
