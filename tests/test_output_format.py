"""A new output format is one record (plus the module that makes it): this file defines a plain-text format —
Sphinx's text builder, a finishing step that joins its pages into one file — registers it, and builds a book in
it through Tekan's own steps; the published file lands where the record says, and the site links it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tekan.building import build_edition
from tekan.editions import HANT
from tekan.runner import Runner
from tekan.target import FORMATS, HTML, Inputs, OutputFormat, Site, Target, register_format

from .conftest import ROOT

pytestmark = pytest.mark.sphinx

TEXT = OutputFormat(
    key="txt",
    builder="text",
    label="TXT",
    suffix=".txt",
    media_type="text/plain",
    finish="tests.test_output_format:join_pages",
)


def join_pages(built: Path, target: Target, runner: Runner) -> Path:
    """The finishing step: every page of Sphinx's text output, in name order, as one file."""
    del target, runner
    book = built / "book.txt"
    book.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(built.rglob("*.txt")) if p != book))
    return book


@pytest.fixture
def text_format() -> Iterator[OutputFormat]:
    register_format(TEXT)
    try:
        yield TEXT
    finally:
        FORMATS.pop(TEXT.key, None)


def in_process(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    from sphinx.cmd.build import build_main

    assert list(command[1:3]) == ["-m", "sphinx"]
    return build_main(list(command[3:]))


def test_a_format_is_one_record(text_format: OutputFormat, tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", book)
    inputs = Inputs(book / "seed.txt", book / "terms.toml")
    site = Site(("hant",), (("hant", ("txt",)),))
    out = tmp_path / "out"
    published = build_edition(Target(HANT, inputs, text_format, site=site, name="minimal"), out, runner=in_process)
    assert published == out / "txt" / "minimal-zh-hant.txt"
    assert "計量為質量賦能" in published.read_text(encoding="utf-8")
    build_edition(Target(HANT, inputs, HTML, site=site, name="minimal"), out, runner=in_process)
    page = BeautifulSoup((out / "html" / "zh-hant" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a.get_text() for a in page.select("nav.tekan-editions .tekan-downloads a")}
    assert links == {"../../txt/minimal-zh-hant.txt": "TXT"}
    assert (out / "html" / "zh-hant" / "../../txt/minimal-zh-hant.txt").resolve().is_file()
