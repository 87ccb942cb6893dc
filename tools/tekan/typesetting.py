"""Typst source for the print book: every text as data, labels, the layout's parameters, and the compile call.

The pure core of the PDF (no Sphinx): ``tekan.sphinxext.typst`` walks the doctree and writes its Typst through
these functions. Text never becomes Typst markup: each run is a Typst *string literal* placed in the markup
(``#"…"``), so ``#``, ``$``, ``*``, ``_``, ``<``, ``@``, ``=``, ``/``, ``\\``, ``[``, ``]``, quotes, ``--`` and line
starts are printed as they are, never read as syntax (no smart quotes, no lists, no code). The layout itself is
``tekan/data/tekanbook.typ``, written for Tekan (nothing comes from Typst's package registry).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: The layout, copied beside the generated source.
TEMPLATE = Path(__file__).resolve().parent / "data" / "tekanbook.typ"
#: The edition's settings, written beside the generated source for the layout to import (:meth:`Layout.settings`).
EDITION = "tekan-edition.typ"
#: The Latin face of every edition (bundled in the Typst compiler: Regular, Italic, Bold, Bold Italic; full
#: pinyin tone marks). Chinese text is set in the edition's Noto CJK face.
LATIN_SERIF = "Libertinus Serif"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def string(text: str) -> str:
    """``text`` as a Typst string literal (``"…"``), which Typst reads back as exactly ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if _CONTROL.search(escaped):
        escaped = _CONTROL.sub(lambda m: f"\\u{{{ord(m[0]):x}}}", escaped)
    return f'"{escaped}"'


def text(value: str) -> str:
    """``value`` as Typst markup that prints it literally: one string literal placed in the markup.

    (Followed by ``;`` nothing: what comes next is always another ``#`` expression, a ``]`` or a line end.)
    """
    return f"#{string(value)}" if value else ""


def array(values: Iterable[str]) -> str:
    """A Typst array of string literals."""
    items = [string(v) for v in values]
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


def dictionary(values: Mapping[str, object]) -> str:
    """A Typst dictionary literal: strings, booleans, integers, nested sequences of strings."""
    return "(" + ", ".join(f"{string(k)}: {value(v)}" for k, v in values.items()) + ("" if values else ":") + ")"


def value(item: object) -> str:
    """A Python value (str, bool, int, None, sequence, mapping) as a Typst literal."""
    if item is None:
        return "none"
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, Mapping):
        return dictionary(item)
    if isinstance(item, Sequence):
        parts = [value(v) for v in item]
        return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"
    raise TypeError(f"no Typst literal for {type(item).__name__}")


_LABEL_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def label(*parts: str) -> str:
    """A Typst label name (``<…>``) for a document and an id: ASCII letters, digits, ``_ . - :`` only.

    Each unsafe character becomes ``_`` and a short digest keeps two different ids apart.
    """
    joined = ":".join(parts)
    safe = ":".join(_LABEL_SAFE.sub("_", p) for p in parts)
    if safe != joined:
        safe += "_" + hashlib.sha1(joined.encode("utf-8")).hexdigest()[:8]
    return "t:" + safe


@dataclass(frozen=True)
class Layout:
    """What the layout needs to know of the edition and the book (the arguments of ``book`` in tekanbook.typ)."""

    lang: str  # ISO 639 language of the text: "zh" or "en"
    region: str  # "tw" (Traditional: full-width centred punctuation, no compression), "cn", "" for English
    script: str  # "hant" or "hans": which Chinese punctuation convention and face
    serif: str  # the Noto CJK serif of the edition
    sans: str  # the Noto CJK sans (headings)
    other_serif: str  # the other script's serif (a headword in the other script)
    title: str  # the PDF's title (with 中英對照 for the parallel print)
    author: str  # the PDF's author
    subject: str  # the English title
    keywords: tuple[str, ...] = ()  # PDF keywords
    identifier: str = ""  # urn of the edition (as the EPUB's)
    date: str = ""  # the book's date (YYYY, YYYY-MM or YYYY-MM-DD)
    tag: str = ""  # BCP 47 tag of the edition (the catalog's /Lang): zh-Hant, zh-Hans, en
    publisher: str = ""  # the publishing house (XMP dc:publisher)
    rights: str = ""  # the copyright line (XMP dc:rights)
    words: Mapping[str, str] = field(default_factory=dict)  # fixed words: contents, index, appendix, part …

    def arguments(self) -> str:
        """The layout's parameters as Typst named arguments (those the layout reads)."""
        return ", ".join(
            f"{name.replace('_', '-')}: {value(getattr(self, name))}"
            for name in (
                "lang",
                "region",
                "script",
                "serif",
                "sans",
                "other_serif",
                "title",
                "author",
                "subject",
                "keywords",
                "identifier",
                "date",
                "words",
            )
        )

    def settings(self) -> str:
        """The source of :data:`EDITION`: the edition's settings the layout's functions read (``edition``), the
        same values as the arguments of ``book``."""
        edition = {
            "lang": self.lang,
            "region": self.region,
            "script": self.script,
            "serif": self.serif,
            "sans": self.sans,
            "other-serif": self.other_serif,
            "words": dict(self.words),
        }
        return f"// The edition's settings, written by Tekan for tekanbook.typ.\n#let edition = {value(edition)}\n"


def document_date(source_date_epoch: str | None) -> tuple[int, int, int, int, int, int] | None:
    """The PDF's creation date from ``SOURCE_DATE_EPOCH`` (UTC), or None (Typst then uses the time of the build)."""
    if not source_date_epoch or not source_date_epoch.isdigit():
        return None
    moment = time.gmtime(int(source_date_epoch))
    return (moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour, moment.tm_min, moment.tm_sec)


def compile_pdf(source: Path, output: Path, timestamp: int | None, standards: Sequence[str] = ("ua-1",)) -> list[str]:
    """Compile ``source`` to ``output`` with the Typst compiler (tagged PDF); return its warnings as lines.

    ``timestamp`` (seconds since the epoch, from ``SOURCE_DATE_EPOCH``) fixes the document's date, so two builds
    of the same book give the same bytes.
    """
    import typst

    _, warnings = typst.compile_with_warnings(
        str(source),
        output=str(output),
        root=str(source.parent),
        pdf_standards=list(standards),  # type: ignore[arg-type]  # names checked by Typst
        timestamp=timestamp,
    )
    return [str(w) for w in warnings]


def finish_pdf(output: Path, layout: Layout) -> None:
    """Complete the PDF's metadata where Typst has no setting: the edition's language tag as the catalog's
    ``/Lang`` (``zh-Hant``, as the site's and the EPUB's, where Typst writes ``zh-TW``), and in the XMP packet the
    identifier, publisher, date, rights and language a library catalogue reads. Saved with a document id drawn
    from the content, so the same book gives the same bytes."""
    import pikepdf

    with pikepdf.open(output, allow_overwriting_input=True) as pdf:
        pdf.Root.Lang = pikepdf.String(layout.tag)
        mark_info = pdf.Root.get("/MarkInfo")
        if isinstance(mark_info, pikepdf.Dictionary) and not bool(mark_info.get("/Suspects", True)):
            # The default: Typst writes it, and poppler 22 (Debian 12's pdfinfo, pdftotext) reports a false
            # /Suspects as "Syntax Error: Suspects object is wrong type (boolean)" on every read.
            del mark_info["/Suspects"]
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:language"] = [layout.tag]
            if layout.identifier:
                xmp["dc:identifier"] = layout.identifier
            if layout.publisher:
                xmp["dc:publisher"] = [layout.publisher]
            if layout.date:
                xmp["dc:date"] = [layout.date]
            if layout.rights:
                xmp["dc:rights"] = layout.rights
        pdf.save(output, deterministic_id=True)
