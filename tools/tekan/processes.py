"""Child processes (Sphinx) that never outlive ``tekan``.

Each child runs in its own process group (with its own children: Sphinx's ``-j`` workers), so it can be
stopped as a whole. ``tekan`` stops the group when it is interrupted (Ctrl-C) or
terminated (SIGTERM, SIGHUP: turned into :class:`Terminated` by :func:`stop_on_signals`); and a watchdog
process, told through a pipe, stops it when ``tekan`` itself is killed (SIGKILL), since then no code of
``tekan`` runs: the pipe closes without its "done".

A Sphinx run (``python -m sphinx …``) is a child forked from ``tekan`` itself rather than a fresh interpreter, on
systems that can fork: Sphinx and its extensions (:func:`preload_sphinx`) and the books ``tekan`` loaded to check
them (:func:`tekan.book.loaded_book`) are in memory already, so each of the nine runs of ``make book`` starts at its
first page instead of importing for most of a second. The child is otherwise what the fresh process was (its own
session and group, the default signals, no file descriptors but its standard streams, ``sys.argv`` as ``-m sphinx``
gives it).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import IO, NoReturn, Protocol

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


class Child(Protocol):
    """A running child: a :class:`subprocess.Popen`, or a :class:`ForkedSphinx`."""

    pid: int

    def wait(self, timeout: float | None = None) -> int: ...


def stop_group(child: Child) -> None:
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
_RUNNING: set[Child] = set()
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
    child: Child
    if forks_sphinx(command):
        forked = ForkedSphinx(command, cwd, quiet)
        child, stderr = forked, forked.stderr
    else:
        output = subprocess.DEVNULL if quiet else None
        errors = subprocess.DEVNULL if quiet else subprocess.PIPE
        popen = subprocess.Popen(list(command), cwd=cwd, stdout=output, stderr=errors, start_new_session=True)
        child, stderr = popen, popen.stderr
    with _RUNNING_LOCK:
        _RUNNING.add(child)
    try:
        return _wait_guarded(child, stderr, command, limit)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(child)


def _wait_guarded(child: Child, stderr: IO[bytes] | None, command: Sequence[str], limit: float | None) -> int:
    watchdog = _start_watchdog(child.pid)
    relay = None if stderr is None else _Relay(stderr, command)
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


#: Set (to anything) to run each Sphinx build in a fresh interpreter, as before forking (to compare the two).
NO_FORK = "TEKAN_NO_FORK"

#: What a Sphinx build of Tekan imports, imported once in ``tekan`` before its first forked build (a module not
#: installed is skipped: the child imports whatever it needs either way, this only saves each build the time). Not
#: Sphinx's built-in extensions: one of them (``sphinx.domains.python``) translates a label when it is imported
#: after Sphinx's translations are set up, as in a fresh process, and leaves it to the edition's language when
#: imported before (the site's ``objects.inv`` would change); nor the a11y_pygments styles, which configure the
#: root logger when imported. Tekan's segmenting first: it imports jieba without setuptools' pkg_resources (0.25 s),
#: which jieba imports when Sphinx's Chinese search (``sphinx.search.zh``) imports it first.
SPHINX_MODULES = (
    "tekan.segmenting",
    "sphinx.cmd.build",
    "sphinx.application",
    "sphinx.jinja2glue",
    "sphinx.util.template",
    "sphinx.ext.mathjax",
    "sphinx.ext.doctest",
    "sphinx.search.en",
    "sphinx.search.zh",
    "docutils.languages.en",
    "docutils.languages.zh_tw",
    "docutils.parsers.rst.languages.zh_tw",
    "myst_parser.sphinx_ext.main",
    "myst_parser.sphinx_ext.myst_refs",
    "myst_parser.sphinx_ext.directives",
    "myst_parser.sphinx_ext.mathjax",
    "myst_parser.parsers.sphinx_",
    "furo",
    "sphinx_basic_ng",
    "pygments.styles.native",
    "notfound.extension",
    "sphinxext.opengraph",
    "tekan.sphinxext",
    "tekan.sphinxext.typst",
    "xml.dom.minidom",
)
#: What only one builder imports, imported before its own first build (an HTML build does not need the PDF's
#: typesetter and finisher, 0.1 s of imports, nor the EPUB cover's imaging library).
BUILDER_MODULES = {
    "epub": ("PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "PIL.PngImagePlugin"),
    "typst": ("typst", "pikepdf"),
}


#: The process name of a forked Sphinx build (``/proc/PID/comm``).
SPHINX_NAME = "sphinx-build"


def forks_sphinx(command: Sequence[str]) -> bool:
    """Whether ``command`` runs as a child forked from ``tekan`` (a Sphinx build, where the system can fork)."""
    sphinx = len(command) > 3 and list(command[:3]) == [sys.executable, "-m", "sphinx"]
    # Only from the main thread: editions built side by side wait for their builds in threads of their own, and a
    # fork taken while another thread holds a lock (an import's, a stream's) would leave the child waiting on it
    # for ever; those builds start a fresh interpreter.
    main = threading.current_thread() is threading.main_thread()
    return sphinx and main and hasattr(os, "fork") and sys.platform.startswith("linux") and not os.environ.get(NO_FORK)


def preload_sphinx(builder: str = "") -> None:
    """Import what a Sphinx build with ``builder`` imports (once; each forked build finds it in memory)."""
    import importlib
    import io

    # Nothing an import prints reaches the editor (sphinxext-opengraph prints a line about matplotlib, for social
    # cards Tekan does not make; tekan.sphinxext.sitemeta silences it where Sphinx imports it).
    with contextlib.redirect_stdout(io.StringIO()):
        for name in (*SPHINX_MODULES, *BUILDER_MODULES.get(builder, ())):
            with contextlib.suppress(ImportError):
                importlib.import_module(name)


class ForkedSphinx:
    """``python -m sphinx ARGS`` run in a child forked from this process (see the module's note); its standard
    error is a pipe (``stderr``) unless ``quiet``, which sends both streams to ``/dev/null``."""

    def __init__(self, command: Sequence[str], cwd: Path | None, quiet: bool) -> None:
        preload_sphinx(command[command.index("-b") + 1] if "-b" in command[:-1] else "")
        read, write = (None, None) if quiet else os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing of the parent's buffers printed twice
            if stream is not None:
                stream.flush()
        try:
            self.pid = os.fork()
        except OSError:  # no memory for another process: the pipe goes, the error is tekan's one line
            for fd in (read, write):
                if fd is not None:
                    os.close(fd)
            raise
        if self.pid == 0:  # the child: never returns
            _run_module_child(command[2], list(command[3:]), cwd, write)
        self.returncode: int | None = None
        self.stderr: IO[bytes] | None = None
        if write is not None and read is not None:
            os.close(write)
            self.stderr = os.fdopen(read, "rb")

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The exit status (negative: the signal that ended it); ``subprocess.TimeoutExpired`` after ``timeout``."""
        if self.returncode is not None:
            return self.returncode
        if timeout is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode
        end = time.monotonic() + timeout
        delay = 0.0005
        while self.poll() is None:
            left = end - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(["sphinx"], timeout)
            delay = min(delay * 2, left, 0.05)
            time.sleep(delay)
        assert self.returncode is not None
        return self.returncode


#: True in a Sphinx build forked from ``tekan`` (:func:`forked_child`).
_FORKED_CHILD = False


def forked_child() -> bool:
    """Whether this process is a Sphinx build forked from ``tekan``: a process of one build, which ends with it."""
    return _FORKED_CHILD


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in ``tekan``'s own process while it builds (as it was, after).

    That process loads and checks the books, forks each Sphinx build and publishes: it makes little cyclic garbage,
    and each full collection walks every object alive, the imported Sphinx and the loaded books (0.1 s of CPU of
    an edit at 1,600 statements). Its forked builds collect again (:func:`_run_module_child`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What was made meanwhile goes to the oldest generation uncollected: the first collection after it would
            # otherwise walk all of it at once, books included (freeze and unfreeze move it there without a walk).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _run_module_child(module: str, args: list[str], cwd: Path | None, stderr: int | None) -> NoReturn:
    """In the forked child: become what ``python -m MODULE ARGS`` started with ``start_new_session`` would be, run
    the module as ``-m`` does, and exit with its status (never returning into the parent's code)."""
    global _FORKED_CHILD
    status = 1
    try:
        _FORKED_CHILD = True
        # What the child inherits (Sphinx's modules, the loaded book) lives as long as it does: out of the collector's
        # walks, which would otherwise go through all of it at each full collection of the build.
        gc.enable()
        gc.freeze()
        os.setsid()
        with contextlib.suppress(OSError):  # the name `ps` and `top` show (its command line is tekan's)
            Path("/proc/self/comm").write_text(SPHINX_NAME, encoding="ascii")
        for sig in (signal.SIGTERM, signal.SIGHUP):  # tekan's handlers raise Terminated: Sphinx has the defaults
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if stderr is None:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
        else:
            os.dup2(stderr, 2)
        os.closerange(3, _max_fd())  # as Popen's close_fds: the lock file, the pipes of other children
        _fresh_streams()
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["-m", *args]  # as ``python -m sphinx ARGS`` (runpy puts the module's file first)
        sys.path[0:0] = [os.getcwd()]  # as ``-m`` puts it first
        import runpy

        runpy.run_module(module, run_name="__main__", alter_sys=True)
        status = 0
    except SystemExit as exc:  # how ``sphinx.__main__`` ends: ``raise SystemExit(main(…))``
        status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if not isinstance(exc.code, int | None):  # a message, as the interpreter prints it
            print(exc.code, file=sys.stderr)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)


def _fresh_streams() -> None:
    """``sys.stdout`` and ``sys.stderr`` on the child's file descriptors 1 and 2, as a fresh interpreter has them (the
    parent's may be something else: a test's capture)."""
    import io

    for fd, name in ((1, "stdout"), (2, "stderr")):
        original = getattr(sys, f"__{name}__", None)
        stream = io.TextIOWrapper(
            io.FileIO(fd, "w", closefd=False),
            encoding=getattr(original, "encoding", None) or "utf-8",
            errors=getattr(original, "errors", None) or "backslashreplace",
            line_buffering=name == "stderr",
        )
        setattr(sys, name, stream)


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 4096


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
