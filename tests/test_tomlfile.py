"""The plain path of TOML loading (``tomlfile.plain_toml``) reads what tomllib reads, or leaves the file to it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tekan.errors import Kind, TekanError
from tekan.tomlfile import load_toml, plain_toml

from .conftest import ROOT

CASES = [
    'title = "中國質量報"\n\n[[statement]]\nbyline = "韓永生" # a comment\nslug = "han"\n[[statement]]\nslug = "x#y"\n',
    '[publication]\ntitle = "t"\nnumber = 3\nwhen = 2021-09-01\nnotes = [{text = "a", note = "b"}]\n',
    'a = \'literal\'\n  b = "tab\tinside"\nc = "\\u00e9"\nd = """one line"""\n',
    'k = "a"#c\n[[s]] # c\nk = "v"\n',
    # Mistakes and what the plain path does not read: tomllib decides.
    "a = 1\na = 2\n",
    "[x]\n[x]\n",
    "x = 1\n[x]\n",
    "[[x]]\n[x]\n",
    "[x]\n[[x]]\n",
    'a = "b" c\n',
    'a = """x\ny"""\n',
    "[ x ]\n",
    "[a.b]\nc = 1\n",
    "a.b = 1\n",
    '"q" = 1\n',
    "a =\n",
    'a = "x"\r\n',
    "a = [1,\n2]\n",
    'notes = [\n  { text = "a", note = "b" },\n]\nc = "d"\n[[s]]\ne = """two\nlines"""\n',
    "[[s]\n",
    "[s]]\n",
    "\ufeffa = 1\n",
    'a = "bell\x07"\n',
]


def _tomllib(text: str) -> object:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "error"


@pytest.mark.parametrize("text", CASES)
def test_the_plain_path_reads_what_tomllib_reads_or_leaves_the_file_to_it(text: str) -> None:
    plain = plain_toml(text)
    if plain is not None:
        assert _tomllib(text) != "error"
        assert repr(plain) == repr(tomllib.loads(text))


def test_a_metadata_file_is_read_on_the_plain_path() -> None:
    text = (ROOT / "seeds" / "000_fbd3bd184db56f6a.toml").read_text(encoding="utf-8")
    plain = plain_toml(text)
    assert plain is not None and repr(plain) == repr(tomllib.loads(text))


def test_a_key_given_twice_is_still_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "meta.toml"
    path.write_text('[[statement]]\nslug = "a"\n\n[[statement]]\nslug = "b"\nslug = "c"\n', encoding="utf-8")
    with pytest.raises(TekanError) as caught:
        load_toml(path, Kind.metadata)
    assert caught.value.location.line == 6


def test_forbidden_free_says_so_only_of_text_without_a_forbidden_character() -> None:
    """``forbidden_free`` (two quick scans) is False for every character FORBIDDEN finds, in the Basic Multilingual
    Plane and past it; True for text of the seed and other characters."""
    from tekan.errors import FORBIDDEN
    from tekan.tomlfile import forbidden_free

    for code in range(0x110000):
        char = chr(code)
        if FORBIDDEN.search(char):
            assert not forbidden_free(f"質量{char}"), hex(code)
    text = (ROOT / "seeds" / "000_fbd3bd184db56f6a.txt").read_text(encoding="utf-8")
    assert forbidden_free(text) and forbidden_free("\t\n 5G、“AI”·—") and not forbidden_free("𠮷")


@pytest.mark.parametrize(
    "value",
    [
        'a = "x\\u0007y"',  # an escape: the character is not in the file as typed
        'a = """x\x07y"""',
        "a = '" + "長" * 301 + "'",  # longer than a value may be
        'a = """' + "長" * 200 + "\\\n" + "長" * 200 + '"""',  # two lines joined
        'a = ["' + "長" * 301 + '"]',
    ],
)
def test_values_are_still_checked_where_a_line_does_not_bound_them(tmp_path: Path, value: str) -> None:
    """Only a file without escapes or multi-line strings, whose lines are no longer than a value may be, and that
    holds no forbidden character skips the look at each value: these are refused as before."""
    path = tmp_path / "meta.toml"
    path.write_text(f"[publication]\n{value}\n", encoding="utf-8")
    with pytest.raises(TekanError):
        load_toml(path, Kind.metadata)
