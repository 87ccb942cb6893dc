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

from .errors import Kind, TekanError
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
#: Why a collection has no English edition (and no parallel pages) yet: said in one line by Sphinx and the CLI.
COLLECTION_NOT_TRANSLATED = (
    "a collection of several features has no English edition yet: build each feature's English edition on its "
    "own (tekan build --seed FEATURE.txt --edition en), or the collection's Chinese editions (--script all)"
)


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


def combine(facts: dict[str, str], features: list[Publication], source: Path) -> Publication:
    """The collection as one publication: every feature's statements (numbered through) and sectors."""
    statements: list[Statement] = []
    for feature in features:
        for statement in feature.statements:
            statements.append(replace(statement, number=len(statements) + 1))
    first = features[0].meta
    publishers = {f.meta.publisher for f in features}
    shared = first.publisher if len(publishers) == 1 else ""
    meta = PublicationMeta(
        title=facts.get("title") or f"{shared}特刊合集",
        title_en=facts.get("title_en", ""),
        publisher=facts.get("publisher", shared),
        publisher_en=facts.get("publisher_en", first.publisher_en if shared else ""),
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
