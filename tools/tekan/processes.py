"""Child processes (Sphinx, latexmk and XeLaTeX) that never outlive ``tekan``.

Each child runs in its own process group (with its own children: Sphinx's ``-j`` workers, latexmk's
XeLaTeX), so it can be stopped as a whole. ``tekan`` stops the group when it is interrupted (Ctrl-C) or
terminated (SIGTERM, SIGHUP: turned into :class:`Terminated` by :func:`stop_on_signals`); and a watchdog
process, told through a pipe, stops it when ``tekan`` itself is killed (SIGKILL), since then no code of
``tekan`` runs: the pipe closes without its "done".
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

#: Seconds a stopped group has to exit after SIGTERM before it gets SIGKILL.
GRACE = 5.0

#: The watchdog: waits for its standard input to close; unless it first read "done", stops the group.
_WATCHDOG = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
group = int(sys.argv[1])
if sys.stdin.buffer.read() != b"done":
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, 0)):
        try:
            os.killpg(group, sig)
        except (ProcessLookupError, PermissionError):
            break
        end = time.monotonic() + wait
        while time.monotonic() < end:
            time.sleep(0.05)
            try:
                os.killpg(group, 0)
            except (ProcessLookupError, PermissionError):
                sys.exit(0)
""".replace("GRACE", repr(GRACE))


class Terminated(BaseException):
    """``tekan`` received SIGTERM or SIGHUP; raised where it was, so children are stopped on the way out."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal.Signals(signal_number).name)
        self.signal_number = signal_number


def _raise_terminated(signal_number: int, frame: FrameType | None) -> None:
    raise Terminated(signal_number)


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP raise :class:`Terminated` (like Ctrl-C raises KeyboardInterrupt)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_terminated)


def stop_group(child: subprocess.Popen[bytes]) -> None:
    """Stop ``child`` and every process in its group: SIGTERM, then SIGKILL after ``GRACE`` seconds."""
    for sig, grace in ((signal.SIGTERM, GRACE), (signal.SIGKILL, None)):
        try:
            os.killpg(child.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; what is left of its group (a worker, XeLaTeX) goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        break
    child.wait()


def run_guarded(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    """Run ``command`` to completion in its own process group, guarded by a watchdog; return its exit status."""
    output = subprocess.DEVNULL if quiet else None
    child = subprocess.Popen(list(command), cwd=cwd, stdout=output, stderr=output, start_new_session=True)
    watchdog = _start_watchdog(child.pid)
    try:
        return child.wait()
    except BaseException:  # Ctrl-C, SIGTERM (Terminated), an error in tekan: the child goes too
        stop_group(child)
        raise
    finally:
        _dismiss(watchdog)


def _start_watchdog(group: int) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WATCHDOG, str(group)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal reaches tekan, not the watchdog
        )
    except OSError:  # no watchdog (cannot start one): Ctrl-C and SIGTERM still stop the child
        return None


def _dismiss(watchdog: subprocess.Popen[bytes] | None) -> None:
    if watchdog is None or watchdog.stdin is None:
        return
    try:
        watchdog.stdin.write(b"done")
        watchdog.stdin.close()
    except OSError:
        pass
    try:
        watchdog.wait(timeout=GRACE)
    except subprocess.TimeoutExpired:
        watchdog.kill()
