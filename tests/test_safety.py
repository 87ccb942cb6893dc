"""Files Tekan does not own are never touched, whatever its own bookkeeping files say."""

from __future__ import annotations

from pathlib import Path

import pytest

from tekan.book import MANIFEST, write_pages


def test_stale_page_removal_never_leaves_the_output_folder(tmp_path: Path) -> None:
    root = tmp_path / "out" / ".work" / "src"
    (root / "statements").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victims = [tmp_path / "victim.txt", tmp_path / "victim.md", tmp_path / "out" / "victim.md", elsewhere / "page.md"]
    for victim in victims:
        victim.write_text("keep me", encoding="utf-8")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    (root / "link.md").symlink_to(tmp_path / "victim.md")
    (root / "statements" / "old.md").write_text("stale page", encoding="utf-8")
    (root / "notes.txt").write_text("not a page", encoding="utf-8")
    names = [
        "../victim.txt",
        "../../../victim.md",
        "../../victim.md",
        "statements/../../../../victim.md",
        str(tmp_path / "victim.md"),
        "linked/page.md",
        "link.md",
        "notes.txt",
        "..\\..\\..\\victim.md",
        "",
        "statements/old.md",
    ]
    (root / MANIFEST).write_text("\n".join(names) + "\n", encoding="utf-8")
    changed = write_pages({"index.md": "# 首頁\n"}, root)
    for victim in victims:
        assert victim.read_text(encoding="utf-8") == "keep me", victim
    assert (root / "link.md").is_symlink() and (root / "notes.txt").exists()
    assert not (root / "statements" / "old.md").exists()  # a real stale page still goes
    assert changed == ["index.md", "statements/old.md"]
    assert (root / MANIFEST).read_text(encoding="utf-8") == "index.md\n"


def test_pages_are_written_when_changed_and_only_pages_already_there_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_pages lists each folder once: a page not in it is written without being read first (16,000 new pages: as
    many failed opens saved), a page there is compared and rewritten only when it changed; a folder that cannot be
    listed has each of its pages read, as before."""
    import os

    root = tmp_path / "out"
    (root / "statements").mkdir(parents=True)
    (root / "statements" / "same.md").write_text("同", encoding="utf-8")
    (root / "statements" / "edited.md").write_text("舊", encoding="utf-8")
    (root / "index.md").write_text("首", encoding="utf-8")
    before = (root / "statements" / "same.md").stat().st_mtime_ns
    read: list[str] = []
    original = Path.read_bytes

    def reading(self: Path) -> bytes:
        if self.name != MANIFEST:
            read.append(self.relative_to(root).as_posix())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", reading)
    pages = {
        "index.md": "首",
        "statements/same.md": "同",
        "statements/edited.md": "新",
        "statements/new.md": "新頁",
        "sectors/new.md": "新部",
    }
    changed = write_pages(pages, root)
    assert changed == ["sectors/new.md", "statements/edited.md", "statements/new.md"]
    assert sorted(read) == ["index.md", "statements/edited.md", "statements/same.md"]
    assert {name: (root / name).read_text(encoding="utf-8") for name in pages} == pages
    assert (root / "statements" / "same.md").stat().st_mtime_ns == before
    read.clear()
    monkeypatch.setattr(os, "listdir", lambda folder: (_ for _ in ()).throw(PermissionError(folder)))
    assert write_pages({**pages, "statements/newer.md": "更新"}, root) == ["statements/newer.md"]
    assert sorted(read) == sorted([*pages, "statements/newer.md"])


# --- long forms: the tries are built without recursion ------------------------------------------------


def test_linking_a_form_as_long_as_a_paragraph() -> None:
    from tekan.linking import Linker

    for length in (600, 5_000):
        linker = Linker.build({"質" * length: "long", "質" * (length // 2): "half", "量" * length: "other"})
        assert linker.occurrences("甲" + "質" * length + "量") == [(1, 1 + length, "long")]
    # Every prefix is a form: nested deeper than the regex compiler allows, yet longest first.
    linker = Linker.build({"質" * n: str(n) for n in range(1, 1_500)})
    assert linker.occurrences("甲" + "質" * 1_600) == [(1, 1_500, "1499"), (1_500, 1_601, "101")]


def test_a_byline_with_a_very_long_organisation_converts_and_links(tmp_path: Path) -> None:
    from tekan.metadata import load_publication
    from tekan.scripts import to_hans

    organisation = "安徽省" + "質量標準計量認證研究" * 60 + "研究院"
    seed = tmp_path / "s.txt"
    seed.write_text(f"標題\n質量是生命線。\n——{organisation}院長韓永生\n報頭\n", encoding="utf-8")
    publication, _ = load_publication(seed)
    assert publication.statements[0].attribution.organisation == organisation
    from tekan.glossary import load_glossary
    from tekan.scripts import publication_to_hans

    from .conftest import GLOSSARY

    hans = publication_to_hans(publication, load_glossary(GLOSSARY))
    assert hans.statements[0].attribution.organisation == to_hans(organisation)
