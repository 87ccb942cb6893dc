"""Values computed from a text, kept from build to build in a file, so a rebuild does not compute them again.

Segmenting Chinese with jieba is the costly part of linking a page and of indexing it for search; an
incremental build re-renders every page and re-indexes every page it rewrites (the glossary on every
build), though nearly all their paragraphs are unchanged. A :class:`FileMemo` maps each text to its value.
It is valid for one ``key`` only, a digest of everything else the values depend on (the dictionary words,
the code that computes them): with another key it starts empty. An entry unused for ``keep`` builds is
dropped, so the file follows the book rather than growing with every edit.

A memo is only a saving: a file that cannot be read or written is treated as absent, and a file another user
could have written is never unpickled — not ours, writable by group or others, a symbolic link (whatever it points
to), or in a folder another user owns or can write (:func:`tekan.files.read_private`). Memos are written 0600 into
a folder only we can write (made 0700), through :func:`tekan.files.atomic_write`: never through a planted link.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

from .files import atomic_write, read_private

V = TypeVar("V")

#: The package folder: module paths in :func:`code_digest` are relative to it.
PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=1)
def package_code() -> str:
    """A digest of the package's modules and data files (read once per process): what a memo of its results is
    valid for."""
    files = [*PACKAGE.glob("*.py"), *PACKAGE.glob("data/*")]
    return code_digest(sorted(str(p.relative_to(PACKAGE)) for p in files if p.is_file()))


def code_digest(modules: Iterable[str], *inputs: str) -> str:
    """A digest of the source of ``modules`` (paths relative to the package) and of ``inputs``."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update((PACKAGE / name).read_bytes())
        digest.update(b"\0")
    for text in inputs:
        digest.update(text.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def versions(*packages: str) -> str:
    """The installed versions of ``packages`` (a memo's values may depend on their data), without importing them."""
    from importlib import metadata

    found = []
    for name in packages:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} absent")
    return ", ".join(found)


#: The packages whose data decide how a text is segmented and converted (jieba's dictionary, OpenCC's tables).
SEGMENTING_PACKAGES = ("jieba", "opencc-python-reimplemented")


#: The size of a memo file from which a build's new entries go to its journal.
JOURNAL_FROM = 256 * 1024


class FileMemo(Generic[V]):
    """text → value, loaded from ``path`` when its key matches, written back by :meth:`save`.

    A build that adds a few entries to a large memo (from :data:`JOURNAL_FROM` bytes; an edit: one paragraph) does not
    rewrite the whole file: its new entries go to a small journal beside it (``<name>.new``), read after the file;
    the file is rewritten (the journal folded in, the entries unused for ``keep`` builds dropped) once the journal
    outgrows an eighth of it. A build that computed nothing leaves a large memo as it is.
    """

    def __init__(self, path: Path | None, key: str, keep: int = 20) -> None:
        self.path = path
        self.key = key
        self.keep = keep
        self.build = 0  # this build's number: entries remember the last build that used them
        self.entries: dict[str, tuple[int, V]] = {}
        self.used = False
        self.stored = 0  # the size of the file read (0: none with this key)
        self.journal: list[dict[str, object]] = []  # the journal's records read (each: one build's new entries)
        self.new: set[str] = set()  # the texts computed by this build
        data = read_private(path) if path is not None else None
        if data is None:
            return
        try:
            stored = pickle.loads(data)
            if stored["key"] == key:
                self.build, self.entries = int(stored["build"]) + 1, stored["entries"]
                self.stored = len(data)
        except Exception:  # written by another version, or cut short: start afresh
            self.entries = {}
        if self.stored and path is not None:
            self._read_journal(_journal_path(path))

    def _read_journal(self, path: Path) -> None:
        data = read_private(path)
        if data is None:
            return
        try:
            records = pickle.loads(data)
            for record in records:
                if record["key"] != self.key:
                    return
            for record in records:
                self.entries.update(record["entries"])
                self.build = max(self.build, int(record["build"]) + 1)
            self.journal = records
        except Exception:  # another version's, or cut short: the entries are computed again
            self.journal = []

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        """The value of ``text``: remembered, or computed now and remembered."""
        entry = self.entries.get(text)
        if entry is None:
            value = compute(text)
            self.new.add(text)
        else:
            value = entry[1]
        self.entries[text] = (self.build, value)
        self.used = True
        return value

    def recall(self, text: str) -> V | None:
        """The value of ``text`` if remembered (kept as used by this build), else None."""
        entry = self.entries.get(text)
        if entry is None:
            return None
        self.entries[text] = (self.build, entry[1])
        self.used = True
        return entry[1]

    def save(self) -> None:
        """Write the entries used in the last ``keep`` builds (only if a build used the memo); a build that computed
        few entries adds them to the journal."""
        if self.path is None or not self.used:
            return
        journal = _journal_path(self.path)
        if self.stored >= JOURNAL_FROM:
            added = {text: self.entries[text] for text in self.new if text in self.entries}
            record = {"key": self.key, "build": self.build, "entries": added}
            data = pickle.dumps([*self.journal, record] if added else self.journal, pickle.HIGHEST_PROTOCOL)
            if len(data) * 8 <= self.stored:
                with contextlib.suppress(OSError):
                    if added:
                        atomic_write(journal, data, mode=0o600, follow_link=False, private=True)
                    # Used: the file is among the most recent of its name for :func:`keyed_file`, though not rewritten
                    # (the memos other books and test runs write would otherwise push out the memo a book is using).
                    os.utime(self.path, follow_symlinks=False)
                return
        oldest = self.build - self.keep
        entries = {text: entry for text, entry in self.entries.items() if entry[0] > oldest}
        data = pickle.dumps({"key": self.key, "build": self.build, "entries": entries}, pickle.HIGHEST_PROTOCOL)
        # Two builds may save one memo at once (the user's cache folder is shared): the last one stays. A read-only
        # home, a full disk, a folder others can write: nothing is written, the next build computes again.
        with contextlib.suppress(OSError):
            atomic_write(self.path, data, mode=0o600, follow_link=False, private=True)
            journal.unlink(missing_ok=True)


class PartitionedMemo(Generic[V]):
    """A :class:`FileMemo` cut into ``parts`` files by a digest of the text (``FOLDER/<n>.pickle``): a build loads
    only the parts of the texts it looks up (an edit: the paragraphs of the pages it rewrites), not the whole memo
    (the search memo: 11 MB, half a second to read, at 1,600 statements)."""

    def __init__(self, folder: Path | None, key: str, keep: int = 20, parts: int = 256) -> None:
        self.folder = folder
        self.key = key
        self.keep = keep
        self.parts = parts
        self.loaded: dict[int, FileMemo[V]] = {}

    def part(self, text: str) -> FileMemo[V]:
        """The part that holds ``text`` (read on first use)."""
        number = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big") % self.parts
        memo = self.loaded.get(number)
        if memo is None:
            path = self.folder / f"{number}.pickle" if self.folder is not None else None
            memo = self.loaded[number] = FileMemo(path, self.key, self.keep)
        return memo

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        """The value of ``text``: remembered, or computed now and remembered."""
        return self.part(text).get(text, compute)

    def save(self) -> None:
        """Write the parts this build used."""
        for memo in self.loaded.values():
            memo.save()


def _pickled(value: object) -> Callable[[BinaryIO], None]:
    """What writes ``value`` pickled to a stream, without pickle's memo of every object written (a publication of
    16,000 statements: 3 million objects, 0.4 s of the memo's 0.6 s), so without sharing: ``value`` must hold no
    cycle, and an object it holds twice is read back as two equal ones (:class:`tekan.model.Publication` shares its
    changes' repeated values again)."""

    def write(stream: BinaryIO) -> None:
        pickler = pickle.Pickler(stream, pickle.HIGHEST_PROTOCOL)
        pickler.fast = True
        pickler.dump(value)

    return write


class EntryMemo(Generic[V]):
    """text → value with one file per text in ``folder`` (a digest of the text names it), for values of megabytes
    looked up by a digest of their inputs (a collection's features, a book's publication): a build reads the files of
    the texts it looks up, not every value an earlier build of any book left (a memo of 36 MB, a second to read, for a
    collection of 10 MB), and writes only the values it computed. The ``files`` most recently used are kept."""

    def __init__(self, folder: Path | None, key: str, files: int = 64) -> None:
        self.folder = folder
        self.key = key
        self.files = files
        self.new: dict[str, V] = {}  # computed by this build, written by save
        self.used: list[Path] = []  # read by this build: marked as used by save

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        """The value of ``text``: remembered, or computed now and remembered."""
        name = hashlib.sha256(text.encode()).hexdigest()[:32]
        path = self.folder / f"{name}.pickle" if self.folder is not None else None
        data = read_private(path) if path is not None else None
        if data is not None and path is not None:
            try:
                stored = pickle.loads(data)
                if stored["key"] == self.key and stored["text"] == text:
                    self.used.append(path)
                    value: V = stored["value"]
                    return value
            except Exception:  # written by another version, or cut short: computed again
                pass
        value = self.new[text] = compute(text)
        return value

    def save(self) -> None:
        """Write the values computed; mark those read as used; remove the least recently used files past ``files``."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            for path in self.used:
                os.utime(path)
        for text, value in self.new.items():
            name = hashlib.sha256(text.encode()).hexdigest()[:32]
            record = {"key": self.key, "text": text, "value": value}
            with contextlib.suppress(OSError):
                atomic_write(
                    self.folder / f"{name}.pickle", _pickled(record), mode=0o600, follow_link=False, private=True
                )
        if self.new:
            with contextlib.suppress(OSError):
                found = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
                for stale in found[self.files :]:
                    stale.unlink(missing_ok=True)
        self.new = {}
        self.used = []


def keyed_folder(folder: Path, name: str, key: str, folders: int = 3) -> Path:
    """The folder of the :class:`EntryMemo` ``name`` for ``key`` in a folder shared by every book (the user's cache
    folder); the ``folders`` most recently made of that memo are kept, older ones removed (each code version has
    its own). Made 0700 when absent."""
    import shutil

    path = folder / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    with contextlib.suppress(OSError):
        if not path.is_dir():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.mkdir(mode=0o700)
            others = [p for p in folder.glob(f"{name}-*") if p != path and p.is_dir() and not p.is_symlink()]
            others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for stale in others[folders - 1 :]:
                shutil.rmtree(stale, ignore_errors=True)
    return path


def keyed_file(folder: Path, name: str, key: str, files: int = 8) -> Path:
    """The file of the memo ``name`` for ``key`` in a folder shared by every book (the user's cache folder): one file
    per key, so that two books (or a test suite) built in turn do not replace each other's memo; the ``files`` most
    recently written of that memo are kept, older ones removed."""
    stem, dot, suffix = name.partition(".")
    path = folder / f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:16]}{dot}{suffix}"
    with contextlib.suppress(OSError):
        others = [p for p in folder.glob(f"{stem}-*{dot}{suffix}") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in others[files - 1 :]:
            stale.unlink(missing_ok=True)
            _journal_path(stale).unlink(missing_ok=True)
    return path


def _journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".new")
