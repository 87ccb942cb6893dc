"""Caches trusted by no one else: a memo or jieba's split dictionary is read only if only we can have written
it, and written only where no one else can put a file or a link; anything else is ignored and rebuilt, never a
crash. And the one atomic writer: an editor's file replaced in place of a link, keeping owner and mode, whole
or not at all."""

from __future__ import annotations

import marshal
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tekan import segmenting
from tekan.files import atomic_write, read_private
from tekan.memo import FileMemo

from .other_user import STRANGER, as_stranger, needs_root, open_folder


class Planted:
    """A pickle that runs code (creates ``marker``) when it is unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.marker}",))


def planted_pickle(path: Path, marker: Path, key: str = "k") -> None:
    path.write_bytes(pickle.dumps({"key": key, "build": 0, "entries": {"x": (0, Planted(marker))}}))


def saved_memo(path: Path) -> FileMemo[str]:
    memo: FileMemo[str] = FileMemo(path, "k")
    memo.get("計量", str.upper)
    memo.save()
    return memo


# --- the memo --------------------------------------------------------------------------------------------------


def test_a_new_cache_folder_is_0700_and_a_memo_0600(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "tekan"
    saved_memo(folder / "memo.pickle")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "memo.pickle").stat().st_mode & 0o777 == 0o600
    assert "計量" in FileMemo(folder / "memo.pickle", "k").entries
    assert [p.name for p in folder.iterdir()] == ["memo.pickle"]  # no staging file left


def test_a_symlinked_memo_is_never_unpickled_though_its_target_is_ours(tmp_path: Path) -> None:
    # A root-owned 0644 pickle elsewhere (ours, writable by no one else): only the link makes it foreign.
    elsewhere, marker = tmp_path / "elsewhere.pickle", tmp_path / "ran"
    planted_pickle(elsewhere, marker)
    elsewhere.chmod(0o644)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / "memo.pickle").symlink_to(elsewhere)
    memo: FileMemo[str] = FileMemo(cache / "memo.pickle", "k")
    assert memo.entries == {} and not marker.exists()
    memo.get("計量", str.upper)
    memo.save()  # replaces the link itself: the file it pointed to is not written or chmod'ed
    assert not (cache / "memo.pickle").is_symlink() and "計量" in FileMemo(cache / "memo.pickle", "k").entries
    assert elsewhere.stat().st_mode & 0o777 == 0o644 and b"touch" in elsewhere.read_bytes() and not marker.exists()


def test_a_planted_pickle_in_our_folder_does_run_unless_checked(tmp_path: Path) -> None:
    """The planted pickle of the tests is live: unpickled directly, it runs (so the tests above can fail)."""
    path, marker = tmp_path / "p.pickle", tmp_path / "ran"
    planted_pickle(path, marker)
    pickle.loads(path.read_bytes())
    assert marker.exists()


@needs_root
@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_a_memo_of_another_owner_is_not_unpickled(tmp_path: Path, mode: int) -> None:
    path, marker = tmp_path / "memo.pickle", tmp_path / "ran"
    planted_pickle(path, marker)
    os.chown(path, STRANGER, STRANGER)
    path.chmod(mode)
    assert FileMemo(path, "k").entries == {} and not marker.exists()


def group_of_others(path: Path) -> None:
    """Give ``path`` a group that is not ours (group write is then write by others)."""
    if os.geteuid() != 0:
        pytest.skip("another group's files need root")
    os.chown(path, -1, STRANGER)


@pytest.mark.parametrize(("mode", "their_group"), [(0o620, True), (0o602, False), (0o666, False)])
def test_a_memo_others_can_write_is_not_unpickled(tmp_path: Path, mode: int, their_group: bool) -> None:
    path, marker = tmp_path / "memo.pickle", tmp_path / "ran"
    planted_pickle(path, marker)
    if their_group:
        group_of_others(path)
    path.chmod(mode)
    assert FileMemo(path, "k").entries == {} and not marker.exists()


def test_group_write_for_our_own_group_is_ours(tmp_path: Path) -> None:
    """A private group per user with umask 002: files and folders 0664 and 0775 of our own group are ours alone."""
    folder = tmp_path / "tekan"
    saved_memo(folder / "memo.pickle")
    folder.chmod(0o775)
    (folder / "memo.pickle").chmod(0o660)
    assert os.stat(folder).st_gid == os.getegid()
    assert "計量" in FileMemo(folder / "memo.pickle", "k").entries


@pytest.mark.parametrize(
    ("folder_mode", "their_group"), [(0o777, False), (0o1777, False), (0o775, True), (0o757, False)]
)
def test_a_folder_others_can_write_is_neither_read_nor_written(
    tmp_path: Path, folder_mode: int, their_group: bool
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    path, marker = shared / "memo.pickle", tmp_path / "ran"
    planted_pickle(path, marker)  # ours and 0600, but anyone could have swapped it in
    path.chmod(0o600)
    if their_group:
        group_of_others(shared)
    shared.chmod(folder_mode)
    memo: FileMemo[str] = FileMemo(path, "k")
    assert memo.entries == {} and not marker.exists()
    memo.get("計量", str.upper)
    memo.save()  # not written either: another user could have planted a link under any name
    assert b"touch" in path.read_bytes() and sorted(p.name for p in shared.iterdir()) == ["memo.pickle"]


@needs_root
def test_a_folder_of_another_owner_is_neither_read_nor_written(tmp_path: Path) -> None:
    folder = tmp_path / "tekan"
    saved_memo(folder / "memo.pickle")
    os.chown(folder, STRANGER, STRANGER)
    assert FileMemo(folder / "memo.pickle", "k").entries == {}
    memo: FileMemo[str] = FileMemo(folder / "memo.pickle", "k")
    memo.get("標準", str.upper)
    memo.save()
    os.chown(folder, 0, 0)
    assert "標準" not in FileMemo(folder / "memo.pickle", "k").entries


def test_the_cache_folder_itself_as_a_link_is_not_used(tmp_path: Path) -> None:
    real = tmp_path / "real"
    saved_memo(real / "memo.pickle")
    (tmp_path / "cache").symlink_to(real)
    assert FileMemo(tmp_path / "cache" / "memo.pickle", "k").entries == {}


def test_links_at_old_staging_names_are_not_followed(tmp_path: Path) -> None:
    """The memo once staged at ``.NAME.PID.new``: a link planted there (any pid) now points nowhere we write."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    victim.chmod(0o644)
    for pid in (os.getpid(), os.getpid() + 1):
        (cache / f".memo.pickle.{pid}.new").symlink_to(victim)
    saved_memo(cache / "memo.pickle")
    assert victim.read_text(encoding="utf-8") == "keep me\n" and victim.stat().st_mode & 0o777 == 0o644


def test_a_fifo_or_folder_in_place_of_the_memo_is_ignored(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.pickle")
    (tmp_path / "dir.pickle").mkdir()
    assert FileMemo(tmp_path / "fifo.pickle", "k").entries == {}  # does not block on the pipe
    assert FileMemo(tmp_path / "dir.pickle", "k").entries == {}
    assert read_private(tmp_path / "fifo.pickle") is None


# --- jieba's split dictionary ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[int, dict[str, tuple[str, bytes]]]]:
    cache = tmp_path_factory.mktemp("jieba") / "tekan"
    return cache, segmenting.load_table(cache)


def _cache_file(cache: Path) -> Path:
    (path,) = cache.glob("jieba-*.marshal")
    return path


def _wrong_shapes(total: int, table: dict[str, tuple[str, bytes]]) -> list[bytes]:
    char, (words, freqs) = next(iter(table.items()))
    other = "乙" if char != "乙" else "丙"
    return [
        b"",
        marshal.dumps(None),
        marshal.dumps((total,)),
        marshal.dumps((total, {})),
        marshal.dumps((total, [1, 2])),
        marshal.dumps(("many", table)),
        marshal.dumps((total, {char: (words, freqs[:-8])})),  # one frequency short: zip(strict=True) failed builds
        marshal.dumps((total, {char: (words.encode(), freqs)})),
        marshal.dumps((total, {char: (other + "\n" + words, freqs + freqs[:8])})),  # under another character
        marshal.dumps((total, table))[:-100],  # cut short
    ]


def test_a_wrong_shaped_jieba_cache_is_rebuilt_not_fatal(table) -> None:
    cache, expected = table
    path = _cache_file(cache)
    for number, data in enumerate(_wrong_shapes(*expected)):
        path.write_bytes(data)
        path.chmod(0o600)
        assert segmenting.load_table(cache) == expected, number
        assert marshal.loads(path.read_bytes()) == expected, number  # and written again


@needs_root
def test_a_jieba_cache_of_another_owner_or_others_writable_is_not_loaded(table) -> None:
    cache, expected = table
    segmenting.load_table(cache)
    path = _cache_file(cache)
    # Well-formed but nearly empty: every word unknown, the search index would change silently.
    fake = marshal.dumps((expected[0], dict(list(expected[1].items())[:1])))
    for owner, group, mode in ((STRANGER, STRANGER, 0o600), (os.geteuid(), 0, 0o666), (os.geteuid(), STRANGER, 0o620)):
        path.write_bytes(fake)
        os.chown(path, owner, group)
        path.chmod(mode)
        assert segmenting.load_table(cache) == expected, (owner, oct(mode))
        status = path.stat()
        assert (status.st_uid, status.st_mode & 0o777) == (os.geteuid(), 0o600)  # replaced by our own


def test_a_jieba_cache_through_a_link_is_not_loaded_and_the_target_is_kept(table, tmp_path: Path) -> None:
    cache, expected = table
    path = _cache_file(cache)
    elsewhere = tmp_path / "elsewhere.marshal"
    elsewhere.write_bytes(marshal.dumps((expected[0], dict(list(expected[1].items())[:1]))))
    original = elsewhere.read_bytes()
    path.unlink()
    path.symlink_to(elsewhere)
    assert segmenting.load_table(cache) == expected
    assert not path.is_symlink() and elsewhere.read_bytes() == original


# --- the atomic writer -----------------------------------------------------------------------------------------


def test_a_symlinked_file_has_its_target_replaced_and_stays_a_link(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "feature.toml"
    shared.parent.mkdir()
    shared.write_text("old\n", encoding="utf-8")
    shared.chmod(0o640)
    link = tmp_path / "book" / "feature.toml"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(shared, link.parent))
    assert atomic_write(link, b"new\n") == shared
    assert link.is_symlink() and shared.read_text(encoding="utf-8") == "new\n"
    assert shared.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in shared.parent.iterdir()) == ["feature.toml"]


def test_a_chain_of_links_is_followed_to_the_file(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old\n", encoding="utf-8")
    (tmp_path / "one").symlink_to(real)
    (tmp_path / "two").symlink_to(tmp_path / "one")
    atomic_write(tmp_path / "two", b"new\n")
    assert real.read_text(encoding="utf-8") == "new\n" and (tmp_path / "two").is_symlink()


@needs_root
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o4755])
def test_a_file_of_another_owner_keeps_its_owner_and_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "feature.toml"
    path.write_text("old\n", encoding="utf-8")
    os.chown(path, STRANGER, STRANGER + 1)
    path.chmod(mode)
    atomic_write(path, b"new\n")
    status = path.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (STRANGER, STRANGER + 1, mode)
    assert path.read_text(encoding="utf-8") == "new\n"


@needs_root
def test_an_owner_that_cannot_be_kept_is_refused_and_nothing_changes() -> None:
    """Run as a user that is not the file's owner (but may write the folder): it cannot give the file back."""
    with open_folder() as reachable:
        folder = reachable / "book"
        folder.mkdir()
        folder.chmod(0o777)
        path = folder / "feature.toml"
        path.write_text("old\n", encoding="utf-8")
        path.chmod(0o666)
        assert as_stranger(lambda: path.read_text(encoding="utf-8")) == "ok"  # they can reach and read it
        assert as_stranger(lambda: atomic_write(path, b"new\n")) == "PermissionError"
        assert path.read_text(encoding="utf-8") == "old\n" and path.stat().st_uid == 0
        assert sorted(p.name for p in folder.iterdir()) == ["feature.toml"]


def test_a_new_file_gets_the_mode_asked_for(tmp_path: Path) -> None:
    atomic_write(tmp_path / "a", b"x", mode=0o600)
    atomic_write(tmp_path / "b", b"x")
    assert [(tmp_path / n).stat().st_mode & 0o777 for n in "ab"] == [0o600, 0o644]


WRITER = """
import sys
from pathlib import Path
from tekan.files import atomic_write
path = Path(sys.argv[1])
big = int(sys.argv[2])
turn = 0
print("ready", flush=True)
while True:
    turn += 1
    atomic_write(path, (b"A" if turn % 2 else b"B") * big)
"""


def test_a_kill_during_writes_leaves_the_old_file_or_the_new_never_a_part(tmp_path: Path) -> None:
    path = tmp_path / "feature.toml"
    big = 4_000_000
    path.write_bytes(b"O" * big)
    seen: set[bytes] = set()
    for delay in (0.01, 0.05, 0.1, 0.2, 0.3, 0.45):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(big)], stdout=subprocess.PIPE)
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        data = path.read_bytes()
        assert len(data) == big and len(set(data)) == 1, (delay, len(data))
        seen.add(data[:1])
    assert seen - {b"O"}, "no write finished: the test did not test a replacement"


# --- tekan init --update writes through the atomic writer ------------------------------------------------------

NEW_STATEMENT = "以計量護航民生\n計量是民生的尺子。\n——某市計量測試研究院院長歐陽明\n"


def _feature_with_a_new_statement(folder: Path) -> Path:
    from .stranger import write_feature

    seed = write_feature(folder)
    text = seed.read_text(encoding="utf-8")
    masthead = text.rstrip("\n").rsplit("\n", 1)[1]
    seed.write_text(text.replace(masthead, NEW_STATEMENT + masthead), encoding="utf-8")
    return seed


def test_update_of_a_symlinked_metadata_file_updates_the_shared_file(tmp_path: Path) -> None:
    from tekan.draft import init_metadata

    seed = _feature_with_a_new_statement(tmp_path / "book")
    shared = tmp_path / "shared" / "feature.toml"
    shared.parent.mkdir()
    seed.with_suffix(".toml").rename(shared)
    seed.with_suffix(".toml").symlink_to(shared)
    result = init_metadata(seed, update=True)
    assert len(result.added) == 1
    assert seed.with_suffix(".toml").is_symlink()
    assert "某市計量測試研究院院長歐陽明" in shared.read_text(encoding="utf-8")


@needs_root
def test_update_keeps_a_private_file_of_another_owner_private_and_theirs(tmp_path: Path) -> None:
    from tekan.draft import init_metadata

    seed = _feature_with_a_new_statement(tmp_path / "book")
    toml = seed.with_suffix(".toml")
    os.chown(toml, STRANGER, STRANGER)
    toml.chmod(0o600)
    init_metadata(seed, update=True)
    status = toml.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o777) == (STRANGER, STRANGER, 0o600)
    assert "某市計量測試研究院院長歐陽明" in toml.read_text(encoding="utf-8")
