"""LaTeX → PDF with XeLaTeX (latexmk), failing on any glyph the fonts lack."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Kind, TekanError

if TYPE_CHECKING:
    from .building import Runner

MISSING = re.compile(r"Missing character: There is no (.) \(U\+([0-9A-F]+)\) in font ([^!]+)!")


def missing_characters(log: str) -> list[str]:
    """The ``Missing character`` lines of a XeLaTeX log, as ``字 (U+XXXX) in font``."""
    return sorted({f"{m[1]} (U+{m[2]}) in {m[3].strip()}" for m in MISSING.finditer(log)})


UNDEFINED = re.compile(r"Warning: (?:Reference|Hyper reference|Citation) `([^']*)' .*undefined")


def undefined_references(log: str) -> list[str]:
    """The cross-references XeLaTeX could not resolve (links that would go nowhere)."""
    return sorted({m[1] for m in UNDEFINED.finditer(log)})


def missing_fonts(script: str) -> list[str]:
    """The edition's Noto CJK families that fontconfig does not know."""
    from .editions import cjk_fonts

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(cjk_fonts(script).values())
    listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [family for family in cjk_fonts(script).values() if family not in families]


#: Left in the LaTeX folder while a PDF build is not known to have succeeded.
UNFINISHED = ".tekan-pdf-unfinished"


def latexmk_command(tex: Path) -> list[str]:
    """The XeLaTeX run of a book (latexmk reruns it until references settle)."""
    return ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name]


def make_pdf(latex_dir: Path, script: str, runner: Runner) -> Path:
    """Run latexmk on the Sphinx LaTeX output in ``latex_dir`` (through ``runner``); return the PDF."""
    run = runner  # given by building (no import back: building imports this module)
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise TekanError(
            "the PDF needs XeLaTeX: install make latexmk texlive-xetex texlive-lang-chinese "
            "texlive-fonts-recommended fonts-noto-cjk (tools/setup.sh does this as root)",
            latex_dir,
            Kind.io,
        )
    fonts = missing_fonts(script)
    if fonts:
        raise TekanError(
            f"the PDF needs the fonts {', '.join(fonts)}: install fonts-noto-cjk (tools/setup.sh does this as root)",
            latex_dir,
            Kind.io,
        )
    texs = sorted(latex_dir.glob("*.tex"))
    if not texs:
        raise TekanError("Sphinx wrote no .tex file", latex_dir, Kind.io)
    tex = texs[0]
    command = latexmk_command(tex)
    # latexmk remembers a failed run and will not rerun an unchanged .tex: after a run that failed, was
    # interrupted or was killed (the marker is left behind), it is told to run anyway.
    unfinished = latex_dir / UNFINISHED
    if unfinished.exists():
        command.insert(1, "-g")
    unfinished.touch()
    status = run(command, latex_dir, True)  # its output is in the log, read below
    log_path = tex.with_suffix(".log")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    if status:
        raise TekanError(f"XeLaTeX failed (exit {status}); see the log", log_path, Kind.io)
    missing = missing_characters(log)
    if missing:
        raise TekanError(f"the fonts lack {len(missing)} character(s): {'; '.join(missing[:10])}", log_path, Kind.io)
    undefined = undefined_references(log)
    if undefined:
        raise TekanError(f"{len(undefined)} unresolved reference(s): {'; '.join(undefined[:10])}", log_path, Kind.io)
    unfinished.unlink()
    return tex.with_suffix(".pdf")
