"""``tekan init``: a metadata draft beside a seed, for the editor to complete.

The draft holds what can be derived (title, publisher and date from the masthead; per statement its byline,
page name, sector and romanised name) and an empty, marked field for every English fact a release needs.
A draft is never overwritten: ``--update`` appends entries for statements the file does not cover yet and
leaves every byte the editor wrote (values and comments) as it was.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .derive import DEFAULT_SECTORS, explain_sector, masthead_facts, person_pinyin
from .errors import Kind, Problem, TekanError, read_text
from .files import atomic_write
from .metadata import apply_metadata, command_path, load_publication, metadata_path, read_positions
from .model import Location, Publication, Statement
from .normalise import normalise_publication
from .parsing import load_seed
from .tomlfile import entry_line, load_toml, toml_table

#: What the editor is asked for, per empty English field.
TODO = "TODO"


@dataclass(frozen=True)
class DraftResult:
    """What ``tekan init`` did."""

    path: Path  # the metadata file
    added: tuple[int, ...]  # numbers of the statements given an entry now
    kept: int  # entries the file had already (left as written)
    todo: int  # fields marked TODO in what was written now
    problems: tuple[Problem, ...]  # entries that match no statement any more, and the like


def _statement_table(statement: Statement, source: Path) -> list[str]:
    a, meta = statement.attribution, statement.meta
    rows: dict[str, str] = {"byline": a.raw}
    comments: dict[str, str] = {}
    if not a.is_split:
        # Written out for the editor: the byline could not be read, so its parts are theirs to give.
        rows |= {"organisation": "", "position": "", "person": ""}
        comments["organisation"] = f"{TODO}: the byline could not be split; these three must join to it exactly"
    rows["slug"] = meta.slug
    comments["slug"] = "page name, from the speaker's name in pinyin"
    rows["sector"] = meta.sector
    comments["sector"] = f"derived: {explain_sector(a.organisation, a.position)[1]}"
    rows["headline_en"] = ""
    comments["headline_en"] = f"{TODO}: English headline"
    if a.person:
        rows["person_pinyin"] = person_pinyin(a.person)
        comments["person_pinyin"] = f"derived from {a.person}: check the reading of the name"
    if a.organisation:
        rows["organisation_en"] = ""
        comments["organisation_en"] = f"{TODO}: English name of {a.organisation}"
    if a.position:
        rows["position_en"] = ""
        comments["position_en"] = f"{TODO}: English for {a.position}"
    header = f"# {statement.number}. {statement.headline} ({source.name}:{statement.line})"
    return ["", "[[statement]]", header, *toml_table("", rows, comments)]


def _todo_count(lines: list[str]) -> int:
    return sum(f"# {TODO}" in line for line in lines)


def draft_text(publication: Publication) -> str:
    """The whole draft for a publication whose metadata was derived."""
    seed = publication.source
    facts = masthead_facts(publication.masthead)
    meta = publication.meta
    lines = [
        f"# Metadata of {seed.name}, drafted by `tekan init` from the seed.",
        f"# Fill in every field marked {TODO}, check the derived ones, then run `tekan check --strict`.",
        "# Keys: see the README (Making a book from a new seed). `tekan init --update` adds entries for new",
        "# statements and keeps everything written here.",
        "",
    ]
    pub_rows = {"title": meta.title, "title_en": "", "publisher": meta.publisher, "publisher_en": "", "date": meta.date}
    pub_comments = {
        "title": "from the masthead" if facts.get("title") else f"{TODO}: the Chinese title",
        "title_en": f"{TODO}: English title",
        "publisher": "from the masthead" if facts.get("publisher") else f"{TODO}: the publisher (newspaper)",
        "publisher_en": "optional: the publisher's English name",
        "date": "from the masthead (ISO)" if facts.get("date") else f"{TODO}: date of the issue, e.g. 2021-09-16",
    }
    lines += toml_table("[publication]", pub_rows, pub_comments)
    lines += ["", "# Sectors in book order: the parts of the book. Rename or reorder them freely."]
    for sector in meta.sectors:
        lines += ["", *toml_table("[[sector]]", {"id": sector.id, "zh": sector.zh, "en": sector.en})]
    for statement in publication.statements:
        lines += _statement_table(statement, seed)
    return "\n".join(lines) + "\n"


def init_metadata(seed: Path, update: bool = False) -> DraftResult:
    """Write the metadata draft of ``seed`` (``<seed>.toml``); with ``update``, append missing entries only."""
    path = metadata_path(seed)
    if path.exists() and not update:
        raise TekanError(
            f"{path.name} exists and is never overwritten: `tekan init {command_path(seed)} --update` adds entries for "
            "statements it does not cover and keeps what is written",
            Location(path, 0),
            Kind.metadata,
        )
    if not path.exists():
        publication, _ = load_publication(seed, path)
        # The title and publisher as the book will print them: with the masthead's corrections.
        words: dict[str, str] | None = {} if publication.script == "hans" else None
        publication = replace(publication, meta=normalise_publication(publication, words).meta)
        text = draft_text(publication)
        _write_new(path, text)
        count = len(publication.statements)
        return DraftResult(path, tuple(range(1, count + 1)), 0, _todo_count(text.split("\n")), ())
    return _update(seed, path)


def _update(seed: Path, path: Path) -> DraftResult:
    data, lines = load_toml(path, Kind.metadata)
    entries = data.get("statement", [])
    entries = entries if isinstance(entries, list) else []
    bylines = [e.get("byline") for e in entries if isinstance(e, dict)]
    # Read the seed with the file's own facts, but without its entries: an entry whose byline changed in the
    # seed would stop the load, and here it is only reported.
    publication, _ = load_seed(seed, read_positions(path))
    present = {st.attribution.raw for st in publication.statements}
    problems = [
        Problem(
            f"the entry for the byline {byline!r} matches no statement of {seed.name}: if the byline was edited "
            "in the seed, edit it here too (or remove the entry)",
            Location(path, entry_line(lines, "statement", index)),
            Kind.metadata,
        )
        for index, byline in enumerate(bylines)
        if byline not in present
    ]
    missing = [st for st in publication.statements if st.attribution.raw not in bylines]
    if not missing:
        return DraftResult(path, (), len(entries), 0, tuple(problems))
    # The page names and sectors the new entries get are those a build would derive (taking the file's
    # slugs into account): the entries that exist are kept, the new ones are computed against them.
    kept = [e for e in entries if isinstance(e, dict) and e.get("byline") in present]
    derived, _ = apply_metadata(publication, path, ({**data, "statement": kept}, lines))
    by_number = {st.number: st for st in derived.statements}
    added: list[str] = [f"# Added by `tekan init --update`: {len(missing)} statement(s) new in {seed.name}."]
    for statement in missing:
        added += _statement_table(by_number[statement.number], seed)
    declared = {s.get("id") for s in data.get("sector", []) if isinstance(s, dict)}
    used = {by_number[st.number].meta.sector for st in missing}
    for sector in DEFAULT_SECTORS[publication.script]:
        if sector.id in used and sector.id not in declared:
            added += ["", *toml_table("[[sector]]", {"id": sector.id, "zh": sector.zh, "en": sector.en})]
    # In place of the file a link points to, keeping its owner and mode; a kill leaves the old file or the new.
    atomic_write(path, _appended(path, data, added).encode("utf-8"))
    return DraftResult(path, tuple(st.number for st in missing), len(entries), _todo_count(added), tuple(problems))


def _appended(path: Path, data: dict[str, Any], added: list[str]) -> str:
    """The file's text, every byte as written (BOM, line ends), with ``added`` appended in its line ends.

    The result is parsed back: unless it holds exactly the file's data plus the new entries (an inline array
    ``statement = [...]`` cannot take ``[[statement]]`` tables after it), nothing is written.
    """
    read_text(path)  # the checks of every input file (UTF-8, size); the text kept is the file's own
    raw = path.read_bytes().decode("utf-8")
    newline = next((m[0] for m in re.finditer(r"\r\n|\n|\r", raw)), "\n")
    separator = "" if not raw or raw.endswith(("\n", "\r")) else newline
    text = raw + separator + newline + newline.join(added) + newline
    chunk = tomllib.loads("\n".join(added))
    expected = {**data}
    for table, entries in chunk.items():
        expected[table] = [*data.get(table, []), *entries]
    try:
        faithful = tomllib.loads(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")) == expected
    except tomllib.TOMLDecodeError:
        faithful = False
    if not faithful:
        inline = [m for t in chunk for m in re.finditer(rf"^[ \t]*({t})[ \t]*=", raw, re.MULTILINE)][:1]
        how = (
            f"it writes `{inline[0][1]} = [...]` as an inline array, which TOML cannot extend with "
            f"[[{inline[0][1]}]] tables: write its entries as [[{inline[0][1]}]] tables, or add the new ones by hand"
            if inline
            else "appending the new entries would change what the file says: add them by hand"
        )
        line = len(re.findall(r"\r\n|\n|\r", raw[: inline[0].start()])) + 1 if inline else 0
        raise TekanError(
            f"cannot update {path.name} faithfully, left unchanged: {how}", Location(path, line), Kind.metadata
        )
    return text


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to a new file ``path`` atomically; fail rather than overwrite."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrite an editor's file
        os.unlink(tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
