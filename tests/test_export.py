"""The CSV and TBX exports of the glossary: every entry, both scripts and English, well-formed TBX-Basic.

The TBX-Basic RELAX NG and Schematron files are not published on PyPI or npm, so the dialect's rules that
matter here are checked structurally below (element order, data categories and their picklists, levels).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tekan.export import BOM, CSV_COLUMNS, LIST_SEPARATOR, TBX_NAMESPACE, read_csv, to_csv, to_tbx
from tekan.glossary import load_glossary
from tekan.scripts import to_hans

from .conftest import GLOSSARY

NS = {"t": TBX_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
#: TBX-Basic data categories (DCA style): element → allowed @type → allowed values (None: free text).
TBX_BASIC: dict[str, dict[str, set[str] | None]] = {
    "descrip": {"definition": None, "context": None, "subjectField": None},
    "admin": {"source": None, "projectSubset": None, "customerSubset": None},
    "ref": {"crossReference": None},
    "termNote": {
        "partOfSpeech": {"noun", "verb", "adjective", "adverb", "other"},
        "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
        "administrativeStatus": {
            "preferredTerm-admn-sts",
            "admittedTerm-admn-sts",
            "deprecatedTerm-admn-sts",
            "supersededTerm-admn-sts",
        },
        "grammaticalGender": {"masculine", "feminine", "neuter", "other"},
        "geographicalUsage": None,
    },
}


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


@pytest.fixture(scope="module")
def tbx(glossary) -> etree._Element:
    return etree.fromstring(to_tbx(glossary, "Tekan"))


def test_csv_round_trips_every_field(glossary) -> None:
    text = to_csv(glossary)
    assert text.startswith(BOM), "Excel needs the byte-order mark to read UTF-8"
    assert text.split("\r\n", 1)[0] == BOM + ",".join(CSV_COLUMNS)
    rows = read_csv(text)
    assert len(rows) == len(glossary.terms)
    for row, term in zip(rows, glossary.terms, strict=True):
        assert (row["id"], row["zh_hant"], row["zh_hans"], row["pinyin"], row["en"]) == (
            term.id,
            term.hant,
            term.hans,
            term.pinyin,
            term.en,
        )
        assert row["abbreviation"] == term.abbr
        assert tuple(filter(None, row["aliases_hant"].split(LIST_SEPARATOR))) == term.aliases
        assert tuple(filter(None, row["see_also"].split(LIST_SEPARATOR))) == term.see_also
        assert row["definition_zh_hant"] == term.definition_zh
        assert row["definition_zh_hans"] == to_hans(term.definition_zh)
        assert (row["definition_en"], row["source"], row["usage_note"]) == (
            term.definition_en,
            term.source,
            term.usage_note,
        )
        assert (row["en_note"], row["source_zh"], row["usage_note_zh"]) == (
            term.en_note,
            term.source_zh,
            term.usage_note_zh,
        )
        assert tuple(filter(None, row["en_variants"].split(LIST_SEPARATOR))) == term.en_variants
        assert tuple(filter(None, row["wrong_en"].split(LIST_SEPARATOR))) == term.wrong_en


def test_csv_quotes_commas_quotes_and_separators(tmp_path: Path) -> None:
    path = tmp_path / "terms.toml"
    path.write_text(
        '[[term]]\nid = "a"\nhant = "計量"\nhans = "计量"\npinyin = "jìliàng"\nen = "metrology, \\"legal\\""\n'
        'category = "metrology"\ndefinition_zh = "定義，含逗號。"\ndefinition_en = "One; two, \\"three\\"."\n'
        'source = "VIM"\n',
        encoding="utf-8",
    )
    glossary = load_glossary(path)
    text = to_csv(glossary)
    assert '"metrology, ""legal"""' in text
    assert read_csv(text)[0]["definition_en"] == 'One; two, "three".'
    assert not any(LIST_SEPARATOR.strip() in alias for t in load_glossary(GLOSSARY).terms for alias in t.aliases)


def test_tbx_is_tbx_basic_and_holds_every_entry_in_three_languages(glossary, tbx) -> None:
    assert tbx.tag == f"{{{TBX_NAMESPACE}}}tbx"
    assert (tbx.get("type"), tbx.get("style"), tbx.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    assert tbx.find("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", NS) is not None
    entries = tbx.findall("t:text/t:body/t:conceptEntry", NS)
    assert [e.get("id") for e in entries] == [f"term-{t.id}" for t in glossary.terms]
    for entry, term in zip(entries, glossary.terms, strict=True):
        sections = {s.get(XML_LANG): s for s in entry.findall("t:langSec", NS)}
        assert list(sections) == ["zh-Hant", "zh-Hans", "en"], term.id
        first = {lang: s.find("t:termSec/t:term", NS).text for lang, s in sections.items()}
        assert first == {"zh-Hant": term.hant, "zh-Hans": term.hans, "en": term.en}
        definitions = {
            lang: s.findtext("t:descripGrp/t:descrip[@type='definition']", None, NS) for lang, s in sections.items()
        }
        assert definitions == {
            "zh-Hant": term.definition_zh,
            "zh-Hans": to_hans(term.definition_zh),
            "en": term.definition_en,
        }
        for lang in ("zh-Hant", "zh-Hans"):
            assert sections[lang].findtext("t:termSec/t:note", None, NS) == f"Pinyin: {term.pinyin}"
        hant_terms = [t.text for t in sections["zh-Hant"].findall("t:termSec/t:term", NS)]
        assert hant_terms == [term.hant, *term.aliases, *term.misspellings]
        statuses = sections["zh-Hant"].findall("t:termSec/t:termNote[@type='administrativeStatus']", NS)
        expected = ["preferred", *(["admitted"] * len(term.aliases)), *(["deprecated"] * len(term.misspellings))]
        assert [s.text for s in statuses] == [f"{e}Term-admn-sts" for e in expected], term.id
        english = [t.text for t in sections["en"].findall("t:termSec/t:term", NS)]
        variants = [
            v for v in dict.fromkeys(term.en_variants) if v.casefold() not in {term.en.casefold(), term.abbr.casefold()}
        ]
        assert english == [term.en, *([term.abbr] if term.abbr else []), *variants, *term.wrong_en]
        statuses = sections["en"].findall("t:termSec/t:termNote[@type='administrativeStatus']", NS)
        expected = [
            "preferred",
            *(["admitted"] * (len(english) - 1 - len(term.wrong_en))),
            *(["deprecated"] * len(term.wrong_en)),
        ]
        assert [s.text for s in statuses] == [f"{e}Term-admn-sts" for e in expected], term.id
        # ISO 10241-1: the term field holds the designation alone; an explanation is a note on it.
        assert "(" not in term.en and sections["en"].findtext("t:termSec/t:note", "", NS) == term.en_note, term.id
        assert sections["en"].findtext("t:descripGrp/t:admin[@type='source']", None, NS) == term.source
        targets = [r.get("target") for r in entry.findall("t:ref", NS)]
        assert targets == [f"term-{ref}" for ref in term.see_also]


def test_tbx_follows_the_tbx_basic_rules(tbx) -> None:
    ids = [e.get("id") for e in tbx.iter(f"{{{TBX_NAMESPACE}}}conceptEntry")]
    assert len(ids) == len(set(ids)) and all(NCNAME.match(i) for i in ids), "ids must be unique xml:ids"
    for element in tbx.iter():
        assert etree.QName(element).namespace == TBX_NAMESPACE, element.tag  # DCA style: one namespace
        name = etree.QName(element).localname
        if name in TBX_BASIC:
            kind = element.get("type")
            assert kind in TBX_BASIC[name], f"{name} type={kind!r} is not a TBX-Basic data category"
            allowed = TBX_BASIC[name][kind]
            assert allowed is None or element.text in allowed, f"{name} {kind}={element.text!r}"
            assert (element.text or "").strip(), f"empty {name} {kind}"
        if name == "termNote":
            assert etree.QName(element.getparent()).localname == "termSec"
        if name == "descrip" and element.get("type") == "subjectField":
            assert etree.QName(element.getparent()).localname == "conceptEntry"
        if name == "descrip" and element.get("type") == "definition":
            assert etree.QName(element.getparent().getparent()).localname in ("langSec", "conceptEntry")
        if name == "ref":
            assert element.get("target") in ids
        if name == "termSec":
            children = [etree.QName(c).localname for c in element]
            assert children[0] == "term" and children.count("term") == 1
            notes = [i for i, c in enumerate(children) if c == "termNote"]
            others = [i for i, c in enumerate(children) if c not in ("term", "termNote")]
            assert not others or not notes or max(notes) < min(others), "termNotes come before other elements"
        if name in ("conceptEntry", "langSec"):
            children = [etree.QName(c).localname for c in element]
            inner = "langSec" if name == "conceptEntry" else "termSec"
            first = children.index(inner)
            assert all(c == inner for c in children[first:]), f"{name}: {inner} elements come last"


def test_exports_are_deterministic(glossary) -> None:
    assert to_tbx(glossary, "x") == to_tbx(glossary, "x")
    assert to_csv(glossary) == to_csv(glossary)


def test_tbx_gives_each_english_term_its_status_and_its_explanation_as_a_note(tbx) -> None:
    """A translator's tool reads the status: ISO's 'continual improvement' preferred, 'continuous improvement'
    deprecated; 質量保障 is not 'quality assurance'; the chokepoint entry's explanation is a note, not the term."""

    def english(concept: str) -> dict[str, tuple[str, str]]:
        entry = tbx.find(f"t:text/t:body/t:conceptEntry[@id='term-{concept}']", NS)
        section = next(s for s in entry.findall("t:langSec", NS) if s.get(XML_LANG) == "en")
        return {
            s.findtext("t:term", None, NS): (
                s.findtext("t:termNote[@type='administrativeStatus']", None, NS),
                s.findtext("t:note", "", NS),
            )
            for s in section.findall("t:termSec", NS)
        }

    improvement = english("continual-improvement")
    assert improvement["continual improvement"][0] == "preferredTerm-admn-sts"
    assert improvement["continuous improvement"][0] == "deprecatedTerm-admn-sts"
    assert english("quality-safeguards")["quality assurance"][0] == "deprecatedTerm-admn-sts"
    assert english("quality-assurance")["quality assurance"][0] == "preferredTerm-admn-sts"
    assert english("tracing")["traceability"][0] == "deprecatedTerm-admn-sts"
    assert english("tracing")["traced back"][0] == "admittedTerm-admn-sts"
    status, note = english("chokepoint-technology")["chokepoint"]
    assert status == "preferredTerm-admn-sts" and "depends on others" in note
