"""The glossary's declared fields: a per-entry property of ``glossary/terms.toml`` as one record.

A field declared here (or by a program using Tekan as a library, before it loads the glossary) is read and
checked by the glossary parser, shown in every edition's glossary (HTML, EPUB, the Typst PDF) with a label in that
edition's language, exported to CSV and TBX when it says so, and checked for the PDF's glyphs. No other module names it:

    register(GlossaryField("iso_ref", str, label="標準條目", label_en="Standard reference", pattern=r"ISO.*"))

Its values live on ``Term.fields`` (``term.value("iso_ref")``); a field other code must read by attribute is
also named on ``Term`` (a second file).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .editions import Edition

#: What a field's value may be in the TOML file.
TYPES = (str, list, bool, int)
#: How an entry shows a field: a labelled paragraph, a labelled run-in list, in brackets on the head line, or not.
RENDERINGS = ("plain", "list", "inline", "none")
#: Where an entry shows a labelled field: after its definitions (before the see-also line), or after the see-also line.
PLACES = ("body", "end")
#: The language of a field's text: English (tagged ``en``), Traditional Chinese (in each edition's script), or
#: neither (a standard's number, a code: untagged).
LANGUAGES = ("en", "zh", "")
#: A field's value as a Term keeps it (a TOML list becomes a tuple).
Value = str | tuple[str, ...] | bool | int
#: The value of an entry that leaves a field out, by the field's type.
_EMPTY: dict[type, Value] = {str: "", list: (), bool: False, int: 0}


@dataclass(frozen=True)
class GlossaryField:
    """One optional per-entry property of the glossary file."""

    key: str  # the TOML key, e.g. "iso_ref"
    type: type  # str, list (of strings), bool or int
    label: str = ""  # its label in Traditional Chinese (each Chinese edition shows it in its own script and forms)
    label_en: str = ""  # its label in a translated (English) edition
    labels: tuple[tuple[str, str], ...] = ()  # an edition's own label (edition key → label), over the two above
    word: str = ""  # instead: the label every edition holds among its glossary words (``GlossaryWords.note``)
    render: str = "plain"  # one of RENDERINGS
    place: str = "body"  # one of PLACES (a labelled paragraph or list)
    required: bool = False  # every entry gives it, not empty
    language: str = "en"  # one of LANGUAGES: how its text is tagged and converted
    chinese: str = ""  # a second declared key holding the text in Traditional Chinese, shown in Chinese editions
    pattern: str = ""  # a regular expression each string value must match whole ("" accepts any)
    check: Callable[[Any], str] | None = None  # a further check: the message for a wrong value, "" for a good one
    export: bool = True  # a CSV column (named by the key) and a TBX note on the concept
    css: str = ""  # the class of its paragraph; "" for ``tekan-field tekan-field-KEY``
    help: str = ""  # what the field holds, for an editor (messages, the README)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(f"glossary field key {self.key!r}: lowercase ASCII letters, digits and underscores")
        if self.type not in TYPES:
            raise ValueError(f"glossary field {self.key!r}: type must be one of str, list, bool, int")
        if self.render not in RENDERINGS:
            raise ValueError(f"glossary field {self.key!r}: render must be one of {', '.join(RENDERINGS)}")
        if self.place not in PLACES:
            raise ValueError(f"glossary field {self.key!r}: place must be one of {', '.join(PLACES)}")
        if self.language not in LANGUAGES:
            raise ValueError(f"glossary field {self.key!r}: language must be 'en', 'zh' or ''")
        if self.render == "list" and self.type is not list:
            raise ValueError(f"glossary field {self.key!r}: render 'list' needs type list")
        if self.render in ("plain", "list") and not (self.label or self.label_en or self.labels or self.word):
            raise ValueError(f"glossary field {self.key!r}: a shown field needs a label")

    def label_in(self, edition: Edition) -> str:
        """The field's label in ``edition``: its own, else the edition's word, else the English one (translated),
        else the Chinese one."""
        own = dict(self.labels)
        if edition.key in own:
            return own[edition.key]
        if self.word:
            return str(getattr(edition.glossary, self.word))
        if edition.translated:
            return self.label_en or self.label
        return edition.in_script(self.label) if self.label else self.label_en

    def parse(self, value: Any) -> Value:
        """The TOML value (its type already checked) as a Term keeps it: strings stripped, lists as tuples."""
        if self.type is list:
            return tuple(item.strip() for item in value)
        return value.strip() if isinstance(value, str) else value

    def empty(self) -> Value:
        """The value of an entry that leaves the field out."""
        return _EMPTY[self.type]

    def problem(self, value: Value) -> str:
        """What is wrong with a parsed value ("" when nothing): the pattern, then the declared check."""
        items = value if isinstance(value, tuple) else (value,)
        if self.pattern:
            for item in items:
                if isinstance(item, str) and not re.fullmatch(self.pattern, item):
                    return f"field {self.key!r}: {item!r} does not match {self.pattern!r}"
        if self.check is not None:
            message = self.check(value)
            if message:
                return f"field {self.key!r}: {message}"
        return ""

    def texts(self, value: Value) -> tuple[str, ...]:
        """The strings of a value (for the PDF's glyph check and the exports)."""
        if isinstance(value, tuple):
            return value
        return (value,) if isinstance(value, str) else ()


#: Every declared field, by key, in the order entries show and exports list them (:func:`register` adds one).
FIELDS: dict[str, GlossaryField] = {}


def register(field: GlossaryField) -> GlossaryField:
    """Declare ``field`` (replacing one of the same key); return it."""
    FIELDS[field.key] = field
    return field


def unregister(key: str) -> None:
    """Forget the field called ``key`` (a test's or a book's declaration, when it is done)."""
    FIELDS.pop(key, None)


def shown(render: str, place: str = "body") -> list[GlossaryField]:
    """The declared fields shown as ``render`` ("plain" and "list" together as "labelled", at ``place``), in order."""
    if render == "labelled":
        return [field for field in FIELDS.values() if field.render in ("plain", "list") and field.place == place]
    return [field for field in FIELDS.values() if field.render == render]


def exported() -> list[GlossaryField]:
    """The declared fields the CSV and TBX exports carry, in order."""
    return [field for field in FIELDS.values() if field.export]


def signature() -> str:
    """What the declarations are, for a cache key (an export is made again when a declaration changes)."""
    return repr([(f.key, f.type.__name__, f.render, f.language, f.chinese, f.export) for f in FIELDS.values()])


# Tekan's own fields that the entries lay out from their declarations, in the order an entry shows them.
# ``Term`` names them too (other code reads them), and the CSV and TBX exports carry them in Tekan's own
# columns and notes, hence ``export=False``.
register(
    GlossaryField(
        "usage_note",
        str,
        word="note",
        chinese="usage_note_zh",
        export=False,
        css="tekan-usage",
        help="a cross-Strait or other usage remark, in English",
    )
)
register(
    GlossaryField(
        "usage_note_zh",
        str,
        render="none",
        language="zh",
        export=False,
        help="the usage note in Traditional Chinese, shown in the Chinese editions",
    )
)
register(
    GlossaryField(
        "source",
        str,
        required=True,
        word="source",
        chinese="source_zh",
        place="end",
        export=False,
        css="tekan-source",
        help="the authority for the English rendering",
    )
)
register(
    GlossaryField(
        "source_zh",
        str,
        render="none",
        language="zh",
        export=False,
        help="the source line in Traditional Chinese, shown in the Chinese editions",
    )
)
