"""Shortcuts taken for speed give the same book as the long way round."""

from __future__ import annotations

from pathlib import Path

from tekan.metadata import apply_metadata, load_publication, read_positions
from tekan.model import Publication
from tekan.parsing import load_seed

from .conftest import SEED


def _long_way(seed: Path, metadata: Path) -> tuple[Publication, list[str]]:
    publication, problems = load_seed(seed, read_positions(metadata))  # pinyin page names for all
    publication, more = apply_metadata(publication, metadata)
    return publication, [str(p) for p in problems + more]


def _short_way(seed: Path) -> tuple[Publication, list[str]]:
    publication, problems = load_publication(seed)
    return publication, [str(p) for p in problems]


def test_metadata_naming_every_statement_gives_the_same_book() -> None:
    assert _short_way(SEED) == _long_way(SEED, SEED.with_suffix(".toml"))


def test_statement_without_entry_keeps_its_pinyin_page_name(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    toml = SEED.with_suffix(".toml").read_text(encoding="utf-8")
    seed.with_suffix(".toml").write_text(toml[: toml.rfind("[[statement]]")], encoding="utf-8")  # drop the last
    publication, problems = _short_way(seed)
    assert publication == _long_way(seed, seed.with_suffix(".toml"))[0]
    assert publication.statements[-1].meta.slug == "liu-qingfeng"  # 劉慶峰, from pinyin
    assert any("has no entry" in p for p in problems)
