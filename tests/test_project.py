"""A book is a folder: `tekan` on the current directory, `--project DIR` or `--seed FILE` anywhere, with the
glossary Tekan ships when the book has none; the book's identity in every format; world-readable output;
every Sphinx run through one replaceable runner."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from lxml import etree

from tekan.building import build_edition, sphinx_command
from tekan.editions import HANS, HANT
from tekan.epub import rights_line
from tekan.errors import TekanError
from tekan.project import DEFAULT_GLOSSARY, Project
from tekan.sphinxext.defaults import LOCALE
from tekan.target import EPUB, HTML, Inputs, Target, Variant

from .conftest import GLOSSARY, ROOT, tekan
from .stranger import AUTHOR, COPYRIGHT, FULL_TITLE, METADATA, PUBLISHER, TITLE, foreign_words, write_feature

# --- the folder ------------------------------------------------------------------------------------


def test_seeds_in_seeds_folder_or_in_the_book_folder(tmp_path: Path) -> None:
    assert Project.at(tmp_path).seeds() == []
    loose = write_feature(tmp_path)
    assert Project.at(tmp_path).seed() == loose
    inside = write_feature(tmp_path / "seeds", "other")
    assert Project.at(tmp_path).seeds() == [inside]  # seeds/ wins over loose files


def test_several_seeds_need_a_choice_and_none_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(TekanError, match="no seed found"):
        Project.at(tmp_path).seed()
    write_feature(tmp_path, "a")
    write_feature(tmp_path, "b")
    with pytest.raises(TekanError, match=r"several seeds \(a.txt, b.txt\): choose one with --seed"):
        Project.at(tmp_path).seed()
    assert Project.at(tmp_path).seed(tmp_path / "b.txt") == tmp_path / "b.txt"


def test_glossary_of_the_book_else_the_shipped_one(tmp_path: Path) -> None:
    assert Project.at(tmp_path).glossary() == DEFAULT_GLOSSARY
    own = tmp_path / "glossary" / "terms.toml"
    own.parent.mkdir()
    own.write_text("", encoding="utf-8")
    assert Project.at(tmp_path).glossary() == own
    assert Project.at(tmp_path).glossary("x.toml") == Path("x.toml").resolve()
    assert Project.at(ROOT).conf_dir() == ROOT / "docs" and Project.at(tmp_path).conf_dir() is None


def test_shipped_glossary_is_the_repositorys() -> None:
    """One source of truth: the package's glossary is this repository's glossary/terms.toml."""
    assert DEFAULT_GLOSSARY.read_bytes() == GLOSSARY.read_bytes()


# --- one runner, settings as -D -----------------------------------------------------------------------


def test_the_target_is_one_define_and_no_environment_is_needed(tmp_path: Path) -> None:
    target = Target(HANS, Inputs(tmp_path / "s.txt"), EPUB, Variant(vertical=True), report_gaps=False)
    command = sphinx_command(target, tmp_path / "src", tmp_path / "out", tmp_path / "d", None)
    defines = [command[i + 1] for i, arg in enumerate(command) if arg == "-D"]
    assert defines == ["extensions=tekan.sphinxext", f"tekan_target={target.to_json()}"]
    assert Target.from_json(target.to_json()) == target  # the Sphinx side reads back the same value
    assert "-C" in command  # no conf.py: the extension alone configures the book
    assert "-c" in sphinx_command(target, tmp_path, tmp_path, tmp_path, conf=ROOT / "docs")
    source = (ROOT / "tools" / "tekan").rglob("*.py")
    readers = re.compile(r"environ(\.get)?\(?\[?[\"']TEKAN_|getenv\([\"']TEKAN_")
    assert not [p for p in source if readers.search(p.read_text(encoding="utf-8"))], "settings come through -D"


def test_a_failing_run_goes_through_the_runner_and_publishes_nothing(tmp_path: Path) -> None:
    seen: list[tuple[list[str], Path | None, bool]] = []

    def runner(command: Sequence[str], cwd: Path | None, quiet: bool) -> int:
        seen.append((list(command), cwd, quiet))
        return 2

    with pytest.raises(TekanError, match=r"could not build the html edition \(zh-hant\), exit 2"):
        build_edition(Target(HANT, Inputs(tmp_path / "s.txt"), HTML), tmp_path, runner=runner)
    assert len(seen) == 1 and seen[0][0][1:4] == ["-m", "sphinx", "-b"]
    assert not (tmp_path / "html").exists()


# --- a stranger's folder, with this checkout's tekan ---------------------------------------------


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder holding only an unseen seed and its metadata, built there (HTML and EPUB, Traditional)
    under a umask that would make private files."""
    folder = tmp_path_factory.mktemp("stranger")
    write_feature(folder)
    umask = os.umask(0o077)
    try:
        result = tekan("build", "html", "epub", "--script", "hant", cwd=folder)
    finally:
        os.umask(umask)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder


def test_builds_in_the_books_folder_with_its_identity(stranger: Path) -> None:
    out = stranger / "_build"
    index = (out / "html" / "zh-hant" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{TITLE}</title>" in index
    # The metadata's "2024, 浙江標準報社" as Chinese sets it: the year, a space, the holder (no half-width comma).
    assert COPYRIGHT == "2024, 浙江標準報社"
    assert re.search(r"版權所有\s*&#169; 2024 浙江標準報社\s*</div>", index), "footer copyright line"
    assert COPYRIGHT not in index
    statement = (out / "html" / "zh-hant" / "statements" / "zhou-wenhua.html").read_text(encoding="utf-8")
    assert f"<title>讓計量守護民生 - {TITLE}</title>" in statement
    assert 'href="../glossary.html#term-metrology"' in statement, "the shipped glossary links the new book"
    with zipfile.ZipFile(out / "epub" / "example-zjbz-2024-week-zh-hant.epub") as epub:
        opf = etree.fromstring(epub.read("content.opf"))
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.findtext(".//dc:title", namespaces=dc) == FULL_TITLE
    assert opf.findtext(".//dc:creator", namespaces=dc) == AUTHOR
    assert opf.findtext(".//dc:publisher", namespaces=dc) == PUBLISHER
    assert opf.findtext(".//dc:rights", namespaces=dc) == rights_line(COPYRIGHT)  # "© 2024 浙江標準報社"
    assert opf.findtext(".//dc:identifier", namespaces=dc) == "urn:example:zjbz:2024-week:zh-hant"
    assert foreign_words(out / "html") + foreign_words(out / "epub") == []


def test_the_packages_catalogs_translate_the_site_and_stay_uncompiled(stranger: Path) -> None:
    """furo's words from the package's catalog, the search page's from its JavaScript catalog; nothing is
    compiled into the installed package (it may be read-only)."""
    site = stranger / "_build" / "html" / "zh-hant"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "跳至內容" in index and "Skip to content" not in index
    assert (site / "_static" / "translations.js").read_bytes() == (
        LOCALE / "zh_TW" / "LC_MESSAGES" / "sphinx.js"
    ).read_bytes()
    assert list(LOCALE.rglob("*.mo")) == []


def test_published_files_are_world_readable(stranger: Path) -> None:
    """0644 files and 0755 folders, even when built under umask 077 (a web server runs as another user)."""
    published = [stranger / "_build" / "html", stranger / "_build" / "epub"]
    paths = [p for folder in published for p in [folder, *folder.rglob("*")]]
    assert any(p.name == "tekan-terms.js" for p in paths) and any(p.name == "tekan-glossary.tbx" for p in paths)
    wrong = [
        f"{oct(stat.S_IMODE(p.stat().st_mode))} {p}"
        for p in paths
        if stat.S_IMODE(p.stat().st_mode) != (0o755 if p.is_dir() else 0o644)
    ]
    assert wrong == []


def test_project_option_and_seed_anywhere(tmp_path: Path) -> None:
    book, elsewhere = tmp_path / "book", tmp_path / "elsewhere"
    seed = write_feature(elsewhere)
    book.mkdir()
    result = tekan("convert", str(seed), "--project", str(book))
    assert result.returncode == 0, result.stderr
    assert (book / "_build" / "myst" / "feature" / "index.md").is_file()
    result = tekan("--project", str(book), "check", str(seed))
    assert result.returncode == 0, result.stderr
    assert f"{DEFAULT_GLOSSARY}: " in result.stderr  # the shipped glossary, named


def test_a_symlinked_seed_has_its_metadata_and_catalogs_beside_the_link_for_every_command(tmp_path: Path) -> None:
    """A text shared by several books (a link in each book's seeds/): every command reads the metadata and the
    catalogs beside the link — check, convert, the build's loading and the Sphinx side alike."""
    from tekan.book import load_book
    from tekan.collection import read_collection
    from tekan.target import Target
    from tekan.translation import locale_folder

    shared = write_feature(tmp_path / "shared", metadata=False)  # the target: no metadata beside it
    book = tmp_path / "book"
    (book / "seeds").mkdir(parents=True)
    link = book / "seeds" / "feature.txt"
    link.symlink_to(shared)
    (book / "seeds" / "feature.toml").write_text(METADATA, encoding="utf-8")
    project = Project.at(book)
    for seed in (project.seed(), project.seed(str(link))):
        assert seed == link and seed.is_symlink()
        assert load_book(seed, GLOSSARY, "hant").publication.meta.title == FULL_TITLE
    assert locale_folder(link) == book / "locale"
    collection = book / "c.toml"
    collection.write_text('seeds = ["seeds/feature.txt"]\n', encoding="utf-8")
    assert read_collection(collection)[1] == [link]

    # The Sphinx side: conf.py's tekan_target names the seed relative to its folder.
    assert Target.from_mapping({"seed": "seeds/feature.txt"}, base=book).inputs.seed == link
    check = tekan("check", "seeds/feature.txt", cwd=book)
    assert check.returncode == 0 and "seeds/feature.toml:20: warning: the entry for statement 1" in check.stderr
    convert = tekan("convert", "seeds/feature.txt", cwd=book)
    assert convert.returncode == 0, convert.stderr
    assert FULL_TITLE.split("·")[-1] in (book / "_build" / "myst" / "feature" / "index.md").read_text(encoding="utf-8")
