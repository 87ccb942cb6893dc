"""Tekan as a stranger gets it: the wheel carries everything; in an empty folder holding only an unseen seed,
the installed `tekan` (non-editable, fresh environment) makes HTML, EPUB and PDF with that feature's identity
and glossary links; and `.readthedocs.yaml` replayed the way Read the Docs runs it gives the site, EPUB and PDF.

All three share one fresh install (``installed`` in conftest.py): a clone, its wheel, a new virtual environment.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from tekan.editions import EDITIONS
from tekan.epub import rights_line
from tekan.scripts import to_hans

from .conftest import BOOK, GLOSSARY, ROOT, Installed, download
from .sitelinks import Site, report
from .stranger import AUTHOR, COPYRIGHT, FULL_TITLE, SEED, TITLE, fill_draft, foreign_words, write_feature

pytestmark = [pytest.mark.sphinx, pytest.mark.pdf]


def test_the_wheel_carries_the_extensions_files_and_the_glossary(installed: Installed) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "tools/tekan"], cwd=installed.clone, capture_output=True, text=True, check=True
    ).stdout.split()
    package_files = {path.removeprefix("tools/") for path in tracked}
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        assert package_files <= names, f"missing from the wheel: {sorted(package_files - names)}"
        assert wheel.read("tekan/data/terms.toml") == GLOSSARY.read_bytes(), "the shipped glossary is the book's"


def pdf_info(pdf: Path) -> dict[str, str]:
    text = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in text.splitlines())}


def pdf_text(pdf: Path, last: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", "1", "-l", str(last), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_a_stranger_builds_a_new_feature_in_an_empty_folder(installed: Installed, tmp_path: Path) -> None:
    """Only the seed, no metadata: --strict fails naming each gap; `tekan init` drafts the metadata; filled in,
    --strict passes and the book is built in every format with the feature's identity and glossary links."""
    folder = tmp_path / "new-feature"
    write_feature(folder, metadata=False)

    def tekan(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(installed.bin / "tekan"), *args]
        return subprocess.run(command, cwd=folder, env=installed.env(), capture_output=True, text=True, check=False)

    refused = tekan("build", "--strict")
    assert refused.returncode == 1
    assert "feature.txt:1: warning: statement 1 (以標準引領浙江製造) has no entry" in refused.stderr
    assert "feature.txt:5: warning: statement 2 (讓計量守護民生) has no entry" in refused.stderr
    assert "--strict" in refused.stderr and not (folder / "_build").exists()
    drafted = tekan("init", "feature.txt")
    assert drafted.returncode == 0, drafted.stderr
    assert fill_draft(folder / "feature.toml") >= 5
    checked = tekan("check", "--strict")
    assert checked.returncode == 0, checked.stderr[-3000:]
    result = tekan("build", "html", "epub", "pdf", "--script", "hant", "--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    out = folder / "_build"
    assert sorted(p.name for p in folder.iterdir()) == ["_build", "feature.toml", "feature.txt"]
    site = out / "html" / "zh-hant"
    assert f"<title>{TITLE}</title>" in (site / "index.html").read_text(encoding="utf-8")
    statement = (site / "statements" / "chen-lixin.html").read_text(encoding="utf-8")
    for term in ("standardization", "nqi", "certification-and-accreditation", "inspection-and-testing"):
        assert f'href="../glossary.html#term-{term}"' in statement, f"the shipped glossary links {term}"
    with zipfile.ZipFile(download(out, "epub", "zh-hant")) as epub:
        opf = etree.fromstring(epub.read("content.opf"))
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.findtext(".//dc:title", namespaces=dc) == FULL_TITLE
    assert opf.findtext(".//dc:creator", namespaces=dc) == AUTHOR
    assert opf.findtext(".//dc:rights", namespaces=dc) == rights_line(COPYRIGHT)  # "© 2024 浙江標準報社"
    pdf = download(out, "pdf", "zh-hant")
    info = pdf_info(pdf)
    assert info["Title"] == FULL_TITLE and info["Author"] == AUTHOR
    front = pdf_text(pdf, 3)
    assert TITLE in front.replace(" ", "") and "浙江標準報社" in front
    assert foreign_words(out) == []
    assert not [word for word in ("中國質量報", "韓永生") if word in pdf_text(pdf, 99)]


def test_a_stranger_builds_a_simplified_feature_in_both_scripts(installed: Installed, tmp_path: Path) -> None:
    """A mainland paper's seed in Simplified, alone in a folder: the Simplified site, EPUB and PDF as written, the
    Traditional ones by conversion, linked to the shipped glossary."""
    folder = tmp_path / "simplified-feature"
    folder.mkdir()
    (folder / "feature.txt").write_text(to_hans(SEED), encoding="utf-8")
    result = subprocess.run(
        [str(installed.bin / "tekan"), "build", "html", "epub", "pdf", "--script", "all"],
        cwd=folder,
        env=installed.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    site = folder / "_build" / "html"
    hans = (site / "zh-hans" / "statements" / "zhou-wenhua.html").read_text(encoding="utf-8")
    hant = (site / "zh-hant" / "statements" / "zhou-wenhua.html").read_text(encoding="utf-8")
    assert "让计量守护民生" in hans and "讓計量守護民生" in hant
    assert 'href="../glossary.html#term-metrology"' in hans and 'href="../glossary.html#term-metrology"' in hant
    assert foreign_words(site) == []
    for tag, headline in (("zh-hans", "让计量守护民生"), ("zh-hant", "讓計量守護民生")):
        with zipfile.ZipFile(download(folder / "_build", "epub", tag)) as epub:
            assert any(headline in epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith("html"))
        pdf = download(folder / "_build", "pdf", tag)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert headline in text.replace("\n", ""), tag


# --- Read the Docs -------------------------------------------------------------------------------------

#: The order in which Read the Docs runs the jobs it documents (build.jobs), each a list of shell commands.
JOB_ORDER = ("post_checkout", "pre_system_dependencies", "post_system_dependencies", "pre_create_environment",
             "post_create_environment", "pre_install", "post_install", "pre_build", "build", "post_build")  # fmt: skip


#: The canonical URL Read the Docs gives a build of this version (its environment's READTHEDOCS_CANONICAL_URL).
CANONICAL = "https://tekan.readthedocs.io/zh-tw/latest/"


def test_read_the_docs_replay_publishes_every_edition_and_every_link_resolves(
    installed: Installed, tmp_path: Path
) -> None:
    """On a clean clone: the `python.install` steps (a non-editable `pip install .`), then every build job with
    the variables Read the Docs sets, as https://docs.readthedocs.io/en/stable/build-customization.html describes.
    Read the Docs serves $READTHEDOCS_OUTPUT/html at the version's URL and one EPUB and one PDF of its own: every
    edition and every download the site links must be inside the HTML it publishes."""
    config: dict[str, Any] = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    checkout = tmp_path / "checkout"
    shutil.copytree(installed.clone, checkout, symlinks=True)  # a clean clone of its own: builds write into it
    output = tmp_path / "readthedocs-output"
    env = installed.env(READTHEDOCS="True", READTHEDOCS_OUTPUT=f"{output}/", READTHEDOCS_CANONICAL_URL=CANONICAL)

    def sh(command: str) -> None:
        result = subprocess.run(["bash", "-e", "-c", command], cwd=checkout, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"

    for step in config["python"]["install"]:
        assert step.get("method", "pip") == "pip" and "extra_requirements" not in step, step
        sh(f"python -m pip install --quiet --disable-pip-version-check {step['path']}")  # non-editable, as documented
    jobs = config["build"].get("jobs", {})
    for name in JOB_ORDER:
        job = jobs.get(name, [])
        if name == "build":  # one list of commands per output format: html first, then `formats`
            for fmt in ["html", *config.get("formats", [])]:
                for command in job[fmt]:
                    sh(command)
        else:
            for command in job:
                sh(command)
    # Read the Docs' own downloads: one EPUB and one PDF.
    epubs, pdfs = sorted((output / "epub").glob("*.epub")), sorted((output / "pdf").glob("*.pdf"))
    assert len(epubs) == 1 and zipfile.is_zipfile(epubs[0])
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
    # The site as Read the Docs serves it: every link of every page names a file published in it.
    site = Site(output / "html", CANONICAL)
    broken = list(site.broken())
    assert broken == [], report(broken)
    # Every edition Tekan makes is published, with its EPUB and PDF, and reached from the landing page.
    folders = [edition.folder for edition in EDITIONS.values()]
    assert {"zh-hant", "zh-hans", "en"} <= set(folders)
    landing = {link.target for link in site.links("index.html")}
    downloads = {f"{fmt}/{BOOK}-{folder}.{fmt}" for folder in folders for fmt in ("epub", "pdf")}
    wanted = {f"{folder}/index.html" for folder in folders} | downloads
    assert landing >= wanted, f"the landing page does not lead to {sorted(wanted - landing)}"
    assert {t for t in landing if t.endswith((".epub", ".pdf"))} == downloads
    assert all((output / "html" / folder / "statements").is_dir() for folder in folders)
    # Every page's switcher offers every edition and every download (each one resolving, as checked above).
    for folder in folders:
        linked = {link.target for link in site.links(f"{folder}/glossary.html")}
        assert {f"{other}/glossary.html" for other in folders} <= linked, folder
        assert downloads <= linked, f"{folder}: the switcher misses {sorted(downloads - linked)}"
    # Read the Docs serves the root 404.html at any missing URL of the version: its links may not be relative.
    assert "404.html" in site.pages(), "no 404 page at the site's root"
    relative = [link for link in site.links("404.html") if link.target and not link.url.startswith(("/", "https:"))]
    assert relative == [], report(relative)
