"""Shared fixtures: Sphinx's test fixtures, and the project's own paths."""

from __future__ import annotations

import os
from pathlib import Path

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
