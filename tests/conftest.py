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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_fbd3bd184db56f6a.txt"
GLOSSARY = ROOT / "glossary" / "terms.toml"
# Test roots are copied to a temporary folder; their conf.py finds the project through this.
os.environ["TEKAN_PROJECT_ROOT"] = str(ROOT)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where the sphinx.testing roots live (``tests/roots/test-*``)."""
    return Path(__file__).parent / "roots"


#: SOURCE_DATE_EPOCH of the shared build (2021-09-01T00:00:00Z), so EPUB builds can be compared byte for byte.
EPOCH = "1630454400"
#: The stem of this repository's book's downloads: its identifier (urn:tekan:china-quality-news:2021-hangzhou).
BOOK = "china-quality-news-2021-hangzhou"


def download(out: Path, fmt: str, tag: str, suffix: str = "") -> Path:
    """The one published file of edition ``tag`` in ``fmt`` (epub, pdf) under ``out``, whatever the book's name."""
    found = sorted((out / fmt).glob(f"*-{tag}{suffix}.{fmt}"))
    assert len(found) == 1, f"expected one {fmt} of {tag}{suffix} in {out / fmt}: {found}"
    return found[0]


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
    """The project's book in every format and every edition (both scripts and English), built once per test
    session; the output folder."""
    out = tmp_path_factory.mktemp("book")
    # --strict: the project's own book is a release, so any gap in its metadata fails the suite.
    result = tekan("build", "all", "--edition", "all", "--strict", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def vertical_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The opt-in vertical (直排) Traditional EPUB, built once per test session."""
    out = tmp_path_factory.mktemp("vertical")
    result = tekan(
        "build", "epub", "--script", "hant", "--vertical", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out / "epub" / f"{BOOK}-zh-hant-vertical.epub"


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
    # Every request is answered from the build, the favicon too: a page that asks for a missing file fails its test.
    def log_message(self, format: str, *args: Any) -> None:
        pass


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


@dataclass(frozen=True)
class Installed:
    """Tekan as a stranger gets it: a clean clone of this repository, its wheel, a fresh virtual environment."""

    clone: Path  # `git clone` of this repository (its committed HEAD), as Read the Docs checks it out
    wheel: Path  # built from the clone by `python -m build` (sdist, then the wheel from the sdist)
    bin: Path  # the fresh environment's bin/ (python, pip, tekan), the wheel installed non-editable

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a shell in which ``python`` and ``tekan`` are the installed ones."""
        return {**os.environ, "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": "", **extra}


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """One fresh install for the session, shared by the stranger test and the Read the Docs replay.

    Dependencies come from PyPI through pip's cache, so after the first run this takes seconds, not minutes.
    """
    base = tmp_path_factory.mktemp("installed")
    clone, dist, venv = base / "clone", base / "dist", base / "venv"

    def run(*command: str | Path, cwd: Path = base) -> None:
        result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"

    run("git", "clone", "--quiet", "--no-hardlinks", ROOT, clone)
    run(sys.executable, "-m", "build", "--outdir", dist, clone)
    wheels = sorted(dist.glob("tekan-*.whl"))
    assert len(wheels) == 1, wheels
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[0])
    return Installed(clone, wheels[0], venv / "bin")
