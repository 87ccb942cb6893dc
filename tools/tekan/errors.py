"""Problems found in input files, with a place and a kind an editor can act on."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from .model import Location


class Kind(StrEnum):
    """What went wrong; also the Sphinx warning subtype (``tekan.<kind>``)."""

    encoding = "encoding"  # the file is not readable as UTF-8 text
    structure = "structure"  # the seed is not headline / paragraphs / byline / masthead
    byline = "byline"  # a byline could not be split into organisation, position, person
    metadata = "metadata"  # the metadata file is malformed or disagrees with the seed
    glossary = "glossary"  # the glossary file is malformed or inconsistent
    unused_term = "unused_term"  # a glossary term occurs in no statement
    io = "io"  # a file could not be read or written


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


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (BOM and CRLF tolerated) or raise TekanError naming the problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TekanError(f"cannot read file: {exc.strerror or exc}", path, Kind.io) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        hint = _guess_encoding(data)
        raise TekanError(
            f"not valid UTF-8 (byte {exc.start}, column {column} of the line){hint}; save the file as UTF-8",
            Location(path, line),
            Kind.encoding,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str:
    """Name a likely legacy Chinese encoding, to make the message actionable."""
    for name in ("big5", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return f"; it looks like {name.upper()}"
    return ""
