"""Running Sphinx for one edition (format × script) and publishing its output atomically."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .editions import BASENAME, TAGS
from .errors import Kind, TekanError

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BUILDERS = {"html": "html", "epub": "epub", "pdf": "latex"}

#: Runs a command (argv, working folder, quiet) and returns its exit status. Every Sphinx and XeLaTeX run
#: goes through one; tests pass their own to see the commands without running them.
Runner = Callable[[Sequence[str], Path | None, bool], int]


def run_process(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    """Run ``command`` to completion in ``cwd``; ``quiet`` discards its output (it keeps its own log).

    The command runs in its own process group and never outlives tekan (see ``tekan.processes``).
    """
    from .processes import run_guarded

    return run_guarded(command, cwd, quiet)


def sphinx_command(
    builder: str,
    script: str,
    src: Path,
    dest: Path,
    doctrees: Path,
    seed: Path | None,
    glossary: Path | None,
    jobs: str = "1",
    normalise: bool = True,
    vertical: bool = False,
) -> list[str]:
    """The sphinx-build command line of one edition; every setting is a ``-D`` option."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        "-c",
        str(DOCS),
        "-d",
        str(doctrees),
        "-q",
        "-W",
        "--keep-going",
        "-j",
        jobs,
    ]
    command += ["-D", f"tekan_script={script}"]
    if seed is not None:
        command += ["-D", f"tekan_seed={seed}"]
    if glossary is not None:
        command += ["-D", f"tekan_glossary={glossary}"]
    if not normalise:
        command += ["-D", "tekan_normalise=0"]
    # Gaps in the metadata were reported by the CLI, once; with --strict it stopped before Sphinx.
    command += ["-D", "tekan_report_gaps=0"]
    if builder == "html":  # both editions are published side by side: link each page to its twin
        command += ["-D", "tekan_switcher=1"]
    if vertical and builder == "epub":
        command += ["-D", "epub_writing_mode=vertical"]
    return [*command, str(src), str(dest)]


def _sphinx(command: list[str], script: str, runner: Runner) -> None:
    status = runner(command, None, False)
    if status:
        builder = command[command.index("-b") + 1] if "-b" in command else "?"
        raise TekanError(
            f"Sphinx could not build the {builder} edition ({TAGS.get(script, script)}), exit {status}: "
            "see its messages above; the published edition was left as it was",
            Path(command[-2]),  # the generated sources
            Kind.io,
        )


def publish_tree(built: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``built``, never leaving it half-written."""
    staging = target.with_name(f".{target.name}.new")
    old = target.with_name(f".{target.name}.old")
    for path in (staging, old):
        shutil.rmtree(path, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Real copies, not hard links: Sphinx rewrites its output files in place, so a linked published
    # file would change (and be half-written) as soon as the next build — even a failing one — starts.
    try:
        shutil.copytree(built, staging, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def publish_file(built: Path, target: Path) -> None:
    """Copy one finished file into place atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.new")
    try:
        shutil.copy2(built, staging)
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def build_edition(
    fmt: str,
    script: str,
    out: Path,
    *,
    seed: Path | None = None,
    glossary: Path | None = None,
    jobs: str = "1",
    normalise: bool = True,
    vertical: bool = False,
    runner: Runner = run_process,
) -> Path:
    """Build one format in one script under ``out``; return the published path.

    ``vertical`` makes the EPUB's 直排 (vertical, right-to-left) edition, published beside the horizontal one.
    """
    tag = TAGS[script]
    work = out / ".work" / tag
    src = work / "src"  # generated pages; shared by the formats of one script
    builder = BUILDERS[fmt]
    dest = work / builder
    src.mkdir(parents=True, exist_ok=True)
    doctrees = work / f"doctrees-{builder}"
    if fmt == "epub":  # the epub builder packs every file it finds in its folder, stale pages included
        shutil.rmtree(dest, ignore_errors=True)
    command = sphinx_command(builder, script, src, dest, doctrees, seed, glossary, jobs, normalise, vertical)
    _sphinx(command, script, runner)
    if fmt == "html":
        target = out / "html" / tag
        publish_tree(dest, target)
        return target
    if fmt == "epub":
        suffix = "-vertical" if vertical else ""
        target = out / "epub" / f"{BASENAME}-{tag}{suffix}.epub"
        publish_file(dest / f"{BASENAME}.epub", target)
        return target
    from .pdf import make_pdf

    pdf = make_pdf(dest, script, runner)
    target = out / "pdf" / f"{BASENAME}-{tag}.pdf"
    publish_file(pdf, target)
    return target


def write_landing_page(out: Path, titles: dict[str, str]) -> Path:
    """Write ``OUT/html/index.html``: the editions of the site (script → book title), with their downloads."""
    from .landing import landing_page

    target = out / "html" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Every edition on disk, also one built by an earlier run (its title is then unknown here).
    editions = {script: titles.get(script, "") for script, tag in TAGS.items() if (out / "html" / tag).is_dir()}
    staging = target.with_name(".index.html.new")
    staging.write_text(landing_page(editions, TAGS, BASENAME), encoding="utf-8")
    os.replace(staging, target)
    return target
