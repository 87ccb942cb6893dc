"""Values computed from a text, kept from build to build in a file, so a rebuild does not compute them again.

Segmenting Chinese with jieba is the costly part of linking a page and of indexing it for search; an
incremental build re-renders every page and re-indexes every page it rewrites (the glossary on every
build), though nearly all their paragraphs are unchanged. A :class:`FileMemo` maps each text to its value.
It is valid for one ``key`` only, a digest of everything else the values depend on (the dictionary words,
the code that computes them): with another key it starts empty. An entry unused for ``keep`` builds is
dropped, so the file follows the book rather than growing with every edit.

A memo is only a saving: a file that cannot be read or written is treated as absent, and a file another user
could have written (not ours, or writable by group or others) is never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")

#: The package folder: module paths in :func:`code_digest` are relative to it.
PACKAGE = Path(__file__).resolve().parent


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


class FileMemo(Generic[V]):
    """text → value, loaded from ``path`` when its key matches, written back by :meth:`save`."""

    def __init__(self, path: Path | None, key: str, keep: int = 20) -> None:
        self.path = path
        self.key = key
        self.keep = keep
        self.build = 0  # this build's number: entries remember the last build that used them
        self.entries: dict[str, tuple[int, V]] = {}
        self.used = False
        if path is None or not _ours(path):
            return
        try:
            with path.open("rb") as file:
                stored = pickle.load(file)
            if stored["key"] == key:
                self.build, self.entries = int(stored["build"]) + 1, stored["entries"]
        except Exception:  # written by another version, or cut short: start afresh
            self.entries = {}

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        """The value of ``text``: remembered, or computed now and remembered."""
        entry = self.entries.get(text)
        value = compute(text) if entry is None else entry[1]
        self.entries[text] = (self.build, value)
        self.used = True
        return value

    def save(self) -> None:
        """Write the entries used in the last ``keep`` builds (only if a build used the memo)."""
        if self.path is None or not self.used:
            return
        oldest = self.build - self.keep
        entries = {text: entry for text, entry in self.entries.items() if entry[0] > oldest}
        # Two builds may save one memo at once (the user's cache folder is shared): each writes its own file.
        staging = self.path.with_name(f".{self.path.name}.{os.getpid()}.new")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with staging.open("wb") as file:
                pickle.dump({"key": self.key, "build": self.build, "entries": entries}, file, pickle.HIGHEST_PROTOCOL)
            staging.chmod(0o600)
            os.replace(staging, self.path)
        except OSError:  # a read-only home, a full disk: the next build computes the values again
            with contextlib.suppress(OSError):
                staging.unlink(missing_ok=True)


def _ours(path: Path) -> bool:
    """Whether ``path`` is a regular file only its owner, the current user, can have written."""
    try:
        status = path.stat()
    except OSError:
        return False
    private = not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return stat.S_ISREG(status.st_mode) and status.st_uid == os.getuid() and private
