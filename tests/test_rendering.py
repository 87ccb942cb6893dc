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
