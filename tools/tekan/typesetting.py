"""Typst source for the print book: every text as data, labels, the layout's parameters, and the compile call.

The pure core of the PDF (no Sphinx): ``tekan.sphinxext.typst`` walks the doctree and writes its Typst through
these functions. Text never becomes Typst markup: each run is a Typst *string literal* placed in the markup
(``#"…"``), so ``#``, ``$``, ``*``, ``_``, ``<``, ``@``, ``=``, ``/``, ``\\``, ``[``, ``]``, quotes, ``--`` and line
starts are printed as they are, never read as syntax (no smart quotes, no lists, no code). The layout itself is
``tekan/data/tekanbook.typ``, written for Tekan (nothing comes from Typst's package registry).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write, read_private

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


def compile_pdf(
    source: Path,
    output: Path,
    timestamp: int | None,
    standards: Sequence[str] = ("ua-1",),
    fonts: Path | None = None,
) -> list[str]:
    """Compile ``source`` to ``output`` with the Typst compiler (tagged PDF); return its warnings as lines.

    ``timestamp`` (seconds since the epoch, from ``SOURCE_DATE_EPOCH``) fixes the document's date, so two builds
    of the same book give the same bytes. ``fonts``: a folder of the faces to set the book in (:func:`cut_fonts`),
    with the compiler's own Latin faces and none of the system's; None: every font of the system.
    """
    import typst

    _, warnings = typst.compile_with_warnings(
        str(source),
        output=str(output),
        root=str(source.parent),
        font_paths=[str(fonts)] if fonts is not None else [],
        ignore_system_fonts=fonts is not None,
        pdf_standards=list(standards),  # type: ignore[arg-type]  # names checked by Typst
        timestamp=timestamp,
    )
    return [str(w) for w in warnings]


# --- the faces of the book, cut to its characters ----------------------------------------------------------------

#: The folder, beside the generated source, of the Noto CJK faces cut to the characters of the book.
FONTS = "fonts"


@dataclass(frozen=True)
class Face:
    """One face of a font file, as fontconfig lists it."""

    family: str  # its family name, as the layout names it ("Noto Serif CJK TC")
    path: str  # the font file (a collection: NotoSerifCJK-Regular.ttc)
    index: int  # the face's index in the file


def font_faces(families: Iterable[str]) -> list[Face] | None:
    """Every face of ``families`` (every weight) that fontconfig knows, in a fixed order; None when fontconfig is
    missing or knows no face of one of them (the compiler then reads the system's fonts itself)."""
    import shutil

    from .processes import query

    wanted = list(dict.fromkeys(families))
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listed = query([fc_list, "-f", "%{family}\t%{file}\t%{index}\n"]).stdout
    faces = set()
    for line in listed.splitlines():
        names, _, rest = line.partition("\t")
        path, _, index = rest.partition("\t")
        for family in wanted:
            if family in (n.strip() for n in names.split(",")) and index.isdigit():
                faces.add(Face(family, path, int(index)))
    if any(not any(f.family == family for f in faces) for family in wanted):
        return None
    return sorted(faces, key=lambda f: (f.family, f.path, f.index))


def _cut_face(blob: object, index: int, codepoints: set[int]) -> bytes:
    """The face ``index`` of a font file (a HarfBuzz blob) with the glyphs of ``codepoints`` only, and the glyphs
    its OpenType features reach from them (vertical and full-width forms, kerning, ligatures), every feature and
    every name kept: the compiler finds it by its family and sets each character as from the whole face."""
    import uharfbuzz as hb

    spec = hb.SubsetInput()
    spec.unicode_set.update(codepoints)
    spec.layout_feature_tag_set.clear()  # (the default is a list of common features: all of them instead)
    spec.layout_feature_tag_set.invert()
    spec.name_id_set.add_range(0, 0x7FFF)
    spec.name_lang_id_set.add_range(0, 0xFFFF)
    face = hb.Face(blob, index)
    return bytes(hb.subset(face, spec).blob.data)


def cut_fonts(
    families: Iterable[str], characters: Iterable[str], folder: Path, cache: Path | None = None
) -> Path | None:
    """``folder`` holding every face of ``families`` cut to ``characters`` (and ASCII), for :func:`compile_pdf`;
    None when the faces are not found (the compiler then reads the system's fonts).

    The Noto CJK collections are 93 MB, which the compiler would read and parse whole for the few thousand
    characters of a book: their cut faces are about 0.5 MB each. The characters are those of the book's Typst
    source (every text, and every word of the layout); a character outside the faces is not set from them either
    way (the glyph check stops the build first). Kept in ``folder`` while the faces and characters are the same,
    and in the user's ``cache`` folder (a memo file of the last few sets of faces cut), so a book built into a new
    folder is not cut again.
    """
    import pickle

    import uharfbuzz as hb

    from .memo import keyed_file

    faces = font_faces(families)
    if faces is None:
        return None
    codepoints = {ord(c) for c in characters} | set(range(0x20, 0x7F))
    digest = hashlib.sha256(f"tekan-fonts 1 {hb.__version__}\n".encode())
    for face in faces:
        stat = Path(face.path).stat()
        digest.update(f"{face.family}\t{face.path}\t{face.index}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    digest.update(",".join(map(str, sorted(codepoints))).encode())
    key = digest.hexdigest()
    stamp = folder / "key"
    if stamp.is_file() and stamp.read_text(encoding="ascii") == key:
        return folder
    memo = keyed_file(cache, "fonts.pickle", key, files=6) if cache is not None else None
    cut: dict[str, bytes] = {}
    with contextlib.suppress(Exception):  # none, another version's, cut short: cut again
        stored = pickle.loads(read_private(memo) or b"") if memo is not None else {}
        if stored.get("key") == key:
            cut = stored["faces"]
    if not cut:
        blobs: dict[str, object] = {}
        for number, face in enumerate(faces):
            blob = blobs.setdefault(face.path, hb.Blob.from_file_path(face.path))
            cut[f"{number:02d}-{Path(face.path).stem}-{face.index}.otf"] = _cut_face(blob, face.index, codepoints)
        if memo is not None:
            with contextlib.suppress(OSError):  # a read-only home, a full disk: cut again next time
                data = pickle.dumps({"key": key, "faces": cut}, pickle.HIGHEST_PROTOCOL)
                atomic_write(memo, data, mode=0o600, follow_link=False, private=True)
    folder.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)  # first: a run stopped half-way leaves no stamp over a half-written folder
    for old in folder.iterdir():
        old.unlink()
    for name, data in cut.items():
        (folder / name).write_bytes(data)
    stamp.write_text(key, encoding="ascii")
    return folder


def finish_pdf(output: Path, layout: Layout) -> None:
    """Complete the PDF's metadata where Typst has no setting: the edition's language tag as the catalog's
    ``/Lang`` (``zh-Hant``, as the site's and the EPUB's, where Typst writes ``zh-TW``), and in the XMP packet the
    identifier, publisher, date, rights and language a library catalogue reads.

    The two changed objects, the catalog and the XMP packet, are appended to the compiler's file as an incremental
    update (PDF 1.7, 7.5.6): the pages, fonts and structure tree are left as written. Saved whole by pikepdf, every
    object of the file was parsed and written again (1.8 s of CPU for the 2,500 pages of the 1,600-statement
    collection, against 0.1 s appended); a file whose last cross-reference section is a stream (which a classic
    section may not follow) is saved whole as before."""
    import pikepdf

    with pikepdf.open(output) as pdf:
        catalog = pdf.Root
        xmp = _edited_xmp(catalog.Metadata.read_bytes() if "/Metadata" in catalog else b"", layout)
        update = _appended_update(output, pdf, layout, xmp)
        if update is None:
            _save_whole(pdf, output, layout, xmp)
            return
    with output.open("ab") as appended:
        appended.write(update)


def _edited_xmp(packet: bytes, layout: Layout) -> bytes:
    """The XMP packet ``packet`` with the edition's language, identifier, publisher, date and rights (edited by
    pikepdf in a PDF of its own: in the book's, the new stream made qpdf resolve every object of the file)."""
    import pikepdf

    with pikepdf.new() as scratch:
        if packet:
            scratch.Root.Metadata = scratch.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        with scratch.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:language"] = [layout.tag]
            if layout.identifier:
                meta["dc:identifier"] = layout.identifier
            if layout.publisher:
                meta["dc:publisher"] = [layout.publisher]
            if layout.date:
                meta["dc:date"] = [layout.date]
            if layout.rights:
                meta["dc:rights"] = layout.rights
        return bytes(scratch.Root.Metadata.read_bytes())


def _finished_catalog(catalog: object, layout: Layout) -> None:
    """The catalog's own changes: ``/Lang``, and no false ``/Suspects``."""
    import pikepdf

    assert isinstance(catalog, pikepdf.Dictionary)
    catalog.Lang = pikepdf.String(layout.tag)
    mark_info = catalog.get("/MarkInfo")
    if isinstance(mark_info, pikepdf.Dictionary) and not bool(mark_info.get("/Suspects", True)):
        # The default: Typst writes it, and poppler 22 (Debian 12's pdfinfo, pdftotext) reports a false
        # /Suspects as "Syntax Error: Suspects object is wrong type (boolean)" on every read.
        del mark_info["/Suspects"]


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _appended_update(output: Path, pdf: object, layout: Layout, xmp: bytes) -> bytes | None:
    """The incremental update that gives ``output`` (open as ``pdf``) its finished catalog and XMP packet, or None
    when the file does not end in a classic cross-reference table, or its catalog or packet is not an indirect
    object of its own (the update replaces whole objects)."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    size = output.stat().st_size
    with output.open("rb") as stream:
        stream.seek(max(0, size - 64))
        tail = stream.read()
        found = _STARTXREF.search(tail)
        if found is None:
            return None
        previous = int(found[1])
        stream.seek(previous)
        if stream.read(4) != b"xref":
            return None
    catalog, metadata = pdf.Root, pdf.Root.get("/Metadata")
    if not catalog.is_indirect or not isinstance(metadata, pikepdf.Stream) or not metadata.is_indirect:
        return None
    if metadata.get("/Filter") is not None or metadata.get("/DecodeParms") is not None:
        return None
    _finished_catalog(catalog, layout)
    trailer = pdf.trailer
    objects: list[tuple[int, int, bytes]] = []
    number, generation = metadata.objgen
    header = f"<</Length {len(xmp)}/Type/Metadata/Subtype/XML>>".encode()
    objects.append((number, generation, header + b"\nstream\n" + xmp + b"\nendstream"))
    number, generation = catalog.objgen
    objects.append((number, generation, bytes(catalog.unparse(resolved=True))))
    body = bytearray(b"\n")
    offsets: list[tuple[int, int, int]] = []
    for number, generation, content in sorted(objects):
        offsets.append((number, generation, size + len(body)))
        body += f"{number} {generation} obj\n".encode() + content + b"\nendobj\n"
    xref = size + len(body)
    body += b"xref\n"
    for number, generation, offset in offsets:  # one subsection per object: they need not be adjacent
        body += f"{number} 1\n{offset:010d} {generation:05d} n\r\n".encode()
    entries = {"/Size": trailer.Size, "/Root": catalog, "/Prev": previous}
    for key in ("/Info", "/ID"):
        if key in trailer:
            entries[key] = trailer[key]
    body += b"trailer\n" + bytes(pikepdf.Dictionary(entries).unparse()) + b"\n"
    body += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(body)


def _save_whole(pdf: object, output: Path, layout: Layout, xmp: bytes) -> None:
    """The finished PDF saved whole by pikepdf, beside the compiler's file and put in its place (saved over the
    file it was opened from, pikepdf reads all of it into memory first)."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    _finished_catalog(pdf.Root, layout)
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    finished = output.with_name(f".{output.name}.finished")
    pdf.save(finished, deterministic_id=True)
    finished.replace(output)
