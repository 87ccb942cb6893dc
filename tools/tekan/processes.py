"""Child processes (Sphinx) that never outlive ``tekan``.

Each child runs in its own process group (with its own children: Sphinx's ``-j`` workers), so it can be
stopped as a whole. ``tekan`` stops the group when it is interrupted (Ctrl-C) or
terminated (SIGTERM, SIGHUP: turned into :class:`Terminated` by :func:`stop_on_signals`); and a watchdog
process, told through a pipe, stops it when ``tekan`` itself is killed (SIGKILL), since then no code of
``tekan`` runs: the pipe closes without its "done".
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import IO

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


_NO_SPACE = re.compile(r"\[Errno 28\] No space left on device(?:: '([^']*)')?|OSError\(28, ")
#: The first line of Sphinx's crash report ("Extension error (tekan.sphinxext.pages)!", "Exception occurred:").
_REPORT_START = re.compile(r"^(?:[A-Z][A-Za-z ]* error(?: \([\w.]+\))?!|Exception occurred:)$")
_EXCEPTION = re.compile(r"^[A-Za-z_.]*(?:Error|Exception|Interrupt|Exit)\b.*:")


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
        # The leader is gone; what is left of its group (a worker) goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        break
    child.wait()


def run_guarded(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    """Run ``command`` to completion in its own process group, guarded by a watchdog; return its exit status."""
    output = subprocess.DEVNULL if quiet else None
    errors = subprocess.DEVNULL if quiet else subprocess.PIPE
    child = subprocess.Popen(list(command), cwd=cwd, stdout=output, stderr=errors, start_new_session=True)
    watchdog = _start_watchdog(child.pid)
    relay = None if child.stderr is None else _Relay(child.stderr)
    try:
        status = child.wait()
    except BaseException:  # Ctrl-C, SIGTERM (Terminated), an error in tekan: the child goes too
        stop_group(child)
        raise
    finally:
        _dismiss(watchdog)
        if relay is not None:
            relay.join()
    if relay is not None and (relay.report or (status and relay.no_space)):
        relay.summarise(command)
    return status


class _Relay(threading.Thread):
    """Passes a child's messages (Sphinx's warnings) through as they come, but holds back a crash report
    (``Versions`` / ``Last Messages`` / ``Traceback`` …) and prints it as one line at the end."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.report: list[str] = []
        self.no_space: list[str] = []
        self.start()

    def run(self) -> None:
        blank = 0
        for raw in self.stream:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if self.report or line == "Versions" or _REPORT_START.match(line):
                self.report.append(line)
            elif _NO_SPACE.search(line):  # one warning per file Sphinx could not write: said once, at the end
                self.no_space.append(line)
            elif not line.strip():
                blank += 1  # held: a crash report starts with blank lines
            else:
                sys.stderr.write("\n" * blank + line + "\n")
                sys.stderr.flush()
                blank = 0

    def summarise(self, command: Sequence[str]) -> None:
        """Raise OSError for a full disk (tekan names the place in one line); else print the report's gist."""
        text = "\n".join(self.report + self.no_space)
        full = _NO_SPACE.search(text)
        if full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), full[1] or (command[-1] if command else None))
        errors = [line.strip() for line in self.report if _EXCEPTION.match(line.strip())]
        saved = next((line.strip() for line in self.report if line.strip().startswith("/tmp/sphinx-err")), "")
        gist = errors[-1] if errors else "crashed"
        program = command[2] if len(command) > 2 and command[1] == "-m" else Path(command[0]).name
        sys.stderr.write(f"{program}: {gist}")
        sys.stderr.write(f" (full report: {saved})\n" if saved else "\n")


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
