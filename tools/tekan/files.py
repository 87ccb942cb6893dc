"""Writing files atomically (generated files world-readable and only when their content changed; an editor's file
in place, keeping its owner and mode) and reading caches only we can have written."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_if_changed(path: Path, text: str, absent: bool = False) -> bool:
    """Write ``text`` atomically unless the file already holds it; True when written.

    ``absent``: the caller knows there is no such file (its folder was listed). It is not read first, and it is made
    in place: created new (never an existing file, never through a link) and removed again if writing it fails,
    rather than written beside and renamed; one file made instead of two (16,000 new pages: 0.3–0.5 s of system time
    here). No reader can have known the page, and a run killed while writing it leaves it short: the next run finds it
    different and replaces it atomically. A file that appeared meanwhile is replaced atomically too."""
    data = text.encode("utf-8")
    if absent:
        try:
            fd = _new_file(path, 0o644)
        except FileExistsError:
            fd = -1
        if fd >= 0:
            try:
                _write_published(fd, data)
            except BaseException:
                path.unlink(missing_ok=True)  # ours: made by the open above
                raise
            return True
    else:
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
    fd, tmp = _staging(path)
    try:
        _write_published(fd, data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


#: How a new file (a staging file, or a page known absent) is opened: new (never an existing file, never through a
#: link), for writing.
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _write_published(fd: int, data: bytes) -> None:
    """Write ``data`` to the open file ``fd``, readable by everyone (whatever the umask: generated files are
    published), and close it. Written by ``os.write``: a file object asks three more system calls of each file
    (16,000 pages)."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, 0o644)
    finally:
        os.close(fd)


def _new_file(path: Path, mode: int) -> int:
    """``path`` created new and opened for writing (FileExistsError if anything is there, a link included); its
    folder made if it is missing (asking first cost a system call per file: 16,000 pages)."""
    try:
        return os.open(path, _NEW_FILE_FLAGS, mode)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, _NEW_FILE_FLAGS, mode)


def _staging(path: Path) -> tuple[int, str]:
    """A new file beside ``path`` to write it in: named for this process (one name per page, without
    :func:`tempfile.mkstemp`'s random names: 16,000 pages), or by ``mkstemp`` if that name is taken."""
    tmp = Path(f"{path.parent}/.{path.name}.{os.getpid()}.tmp")
    try:
        return _new_file(tmp, 0o600), str(tmp)
    except FileExistsError:  # left by a process killed with our number, or another thread writing the same page
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")


def others_can_write(status: os.stat_result) -> bool:
    """Whether users other than the owner can write a file or folder (its ``stat``): writable by all, or by a group
    that is not our own (on a system with a private group per user, umask 002, that group is the user alone)."""
    return bool(status.st_mode & stat.S_IWOTH or (status.st_mode & stat.S_IWGRP and status.st_gid != os.getegid()))


def trusted(status: os.stat_result) -> bool:
    """Whether a file or folder (its ``fstat``) can only have been written by the current user: ours, and writable
    by no one else (:func:`others_can_write`)."""
    return status.st_uid == os.geteuid() and not others_can_write(status)


def open_private_folder(folder: Path, create: bool = False) -> int:
    """A descriptor of ``folder`` (made 0700 when ``create`` and absent), opened without following a link.

    Raises :class:`PermissionError` unless the folder is ours and no one else can write in it: in a folder another
    user can write, they can put or swap files between our check and our use (a shared ``/tmp``, a cache folder
    under a shared ``XDG_CACHE_HOME``). A sticky folder is no exception: it keeps others from removing our files,
    not from planting their own under the names we are about to use.
    """
    if create:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    if not trusted(os.fstat(fd)):
        os.close(fd)
        raise PermissionError(errno.EPERM, "another user owns this folder or can write in it", str(folder))
    return fd


def read_private(path: Path) -> bytes | None:
    """The bytes of ``path`` if only we can have written them (a regular file, not a link, ours and writable by
    no one else, in a folder the same holds for); None when it is absent or fails any of these."""
    try:
        folder = open_private_folder(path.parent)
    except OSError:
        return None
    try:
        fd = os.open(path.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder)
    except OSError:  # absent, a link (ELOOP), unreadable
        return None
    finally:
        os.close(folder)
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode) or not trusted(status):  # a folder, a pipe, another's file
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def atomic_write(
    path: Path,
    data: bytes | Callable[[BinaryIO], object],
    *,
    mode: int = 0o644,
    follow_link: bool = True,
    private: bool = False,
) -> Path:
    """Replace ``path`` with ``data`` so that a reader, or a kill at any moment, sees the old file or the new one,
    never a part; return the path written. ``data`` may be a function that writes the file's bytes to the stream
    it is given (a memo of 75 MB pickled into the file, not first into memory).

    The new file is written beside the old under a fresh name (``O_EXCL | O_NOFOLLOW``: never through a planted
    link), flushed to disk, and renamed over it. It keeps the owner, group and mode of the file it replaces (a
    PermissionError, changing nothing, where they cannot be kept); a new file gets ``mode``. With ``follow_link``,
    a ``path`` that is a symbolic link has the file it points to replaced and stays a link (an editor's shared
    file); without it, the link itself is replaced. ``private`` writes only into a folder only we can write
    (:func:`open_private_folder`, made 0700 when absent): a cache.
    """
    target = Path(os.path.realpath(path)) if follow_link else path
    if private:
        folder = open_private_folder(target.parent, create=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            old: os.stat_result | None = os.stat(target.name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            old = None
        if old is not None and stat.S_ISDIR(old.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(target))
        # A file in a private folder is ours to make afresh (one another user left there is not kept).
        kept = old if old is not None and stat.S_ISREG(old.st_mode) and not private else None
        staging = f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                if callable(data):
                    data(handle)
                else:
                    handle.write(data)
                handle.flush()
                if kept is not None and (kept.st_uid, kept.st_gid) != (os.geteuid(), os.getegid()):
                    os.fchown(fd, kept.st_uid, kept.st_gid)  # before the mode: chown clears set-id bits
                os.fchmod(fd, stat.S_IMODE(kept.st_mode) if kept is not None else mode)
                os.fsync(fd)
            os.replace(staging, target.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(staging, dir_fd=folder)
            raise
        with contextlib.suppress(OSError):  # the rename itself on disk (not possible on every file system)
            os.fsync(folder)
    finally:
        os.close(folder)
    return target
