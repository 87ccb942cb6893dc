"""TOML loading with the file and line of every array-of-tables entry, for exact messages."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import FORBIDDEN, Kind, TekanError, describe_forbidden, read_text
from .model import Location

#: errors.FORBIDDEN's characters of the Basic Multilingual Plane (its class less the non-characters it lists past
#: the plane), and any character past the plane: a text in which neither is found holds no forbidden character.
#: Two scans take a tenth of FORBIDDEN's time (its class of literals past the plane is tried character by
#: character: 0.22 s over a seed of 16,000 statements).
_FORBIDDEN_BASIC = re.compile("".join(char for char in FORBIDDEN.pattern if char <= "\uffff"))
_PAST_PLANE = re.compile("[\U00010000-\U0010ffff]")


def forbidden_free(text: str) -> bool:
    """True when ``text`` surely holds no character of errors.FORBIDDEN (False: look with FORBIDDEN itself)."""
    return _FORBIDDEN_BASIC.search(text) is None and _PAST_PLANE.search(text) is None


_LINE_COL = re.compile(r"\(at line (\d+), column \d+\)")
#: The header of an array-of-tables entry, ``[[name]]``.
_TABLE_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")


def load_toml(path: Path, kind: Kind) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Parse a TOML file; return the data and, per ``[[table]]`` name, the line of each entry."""
    text = read_text(path)
    try:
        data = plain_toml(text)
        if data is None:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_COL.search(str(exc))
        line = int(match[1]) if match else 0
        message = _LINE_COL.sub("", str(exc)).strip()
        raise TekanError(f"TOML syntax error: {message}", Location(path, line), kind) from None
    lines: dict[str, list[int]] = {}
    split = text.split("\n")
    for number, line_text in enumerate(split, start=1):
        header = _TABLE_HEADER.match(line_text) if "[[" in line_text else None
        if header:
            lines.setdefault(header[1], []).append(number)
    # Without an escape (a backslash) or a multi-line string, every string value is a stretch of one line: none is
    # longer than the longest line or holds a character the file does not, and the values need no look (16,000
    # statements: 133,000 of them, 0.4 s).
    plain = max(map(len, split)) <= MAX_VALUE and "\\" not in text and '"""' not in text and "'''" not in text
    if not (plain and forbidden_free(text)):
        check_values(data, text, path, kind)
    return data, lines


#: A line of a plain TOML file: blank or a comment, a ``[table]`` or ``[[table]]`` header, or ``key = "text"`` (a
#: bare key, a basic string without escapes), each with an optional comment; else a ``key = …`` line.
_PLAIN_LINE = re.compile(
    r"[ \t]*(?:\[(\[?)([A-Za-z0-9_-]+)(\]?)\]"  # a header
    r'|([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|(.*?)))?'  # key = "text", or another value
    r"[ \t]*(?:#.*)?"
)
#: What TOML allows nowhere in a file outside escapes (a carriage return only before a line feed: not on this path).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def plain_toml(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for a file of plain lines (a metadata file of 16,000 statements: 115,000 of them, in a
    fifth of tomllib's time); None for anything else (tomllib then reads it, and reports its mistakes).

    Plain lines (:data:`_PLAIN_LINE`): headers of bare names, ``key = "text"`` with a bare key and a string without
    escapes, blank lines and comments. Any other ``key = value`` line is read by tomllib on its own, if it is whole
    (an array or an inline table, on its lines). A key or table defined twice, or a header that continues a table
    another way, is left to tomllib.
    """
    if _CONTROL.search(text):
        return None
    data: dict[str, Any] = {}
    arrays: set[str] = set()  # the names of [[arrays]] of tables
    table = data
    match = _PLAIN_LINE.fullmatch
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        found = match(line)
        if found is None:
            return None
        opened, name, closed, key, value, other = found.groups()
        if name is not None:
            if len(opened) != len(closed):  # [[name] or [name]]
                return None
            if opened:
                if name in data and name not in arrays:
                    return None
                arrays.add(name)
                table = {}
                data.setdefault(name, []).append(table)
            else:
                if name in data:
                    return None
                table = data[name] = {}
        elif key is not None:
            if key in table:
                return None
            if value is None:  # another kind of value: tomllib reads it alone, from its line to the line that ends it
                if not other:
                    return None
                parsed = _one_value(lines, number - 1)
                if parsed is None or list(parsed[0]) != [key]:
                    return None
                value, number = parsed[0][key], parsed[1]
            table[key] = value
    return data


#: The most lines a value read by tomllib alone may take (an array of editor's notes, a line each).
VALUE_LINES = 64


def _one_value(lines: list[str], first: int) -> tuple[dict[str, Any], int] | None:
    """The ``key = value`` that starts at ``lines[first]``, read by tomllib from that line to the first line after
    which it reads (the value's end: TOML ends a value where it ends, whatever follows), and the next line's index;
    None if no such line comes within :data:`VALUE_LINES`."""
    for last in range(first, min(first + VALUE_LINES, len(lines))):
        try:
            return tomllib.loads("\n".join(lines[first : last + 1])), last + 1
        except tomllib.TOMLDecodeError:
            continue
    return None


#: The longest value (characters) of a field that holds prose; every other string is a name or a title.
LONG_FIELDS = {"description_zh": 10_000, "description_en": 10_000, "definition_zh": 10_000, "definition_en": 10_000}
#: The longest name, title or other one-line value: it is set on a title page, a cover or a heading.
MAX_VALUE = 300


def check_values(data: Any, text: str, path: Path, kind: Kind, key: str = "") -> None:
    """Refuse string values (at any depth) holding a forbidden character — also one written as a TOML
    escape such as ``\\u0007`` — or longer than their field allows; the error names the line."""
    if isinstance(data, dict):
        for name, value in data.items():
            check_values(value, text, path, kind, name)
    elif isinstance(data, list):
        for value in data:
            check_values(value, text, path, kind, key)
    elif isinstance(data, str):
        bad = FORBIDDEN.search(data.replace("\n", " "))  # line feeds end a seed's lines; in values they are text
        if bad:
            line, column = _where(text, bad[0], key)
            raise TekanError(
                f"{describe_forbidden(bad[0])} in `{key}` (column {column}): remove it "
                "(it is not text and would break the EPUB and PDF)",
                Location(path, line),
                kind,
            )
        limit = LONG_FIELDS.get(key, MAX_VALUE)
        if len(data) > limit:
            line, _ = _where(text, data[:20], key)
            raise TekanError(
                f"`{key}` is {len(data):,} characters long (at most {limit:,})", Location(path, line), kind
            )


#: TOML's one-letter escapes of characters a value may not hold.
_SHORT_ESCAPES = {0x08: "\\b", 0x0C: "\\f", 0x0D: "\\r", 0x1B: "\\e"}


def _where(text: str, needle: str, key: str) -> tuple[int, int]:
    """Line and column of ``needle`` in the file as typed (the character itself, or a TOML escape of it)."""
    code = ord(needle[0]) if len(needle) == 1 else -1
    forms = [needle] + ([f"\\u{code:04x}", f"\\U{code:08x}"] if code >= 0 else [])
    forms += [_SHORT_ESCAPES[code]] if code in _SHORT_ESCAPES else []
    found: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        folded = (
            line
            if code < 0
            else line.replace(f"\\U{code:08X}", f"\\U{code:08x}").replace(f"\\u{code:04X}", f"\\u{code:04x}")
        )
        for form in forms:
            column = folded.find(form)
            if column >= 0:
                found.append((number, column + 1))
                break
    # The first occurrence on a line naming the field, else the first anywhere.
    keyed = [(n, c) for n, c in found if re.match(rf"\s*{re.escape(key)}\s*=", text.split("\n")[n - 1])]
    return (keyed or found or [(0, 0)])[0]


def value_position(text: str, char: str, key: str, after: int = 0) -> tuple[int, int]:
    """Line and column of ``char`` in the value of ``key`` in a TOML file's ``text``, looked for from line
    ``after`` on (an entry's first line), else anywhere; (0, 0) when not found."""
    if after > 1:
        line, column = _where("\n".join(text.split("\n")[after - 1 :]), char, key)
        if line:
            return line + after - 1, column
    return _where(text, char, key)


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


# --- writing ---------------------------------------------------------------------------------------
# The one TOML writer of the project (tekan init, the tests, tools/benchmark.py): values, tables with
# end-of-line comments, whole documents. tomllib reads back exactly what was written (tested).

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters (U+0000–U+001F, U+007F) escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A key, bare when it can be, quoted otherwise."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """A string, boolean, integer, float, list or inline table in TOML syntax."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def toml_table(header: str, rows: Mapping[str, Any], comments: Mapping[str, str] | None = None) -> list[str]:
    """The lines of ``[header]`` (or ``[[header]]``, as given) with ``key = value  # comment`` rows."""
    comments = comments or {}
    lines = [header] if header else []
    for key, value in rows.items():
        line = f"{toml_key(key)} = {toml_value(value)}"
        lines.append(f"{line}  # {comments[key]}" if comments.get(key) else line)
    return lines


def dumps(data: Mapping[str, Any]) -> str:
    """A TOML document: plain keys first, then ``[tables]``, then ``[[arrays of tables]]``, in the data's order."""

    def is_tables(value: Any) -> bool:
        return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)

    lines = [
        f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items() if not isinstance(v, Mapping) and not is_tables(v)
    ]
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines += ["", *toml_table(f"[{toml_key(key)}]", value)]
    for key, value in data.items():
        if is_tables(value):
            for table in value:
                lines += ["", *toml_table(f"[[{toml_key(key)}]]", table)]
    return "\n".join(lines).lstrip("\n") + "\n"
