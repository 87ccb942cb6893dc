"""Assembling a book from its inputs: seed + metadata + glossary → pages on disk (no Sphinx)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Kind, Problem, TekanError
from .glossary import load_glossary
from .linking import Linker
from .metadata import load_publication
from .model import Glossary, Publication
from .rendering import render_book

#: Lists the files the last generation wrote, so stale ones can be removed.
MANIFEST = ".tekan-generated"


@dataclass(frozen=True)
class Book:
    """Everything a build needs, loaded and checked."""

    publication: Publication  # the statements with their metadata
    glossary: Glossary  # the terms
    script: str  # "hant" or "hans"
    problems: tuple[Problem, ...]  # warnings found while loading


def glossary_forms(glossary: Glossary, script: str = "hant") -> dict[str, str]:
    """Every string that links to a term in ``script`` → the term's id."""
    forms: dict[str, str] = {}
    for term in glossary.terms:
        if script == "hant":
            forms[term.hant] = term.id
            for alias in term.aliases:
                forms[alias] = term.id
        else:
            from .scripts import to_hans

            forms[term.hans] = term.id
            for alias in term.aliases:
                forms.setdefault(to_hans(alias), term.id)
    return forms


def load_book(
    seed: Path, glossary_path: Path, script: str = "hant", metadata: Path | None = None, normalise: bool = True
) -> Book:
    """Load and check seed, metadata and glossary; raise TekanError on the first fatal problem.

    ``normalise`` corrects the seed's punctuation and mainland word forms (recorded for the audit page);
    ``False`` publishes the seed verbatim.
    """
    if script not in ("hant", "hans"):
        raise TekanError(f"unknown script {script!r}: use 'hant' or 'hans'", Path("tekan_script"), Kind.metadata)
    publication, problems = load_publication(seed, metadata)
    glossary = load_glossary(glossary_path)
    if normalise:
        from .normalise import normalise_publication

        publication = normalise_publication(publication)
    if script == "hans":
        from .scripts import publication_to_hans

        publication = publication_to_hans(publication, glossary)
    return Book(publication, glossary, script, tuple(problems))


def book_pages(book: Book) -> dict[str, str]:
    """The MyST pages of a book: relative path → text."""
    linker = Linker.build(glossary_forms(book.glossary, book.script))
    from .scripts import labels_for  # late: OpenCC is loaded only when a book is rendered

    return render_book(book.publication, linker, labels_for(book.script))


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file already holds it; True when written."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_pages(pages: dict[str, str], root: Path) -> list[str]:
    """Write generated pages under ``root`` (only changed ones) and remove stale ones; return what changed."""
    changed = [name for name, text in sorted(pages.items()) if write_if_changed(root / name, text)]
    manifest = root / MANIFEST
    previous = manifest.read_text(encoding="utf-8").split("\n") if manifest.is_file() else []
    for name in previous:
        if name and name not in pages:
            (root / name).unlink(missing_ok=True)
            changed.append(name)
    write_if_changed(manifest, "\n".join(sorted(pages)) + "\n")
    return changed
