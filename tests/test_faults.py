"""Faults: no process outlives tekan (SIGTERM, SIGHUP, Ctrl-C, SIGKILL), and a rebuild after any interruption
succeeds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .conftest import ROOT, download

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


def sphinx_runs(mark: str) -> bool:
    """Whether a marked Sphinx build runs: ``python -m sphinx``, or a build forked from tekan (``tekan.processes``:
    its command line is tekan's, its name ``sphinx-build``)."""
    from tekan.processes import SPHINX_NAME

    for found in marked(mark):
        pid, _, command = found.partition(": ")
        try:
            name = Path("/proc", pid, "comm").read_text().strip()
        except OSError:
            continue
        if "-m sphinx " in command or name == SPHINX_NAME:
            return True
    return False


def wait_for(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _terminal_signals() -> None:
    """In the child: the default handling of Ctrl-C and hang-ups, as in a terminal. A suite started in the
    background (``cmd &``) or under ``nohup`` would otherwise hand tekan these signals already ignored."""
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def start(args: list[str], mark: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TEKAN_TEST_MARK": mark, "PYTHONPATH": str(ROOT / "tools")}
    return subprocess.Popen(
        args,
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_terminal_signals,
    )


def running(mark: str, command: str) -> bool:
    """Whether a marked process runs exactly ``command`` (not merely names it, as the parent's ``-c`` does)."""
    return any(found.partition(": ")[2].strip() == command for found in marked(mark))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_no_child_or_grandchild_outlives_tekan(sig: signal.Signals) -> None:
    """A child that has children of its own (as Sphinx has its -j workers)."""
    mark = uuid.uuid4().hex
    script = (
        "from tekan.processes import stop_on_signals\n"
        "from tekan.building import run_process\n"
        "stop_on_signals()\n"
        "run_process(['sh', '-c', 'sleep 300 & sleep 301'])\n"
    )
    parent = start([sys.executable, "-c", script], mark)
    # Both grandchildren running means run_process is under way, so tekan's signal handling is in place.
    wait_for(lambda: running(mark, "sleep 300") and running(mark, "sleep 301"), 30, "the grandchildren")
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
@pytest.mark.parametrize(("sig", "phase"), [(signal.SIGTERM, "sphinx"), (signal.SIGKILL, "sphinx")])
def test_killing_tekan_leaves_no_process_and_the_rebuild_succeeds(
    tmp_path: Path, sig: signal.Signals, phase: str
) -> None:
    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    build = start(tekan_command(seed, out, "pdf"), mark)
    assert phase == "sphinx"  # Sphinx, which also compiles the PDF (Typst)
    wait_for(lambda: sphinx_runs(mark) or None, 300, phase)
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
    assert download(out, "pdf", "zh-hant").stat().st_size > 10_000


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupting_editions_built_side_by_side_stops_them_all(tmp_path: Path, sig: signal.Signals) -> None:
    """On two cores both Chinese editions' Sphinx run at once, each waited for by a thread of tekan's; a signal
    reaches only tekan's main thread, which stops them both (and starts no later step)."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the editions build one after the other (test_no_child_or_grandchild_outlives_tekan)")
    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    command = [sys.executable, "-m", "tekan", "build", "html", "epub", "--script=all", f"--seed={seed}", f"--out={out}"]
    build = start(command, mark)
    sphinx = lambda: [c for c in marked(mark) if "-m sphinx " in c]  # noqa: E731
    wait_for(lambda: len(sphinx()) == 2 or None, 300, "both editions' Sphinx")
    os.kill(build.pid, sig)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode != 0 and "Traceback" not in stderr, stderr[-2000:]
    assert wait_for(lambda: marked(mark) == [] or None, 20, f"the processes to end: {marked(mark)}")
    assert not any(line.startswith("[2/4]") or line.startswith("[4/4]") for line in stderr.splitlines()), stderr


# --- full disk, crash reports, missing tools --------------------------------------------------------

CRASH = (
    "WARNING: a warning Sphinx printed before\n\n\nExtension error (tekan.sphinxext.pages)!\n\nVersions\n"
    "========\n\n* Sphinx version: 9\n\nTraceback\n=========\n\n  File x, line 1\n"
    "    OSError: [Errno 28] No space left on device: '/somewhere/out/page.html'\n\n"
    "The full traceback has been saved in:\n/tmp/sphinx-err-x.log\n"
)


def child_writing(text: str) -> list[str]:
    """A child process that writes ``text`` to its standard error and fails, as a crashing Sphinx does."""
    return [sys.executable, "-c", f"import sys; sys.stderr.write({text!r}); sys.exit(2)"]


def test_a_full_disk_in_a_child_is_one_oserror_naming_the_place(capfd: pytest.CaptureFixture[str]) -> None:
    import errno

    from tekan.processes import run_guarded

    with pytest.raises(OSError) as info:
        run_guarded(child_writing(CRASH))
    assert info.value.errno == errno.ENOSPC and info.value.filename == "/somewhere/out/page.html"
    err = capfd.readouterr().err
    assert err == "WARNING: a warning Sphinx printed before\n", err  # warnings pass, the crash report does not


def test_a_crash_report_is_summed_up_in_one_line(capfd: pytest.CaptureFixture[str]) -> None:
    from tekan.processes import run_guarded

    report = CRASH.replace("OSError: [Errno 28] No space left on device: '/somewhere/out/page.html'", "KeyError: 'x'")
    assert run_guarded(child_writing(report)) == 2
    lines = capfd.readouterr().err.splitlines()
    assert lines[0] == "WARNING: a warning Sphinx printed before"
    program = Path(sys.executable).name  # the child is named by its program ("python", or "python3")
    assert lines[1:] == [f"{program}: KeyError: 'x' (full report: /tmp/sphinx-err-x.log)"], lines


def test_a_failed_copy_is_one_line() -> None:

    from tekan.cli import os_error_line

    errors = [(f"/src/{n}.html", f"/out/{n}.html", "[Errno 28] No space left on device") for n in range(500)]
    line = os_error_line(shutil.Error(errors))
    assert line == "/out/0.html: error: [Errno 28] No space left on device (and 499 more file(s))"


def test_a_full_disk_during_a_build_is_one_line(tmp_path: Path) -> None:
    """A real full disk: a 1 MB file system (tmpfs) as the output folder."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        seed = seed_folder(tmp_path)
        result = subprocess.run(
            tekan_command(seed, disk / "out", "html"), cwd=ROOT, capture_output=True, text=True, check=False
        )
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith("free some space and build again [tekan.io]"), lines
    assert lines[-1].startswith(str(disk)) and "no space left on the device" in lines[-1]
    assert "Traceback" not in result.stderr and len(result.stderr) < 2000, result.stderr


def test_a_second_build_into_the_same_folder_is_told_in_one_line(tmp_path: Path) -> None:
    from tekan.building import lock_output

    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    with lock_output(out):
        result = subprocess.run(tekan_command(seed, out, "html"), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"{out}: error: another tekan build is writing to this folder (tekan pid {os.getpid()}")
    assert not (out / "html").exists()
    again = subprocess.run(tekan_command(seed, out, "html"), cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]  # the lock goes with its holder


def test_missing_fonts_are_one_line_of_advice_before_sphinx_runs(tmp_path: Path) -> None:
    """fontconfig is pointed at an empty configuration: the Noto CJK fonts are not there."""
    seed = seed_folder(tmp_path)
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    for formats in (["pdf"], ["epub"]):
        result = subprocess.run(
            tekan_command(seed, tmp_path / "out", *formats), cwd=ROOT, capture_output=True, text=True, env=env
        )
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert lines[-1].startswith("fc-list: error: the fonts Noto Sans CJK TC, "), lines
        assert "install fonts-noto-cjk" in lines[-1] and "Traceback" not in result.stderr
        assert not any(line.startswith("[1/") for line in lines)  # nothing was started


# --- publishing --------------------------------------------------------------------------------------


def edition(folder: Path, version: str, pages: int = 100) -> Path:
    folder.mkdir(parents=True)
    for number in range(pages):
        (folder / f"page-{number}.html").write_text(version * 1000, encoding="utf-8")
    (folder / "index.html").write_text(version, encoding="utf-8")
    return folder


def test_publishing_never_leaves_a_moment_without_a_complete_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from tekan.building import publish_tree

    rename = Path.rename

    def slow_rename(self: Path, target: Path) -> Path:  # widens any window between two renames
        result = rename(self, target)
        time.sleep(0.005)
        return result

    monkeypatch.setattr(Path, "rename", slow_rename)

    builds = [edition(tmp_path / "a", "A"), edition(tmp_path / "b", "B")]
    target = tmp_path / "out" / "html" / "zh-hant"
    publish_tree(builds[0], target)
    stop = threading.Event()
    seen: list[str] = []

    def read() -> None:
        while not stop.is_set():
            try:  # each read finds a whole file of one edition or the other (two reads may straddle a swap)
                version = (target / "index.html").read_text(encoding="utf-8")
                last = (target / "page-99.html").read_text(encoding="utf-8")
                seen.append("ok" if version in "AB" and last in ("A" * 1000, "B" * 1000) else "partial")
            except OSError as exc:
                seen.append(f"missing: {exc}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(30):
            publish_tree(builds[number % 2], target)
    finally:
        stop.set()
        reader.join()
    assert len(seen) > 30 and set(seen) == {"ok"}, sorted(set(seen))[:3]
    assert (target / "index.html").read_text(encoding="utf-8") == "B"
    assert sorted(p.name for p in target.parent.iterdir()) == ["zh-hant"]  # no staging or old copy left


def test_a_publish_copies_only_what_the_build_rewrote(tmp_path: Path) -> None:
    """Files the build did not rewrite keep their published copy (linked, not copied again); a rewritten file and
    a published file someone edited in place are copied afresh; the published edition equals the build."""
    import os

    from tekan.building import publish_tree

    built = edition(tmp_path / "built", "A", pages=3)
    target = tmp_path / "out" / "html" / "zh-hant"
    publish_tree(built, target)
    unchanged = (target / "page-0.html").stat().st_ino
    (built / "page-1.html").write_text("B" * 1000, encoding="utf-8")  # rewritten by the next build
    edited = target / "page-2.html"
    edited.write_text("edited by hand", encoding="utf-8")
    publish_tree(built, target)
    assert (target / "page-0.html").stat().st_ino == unchanged
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == {
        p.name: p.read_text(encoding="utf-8") for p in built.iterdir()
    }
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" and p.stat().st_nlink == 1 for p in target.iterdir())
    assert os.stat(built / "page-0.html").st_ino != unchanged  # a link to the publish, never to the build


def _tree(folder: Path) -> dict[str, tuple[str, str]]:
    """Every file and folder under ``folder``: relative path → (mode, content)."""
    return {
        str(p.relative_to(folder)): (oct(p.stat().st_mode & 0o777), "" if p.is_dir() else p.read_text("utf-8"))
        for p in sorted(folder.rglob("*"))
    }


def test_a_publish_from_the_kept_previous_edition_touches_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a folder to keep the replaced edition in, the next publish brings that copy up to date: only the files
    the build rewrote are copied or linked (none for the others), files and folders the build no longer has go, a
    file become a folder and a link planted in the kept copy are replaced (the link's target untouched); after every
    publish the edition is the build, with the published modes, and nothing is left beside it."""
    from tekan import building
    from tekan.building import publish_tree

    built = edition(tmp_path / "built", "A", pages=20)
    (built / "_static").mkdir()
    (built / "_static" / "style.css").write_text("css", encoding="utf-8")
    (built / "gone").mkdir()
    (built / "gone" / "page.html").write_text("gone", encoding="utf-8")
    (built / ".buildinfo").write_text("sphinx", encoding="utf-8")
    target = tmp_path / "out" / "html" / "zh-hant"
    keep = tmp_path / "out" / ".work" / "zh-hant" / "published-html"
    made: list[str] = []
    copy2 = shutil.copy2

    def counted(source: str, destination: str) -> object:
        made.append(os.path.basename(destination))
        return copy2(source, destination)

    monkeypatch.setattr(building.shutil, "copy2", counted)
    link = os.link

    def counted_link(source: str, destination: str, **kw: object) -> None:
        made.append(os.path.basename(destination))
        link(source, destination, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(building.os, "link", counted_link)
    expected = _tree(built)
    del expected[".buildinfo"]
    publish_tree(built, target, keep=keep)
    assert _tree(target) == expected and keep.is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("the web server's file", encoding="utf-8")
    for number, version in enumerate("BCD"):
        made.clear()
        time.sleep(0.01)
        (built / "page-1.html").write_text(version * 1000, encoding="utf-8")
        if number == 0:
            shutil.rmtree(built / "gone")
            (built / "page-2.html").unlink()
            (built / "page-3.html").unlink()
            (built / "page-3.html").mkdir()
            (built / "page-3.html" / "inside.html").write_text("inside", encoding="utf-8")
        if number == 1:
            (keep / "page-4.html").unlink()
            (keep / "page-4.html").symlink_to(elsewhere / "victim.txt")
            (keep / "page-5.html").chmod(0o600)
        publish_tree(built, target, keep=keep)
        expected = _tree(built)
        del expected[".buildinfo"]
        assert _tree(target) == expected
        assert sorted(p.name for p in target.parent.iterdir()) == ["zh-hant"]
        assert (elsewhere / "victim.txt").read_text(encoding="utf-8") == "the web server's file"
        # The kept copy is the edition before the last: it takes the last build's changes and this one's (a
        # changed file the last publish made is linked to), and the link planted in it is replaced.
        rewritten = {0: ["inside.html", "page-1.html"], 1: ["inside.html", "page-1.html", "page-4.html"]}
        assert sorted(made) == rewritten.get(number, ["page-1.html"]), made


def test_a_publish_stopped_between_its_renames_is_undone_by_the_next_build(tmp_path: Path) -> None:
    """Where the atomic exchange is not available, publishing is two renames; a kill between them leaves
    only ``.zh-hant.old`` (and maybe ``.zh-hant.new``): the next build's first act puts the edition back."""
    from tekan.building import lock_output

    out = tmp_path / "out"
    edition(out / "html" / ".zh-hant.old", "A")
    edition(out / "html" / ".zh-hant.new", "B", pages=3)  # a copy that may be incomplete
    with lock_output(out):
        assert (out / "html" / "zh-hant" / "index.html").read_text(encoding="utf-8") == "A"
        assert len(list((out / "html" / "zh-hant").iterdir())) == 101


# --- every child process is time-bounded ---------------------------------------------------------------

_IGNORES_TERM = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)"


@pytest.mark.parametrize(
    "command",
    [
        ["sh", "-c", "sleep 300 & sleep 301"],  # a child with a child of its own (latexmk and its XeLaTeX)
        [sys.executable, "-c", "import sys, time\nfor n in range(10**9): sys.stderr.write(f'{n}\\n')"],  # chatty
        [sys.executable, "-c", _IGNORES_TERM],  # deaf to SIGTERM: SIGKILL after the grace period
    ],
    ids=["grandchild", "endless-output", "ignores-sigterm"],
)
def test_a_child_past_its_time_limit_is_stopped_with_its_group_in_one_line(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from tekan.errors import TekanError
    from tekan.processes import run_guarded

    mark = uuid.uuid4().hex
    monkeypatch.setenv("TEKAN_TEST_MARK", mark)
    started = time.monotonic()
    with pytest.raises(TekanError) as info:
        run_guarded(command, quiet=command[0] == "sh", limit=1.5)
    assert time.monotonic() - started < 15
    assert f"{command[0].rpartition('/')[2]} did not finish within 1.5 s and was stopped" in str(info.value)
    assert "--time-limit SECONDS" in str(info.value) and "\n" not in str(info.value)
    assert wait_for(lambda: marked(mark) == [] or None, 10, f"the processes to end: {marked(mark)}")
    capfd.readouterr()


def test_step_names_and_quick_queries_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from tekan import processes
    from tekan.errors import TekanError

    assert processes.step_name([sys.executable, "-m", "sphinx", "-b", "latex", "src", "out"]) == "Sphinx (latex)"
    assert processes.step_name(["latexmk", "-xelatex", "tekan.tex"]) == "XeLaTeX (latexmk)"
    assert processes.step_name(["/usr/bin/fc-list", ":", "family"]) == "fc-list"
    monkeypatch.setattr(processes, "QUERY_LIMIT", 0.5)
    with pytest.raises(TekanError, match=r"^--time-limit: sleep did not finish within 0.5 s"):
        processes.query(["sleep", "30"])
    assert processes.query(["echo", "x"]).stdout == "x\n"


def test_build_time_limit_stops_the_step_names_it_and_leaves_the_edition(tmp_path: Path) -> None:
    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    # Sphinx cannot even import itself in a tenth of a second.
    build = start([*tekan_command(seed, out, "html"), "--time-limit", "0.1"], mark)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("--time-limit: error: Sphinx (html) did not finish within 0.1 s and was stopped"), stderr
    assert "Traceback" not in stderr and not (out / "html" / "zh-hant").exists()
    assert wait_for(lambda: marked(mark) == [] or None, 10, f"the processes to end: {marked(mark)}")
    for wrong in ("0", "-5", "soon", "inf"):
        refused = subprocess.run(
            [*tekan_command(seed, out, "html"), "--time-limit", wrong], capture_output=True, text=True, check=False
        )
        assert refused.returncode == 2 and "is not a positive number of seconds" in refused.stderr


# --- state left by an interrupted or failed XeLaTeX run ------------------------------------------------


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


@pytest.mark.pdf
def test_a_pdf_build_after_damaged_leftovers_succeeds(tmp_path: Path) -> None:
    """Whatever a killed build left in the PDF's work folder (the Typst source and the PDF cut short, the doctrees'
    environment cut short, the marker of an unfinished Sphinx run), the next PDF build succeeds and is whole."""
    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    first = subprocess.run(tekan_command(seed, out, "pdf"), capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    published = next((out / "pdf").glob("*-zh-hant.pdf"))
    text = subprocess.run(["pdftotext", str(published), "-"], capture_output=True, text=True).stdout
    work = out / ".work" / "zh-hant"
    for path in (
        work / "typst" / "tekan.typ",
        work / "typst" / "tekan.pdf",
        work / "doctrees-typst" / "environment.pickle",
    ):
        _cut(path)
    (work / ".doctrees-typst.unfinished").touch()  # as a killed Sphinx run leaves it
    (work / "pdf.stamp").unlink(missing_ok=True)  # the inputs did not change: make it build anyway
    again = subprocess.run(tekan_command(seed, out, "pdf"), capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert subprocess.run(["pdftotext", str(published), "-"], capture_output=True, text=True).stdout == text


def _cut_files(*paths: Path) -> None:
    for path in paths:
        assert path.is_file(), path
        _cut(path)


def test_an_html_build_after_a_killed_one_with_its_state_cut_short_succeeds(tmp_path: Path) -> None:
    """Sphinx killed mid-run, then every file it keeps between runs cut short (as a kill while writing them
    would): the next build starts Sphinx afresh and publishes the same site."""
    seed = seed_folder(tmp_path)
    out = tmp_path / "out"
    first = subprocess.run(tekan_command(seed, out, "html"), cwd=ROOT, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr[-2000:]
    published = (out / "html" / "zh-hant" / "index.html").read_bytes()
    work = out / ".work" / "zh-hant"
    (work / "html.stamp").unlink()  # as after an edit: the next build runs Sphinx
    mark = uuid.uuid4().hex
    build = start(tekan_command(seed, out, "html"), mark)
    wait_for(lambda: sphinx_runs(mark) or None, 120, "Sphinx")
    os.kill(build.pid, signal.SIGKILL)
    build.communicate(timeout=60)
    assert wait_for(lambda: marked(mark) == [] or None, 20, f"the processes to end: {marked(mark)}")
    doctrees = work / "doctrees-html"
    _cut_files(
        doctrees / "environment.pickle",
        doctrees / "index.doctree",
        doctrees / "tekan-link-memo.pickle",
        work / "html" / ".buildinfo",
        doctrees / "tekan-search-state.json",
        work / "src" / "index.md",
        work / "src" / ".tekan-generated",
    )
    (work / "html.stamp").write_bytes(b"\x00")
    (out / "html" / ".zh-hant.new").mkdir(exist_ok=True)  # a staging copy the kill left half-made
    (out / "html" / ".zh-hant.new" / "index.html").write_text("<p>half", encoding="utf-8")
    again = subprocess.run(tekan_command(seed, out, "html"), cwd=ROOT, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr[-2000:]
    assert (out / "html" / "zh-hant" / "index.html").read_bytes() == published
    assert not (out / "html" / ".zh-hant.new").exists()


def test_a_crash_report_is_said_when_it_is_complete_not_when_the_child_exits(tmp_path: Path) -> None:
    """A preview's server lives on after a failed rebuild: Sphinx's report (carrying a Tekan error) is one
    located line as soon as the report ends, while the child still runs."""
    report = (
        "\nExtension error (tekan.sphinxext.pages)!\n\nVersions\n========\n\nTraceback\n=========\n\n"
        "    sphinx.errors.ExtensionError: /book/locale/en/LC_MESSAGES/statements/a.po:7: not a valid PO file: "
        "Unknown or misformatted keyword [tekan.translation]\n\nThe full traceback has been saved in:\n"
        "/tmp/sphinx-err-x.log\n\nTo report this error to the developers, please open an issue at <x>. Thanks!\n"
        "Please also report this if it was a user error, so that a better error message can be provided next time.\n"
    )
    child = [
        sys.executable,
        "-c",
        f"import sys, time; sys.stderr.write({report!r}); sys.stderr.flush(); time.sleep(60)",
    ]
    script = f"from tekan.processes import run_guarded\nrun_guarded({child!r}, limit=60)\n"
    mark = uuid.uuid4().hex
    parent = start([sys.executable, "-c", script], mark)
    try:
        assert parent.stderr is not None
        line = parent.stderr.readline()  # blocks until the relay says it: long before the child's 60 s
        assert line == (
            "/book/locale/en/LC_MESSAGES/statements/a.po:7: error: not a valid PO file: Unknown or misformatted "
            "keyword [tekan.translation]\n"
        )
        assert parent.poll() is None and any("time.sleep(60)" in c for c in marked(mark))
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.communicate()
    wait_for(lambda: marked(mark) == [] or None, 15, f"the processes to end: {marked(mark)}")
