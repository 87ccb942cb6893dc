"""TOML loading with the file and line of every array-of-tables entry, for exact messages."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import Kind, TekanError, read_text
from .model import Location

_LINE_COL = re.compile(r"\(at line (\d+), column \d+\)")


def load_toml(path: Path, kind: Kind) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Parse a TOML file; return the data and, per ``[[table]]`` name, the line of each entry."""
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_COL.search(str(exc))
        line = int(match[1]) if match else 0
        message = _LINE_COL.sub("", str(exc)).strip()
        raise TekanError(f"TOML syntax error: {message}", Location(path, line), kind) from None
    lines: dict[str, list[int]] = {}
    for number, line_text in enumerate(text.split("\n"), start=1):
        header = re.match(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]", line_text)
        if header:
            lines.setdefault(header[1], []).append(number)
    return data, lines


def entry_line(lines: dict[str, list[int]], table: str, index: int) -> int:
    """The line of entry ``index`` of ``[[table]]``, or 0 when unknown (inline arrays)."""
    found = lines.get(table, [])
    return found[index] if index < len(found) else 0


def check_fields(
    entry: Any,
    where: Location,
    kind: Kind,
    required: Mapping[str, type],
    optional: Mapping[str, type],
) -> dict[str, Any]:
    """Check an entry's keys and value types; raise TekanError naming the field."""
    if not isinstance(entry, dict):
        raise TekanError("expected a table", where, kind)
    for key in entry:
        if key not in required and key not in optional:
            known = ", ".join(sorted([*required, *optional]))
            raise TekanError(f"unknown field {key!r} (known: {known})", where, kind)
    for key, expected in {**required, **optional}.items():
        if key not in entry:
            if key in required:
                raise TekanError(f"missing field {key!r}", where, kind)
            continue
        value = entry[key]
        if expected is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TekanError(f"field {key!r} must be a list of strings", where, kind)
        elif not isinstance(value, expected):
            raise TekanError(f"field {key!r} must be a {expected.__name__}", where, kind)
        if key in required and expected is str and not value.strip():
            raise TekanError(f"field {key!r} is empty", where, kind)
    return entry
