"""Problems found in input files, with a place and a kind an editor can act on."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .model import Location


class Kind(StrEnum):
    """What went wrong; also the Sphinx warning subtype (``tekan.<kind>``)."""

    encoding = "encoding"  # the file is not readable as UTF-8 text
    structure = "structure"  # the seed is not headline / paragraphs / byline / masthead
    byline = "byline"  # a byline could not be split into organisation, position, person
    metadata = "metadata"  # the metadata file is malformed or disagrees with the seed
    gap = "gap"  # a fact the metadata file does not give: derived from the seed or left out (--strict fails)
    script = "script"  # the seed mixes Traditional-only and Simplified-only characters
    glossary = "glossary"  # the glossary file is malformed or inconsistent
    unused_term = "unused_term"  # a glossary term occurs in no statement
    io = "io"  # a file could not be read or written
    translation = "translation"  # a catalog is missing, unreadable, or has fuzzy or untranslated paragraphs
    terminology = "terminology"  # a translated paragraph lacks a linked term, a name or a number of its source


class TekanError(Exception):
    """An input problem that stops the build: one line, with file and line."""

    def __init__(self, message: str, location: Location | Path, kind: Kind) -> None:
        if isinstance(location, Path):
            location = Location(location, 0)
        super().__init__(message)
        self.message = message
        self.location = location
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [tekan.{self.kind.value}]"


class Problem:
    """A non-fatal finding (warning) with the same shape as TekanError."""

    __slots__ = ("kind", "location", "message")

    def __init__(self, message: str, location: Location, kind: Kind) -> None:
        self.message = message
        self.location = location
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [tekan.{self.kind.value}]"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


#: Encoding policy: Tekan reads UTF-8 only (a BOM and CRLF/CR line ends are tolerated) and refuses
#: everything else with a message naming the likely encoding and the command that converts it.
#: Why refuse rather than decode Big5/GB18030 ourselves: the two overlap almost completely at the
#: byte level (most Big5 text is also valid GBK and vice versa), so any automatic choice is a guess,
#: and a wrong guess silently turns every character of the book into plausible-looking mojibake —
#: the one failure an editor cannot spot. A refusal costs one `iconv` and loses nothing.
LEGACY_ENCODINGS = (("Big5", "big5hkscs", "BIG5-HKSCS"), ("GB18030", "gb18030", "GB18030"))


#: The largest input file Tekan reads (the 16,000-statement benchmark seed is 17.5 MB): an endless stream
#: such as /dev/zero is refused after this many bytes instead of filling the memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Characters no text may hold, in the seed or in a metadata or glossary value: C0/C1 controls (except
#: tab; line feeds end lines), DEL, bidirectional overrides and isolates (they reorder what a reader sees),
#: line and paragraph separators, a byte-order mark inside the text, and the non-characters (U+FDD0–U+FDEF
#: and the last two code points of every plane). None occurs in real text; each breaks XML (EPUB), TeX
#: or the layout, or hides what the text says.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def describe_forbidden(char: str) -> str:
    """What a forbidden character is, for a message: ``invisible control character U+001B`` and the like."""
    code = ord(char)
    if char in "\u2028\u2029":
        what = "line separator" if char == "\u2028" else "paragraph separator"
        return f"{what} U+{code:04X}"
    if char == "\ufeff":
        return "byte-order mark U+FEFF"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"non-character U+{code:04X}"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"bidirectional control U+{code:04X}"
    return f"invisible control character U+{code:04X}"


#: Byte-order marks of the encodings Tekan recognises and refuses, longest first (UTF-32LE starts like UTF-16LE).
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32LE", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32BE", "UTF-32"),
    (b"\xff\xfe", "UTF-16LE", "UTF-16"),
    (b"\xfe\xff", "UTF-16BE", "UTF-16"),
)


def _wide_encoding(data: bytes) -> tuple[str, str] | None:
    """(name, iconv name) when ``data`` is UTF-16 or UTF-32, with or without a byte-order mark."""
    for bom, name, iconv in _BOMS:
        if data.startswith(bom):
            return name, iconv
    # Without a BOM the encoding shows only when decoding: real text has line feeds and common characters,
    # other bytes read as UTF-16 or UTF-32 give neither. UTF-32 first: its text is also valid UTF-16.
    sample = data[:4096]
    for codec, name, unit in (
        ("utf-32-le", "UTF-32LE", 4),
        ("utf-32-be", "UTF-32BE", 4),
        ("utf-16-le", "UTF-16LE", 2),
        ("utf-16-be", "UTF-16BE", 2),
    ):
        try:
            text = sample[: len(sample) - len(sample) % unit].decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return name, name
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plausible(text: str) -> bool:
    """True when decoded text looks like a seed or TOML file: line feeds, and mostly common characters."""
    if "\n" not in text:
        return False
    han = [ch for ch in text if _is_han(ch)]
    printable = sum(ch.isprintable() or ch in "\n\t\r" for ch in text)
    if printable < 0.95 * len(text):
        return False
    return not han or sum(ch in _common_hanzi() for ch in han) >= 0.5 * len(han)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (BOM and CRLF tolerated) or raise TekanError naming the problem."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise TekanError(f"cannot read file: {exc.strerror or exc}", path, Kind.io) from None
    if len(data) > MAX_FILE_BYTES:
        raise TekanError(
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB (or an endless stream): "
            "a seed, metadata or glossary file is text of a few megabytes at most",
            path,
            Kind.io,
        )
    # UTF-8 text holds no NUL byte; UTF-16 and UTF-32 text holds some (ASCII line feeds) or is not UTF-8.
    wide = _wide_encoding(data) if b"\x00" in data[:4096] or not _is_utf8(data) else None
    if wide is not None:
        name, iconv = wide
        raise TekanError(
            f"not valid UTF-8: the file is {name} (saved as 'Unicode' by Windows Notepad or Word); "
            f"save it as UTF-8, e.g. iconv -f {iconv} -t UTF-8 {path.name}",
            Location(path, 1),
            Kind.encoding,
        )
    while data.startswith(b"\xef\xbb\xbf"):  # a BOM, or two (a file saved twice by tools that add one)
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line_end = data.find(b"\n", exc.start)
        line = data.count(b"\n", 0, exc.start) + 1
        hint = guess_encoding(data[line_start : line_end if line_end >= 0 else len(data)], path.name)
        raise TekanError(
            f"not valid UTF-8 at byte {exc.start - line_start} of the line (byte {exc.start} of the file){hint}",
            Location(path, line),
            Kind.encoding,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    text = resources.files("tekan").joinpath("data/common-hanzi.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in text.splitlines() if not line.startswith("#")))


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def guess_encoding(line: bytes, name: str = "FILE") -> str:
    """Name the legacy Chinese encoding a non-UTF-8 line is most likely in, as the end of a message.

    Both candidates usually decode without error, so the choice is made by how many of the decoded
    characters are common ones: real text scores high, mojibake low. The message shows the line as
    the guess would read it, so the editor can confirm before converting.
    """
    common = _common_hanzi()
    scores: list[tuple[float, str, str, str]] = []
    for label, codec, iconv in LEGACY_ENCODINGS:
        try:
            text = line.decode(codec)
        except UnicodeDecodeError:
            continue
        han = [ch for ch in text if _is_han(ch)]
        if han:
            scores.append((sum(ch in common for ch in han) / len(han), label, iconv, text.strip()))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < 0.3:
        return "; save the file as UTF-8"
    if len(scores) > 1 and scores[0][0] - scores[1][0] < 0.2:
        return "; it may be Big5 or GB18030 (GBK): open it in an editor and save it as UTF-8"
    _, label, iconv, preview = scores[0]
    return (
        f"; it looks like {label.upper()} (the line would read {preview[:40]!r}): "
        f"save it as UTF-8, e.g. iconv -f {iconv} -t UTF-8 {name}"
    )
