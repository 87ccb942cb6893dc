"""Fidelity: the text of every statement in the built HTML, EPUB and PDF is the seed's, character for
character and in order — except the normalisations the audit page lists (none with --verbatim)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tekan.book import load_book
from tekan.model import Change

from .conftest import GLOSSARY, SEED, download, tekan

CONTEXT_LINES = tuple(SEED.read_text(encoding="utf-8").split("\n"))


def seed_statements(lines: tuple[str, ...]) -> list[list[str]]:
    """The seed's statements as [headline, paragraph…, byline] — read here, not with the parser under test."""
    statements: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        current.append(line.strip())
        if line.startswith("——"):
            statements.append(current)
            current = []
    assert len(current) == 1  # the masthead
    return statements


def apply_changes(lines: tuple[str, ...], changes: tuple[Change, ...]) -> tuple[str, ...]:
    """The seed lines with each audited change applied where its context says, left to right."""
    result = list(lines)
    by_line: dict[int, list[Change]] = {}
    for change in changes:
        assert change.line > 0, f"an audited change without a seed line: {change}"
        by_line.setdefault(change.line, []).append(change)
    for number, line_changes in by_line.items():
        original = lines[number - 1]
        out, position = [], 0
        for change in line_changes:
            found = original.find(change.before, max(0, position - change.start))
            assert found >= 0, f"line {number}: audit context {change.before!r} is not in the seed"
            start = found + change.start
            assert original[start : start + len(change.old)] == change.old
            out += [original[position:start], change.new]
            position = start + len(change.old)
        out.append(original[position:])
        result[number - 1] = "".join(out)
    return tuple(result)


@pytest.fixture(scope="module")
def book(book_out: Path) -> Path:
    return book_out


@pytest.fixture(scope="module")
def expected() -> list[list[str]]:
    publication = load_book(SEED, GLOSSARY).publication
    assert publication.normalised
    return seed_statements(apply_changes(CONTEXT_LINES, publication.changes))


@pytest.fixture(scope="module")
def slugs() -> list[str]:
    return [st.meta.slug for st in load_book(SEED, GLOSSARY).publication.statements]


def statement_text(markup: str | bytes, parser: str) -> list[str]:
    """Headline, body paragraphs and byline of a statement page, as a reader sees them (English left out)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, parser)
    article = soup.find("article") or soup.find("body")
    for junk in article.find_all(["script", "style"]):
        junk.decompose()
    for link in article.find_all("a", class_="headerlink"):
        link.decompose()
    # The link to the parallel page is navigation (XHTML parsed as XML keeps class as one string).
    for navigation in article.find_all("div", class_=lambda c: bool(c) and "tekan-parallel-link" in c):
        navigation.decompose()

    # An editor's note (metadata editor_notes) is the editor's, not the seed's: its mark and its footnote go.
    def is_note(tag: Any) -> bool:  # the XML parser keeps class as one string, the HTML parser as a list
        classes = tag.get("class") or ""
        return "footnote" in (" ".join(classes) if isinstance(classes, list) else classes)

    for note in article.find_all(is_note):
        note.decompose()
    # The EPUB's pop-up notes (a glossary term's definition shown in place) are the glossary's, not the seed's.
    for aside in article.find_all("aside"):
        aside.decompose()
    heading = article.find("h1")
    texts = [heading.get_text()]
    for paragraph in article.find_all("p"):
        if (
            paragraph.get("lang") == "en"
            or paragraph.get("xml:lang") == "en"
            or "language-en" in paragraph.get("class", [])
        ):
            continue
        texts.append(paragraph.get_text())
    return texts


def test_the_audit_is_applied_to_the_seed_and_changes_something(expected: list[list[str]]) -> None:
    # The comparison below would be empty of meaning if normalisation had nothing to do.
    assert expected != seed_statements(CONTEXT_LINES)
    assert len(expected) == 16


def test_html_statements_are_the_seed(book: Path, expected: list[list[str]], slugs: list[str]) -> None:
    for slug, lines in zip(slugs, expected, strict=True):
        page = book / "html" / "zh-hant" / "statements" / f"{slug}.html"
        assert statement_text(page.read_bytes(), "html.parser") == lines, slug


def test_epub_statements_are_the_seed(book: Path, expected: list[list[str]], slugs: list[str]) -> None:
    with zipfile.ZipFile(download(book, "epub", "zh-hant")) as archive:
        names = archive.namelist()
        for slug, lines in zip(slugs, expected, strict=True):
            name = next(n for n in names if n.endswith(f"statements/{slug}.xhtml"))
            assert statement_text(archive.read(name).decode("utf-8"), "xml") == lines, slug


def pdf_body_text(pdf: Path) -> str:
    """The PDF's text without page numbers and with all whitespace removed (line breaks are layout)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    assert result.returncode == 0, "pdftotext (poppler-utils) is needed: run tools/setup.sh"
    lines = result.stdout.decode("utf-8").split("\n")
    body = [line for line in lines if not re.fullmatch(r"\s*(\d+|[ivxlc]+)\s*", line)]
    return re.sub(r"\s+", "", "\n".join(body))


@pytest.mark.pdf
def test_pdf_statements_are_the_seed(book: Path, expected: list[list[str]]) -> None:
    text = pdf_body_text(download(book, "pdf", "zh-hant"))
    # The contents pages list the headlines first: start at the headline just before the first paragraph.
    first_paragraph = text.find(re.sub(r"\s+", "", expected[0][1]))
    position = text.rfind(re.sub(r"\s+", "", expected[0][0]), 0, first_paragraph)
    assert 0 <= position < first_paragraph
    for lines in expected:
        for line in lines:
            found = text.find(re.sub(r"\s+", "", line), position)
            assert found >= 0, f"not found in order in the PDF: {line}"
            position = found + 1


def test_verbatim_html_is_the_seed_exactly(tmp_path: Path) -> None:
    publication = load_book(SEED, GLOSSARY, normalise=False).publication
    result = tekan("build", "html", "--script", "hant", "--verbatim", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    raw = seed_statements(CONTEXT_LINES)
    for statement, lines in zip(publication.statements, raw, strict=True):
        page = tmp_path / "html" / "zh-hant" / "statements" / f"{statement.meta.slug}.html"
        assert statement_text(page.read_bytes(), "html.parser") == lines, statement.meta.slug
