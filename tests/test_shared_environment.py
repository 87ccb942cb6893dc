"""The formats of an edition share what Sphinx read: a PDF built after the HTML reads no page again and is the same
PDF, byte for byte, as one built alone; an edit reaches every format whichever is built first; and the site's
pages link a PDF published after them without reading any page again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GLOSSARY, ROOT

pytestmark = pytest.mark.sphinx

SEED = (
    "以計量守護民生\n市場上的每一桿秤都關係民生，計量檢定要做到位。\n——江西省計量測試研究院院長周一鳴\n"
    "檢驗檢測助力出口\n檢驗檢測機構為企業出口提供認證服務。\n——廈門市標準化協會會長吳海燕\n南方質量報\n"
)


def build(fmt: str, seed: Path, out: Path) -> None:
    command = [sys.executable, "-m", "tekan", "--glossary", str(GLOSSARY), "build", fmt, "--script", "hant"]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(
        [*command, "--seed", str(seed), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def pdf_text(out: Path) -> str:
    (pdf,) = sorted((out / "pdf").glob("*.pdf"))
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_after_the_html_reads_nothing_again_and_is_the_same_pdf(tmp_path: Path) -> None:
    seed = tmp_path / "book" / "seed.txt"
    seed.parent.mkdir()
    seed.write_text(SEED, encoding="utf-8")
    after, alone = tmp_path / "after", tmp_path / "alone"
    build("html", seed, after)
    build("pdf", seed, after)
    build("pdf", seed, alone)
    work = after / ".work" / "zh-hant"
    environment = "environment.pickle"
    # Sphinx rewrites its environment whenever it reads a page: the PDF's is still the one the HTML build read.
    assert (work / "doctrees-typst" / environment).read_bytes() == (work / "doctrees-html" / environment).read_bytes()
    (built_after,), (built_alone,) = sorted((after / "pdf").glob("*.pdf")), sorted((alone / "pdf").glob("*.pdf"))
    assert built_after.read_bytes() == built_alone.read_bytes()


def pdf_links(out: Path, page: str) -> list[str]:
    html = (out / "html" / "zh-hant" / page).read_text(encoding="utf-8")
    return re.findall(r'href="([^"]+\.pdf)"', html)


def test_an_edit_reaches_the_site_after_the_pdf_read_it(tmp_path: Path) -> None:
    seed = tmp_path / "book" / "seed.txt"
    seed.parent.mkdir()
    seed.write_text(SEED, encoding="utf-8")
    out = tmp_path / "out"
    build("html", seed, out)
    assert pdf_links(out, "index.html") == []
    build("pdf", seed, out)
    build("html", seed, out)  # nothing to read again, but the pages now link the published PDF
    assert pdf_links(out, "index.html") and pdf_links(out, "glossary.html")
    seed.write_text(SEED.replace("每一桿秤", "每一台電子秤"), encoding="utf-8")
    build("pdf", seed, out)  # reads the edited page first
    build("html", seed, out)
    pages = "".join(p.read_text(encoding="utf-8") for p in (out / "html" / "zh-hant" / "statements").glob("*.html"))
    assert "每一台電子秤" in pages and "每一桿秤" not in pages
    assert "每一台電子秤" in pdf_text(out).replace("\n", "")
