"""The glossary for translators and other tools: CSV and TBX (ISO 30042:2019, TBX-Basic dialect).

Both exports hold every entry in Traditional Chinese, Simplified Chinese and English, and are deterministic
(no dates, file order), so a site build rewrites them only when the glossary changed.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .glossaryfields import GlossaryField, Value, exported
from .model import Glossary, Term

#: Columns of the CSV export, in order (the header row).
CSV_COLUMNS = (
    "id",
    "zh_hant",
    "zh_hans",
    "pinyin",
    "en",
    "abbreviation",
    "aliases_hant",
    "aliases_hans",
    "category",
    "definition_zh_hant",
    "definition_zh_hans",
    "definition_en",
    "see_also",
    "source",
    "usage_note",
    # Added for issue 21, after the older columns so a sheet that reads them by position still works.
    "en_note",
    "en_variants",
    "wrong_en",
    "source_zh",
    "usage_note_zh",
)
#: Separates the items of a list column (aliases, see also); no glossary form contains it.
LIST_SEPARATOR = " | "
#: Excel opens a UTF-8 CSV without a byte-order mark in the ANSI code page and garbles Chinese; Python
#: (``utf-8-sig``), LibreOffice, pandas and spreadsheet imports all accept the mark, so the file starts with one.
BOM = "\ufeff"
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: BCP 47 tags of the three languages of every concept entry.
LANGUAGES = ("zh-Hant", "zh-Hans", "en")
Converter = Callable[[str], str]
#: A spreadsheet reads a cell that starts with one of these as a formula (``=HYPERLINK(…)``, ``@SUM``, ``-2+3``):
#: OWASP's "CSV injection" advice is to start such a cell with an apostrophe, which Excel and LibreOffice show
#: as text and hide. Cells already starting with apostrophes before such a character get one more, so
#: :func:`read_csv` can take exactly one away and every value round-trips.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def _default_to_hans(text: str) -> str:
    from .scripts import to_hans

    return to_hans(text)


def concept_id(term: Term) -> str:
    """The XML id of a term's concept entry: the HTML anchor, a valid NCName even for ids starting with a digit."""
    return f"term-{term.id}"


def spreadsheet_cell(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet evaluates (see ``_FORMULA``)."""
    return "'" + value if _FORMULA.match(value) else value


def _from_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and _FORMULA.match(value) else value


def to_csv(glossary: Glossary, to_hans: Converter = _default_to_hans) -> str:
    """One row per term, every column of CSV_COLUMNS; RFC 4180 quoting and CRLF line ends, with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    declared = exported()  # after Tekan's own columns, in declared order, each named by its key
    writer.writerow((*CSV_COLUMNS, *(field.key for field in declared)))
    for term in glossary.terms:
        writer.writerow(
            spreadsheet_cell(cell)
            for cell in [
                term.id,
                term.hant,
                term.hans,
                term.pinyin,
                term.en,
                term.abbr,
                LIST_SEPARATOR.join(term.aliases),
                LIST_SEPARATOR.join(_hans_aliases(term, to_hans)),
                term.category,
                term.definition_zh,
                to_hans(term.definition_zh),
                term.definition_en,
                LIST_SEPARATOR.join(term.see_also),
                term.source,
                term.usage_note,
                term.en_note,
                LIST_SEPARATOR.join(term.en_variants),
                LIST_SEPARATOR.join(term.wrong_en),
                term.source_zh,
                term.usage_note_zh,
                *(_cell(term.value(field.key)) for field in declared),
            ]
        )
    return BOM + out.getvalue()


def _cell(value: Value | None) -> str:
    """A declared field's value as a CSV cell: a list's items joined by LIST_SEPARATOR, a flag as true/false."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_note(field: GlossaryField, value: Value | None) -> str:
    """A declared field's value as a TBX note on the concept: its English label, then the value ("" for none)."""
    if value in (None, "", (), False):
        return ""
    label = field.label_en or field.key
    return label if value is True else f"{label}: {_cell(value)}"


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV export as dicts keyed by column (the inverse of to_csv, for tools and tests)."""
    rows = csv.DictReader(io.StringIO(text.removeprefix(BOM), newline=""))
    return [{key: _from_cell(value) for key, value in row.items()} for row in rows]


def _hans_aliases(term: Term, to_hans: Converter) -> list[str]:
    converted = (to_hans(a) for a in term.aliases)
    return [a for a in dict.fromkeys(converted) if a != term.hans]


def _hans_misspellings(term: Term, to_hans: Converter) -> list[str]:
    """Misspellings still wrong after conversion (示范區 → 示范区 is the right Simplified form, so it drops out)."""
    correct = {term.hans, *_hans_aliases(term, to_hans)}
    return [m for m in dict.fromkeys(to_hans(m) for m in term.misspellings) if m not in correct]


def to_tbx(glossary: Glossary, title: str = "", to_hans: Converter = _default_to_hans) -> bytes:
    """The glossary as a TBX-Basic (DCA style) document: one conceptEntry per term, langSecs zh-Hant, zh-Hans, en."""
    ET.register_namespace("", TBX_NAMESPACE)
    root = _el("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"})
    header = _sub(root, "tbxHeader")
    source_desc = _sub(_sub(header, "fileDesc"), "sourceDesc")
    _sub(source_desc, "p", text=title or "Tekan glossary")
    _sub(source_desc, "p", text=f"{len(glossary.terms)} concepts, each in zh-Hant, zh-Hans and en.")
    body = _sub(_sub(root, "text"), "body")
    for term in glossary.terms:
        body.append(_concept(term, glossary, to_hans))
    ET.indent(root, space="  ")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _concept(term: Term, glossary: Glossary, to_hans: Converter) -> ET.Element:
    entry = _el("conceptEntry", {"id": concept_id(term)})
    _sub(entry, "descrip", {"type": "subjectField"}, term.category)
    if term.usage_note:
        _sub(entry, "note", text=term.usage_note)
    for field in exported():  # TBX-Basic has no element of its own for them: a note each, named by its label
        note = _field_note(field, term.value(field.key))
        if note:
            _sub(entry, "note", text=note)
    for ref in term.see_also:
        other = glossary.by_id[ref]
        _sub(entry, "ref", {"type": "crossReference", "target": concept_id(other)}, other.en)
    kind = _term_kind(term)
    # zh-Hant: headword, then the aliases as printed in the seed; pinyin is a note on the headword.
    hant = _lang_section(entry, "zh-Hant", term.definition_zh)
    _term_section(hant, term.hant, kind, "preferredTerm-admn-sts", note=f"Pinyin: {term.pinyin}")
    for alias in term.aliases:
        _term_section(hant, alias, _variant_kind(alias), "admittedTerm-admn-sts")
    for wrong in term.misspellings:  # forms a source printed wrongly: a translator's tool should flag them
        _term_section(hant, wrong, ("noun", "variant"), "deprecatedTerm-admn-sts")
    hans = _lang_section(entry, "zh-Hans", to_hans(term.definition_zh))
    _term_section(hans, term.hans, kind, "preferredTerm-admn-sts", note=f"Pinyin: {term.pinyin}")
    for alias in _hans_aliases(term, to_hans):
        _term_section(hans, alias, _variant_kind(alias), "admittedTerm-admn-sts")
    for wrong in _hans_misspellings(term, to_hans):
        _term_section(hans, wrong, ("noun", "variant"), "deprecatedTerm-admn-sts")
    english = _lang_section(entry, "en", term.definition_en, source=term.source)
    # ISO 10241-1: the term is the designation alone; what it means goes in a note on it.
    _term_section(english, term.en, kind, "preferredTerm-admn-sts", note=term.en_note)
    if term.abbr:
        _term_section(english, term.abbr, ("noun", "abbreviation"), "admittedTerm-admn-sts")
    for variant in english_variants(term):
        _term_section(english, variant, ("noun", "variant"), "admittedTerm-admn-sts")
    for wrong in term.wrong_en:  # renderings a translator's tool should flag (false friends, another concept's term)
        _term_section(english, wrong, ("noun", "variant"), "deprecatedTerm-admn-sts")
    return entry


def english_variants(term: Term) -> list[str]:
    """The admitted English forms of a term besides the term and its abbreviation: its ``en_variants``, once each."""
    own = {term.en.casefold(), term.abbr.casefold()}
    return [v for v in dict.fromkeys(term.en_variants) if v.casefold() not in own]


def _term_kind(term: Term) -> tuple[str, str]:
    """(partOfSpeech, termType): a headword with an enumeration comma is a slogan, i.e. a phrase."""
    return ("other", "phrase") if "、" in term.hant else ("noun", "fullForm")


def _variant_kind(alias: str) -> tuple[str, str]:
    return ("noun", "abbreviation") if alias.isascii() else ("noun", "variant")


def _lang_section(entry: ET.Element, lang: str, definition: str, source: str = "") -> ET.Element:
    section = _sub(entry, "langSec", {XML_LANG: lang})
    group = _sub(section, "descripGrp")
    _sub(group, "descrip", {"type": "definition"}, definition)
    if source:
        _sub(group, "admin", {"type": "source"}, source)
    return section


def _term_section(section: ET.Element, text: str, kind: tuple[str, str], status: str, note: str = "") -> ET.Element:
    term_sec = _sub(section, "termSec")
    _sub(term_sec, "term", text=text)
    _sub(term_sec, "termNote", {"type": "partOfSpeech"}, kind[0])
    _sub(term_sec, "termNote", {"type": "termType"}, kind[1])
    _sub(term_sec, "termNote", {"type": "administrativeStatus"}, status)
    if note:
        _sub(term_sec, "note", text=note)
    return term_sec


def _el(tag: str, attributes: dict[str, str] | None = None) -> ET.Element:
    return ET.Element(f"{{{TBX_NAMESPACE}}}{tag}", attributes or {})


def _sub(parent: ET.Element, tag: str, attributes: dict[str, str] | None = None, text: str = "") -> ET.Element:
    element = ET.SubElement(parent, f"{{{TBX_NAMESPACE}}}{tag}", attributes or {})
    if text:
        element.text = text
    return element
