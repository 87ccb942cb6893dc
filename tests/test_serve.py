"""`tekan serve`: a real sphinx-autobuild process serves the book and rebuilds it when the seed changes."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .stranger import TITLE, write_feature

pytestmark = pytest.mark.sphinx
#: Generous for a loaded two-core machine; a healthy build takes a few seconds.
PATIENCE = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} within {PATIENCE:.0f} s; the server said:\n{log.read_text(encoding='utf-8')[-3000:]}")


@contextlib.contextmanager
def serving(folder: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`tekan serve` in ``folder``, its output in ``log``; (url, server). Stopped (its whole process group:
    the server and its Sphinx run) however the test ends."""
    port = free_port()
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "tekan", "serve", "--port", str(port)],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield f"http://127.0.0.1:{port}/", server
    finally:
        stop_group(server)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """`tekan serve` in a folder holding only an unseen seed; (seed, url, log)."""
    seed = write_feature(tmp_path / "book")
    log = tmp_path / "serve.log"
    with serving(seed.parent, log) as (url, _):
        yield seed, url, log


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_group(server: subprocess.Popen[bytes]) -> None:
    """Ctrl-C (SIGINT) to the server's process group; then, for whatever outlives it (a rebuild that started
    while it shut down), SIGTERM and SIGKILL: no process of the test is left behind."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if group_alive(server.pid):
            os.killpg(server.pid, sig)
        deadline = time.monotonic() + 10
        while group_alive(server.pid) and time.monotonic() < deadline:
            server.poll()  # reap the leader, or it stays a zombie member of the group
            time.sleep(0.2)
    server.wait(timeout=5)


def test_serves_the_book_and_rebuilds_on_a_seed_change(served: tuple[Path, str, Path]) -> None:
    seed, url, log = served
    wait_for(lambda: f"<title>{TITLE}</title>" in fetch(url), "the home page was not served", log)
    page = url + "statements/zhou-wenhua.html"
    assert "讓計量守護民生" in fetch(page)
    assert "/websocket-reload" in fetch(url) or "autobuild" in fetch(url), "the page reloads itself"
    seed.write_text(seed.read_text(encoding="utf-8").replace("讓計量守護民生", "讓計量守護百姓生活"), encoding="utf-8")
    wait_for(lambda: "讓計量守護百姓生活" in fetch(page), "the edited headline was not served", log)
    assert "Detected changes (feature.txt)" in log.read_text(encoding="utf-8")


def test_a_catalog_or_seed_broken_while_serving_is_one_located_line_at_once_and_serve_recovers(
    tmp_path: Path,
) -> None:
    """A Big5 catalog, then a seed with a control character: each said in one line naming the file and line
    while the server runs (not when it exits); each fixed, the preview is rebuilt and served again."""
    seed = write_feature(tmp_path / "book")
    translate = subprocess.run(
        [sys.executable, "-m", "tekan", "translate"], cwd=seed.parent, capture_output=True, text=True, check=False
    )
    assert translate.returncode == 0, translate.stderr
    po = seed.parent / "locale" / "en" / "LC_MESSAGES" / "statements" / "zhou-wenhua.po"
    log = tmp_path / "serve.log"
    with serving(seed.parent, log) as (url, server):
        page = url + "statements/zhou-wenhua.html"
        wait_for(lambda: "讓計量守護民生" in fetch(page), "the page was not served", log)
        good = po.read_bytes()
        po.write_bytes(good.decode("utf-8").encode("big5hkscs"))
        located = f"{po}:1: error: not valid UTF-8"
        wait_for(lambda: located in log.read_text(encoding="utf-8"), "the Big5 catalog was not reported", log)
        assert server.poll() is None  # said while serving
        said = [line for line in log.read_text(encoding="utf-8").splitlines() if "zhou-wenhua.po:" in line]
        assert said and said[0].startswith(located) and said[0].endswith("[tekan.encoding]"), said
        po.write_bytes(good)
        seed.write_text(seed.read_text(encoding="utf-8").replace("讓計量守護民生", "讓計量守護百姓"), encoding="utf-8")
        wait_for(lambda: "讓計量守護百姓" in fetch(page), "the preview did not recover", log)
        text = seed.read_text(encoding="utf-8")
        line = text.split("\n").index("讓計量守護百姓") + 2  # the paragraph after the headline
        lines = text.split("\n")
        lines[line - 1] = lines[line - 1][:2] + "\x1b" + lines[line - 1][2:]
        seed.write_text("\n".join(lines), encoding="utf-8")
        where = f"{seed}:{line}: error: invisible control character U+001B at column 3"
        wait_for(lambda: where in log.read_text(encoding="utf-8"), "the broken seed was not reported", log)
        assert server.poll() is None
        seed.write_text(text.replace("讓計量守護百姓", "讓計量守護民生"), encoding="utf-8")
        wait_for(lambda: "讓計量守護民生" in fetch(page), "the preview did not recover from the seed", log)
