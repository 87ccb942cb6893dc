"""The output folder is written only where it is safe: no lock file, staging name or published edition is
written through a symbolic link; a link in place of an edition is refused in one line on every build; a work
folder another user could have written is discarded before Sphinx unpickles it; ``--out`` never names the root,
a system folder, the home folder or the book's own folder."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from tekan.building import (
    LOCK,
    WORK,
    discard_untrusted_work,
    lock_output,
    publish_tree,
    recover_published,
)
from tekan.errors import TekanError

from .conftest import tekan
from .other_user import STRANGER, as_stranger, needs_root, open_folder
from .stranger import write_feature


def victim(folder: Path, text: str = "the web server's file\n") -> Path:
    path = folder / "victim.txt"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
    return path


def build(seed: Path, out: Path, *formats: str) -> tuple[int, list[str]]:
    result = tekan("build", *(formats or ("html",)), "--script", "hant", "--seed", str(seed), "--out", str(out))
    return result.returncode, result.stderr.strip().splitlines()


# --- the lock file ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dangling", [False, True])
def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(tmp_path: Path, dangling: bool) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "absent.txt" if dangling else victim(tmp_path)
    (out / LOCK).symlink_to(target)
    with pytest.raises(TekanError, match="symbolic link"), lock_output(out):
        pass
    if dangling:
        assert not target.exists()  # not created either
    else:
        assert target.read_text(encoding="utf-8") == "the web server's file\n"
        assert target.stat().st_mode & 0o777 == 0o640


def test_a_lock_file_that_is_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / LOCK)
    with pytest.raises(TekanError, match="not a plain file"), lock_output(out):
        pass


def test_an_output_folder_others_can_write_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o777)
    with pytest.raises(TekanError, match="other users can write"), lock_output(out):
        pass
    assert not (out / LOCK).exists()
    out.chmod(0o1777)  # sticky: others cannot remove or rename what is ours (a .work of theirs is discarded)
    with lock_output(out):
        pass


def test_a_new_output_folder_is_0755_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        with lock_output(tmp_path / "out"):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


# --- published editions that are links -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["html/zh-hant", "html/en", "html/index.html", "epub/tekan-zh-hant.epub"])
def test_a_published_edition_that_is_a_link_is_refused_every_time(tmp_path: Path, name: str) -> None:
    out, webroot = tmp_path / "out", tmp_path / "www"
    webroot.mkdir()
    kept = victim(webroot)
    (out / name).parent.mkdir(parents=True)
    (out / name).symlink_to(webroot if "." not in Path(name).name else kept)
    for _ in range(2):
        with pytest.raises(TekanError, match="symbolic link") as info, lock_output(out):
            pass
        assert "\n" not in str(info.value.message) and str(webroot) in info.value.message
    assert (out / name).is_symlink() and kept.read_text(encoding="utf-8") == "the web server's file\n"


def test_a_linked_edition_folder_stops_the_build_in_one_line_on_every_build(tmp_path: Path) -> None:
    seed = write_feature(tmp_path / "book")
    out, webroot = tmp_path / "out", tmp_path / "www"
    webroot.mkdir()
    kept = victim(webroot)
    (out / "html").mkdir(parents=True)
    (out / "html" / "zh-hant").symlink_to(webroot)
    for _ in range(2):
        code, lines = build(seed, out)
        errors = [line for line in lines if ": error: " in line or "Traceback" in line]
        assert code == 1 and len(errors) == 1 and errors == lines[-1:], lines  # only the metadata's warnings before
        assert lines[-1].startswith(f"{out / 'html' / 'zh-hant'}: error: a published edition is a symbolic link")
        assert sorted(p.name for p in webroot.iterdir()) == ["victim.txt"] and kept.is_file()
        assert (out / "html" / "zh-hant").is_symlink()


def test_an_html_folder_linked_to_a_web_root_is_published_into_on_every_build(tmp_path: Path) -> None:
    seed = write_feature(tmp_path / "book")
    out, webroot = tmp_path / "out", tmp_path / "www"
    webroot.mkdir()
    out.mkdir()
    (out / "html").symlink_to(webroot)
    for number in range(2):
        if number:  # an edit: the second build must publish it too
            seed.write_text(seed.read_text(encoding="utf-8").replace("一百二十項", "一百三十項"), encoding="utf-8")
        code, lines = build(seed, out)
        assert code == 0, lines[-5:]
        page = (webroot / "zh-hant" / "statements" / "chen-lixin.html").read_text(encoding="utf-8")
        assert ("一百三十項" if number else "一百二十項") in page
        assert (out / "html").is_symlink() and (webroot / "index.html").is_file()
        assert not [p.name for p in webroot.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_staging_names_that_are_links_are_removed_not_followed(tmp_path: Path) -> None:
    built, target = tmp_path / "built", tmp_path / "out" / "html" / "zh-hant"
    built.mkdir()
    (built / "index.html").write_text("new", encoding="utf-8")
    target.mkdir(parents=True)
    (target / "index.html").write_text("old", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kept = victim(elsewhere)
    for name in (".zh-hant.new", ".zh-hant.old"):
        (target.parent / name).symlink_to(elsewhere)
    publish_tree(built, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert kept.read_text(encoding="utf-8") == "the web server's file\n" and sorted(os.listdir(elsewhere)) == [
        "victim.txt"
    ]


def test_a_linked_previous_edition_is_not_put_back_as_the_edition(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = tmp_path / "html" / "zh-hant"
    target.parent.mkdir()
    (target.parent / ".zh-hant.old").symlink_to(elsewhere)
    recover_published(target)
    assert not os.path.lexists(target)


# --- the work folder Sphinx unpickles from ---------------------------------------------------------------------


def _work(out: Path) -> Path:
    doctrees = out / WORK / "zh-hant" / "doctrees-html"
    doctrees.mkdir(parents=True)
    (doctrees / "environment.pickle").write_bytes(pickle.dumps({"a": 1}))
    (doctrees / "index.doctree").write_bytes(b"x")
    return doctrees


@pytest.mark.parametrize("how", ["pickle-mode", "folder-mode", "link", "work-link", "doctree-mode"])
def test_a_work_folder_others_could_have_written_is_discarded(tmp_path: Path, how: str) -> None:
    out = tmp_path / "out"
    doctrees = _work(out)
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(b"theirs")
    if how == "pickle-mode":
        (doctrees / "environment.pickle").chmod(0o666)
    elif how == "folder-mode":
        doctrees.chmod(0o777)
    elif how == "doctree-mode":
        (doctrees / "index.doctree").chmod(0o602)
    elif how == "link":
        (doctrees / "environment.pickle").unlink()
        (doctrees / "environment.pickle").symlink_to(elsewhere)
    else:
        real = tmp_path / "real-work"
        (out / WORK).rename(real)
        (out / WORK).symlink_to(real)
    with lock_output(out):
        assert not os.path.lexists(out / WORK)
    assert elsewhere.read_bytes() == b"theirs"


def test_a_work_folder_of_our_own_is_kept(tmp_path: Path) -> None:
    doctrees = _work(tmp_path / "out")
    doctrees.chmod(0o755)
    assert not discard_untrusted_work(tmp_path / "out" / WORK)
    assert (doctrees / "environment.pickle").is_file()


@needs_root
@pytest.mark.parametrize("what", ["environment.pickle", "index.doctree", "."])
def test_a_work_folder_with_another_owners_file_is_discarded(tmp_path: Path, what: str) -> None:
    doctrees = _work(tmp_path / "out")
    os.chown(doctrees / what, STRANGER, STRANGER)
    assert discard_untrusted_work(tmp_path / "out" / WORK)
    assert not (tmp_path / "out" / WORK).exists()


class Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.marker}",))


@needs_root
def test_another_users_environment_pickle_is_never_unpickled_by_a_build(tmp_path: Path) -> None:
    seed = write_feature(tmp_path / "book")
    out = tmp_path / "out"
    code, lines = build(seed, out)
    assert code == 0, lines[-5:]
    pickled = out / WORK / "zh-hant" / "doctrees-html" / "environment.pickle"
    marker = tmp_path / "ran"
    pickled.write_bytes(pickle.dumps(Planted(marker)))
    (out / WORK / "zh-hant" / "html.stamp").unlink()  # else nothing changed and Sphinx would not run at all
    os.chown(pickled, STRANGER, STRANGER)
    code, lines = build(seed, out)
    assert code == 0, lines[-5:]
    assert not marker.exists()
    assert pickled.stat().st_uid == os.geteuid()  # a fresh environment, ours
    assert (out / "html" / "zh-hant" / "statements" / "chen-lixin.html").is_file()


# --- dangerous output folders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where", ["/", "/usr", "/tmp", "home", "above-home", "book", "above-book", "seeds", "link-to-root", "link-to-book"]
)
def test_a_dangerous_output_folder_is_refused_in_one_line(tmp_path: Path, where: str) -> None:
    book = tmp_path / "book"
    seed = write_feature(book / "seeds")
    home = tmp_path / "home" / "editor"
    home.mkdir(parents=True)
    out = {
        "home": home,
        "above-home": home.parent,
        "book": book,
        "above-book": tmp_path,
        "seeds": book / "seeds",
    }.get(where, Path(where))
    if where.startswith("link-"):  # a link is judged by where it leads
        out = tmp_path / where
        out.symlink_to("/" if where == "link-to-root" else book)
    before = os.listdir(out)
    result = tekan(
        "build",
        "html",
        "--script",
        "hant",
        "--seed",
        str(seed),
        "--out",
        str(out),
        env={**os.environ, "HOME": str(home)},
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"{out.resolve()}: error: will not build into "), lines
    after = os.listdir(out)  # (a shared folder such as /tmp changes meanwhile: only what a build writes counts)
    assert [n for n in (LOCK, WORK, "html", "epub") if (n in after) != (n in before)] == []


def test_published_files_are_never_written_through_a_planted_link(tmp_path: Path) -> None:
    from tekan.building import publish_file, write_landing_page

    out = tmp_path / "out"
    (out / "epub").mkdir(parents=True)
    (out / "html" / "zh-hant").mkdir(parents=True)
    kept = victim(tmp_path)
    # The names the publishers once staged under, and any a guess could name.
    for name in ("epub/.tekan-zh-hant.epub.new", "html/.index.html.new"):
        (out / name).symlink_to(kept)
    built = tmp_path / "built.epub"
    built.write_bytes(b"PK the book")
    publish_file(built, out / "epub" / "tekan-zh-hant.epub")
    (out / "html" / "zh-hant" / "index.html").write_text("an edition", encoding="utf-8")
    write_landing_page(out, {"hant": ("書名", "tekan")})
    assert kept.read_text(encoding="utf-8") == "the web server's file\n" and kept.stat().st_mode & 0o777 == 0o640
    assert (out / "epub" / "tekan-zh-hant.epub").read_bytes() == b"PK the book"
    assert "書名" in (out / "html" / "index.html").read_text(encoding="utf-8")
    assert {(out / p).stat().st_mode & 0o777 for p in ("epub/tekan-zh-hant.epub", "html/index.html")} == {0o644}


@needs_root
def test_serve_discards_a_work_folder_another_user_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tekan import building, cli

    write_feature(tmp_path / "book")
    doctrees = tmp_path / "book" / "_build" / "serve" / "zh-hant" / "doctrees-html"
    doctrees.mkdir(parents=True)
    (doctrees / "environment.pickle").write_bytes(b"theirs")
    os.chown(doctrees / "environment.pickle", STRANGER, STRANGER)
    ran: list[list[str]] = []
    monkeypatch.setattr(building, "run_process", lambda command, *rest: ran.append(list(command)) or 0)
    assert cli.cmd_serve(cli.parser().parse_args(["serve", "--project", str(tmp_path / "book")])) == 0
    assert ran and not (doctrees / "environment.pickle").exists()


@needs_root
def test_a_work_folder_that_cannot_be_removed_stops_the_build_in_one_line() -> None:
    def enter(out: Path) -> None:
        try:
            with lock_output(out):
                pass
        except TekanError as error:
            assert "cannot be removed" in error.message and "\n" not in error.message
            raise

    with open_folder() as reachable:
        out = reachable / "out"
        _work(out)  # root's, in a folder of the stranger's: they may not remove it
        os.chown(out, STRANGER, STRANGER)
        assert as_stranger(lambda: enter(out)) == "TekanError"
        assert (out / WORK / "zh-hant" / "doctrees-html" / "environment.pickle").is_file()


# --- generated pages written in place ------------------------------------------------------------------------------


def test_a_page_known_absent_is_made_in_place_and_never_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page its folder's listing did not hold is created new where it belongs (no staging file), readable by all
    whatever the umask, its folder made if missing; if something appeared there meanwhile (a link planted after the
    listing) it is replaced, never written through; a write that fails leaves no part of the page."""
    from tekan import files
    from tekan.files import write_if_changed

    made: list[str] = []
    real_open = os.open

    def recording(path: object, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        made.append(Path(str(path)).name)
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "open", recording)
    old = os.umask(0o077)
    try:
        assert write_if_changed(tmp_path / "new" / "page.md", "頁", absent=True)
    finally:
        os.umask(old)
    page = tmp_path / "new" / "page.md"
    assert page.read_text(encoding="utf-8") == "頁" and page.stat().st_mode & 0o777 == 0o644
    assert made == ["page.md", "page.md"]  # the folder was missing: made, then the page; no staging name

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kept = victim(elsewhere)
    planted = tmp_path / "new" / "late.md"
    planted.symlink_to(kept)
    assert write_if_changed(planted, "新頁", absent=True)
    assert not planted.is_symlink() and planted.read_text(encoding="utf-8") == "新頁"
    assert kept.read_text(encoding="utf-8") == "the web server's file\n"

    def failing(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", failing)
    with pytest.raises(OSError):
        write_if_changed(tmp_path / "new" / "full.md", "頁", absent=True)
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["late.md", "page.md"]
