"""Text → LaTeX: the one escape every string from the seed, metadata or glossary passes on its way to XeLaTeX.

Sphinx escapes the text of the document tree itself; everything Tekan writes into LaTeX directly — the
title page macros, ``latex_documents`` title and author (which Sphinx inserts as LaTeX markup),
``\\hypersetup`` PDF fields and index entries — goes through :func:`tex`. (Sphinx's own
``sphinx.util.texescape.escape`` cannot be used at ``config-inited``: its tables are empty until the
LaTeX builder initialises them, so it returned ``\\input{/etc/hostname}`` unchanged.)
"""

from __future__ import annotations

import re

#: Every character TeX (or an optional argument) could read as syntax → a command that prints it.
#: Braces are written as commands, not ``\\{``: makeindex counts braces and ignores backslashes.
_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "[": "{[}",  # never the start or end of an optional argument
    "]": "{]}",
}
_SPECIAL = re.compile("[" + re.escape("".join(_TEX)) + "]")
#: ASCII spaces, line and paragraph breaks of any kind (a blank line would be ``\par``) and other controls.
_BREAKS = re.compile("[\x00-\x20\x7f-\x9f\x85\u2028\u2029]+")  # not U+3000, the ideographic space
#: makeindex's own syntax inside an entry: ``@`` (sort key), ``!`` (sub-entry), ``|`` (page format) and
#: its quote character ``"``; each is quoted with ``"``.
_MAKEINDEX = re.compile(r'([@!|"])')


def tex(text: str) -> str:
    """``text`` as LaTeX that prints exactly it, on one line (runs of white space become one space)."""
    text = _BREAKS.sub(" ", text)
    return _SPECIAL.sub(lambda m: _TEX[m[0]], text)


#: A control word: TeX writes one with a space after it when the entry was read as an argument (a glossary
#: item's headword) and as typed when ``\index`` read it itself; written with the space in both, the two
#: entries of one term are one entry for makeindex, not two lines of the index.
_CONTROL_WORD = re.compile(r"(\\[A-Za-z]+)(?![A-Za-z])")


def index_text(text: str) -> str:
    """``text`` as the printed part of a makeindex entry (``key@text``): :func:`tex`, then makeindex-quoted."""
    return _MAKEINDEX.sub(r'"\1', _CONTROL_WORD.sub(r"\1 ", tex(text)))
