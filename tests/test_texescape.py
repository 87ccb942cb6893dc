"""The one LaTeX escape (tekan.texescape): every string prints as itself in XeLaTeX and in a makeindex index,
and nothing in it runs as TeX."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from subprocess import PIPE

import pytest

import tekan.texescape as tex_module
from tekan.texescape import index_text, tex

#: Strings an editor or an attacker may put in a title, masthead, publisher, sector, byline or headword.
HOSTILE = [
    r"\input{/etc/hostname}",
    r"\immediate\write18{touch tekan-pwned}",
    r"\end{document}",
    "100% 完成",
    "#1 第一",
    "R&D 研發",
    "snake_case",
    "{}",
    "{ 未閉合",
    "} 多餘",
    "~^ 波浪",
    r"\\ 換行",
    "$x^2$ 數學",
    "[可選] 參數",
    "a]b",
    "^^5cinput 上標記法",
    r"\catcode`\{=12",
    "-- '' `` 連字",
    "<html> & 'quote' \"dq\"",
    '質量@計量!標準|認證"測試',
    '"@ "! "| ""',
    r"\"a 元音",
    "中文　全角空格",
    "檢驗$%&#_^~{}\\檢測員",  # a glossary headword that looped XeLaTeX (issue 23)
    "aa {aa} a a",  # equal letters, braces and spaces: the term macro's edge cases
]


def test_tex_leaves_no_active_character() -> None:
    for text in HOSTILE:
        escaped = tex(text)
        # Every backslash starts one of the escape's own commands, and no brace, #, $, %, &, _, ~ or ^ is bare.
        bare = escaped
        for command in (
            r"\textbackslash{}",
            r"\textbraceleft{}",
            r"\textbraceright{}",
            r"\textasciitilde{}",
            r"\textasciicircum{}",
            r"\#",
            r"\$",
            r"\%",
            r"\&",
            r"\_",
            "{[}",
            "{]}",
        ):
            bare = bare.replace(command, "")
        assert not set(bare) & set("\\{}#$%&_~^[]"), (text, escaped)


def test_tex_keeps_text_on_one_line() -> None:
    for text in ("一\n\n二", "一\r\n二", "一\u2028二", "一\u2029二", "一\x85二", "一\t\t二"):
        assert tex(text) == "一 二", repr(text)
    assert tex("一　二") == "一　二"  # the ideographic space is text


def test_index_text_quotes_makeindex_syntax() -> None:
    assert index_text('a@b!c|d"e') == 'a"@b"!c"|d""e'
    assert index_text("{%}") == r"\textbraceleft {}\%\textbraceright {}"


def _run(command: list[str], cwd: Path, limit: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``command``; past ``limit`` seconds stop it with its children (latexmk's XeLaTeX) and fail."""
    child = subprocess.Popen(command, cwd=cwd, stdout=PIPE, stderr=PIPE, text=True, start_new_session=True)
    try:
        out, err = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"{command[0]} did not finish within {limit} s")
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def _term_macro() -> list[str]:
    """The book's definition of a glossary term in the text (``\\sphinxtermref``), as tekanbook.sty has it."""
    lines = (Path(tex_module.__file__).parent / "data" / "tekanbook.sty").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(r"\protected\def\sphinxtermref"))
    end = next(n for n, line in enumerate(lines) if n > start and not line.startswith(("\\", " ")))
    return lines[start:end]


@pytest.mark.pdf
def test_every_hostile_string_prints_as_itself_in_text_and_index(tmp_path: Path) -> None:
    if shutil.which("latexmk") is None or shutil.which("pdftotext") is None:
        pytest.fail("latexmk and pdftotext are needed: run tools/setup.sh")
    body = []
    for number, text in enumerate(HOSTILE):
        body.append(rf"\newcommand{{\tekantest{chr(97 + number)}}}{{{tex(text)}}}")
        body.append(rf"[\tekantest{chr(97 + number)}]\par")
        body.append(rf"\index{{k{number:02d}@{index_text(text)}}}")
        # The same entry read as an argument first (as in a glossary item): one entry, not two.
        body.append(rf"\tekanasargument{{\index{{k{number:02d}@{index_text(text)}}}}}")
        # A glossary term in the text, underlined character by character by the book's own macro; an empty
        # group (\textasciicircum{}) or a group of equal tokens looped XeLaTeX for ever.
        body.append(rf"<\sphinxtermref{{\DUrole{{xref}}{{{tex(text)}}}}}>\par")
    document = "\n".join(
        [
            r"\documentclass{article}",
            r"\XeTeXgenerateactualtext=1",  # as the book: copying gives back the source characters
            r"\usepackage{fontspec}",
            r"\usepackage{xeCJK}",
            r"\setmainfont{Noto Serif CJK TC}[Ligatures=TeXOff]",
            r"\setCJKmainfont{Noto Serif CJK TC}[Ligatures=TeXOff]",
            r"\usepackage{makeidx}",
            r"\makeindex",
            r"\usepackage{xcolor}",
            r"\newcommand{\tekanasargument}[1]{#1}",
            r"\makeatletter",
            *_term_macro(),
            r"\makeatother",
            r"\begin{document}",
            *body,
            r"\printindex",
            r"\end{document}",
        ]
    )
    (tmp_path / "t.tex").write_text(document, encoding="utf-8")
    result = _run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], tmp_path, 120)
    assert result.returncode == 0, (tmp_path / "t.log").read_text(errors="replace")[-3000:]
    assert not (tmp_path / "tekan-pwned").exists()
    ind = (tmp_path / "t.ind").read_text(encoding="utf-8")
    assert ind.count(r"\item") == len(HOSTILE), ind  # no entry lost or split into sub-entries
    # pdftotext adds spaces between Chinese and Latin text: compare without white space.
    text = "".join(_run(["pdftotext", "-enc", "UTF-8", "t.pdf", "-"], tmp_path).stdout.split())
    for source in HOSTILE:
        printed = "".join(source.split())
        assert f"[{printed}]" in text, source
        assert text.count(printed) >= 3, source  # in the text, as a glossary term, in the index
        assert f"<{printed}>" in text, source
