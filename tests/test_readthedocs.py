"""``.readthedocs.yaml``: valid version-2 configuration, and its commands are the project's own build.

The checks follow the documented v2 reference (https://docs.readthedocs.io/en/stable/config-file/v2.html):
allowed keys at every level, the documented values of ``build.os`` and ``build.tools.python``, and the
shapes of ``build.jobs``, ``python.install``, ``sphinx`` and ``formats``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tekan.cli import FORMATS, parser
from tekan.errors import TekanError
from tekan.target import Target

from .conftest import ROOT
from .sitelinks import Site
from .stranger import SEED

CONFIG = ROOT / ".readthedocs.yaml"
TOP = {"version", "formats", "conda", "build", "python", "sphinx", "mkdocs", "submodules", "search"}
BUILD = {"os", "tools", "jobs", "apt_packages", "commands"}
OS = {"ubuntu-20.04", "ubuntu-22.04", "ubuntu-24.04", "ubuntu-lts-latest"}
PYTHON = {"3", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "latest"}
JOBS = {
    "post_checkout",
    "pre_system_dependencies",
    "post_system_dependencies",
    "pre_create_environment",
    "create_environment",
    "post_create_environment",
    "pre_install",
    "install",
    "post_install",
    "pre_build",
    "build",
    "post_build",
}
JOB_BUILD = {"html", "htmlzip", "pdf", "epub"}
SPHINX = {"builder", "configuration", "fail_on_warning"}
FORMATS_RTD = {"htmlzip", "pdf", "epub"}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def test_valid_version_2(config: dict[str, Any]) -> None:
    assert config["version"] == 2
    assert set(config) <= TOP
    build = config["build"]
    assert set(build) <= BUILD and {"os", "tools"} <= set(build)
    assert build["os"] in OS
    assert set(build["tools"]) == {"python"} and build["tools"]["python"] == "3.11"
    assert strings(build.get("apt_packages", []))
    assert "commands" not in build or "jobs" not in build  # commands replace the jobs entirely
    jobs = build.get("jobs", {})
    assert set(jobs) <= JOBS
    for name, commands in jobs.items():
        if name == "build":
            assert set(commands) <= JOB_BUILD and "html" in commands
            assert all(strings(c) for c in commands.values())
        else:
            assert strings(commands)
    for item in config["python"]["install"]:
        assert set(item) <= {"path", "method", "extra_requirements"} or set(item) == {"requirements"}
        assert item.get("method", "pip") in {"pip", "setuptools"}
        assert (ROOT / item["path"]).exists()
    assert set(config["sphinx"]) <= SPHINX
    assert (ROOT / config["sphinx"]["configuration"]).is_file()
    assert isinstance(config["formats"], list) and set(config["formats"]) <= FORMATS_RTD


def test_apt_packages_bring_what_the_pdf_needs(config: dict[str, Any]) -> None:
    setup = (ROOT / "tools" / "setup.sh").read_text(encoding="utf-8")
    debs = set(re.search(r"debs=\(([^)]*)\)", setup)[1].split())  # type: ignore[index]
    needed = {"fonts-noto-cjk", "fontconfig"}  # the PDF's fonts; Typst itself is a Python wheel
    assert needed <= debs, "tools/setup.sh and this test disagree on the PDF's packages"
    assert needed <= set(config["build"]["apt_packages"])
    tex = {"latexmk", "texlive-xetex", "texlive-lang-chinese", "texlive-fonts-recommended"}
    assert not tex & (debs | set(config["build"]["apt_packages"])), "TeX is no longer needed"


def test_jobs_run_the_project_build_for_read_the_docs(config: dict[str, Any]) -> None:
    """Each format's job is one `tekan build FORMAT --readthedocs "$READTHEDOCS_OUTPUT"`: every edition, each
    published where Read the Docs collects it (tests/test_install.py replays them and checks what they publish)."""
    jobs = config["build"]["jobs"]["build"]
    assert set(jobs) == {"html", *config["formats"]}
    for fmt, commands in jobs.items():
        assert len(commands) == 1, f"{fmt}: one command"
        words = shlex.split(commands[0])
        assert words[:3] == ["python", "-m", "tekan"], f"{fmt}: the project's own build"
        args = parser().parse_args(words[3:])
        assert args.command == "build" and args.formats == [fmt] and fmt in FORMATS
        assert args.readthedocs == "$READTHEDOCS_OUTPUT"  # quoted: an unset variable is refused by name
        assert not (args.edition or args.script or args.out or args.vertical or args.parallel), "every edition"


def run_tekan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`tekan` outside Read the Docs: none of its variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    command = [sys.executable, "-m", "tekan", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--readthedocs", ""], 'needs the folder Read the Docs publishes from: --readthedocs "$READTHEDOCS_OUTPUT"'),
        (["--readthedocs", "rtd"], "the site's public URL is unknown (Read the Docs sets READTHEDOCS_CANONICAL_URL"),
        (["txt", "--readthedocs", "rtd", "--site-url", "https://x.org/"], "publishes html, epub, pdf (or all), not"),
        (["--readthedocs", "rtd", "--vertical", "--site-url", "https://x.org/"], "publishes the plain editions"),
    ],
)
def test_readthedocs_build_refuses_a_misuse_before_writing(args: list[str], said: str, tmp_path: Path) -> None:
    (tmp_path / "feature.txt").write_text(SEED, encoding="utf-8")
    result = run_tekan("build", *args, cwd=tmp_path)
    assert result.returncode == 1 and f"--readthedocs: error: {said}" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feature.txt"], "nothing built, nothing written"


def test_a_self_contained_site_publishes_its_downloads_inside_html() -> None:
    """The target's `self_contained`: the downloads under OUT/html, linked from the site's root without leaving it."""
    values = {"seed": "/book/feature.txt", "edition": "hans", "format": "epub", "name": "book", "self_contained": True}
    target = Target.from_mapping(values)
    assert target.site.self_contained and Target.from_json(target.to_json()) == target
    assert target.published() == "html/epub/book-zh-hans.epub"
    assert target.site.href(target.format, "book", target.edition) == "epub/book-zh-hans.epub"  # type: ignore[arg-type]
    beside = Target.from_mapping({**values, "self_contained": False})
    assert beside.published() == "epub/book-zh-hans.epub"
    assert beside.site.href(beside.format, "book", beside.edition) == "../epub/book-zh-hans.epub"  # type: ignore[arg-type]
    html = Target.from_mapping({**values, "format": "html"})
    assert html.published() == "html/zh-hans"  # the site itself is where it always is


def made_up_build(out: Path, name: str) -> None:
    """What a self-contained build of three editions leaves in OUT (pages and downloads as placeholders)."""
    (out / "html").mkdir(parents=True)
    (out / ".tekan-editions.json").write_text(
        json.dumps({key: [f"書 {key}", name] for key in ("hant", "hans", "en")}), encoding="utf-8"
    )
    for folder in ("zh-hant", "zh-hans", "en"):
        (out / "html" / folder / "_static").mkdir(parents=True)
        (out / "html" / folder / "index.html").write_text("<title>x</title>", encoding="utf-8")
        (out / "html" / folder / "_static" / "tekan-favicon.svg").write_text("<svg/>", encoding="utf-8")
        for fmt in ("epub", "pdf"):
            (out / "html" / fmt).mkdir(exist_ok=True)
            (out / "html" / fmt / f"{name}-{folder}.{fmt}").write_text(f"{fmt} {folder}", encoding="utf-8")


def test_publishing_for_read_the_docs_takes_the_seeds_own_edition_and_a_404_page(tmp_path: Path) -> None:
    """A Simplified seed: Read the Docs' own EPUB and PDF are the Simplified ones; the site goes whole, with every
    edition's downloads inside it and a 404 page whose links, from the server's root, all resolve."""
    from tekan.readthedocs import publish

    out, destination = tmp_path / "work", tmp_path / "output"
    made_up_build(out, "paper-2025-week")
    url = "https://paper.readthedocs.io/zh-cn/v2/"
    args = argparse.Namespace(readthedocs=str(destination), publish=["html", "epub", "pdf"], site_url=url)
    published = publish(args, out, "paper-2025-week", "hans", ["hant", "hans", "en"])
    assert published == [
        destination / "html",
        destination / "epub" / "paper-2025-week-zh-hans.epub",
        destination / "pdf" / "paper-2025-week-zh-hans.pdf",
    ]
    assert sorted(p.name for p in (destination / "epub").iterdir()) == ["paper-2025-week-zh-hans.epub"]
    assert (destination / "pdf" / "paper-2025-week-zh-hans.pdf").read_text(encoding="utf-8") == "pdf zh-hans"
    site = Site(destination / "html", url)
    links = site.links("404.html")
    assert {link.target for link in links if link.url.endswith((".epub", ".pdf"))} == {
        f"{fmt}/paper-2025-week-{folder}.{fmt}" for fmt in ("epub", "pdf") for folder in ("zh-hant", "zh-hans", "en")
    }
    assert all(link.url.startswith("/zh-cn/v2/") for link in links), [link.url for link in links]
    assert list(site.broken()) == []
    # A second book's EPUB in the same folder: Read the Docs keeps one, so the publish stops and says which.
    args.publish = ["epub"]
    with pytest.raises(TekanError, match="holds another"):
        publish(args, out, "paper-2025-week", "hant", ["hant", "hans", "en"])


@pytest.mark.parametrize("translated", [False, True])
def test_the_english_edition_is_published_once_the_book_has_english_catalogs(
    translated: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tekan.readthedocs import prepare

    (tmp_path / "feature.txt").write_text(SEED, encoding="utf-8")
    if translated:
        (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    words = ["build", "pdf", "--project", str(tmp_path), "--readthedocs", str(tmp_path / "o"), "--site-url", "/b/"]
    args = parser().parse_args(words)
    prepare(args, tmp_path / "_build")
    assert args.edition == ("all" if translated else None) and args.script is None
    assert args.strict and args.formats == ["all"] and args.publish == ["pdf"]
    assert args.out == str(tmp_path / "_build" / "readthedocs")
    said = capsys.readouterr().err
    assert ("publishing the Chinese editions" in said) is not translated
