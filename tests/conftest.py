"""Shared fixtures: Sphinx's test fixtures, and the project's own paths."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_fbd3bd184db56f6a.txt"
GLOSSARY = ROOT / "glossary" / "terms.toml"
# Test roots are copied to a temporary folder; their conf.py finds the project through this.
os.environ["TEKAN_PROJECT_ROOT"] = str(ROOT)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under CI (``CI=true``) benchmark-sized tests are skipped, visibly, unless ``-m slow`` asks for them."""
    if os.environ.get("CI", "").lower() not in ("1", "true") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow (benchmark-sized): skipped under CI=true; run with `pytest -m slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where the sphinx.testing roots live (``tests/roots/test-*``)."""
    return Path(__file__).parent / "roots"


#: SOURCE_DATE_EPOCH of the shared build (2021-09-01T00:00:00Z), so EPUB builds can be compared byte for byte.
EPOCH = "1630454400"


def tekan(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the ``tekan`` command as an editor would (``python -m tekan``), capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "tekan", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def book_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's book in every format and both scripts, built once per test session; the output folder."""
    out = tmp_path_factory.mktemp("book")
    # --strict: the project's own book is a release, so any gap in its metadata fails the suite.
    result = tekan("build", "all", "--script", "all", "--strict", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Headless Chromium that never reaches for the network on its own.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EDITIONS = ("zh-hant", "zh-hans")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # browsers ask for it; the site has none
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(scope="session")
def site(book_out: Path) -> Iterator[str]:
    """Serve the session's build of the book (both HTML editions and the downloads); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(book_out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's, driven by Playwright) for the whole session; fails, never skips."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run tools/setup.sh (it installs the test extras)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run tools/setup.sh as root (Debian package chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
