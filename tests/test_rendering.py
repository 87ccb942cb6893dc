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


def test_an_audit_table_is_the_markdown_table_it_replaces() -> None:
    """The audit page's rows are JSON data built into nodes directly: the same nodes MyST makes of a Markdown table
    with the change in ``{strong}`` (so the site, the EPUB and the print appendix are unchanged), whatever the text."""
    from tekan.rendering import _table_cell
    from tekan.sphinxext.pages import audit_table

    contexts = [
        ("量強則國家強,質量興則民族", 6),  # an ASCII comma in Han text
        ("心懷「國之大者」 ", 2),  # a context cut next to a space: the cell has none at its end
        ("　開頭的全形空格,後", 8),  # ideographic space at the start
        ("*星號* | 豎線 <b>標籤</b> `反引號`", 4),  # text that is markup in Markdown
        ("a_b^c~d $x$ 結尾\\", 3),
    ]
    rows: list[list[str | list[str]]] = [["位置", "原稿", "校訂", "類別"]]
    markdown = ["| 位置 | 原稿 | 校訂 | 類別 |", "| --- | --- | --- | --- |"]
    for number, (text, start) in enumerate(contexts, start=1):
        fixed = text[:start] + "，" + text[start + 1 :]
        before, after = _table_cell(text, start, 1), _table_cell(fixed, start, 1)
        rows.append([f"第 {number} 段", before, after, "標點"])
        cells = ["".join([escape(b), "{strong}`" + c + "`", escape(a)]) for b, c, a in (before, after)]
        markdown.append(f"| 第 {number} 段 | {cells[0]} | {cells[1]} | 標點 |")
    settings = {"report_level": 5}
    expected = docutils.core.publish_doctree("\n".join(markdown), parser=Parser(), settings_overrides=settings)[0]
    assert audit_table(rows).pformat() == expected.pformat()
    assert rows[2][1] == ["心懷", "「", "國之大者」"]


def test_an_audit_row_is_the_data_line_of_its_cells_whatever_the_context() -> None:
    """Each audit row is written from its parts (encoded once, inline): the same line as ``data_line`` of the place,
    the two cells (``_table_cell``: no spaces at their ends) and the rule, for contexts with spaces at either end of
    either cell, the characters JSON leaves alone but a data line escapes (U+0085, U+2028, U+2029), quotes and
    backslashes, and changes of every length."""
    from dataclasses import replace

    from tekan.book import load_book
    from tekan.editions import HANT
    from tekan.model import Change
    from tekan.rendering import _place, _table_cell, data_line, render_audit_pages

    from .conftest import GLOSSARY, SEED

    publication = load_book(SEED, GLOSSARY, "hant").publication
    words = HANT.audit
    cases = [
        ("量強則國家強,質量興則民族", 6, ",", "，", "punctuation"),
        ("心懷“國之大者” ", 2, "“", "「", "quotes"),
        (" 開頭的空格,後", 5, ",", "，", "punctuation"),
        ("　開頭的全形空格,後", 8, ",", "，", "punctuation"),
        ("結尾\u2028的行,分隔", 6, ",", "，", "punctuation"),
        ("段\u2029落\x85下,一", 5, ",", "，", "punctuation"),
        ('引"號\\斜線,後', 6, ",", "，", "punctuation"),
        ("推動制造業發展", 2, "制造", "製造", "word"),
        ("2020-2025年", 4, "-", "–", "dash"),
        ("關于", 0, "關于", "關於", "word"),
        ("某, ", 1, ",", "", "punctuation"),  # a change to nothing, a space after it
        ("某,", 1, ",", " ，", "punctuation"),  # a change that ends the cell with a space
    ]
    changes = []
    for number, (before, start, old, new, rule) in enumerate(cases, start=1):
        after = before[:start] + new + before[start + len(old) :]
        changes.append(Change(number, 1, "paragraph", number, before, after, start, old, new, rule))
    page = next(iter(render_audit_pages(replace(publication, changes=tuple(changes))).values()))
    table = page.split("```{tekan-audit-table}\n", 1)[1].split("\n```", 1)[0].split("\n")[1:]
    expected = [
        data_line([_place(c, words), _table_cell(c.before, c.start, len(c.old)),  # type: ignore[list-item]
                   _table_cell(c.after, c.start, len(c.new)), getattr(words, c.rule)])
        for c in changes
    ]  # fmt: skip
    assert table == expected
