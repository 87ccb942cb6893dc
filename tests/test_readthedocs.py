"""``.readthedocs.yaml``: valid version-2 configuration, and its commands are the project's own build.

The checks follow the documented v2 reference (https://docs.readthedocs.io/en/stable/config-file/v2.html):
allowed keys at every level, the documented values of ``build.os`` and ``build.tools.python``, and the
shapes of ``build.jobs``, ``python.install``, ``sphinx`` and ``formats``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tekan.cli import FORMATS, parser

from .conftest import BOOK, ROOT

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
    needed = {"latexmk", "texlive-xetex", "texlive-lang-chinese", "texlive-fonts-recommended", "fonts-noto-cjk"}
    assert needed <= debs, "tools/setup.sh and this test disagree on the PDF's packages"
    assert needed <= set(config["build"]["apt_packages"])


def test_jobs_run_the_project_build_and_publish_its_outputs(config: dict[str, Any]) -> None:
    """Each format's job runs `tekan build` for that format and copies what building.py publishes."""
    jobs = config["build"]["jobs"]["build"]
    assert set(jobs) == {"html", *config["formats"]}
    for fmt, commands in jobs.items():
        builds = [shlex.split(c) for c in commands if c.startswith("python -m tekan ")]
        assert len(builds) == 1, f"{fmt}: one `python -m tekan build` command"
        args = parser().parse_args(builds[0][3:])
        assert args.command == "build" and args.formats == [fmt] and fmt in FORMATS
        out = Path(args.out)
        copies = [shlex.split(c) for c in commands if c.startswith("cp ")]
        assert len(copies) == 1
        source, destination = copies[0][-2], copies[0][-1]
        assert destination.startswith(f"$READTHEDOCS_OUTPUT/{fmt}/")
        if fmt == "html":
            assert Path(source.rstrip(".").rstrip("/")) == out / "html"
        else:
            # Read the Docs keeps one file per format: the Traditional edition.
            assert args.script == "hant"
            assert Path(source) == out / fmt / f"{BOOK}-zh-hant.{fmt}"  # named after the book
