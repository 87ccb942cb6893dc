"""Encodings and invisible characters: UTF-8 in any dress reads the same; anything else is refused by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tekan.book import book_pages, load_book
from tekan.errors import Kind, TekanError, read_text
from tekan.glossary import load_glossary
from tekan.parsing import load_seed, parse_seed
from tekan.scripts import to_hans

from .conftest import GLOSSARY, SEED


def _copy_seed(tmp_path: Path, name: str, data: bytes, toml: bytes | None = None) -> Path:
    """A seed file ``name`` with ``data``, and the project's metadata file beside it."""
    folder = tmp_path / name
    folder.mkdir()
    seed = folder / "seed.txt"
    seed.write_bytes(data)
    meta = SEED.with_suffix(".toml").read_bytes()
    seed.with_suffix(".toml").write_bytes(meta if toml is None else toml)
    return seed


def _error(path: Path) -> TekanError:
    with pytest.raises(TekanError) as info:
        load_seed(path)
    return info.value


def test_bom_and_crlf_and_cr_give_the_same_pages_as_plain_utf8(tmp_path: Path) -> None:
    plain = SEED.read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r" not in plain  # the variants below are real changes
    meta = SEED.with_suffix(".toml").read_bytes()
    variants = {
        "plain": (plain, meta),
        "bom": (b"\xef\xbb\xbf" + plain, b"\xef\xbb\xbf" + meta),
        "crlf": (plain.replace(b"\n", b"\r\n"), meta.replace(b"\n", b"\r\n")),
        "bom-crlf": (b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n"), meta),
        "cr": (plain.replace(b"\n", b"\r"), meta),
    }
    pages = {}
    for name, (data, toml) in variants.items():
        seed = _copy_seed(tmp_path, name, data, toml)
        book = load_book(seed, GLOSSARY)
        assert book.problems == ()
        pages[name] = book_pages(book)
    assert len(pages["plain"]) > 16
    for name, got in pages.items():
        assert got == pages["plain"], name


def test_big5_seed_is_refused_naming_big5_with_the_line_as_it_would_read(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    seed = _copy_seed(tmp_path, "big5", text.encode("big5hkscs"))
    error = _error(seed)
    assert error.kind == Kind.encoding and error.location.line == 1
    assert "not valid UTF-8" in error.message
    assert "it looks like BIG5" in error.message
    assert "讓質量成為美好安徽靚麗底色" in error.message  # the first line, decoded as the guess reads it
    assert "iconv -f BIG5-HKSCS -t UTF-8 seed.txt" in error.message


def test_gb18030_seed_is_refused_naming_gb18030(tmp_path: Path) -> None:
    text = to_hans(SEED.read_text(encoding="utf-8"))
    seed = _copy_seed(tmp_path, "gbk", text.encode("gbk"))
    error = _error(seed)
    assert error.location.line == 1
    assert "it looks like GB18030" in error.message
    assert "让质量成为美好安徽靓丽底色" in error.message


def test_each_line_of_the_seed_is_named_correctly_in_both_legacy_encodings(tmp_path: Path) -> None:
    # The guess is never silent (the file is refused either way), but a wrong name would mislead.
    from tekan.errors import guess_encoding

    lines = [line for line in SEED.read_text(encoding="utf-8").split("\n") if len(line) >= 6]
    for line in lines:
        assert "BIG5" in guess_encoding(line.encode("big5hkscs")), line
        assert "GB18030 (the line" in guess_encoding(to_hans(line).encode("gb18030")), line


def test_one_pasted_gbk_line_in_a_utf8_file_is_found_at_its_line(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    data = b"\n".join(
        to_hans(line).encode("gb18030") if n == 5 else line.encode("utf-8") for n, line in enumerate(lines, start=1)
    )
    error = _error(_copy_seed(tmp_path, "mixed", data))
    assert error.location.line == 5
    assert "byte 0 of the line" in error.message
    assert "GB18030" in error.message


def test_invalid_utf8_gives_line_and_byte_offset(tmp_path: Path) -> None:
    good = "標題\n正文第一段。\n".encode()
    data = good + "第二段".encode() + b"\xe8\xa8" + "。\n——某局局長張三\n報頭\n".encode()  # a truncated character
    error = _error(_copy_seed(tmp_path, "bad", data))
    assert error.location.line == 3
    assert f"byte 9 of the line (byte {len(good) + 9} of the file)" in error.message
    assert str(error).startswith(f"{tmp_path / 'bad' / 'seed.txt'}:3: not valid UTF-8")


@pytest.mark.parametrize("bom", ["utf-16-le", "utf-16-be"])
def test_utf16_is_refused_by_name(tmp_path: Path, bom: str) -> None:
    data = ("\ufeff" + SEED.read_text(encoding="utf-8")).encode(bom)
    error = _error(_copy_seed(tmp_path, bom, data))
    assert "UTF-16" in error.message and error.location.line == 1


def test_utf16_without_bom_is_refused_too(tmp_path: Path) -> None:
    error = _error(_copy_seed(tmp_path, "u16", "標題\nab 正文\n".encode("utf-16-le")))
    assert "UTF-16" in error.message


def test_a_glossary_in_big5_is_refused_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.toml"
    path.write_bytes(GLOSSARY.read_text(encoding="utf-8").encode("big5hkscs", errors="replace"))
    with pytest.raises(TekanError) as info:
        load_glossary(path)
    assert info.value.location.path == path and info.value.kind == Kind.encoding
    assert "BIG5" in info.value.message


@pytest.mark.parametrize(
    ("char", "name"),
    [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x0c", "U+000C"), ("\x85", "U+0085"), ("\u202e", "U+202E")],
)
def test_control_and_bidi_override_characters_are_refused_with_line_and_column(
    tmp_path: Path, char: str, name: str
) -> None:
    text = f"標題\n正文{char}第一段。\n——某局局長張三\n報頭\n"
    with pytest.raises(TekanError) as info:
        parse_seed(text, tmp_path / "s.txt")
    assert info.value.location.line == 2
    assert f"{name} at column 3" in info.value.message


def test_tab_zero_width_and_nbsp_are_text_and_kept(tmp_path: Path) -> None:
    paragraph = "正文\t第一段\u200b，\u00a0不換行\u3000空格。"
    publication, problems = parse_seed(f"標題\n{paragraph}\n——某局局長張三\n報頭\n", tmp_path / "s.txt")
    assert publication.statements[0].paragraphs == (paragraph,)
    assert problems == []


def test_replacement_character_is_kept_and_reported(tmp_path: Path) -> None:
    publication, problems = parse_seed("標題\n正文\ufffd。\n——某局局長張三\n報頭\n", tmp_path / "s.txt")
    assert publication.statements[0].paragraphs == ("正文\ufffd。",)
    assert [(p.kind, p.location.line) for p in problems] == [(Kind.encoding, 2)]
    assert "U+FFFD at column 3" in problems[0].message


def test_read_text_refuses_a_folder_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(TekanError) as info:
        read_text(tmp_path)
    assert info.value.kind == Kind.io and "cannot read file" in info.value.message


def test_cli_prints_the_encoding_error_as_one_line(tmp_path: Path) -> None:
    from .conftest import tekan

    seed = _copy_seed(tmp_path, "cli", SEED.read_text(encoding="utf-8").encode("big5hkscs"))
    out = tmp_path / "out"
    result = tekan("convert", str(seed), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{seed}:1: error: not valid UTF-8 at byte 0 of the line")
    assert result.stderr.rstrip().endswith("[tekan.encoding]")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
    shutil.rmtree(seed.parent)
