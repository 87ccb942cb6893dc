"""A collection: several features (one seed each) published as one book — one site, one EPUB, one PDF.

A collection file is TOML::

    seeds = ["2021-hangzhou.txt", "2022-dongguan.txt"]   # in book order, relative to this file

    [collection]                                         # the book's own title page (optional)
    title = "中國質量報特刊合集"
    title_en = "China Quality News: Special Issues"

    [glossary]                                           # entries printed besides those used (optional)
    include = ["metrology"]                              # or: all = true

Each feature keeps its own metadata file beside its seed. Its pages live in a folder named by the
feature's id (the seed's file name, lowercased, ``_`` → ``-``), so adding a feature renames no page.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .convention import PRESS
from .errors import Kind, Problem, TekanError
from .files import atomic_write
from .model import GlossaryChoice, Location, Publication, PublicationMeta, Statement
from .project import seed_path
from .tomlfile import check_fields, load_toml

_COLLECTION = {
    "title": str,
    "title_en": str,
    "publisher": str,
    "publisher_en": str,
    "date": str,
    "identifier": str,
    "description_zh": str,
    "description_en": str,
}
_NOT_ID = re.compile(r"[^a-z0-9-]+")


def is_collection(path: Path) -> bool:
    """A collection file (TOML listing seeds), not a seed text."""
    return path.suffix == ".toml"


def feature_id(seed: Path) -> str:
    """The folder of a feature's pages: its seed's file name as a lowercase ASCII slug."""
    slug = _NOT_ID.sub("-", seed.stem.lower()).strip("-")
    if not slug:
        raise TekanError(
            "the seed's file name gives no page folder: use ASCII letters or digits", Location(seed, 0), Kind.io
        )
    return slug


def read_collection(path: Path) -> tuple[dict[str, str], list[Path]]:
    """The collection's own facts and its seeds (absolute paths, in book order)."""
    data, _ = load_toml(path, Kind.metadata)
    where = Location(path, 0)
    check_fields(data, where, Kind.metadata, {"seeds": list}, {"collection": dict, "glossary": dict})
    facts = check_fields(data.get("collection", {}), where, Kind.metadata, {}, _COLLECTION)
    seeds = [seed_path(path.parent / name) for name in data["seeds"]]
    if not seeds:
        raise TekanError("`seeds` lists no seed", where, Kind.metadata)
    ids = [feature_id(seed) for seed in seeds]
    for seed, fid in zip(seeds, ids, strict=True):
        if ids.count(fid) > 1:
            raise TekanError(f"two seeds give the page folder {fid!r}: rename one", Location(seed, 0), Kind.metadata)
    return facts, seeds


def write_collection(path: Path, seeds: list[Path]) -> None:
    """Write a collection file listing ``seeds`` (for ``tekan build --seed A --seed B``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    listed = ", ".join('"' + str(seed_path(s)).replace("\\", "\\\\").replace('"', '\\"') + '"' for s in seeds)
    text = f"seeds = [{listed}]\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text.encode("utf-8"), follow_link=False)


def as_feature(publication: Publication, fid: str) -> Publication:
    """A publication whose statements and sectors belong to the feature ``fid``."""
    statements = tuple(replace(st, meta=replace(st.meta, feature=fid)) for st in publication.statements)
    sectors = tuple(replace(s, feature=fid) for s in publication.meta.sectors)
    return replace(publication, statements=statements, meta=replace(publication.meta, sectors=sectors))


def in_script(text: str, script: str) -> str:
    """A collection's own Chinese (its title, publisher, description) in the edition's script: the Simplified
    edition converts it; the Traditional one converts it only when it is written in Simplified."""
    from .scripts import script_evidence, to_hans, to_hant

    if script == "hans":
        return to_hans(text)
    return to_hant(text) if "hans" in script_evidence([text]) else text


def collection_glossary(path: Path, features: list[Publication]) -> GlossaryChoice | None:
    """The glossary entries a collection prints besides those used: its own ``[glossary]`` table's and its
    features' (``all`` in any of them prints every entry)."""
    from .metadata import glossary_choice

    data, _ = load_toml(path, Kind.metadata)
    choices = [c for c in (glossary_choice(data, path), *(f.meta.glossary for f in features)) if c is not None]
    if not choices:
        return None
    include = tuple(dict.fromkeys(ref for c in choices for ref in c.include))
    return GlossaryChoice(any(c.all for c in choices), include, choices[0].where)


def derived_title_en(facts: dict[str, str], features: list[Publication]) -> str:
    """The collection's English title when its file gives none: only where its Chinese title is derived too (from
    the one publisher of all its features) and every feature names that publisher in English, the same way;
    otherwise "" (never a translation of a title the editors wrote)."""
    if facts.get("title"):
        return ""
    publishers = {(f.meta.publisher, f.meta.publisher_en) for f in features}
    if len(publishers) != 1:
        return ""
    chinese, english = publishers.pop()
    return PRESS.collection_title_en.format(publisher=english) if chinese and english else ""


def collection_gaps(path: Path, facts: dict[str, str], features: list[Publication]) -> list[Problem]:
    """What a release still needs of the collection file itself: an English title (the English edition's title
    page, EPUB and PDF would otherwise print the Chinese one)."""
    from .metadata import table_line

    if facts.get("title_en") or derived_title_en(facts, features):
        return []
    line = table_line(path, "collection")
    where = "[collection]" if line else "the collection file"
    return [
        Problem(
            f'{where} has no title_en: the English edition is titled in Chinese until it has one (title_en = "…")',
            Location(path, line),
            Kind.gap,
        )
    ]


def combine(facts: dict[str, str], features: list[Publication], source: Path, script: str = "hant") -> Publication:
    """The collection as one publication: every feature's statements (numbered through) and sectors; its own facts
    (title, publisher, description) in the edition's Chinese ``script``."""
    chinese = ("title", "publisher", "description_zh")
    facts = {key: in_script(value, script) if key in chinese else value for key, value in facts.items()}
    statements: list[Statement] = []
    for feature in features:
        for statement in feature.statements:
            statements.append(replace(statement, number=len(statements) + 1))
    publishers = list(dict.fromkeys(f.meta.publisher for f in features if f.meta.publisher))
    shared = publishers[0] if len(publishers) == 1 else ""
    english = list(dict.fromkeys(f.meta.publisher_en for f in features if f.meta.publisher_en))
    meta = PublicationMeta(
        title=facts.get("title") or PRESS.collection_title.format(publisher=shared),
        title_en=facts.get("title_en") or derived_title_en(facts, features),
        # The publishers, never the collection's title: they hold the copyright and are the EPUB's creator.
        publisher=facts.get("publisher") or "、".join(publishers),
        publisher_en=facts.get("publisher_en") or "; ".join(english if len(english) == len(publishers) else []),
        date=facts.get("date", max((f.meta.date for f in features), default="")),
        identifier=facts.get("identifier", ""),
        description_zh=facts.get("description_zh", ""),
        description_en=facts.get("description_en", ""),
        sectors=tuple(s for f in features for s in f.meta.sectors),
        glossary=collection_glossary(source, features) if source.is_file() else None,
    )
    return Publication(
        masthead=meta.title,
        statements=tuple(statements),
        meta=meta,
        source=source,
        normalised=all(f.normalised for f in features),
    )
