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
import hashlib
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

from .files import atomic_write, read_private

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
        data = read_private(path) if path is not None else None
        if data is None:
            return
        try:
            stored = pickle.loads(data)
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
        data = pickle.dumps({"key": self.key, "build": self.build, "entries": entries}, pickle.HIGHEST_PROTOCOL)
        # Two builds may save one memo at once (the user's cache folder is shared): the last one stays. A read-only
        # home, a full disk, a folder others can write: nothing is written, the next build computes again.
        with contextlib.suppress(OSError):
            atomic_write(self.path, data, mode=0o600, follow_link=False, private=True)
