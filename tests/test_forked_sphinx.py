"""A Sphinx build run by tekan is a child forked from tekan (``tekan.processes.ForkedSphinx``): it must be what the
fresh ``python -m sphinx`` process was — its own session, the default signals, only its standard streams open, the
working folder and ``sys.argv`` of ``-m`` — and say its exit status and messages as that process did.

The conf.py of a tiny project, run by Sphinx in the child, writes down what the child sees."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tekan import processes

CONF = """
import json, os, signal, sys
from pathlib import Path
facts = {
    "pid": os.getpid(),
    "sid": os.getsid(0),
    "name": Path("/proc/self/comm").read_text().strip(),
    "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
    "term": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
    "hup": signal.getsignal(signal.SIGHUP) == signal.SIG_DFL,
    "argv0": sys.argv[0],
    "path0": sys.path[0],
}
Path(os.environ["TEKAN_TEST_FACTS"]).write_text(json.dumps(facts))
sys.stderr.write("a line from the child\\n")
if os.environ.get("TEKAN_TEST_SLEEP"):
    import time
    time.sleep(300)
project = "x"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.rst").write_text("Title\n=====\n\nText.\n", encoding="utf-8")
    monkeypatch.setenv("TEKAN_TEST_FACTS", str(tmp_path / "facts.json"))
    monkeypatch.delenv(processes.NO_FORK, raising=False)
    return src


def sphinx(src: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-q", "-b", "html", *options, str(src), str(src.parent / "out")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds are forked on Linux only")
def test_a_forked_build_is_what_the_fresh_process_was(
    project: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    held = os.open(tmp_path / "held", os.O_CREAT | os.O_RDWR)  # as the output folder's lock file is held
    try:
        assert processes.forks_sphinx(sphinx(project))
        assert processes.run_guarded(sphinx(project), cwd=tmp_path, limit=300) == 0
    finally:
        os.close(held)
    facts = json.loads((tmp_path / "facts.json").read_text())
    assert facts["pid"] != os.getpid() and facts["sid"] == facts["pid"]  # its own session (and process group)
    assert facts["name"] == processes.SPHINX_NAME  # what ps and top show (a fresh process: "python")
    assert held not in facts["fds"] and max(facts["fds"]) <= 3, facts["fds"]  # 0-2, and the conf.py it reads
    assert facts["term"] and facts["hup"]  # not tekan's handlers (they raise Terminated)
    assert facts["argv0"].endswith(os.path.join("sphinx", "__main__.py"))
    assert facts["path0"] == str(tmp_path)  # the working folder (Sphinx reads conf.py in its own folder)
    assert (project.parent / "out" / "index.html").is_file()
    assert "a line from the child" in capfd.readouterr().err  # relayed as the fresh process's was


def test_a_forked_builds_exit_status_and_a_fresh_ones_are_the_same(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    (project / "index.rst").write_text("Title\n=====\n\n:unknownrole:`x`\n", encoding="utf-8")  # a warning
    statuses = []
    for fork in (True, False):
        if not fork:
            monkeypatch.setenv(processes.NO_FORK, "1")
        assert processes.forks_sphinx(sphinx(project)) == (fork and sys.platform.startswith("linux"))
        statuses.append(processes.run_guarded(sphinx(project, "-W", "-E"), cwd=tmp_path, limit=300))
        err = capfd.readouterr().err
        assert "unknownrole" in err, err
    assert statuses == [1, 1]  # -W: the warning made an error, in both
    assert processes.run_guarded(sphinx(project, "--no-such-option"), cwd=tmp_path, limit=300) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds are forked on Linux only")
def test_a_forked_build_past_its_time_limit_is_stopped_in_one_line(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import time

    from tekan.errors import TekanError

    monkeypatch.setenv("TEKAN_TEST_SLEEP", "1")
    started = time.monotonic()
    with pytest.raises(TekanError, match=r"^--time-limit: Sphinx \(html\) did not finish within 2 s and was stopped"):
        processes.run_guarded(sphinx(project), cwd=tmp_path, limit=2)
    assert time.monotonic() - started < 30
    pid = json.loads((tmp_path / "facts.json").read_text())["pid"]
    with pytest.raises(ChildProcessError):  # stopped and reaped: no such child any more
        os.waitpid(pid, os.WNOHANG)
    assert not Path("/proc", str(pid)).exists()
    capfd.readouterr()


def test_a_build_waited_for_in_another_thread_is_not_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Editions built side by side wait for their builds in threads: a fork taken while another thread holds a lock
    would leave the child waiting on it, so those builds start a fresh interpreter (the main thread still forks)."""
    import threading

    monkeypatch.delenv(processes.NO_FORK, raising=False)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "src", "out"]
    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(processes.forks_sphinx(command)))
    thread.start()
    thread.join()
    assert seen == [False]
    assert processes.forks_sphinx(command) == sys.platform.startswith("linux")
