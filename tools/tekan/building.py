"""Running Sphinx for one edition (format × script) and publishing its output atomically."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .editions import BASENAME, TAGS
from .errors import Kind, TekanError

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BUILDERS = {"html": "html", "epub": "epub", "pdf": "latex"}


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
) -> list[str]:
    """The sphinx-build command line of one edition (the configuration always comes from docs/)."""
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
    if builder == "html":  # both editions are published side by side: link each page to its twin
        command += ["-D", "tekan_switcher=1"]
    return [*command, str(src), str(dest)]


def _run(command: list[str], script: str, cwd: Path | None = None) -> None:
    env = {**os.environ, "TEKAN_SCRIPT": script}
    result = subprocess.run(command, env=env, cwd=cwd, check=False)
    if result.returncode:
        builder = command[command.index("-b") + 1] if "-b" in command else "?"
        raise TekanError(
            f"Sphinx could not build the {builder} edition ({TAGS.get(script, script)}), exit {result.returncode}: "
            "see its messages above; the published edition was left as it was",
            Path(command[-2]) if len(command) > 1 else Path(cwd or ROOT),  # the generated sources
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
) -> Path:
    """Build one format in one script under ``out``; return the published path."""
    tag = TAGS[script]
    work = out / ".work" / tag
    src = work / "src"  # generated pages; shared by the formats of one script
    builder = BUILDERS[fmt]
    dest = work / builder
    src.mkdir(parents=True, exist_ok=True)
    doctrees = work / f"doctrees-{builder}"
    if fmt == "epub":  # the epub builder packs every file it finds in its folder, stale pages included
        shutil.rmtree(dest, ignore_errors=True)
    _run(sphinx_command(builder, script, src, dest, doctrees, seed, glossary, jobs, normalise), script)
    if fmt == "html":
        target = out / "html" / tag
        publish_tree(dest, target)
        return target
    if fmt == "epub":
        # TEKAN_EPUB_WRITING_MODE=vertical (docs/conf.py) makes the 直排 edition, published beside it.
        vertical = "-vertical" if os.environ.get("TEKAN_EPUB_WRITING_MODE") == "vertical" else ""
        target = out / "epub" / f"{BASENAME}-{tag}{vertical}.epub"
        publish_file(dest / f"{BASENAME}.epub", target)
        return target
    from .pdf import make_pdf

    pdf = make_pdf(dest, script)
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
