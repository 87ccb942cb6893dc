"""Another user for the tests: files chowned to them, and actions run as them (the tests run as root)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: A user that is not us.
STRANGER = 12345
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="another user's files need root")


def as_stranger(action: Callable[[], object]) -> str:
    """Run ``action`` in a child process as :data:`STRANGER`; the name of the exception it raised, or "ok"."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no exec (the interpreter of the virtual environment may not be theirs to run)
        os.close(read)
        try:
            os.setgid(STRANGER)
            os.setuid(STRANGER)
            action()
            outcome = "ok"
        except BaseException as exc:
            outcome = type(exc).__name__
        os.write(write, outcome.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(pid, 0)
    return outcome


@contextlib.contextmanager
def open_folder() -> Iterator[Path]:
    """A temporary folder :data:`STRANGER` can reach (pytest's are 0700 under a 0700 folder), removed after."""
    folder = Path(tempfile.mkdtemp(prefix="tekan-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
