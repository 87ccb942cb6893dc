"""A rebuild with nothing changed runs no Sphinx; any input that changed makes it build again."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from tekan.building import inputs_stamp
from tekan.editions import HANT
from tekan.target import HTML, Inputs, Target

from .conftest import tekan

ROOTS = Path(__file__).parent / "roots"


def _build(book: Path, out: Path) -> str:
    result = tekan(
        "--glossary", str(book / "terms.toml"), "build", "html", "--script", "hant",
        "--seed", str(book / "seed.txt"), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_nothing_changed_runs_no_sphinx_and_an_edit_builds_again(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-minimal", book)
    out = tmp_path / "out"
    _build(book, out)
    page = out / "html" / "zh-hant" / "statements" / "li-si.html"
    first = page.stat().st_mtime_ns
    doctrees = out / ".work" / "zh-hant" / "doctrees-html"
    environment = (doctrees / "environment.pickle").stat().st_mtime_ns
    _build(book, out)
    assert page.stat().st_mtime_ns == first
    assert (doctrees / "environment.pickle").stat().st_mtime_ns == environment, "Sphinx ran"
    # An edited seed is read again and the page rewritten.
    seed = book / "seed.txt"
    time.sleep(0.01)
    seed.write_text(seed.read_text(encoding="utf-8").replace("檢驗檢測傳遞信任。", "檢驗檢測傳遞信任與價值。"), "utf-8")
    _build(book, out)
    assert "傳遞信任與價值" in page.read_text(encoding="utf-8")
    # A published edition that went missing is built again, even with nothing changed.
    shutil.rmtree(out / "html" / "zh-hant")
    _build(book, out)
    assert "傳遞信任與價值" in page.read_text(encoding="utf-8")


def test_the_stamp_follows_the_command_the_inputs_and_the_environment(tmp_path: Path, monkeypatch) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-minimal", book)
    seed, glossary = book / "seed.txt", book / "terms.toml"
    target = Target(HANT, Inputs(seed, glossary), HTML)

    def stamp(*command: str) -> str:
        return inputs_stamp(list(command), target, None)

    base = stamp("sphinx", "-b", "html")
    assert stamp("sphinx", "-b", "html") == base
    assert stamp("sphinx", "-b", "epub") != base
    for path in (seed, glossary, book / "seed.toml"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert stamp("sphinx", "-b", "html") != base, path.name
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert stamp("sphinx", "-b", "html") == base
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    assert stamp("sphinx", "-b", "html") != base


def _edit_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (of the same length) in ``path`` and put its modification time back."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_an_edit_that_keeps_the_size_and_the_modification_time_builds_again(tmp_path: Path) -> None:
    """A seed edited to text of the same length whose modification time is put back (``cp -p`` or
    ``rsync -t`` of another copy, an editor that keeps times) is still an edit: the page shows it."""
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-minimal", book)
    out = tmp_path / "out"
    _build(book, out)
    page = out / "html" / "zh-hant" / "statements" / "li-si.html"
    _edit_keeping_size_and_time(book / "seed.txt", "傳遞信任", "傳遞價值")
    _build(book, out)
    assert "傳遞價值" in page.read_text(encoding="utf-8")


def test_a_changed_configuration_publishes_no_backup_of_sphinx_build_info(tmp_path: Path) -> None:
    """Sphinx keeps its old build info as ``.buildinfo.bak`` when the configuration changed (here the site's
    URL): the published edition holds no such file, as a clean build holds none."""
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-minimal", book)
    out = tmp_path / "out"
    _build(book, out)
    result = tekan(
        "--glossary", str(book / "terms.toml"), "build", "html", "--script", "hant",
        "--seed", str(book / "seed.txt"), "--out", str(out), "--site-url", "https://example.org/book/",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    published = out / "html" / "zh-hant"
    assert (published / "index.html").is_file()
    assert not [p.name for p in published.iterdir() if p.name.startswith(".buildinfo")]


def test_a_glossary_edit_that_keeps_the_size_and_the_time_reaches_the_glossary_downloads(tmp_path: Path) -> None:
    """The CSV and TBX downloads are made again when the glossary's text changed, even where its size and
    modification time did not: they say what the glossary page says."""
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-minimal", book)
    out = tmp_path / "out"
    _build(book, out)
    _edit_keeping_size_and_time(book / "terms.toml", "量值準確可靠的活動", "量值準確一致的活動")
    _build(book, out)
    static = out / "html" / "zh-hant" / "_static"
    assert "量值準確一致的活動" in (out / "html" / "zh-hant" / "glossary.html").read_text(encoding="utf-8")
    assert "量值準確一致的活動" in (static / "tekan-glossary.csv").read_text(encoding="utf-8-sig")
    assert "量值準確一致的活動" in (static / "tekan-glossary.tbx").read_text(encoding="utf-8")


def test_a_build_without_the_site_url_publishes_no_sitemap_of_an_earlier_one(tmp_path: Path) -> None:
    """A sitemap is written only with ``--site-url``: one built with it, then without, publishes none (the
    earlier build's sitemap, with its URLs, is not kept), as a clean build without it has none."""
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "test-minimal", book)
    out = tmp_path / "out"
    result = tekan(
        "--glossary", str(book / "terms.toml"), "build", "html", "--script", "hant",
        "--seed", str(book / "seed.txt"), "--out", str(out), "--site-url", "https://example.org/book/",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sitemap = out / "html" / "zh-hant" / "sitemap.xml"
    assert "https://example.org/book/" in sitemap.read_text(encoding="utf-8")
    _build(book, out)
    assert (out / "html" / "zh-hant" / "index.html").is_file()
    assert not sitemap.exists()
