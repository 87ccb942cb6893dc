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

from .errors import Kind, TekanError

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


def step_name(command: Sequence[str]) -> str:
    """What a child process does, for a message: ``Sphinx (html)``, ``XeLaTeX (latexmk)``, ``fc-list``."""
    program = command[2] if len(command) > 2 and command[1] == "-m" else Path(command[0]).name if command else "?"
    if program == "sphinx":
        return f"Sphinx ({command[command.index('-b') + 1]})" if "-b" in command else "Sphinx"
    return "XeLaTeX (latexmk)" if program == "latexmk" else program


def time_limit_error(command: Sequence[str], limit: float) -> TekanError:
    """The one line said when a child process ran out of time (it and its group were stopped)."""
    return TekanError(
        f"{step_name(command)} did not finish within {limit:g} s and was stopped, with every process it started; "
        f"the output was left as it was (a larger book may need longer: tekan build --time-limit SECONDS)",
        Path("--time-limit"),
        Kind.io,
    )


#: The children running now, each waited for by its thread (editions built side by side): when tekan stops, the
#: thread that was interrupted stops them all (:func:`stop_running`).
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()


def stop_running() -> None:
    """Stop every child still running, with its group (the main thread, interrupted while other threads wait for
    their children: Ctrl-C and SIGTERM reach only the main thread)."""
    with _RUNNING_LOCK:
        children = list(_RUNNING)
    for child in children:
        stop_group(child)


def run_guarded(
    command: Sequence[str], cwd: Path | None = None, quiet: bool = False, limit: float | None = None
) -> int:
    """Run ``command`` to completion in its own process group, guarded by a watchdog; return its exit status.

    Past ``limit`` seconds (None: no limit) the group is stopped and :class:`TekanError` names the step.
    """
    output = subprocess.DEVNULL if quiet else None
    errors = subprocess.DEVNULL if quiet else subprocess.PIPE
    child = subprocess.Popen(list(command), cwd=cwd, stdout=output, stderr=errors, start_new_session=True)
    with _RUNNING_LOCK:
        _RUNNING.add(child)
    try:
        return _wait_guarded(child, command, limit)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(child)


def _wait_guarded(child: subprocess.Popen[bytes], command: Sequence[str], limit: float | None) -> int:
    watchdog = _start_watchdog(child.pid)
    relay = None if child.stderr is None else _Relay(child.stderr, command)
    try:
        status = child.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        stop_group(child)
        raise time_limit_error(command, limit or 0) from None
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


#: The last line of Sphinx's crash report: the report is complete (a preview's server lives on after it).
_REPORT_END = "Please also report this if it was a user error"
#: A Tekan error carried by Sphinx's report (the extension raised it as an ExtensionError): ``path:line: message
#: [tekan.kind]``, said as Tekan says its own.
_TEKAN_ERROR = re.compile(r"^(?:[\w.]*(?:Error|Exception): )?(.+?): (.+ \[tekan\.\w+\])$")


class _Relay(threading.Thread):
    """Passes a child's messages (Sphinx's warnings) through as they come, but holds back a crash report
    (``Versions`` / ``Last Messages`` / ``Traceback`` …) and prints it as one line when it is complete — at
    once, so a preview (sphinx-autobuild, which lives on) shows it when it happens."""

    def __init__(self, stream: IO[bytes], command: Sequence[str] = ()) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.command = command
        self.report: list[str] = []
        self.no_space: list[str] = []
        self.start()

    def run(self) -> None:
        blank = 0
        for raw in self.stream:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if self.report or line == "Versions" or _REPORT_START.match(line):
                self.report.append(line)
                if line.startswith(_REPORT_END):  # complete: said now, unless a full disk (one line at the end)
                    if _NO_SPACE.search("\n".join(self.report)):
                        self.no_space += self.report
                    else:
                        self.say(self.report)
                    self.report = []
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
        if self.report:
            self.say(self.report)

    def say(self, report: list[str]) -> None:
        """One line for a crash report: a Tekan error as Tekan says it, else the exception and the report's file."""
        errors = [line.strip() for line in report if _EXCEPTION.match(line.strip())]
        saved = next((line.strip() for line in report if line.strip().startswith("/tmp/sphinx-err")), "")
        gist = errors[-1] if errors else "crashed"
        tekan = _TEKAN_ERROR.match(gist)
        if tekan:
            sys.stderr.write(f"{tekan[1]}: error: {tekan[2]}\n")
        else:
            command = self.command
            program = command[2] if len(command) > 2 and command[1] == "-m" else Path(command[0]).name
            sys.stderr.write(f"{program}: {gist}")
            sys.stderr.write(f" (full report: {saved})\n" if saved else "\n")
        sys.stderr.flush()


#: Seconds a quick query (fontconfig's fc-list, fc-match, fc-query) may take.
QUERY_LIMIT = 120.0


def query(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run a quick query such as ``fc-list`` (its output captured); one line naming it when it hangs."""
    try:
        return subprocess.run(
            list(command), capture_output=True, text=True, check=False, timeout=QUERY_LIMIT, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:  # run() killed it (a query starts no children)
        raise time_limit_error(command, QUERY_LIMIT) from None


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
