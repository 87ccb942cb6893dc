"""Faults: no process outlives tekan (SIGTERM, SIGHUP, Ctrl-C, SIGKILL), and a rebuild after any interruption
succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .conftest import ROOT

SEED = "讓質量成為美好安徽靚麗底色\n質量是發展的生命線，標準化工作很重要。\n——安徽省市場監管局局長韓永生\n中國質量報\n"

META = """[publication]
title = "測試特刊"
[[sector]]
id = "a"
zh = "部分"
en = "Part"
[[statement]]
byline = "安徽省市場監管局局長韓永生"
slug = "han"
sector = "a"
"""


def marked(mark: str) -> list[str]:
    """The live processes (not zombies) whose environment carries ``TEKAN_TEST_MARK=mark``: their command lines."""
    found = []
    needle = f"TEKAN_TEST_MARK={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state != "Z":
            found.append(f"{entry.name}: {command}")
    return found


def wait_for(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def start(args: list[str], mark: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TEKAN_TEST_MARK": mark, "PYTHONPATH": str(ROOT / "tools")}
    return subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_no_child_or_grandchild_outlives_tekan(sig: signal.Signals) -> None:
    """A child that has children of its own (as Sphinx has workers and latexmk has XeLaTeX)."""
    mark = uuid.uuid4().hex
    script = (
        "from tekan.processes import stop_on_signals\n"
        "from tekan.building import run_process\n"
        "stop_on_signals()\n"
        "run_process(['sh', '-c', 'sleep 300 & sleep 301'])\n"
    )
    parent = start([sys.executable, "-c", script], mark)
    wait_for(lambda: any("sleep 301" in c for c in marked(mark)), 30, "the grandchildren")
    assert any("sleep 300" in c for c in marked(mark))
    os.kill(parent.pid, sig)
    parent.wait(timeout=30)
    left = wait_for(lambda: marked(mark) == [] or None, 15, f"the processes to end: {marked(mark)}")
    assert left


def seed_folder(tmp_path: Path) -> Path:
    seed = tmp_path / "seed" / "s.txt"
    seed.parent.mkdir()
    seed.write_text(SEED, encoding="utf-8")
    seed.with_suffix(".toml").write_text(META, encoding="utf-8")
    return seed


def tekan_command(seed: Path, out: Path, *formats: str) -> list[str]:
    return [sys.executable, "-m", "tekan", "build", *formats, "--script=hant", f"--seed={seed}", f"--out={out}"]


@pytest.mark.pdf
@pytest.mark.parametrize(("sig", "phase"), [(signal.SIGTERM, "sphinx"), (signal.SIGKILL, "xelatex")])
def test_killing_tekan_leaves_no_process_and_the_rebuild_succeeds(
    tmp_path: Path, sig: signal.Signals, phase: str
) -> None:
    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    build = start(tekan_command(seed, out, "pdf"), mark)
    program = {"sphinx": "-m sphinx ", "xelatex": ": xelatex "}[phase]  # Sphinx, or XeLaTeX under latexmk
    wait_for(lambda: any(program in c for c in marked(mark)), 300, phase)
    os.kill(build.pid, sig)
    _, stderr = build.communicate(timeout=60)
    assert wait_for(lambda: marked(mark) == [] or None, 20, f"the processes to end: {marked(mark)}")
    if sig == signal.SIGTERM:
        assert build.returncode == 128 + sig
        assert stderr.strip().splitlines()[-1].startswith("tekan: terminated (SIGTERM)")
        assert "Traceback" not in stderr
    # Whatever state the kill left behind, the next build succeeds.
    again = subprocess.run(tekan_command(seed, out, "pdf"), cwd=ROOT, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr[-2000:]
    assert (out / "pdf" / "tekan-zh-hant.pdf").stat().st_size > 10_000


@pytest.mark.pdf
def test_a_pdf_build_after_a_failed_one_runs_xelatex_again(tmp_path: Path) -> None:
    """latexmk remembers a failed run and would not rerun an unchanged .tex once the cause (here a package
    missing from the TeX search path, as a missing font or package would be) is fixed outside it."""
    from tekan.errors import TekanError
    from tekan.pdf import make_pdf

    latex = tmp_path / "latex"
    packages = tmp_path / "packages"
    latex.mkdir()
    packages.mkdir()
    (latex / "book.tex").write_text(
        "\\documentclass{article}\n\\usepackage{tekanextra}\n\\begin{document}\nHello\n\\end{document}\n"
    )

    def runner(command, cwd, quiet):  # type: ignore[no-untyped-def]
        env = {**os.environ, "TEXINPUTS": f"{packages}//:"}
        return subprocess.run(command, cwd=cwd, env=env, capture_output=quiet, check=False).returncode

    with pytest.raises(TekanError, match="XeLaTeX failed"):
        make_pdf(latex, "hant", runner)
    (packages / "tekanextra.sty").write_text("\\ProvidesPackage{tekanextra}\n")
    assert make_pdf(latex, "hant", runner) == latex / "book.pdf"
    assert (latex / "book.pdf").stat().st_size > 1000
