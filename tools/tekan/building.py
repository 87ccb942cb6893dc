"""Running Sphinx for one edition (format × script) and publishing its output atomically."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .editions import BASENAME, EDITIONS, Edition
from .errors import Kind, TekanError
from .files import atomic_write, others_can_write, trusted
from .runner import Runner, default_time_limit, limited, run_process
from .target import FORMATS, HTML, OutputFormat, Target, finish

if TYPE_CHECKING:
    from .landing import Entry

__all__ = ["Runner", "build_edition", "default_time_limit", "limited", "run_process", "sphinx_command"]


def sphinx_command(
    target: Target, src: Path, dest: Path, doctrees: Path, conf: Path | None, jobs: str = "1"
) -> list[str]:
    """The sphinx-build command line of one target: the target is one ``-D tekan_target=<JSON>`` value.

    ``conf`` is the folder of the book's own conf.py; without one the extension alone configures the build.
    """
    if target.format is None:
        raise ValueError("a command line needs the target's format")
    config = ["-c", str(conf)] if conf is not None else ["-C", "-D", "extensions=tekan.sphinxext"]
    command = [sys.executable, "-m", "sphinx", "-b", target.format.builder, *config, "-d", str(doctrees)]
    command += ["-q", "-W", "--keep-going", "-j", jobs, "-D", f"tekan_target={target.to_json()}"]
    return [*command, str(src), str(dest)]


def serve_command(
    target: Target, work: Path, out: Path, conf: Path | None = None, host: str = "127.0.0.1", port: int = 8000
) -> list[str]:
    """The sphinx-autobuild command of a live preview: one edition's site, rebuilt when the seed, its
    metadata or the glossary changes (their folders are watched; ``out``, where builds write, is not)."""
    from dataclasses import replace

    src, dest = work / "src", work / "html"
    # One edition: no switcher to the others. Each rebuild reports the gaps: the editor is filling them in.
    target = replace(target, site=replace(target.site, editions=(), downloads=()), report_gaps=True)
    sphinx = sphinx_command(target, src, dest, work / "doctrees-html", conf)
    # A preview shows its warnings rather than stopping on them.
    options = [arg for arg in sphinx[3:-2] if arg not in ("-W", "--keep-going")]
    inputs = target.inputs
    from .translation import locale_folder

    locale = inputs.locale or locale_folder(inputs.seed)  # the catalogs: a fixed catalog rebuilds the preview
    folders = {inputs.seed.parent} | ({inputs.glossary.parent} if inputs.glossary else set())
    watched = sorted(folders | ({conf} if conf else set()) | ({locale} if locale.is_dir() else set()))
    command = [sys.executable, "-m", "sphinx_autobuild", str(src), str(dest), *options]
    for folder in watched:
        command += ["--watch", str(folder)]
    # Ignore what builds write (generated pages, output), or every build would start the next; and editors'
    # temporary files (.seed.txt.swp, seed.txt~).
    command += ["--ignore", str(out), "--re-ignore", r"/\.[^/]*$", "--re-ignore", "~$"]
    return [*command, "--host", host, "--port", str(port)]


def _sphinx(command: list[str], target: Target, runner: Runner, state: Sequence[Path] = ()) -> None:
    """Run Sphinx; ``state`` is what it keeps between runs (doctrees, output), started afresh after a run that
    did not end by itself (killed, interrupted, stopped at its time limit, crashed): its files may be cut short.
    """
    unfinished = state[0].with_name(f".{state[0].name}.unfinished") if state else None
    if unfinished is not None:
        if unfinished.exists():
            for path in state:
                shutil.rmtree(path, ignore_errors=True)
        unfinished.touch()
    status = runner(command, None, False)
    # 0: built; 1: warnings turned into errors, after a complete run whose state is whole. 2 is a crash.
    if unfinished is not None and status in (0, 1):
        unfinished.unlink(missing_ok=True)
    if status:
        builder = target.format.builder if target.format else "?"
        raise TekanError(
            f"Sphinx could not build the {builder} edition ({target.edition.folder}), exit {status}: "
            "see its messages above; the published edition was left as it was",
            target.inputs.seed,  # the editor's file, not the generated sources
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


def published_folder(folder: Path) -> None:
    """Make ``folder`` (``OUT/html``, ``OUT/epub``…) 0755 whatever the umask — only if this build makes it: an
    existing one may be a link to a web root whose mode is the server's business."""
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(FOLDER_MODE)


def publish_tree(built: Path, target: Path, keep: Path | None = None) -> None:
    """Replace ``target`` with a copy of ``built``; at every moment ``target`` is a complete edition.

    The copy is made beside the target and swapped in with one atomic exchange of the two names (Linux
    ``renameat2``); where that is not available, two renames, and :func:`recover_published` puts the
    previous edition back if tekan was stopped between them.

    ``keep`` is a folder of the build's own where the edition replaced is kept (its files hard links to the
    published ones): the next publish brings that copy up to date with the files the build rewrote
    (:func:`_update_copy`) instead of making, and then removing, a link for every file of the site (an edit at
    1,600 statements: 4,600 files, about a second).
    """
    staging = target.with_name(f".{target.name}.new")
    old = target.with_name(f".{target.name}.old")
    recover_published(target)
    for path in (staging, old):
        _remove(path)
    published_folder(target.parent)
    reused = keep is not None and _take_kept(keep, staging)
    # Real copies, not hard links to the build: Sphinx rewrites its output files in place, so a linked published
    # file would change (and be half-written) as soon as the next build — even a failing one — starts.
    try:
        copy = _copy_or_link_published(built, staging, target)
        if reused:
            _update_copy(built, staging, copy)
        else:
            shutil.copytree(built, staging, ignore=_unpublished, copy_function=copy)
            world_readable(staging)
    except _DiskFull as full:  # the file system's own error, with its errno: one line that says what to do
        shutil.rmtree(staging, ignore_errors=True)
        raise full.error from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists() and _exchange(staging, target):
        _keep_previous(staging, target, keep)  # staging now holds the previous edition
        return
    if target.exists():
        target.rename(old)
    staging.rename(target)
    _keep_previous(old, target, keep)


#: Sphinx's own files in its output folder, never published.
_UNPUBLISHED = frozenset({".buildinfo", ".buildinfo.bak", ".doctrees"})


def _unpublished(folder: str, names: list[str]) -> set[str]:
    return set(_UNPUBLISHED.intersection(names))


def _take_kept(keep: Path, staging: Path) -> bool:
    """Move the kept previous edition to the staging name; False (and nothing kept) when there is none or it cannot
    be moved there (another file system: ``OUT/html`` a link to a web root elsewhere)."""
    try:
        status = os.lstat(keep)
    except OSError:
        return False
    if not stat.S_ISDIR(status.st_mode) or not trusted(status):
        _remove(keep)
        return False
    try:
        keep.rename(staging)
    except OSError:
        _remove(keep)
        return False
    return True


def _keep_previous(previous: Path, target: Path, keep: Path | None) -> None:
    """After a publish: ``previous`` (the edition replaced, if any) becomes ``keep`` for the next publish; without
    one (a first publish), ``keep`` is made of links to the edition just published. Without ``keep``: removed."""
    if keep is None:
        shutil.rmtree(previous, ignore_errors=True)
        return
    _remove(keep)
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(keep.parent).st_dev != os.stat(target).st_dev:  # OUT/html a link to a web root elsewhere
            shutil.rmtree(previous, ignore_errors=True)
        elif previous.is_dir() and not previous.is_symlink():
            previous.rename(keep)
        else:
            shutil.copytree(target, keep, copy_function=os.link)
    except OSError:  # no links on this file system: the next publish copies afresh
        shutil.rmtree(previous, ignore_errors=True)
        _remove(keep)


def _update_copy(built: Path, copy_of: Path, copy: Callable[[str, str], object]) -> None:
    """Make ``copy_of`` (an earlier copy of the build) a copy of ``built`` again: a file of the same size and
    modification time as the build's is left as it is; any other is replaced by ``copy`` (a new file, never one
    written in place: it may be a link to a published file); what the build no longer has is removed, and so is
    anything that is not a plain file or folder of ours (a link is removed, never followed). Modes as published."""
    os.chmod(copy_of, FOLDER_MODE)
    for source, destination in _folders(built, copy_of):
        there = {entry.name: entry for entry in os.scandir(destination)}
        for entry in os.scandir(source):
            if entry.name in _UNPUBLISHED:
                continue
            path = os.path.join(destination, entry.name)
            found = there.pop(entry.name, None)
            mine = found.stat(follow_symlinks=False) if found is not None else None
            if mine is not None and not trusted(mine):
                mine = None
            if entry.is_dir():
                if mine is None or not stat.S_ISDIR(mine.st_mode):
                    _remove(Path(path))
                    os.mkdir(path)
                    os.chmod(path, FOLDER_MODE)
                elif stat.S_IMODE(mine.st_mode) != FOLDER_MODE:
                    os.chmod(path, FOLDER_MODE)
                continue
            new = entry.stat()
            if mine is not None and stat.S_ISREG(mine.st_mode) and _same_file_times(new, mine):
                if stat.S_IMODE(mine.st_mode) != FILE_MODE:
                    os.chmod(path, FILE_MODE)
                continue
            _remove(Path(path))
            copy(entry.path, path)
            os.chmod(path, FILE_MODE)
        for stale in there.values():
            _remove(Path(stale.path))


def _same_file_times(new: os.stat_result, old: os.stat_result) -> bool:
    return new.st_size == old.st_size and new.st_mtime_ns == old.st_mtime_ns


def _folders(source: Path, destination: Path) -> Iterator[tuple[str, str]]:
    """Each folder of ``source`` with its place under ``destination``, parents first (a folder is made in the
    destination before it is listed)."""
    pending = [(str(source), str(destination))]
    while pending:
        here, there = pending.pop()
        yield here, there
        pending += [
            (entry.path, os.path.join(there, entry.name))
            for entry in os.scandir(here)
            if entry.name not in _UNPUBLISHED and entry.is_dir()
        ]


def _copy_or_link_published(built: Path, staging: Path, target: Path) -> Callable[[str, str], object]:
    """A copy function for the staging copy: a file the build did not rewrite since the last publish (same size
    and modification time as its published copy, which ``copy2`` made) is linked to that copy instead of copied
    again. Published files are never written in place (a publish replaces the whole folder), so the link is safe;
    an edit of a file takes a fresh copy."""

    def copy(source: str, destination: str) -> object:
        published = target / os.path.relpath(destination, staging)
        try:
            new, old = os.stat(source), os.stat(published, follow_symlinks=False)
            if new.st_size == old.st_size and new.st_mtime_ns == old.st_mtime_ns and stat.S_ISREG(old.st_mode):
                os.link(published, destination)
                return destination
        except OSError:  # nothing published there, or links not possible on this file system
            pass
        try:
            return shutil.copy2(source, destination)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:  # copytree would try every other file and sum them up as text
                raise _DiskFull(exc) from exc
            raise

    return copy


class _DiskFull(Exception):
    """A full disk while copying an edition: stops ``copytree`` at the first file (an OSError it would collect)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def recover_published(target: Path) -> None:
    """Put back the previous edition of ``target`` if a publish was stopped between its two renames."""
    old = target.with_name(f".{target.name}.old")
    if old.is_dir() and not old.is_symlink() and not os.path.lexists(target):
        old.rename(target)


def _remove(path: Path) -> None:
    """Remove a file, folder or link (a link itself, never what it points to); nothing if absent."""
    if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (``renameat2(RENAME_EXCHANGE)``); False where the system cannot."""
    import ctypes

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
    """Hold the output folder for one build; a second build into it stops at once with one line.

    Before anything is written: a folder others can write is refused, the lock file is opened without following
    a link (a link planted there would have its target truncated), a published edition that is a link is refused
    (:func:`refuse_linked_editions`), and a work folder another user could have written is discarded
    (:func:`discard_untrusted_work`: Sphinx unpickles what it finds there).
    """
    import fcntl

    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    if created:
        out.chmod(FOLDER_MODE)
    if others_can_write(out.stat()) and not out.stat().st_mode & stat.S_ISVTX:
        raise TekanError(
            "other users can write in this output folder (they could swap what Sphinx unpickles): "
            "build into a folder only you can write (chmod go-w), or another --out",
            out,
            Kind.io,
        )
    handle = _open_lock(out / LOCK)
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
        refuse_linked_editions(out)
        discard_untrusted_work(out / WORK)
        for edition in EDITIONS.values():  # a publish stopped half-way by a kill: the previous edition comes back
            recover_published(out / "html" / edition.folder)
        yield
    finally:
        handle.close()  # releases the lock; the file stays (removing it would race with the next build)


def _open_lock(path: Path) -> Any:
    """The lock file, opened for reading and writing without following a link and only if it is a plain file."""

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise TekanError(
            "the lock file is a symbolic link: tekan never writes through one (its target would be overwritten); "
            "remove the link",
            path,
            Kind.io,
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise TekanError("the lock file is not a plain file: remove it", path, Kind.io)
    return os.fdopen(fd, "r+", encoding="utf-8")


#: The folder under ``OUT`` where each edition is built before it is published.
WORK = ".work"


def discard_untrusted_work(work: Path) -> bool:
    """Remove ``OUT/.work`` (a fresh build follows) if another user could have written anything in it: Sphinx
    unpickles its environment and doctrees from there, and a pickle runs code. True when it was removed.

    Untrusted: a link anywhere in it (the folder itself included), or a file or folder that is not ours or that
    others can write (:func:`others_can_write`). What cannot be removed stops the build in one line.
    """
    try:
        status = os.lstat(work)
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(status.st_mode) and trusted(status) and not _untrusted_entry(work):
        return False
    try:
        if stat.S_ISDIR(status.st_mode):
            shutil.rmtree(work)
        else:
            work.unlink()
    except OSError:
        raise TekanError(
            "another user could have written this work folder (Sphinx would unpickle it) and it cannot be removed: "
            "remove it, or build into another --out",
            work,
            Kind.io,
        ) from None
    return True


def _untrusted_entry(folder: Path) -> bool:
    """Whether anything under ``folder`` is a link, not ours, or writable by others (never walking into a link).

    Not inside an edition's kept published copy (``.work/EDITION/published-html``): nothing there is unpickled or
    written through, and the publish that reuses it checks each of its entries itself (:func:`_update_copy`)."""
    top = os.path.normpath(folder)
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            entry = os.lstat(os.path.join(parent, name))
            if stat.S_ISLNK(entry.st_mode) or not trusted(entry):
                return True
        if os.path.dirname(os.path.normpath(parent)) == top:  # an edition's folder: its kept copy is not walked
            folders[:] = [name for name in folders if not name.startswith(KEPT)]
    return False


def refuse_linked_editions(out: Path) -> None:
    """Stop in one line when a published edition (a folder under ``OUT/html``, an EPUB or PDF) is a symbolic link.

    A publish replaces the edition as a whole, atomically; through a link it would either swap the link away (its
    target, say a web root, silently no longer updated) or replace a folder elsewhere. A link may stand higher up:
    ``OUT`` or ``OUT/html`` itself may be a link to the web root, and editions are published inside it.
    """
    linked = [out / "html" / edition.folder for edition in EDITIONS.values()] + [out / "html" / "index.html"]
    for folder in ("epub", "pdf", "html/epub", "html/pdf"):  # beside the site, or inside a self-contained one
        with contextlib.suppress(OSError):
            linked += sorted((out / folder).iterdir())
    for path in linked:
        if path.is_symlink():
            raise TekanError(
                f"a published edition is a symbolic link (to {os.readlink(path)}): a build replaces it as a whole "
                f"and will not write through a link; remove the link, and link {out / 'html'} (or --out) itself "
                "to the web root instead",
                path,
                Kind.io,
            )


def refuse_dangerous_output(out: Path, inputs: Sequence[Path]) -> None:
    """Stop in one line when ``out`` is a folder a build must never write into: the root, a system folder, the
    home folder (or a folder above it), or a folder holding the book's inputs (the book folder itself)."""
    where = out.resolve()
    home = Path.home().resolve()
    why = ""
    if where == Path(where.anchor) or where in SYSTEM_FOLDERS:
        why = "a system folder"
    elif where == home or where in home.parents:
        why = "the home folder" if where == home else "a folder above the home folder"
    else:
        for path in inputs:
            resolved = path.resolve()
            if where == resolved or where in resolved.parents:
                why = f"a folder holding the book's files ({path})"
                break
    if why:
        raise TekanError(
            f"will not build into {why}: a build writes html/, epub/, pdf/ and .work/ there and replaces them; "
            "choose a folder of its own (the default is _build/ in the book's folder)",
            out,
            Kind.io,
        )


#: Folders no build output belongs in (``--out /usr`` and the like).
SYSTEM_FOLDERS = frozenset(
    Path(p)
    for p in [
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/lib64",
        "/media",
        "/mnt",
        "/opt",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/srv",
        "/sys",
        "/tmp",
        "/usr",
        "/usr/local",
        "/var",
        "/var/tmp",
    ]
)


def check_prerequisites(formats: Sequence[OutputFormat], editions: Sequence[Edition]) -> None:
    """Stop with one line of advice, before Sphinx runs, when a format lacks its tools or fonts."""
    from .target import prerequisites

    for fmt in formats:
        prerequisites(fmt, editions)


def built_file(built: Path, target: Target, runner: Runner) -> Path:
    """The finishing step of a builder that writes the whole file itself (the EPUB, a Typst PDF): that file
    (``tekan.epub`` in its folder; the published name is the book's)."""
    del runner
    suffix = target.format.suffix if target.format else ""
    made = built / f"{BASENAME}{suffix}"
    found = sorted(built.glob(f"*{suffix}")) if suffix else []
    if not made.is_file() and len(found) == 1:  # a book's conf.py named it otherwise (epub_basename)
        return found[0]
    return made


def publish_file(built: Path, target: Path) -> None:
    """Copy one finished file into place atomically (never through a link planted at the target or beside it)."""
    published_folder(target.parent)
    atomic_write(target, built.read_bytes(), mode=FILE_MODE, follow_link=False)


def build_edition(
    target: Target,
    out: Path,
    *,
    conf: Path | None = None,
    jobs: str = "1",
    runner: Runner = run_process,
    time_limit: float | None = None,
) -> Path:
    """Build one target under ``out``; return the published path (``OUT/epub/NAME-zh-hant.epub``).

    The output layout is the format's (:meth:`tekan.target.OutputFormat.published`); a vertical EPUB or a
    parallel PDF is published beside the plain one, and a parallel PDF has sources of its own (its pages differ).

    ``time_limit`` bounds each child process (seconds; None: no limit) when the runner is :func:`run_process`.
    """
    fmt = target.format
    if fmt is None:
        raise ValueError("build_edition needs the target's format")
    work = out / WORK / target.work
    src = work / "src"  # generated pages; shared by the formats of one edition
    dest = work / fmt.builder
    src.mkdir(parents=True, exist_ok=True)
    command = sphinx_command(target, src, dest, work / f"doctrees-{fmt.builder}", conf, jobs)
    published = out / target.published()
    # Nothing read by the build changed since it published ``published``: it would write the same again.
    suffix = target.variant.suffix(fmt)
    stamp_file, stamp = work / f"{fmt.key}{suffix}.stamp", inputs_stamp(command, target, conf)
    if runner is run_process and published.exists() and _read(stamp_file) == stamp:
        return published
    stamp_file.unlink(missing_ok=True)
    run = limited(time_limit) if runner is run_process else runner
    if fmt.download:  # a builder that packs every file it finds in its folder would pack stale pages
        shutil.rmtree(dest, ignore_errors=True)
        share_environment(work / f"doctrees-{HTML.builder}", work / f"doctrees-{fmt.builder}")
    _sphinx(command, target, run, (work / f"doctrees-{fmt.builder}", dest))
    if fmt.download:
        publish_file(finish(fmt, dest, target, run), published)
    else:
        publish_tree(finish(fmt, dest, target, run), published, keep=work / f"{KEPT}{fmt.builder}")
    stamp_file.write_text(stamp, encoding="utf-8")
    return published


#: The start of the name of an edition's kept published copy in its work folder (``published-html``).
KEPT = "published-"

#: The file of Sphinx's pickled environment in a doctree folder.
ENVIRONMENT = "environment.pickle"


def share_environment(read: Path, doctrees: Path) -> bool:
    """Start a build that writes every page (an EPUB, a PDF) from the environment the edition's HTML build read
    (``read``), when that one is newer than the build's own: the pages are read once for all formats of an edition.

    A copy, not the folder itself: the site's build keeps its own record of what it read and wrote (a PDF build
    re-reading an edited page must not leave the site's copy of that page unwritten). Sphinx checks the copy as it
    checks its own (configuration, sources and dependencies against their read times) and reads what changed. True
    when it was copied.
    """
    source = read / ENVIRONMENT
    try:
        newer = source.stat().st_mtime_ns > (doctrees / ENVIRONMENT).stat().st_mtime_ns
    except FileNotFoundError:
        newer = source.is_file()
    if not newer or read.with_name(f".{read.name}.unfinished").exists():  # none, or a run cut short
        return False
    staging = doctrees.with_name(f".{doctrees.name}.copy")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(read, staging)
    shutil.rmtree(doctrees, ignore_errors=True)
    staging.rename(doctrees)
    return True


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def inputs_stamp(command: Sequence[str], target: Target, conf: Path | None) -> str:
    """A digest of what a build reads: its command, the seed(s), metadata, glossary, catalogs, configuration,
    Tekan's own files, the versions of Sphinx and the theme, and the environment variables builds read.

    Files count by path, size and modification time (as ``make`` and Sphinx itself judge them), and the book's
    own files (not Tekan's) by their content too: an edit that keeps a file's size and time (``cp -p``,
    ``rsync -t``) is still an edit.
    """
    from importlib import metadata as packages

    from .collection import is_collection, read_collection

    digest = hashlib.sha256("\0".join(command).encode())
    from .metadata import metadata_path

    seed, glossary = target.inputs.seed, target.inputs.glossary
    files: list[Path] = [p for p in (seed, glossary, target.inputs.metadata) if p is not None]
    seeds = [seed]
    if is_collection(seed):
        with contextlib.suppress(TekanError, OSError):
            seeds = read_collection(seed)[1]
    files += [p for s in seeds for p in (s, metadata_path(s))]
    folders = [Path(__file__).parent, *([conf] if conf else [])]
    folders += [p for s in seeds for p in (s.parent / "locale", s.parent.parent / "locale")]  # the book's catalogs
    for folder in dict.fromkeys(folders):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    package = Path(__file__).parent
    for path in files:
        try:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            if not path.is_relative_to(package):  # the book's own files: an edit may keep the size and the time
                with path.open("rb") as file:
                    digest.update(hashlib.file_digest(file, "sha256").digest())
        except OSError:
            digest.update(f"{path}\0-\n".encode())
    for name in ("sphinx", "furo", "myst-parser", "docutils", "sphinx-basic-ng", "typst"):
        with contextlib.suppress(packages.PackageNotFoundError):
            digest.update(f"{name}=={packages.version(name)}\n".encode())
    read = ("SOURCE_DATE_EPOCH", "READTHEDOCS_CANONICAL_URL")  # the dates in every format, the site's URL
    for name in sorted(k for k in os.environ if k.startswith("TEKAN_") or k in read):
        digest.update(f"{name}={os.environ[name]}\n".encode())
    return digest.hexdigest()


#: What the landing page knows of each edition published in OUT: its title and the stem of its files.
EDITIONS_FILE = ".tekan-editions.json"


def write_landing_page(
    out: Path, built: dict[str, tuple[str, str]], site_url: str = "", self_contained: bool = False
) -> Path:
    """Write ``OUT/html/index.html``: every edition published in ``OUT`` (also by earlier runs), with the
    downloads that are there (inside ``OUT/html`` when ``self_contained``). ``built`` gives the editions this run
    built: key → (title, file stem)."""
    import json

    from .landing import landing_page

    known_file = out / EDITIONS_FILE
    known = known_editions(out)
    known.update({key: value for key, value in built.items()})
    entries = published_editions(out, known, self_contained)
    target = out / "html" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, landing_page(entries, site_url).encode("utf-8"), mode=FILE_MODE, follow_link=False)
    atomic_write(
        known_file,
        (json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"),
        mode=FILE_MODE,
        follow_link=False,
    )
    return target


def known_editions(out: Path) -> dict[str, tuple[str, ...]]:
    """What the builds into ``OUT`` wrote of each edition (key → (title, file stem)); empty if unreadable."""
    import json

    try:
        return {k: tuple(v) for k, v in json.loads((out / EDITIONS_FILE).read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def published_editions(out: Path, known: dict[str, tuple[str, ...]], self_contained: bool = False) -> list[Entry]:
    """The editions published in ``OUT`` (in edition order), each with its title and its downloads that are there;
    ``known`` gives each edition's title and file stem (key → (title, stem))."""
    from .landing import Entry
    from .target import Site

    site = Site(self_contained=self_contained)
    entries = []
    for key, edition in EDITIONS.items():
        if not (out / "html" / edition.folder / "index.html").is_file():
            continue  # not published here
        title, name = known.get(key, ("", ""))
        downloads = tuple(
            (fmt, site.href(fmt, name, edition))
            for fmt in FORMATS.values()
            if fmt.download and name and (out / site.download(fmt, name, edition)).is_file()
        )
        entries.append(Entry(edition, title, downloads))
    return entries
