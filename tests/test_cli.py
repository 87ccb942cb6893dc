"""The tekan command: clear one-line errors, no traceback, no partial output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import GLOSSARY, SEED, tekan


def test_check_passes_on_the_project() -> None:
    result = tekan("check")
    assert result.returncode == 0, result.stderr
    assert "16 statements" in result.stderr


def test_convert_writes_pages_and_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert tekan("convert", str(SEED), "--out", str(first)).returncode == 0
    assert tekan("convert", str(SEED), "--out", str(second)).returncode == 0
    pages = sorted(p.relative_to(first) for p in first.rglob("*.md"))
    assert len([p for p in pages if p.parts[0] == "statements"]) == 16
    for page in pages:
        assert (first / page).read_bytes() == (second / page).read_bytes()


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (b"", "s.txt:1: error: the seed is empty [tekan.structure]"),
        (b"\xff\xfe\x00", "s.txt:1: error: not valid UTF-8"),
        ("標題\n正文\n".encode(), "s.txt:1: error: no byline found"),
        ("標題\n正文\n".encode("big5"), "it looks like BIG5"),
    ],
)
def test_bad_seed_gives_one_line_and_no_output(tmp_path: Path, content: bytes, expect: str) -> None:
    seed = tmp_path / "s.txt"
    seed.write_bytes(content)
    out = tmp_path / "out"
    result = tekan("convert", str(seed), "--out", str(out))
    assert result.returncode == 1
    assert expect in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_seed_and_bad_glossary(tmp_path: Path) -> None:
    result = tekan("convert", str(tmp_path / "nope.txt"))
    assert result.returncode == 1 and "cannot read file" in result.stderr
    broken = tmp_path / "terms.toml"
    broken.write_text(GLOSSARY.read_text(encoding="utf-8").replace("[[term]]", "[[term]\n", 1), encoding="utf-8")
    result = tekan("--glossary", str(broken), "check")
    assert result.returncode == 1 and "terms.toml:" in result.stderr and "TOML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_many_warnings_of_one_kind_are_summarised(tmp_path: Path) -> None:
    """A seed of many statements without metadata: ten gap lines and a count, not one line per statement."""
    given = "偉強明華麗軍平剛輝傑"
    names = [f"{a}{b}" for a in given[:4] for b in given]  # 40 names: 張偉偉, 張偉強 …
    statements = "".join(f"標題{n}\n正文{n}。\n——某市市場監管局局長張{name}\n" for n, name in enumerate(names))
    seed = tmp_path / "many.txt"
    seed.write_text(statements + "《某報》\n", encoding="utf-8")
    result = tekan("convert", str(seed), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    gaps = [line for line in result.stderr.splitlines() if line.endswith("[tekan.gap]")]
    assert len(gaps) == 11 and "… and 31 more tekan.gap warning(s)" in gaps[-1], result.stderr  # 40 + the file's


@pytest.mark.parametrize("cores", [1, 2, 3])
def test_the_editions_build_side_by_side_when_there_are_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    """With two cores or more (and Sphinx on one, ``-j 1``) the editions' Sphinx processes run side by side, all three
    at once for a book of this size (each edition's builds are a chain: a third keeps the cores busy); with one,
    one after the other. Either way every edition is published and the landing page lists them."""
    import threading
    import time

    from tekan import building, cli

    monkeypatch.setattr(cli, "_cores", lambda: cores)
    lock, running, most = threading.Lock(), set(), [0]

    def build(target: Any, out: Path, **kwargs: Any) -> Path:
        with lock:
            running.add(target.edition.key)
            most[0] = max(most[0], len(running))
        time.sleep(0.3)
        with lock:
            running.discard(target.edition.key)
        page = out / "html" / target.edition.folder / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<html></html>", encoding="utf-8")
        return page.parent

    monkeypatch.setattr(building, "build_edition", build)
    out = tmp_path / "out"
    from tekan.cli import main

    command = ["--glossary", str(GLOSSARY), "build", "html", "--edition", "all", "--seed", str(SEED), "--out", str(out)]
    assert main(command) == 0
    assert most[0] == (3 if cores > 1 else 1)
    landing = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{folder}/' in landing for folder in ("zh-hant", "zh-hans", "en"))


@pytest.mark.parametrize(
    ("given", "fmt", "statements", "side_by_side", "cores", "jobs"),
    [
        (None, "pdf", 1600, False, 2, "auto"),  # a large PDF alone: every core reads
        (None, "pdf", 500, False, 2, "auto"),
        (None, "pdf", 499, False, 2, "1"),  # smaller: reading in parallel saves nothing
        (None, "pdf", 1600, True, 2, "1"),  # the editions side by side already take the cores
        (None, "pdf", 1600, False, 1, "1"),
        (None, "html", 1600, False, 2, "1"),
        (None, "epub", 1600, False, 2, "1"),
        ("1", "pdf", 1600, False, 2, "1"),  # as the editor asked
        ("3", "html", 16, False, 2, "3"),
    ],
)
def test_a_large_pdf_built_alone_reads_on_every_core(
    monkeypatch: pytest.MonkeyPatch, given: str | None, fmt: str, statements: int, side_by_side: bool, cores: int,
    jobs: str,
) -> None:  # fmt: skip
    from tekan import cli
    from tekan.target import FORMATS

    monkeypatch.setattr(cli, "_cores", lambda: cores)
    assert cli._jobs(given, FORMATS[fmt], statements, side_by_side) == jobs


@pytest.mark.parametrize(("cores", "statements", "at_once"), [(2, 16, 3), (2, 499, 3), (2, 500, 2), (4, 1600, 3)])
def test_a_large_books_editions_build_no_more_at_once_than_there_are_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int, statements: int, at_once: int
) -> None:
    """A large book's PDF compile holds gigabytes: its editions build side by side one per core, not all at once."""
    from tekan import cli

    monkeypatch.setattr(cli, "_cores", lambda: cores)
    assert cli._editions_at_once(3, statements) == at_once


def test_a_build_of_one_edition_prints_only_its_steps(tmp_path: Path) -> None:
    """What an editor reads of a clean build of one edition: its step and where it went, nothing printed by an
    extension on import (sphinxext-opengraph's 「matplotlib is not installed, social cards will not be generated」
    came through the modules tekan imports once for its forked builds)."""
    import re

    result = tekan("build", "html", "--script", "hant", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-2000:]
    lines = (result.stdout + result.stderr).splitlines()
    assert lines and all(re.match(r"\[\d+/\d+\] html \(zh-hant\) …$| +→ ", line) for line in lines), lines
