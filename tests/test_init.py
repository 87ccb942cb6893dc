"""``tekan init``: a metadata draft beside an unseen seed, never overwritten, completed by ``--update``;
the one TOML writer reads back exactly what it wrote."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tekan.tomlfile import dumps, toml_string, toml_value

from .conftest import GLOSSARY, tekan
from .test_metadata import FEATURE

NEW_STATEMENT = "綠色發展\n以質量促轉型。\n——某電器集團總裁歐陽明\n"


def _seed(tmp_path: Path, text: str = FEATURE) -> Path:
    seed = tmp_path / "feature.txt"
    seed.write_text(text, encoding="utf-8")
    return seed


def _fill(text: str) -> str:
    """What an editor does: every empty field marked TODO gets a value."""
    return re.sub(r'= ""  # TODO: (.*)', lambda m: f'= "{m[1]} (filled)"', text)


def test_init_writes_a_draft_with_derived_facts_and_marked_english_fields(tmp_path: Path) -> None:
    seed = _seed(tmp_path)
    result = tekan("init", seed.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote a draft for 3 statement(s); 10 field(s) marked TODO" in result.stderr
    text = seed.with_suffix(".toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["publication"] == {
        "title": "測試報·測試特刊",
        "title_en": "",
        "publisher": "測試報",
        "publisher_en": "",
        "date": "2024-03-05",
    }
    assert [(s["byline"], s["slug"], s["sector"], s["person_pinyin"]) for s in data["statement"]] == [
        ("某省計量科學研究院院長王小明", "wang-xiaoming", "institution", "Wang Xiaoming"),
        ("某某檢測有限公司董事長李四", "li-si", "enterprise", "Li Si"),
        ("某市市場監管局黨組書記、局長曾國藩", "zeng-guofan", "regulator", "Zeng Guofan"),
    ]
    assert [s["id"] for s in data["sector"]] == ["regulator", "institution", "enterprise"]
    assert 'headline_en = ""  # TODO: English headline' in text
    assert 'position_en = ""  # TODO: English for 黨組書記、局長' in text
    assert "# 3. 標準引領 (feature.txt:7)" in text


def test_init_never_overwrites(tmp_path: Path) -> None:
    seed = _seed(tmp_path)
    seed.with_suffix(".toml").write_text("# mine\n", encoding="utf-8")
    result = tekan("init", seed.name, cwd=tmp_path)
    assert result.returncode == 1 and "never overwritten" in result.stderr and "--update" in result.stderr
    assert seed.with_suffix(".toml").read_text(encoding="utf-8") == "# mine\n"


def test_init_then_filling_the_draft_passes_strict(tmp_path: Path) -> None:
    seed = _seed(tmp_path)
    assert tekan("init", seed.name, cwd=tmp_path).returncode == 0
    draft = tekan("--glossary", str(GLOSSARY), "check", "--strict", seed.name, cwd=tmp_path)
    assert draft.returncode == 1
    gaps = [line.split(": warning: ")[0] for line in draft.stderr.splitlines() if line.endswith("[tekan.gap]")]
    assert gaps == ["feature.toml:6", "feature.toml:30", "feature.toml:40", "feature.toml:50"]
    toml = seed.with_suffix(".toml")
    toml.write_text(_fill(toml.read_text(encoding="utf-8")), encoding="utf-8")
    filled = tekan("--glossary", str(GLOSSARY), "check", "--strict", seed.name, cwd=tmp_path)
    assert filled.returncode == 0, filled.stderr
    assert "[tekan.gap]" not in filled.stderr


def test_update_adds_new_statements_and_keeps_every_byte_the_editor_wrote(tmp_path: Path) -> None:
    seed = _seed(tmp_path)
    assert tekan("init", seed.name, cwd=tmp_path).returncode == 0
    toml = seed.with_suffix(".toml")
    edited = _fill(toml.read_text(encoding="utf-8")).replace(
        'sector = "enterprise"  # derived', 'sector = "institution"  # the editor: a testing body'
    )
    edited = edited.replace('slug = "zeng-guofan"', 'slug = "ouyang-ming"')  # the new speaker's derived name
    toml.write_text(edited, encoding="utf-8")
    seed.write_text(FEATURE.replace("《測試報》", NEW_STATEMENT + "《測試報》"), encoding="utf-8")

    result = tekan("init", seed.name, "--update", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "added entries for 1 statement(s), kept the 3 written" in result.stderr
    text = toml.read_text(encoding="utf-8")
    assert text.startswith(edited)  # values and comments as the editor left them
    new = tomllib.loads(text)["statement"][-1]
    assert (new["byline"], new["slug"], new["sector"]) == ("某電器集團總裁歐陽明", "ouyang-ming-2", "enterprise")
    assert [s["id"] for s in tomllib.loads(text)["sector"]][-1] == "enterprise"  # declared: not added twice
    again = tekan("init", seed.name, "--update", cwd=tmp_path)
    assert again.returncode == 0 and "nothing to add" in again.stderr
    assert toml.read_text(encoding="utf-8") == text


def test_update_reports_an_entry_whose_byline_left_the_seed(tmp_path: Path) -> None:
    seed = _seed(tmp_path)
    assert tekan("init", seed.name, cwd=tmp_path).returncode == 0
    seed.write_text(FEATURE.replace("董事長李四", "總經理李四"), encoding="utf-8")
    result = tekan("init", seed.name, "--update", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "feature.toml:40: warning: the entry for the byline '某某檢測有限公司董事長李四' matches no statement" in (
        result.stderr
    )
    assert tomllib.loads(seed.with_suffix(".toml").read_text(encoding="utf-8"))["statement"][-1]["byline"] == (
        "某某檢測有限公司總經理李四"
    )


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=4), st.text(max_size=30))
def test_the_writer_reads_back_exactly(table: dict[str, str], text: str) -> None:
    data = {"note": text, "publication": table, "statement": [table, {"byline": text}]} if table else {"note": text}
    assert tomllib.loads(dumps(data)) == data
    assert tomllib.loads(f"x = {toml_string(text)}") == {"x": text}


# --- --update keeps the file as the editor wrote it, or refuses and changes nothing ---------------------------

_GROWN = FEATURE.replace("《測試報》", NEW_STATEMENT + "《測試報》")


def _update(tmp_path: Path, written: bytes) -> tuple[subprocess.CompletedProcess[str], bytes]:
    seed = _seed(tmp_path, _GROWN)
    toml = seed.with_suffix(".toml")
    toml.write_bytes(written)
    result = tekan("init", seed.name, "--update", cwd=tmp_path)
    return result, toml.read_bytes()


def _entries(bylines: list[str]) -> str:
    return ", ".join(f'{{ byline = "{b}", sector = "institution" }}' for b in bylines)


_OLD = ["某省計量科學研究院院長王小明", "某某檢測有限公司董事長李四", "某市市場監管局黨組書記、局長曾國藩"]


@pytest.mark.parametrize(
    "written",
    [
        f"statement = [ {_entries(_OLD)} ]\n",  # the example: one line
        f"# mine\nstatement = [\n  {_entries(_OLD[:1])},  # first\n  {_entries(_OLD[1:])}\n]\n",  # several lines
        # the control: the same entries as tables take the new one
        "".join(f'[[statement]]\nbyline = "{b}"\nsector = "institution"\n' for b in _OLD),
    ],
    ids=["one-line", "multi-line", "tables"],
)
def test_update_of_an_inline_array_refuses_in_one_line_and_changes_nothing(tmp_path: Path, written: str) -> None:
    result, after = _update(tmp_path, written.encode())
    if "[[statement]]" in written:
        assert result.returncode == 0, result.stderr
        assert after.startswith(written.encode()) and tomllib.loads(after.decode())["statement"][-1]["byline"] == (
            "某電器集團總裁歐陽明"
        )
        return
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = 2 if written.startswith("# mine") else 1
    where = str(tmp_path / "feature.toml")  # the path as tekan init found the book's only seed
    assert lines[0].startswith(f"{where}:{line}: error: cannot update feature.toml faithfully, left unchanged")
    assert "`statement = [...]` as an inline array" in lines[0]
    assert after == written.encode()


def test_update_refuses_when_the_new_sector_cannot_join_an_inline_sector_array(tmp_path: Path) -> None:
    written = 'sector = [ { id = "institution", zh = "機構", en = "Institutions" } ]\n\n' + "".join(
        f'[[statement]]\nbyline = "{b}"\nsector = "institution"\n' for b in _OLD
    )
    result, after = _update(tmp_path, written.encode())
    assert result.returncode == 1 and "`sector = [...]` as an inline array" in result.stderr
    assert result.stderr.startswith(f"{tmp_path / 'feature.toml'}:1: error:")
    assert after == written.encode()


@pytest.mark.parametrize(
    ("bom", "newline", "ending", "inline"),
    [
        ("", "\r\n", "\r\n", False),  # Windows line ends
        ("\ufeff", "\n", "\n", False),  # a BOM
        ("\ufeff", "\r\n", "", True),  # both, no line end after the last line, [publication] as an inline table
        ("", "\n", "", True),
    ],
    ids=["crlf", "bom", "bom-crlf-unterminated-inline", "unterminated-inline"],
)
def test_update_keeps_every_byte_and_the_files_line_ends_and_bom(
    tmp_path: Path, bom: str, newline: str, ending: str, inline: bool
) -> None:
    seed = _seed(tmp_path)
    assert tekan("init", seed.name, cwd=tmp_path).returncode == 0
    text = seed.with_suffix(".toml").read_text(encoding="utf-8")
    if inline:  # an inline table where TOML allows one: kept, and the new entries still join the file
        table = tomllib.loads(text)["publication"]
        head, _, rest = text.partition("[publication]\n")
        rest = rest[rest.index("\n\n") :]
        text = head + f"publication = {toml_value(table)}  # 編者：一行寫完" + rest
    lines = ["# 編者按：英文標題待定  ", *text.rstrip("\n").split("\n")]
    written = (bom + newline.join(lines) + ending).encode()
    result, after = _update(tmp_path, written)
    assert result.returncode == 0, result.stderr
    assert after.startswith(written)
    added = after[len(written) :]
    if newline == "\r\n":
        assert b"\r\n" in added and b"\n" not in added.replace(b"\r\n", b"")
    else:
        assert b"\r" not in added
    assert after.count(b"\xef\xbb\xbf") == (1 if bom else 0)
    data = tomllib.loads(after.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n"))
    assert data["statement"][-1]["byline"] == "某電器集團總裁歐陽明" and len(data["statement"]) == 4
    assert data["publication"]["title"] == "測試報·測試特刊"
    check = tekan("--glossary", str(GLOSSARY), "check", seed.name, cwd=tmp_path)
    assert check.returncode == 0, check.stderr


UNDATED = "計量是工業的眼睛\n計量是工業的眼睛。\n——某研究所研究員張三\n《某報》【世界計量日特刊】\n"


def test_a_fresh_draft_loads_as_it_is_and_strict_refuses_its_todos(tmp_path: Path) -> None:
    """No date in the masthead and a byline that cannot be split: the draft's empty date and empty parts are TODOs
    (warnings), never errors; `tekan init` finds the book's only seed and `tekan check` names a path that works."""
    from tekan.book import load_book

    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "metrology-day.txt"
    seed.write_text(UNDATED, encoding="utf-8")
    before = tekan("--glossary", str(GLOSSARY), "check", cwd=tmp_path)
    assert "`tekan init seeds/metrology-day.txt`" in before.stderr, before.stderr
    result = tekan("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = seed.with_suffix(".toml").read_text(encoding="utf-8")
    assert 'date = ""' in text and 'organisation = ""' in text  # left for the editor, marked TODO
    book = load_book(seed, GLOSSARY)  # what `tekan build` loads first: no error
    assert book.publication.meta.date == "" and book.publication.statements[0].attribution.raw == "某研究所研究員張三"
    plain = tekan("--glossary", str(GLOSSARY), "check", cwd=tmp_path)
    assert plain.returncode == 0 and "error" not in plain.stderr, plain.stderr
    strict = tekan("--glossary", str(GLOSSARY), "check", "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and "has no title_en, date" in strict.stderr, strict.stderr
