"""Running Sphinx for one edition (format × script) and publishing its output atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .editions import BASENAME, TAGS
from .errors import Kind, TekanError

BUILDERS = {"html": "html", "epub": "epub", "pdf": "typst"}  # the PDF: tekan.sphinxext.typst (Typst)

#: Runs a command (argv, working folder, quiet) and returns its exit status. Every Sphinx run
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
    conf: Path | None = None,
    switcher: bool = True,
    site_url: str = "",
    published: Sequence[str] = (),
    parallel: bool = False,
) -> list[str]:
    """The sphinx-build command line of one edition; every setting is a ``-D`` option.

    ``conf`` is the folder of the book's own conf.py; without one the extension alone configures the build.
    ``published`` names the editions published side by side with this one (the switcher offers those).
    """
    config = ["-c", str(conf)] if conf is not None else ["-C", "-D", "extensions=tekan.sphinxext"]
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        *config,
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
    if builder == "html" and switcher:  # the editions are published side by side: link each page to its twins
        command += ["-D", "tekan_switcher=1"]
        if published:
            command += ["-D", f"tekan_switcher_editions={','.join(published)}"]
    if vertical and builder == "epub":
        command += ["-D", "epub_writing_mode=vertical"]
    if parallel and builder == "typst":
        command += ["-D", "tekan_parallel_print=1"]
    if site_url and builder == "html":
        command += ["-D", f"tekan_site_url={site_url}"]
    return [*command, str(src), str(dest)]


def serve_command(
    script: str,
    work: Path,
    out: Path,
    seed: Path,
    glossary: Path,
    conf: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> list[str]:
    """The sphinx-autobuild command of a live preview: one edition's site, rebuilt when the seed, its
    metadata or the glossary changes (their folders are watched; ``out``, where builds write, is not)."""
    src, dest = work / "src", work / "html"
    # One edition: no switcher to the others. A preview shows its warnings rather than stopping on them.
    doctrees = work / "doctrees-html"
    sphinx = sphinx_command("html", script, src, dest, doctrees, seed, glossary, conf=conf, switcher=False)
    options = [arg for arg in sphinx[3:-2] if arg not in ("-W", "--keep-going")]
    if "tekan_report_gaps=0" in options:  # each rebuild reports the gaps: the editor is filling them in
        gaps = options.index("tekan_report_gaps=0")
        del options[gaps - 1 : gaps + 1]
    watched = sorted({seed.parent, glossary.parent} | ({conf} if conf else set()))
    command = [sys.executable, "-m", "sphinx_autobuild", str(src), str(dest), *options]
    for folder in watched:
        command += ["--watch", str(folder)]
    # Ignore what builds write (generated pages, output), or every build would start the next; and editors'
    # temporary files (.seed.txt.swp, seed.txt~).
    command += ["--ignore", str(out), "--re-ignore", r"/\.[^/]*$", "--re-ignore", "~$"]
    return [*command, "--host", host, "--port", str(port)]


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


#: Published files and folders are readable by everyone (a web server runs as another user), whatever the
#: modes of the files they were copied from (mkstemp makes 0600) and whatever the umask.
FILE_MODE, FOLDER_MODE = 0o644, 0o755


def world_readable(path: Path) -> None:
    """Give ``path`` (and, for a folder, everything in it) the published modes."""
    if path.is_dir():
        path.chmod(FOLDER_MODE)
        for folder, folders, files in os.walk(path):
            for name in folders:
                Path(folder, name).chmod(FOLDER_MODE)
            for name in files:
                Path(folder, name).chmod(FILE_MODE)
    else:
        path.chmod(FILE_MODE)


def publish_tree(built: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``built``; at every moment ``target`` is a complete edition.

    The copy is made beside the target and swapped in with one atomic exchange of the two names (Linux
    ``renameat2``); where that is not available, two renames, and :func:`recover_published` puts the
    previous edition back if tekan was stopped between them.
    """
    staging = target.with_name(f".{target.name}.new")
    old = target.with_name(f".{target.name}.old")
    recover_published(target)
    for path in (staging, old):
        shutil.rmtree(path, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.parent.chmod(FOLDER_MODE)
    # Real copies, not hard links to the build: Sphinx rewrites its output files in place, so a linked published
    # file would change (and be half-written) as soon as the next build — even a failing one — starts.
    try:
        copy = _copy_or_link_published(built, staging, target)
        shutil.copytree(built, staging, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"), copy_function=copy)
        world_readable(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous edition
        return
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _copy_or_link_published(built: Path, staging: Path, target: Path) -> Callable[[str, str], object]:
    """A copy function for the staging copy: a file the build did not rewrite since the last publish (same size
    and modification time as its published copy, which ``copy2`` made) is linked to that copy instead of copied
    again. Published files are never written in place (a publish replaces the whole folder), so the link is safe;
    an edit of a file takes a fresh copy."""

    def copy(source: str, destination: str) -> object:
        published = target / Path(destination).relative_to(staging)
        try:
            new, old = os.stat(source), os.stat(published, follow_symlinks=False)
            if new.st_size == old.st_size and new.st_mtime_ns == old.st_mtime_ns and stat.S_ISREG(old.st_mode):
                os.link(published, destination)
                return destination
        except OSError:  # nothing published there, or links not possible on this file system
            pass
        return shutil.copy2(source, destination)

    return copy


def recover_published(target: Path) -> None:
    """Put back the previous edition of ``target`` if a publish was stopped between its two renames."""
    old = target.with_name(f".{target.name}.old")
    if old.is_dir() and not target.exists():
        old.rename(target)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (``renameat2(RENAME_EXCHANGE)``); False where the system cannot."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not this system or file system
        return False
    raise OSError(code, os.strerror(code), str(second))


#: The lock file of an output folder: held (``flock``) while a build writes there.
LOCK = ".tekan-lock"


@contextlib.contextmanager
def lock_output(out: Path) -> Iterator[None]:
    """Hold the output folder for one build; a second build into it stops at once with one line."""
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    handle = (out / LOCK).open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise TekanError(
                f"another tekan build is writing to this folder ({holder}): wait for it to finish, "
                "or build into another --out",
                out,
                Kind.io,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"tekan pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        for tag in TAGS.values():  # a publish stopped half-way by a kill: the previous edition comes back
            recover_published(out / "html" / tag)
        yield
    finally:
        handle.close()  # releases the lock; the file stays (removing it would race with the next build)


def check_prerequisites(formats: Sequence[str], scripts: Sequence[str]) -> None:
    """Stop with one line of advice, before Sphinx runs, when the EPUB or PDF lacks its fonts."""
    from .pdf import missing_fonts

    if "pdf" in formats or "epub" in formats:  # the PDF sets its text in them, the EPUB draws its cover
        missing = sorted({family for script in scripts for family in missing_fonts(script)})
        if missing:
            raise TekanError(
                f"the fonts {', '.join(missing)} are not installed: install fonts-noto-cjk "
                "(tools/setup.sh does this as root), or build only html",
                Path("fc-list"),
                Kind.io,
            )


def publish_file(built: Path, target: Path) -> None:
    """Copy one finished file into place atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.parent.chmod(FOLDER_MODE)
    staging = target.with_name(f".{target.name}.new")
    try:
        shutil.copy2(built, staging)
        world_readable(staging)
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
    conf: Path | None = None,
    jobs: str = "1",
    normalise: bool = True,
    vertical: bool = False,
    site_url: str = "",
    published: Sequence[str] = (),
    parallel: bool = False,
    runner: Runner = run_process,
) -> Path:
    """Build one format in one script under ``out``; return the published path.

    ``vertical`` makes the EPUB's 直排 (vertical, right-to-left) edition, published beside the horizontal one;
    ``parallel`` the PDF's parallel (對照) edition, each paragraph beside its translation, published beside the
    PDF (its pages differ, so it has sources of its own).
    """
    tag = TAGS[script]
    parallel = parallel and fmt == "pdf"
    work = out / ".work" / (f"{tag}-parallel" if parallel else tag)
    src = work / "src"  # generated pages; shared by the formats of one script
    builder = BUILDERS[fmt]
    dest = work / builder
    src.mkdir(parents=True, exist_ok=True)
    doctrees = work / f"doctrees-{builder}"
    command = sphinx_command(
        builder,
        script,
        src,
        dest,
        doctrees,
        seed,
        glossary,
        jobs,
        normalise,
        vertical,
        conf,
        site_url=site_url,
        published=published,
        parallel=parallel,
    )
    suffix = "-vertical" if vertical and fmt == "epub" else "-parallel" if parallel else ""
    targets = {
        "html": out / "html" / tag,
        "epub": out / "epub" / f"{BASENAME}-{tag}{suffix}.epub",
        "pdf": out / "pdf" / f"{BASENAME}-{tag}{suffix}.pdf",
    }
    target = targets[fmt]
    # Nothing read by the build changed since it published ``target``: it would write the same again.
    stamp_file, stamp = work / f"{fmt}{suffix}.stamp", inputs_stamp(command, seed, glossary, conf)
    if runner is run_process and target.exists() and _read(stamp_file) == stamp:
        return target
    stamp_file.unlink(missing_ok=True)
    if fmt == "epub":  # the epub builder packs every file it finds in its folder, stale pages included
        shutil.rmtree(dest, ignore_errors=True)
    _sphinx(command, script, runner)
    if fmt == "html":
        publish_tree(dest, target)
    elif fmt == "epub":
        publish_file(dest / f"{BASENAME}.epub", target)
    else:  # the Typst builder compiled the PDF itself
        publish_file(dest / f"{BASENAME}.pdf", target)
    stamp_file.write_text(stamp, encoding="utf-8")
    return target


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def inputs_stamp(command: Sequence[str], seed: Path | None, glossary: Path | None, conf: Path | None) -> str:
    """A digest of what a build reads: its command, the seed(s), metadata, glossary, catalogs, configuration,
    Tekan's own files, the versions of Sphinx and the theme, and the environment variables builds read.

    Files count by path, size and modification time (as ``make`` and Sphinx itself judge them).
    """
    from importlib import metadata as packages

    from .collection import is_collection, read_collection

    digest = hashlib.sha256("\0".join(command).encode())
    from .metadata import metadata_path

    files: list[Path] = [p for p in (seed, glossary) if p is not None]
    seeds = [seed] if seed is not None else []
    if seed is not None and is_collection(seed):
        with contextlib.suppress(TekanError, OSError):
            seeds = read_collection(seed)[1]
    files += [p for s in seeds for p in (s, metadata_path(s))]
    folders = [Path(__file__).parent, *([conf] if conf else [])]
    folders += [p for s in seeds for p in (s.parent / "locale", s.parent.parent / "locale")]  # the book's catalogs
    for folder in dict.fromkeys(folders):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    for path in files:
        try:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0-\n".encode())
    for name in ("sphinx", "furo", "myst-parser", "docutils", "sphinx-basic-ng", "typst"):
        with contextlib.suppress(packages.PackageNotFoundError):
            digest.update(f"{name}=={packages.version(name)}\n".encode())
    read = ("SOURCE_DATE_EPOCH", "READTHEDOCS_CANONICAL_URL")  # the dates in every format, the site's URL
    for name in sorted(k for k in os.environ if k.startswith("TEKAN_") or k in read):
        digest.update(f"{name}={os.environ[name]}\n".encode())
    return digest.hexdigest()


def write_landing_page(out: Path, titles: dict[str, str], site_url: str = "") -> Path:
    """Write ``OUT/html/index.html``: the editions of the site (script → book title), with their downloads."""
    from .landing import landing_page

    target = out / "html" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Every edition on disk, also one built by an earlier run (its title is then unknown here).
    editions = {script: titles.get(script, "") for script, tag in TAGS.items() if (out / "html" / tag).is_dir()}
    staging = target.with_name(".index.html.new")
    staging.write_text(landing_page(editions, TAGS, BASENAME, site_url), encoding="utf-8")
    world_readable(staging)
    os.replace(staging, target)
    return target
