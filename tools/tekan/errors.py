"""Problems found in input files, with a place and a kind an editor can act on."""

from __future__ import annotations

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


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (BOM and CRLF tolerated) or raise TekanError naming the problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TekanError(f"cannot read file: {exc.strerror or exc}", path, Kind.io) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > len(data[:200]) // 4:
        raise TekanError(
            "not valid UTF-8: the file is UTF-16 (saved as 'Unicode' by Windows Notepad or Word); "
            f"save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 {path.name}",
            Location(path, 1),
            Kind.encoding,
        )
    if data.startswith(b"\xef\xbb\xbf"):
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
