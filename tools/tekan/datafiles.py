"""The plain-text data files (word lists, override pairs, position words): one shared reader."""

from __future__ import annotations

from pathlib import Path

from .errors import Kind, TekanError, read_text
from .model import Location


def read_columns(path: Path, columns: int, expected: str) -> list[tuple[str, ...]]:
    """Rows of ``columns`` tab-separated fields; ``#`` starts a comment, blank lines are skipped.

    A row with another number of fields raises TekanError at its line, saying ``expected``.
    """
    rows: list[tuple[str, ...]] = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        text = line.split("#", 1)[0]
        if not text.strip():
            continue
        fields = tuple(f.strip() for f in text.split("\t") if f.strip())
        if len(fields) != columns:
            raise TekanError(f"expected {expected}", Location(path, number), Kind.io)
        rows.append(fields)
    return rows
