"""MyST rendering: seed text stays data, whatever characters it holds."""

from __future__ import annotations

import docutils.core
import pytest
from myst_parser.parsers.docutils_ import Parser

from tekan.rendering import escape, render_segments

HOSTILE = [
    "* not a list",
    "# not a heading",
    "% not a comment",
    "> not a quote",
    "1. not a list",
    "`not code`",
    "<script>alert(1)</script>",
    "{term}`計量`",
    "$x^2$ and $$y$$",
    "{{ substitution }}",
    "[link](javascript:alert(1))",
    "| a | b |",
    "---",
    "```{include} /etc/passwd",
    ":::{note}",
    "&amp; &lt;",
    "\\input{/etc/passwd} \\write18",
    "a_b^c~d",
    "質量強則國家強,質量興則民族興。",
    "<!-- comment -->",
    "[^1]: footnote",
    "trailing backslash \\",
]


def _text_of(markdown: str) -> str:
    doctree = docutils.core.publish_doctree(markdown, parser=Parser(), settings_overrides={"report_level": 5})
    return doctree.astext()


@pytest.mark.parametrize("line", HOSTILE)
def test_hostile_text_renders_literally(line: str) -> None:
    assert _text_of(render_segments([(line, None)])) == line


def test_chinese_text_is_not_escaped() -> None:
    assert escape("質量強則國家強，質量興則民族興。") == "質量強則國家強，質量興則民族興。"


def test_an_editors_note_on_a_source_typo_is_a_footnote_in_both_scripts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tekan.book import book_pages, load_book
    from tekan.errors import TekanError

    from .conftest import GLOSSARY

    seed = tmp_path / "seed.txt"
    seed.write_text(
        "造好車\n推出更高品質、高多附加值的好車。\n——某汽車集團總裁張三\n《某報》【特刊】\n", encoding="utf-8"
    )
    meta = tmp_path / "seed.toml"
    note = 'editor_notes = [{ text = "高多附加值", note = "編者按：原文如此，疑為「更高附加值」。" }]'
    meta.write_text(f'[[statement]]\nbyline = "某汽車集團總裁張三"\nslug = "zhang-san"\n{note}\n', encoding="utf-8")
    for script, expected in (
        ("hant", "編者按：原文如此，疑為「更高附加值」。"),
        ("hans", "编者按：原文如此，疑为“更高附加值”。"),
    ):
        page = book_pages(load_book(seed, GLOSSARY, script))["statements/zhang-san.md"]
        assert "的好車。[^ed-1]" in page or "的好车。[^ed-1]" in page, page
        assert f"[^ed-1]: {expected}" in page
    meta.write_text(
        '[[statement]]\nbyline = "某汽車集團總裁張三"\neditor_notes = [{ text = "不在文中", note = "x" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(TekanError, match="not in the text"):
        load_book(seed, GLOSSARY, "hant")
