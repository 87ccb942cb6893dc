"""Shared fixtures: Sphinx's test fixtures, and the project's own paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    result = tekan("build", "all", "--script", "all", "--out", str(out), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr[-3000:]
    return out
