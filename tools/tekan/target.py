"""What is being built, as one value: edition × output format × variant × inputs (no Sphinx here).

``tekan build`` makes one :class:`Target` per step and hands it to Sphinx as one validated value
(``-D tekan_target=<JSON>``); a book's ``conf.py`` writes the same fields as a dict for a plain
``sphinx-build``; the Sphinx glue reads it through one accessor (``tekan.sphinxext.config.get_target``).

The output layout lives here once: :class:`OutputFormat` records own their builder, published path,
prerequisites, finishing step and download label, so a new format is one record in :data:`FORMATS`
(plus the module that makes it: its Sphinx builder, named in ``sphinx_extension``, and its finishing step).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .editions import EDITIONS, Edition
from .project import seed_path


class TargetError(ValueError):
    """A target value that cannot be built: the message names the field (``tekan_target.edition``)."""


@dataclass(frozen=True)
class OutputFormat:
    """One output format: how Sphinx makes it, where it is published, how a reader downloads it."""

    key: str  # the CLI's name ("html", "epub", "pdf") and the folder under OUT it is published in
    builder: str  # the Sphinx builder that makes it
    label: str  # its name in a download link ("EPUB"); "" for the site itself (not a download)
    suffix: str  # the published file's extension (".epub"); "" for a folder (the site)
    media_type: str  # the link's ``type`` ("application/pdf")
    variants: frozenset[str] = frozenset()  # the variants it can be built in: "vertical", "parallel"
    prerequisites: str = ""  # "module:function(editions)": raises TekanError naming what to install; "" for none
    finish: str = ""  # "module:function(built, target, runner) -> Path": the file to publish; "" publishes the folder
    fonts: bool = False  # it embeds or draws with the edition's Noto CJK fonts (checked before building)
    sphinx_extension: str = ""  # the Sphinx extension that registers its builder ("" for one of Sphinx's own)
    folder: str = ""  # the folder under OUT it is published in ("" : its key); a second PDF maker may share pdf/
    tag: str = ""  # after the edition's folder in the file name (``-typst``), so formats sharing a folder differ

    @property
    def download(self) -> bool:
        """True for a file a reader downloads (EPUB, PDF), False for the site."""
        return bool(self.suffix)

    def published(self, name: str, edition: Edition, variant: Variant | None = None) -> str:
        """Its path under OUT: ``html/zh-hant``, ``epub/NAME-zh-hant.epub``, ``pdf/NAME-zh-hans-parallel.pdf``."""
        folder = self.folder or self.key
        if not self.download:
            return f"{folder}/{edition.folder}"
        suffix = variant.suffix(self) if variant else ""
        return f"{folder}/{name}-{edition.folder}{self.tag}{suffix}{self.suffix}"


def _call(reference: str) -> Callable[..., Any]:
    """The function ``module:function`` names (imported only when a build needs it)."""
    module, _, name = reference.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


HTML = OutputFormat("html", "html", "", "", "text/html")
EPUB = OutputFormat(
    "epub",
    "epub",
    "EPUB",
    ".epub",
    "application/epub+zip",
    variants=frozenset({"vertical"}),
    prerequisites="tekan.pdf:check_fonts",
    finish="tekan.building:built_file",
    fonts=True,
)
PDF = OutputFormat(
    "pdf",
    "typst",
    "PDF",
    ".pdf",
    "application/pdf",
    variants=frozenset({"parallel"}),
    prerequisites="tekan.pdf:check_fonts",
    finish="tekan.pdf:finish_pdf",
    fonts=True,
    sphinx_extension="tekan.sphinxext.typst",
)

#: Every output format, by key, in build order. A new format (Typst, say) is one record here.
FORMATS: dict[str, OutputFormat] = {fmt.key: fmt for fmt in (HTML, EPUB, PDF)}


def register_format(fmt: OutputFormat) -> OutputFormat:
    """Add ``fmt`` to the formats Tekan builds and links (replacing one of the same key); return it."""
    FORMATS[fmt.key] = fmt
    return fmt


def output_format(key: str) -> OutputFormat:
    """The format called ``key``; TargetError naming the choices for an unknown one."""
    try:
        return FORMATS[key]
    except KeyError:
        raise TargetError(f"tekan_target.format: unknown format {key!r}: choose from {', '.join(FORMATS)}") from None


def format_of_builder(builder: str) -> OutputFormat | None:
    """The format a Sphinx builder makes (``typst`` → pdf), if it is one of Tekan's."""
    return next((fmt for fmt in FORMATS.values() if fmt.builder == builder), None)


def prerequisites(fmt: OutputFormat, editions: Sequence[Edition]) -> None:
    """Stop with one line of advice, before anything is built, when ``fmt`` lacks a tool or a font."""
    if fmt.prerequisites:
        _call(fmt.prerequisites)(editions)


def finish(fmt: OutputFormat, built: Path, target: Target, runner: Any) -> Path:
    """The file (or folder) to publish from the builder's output folder ``built``."""
    return _call(fmt.finish)(built, target, runner) if fmt.finish else built


@dataclass(frozen=True)
class Variant:
    """How an edition departs from its plain form."""

    vertical: bool = False  # vertical writing (直排), right-to-left pages: the EPUB
    parallel: bool = False  # each paragraph beside its translation (對照): the print book of a Chinese edition
    verbatim: bool = False  # the seed's text as printed (no normalisation)

    def suffix(self, fmt: OutputFormat) -> str:
        """The published file's suffix for this variant of ``fmt``: ``-vertical``, ``-parallel`` or ``""``."""
        if self.vertical and "vertical" in fmt.variants:
            return "-vertical"
        if self.parallel and "parallel" in fmt.variants:
            return "-parallel"
        return ""


@dataclass(frozen=True)
class Inputs:
    """The book's files (absolute, or relative to the folder of ``conf.py``)."""

    seed: Path  # the seed text, or a collection file
    glossary: Path | None = None  # None: Tekan's own glossary
    metadata: Path | None = None  # None: the seed's name with .toml
    locale: Path | None = None  # the catalogs' folder; None: locale/ in the book folder
    parallel_language: str = "en"  # language of the Chinese editions' parallel pages; "" for none


@dataclass(frozen=True)
class Site:
    """The editions published side by side, for the switcher, the alternates and the download links."""

    editions: tuple[str, ...] = ()  # keys of the editions published together; () for no switcher
    downloads: tuple[tuple[str, tuple[str, ...]], ...] = ()  # edition key → keys of its published downloads
    url: str = ""  # public URL of OUT/html/ (canonical URLs, alternates, sitemaps); "" for none
    self_contained: bool = False  # the downloads are published inside html/ (html/epub/…): a host serves html/ alone

    def downloads_of(self, key: str) -> tuple[str, ...]:
        """The format keys whose file of edition ``key`` is (or will be) published."""
        return dict(self.downloads).get(key, ())

    def download(self, fmt: OutputFormat, name: str, edition: Edition, variant: Variant | None = None) -> str:
        """Where a download is published, under OUT: ``epub/NAME-zh-hant.epub`` beside the site, or
        ``html/epub/NAME-zh-hant.epub`` inside a self-contained one (Read the Docs serves only html/)."""
        path = fmt.published(name, edition, variant)
        return f"html/{path}" if self.self_contained and fmt.download else path

    def href(self, fmt: OutputFormat, name: str, edition: Edition) -> str:
        """A download's link from the site's root folder (OUT/html/): ``../epub/…``, or ``epub/…`` inside it."""
        path = self.download(fmt, name, edition)
        return path.removeprefix("html/") if self.self_contained else f"../{path}"


@dataclass(frozen=True)
class Target:
    """One thing to build: an edition of a book in one format and variant."""

    edition: Edition  # the edition (words, script, fonts)
    inputs: Inputs  # the book's files
    format: OutputFormat | None = None  # None: whatever the Sphinx builder makes (a plain sphinx-build)
    variant: Variant = field(default_factory=Variant)  # vertical, parallel, verbatim
    site: Site = field(default_factory=Site)  # what is published beside it
    name: str = ""  # stem of the published files ("" : from the book's identifier, see book_file_name)
    report_gaps: bool = True  # report the metadata's gaps as warnings (the CLI reports them itself, once)

    def to_json(self) -> str:
        """The value of ``-D tekan_target=…``: :meth:`from_mapping` reads it back."""
        return json.dumps(self.to_mapping(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def to_mapping(self) -> dict[str, Any]:
        """The target as the dict a conf.py writes (paths as strings)."""
        inputs = self.inputs
        return {
            "edition": self.edition.key,
            "format": self.format.key if self.format else "",
            "seed": str(inputs.seed),
            "glossary": str(inputs.glossary or ""),
            "metadata": str(inputs.metadata or ""),
            "locale": str(inputs.locale or ""),
            "parallel_language": inputs.parallel_language,
            "vertical": self.variant.vertical,
            "parallel": self.variant.parallel,
            "verbatim": self.variant.verbatim,
            "editions": list(self.site.editions),
            "downloads": {key: list(formats) for key, formats in self.site.downloads},
            "site_url": self.site.url,
            "self_contained": self.site.self_contained,
            "name": self.name,
            "report_gaps": self.report_gaps,
        }

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], base: Path | None = None) -> Target:
        """A target from a conf.py dict or ``-D`` JSON; relative paths from ``base``; TargetError naming a bad field."""
        unknown = sorted(set(values) - set(FIELDS))
        if unknown:
            raise TargetError(
                f"tekan_target: unknown field(s) {', '.join(unknown)}: the fields are {', '.join(FIELDS)}"
            )
        get = _Reader(values)
        seed = get.text("seed")
        if not seed:
            raise TargetError(
                'tekan_target.seed is not set: conf.py writes tekan_target = {"seed": "PATH"} '
                "(the seed text, relative to conf.py)"
            )
        edition_key = get.text("edition") or "hant"
        if edition_key not in EDITIONS:
            raise TargetError(
                f"tekan_target.edition: unknown edition {edition_key!r}: choose from {', '.join(EDITIONS)}"
            )
        edition = EDITIONS[edition_key]
        fmt = output_format(get.text("format")) if get.text("format") else None
        variant = Variant(get.flag("vertical"), get.flag("parallel"), get.flag("verbatim"))
        if variant.vertical and fmt is not None and "vertical" not in fmt.variants:
            raise TargetError(f"tekan_target.vertical: the {fmt.key} format has no vertical variant")
        if variant.parallel and edition.translated:
            raise TargetError("tekan_target.parallel: the parallel print is for a Chinese edition")
        editions = get.keys("editions")
        downloads_value = values.get("downloads", {})
        if not isinstance(downloads_value, Mapping):
            raise TargetError("tekan_target.downloads: expected a mapping of edition → formats")
        downloads = tuple((str(k), tuple(str(f) for f in v)) for k, v in downloads_value.items())
        for key, formats in downloads:
            for fmt_key in formats:
                output_format(fmt_key)
            if key not in EDITIONS:
                raise TargetError(f"tekan_target.downloads: unknown edition {key!r}")
        inputs = Inputs(
            seed=_path(seed, base),
            glossary=_path(get.text("glossary"), base) if get.text("glossary") else None,
            metadata=_path(get.text("metadata"), base) if get.text("metadata") else None,
            locale=_path(get.text("locale"), base) if get.text("locale") else None,
            parallel_language=get.text("parallel_language", "en"),
        )
        name = get.text("name")
        if name and not SAFE_NAME.fullmatch(name):
            raise TargetError(f"tekan_target.name: {name!r} must be lowercase ASCII letters, digits and hyphens")
        return cls(
            edition=edition,
            inputs=inputs,
            format=fmt,
            variant=variant,
            site=Site(editions, downloads, get.text("site_url"), get.flag("self_contained")),
            name=name,
            report_gaps=get.flag("report_gaps", True),
        )

    @classmethod
    def from_json(cls, text: str, base: Path | None = None) -> Target:
        """A target from the JSON of ``-D tekan_target=…``."""
        try:
            values = json.loads(text)
        except ValueError as exc:
            raise TargetError(f"tekan_target: not JSON ({exc})") from None
        if not isinstance(values, dict):
            raise TargetError("tekan_target: expected a JSON object of fields")
        return cls.from_mapping(values, base)

    def with_format(self, fmt: OutputFormat) -> Target:
        """The same target made in ``fmt``."""
        return replace(self, format=fmt)

    def published(self, name: str = "") -> str:
        """Its path under OUT (``epub/NAME-zh-hant.epub``); the format must be known."""
        if self.format is None:
            raise TargetError("tekan_target.format is not set")
        return self.site.download(self.format, name or self.name, self.edition, self.variant)

    @property
    def work(self) -> str:
        """Its work folder under ``OUT/.work/``: the editions' sources are shared by their formats, a parallel
        print has its own (its pages differ)."""
        parallel = self.variant.parallel and self.format is not None and "parallel" in self.format.variants
        return f"{self.edition.folder}-parallel" if parallel else self.edition.folder


#: The fields of a target, with what each means (``tekan_target``'s documentation).
FIELDS: dict[str, str] = {
    "edition": "the edition's key: " + ", ".join(EDITIONS) + " (default hant)",
    "format": "the output format: " + ", ".join(FORMATS) + " (default: the Sphinx builder's)",
    "seed": "the seed text or collection file (required)",
    "glossary": "the glossary file (default: Tekan's)",
    "metadata": "the metadata file (default: the seed's name with .toml)",
    "locale": "the translation catalogs' folder (default: locale/ in the book folder)",
    "parallel_language": "language of the Chinese editions' parallel pages ('' for none; default en)",
    "vertical": "vertical writing (直排): the EPUB",
    "parallel": "each paragraph beside its translation: the PDF of a Chinese edition",
    "verbatim": "the seed's text as printed, without normalisation",
    "editions": "the editions published side by side (the switcher offers them; none: no switcher)",
    "downloads": "edition → the formats whose file is published beside the site (the download links)",
    "site_url": "public URL of OUT/html/ (canonical URLs, language alternates, sitemaps)",
    "self_contained": "the downloads are published inside html/ (html/epub/, html/pdf/), for a host that serves "
    "html/ alone, as Read the Docs does (default false)",
    "name": "stem of the published files (default: from the book's identifier)",
    "report_gaps": "report the metadata's gaps as warnings (default true)",
}

#: A published file's stem: what a reader's downloads folder shows.
SAFE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def book_file_name(identifier: str, source: Path) -> str:
    """The stem of a book's downloads, from its identifier (``urn:tekan:paper:2021-x`` → ``paper-2021-x``), else
    from its seed's file name, so two books' files never share a name in a reader's downloads folder."""
    stem = re.sub(r"^(urn:)?(tekan:)?", "", identifier.strip().lower())
    for text in (stem, source.stem.lower()):
        name = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")
        if name:
            return name
    return "book"


def _path(value: str, base: Path | None) -> Path:
    path = Path(value)
    return seed_path(base / path) if base is not None and not path.is_absolute() else seed_path(path)


class _Reader:
    """Typed access to the fields of a target mapping, each error naming its field."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def text(self, key: str, default: str = "") -> str:
        value = self.values.get(key, default)
        if value is None:
            return default
        if isinstance(value, Path):
            return str(value)
        if not isinstance(value, str):
            raise TargetError(f"tekan_target.{key}: expected a string, not {value!r}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.values.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | str) and str(value).lower() in ("0", "1", "true", "false", ""):
            return str(value).lower() in ("1", "true")
        raise TargetError(f"tekan_target.{key}: expected true or false, not {value!r}")

    def keys(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key, ())
        if isinstance(value, str):
            value = [v for v in value.split(",") if v]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise TargetError(f"tekan_target.{key}: expected a list of edition keys, not {value!r}")
        for item in value:
            if item not in EDITIONS:
                raise TargetError(f"tekan_target.{key}: unknown edition {item!r}: choose from {', '.join(EDITIONS)}")
        return tuple(value)
