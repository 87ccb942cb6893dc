"""Accessibility, judged by the field's own checkers: axe-core on every page of the site, DAISY Ace on every EPUB.

Both are npm packages that ``tools/setup.sh`` installs (versions locked in ``tools/npm/``) into ``.npm-tools/``;
axe runs inside the session's one Chromium, on every built page of both editions and the landing page, in
light and dark colour schemes; Ace drives the system Chromium (``PUPPETEER_EXECUTABLE_PATH``). A missing
checker fails the test: a skipped check is not a passed one.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tekan.building import known_editions, published_editions
from tekan.landing import not_found_page

from .conftest import BOOK, CHROMIUM, ROOT

pytestmark = pytest.mark.browser

NODE_MODULES = ROOT / ".npm-tools" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
ACE = NODE_MODULES / ".bin" / "ace-cli"
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, one h1, …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _installed(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run tools/setup.sh (it installs the npm checkers)")
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    return _installed(AXE).read_text(encoding="utf-8")


def site_pages(book_out: Path) -> list[str]:
    """Every HTML page of the built site, relative to the output folder (landing page, both editions, 404s)."""
    pages = sorted(p.relative_to(book_out).as_posix() for p in (book_out / "html").rglob("*.html"))
    assert "html/index.html" in pages and len(pages) > 40, pages
    return pages


def axe_violations(browser: Any, site: str, pages: list[str], axe_source: str, scheme: str) -> list[str]:
    """Run axe on each page in one browser context; one line per violation: page, impact, rule, where, why."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, color_scheme=scheme)
    context.add_init_script(script=axe_source)  # present in every page before its own scripts run
    tab = context.new_page()
    found: list[str] = []
    try:
        for path in pages:
            tab.goto(f"{site}/{path}")
            violations = tab.evaluate(
                """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                   .then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
                       nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary])})))""",
                AXE_TAGS,
            )
            for v in violations:
                for target, why in v["nodes"]:
                    summary = " ".join(why.split())[:240]
                    found.append(f"{path} [{scheme}]: {v['impact']} {v['id']} at {target}: {summary}")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(
    browser: Any, site: str, book_out: Path, axe_source: str, scheme: str
) -> None:
    # Every rule of WCAG 2.2 A/AA and axe's best practices, whatever its impact: the few moderate ones
    # that come from furo itself are fixed in our templates, so none is excused.
    found = axe_violations(browser, site, site_pages(book_out), axe_source, scheme)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_read_the_docs_404_page(
    browser: Any, site: str, book_out: Path, axe_source: str, scheme: str
) -> None:
    """The 404 page at the root of a site built for Read the Docs (`tekan build --readthedocs`), made here for this
    build's editions and served where its links from the server's root lead."""
    page = book_out / "html" / "zz-readthedocs-404.html"
    entries = published_editions(book_out, known_editions(book_out))
    assert len(entries) == 3 and all(entry.downloads for entry in entries)
    page.write_text(not_found_page(entries, f"{site}/html/"), encoding="utf-8")
    try:
        found = axe_violations(browser, site, [page.relative_to(book_out).as_posix()], axe_source, scheme)
    finally:
        page.unlink()
    assert found == [], "\n".join(found)


def test_axe_reports_what_it_should(browser: Any, site: str, book_out: Path, axe_source: str, tmp_path: Path) -> None:
    # The harness itself: a page with a known critical fault must be reported (else a broken injection passes).
    bad = book_out / "html" / "zz-axe-probe.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="zh-Hant"><head><title>t</title></head><body><main><h1>t</h1>'
        '<p role="heading">x</p><img src="x.png"></main></body></html>',
        encoding="utf-8",
    )
    try:
        found = axe_violations(browser, site, [bad.relative_to(book_out).as_posix()], axe_source, "light")
    finally:
        bad.unlink()
    assert any("critical aria-required-attr" in line for line in found), found
    assert any("critical image-alt" in line for line in found), found


def ace_command(epub: Path, outdir: Path) -> list[str]:
    """DAISY Ace on ``epub``, its reports (``report.json``) in ``outdir``."""
    return [str(_installed(ACE)), "--silent", "--force", "--outdir", str(outdir), str(epub)]


@pytest.fixture(scope="session")
def ace_reports(book_out: Path, vertical_epub: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ace's report on each EPUB (both scripts, English and the vertical one), the runs side by side."""
    epubs = {
        "zh-hant": book_out / "epub" / f"{BOOK}-zh-hant.epub",
        "zh-hans": book_out / "epub" / f"{BOOK}-zh-hans.epub",
        "en": book_out / "epub" / f"{BOOK}-en.epub",
        "zh-hant-vertical": vertical_epub,
    }
    out = tmp_path_factory.mktemp("ace")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    runs = {
        name: subprocess.Popen(
            ace_command(epub, out / name), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        for name, epub in epubs.items()
    }
    reports: dict[str, Any] = {}
    for name, run in runs.items():
        output, _ = run.communicate(timeout=900)
        report = out / name / "report.json"
        assert run.returncode == 0 and report.exists(), f"Ace failed on {name}: {output[-3000:]}"
        reports[name] = json.loads(report.read_text(encoding="utf-8"))
    return reports


def ace_violations(report: dict[str, Any]) -> list[str]:
    """One line per failed Ace assertion: document, impact, rule, what it says."""
    lines = []
    for document in report["assertions"]:
        for assertion in document["assertions"]:
            if assertion["earl:result"]["earl:outcome"] == "fail":
                test = assertion["earl:test"]
                lines.append(
                    f"{document['earl:testSubject']['url']}: {test['earl:impact']} {test['dct:title']}: "
                    f"{assertion['earl:result']['dct:description']}"
                )
    return lines


@pytest.mark.parametrize("epub", ["zh-hant", "zh-hans", "en", "zh-hant-vertical"])
def test_ace_finds_no_violation_in_the_epub(ace_reports: dict[str, Any], epub: str) -> None:
    report = ace_reports[epub]
    assert ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    # The accessibility metadata Ace looks for is all there (certification by a third party is not claimed).
    metadata = report["a11y-metadata"]
    assert metadata["empty"] == []
    missing = set(metadata["missing"]) - {"a11y:certifiedBy", "a11y:certifierCredential", "a11y:certifierReport"}
    assert missing == set()
    assert "dcterms:conformsTo" in metadata["present"]


def test_ace_reports_a_violation_it_should(tmp_path: Path, book_out: Path) -> None:
    # The harness itself: the Traditional EPUB with its navigation's role taken away must fail Ace.
    import zipfile

    source = book_out / "epub" / f"{BOOK}-zh-hant.epub"
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(broken, "w") as copy:
        for info in book.infolist():
            data = book.read(info.filename)
            if info.filename == "nav.xhtml":
                data = data.replace(b' role="doc-toc"', b"")
            copy.writestr(info, data)
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    result = subprocess.run(ace_command(broken, tmp_path / "ace"), capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    assert any("epub-type-has-matching-role" in line for line in ace_violations(report)), ace_violations(report)
