#!/usr/bin/env python3
"""How fast the book builds and how the cost grows with the work.

Usage: ``.venv/bin/python tools/benchmark.py [--smoke] [--out FILE.json]`` (or ``make benchmark``).

Measures, on synthetic seeds made from the real one (its statements repeated, each with a distinct
byline and slug): conversion (parse + metadata + normalise + link + render MyST), linking against the
real glossary and synthetic glossaries of up to 4,000 terms, HTML builds with ``-j 1`` and ``-j auto``,
the EPUB and PDF of the real book (each PDF edition against its HTML; ``make book``), the tekan
extension against plain Sphinx on the same pages, and an incremental rebuild after a one-statement edit.
Every build runs in its own process, as ``tekan build`` runs it; its peak memory is that process's
``ru_maxrss`` (from ``os.wait4``: the largest of the process and the workers it waited for).

``--smoke`` runs every part at tiny sizes (for the test suite: it only has to keep working).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from tekan.book import write_pages  # noqa: E402
from tekan.building import sphinx_command  # noqa: E402
from tekan.editions import HANT  # noqa: E402
from tekan.glossary import glossary_forms, load_glossary  # noqa: E402
from tekan.linking import Linker  # noqa: E402
from tekan.metadata import load_publication  # noqa: E402
from tekan.rendering import render_book  # noqa: E402
from tekan.target import Inputs, Target, format_of_builder  # noqa: E402
from tekan.tomlfile import dumps  # noqa: E402

SEED = ROOT / "seeds" / "000_fbd3bd184db56f6a.txt"
GLOSSARY = ROOT / "glossary" / "terms.toml"
#: Appended to each speaker's name to make bylines distinct: none of these is (part of) a position word.
NAME_DIGITS = "甲乙丙丁戊己庚辛壬癸"
#: Builds slower than this are stopped and reported as capped, with how far they got.
BUILD_CAP_SECONDS = 600.0


@dataclass(frozen=True)
class Sizes:
    """What to measure: the full run or the smoke run."""

    convert: tuple[int, ...]  # statements per synthetic seed, conversion only
    link: tuple[int, ...]  # statements of text, linking only
    synthetic_terms: tuple[int, ...]  # sizes of the synthetic glossaries
    html: tuple[int, ...]  # statements per HTML build
    jobs: tuple[str, ...]  # -j values of the HTML builds
    large: int  # HTML builds of at least this many statements are capped at large_cap seconds
    large_cap: float
    overhead: tuple[int, ...]  # statements per tekan-vs-plain comparison
    incremental: tuple[int, ...]  # statements per incremental rebuild
    repeats: int  # runs per tekan-vs-plain comparison (median) and per linking measurement (best)
    pdf: bool  # the real book's PDF per edition against its HTML, and `make book` (nine outputs)
    scaling: tuple[int, ...] = ()  # statements per collection (features of 16) for the growth targets
    edit_loop: int = 0  # statements of the collection edited in the edit-loop measurement
    large_formats: bool = False  # Simplified, EPUB and PDF of the largest collection; the real book in the edit loop
    search: tuple[int, ...] = (16,)  # statements per site whose search is measured in Chromium
    peer: int = 0  # statements of the collection built by tekan and by plain Sphinx with alabaster (0: none)
    single_feature: tuple[int, ...] = ()  # statements per single-feature HTML build (statement pages' bytes)
    ten_years: int = 0  # statements of the ten-year collection (HTML, search bytes; 0: not built, ``--ten-years``)
    pdf_collection: int = 0  # statements of the collection whose PDF is built alone and after its HTML (0: none)


FULL = Sizes(
    convert=(16, 160, 1_600, 16_000),
    link=(16, 160, 1_600, 16_000),
    synthetic_terms=(40, 400, 4_000),
    html=(16, 160, 1_600),
    jobs=("1", "auto"),
    large=1_600,
    large_cap=150.0,
    overhead=(16, 160),
    incremental=(16, 160),
    repeats=3,
    pdf=True,
    scaling=(16, 160, 1_600),
    edit_loop=1_600,
    large_formats=True,
    search=(16, 1_600),
    peer=1_600,
    single_feature=(16, 160, 1_600),
    pdf_collection=1_600,
)
SMOKE = Sizes(
    convert=(16, 32),
    link=(16, 32),
    synthetic_terms=(40, 400),
    html=(16,),
    jobs=("1", "auto"),
    large=1_600,
    large_cap=150.0,
    overhead=(16,),
    incremental=(16,),
    repeats=1,
    pdf=False,
    scaling=(16,),
    edit_loop=16,
    single_feature=(16,),
)


# --- synthetic seeds -----------------------------------------------------------------------------


def _name_suffix(index: int) -> str:
    digits = []
    for _ in range(5):
        index, digit = divmod(index, len(NAME_DIGITS))
        digits.append(NAME_DIGITS[digit])
    return "".join(reversed(digits))


def real_blocks() -> tuple[list[list[str]], str]:
    """The real seed's statements (headline, paragraphs, byline lines) and its masthead."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]
    blocks: list[list[str]] = []
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if line.startswith("——"):
            blocks.append(pending)
            pending = []
    return blocks, "".join(pending)


def make_seed(count: int, folder: Path) -> Path:
    """Write a seed of ``count`` statements (the real ones, repeated) and its metadata; return the seed.

    With 16 statements this is the real book: its own bylines and slugs. Past the first 16, each copy of a
    statement carries its copy's mark after each clause of its paragraphs (:func:`copy_mark`), so that no paragraph
    is met twice, as in a real archive: a memo of paragraphs or segmentations cannot serve one copy from another's
    work.
    """
    blocks, masthead = real_blocks()
    meta = tomllib.loads(SEED.with_suffix(".toml").read_text(encoding="utf-8"))
    entries = {entry["byline"]: entry for entry in meta["statement"]}
    statements: list[dict[str, Any]] = []
    seed_lines: list[str] = []
    for index in range(count):
        headline, *paragraphs, byline = blocks[index % len(blocks)]
        entry = dict(entries[byline[2:]])
        if count != len(blocks):
            byline += _name_suffix(index)
            entry["byline"] = byline[2:]
            entry["slug"] = f"{entry['slug']}-{index:05d}"
        copy = index // len(blocks)
        if copy:
            paragraphs = [_CLAUSE_END.sub(rf"\1{copy_mark(copy)}", line) for line in paragraphs]
        seed_lines += [headline, *paragraphs, byline]
        statements.append(entry)
    seed_lines.append(masthead)
    folder.mkdir(parents=True, exist_ok=True)
    seed = folder / f"seed-{count}.txt"
    seed.write_text("\n".join(seed_lines) + "\n", encoding="utf-8")
    seed.with_suffix(".toml").write_text(dumps({**meta, "statement": statements}), encoding="utf-8")
    return seed


#: Where a feature's mark goes: after each comma and full stop of the statements' paragraphs.
_CLAUSE_END = re.compile("([,，。、])")


def copy_mark(index: int) -> str:
    """The mark of copy ``index`` of the real text: at least two of :data:`NAME_DIGITS` (the same in both scripts;
    no normalisation touches them)."""
    digits, number = [], index
    while number or len(digits) < 2:
        number, digit = divmod(number, len(NAME_DIGITS))
        digits.append(NAME_DIGITS[digit])
    return "".join(reversed(digits))


def feature_text(index: int) -> str:
    """The real seed as feature ``index`` of a collection: the first feature is the real book; every other one
    carries its own mark after each clause of its paragraphs, so that no paragraph (or stretch of text between
    two glossary links) is the same in two features, as in a real archive, and a memo of paragraphs or
    segmentations cannot serve one feature from another's work."""
    text = SEED.read_text(encoding="utf-8")
    if index == 0:
        return text
    mark = copy_mark(index)
    blocks, _ = real_blocks()
    paragraphs = {line for block in blocks for line in block[1:-1]}  # not headlines, bylines or the masthead
    lines = text.split("\n")
    return "\n".join(_CLAUSE_END.sub(rf"\1{mark}", line) if line.strip() in paragraphs else line for line in lines)


def make_collection(count: int, folder: Path, per_feature: int = 16) -> Path:
    """A collection of ``count`` statements: features of ``per_feature`` statements (the real book's text, each
    feature's own by :func:`feature_text`, its metadata with a numbered title), one seed each; return the
    collection file."""
    meta = SEED.with_suffix(".toml").read_text(encoding="utf-8")
    assert per_feature == 16, "features are copies of the real book"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(max(1, count // per_feature)):
        seed = folder / f"issue-{index + 1:03d}.txt"
        seed.write_text(feature_text(index), encoding="utf-8")
        title = f'title = "第{index + 1}期特刊"'
        seed.with_suffix(".toml").write_text(re.sub(r"(?m)^title = .*$", title, meta, count=1), encoding="utf-8")
        names.append(seed.name)
    collection = folder / f"collection-{count}.toml"
    listed = ", ".join(f'"{name}"' for name in names)
    collection.write_text(f'seeds = [{listed}]\n\n[collection]\ntitle = "特刊合集"\n', encoding="utf-8")
    return collection


def synthetic_forms(count: int, kind: str, rng: random.Random) -> dict[str, str]:
    """``count`` glossary forms: ``ngram`` (2–4 character runs of the seed) or ``random`` Han strings."""
    forms: dict[str, str] = {}
    if kind == "ngram":
        text = "".join(re.findall(r"[\u4e00-\u9fff]+", SEED.read_text(encoding="utf-8")))
        while len(forms) < count:
            length = rng.randint(2, 4)
            start = rng.randrange(len(text) - length)
            forms.setdefault(text[start : start + length], f"t{len(forms)}")
    else:
        while len(forms) < count:
            word = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 4)))
            forms.setdefault(word, f"t{len(forms)}")
    return forms


# --- measuring processes -------------------------------------------------------------------------


@dataclass
class Run:
    """One process: wall time, peak memory, success."""

    seconds: float
    peak_mb: float
    ok: bool
    note: str = ""
    cpu: float = 0.0  # user + system CPU seconds of the process and the children it waited for
    user: float = 0.0  # of which user time


#: How far a build got: (documents read, pages written) of the statements.
Progress = Callable[[], tuple[int, int]]


def run_process(
    command: Sequence[str],
    log: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    cap: float = BUILD_CAP_SECONDS,
    progress: Progress | None = None,
    total: int = 0,
) -> Run:
    """Run ``command`` (output into ``log``); its wall time and peak resident memory.

    A process still running after ``cap`` seconds is stopped; with ``progress`` the note says how far it
    got and estimates the whole build from its pace (reading, then writing ``total`` pages).
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    read_done = 0.0
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        polled = start
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if progress and not read_done and now - polled > 1:
                polled = now
                if progress()[0] >= total:
                    read_done = now - start
            if now - start > cap:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                process.returncode = -9
                note = f"capped at {cap:.0f} s"
                if progress:
                    read, written = progress()
                    note += f" (read {read:,} of {total:,}, wrote {written:,})"
                    if read_done and written:
                        estimate = read_done + (cap - read_done) * total / written
                        note += f"; whole build ≈ {estimate / 60:.0f} min at this pace"
                return Run(cap, usage.ru_maxrss / 1024, False, note, usage.ru_utime + usage.ru_stime, usage.ru_utime)
            time.sleep(0.01)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    note = "" if process.returncode == 0 else f"exit {process.returncode}, see {log}"
    return Run(
        seconds, usage.ru_maxrss / 1024, process.returncode == 0, note, usage.ru_utime + usage.ru_stime, usage.ru_utime
    )


def _count(folder: Path, pattern: str) -> int:
    try:
        return sum(1 for _ in folder.glob(pattern))
    except OSError:
        return 0


def sphinx_build(
    builder: str, seed: Path, src: Path, out: Path, doctrees: Path, jobs: str, log: Path, cap: float = BUILD_CAP_SECONDS
) -> Run:
    """One tekan Sphinx build of the Traditional edition, the way ``tekan build`` runs it."""
    src.mkdir(parents=True, exist_ok=True)
    fmt = format_of_builder(builder)
    assert fmt is not None, builder
    target = Target(HANT, Inputs(seed, GLOSSARY), fmt, report_gaps=False)
    command = sphinx_command(target, src, out, doctrees, None, jobs)
    statements = sum(1 for line in seed.read_text(encoding="utf-8").split("\n") if line.startswith("——"))

    def progress() -> tuple[int, int]:
        return _count(doctrees / "statements", "*.doctree"), _count(out / "statements", "*.html")

    return run_process(command, log, cap=cap, progress=progress, total=statements)


# --- conversion and linking ------------------------------------------------------------------------


def convert_once(seed: Path, out: Path) -> dict[str, float]:
    """Time each step of the conversion of one seed, as ``tekan.book`` does it (in a child process)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    publication, problems = load_publication(seed)  # parse_seed + the metadata file
    if problems:
        raise SystemExit(f"synthetic seed {seed} has problems: {problems[:3]}")
    loaded = time.perf_counter()
    try:
        from tekan.normalise import normalise_publication
    except ImportError:  # a tree without the normalisation step
        pass
    else:
        publication = normalise_publication(publication)
    normalised = time.perf_counter()
    linker = Linker.build(glossary_forms(load_glossary(GLOSSARY)))
    linked = time.perf_counter()
    pages = render_book(publication, linker)
    rendered, cpu_rendered = time.perf_counter(), time.process_time()
    write_pages(pages, out)
    written = time.perf_counter()
    return {
        "statements": len(publication.statements),
        "bytes": seed.stat().st_size,
        "parse_s": loaded - started,
        "normalise_s": normalised - loaded,
        "linker_s": linked - normalised,
        "render_s": rendered - linked,
        "convert_s": rendered - started,
        "convert_cpu_s": cpu_rendered - cpu_started,  # the machine is shared: CPU time is what the code costs
        "write_s": written - rendered,
    }


def bench_convert(sizes: Sequence[int], work: Path, repeats: int = 1) -> list[dict[str, Any]]:
    """Conversion of each synthetic seed, each in a fresh process (for its peak memory); then ``tekan convert`` as an
    editor runs it, twice: the book's first conversion and the next (``repeats`` times, the median kept).

    ``tekan convert`` keeps its memos in a cache folder of the part's own: a conversion of the 16-statement book first
    makes the machine's one-time files there (jieba's dictionary split by character), and each repeat starts from a
    copy of that folder, so its first conversion is cold for the book itself (no memo of its text) as an editor's
    first conversion of a new book is. The pages are removed only at the end: ext4 without a journal (this machine's
    disk) skips inodes freed in the last seconds to minutes when it makes a file, so 16,000 pages written just after
    16,000 were removed took several seconds more of system time, which is the benchmark's doing and not the
    conversion's.
    """
    rows = []
    machine = work / "convert-cache"
    shutil.rmtree(machine, ignore_errors=True)
    written: list[Path] = [machine]
    warm_up = run_process(
        [sys.executable, "-m", "tekan", "--glossary", str(GLOSSARY), "convert", str(make_seed(16, work / "seeds")),
         "--out", str(work / "cli-warm-up")],
        work / "logs" / "convert-warm-up.log",
        env=_cache_env(machine),
    )  # fmt: skip
    written.append(work / "cli-warm-up")
    written.append(work / "empty-files")
    disk = _file_making_cost(work / "empty-files", max(sizes))
    for count in sizes:
        seed = make_seed(count, work / "seeds")
        result = work / f"convert-{count}.json"
        written.append(work / f"myst-{count}")
        run = run_process(
            [sys.executable, __file__, "--child-convert", str(seed), str(work / f"myst-{count}"), str(result)],
            work / "logs" / f"convert-{count}.log",
        )
        if not run.ok:
            rows.append({"statements": count, "error": run.note})
            continue
        row = json.loads(result.read_text())
        row["peak_mb"] = run.peak_mb
        row["statements_per_s"] = row["statements"] / row["convert_s"]
        row["mb_per_s"] = row["bytes"] / 1e6 / row["convert_s"]
        # `tekan convert` itself, as an editor runs it: linking on jieba's word boundaries (the steps above link
        # without them), the English and parallel pages, writing; CPU of the whole process; each into a new folder.
        runs: dict[str, list[Run]] = {"cli": [], "cli_warm": []}
        for attempt in range(repeats):
            cache = work / f"convert-cache-{count}-{attempt}"
            shutil.copytree(machine, cache)
            written.append(cache)
            for name in runs:
                out = work / f"{name}-{count}-{attempt}"
                written.append(out)
                command = [sys.executable, "-m", "tekan", "--glossary", str(GLOSSARY), "convert", str(seed), "--out",
                           str(out)]  # fmt: skip
                runs[name].append(run_process(command, work / "logs" / f"{out.name}.log", env=_cache_env(cache)))
        for name, done in runs.items():
            middle = sorted(done, key=lambda r: r.cpu)[len(done) // 2]
            row |= {f"{name}_cpu_s": middle.cpu, f"{name}_user_s": middle.user, f"{name}_wall_s": middle.seconds}
            row |= {f"{name}_ok": all(r.ok for r in done), f"{name}_peak_mb": middle.peak_mb, f"{name}_runs": len(done)}
            row |= {f"{name}_cpu_all": [round(r.cpu, 2) for r in done]}
        row["warm_up_ok"] = warm_up.ok
        row["empty_files"], row["empty_files_sys_s"] = max(sizes), disk
        rows.append(row)
    for folder in written:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def _file_making_cost(folder: Path, count: int) -> float:
    """The system time this process takes to make ``count`` empty files in a new ``folder`` (kept: removing them
    would slow the files made after them, see :func:`bench_convert`): the disk's share of a conversion's CPU at the
    time, which a mass removal in the minutes before multiplies."""
    folder.mkdir(parents=True, exist_ok=True)
    started = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    for number in range(count):
        os.close(os.open(folder / f"{number}.md", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime - started


def _cache_env(cache: Path) -> dict[str, str]:
    """The environment with ``cache`` as the user's cache folder (``XDG_CACHE_HOME``)."""
    return {**os.environ, "XDG_CACHE_HOME": str(cache)}


def _best(function: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_linking(sizes: Sequence[int], term_counts: Sequence[int], repeats: int) -> dict[str, Any]:
    """Pattern compile time by glossary size, and link time by text length × glossary."""
    rng = random.Random(7)
    real = glossary_forms(load_glossary(GLOSSARY))
    glossaries = {f"real ({len(real)} forms)": real}
    compile_rows = []
    re.purge()  # the re module caches compiled patterns: measure first compiles
    start = time.perf_counter()
    Linker.build(real)
    compile_rows.append({"kind": "real", "terms": len(real), "compile_s": time.perf_counter() - start})
    for kind in ("ngram", "random"):
        for count in term_counts:
            forms = synthetic_forms(count, kind, rng)
            re.purge()
            start = time.perf_counter()
            Linker.build(forms)
            compile_rows.append({"kind": kind, "terms": count, "compile_s": time.perf_counter() - start})
            if count == max(term_counts):
                glossaries[f"{kind} ({count} forms)"] = forms

    blocks, _ = real_blocks()
    link_rows = []
    for name, forms in glossaries.items():
        linker = Linker.build(forms)
        for count in sizes:
            pages = [blocks[i % len(blocks)][1:-1] for i in range(count)]  # headline + paragraphs
            size = sum(len(p.encode("utf-8")) for page in pages for p in page)

            def link_all(linker: Linker = linker, pages: list[list[str]] = pages) -> None:
                for page in pages:
                    linker.link(page)  # a fresh page: each term linked at its first occurrence

            seconds = _best(link_all, repeats if count < 10_000 else 1)
            links = sum(1 for page in pages for para in linker.link(page) for _, term in para if term)
            row = {"glossary": name, "statements": count, "bytes": size, "link_s": seconds}
            link_rows.append({**row, "mb_per_s": size / 1e6 / seconds, "links": links})
    return {"compile": compile_rows, "link": link_rows}


# --- Sphinx builds ---------------------------------------------------------------------------------


def bench_html(sizes: Sequence[int], jobs: Sequence[str], large: int, large_cap: float, work: Path) -> list[Any]:
    """Full HTML builds by size and -j."""
    rows = []
    for count in sizes:
        seed = SEED if count == 16 else make_seed(count, work / "seeds")
        for j in jobs:
            tag = f"html-{count}-j{j}"
            base = work / tag
            cap = large_cap if count >= large else BUILD_CAP_SECONDS
            run = sphinx_build(
                "html", seed, base / "src", base / "html", base / "doctrees", j, work / "logs" / f"{tag}.log", cap
            )
            row = {"statements": count, "jobs": j, "seconds": run.seconds, "peak_mb": run.peak_mb}
            rows.append({**row, "ok": run.ok, "note": run.note})
            shutil.rmtree(base, ignore_errors=True)  # 1,600 statements: 300 MB of HTML
    return rows


def bench_formats(work: Path) -> list[dict[str, Any]]:
    """The real book in each format (full Sphinx builds, -j 1; the typst builder compiles the PDF itself)."""
    rows = []
    for builder in ("html", "epub", "typst"):
        base = work / f"real-{builder}"
        run = sphinx_build(
            builder, SEED, base / "src", base / "out", base / "doctrees", "1", work / "logs" / f"real-{builder}.log"
        )
        rows.append({"format": builder, "seconds": run.seconds, "peak_mb": run.peak_mb, "ok": run.ok, "note": run.note})
    return rows


def bench_pdf(work: Path) -> list[dict[str, Any]]:
    """The real book's PDF of each edition against its HTML (``tekan build``, fresh output folders), the PDF built
    after the HTML into the same folder (as ``make book`` does: it may reuse what the HTML build read), then
    ``make book``'s command: all nine outputs (three formats × three editions) from nothing."""
    rows: list[dict[str, Any]] = []
    for edition in ("hant", "hans", "en"):
        runs = {}
        for fmt in ("html", "pdf"):
            out = work / f"pdf-{edition}-{fmt}"
            runs[fmt] = tekan_build([fmt, "--edition", edition], out, work / "logs" / f"pdf-{edition}-{fmt}.log")
            if fmt == "html":  # the PDF after the HTML, same output folder
                log = work / "logs" / f"pdf-{edition}-after-html.log"
                runs["after"] = tekan_build(["pdf", "--edition", edition], out, log)
            shutil.rmtree(out, ignore_errors=True)
        html, pdf, after = runs["html"], runs["pdf"], runs["after"]
        ratio = pdf.cpu / max(html.cpu, 1e-9)
        rows.append({"build": f"real book, {edition}: PDF / HTML", "wall_s": pdf.seconds, "cpu_s": pdf.cpu,
                     "html_wall_s": html.seconds, "html_cpu_s": html.cpu, "pdf_over_html": ratio,
                     "after_html_wall_s": after.seconds, "after_html_cpu_s": after.cpu,
                     "peak_mb": pdf.peak_mb, "ok": pdf.ok and html.ok and after.ok,
                     "note": pdf.note or html.note or after.note})  # fmt: skip
    out = work / "make-book"
    book = tekan_build(["all", "--edition", "all", "--strict"], out, work / "logs" / "make-book.log")
    shutil.rmtree(out, ignore_errors=True)
    rows.append({"build": "make book (9 outputs)", **_run_row(book)})
    return rows


def bench_pdf_collection(count: int, work: Path) -> list[dict[str, Any]]:
    """The PDF of a collection of ``count`` statements (issue 19: 1,600 in under 30 s): from nothing, then the
    HTML of the same edition into another folder and the PDF after it there (what the PDF adds to the site)."""
    if not count:
        return []
    collection = make_collection(count, work / f"collection-{count}")
    seed = ["--script", "hant", "--seed", str(collection)]
    rows: list[dict[str, Any]] = []
    cold = work / f"pdf-collection-{count}"
    run = tekan_build(["pdf", *seed], cold, work / "logs" / f"pc{count}-pdf.log", cap=900.0)
    rows.append({"build": f"PDF {count:,}, Traditional, from nothing", **_run_row(run)})
    shutil.rmtree(cold, ignore_errors=True)
    warm = work / f"pdf-collection-{count}-after-html"
    html = tekan_build(["html", *seed], warm, work / "logs" / f"pc{count}-html.log", cap=900.0)
    rows.append({"build": f"HTML {count:,}, Traditional, from nothing", **_run_row(html)})
    after = tekan_build(["pdf", *seed], warm, work / "logs" / f"pc{count}-pdf-after.log", cap=900.0)
    rows.append({"build": f"PDF {count:,}, Traditional, after its HTML", **_run_row(after)})
    shutil.rmtree(warm, ignore_errors=True)
    return rows


SHIM = '''"""No-op stand-ins for the tekan directives, so plain Sphinx can read tekan's generated pages."""
from docutils.parsers.rst import Directive


class Nothing(Directive):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None  # accept any option

    def run(self):
        return []


def setup(app):
    for name in ("tekan-byline", "tekan-english", "tekan-chinese", "tekan-translation-note",
                 "tekan-glossary", "tekan-english-index", "tekan-audit-table"):
        app.add_directive(name, Nothing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''

PLAIN_CONF = """# The tekan extension's default settings and files without the extension: same theme, language, MyST.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from tekan.editions import HANT
from tekan.sphinxext.defaults import STATIC, TEMPLATES, defaults

globals().update(defaults(HANT, "1"))
extensions = ["myst_parser", "tekan_shim"]
language = HANT.sphinx_language
templates_path = [str(TEMPLATES)]
html_static_path = [str(STATIC)]
html_css_files = ["tekan.css"]
nitpicky = False
suppress_warnings = ["ref.term"]  # the no-op glossary defines no terms
"""


def _plain_command(conf: Path, pages: Path, out: Path, doctrees: Path) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(conf), "-d", str(doctrees), "-q", "-j", "1",
            str(pages), str(out)]  # fmt: skip


def bench_overhead(sizes: Sequence[int], work: Path, repeats: int) -> list[dict[str, Any]]:
    """Full builds of the same pages with tekan and with plain Sphinx, alternating; medians."""
    conf = work / "plain-conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "tekan_shim.py").write_text(SHIM, encoding="utf-8")
    (conf / "conf.py").write_text(PLAIN_CONF, encoding="utf-8")
    rows = []
    for count in sizes:
        seed = SEED if count == 16 else make_seed(count, work / "seeds")
        pages = work / f"overhead-{count}" / "pages"  # written by the first tekan build, read by plain Sphinx
        times: dict[str, list[float]] = {"tekan": [], "plain": []}
        peaks: dict[str, float] = {"tekan": 0.0, "plain": 0.0}
        notes = []
        for attempt in range(repeats):
            for variant in ("tekan", "plain"):
                base = work / f"overhead-{count}" / f"{variant}-{attempt}"
                log = work / "logs" / f"overhead-{count}-{variant}-{attempt}.log"
                if variant == "tekan":
                    run = sphinx_build("html", seed, pages, base / "html", base / "doctrees", "1", log)
                else:
                    command = _plain_command(conf, pages, base / "html", base / "doctrees")
                    run = run_process(command, log)
                    if "Unknown directive" in log.read_text(encoding="utf-8", errors="replace"):
                        run = Run(run.seconds, run.peak_mb, False, f"a tekan directive the shim lacks, see {log}")
                shutil.rmtree(base, ignore_errors=True)
                if not run.ok:
                    notes.append(f"{variant}: {run.note}")
                times[variant].append(run.seconds)
                peaks[variant] = max(peaks[variant], run.peak_mb)
        tekan, plain = statistics.median(times["tekan"]), statistics.median(times["plain"])
        row: dict[str, Any] = {"statements": count, "tekan_s": tekan, "plain_s": plain, "overhead": tekan / plain - 1}
        row |= {"tekan_peak_mb": peaks["tekan"], "plain_peak_mb": peaks["plain"], "runs": repeats}
        rows.append({**row, "ok": not notes, "note": "; ".join(notes)})
    return rows


def _largest_page(site: Path) -> tuple[str, float]:
    """The largest HTML page of a site (name, KB): what grows when a page lists the whole book."""
    pages = [(p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*.html")]
    size, name = max(pages, default=(0, ""))
    return name, size / 1024


def _edit_first_statement(seed: Path) -> None:
    """Append a word to the first body paragraph of the seed's first statement (an editor's one-paragraph edit)."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[1] += "質量"
    seed.write_text("\n".join(lines), encoding="utf-8")


def bench_single_feature(sizes: Sequence[int], work: Path) -> list[dict[str, Any]]:
    """HTML of one feature of ``sizes`` statements (no collection): the statement pages' bytes, the largest page,
    CPU and memory; at the largest size also one statement edited and built again (the edit loop in one feature)."""
    rows: list[dict[str, Any]] = []
    for count in sizes:
        seed = SEED if count == 16 else make_seed(count, work / f"single-{count}")
        out = work / f"single-{count}-out"
        args = ["html", "--script", "hant", "--seed", str(seed)]
        run = tekan_build(args, out, work / "logs" / f"single-{count}.log", cap=3_600)
        site = out / "html" / "zh-hant"
        pages = _statement_pages(site)
        kb = statistics.fmean(p.stat().st_size for p in pages) / 1024 if pages else 0.0
        largest, largest_kb = _largest_page(site)
        row: dict[str, Any] = {"statements": count, "page_kb": kb, "largest_site_page": largest}
        row |= {"largest_page_kb": max((p.stat().st_size for p in pages), default=0) / 1024}
        row |= {"largest_site_kb": largest_kb}
        row |= _run_row(run)
        if count == sizes[-1] and run.ok:
            if seed == SEED:  # never edit the repository's seed: a copy of the real book, built first
                seed = make_seed(count, work / f"single-{count}")
                shutil.rmtree(out, ignore_errors=True)
                args = ["html", "--script", "hant", "--seed", str(seed)]
                tekan_build(args, out, work / "logs" / f"single-{count}-copy.log", cap=3_600)
            built = out / ".work" / "zh-hant" / "html"
            before = _html_times(built)
            _edit_first_statement(seed)
            edited = tekan_build(args, out, work / "logs" / f"single-{count}-edit.log", cap=3_600)
            row |= {"edit_cpu_s": edited.cpu, "edit_wall_s": edited.seconds, "edit_ok": edited.ok,
                    "edit_rewritten": _rewritten(before, _html_times(built))}  # fmt: skip
            if not edited.ok:
                row |= {"ok": False, "note": f"edit: {edited.note}"}
        rows.append(row)
        shutil.rmtree(out, ignore_errors=True)
    return rows


def bench_peer(count: int, work: Path, repeats: int) -> list[dict[str, Any]]:
    """CPU time of tekan against plain Sphinx with alabaster on the same pages of a ``count``-statement collection
    (the pages tekan generated), alternating in the same run; medians."""
    conf = work / "peer-conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "tekan_shim.py").write_text(SHIM, encoding="utf-8")
    (conf / "conf.py").write_text(PLAIN_CONF + 'html_theme = "alabaster"\nhtml_css_files = []\n', encoding="utf-8")
    collection = make_collection(count, work / f"collection-{count}")
    pages = work / f"peer-{count}" / "pages"
    cpu: dict[str, list[float]] = {"tekan": [], "plain": []}
    peaks: dict[str, float] = {"tekan": 0.0, "plain": 0.0}
    notes: list[str] = []
    for attempt in range(repeats):
        for variant in ("tekan", "plain"):
            base = work / f"peer-{count}" / f"{variant}-{attempt}"
            log = work / "logs" / f"peer-{count}-{variant}-{attempt}.log"
            if variant == "tekan":
                run = sphinx_build("html", collection, pages, base / "html", base / "doctrees", "1", log, cap=3_600)
            else:
                run = run_process(_plain_command(conf, pages, base / "html", base / "doctrees"), log, cap=3_600)
            shutil.rmtree(base, ignore_errors=True)
            if not run.ok:
                notes.append(f"{variant}: {run.note}")
            cpu[variant].append(run.cpu)
            peaks[variant] = max(peaks[variant], run.peak_mb)
    tekan, plain = statistics.median(cpu["tekan"]), statistics.median(cpu["plain"])
    row = {"statements": count, "tekan_cpu_s": tekan, "plain_cpu_s": plain, "ratio": tekan / plain if plain else 0.0}
    return [{**row, "tekan_peak_mb": peaks["tekan"], "plain_peak_mb": peaks["plain"], "runs": repeats,
             "ok": not notes, "note": "; ".join(notes)}]  # fmt: skip


def bench_incremental(sizes: Sequence[int], work: Path) -> list[dict[str, Any]]:
    """A full build, a rebuild with nothing changed, and a rebuild after editing one statement's text."""
    rows = []
    for count in sizes:
        folder = work / f"incremental-{count}"
        seed = make_seed(count, folder / "seed")  # at 16 statements: the real book
        src, out, doctrees = folder / "src", folder / "html", folder / "doctrees"
        logs = work / "logs"
        full = sphinx_build("html", seed, src, out, doctrees, "1", logs / f"incremental-{count}-full.log")
        nothing = sphinx_build("html", seed, src, out, doctrees, "1", logs / f"incremental-{count}-unchanged.log")
        lines = seed.read_text(encoding="utf-8").split("\n")
        lines[1] += "質量"  # the first body paragraph of the first statement
        seed.write_text("\n".join(lines), encoding="utf-8")
        edited = sphinx_build("html", seed, src, out, doctrees, "1", logs / f"incremental-{count}-edit.log")
        runs = (full, nothing, edited)
        row: dict[str, Any] = {"statements": count, "full_s": full.seconds, "unchanged_s": nothing.seconds}
        row |= {"one_edit_s": edited.seconds, "ratio": edited.seconds / full.seconds}
        row |= {"full_peak_mb": full.peak_mb, "edit_peak_mb": edited.peak_mb}
        rows.append({**row, "ok": all(r.ok for r in runs), "note": "; ".join(r.note for r in runs if r.note)})
        shutil.rmtree(folder, ignore_errors=True)
    return rows


# --- the targets of linear growth (issue 11): collections, both scripts, CPU time ------------------


def tekan_build(
    args: Sequence[str], out: Path, log: Path, cap: float = BUILD_CAP_SECONDS, glossary: Path = GLOSSARY
) -> Run:
    """``tekan build ARGS --out OUT``, as an editor runs it (Sphinx, then publishing into ``OUT/html``)."""
    command = [sys.executable, "-m", "tekan", "--glossary", str(glossary), "build", *args, "--out", str(out)]
    return run_process(command, log, cap=cap)


def _statement_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*/statements/*.html")) or sorted(site.glob("statements/*.html"))


def _exponent(points: Sequence[tuple[float, float]]) -> float:
    """The least-squares slope of log(cost) against log(size): 1 is linear, 2 quadratic."""
    import math

    xs = [math.log(x) for x, _ in points]
    ys = [math.log(max(y, 1e-9)) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def bench_scaling(sizes: Sequence[int], work: Path, epub_pdf: bool) -> dict[str, Any]:
    """HTML of collections of 16-statement features (1 feature … 100), then both scripts, EPUB and PDF of
    the largest; CPU time beside wall time (the machine is shared)."""
    rows: list[dict[str, Any]] = []
    for count in sizes:
        collection = make_collection(count, work / f"collection-{count}")
        out = work / f"scaling-{count}"
        run = tekan_build(["html", "--script", "hant", "--seed", str(collection)], out, work / "logs" / f"s{count}.log")
        pages = _statement_pages(out / "html" / "zh-hant")
        row: dict[str, Any] = {"statements": count, "features": max(1, count // 16), "wall_s": run.seconds}
        row |= {"cpu_s": run.cpu, "peak_mb": run.peak_mb, "pages": len(pages)}
        row |= {"page_kb": statistics.fmean(p.stat().st_size for p in pages) / 1024 if pages else 0.0}
        row |= {"cpu_per_statement_ms": 1000 * run.cpu / count, "ok": run.ok, "note": run.note}
        rows.append(row)
        if count != sizes[-1]:
            shutil.rmtree(out, ignore_errors=True)
    result: dict[str, Any] = {"html": rows}
    done = [(r["statements"], r["cpu_s"]) for r in rows if r["ok"]]
    result["exponent"] = _exponent(done) if len(done) >= 2 else float("nan")
    largest = sizes[-1]
    collection = work / f"collection-{largest}" / f"collection-{largest}.toml"
    out = work / f"scaling-{largest}"
    extra: list[dict[str, Any]] = []
    if epub_pdf:
        hans = tekan_build(["html", "--script", "hans", "--seed", str(collection)], out, work / "logs" / "s-hans.log")
        extra.append({"build": f"HTML {largest:,}, Simplified", **_run_row(hans)})
        hant = rows[-1]
        both = {"wall_s": hant["wall_s"] + hans.seconds, "cpu_s": hant["cpu_s"] + hans.cpu}
        extra.append({"build": f"HTML {largest:,}, both scripts", **both, "peak_mb": max(hant["peak_mb"], hans.peak_mb),
                      "ok": hant["ok"] and hans.ok, "note": ""})  # fmt: skip
        # Sphinx's -j: the wall time a reader of the targets waits for (peak MB: the largest single process).
        args = ["html", "--script", "hant", "-j", "auto", "--seed", str(collection)]
        parallel = tekan_build(args, work / f"scaling-{largest}-j", work / "logs" / "s-jauto.log")
        shutil.rmtree(work / f"scaling-{largest}-j", ignore_errors=True)
        extra.append({"build": f"HTML {largest:,}, Traditional, -j auto", **_run_row(parallel)})
        for fmt, cap in (("epub", 900.0), ("pdf", 900.0)):
            run = tekan_build(
                [fmt, "--script", "hant", "--seed", str(collection)], out, work / "logs" / f"s-{fmt}.log", cap
            )
            extra.append({"build": f"{fmt.upper()} {largest:,}, Traditional", **_run_row(run)})
    result["formats"] = extra
    shutil.rmtree(out, ignore_errors=True)
    return result


def _run_row(run: Run) -> dict[str, Any]:
    return {"wall_s": run.seconds, "cpu_s": run.cpu, "peak_mb": run.peak_mb, "ok": run.ok, "note": run.note}


def _html_times(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def bench_edit_loop(count: int, work: Path, real: bool = True) -> list[dict[str, Any]]:
    """What an editor waits for: the real book in both scripts (full, nothing changed), and a collection of
    ``count`` statements after editing one statement or one glossary definition (pages rewritten)."""
    rows: list[dict[str, Any]] = []
    for label in ("real book, both scripts: full", "real book, both scripts: nothing changed") if real else ():
        run = tekan_build(["html", "--script", "all"], work / "edit-real", work / "logs" / "edit-real.log")
        rows.append({"build": label, **_run_row(run), "rewritten": ""})
    shutil.rmtree(work / "edit-real", ignore_errors=True)
    folder = work / f"edit-{count}"
    collection = make_collection(count, folder / "seeds")
    glossary = folder / "terms.toml"
    shutil.copy(GLOSSARY, glossary)
    out = folder / "out"
    built = out / ".work" / "zh-hant" / "html"
    args = ["html", "--script", "hant", "--seed", str(collection)]
    logs = work / "logs"
    full = tekan_build(args, out, logs / "edit-full.log", glossary=glossary)
    rows.append({"build": f"{count:,} statements: full", **_run_row(full), "rewritten": ""})
    before = _html_times(built)
    nothing = tekan_build(args, out, logs / "edit-nothing.log", glossary=glossary)
    after = _html_times(built)
    rows.append({"build": f"{count:,} statements: nothing changed", **_run_row(nothing),
                 "rewritten": _rewritten(before, after)})  # fmt: skip
    seed = folder / "seeds" / "issue-001.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[1] += "質量"  # the first body paragraph of the first statement of the first feature
    seed.write_text("\n".join(lines), encoding="utf-8")
    before = after
    edited = tekan_build(args, out, logs / "edit-statement.log", glossary=glossary)
    after = _html_times(built)
    row = {"build": f"{count:,} statements: one statement edited", **_run_row(edited)}
    rows.append({**row, "rewritten": _rewritten(before, after), "of_full": edited.cpu / full.cpu if full.cpu else 0})
    # One glossary definition: only the pages that link to the term, and the glossary, should be rewritten.
    term = "chokepoint-technology"
    text = glossary.read_text(encoding="utf-8")
    at = text.index(f'id = "{term}"')
    at = text.index("definition_en = ", at)
    glossary.write_text(text[:at] + 'definition_en = "Edited. ' + text[at + len('definition_en = "') :], "utf-8")
    # The pages that link to the term: those whose HTML has a link to its glossary entry.
    link = f'glossary.html#term-{term}"'
    linking = {name for name in after if link in (built / name).read_text(encoding="utf-8")}
    before = after
    definition = tekan_build(args, out, logs / "edit-definition.log", glossary=glossary)
    after = _html_times(built)
    changed = {name for name, stamp in after.items() if before.get(name) != stamp}
    extra = sorted(changed - linking - {"glossary.html"} - SPHINX_EVERY_BUILD)
    always = sorted(changed & SPHINX_EVERY_BUILD)
    row = {"build": f"{count:,} statements: one definition edited ({len(linking)} pages link to the term)"}
    row |= _run_row(definition) | {"of_full": definition.cpu / full.cpu if full.cpu else 0}
    rewritten = f"{len(changed)}: {len(changed & linking)} linking the term, the glossary, {', '.join(always)}"
    rows.append({**row, "rewritten": f"{rewritten}; beyond those: {len(extra)} {extra[:4]}"})
    shutil.rmtree(folder, ignore_errors=True)
    return rows


#: Pages Sphinx's HTML builder writes at the end of every build that runs, whatever changed (the general index,
#: the search page, the 404 page of sphinx-notfound-page).
SPHINX_EVERY_BUILD = frozenset({"genindex.html", "search.html", "404.html"})


def _rewritten(before: dict[str, int], after: dict[str, int]) -> str:
    changed = sorted(name for name, stamp in after.items() if before.get(name) != stamp)
    return f"{len(changed)} {changed[:4]}" if changed else "0"


# --- report ----------------------------------------------------------------------------------------


#: The queries of the search measurement: a word in a quarter of the statements, its pinyin, a phrase, English.
SEARCH_QUERIES = ("計量", "jiliang", "高質量發展", "metrology")


def measure_search(
    site: Path, edition: str = "zh-hant", queries: Sequence[str] = SEARCH_QUERIES, browser: Any = None
) -> list[dict[str, Any]]:
    """Every byte the search page loads for each query in headless Chromium (the page, its scripts and styles, the
    index files, the result pages or excerpt files), the site served locally without compression; a fresh
    browser context (empty cache) per query. The first page of results only, as a reader sees it. ``browser``: a
    Playwright browser already launched (the tests'), else one is launched here."""
    import contextlib
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows: list[dict[str, Any]] = []
    try:
        with contextlib.ExitStack() as stack:
            if browser is None:
                playwright = stack.enter_context(sync_playwright())
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                stack.callback(browser.close)
            for query in queries:
                context = browser.new_context()
                tab = context.new_page()
                loaded: list[tuple[str, int]] = []

                def done(response: Any, loaded: list[tuple[str, int]] = loaded) -> None:
                    try:
                        loaded.append((response.url, len(response.body())))
                    except Exception:  # a redirect or aborted request has no body
                        loaded.append((response.url, 0))

                tab.on("response", done)
                started = time.perf_counter()
                tab.goto(f"http://127.0.0.1:{server.server_address[1]}/{edition}/search.html?q={query}")
                tab.wait_for_function(
                    "() => { const s = document.querySelector('#search-results .search-summary');"
                    " const r = document.getElementById('search-results');"
                    " return s && s.textContent.trim().length && !r.classList.contains('loading'); }",
                    timeout=300_000,
                )
                tab.wait_for_load_state("networkidle")
                seconds = time.perf_counter() - started
                found = tab.inner_text("#search-results .search-summary")
                shown = tab.locator("#search-results ul.search li").count()
                index = sum(n for url, n in loaded if "searchindex.js" in url or "/_search/" in url)
                rows.append({"query": query, "bytes": sum(n for _, n in loaded), "requests": len(loaded),
                             "index_bytes": index, "shown": shown, "summary": found, "seconds": seconds})  # fmt: skip
                context.close()
    finally:
        server.shutdown()
    return rows


def bench_search(sizes: Sequence[int], work: Path, sites: Sequence[Path] = ()) -> list[dict[str, Any]]:
    """What the search page loads per query: the real book (16 statements), then collections of ``sizes``
    statements built here (Traditional HTML), or the prebuilt ``sites`` (``html/`` folders of tekan builds)."""
    rows: list[dict[str, Any]] = []
    targets: list[tuple[str, Path]] = [(str(site), site) for site in sites]
    if not sites:
        for count in sizes:
            out = work / f"search-{count}"
            if count == 16:
                run = tekan_build(["html", "--script", "hant"], out, work / "logs" / "search-16.log")
            else:
                collection = make_collection(count, work / f"collection-{count}")
                args = ["html", "--script", "hant", "--seed", str(collection)]
                run = tekan_build(args, out, work / "logs" / f"search-{count}.log", cap=3_600)
            if not run.ok:
                rows.append({"site": f"{count:,} statements", "query": "", "bytes": 0, "requests": 0,
                             "index_bytes": 0, "shown": 0, "summary": run.note, "seconds": 0.0})  # fmt: skip
                continue
            targets.append((f"{count:,} statements", out / "html"))
    for label, site in targets:
        pages = len(_statement_pages(site / "zh-hant"))
        for row in measure_search(site):
            rows.append({"site": label, "statements": pages, **row})
    return rows


#: Why the ten-year collection is not built by default: its build alone takes longer than the rest of the run.
TEN_YEARS_NOT_RUN = (
    "not measured: `--ten-years` builds it (16,000 statements at the 1,600-statement pace is 10–20 min of "
    "CPU, several times that in wall time on a shared 2-core machine)"
)


def bench_ten_years(count: int, work: Path) -> list[dict[str, Any]]:
    """Ten years of features in one site: HTML of one edition of a ``count``-statement collection (wall, CPU, peak),
    its statement pages' bytes and largest page, and what its search page loads per query."""
    if not count:
        return []
    collection = make_collection(count, work / f"collection-{count}")
    out = work / f"ten-years-{count}"
    args = ["html", "--script", "hant", "--seed", str(collection)]
    run = tekan_build(args, out, work / "logs" / f"ten-years-{count}.log", cap=7_200)
    site = out / "html" / "zh-hant"
    pages = _statement_pages(site)
    largest, largest_kb = _largest_page(site)
    row: dict[str, Any] = {"statements": count, "pages": len(pages), "largest_site_page": largest,
                           "largest_site_kb": largest_kb, **_run_row(run)}  # fmt: skip
    row["page_kb"] = statistics.fmean(p.stat().st_size for p in pages) / 1024 if pages else 0.0
    row["search"] = measure_search(out / "html") if run.ok else []
    shutil.rmtree(out, ignore_errors=True)
    return [row]


def machine() -> dict[str, Any]:
    """nproc, CPU model, memory and versions."""
    import sphinx

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    names = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").is_file() else ""
    total = re.search(r"MemTotal:\s+(\d+)", meminfo)
    return {
        "nproc": os.cpu_count(),
        "cpu": names[0] if names else platform.processor(),
        "memory": f"{int(total[1]) / 1024 / 1024:.1f} GiB" if total else "",
        "python": platform.python_version(),
        "sphinx": sphinx.__version__,
        "system": platform.platform(),
        "commit": _commit(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _commit() -> str:
    result = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return result.stdout.strip()


#: A column: header and how to get its value from a row.
Column = tuple[str, Callable[[dict[str, Any]], Any]]


def table(title: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table ("" without rows: a part not run)."""
    if not rows:
        return ""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    lines = [f"### {title}", "", "| " + " | ".join(h for h, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(get(row)) for _, get in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _status(row: dict[str, Any]) -> str:
    return str(row["note"]) or ("ok" if row["ok"] else "failed")


def report(results: dict[str, Any]) -> str:
    """The results as Markdown tables."""
    m = results["machine"]
    parts = [
        f"Machine: `nproc` {m['nproc']}, {m['cpu']}, {m['memory']} RAM; Python {m['python']}, Sphinx {m['sphinx']}; "
        f"commit {m['commit']}. Benchmark run: {results['mode']}, {results['seconds']:.0f} s.\n"
    ]
    key: Callable[[str], Callable[[dict[str, Any]], Any]] = lambda name: lambda row: row[name]  # noqa: E731
    mb: Callable[[dict[str, Any]], Any] = lambda row: row["bytes"] / 1e6  # noqa: E731
    convert = [r for r in results["convert"] if "error" not in r]
    parts.append(table(
        "Conversion (parse + metadata + normalise + link + render MyST), one process per seed",
        [("statements", key("statements")), ("MB", mb), ("parse + metadata s", key("parse_s")),
         ("normalise s", key("normalise_s")), ("linker s", key("linker_s")), ("link + render s", key("render_s")),
         ("convert s", key("convert_s")), ("convert CPU s", lambda r: r.get("convert_cpu_s", "")),
         ("statements/s", key("statements_per_s")), ("MB/s", key("mb_per_s")),
         ("write pages s", key("write_s")), ("peak MB", key("peak_mb")),
         ("`tekan convert` CPU s, first", lambda r: r.get("cli_cpu_s", "")),
         ("again", lambda r: r.get("cli_warm_cpu_s", ""))],
        convert,
    ))  # fmt: skip
    parts.append(table(
        "Linker pattern compile time by glossary size",
        [("glossary", key("kind")), ("forms", key("terms")), ("compile s", key("compile_s"))],
        results["linking"]["compile"],
    ))  # fmt: skip
    parts.append(table(
        "Linking time by text length and glossary (best of runs)",
        [("glossary", key("glossary")), ("statements", key("statements")), ("MB", mb), ("link s", key("link_s")),
         ("MB/s", key("mb_per_s")), ("links", key("links"))],
        results["linking"]["link"],
    ))  # fmt: skip
    parts.append(table(
        "Full HTML builds (tekan build html, Traditional)",
        [("statements", key("statements")), ("-j", key("jobs")), ("wall s", key("seconds")),
         ("peak MB", key("peak_mb")), ("note", _status)],
        results["html"],
    ))  # fmt: skip
    parts.append(table(
        "The real book (16 statements), each format, full build, -j 1",
        [("format", key("format")), ("wall s", key("seconds")), ("peak MB", key("peak_mb")), ("note", _status)],
        results["formats"],
    ))  # fmt: skip
    parts.append(table(
        "Extension overhead: the same pages, tekan vs plain Sphinx (HTML, -j 1, median)",
        [("statements", key("statements")), ("tekan s", key("tekan_s")), ("plain s", key("plain_s")),
         ("overhead", lambda r: f"{r['overhead']:+.0%}"), ("tekan peak MB", key("tekan_peak_mb")),
         ("plain peak MB", key("plain_peak_mb")), ("runs", key("runs"))],
        results["overhead"],
    ))  # fmt: skip
    parts.append(table(
        "Incremental HTML rebuild after editing one statement (-j 1)",
        [("statements", key("statements")), ("full s", key("full_s")), ("unchanged s", key("unchanged_s")),
         ("one edit s", key("one_edit_s")), ("edit / full", lambda r: f"{r['ratio']:.0%}"),
         ("full peak MB", key("full_peak_mb")), ("edit peak MB", key("edit_peak_mb"))],
        results["incremental"],
    ))  # fmt: skip
    if results.get("scaling"):
        scaling = results["scaling"]
        parts.append(table(
            "Growth: HTML of collections of 16-statement features (tekan build html, Traditional, -j 1)",
            [("statements", key("statements")), ("features", key("features")), ("wall s", key("wall_s")),
             ("CPU s", key("cpu_s")), ("CPU ms per statement", key("cpu_per_statement_ms")),
             ("peak MB", key("peak_mb")), ("KB per statement page", key("page_kb")), ("note", _status)],
            scaling["html"],
        ))  # fmt: skip
        parts.append(f"Fitted exponent of CPU time over statements: {scaling['exponent']:.2f}\n")
        parts.append(table(
            "The largest collection in both scripts and the other formats",
            [("build", key("build")), ("wall s", key("wall_s")), ("CPU s", key("cpu_s")),
             ("peak MB", key("peak_mb")), ("note", _status)],
            scaling["formats"],
        ))  # fmt: skip
    if results.get("edit_loop"):
        parts.append(table(
            "The edit loop (tekan build html; pages rewritten = HTML files whose mtime changed)",
            [("build", key("build")), ("wall s", key("wall_s")), ("CPU s", key("cpu_s")),
             ("CPU / full", lambda r: f"{r['of_full']:.0%}" if "of_full" in r else ""),
             ("pages rewritten", key("rewritten")), ("note", _status)],
            results["edit_loop"],
        ))  # fmt: skip
    if results.get("search"):
        parts.append(table(
            "Search in Chromium: everything the search page loads for a query (first page of results, no cache)",
            [("site", key("site")), ("statements", key("statements")), ("query", key("query")),
             ("bytes", key("bytes")), ("index bytes", key("index_bytes")), ("requests", key("requests")),
             ("results shown", key("shown")), ("s", key("seconds"))],
            results["search"],
        ))  # fmt: skip
    if results.get("peer"):
        parts.append(table(
            "tekan against plain Sphinx with alabaster on the same pages of a collection (CPU, median)",
            [("statements", key("statements")), ("tekan CPU s", key("tekan_cpu_s")),
             ("plain CPU s", key("plain_cpu_s")), ("ratio", lambda r: f"{r['ratio']:.2f}"),
             ("tekan peak MB", key("tekan_peak_mb")), ("note", _status)],
            results["peer"],
        ))  # fmt: skip
    if results.get("single_feature"):
        parts.append(table(
            "One feature (no collection): statement pages' bytes as it grows (tekan build html, Traditional)",
            [("statements", key("statements")), ("KB per statement page", key("page_kb")),
             ("largest statement KB", key("largest_page_kb")),
             ("largest page", lambda r: f"{r.get('largest_site_page', '')} {r.get('largest_site_kb', 0):,.0f} KB"),
             ("wall s", key("wall_s")), ("CPU s", key("cpu_s")), ("peak MB", key("peak_mb")),
             ("one edit CPU s", lambda r: r.get("edit_cpu_s", "")),
             ("pages rewritten by the edit", lambda r: r.get("edit_rewritten", "")), ("note", _status)],
            results["single_feature"],
        ))  # fmt: skip
    if results.get("pdf"):
        parts.append(table(
            "The PDF (Typst) against the HTML of the same edition, and `make book` (tekan build, from nothing)",
            [("build", key("build")), ("PDF wall s", key("wall_s")), ("PDF CPU s", key("cpu_s")),
             ("HTML wall s", lambda r: r.get("html_wall_s", "")), ("HTML CPU s", lambda r: r.get("html_cpu_s", "")),
             ("PDF / HTML (CPU)", lambda r: f"{r['pdf_over_html']:.2f}" if "pdf_over_html" in r else ""),
             ("PDF after HTML wall s", lambda r: r.get("after_html_wall_s", "")),
             ("PDF after HTML CPU s", lambda r: r.get("after_html_cpu_s", "")),
             ("peak MB", key("peak_mb")), ("note", _status)],
            results["pdf"],
        ))  # fmt: skip
    if results.get("pdf_collection"):
        parts.append(table(
            "The PDF of a collection (tekan build, Traditional): from nothing, and after its HTML in the same folder",
            [("build", key("build")), ("wall s", key("wall_s")), ("CPU s", key("cpu_s")), ("peak MB", key("peak_mb")),
             ("note", _status)],
            results["pdf_collection"],
        ))  # fmt: skip
    parts.append(targets(results))
    parts.append(archive_targets(results))
    parts.append(pdf_targets(results))
    return "\n".join(parts)


def pdf_targets(results: dict[str, Any]) -> str:
    """The targets of issue 19 (the Typst PDF) with what was measured."""
    rows = results.get("pdf") or []
    scaling = (results.get("scaling") or {}).get("formats", [])
    collection = [r for r in results.get("pdf_collection") or [] if r["build"].startswith("PDF")]
    if not rows and not scaling and not collection:
        return ""
    lines = ["### Targets of the PDF", "", "| target | measured | met |", "|---|---|---|"]
    for row in rows:
        if "pdf_over_html" in row:
            measured = f"PDF {row['cpu_s']:.1f} s CPU, HTML {row['html_cpu_s']:.1f} s CPU ({row['pdf_over_html']:.2f}×)"
            met = row["ok"] and row["pdf_over_html"] <= 1.0
            lines.append(
                f"| {row['build'].split(':')[0]}: PDF no slower than HTML | {measured} | {'yes' if met else '**no**'} |"
            )
            if "after_html_cpu_s" in row:
                after = row["after_html_cpu_s"]
                measured = f"PDF after HTML {after:.1f} s CPU, HTML {row['html_cpu_s']:.1f} s CPU"
                met = row["ok"] and after <= row["html_cpu_s"]
                target = f"{row['build'].split(':')[0]}: PDF after HTML no slower than HTML"
                lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")
        else:
            measured = f"{row['wall_s']:.1f} s wall ({row['cpu_s']:.1f} s CPU)"
            met = row["ok"] and row["wall_s"] < 20
            lines.append(f"| make book, nine outputs < 20 s | {measured} | {'yes' if met else '**no**'} |")
    for pdf in collection or [r for r in scaling if r["build"].startswith("PDF")][:1]:
        measured = f"{pdf['wall_s']:.1f} s wall ({pdf['cpu_s']:.1f} s CPU)"
        met = pdf["ok"] and pdf["wall_s"] < 30
        what = pdf["build"].split(", ")[0] + (", after its HTML" if "after" in pdf["build"] else "")
        lines.append(f"| {what} < 30 s | {measured} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


def targets(results: dict[str, Any]) -> str:
    """Each target of issue 11 with what was measured (CPU time: the machine is shared)."""
    if not results.get("scaling") or not results.get("edit_loop"):
        return ""
    scaling, edits = results["scaling"], results["edit_loop"]
    largest = scaling["html"][-1]
    formats = {r["build"].split(" ")[0]: r for r in scaling["formats"]}  # HTML, EPUB, PDF
    both = next((r for r in scaling["formats"] if "both" in r["build"]), None)
    pages = [r["page_kb"] for r in scaling["html"] if r["ok"]]
    peak = max(r["peak_mb"] for r in scaling["html"])
    by = {r["build"].split(": ", 1)[-1].split(" (")[0]: r for r in edits}
    lines = ["### Targets", "", "| target | measured | met |", "|---|---|---|"]

    def add(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    n = f"{largest['statements']:,}"
    add(f"HTML of {n} statements < 60 s", f"{largest['cpu_s']:.0f} s CPU ({largest['wall_s']:.0f} s wall)",
        largest["ok"] and largest["cpu_s"] < 60)  # fmt: skip
    parallel = next((r for r in scaling["formats"] if "-j auto" in r["build"]), None)
    if parallel:
        measured = f"{parallel['wall_s']:.0f} s wall ({parallel['cpu_s']:.0f} s CPU)"
        add(f"HTML of {n} statements < 60 s, -j auto (wall time)", measured, parallel["ok"] and parallel["wall_s"] < 60)
    if both:
        add("both scripts < 2 min", f"{both['cpu_s']:.0f} s CPU ({both['wall_s']:.0f} s wall)", both["cpu_s"] < 120)
    add("per-page cost exponent ≤ 1.1", f"{scaling['exponent']:.2f}", scaling["exponent"] <= 1.1)
    add("bytes per statement page flat", " → ".join(f"{kb:.0f} KB" for kb in pages), max(pages) <= 1.1 * min(pages))
    add("peak memory < 1 GB", f"{peak:.0f} MB", peak < 1024)
    edit = by.get("one statement edited")
    if edit:
        add("one statement edited < 20 % of full", f"{edit['of_full']:.0%} (CPU)", edit["of_full"] < 0.2)
    definition = next((r for r in edits if "definition" in r["build"]), None)
    if definition:
        add("one definition edited: only its pages + glossary rewritten", definition["rewritten"],
            "beyond those: 0" in definition["rewritten"])  # fmt: skip
    full, nothing = edits[0], edits[1]
    if "real book" in full["build"]:
        measured = f"{full['cpu_s']:.1f} s CPU ({full['wall_s']:.1f} s wall)"
        add("real book, both scripts, HTML < 4 s", measured, full["cpu_s"] < 4)
    add("no-change rebuild < 1 s", f"{nothing['cpu_s']:.1f} s CPU ({nothing['wall_s']:.1f} s wall)",
        nothing["cpu_s"] < 1)  # fmt: skip
    for fmt, limit in (("EPUB", 0.0), ("PDF", 600.0)):
        row = formats.get(fmt)
        if row:
            target = f"{fmt} of {n} statements " + (f"< {limit / 60:.0f} min" if limit else "completes")
            measured = f"{row['wall_s']:.0f} s wall ({row['cpu_s']:.0f} s CPU) {row['note']}".strip()
            add(target, measured, row["ok"] and (not limit or row["wall_s"] < limit))
    return "\n".join(lines) + "\n"


def archive_targets(results: dict[str, Any]) -> str:
    """Every target of issue 24 with what this run measured, and for a target it did not measure, why not."""
    lines = ["### Targets of issue 24 (a newspaper's archive in one site)", "", "| target | measured | met |",
             "|---|---|---|"]  # fmt: skip
    ran = set(results.get("parts") or ())

    def why(*parts: str) -> str:
        missing = [part for part in parts if part not in ran]
        return f"not measured: part {', '.join(missing)} not run (`--only`)" if missing else "not measured in this run"

    def add(target: str, measured: Any, met: Any, not_measured: str) -> None:
        verdict = "–" if not measured else ("yes" if met else "**no**")
        lines.append(f"| {target} | {measured or not_measured} | {verdict} |")

    scaling = results.get("scaling") or {}
    html = {r["statements"]: r for r in scaling.get("html", [])}
    peer = next(iter(results.get("peer") or []), None)
    row = html.get(1_600)
    if row:
        measured = f"{row['cpu_s']:.0f} s CPU (`tekan build`; {row['wall_s']:.0f} s wall, {row['peak_mb']:.0f} MB)"
        add("1,600-statement collection, HTML, one edition: < 60 s CPU", measured, row["ok"] and row["cpu_s"] < 60, "")
    else:  # the peer comparison's own tekan build of the same collection (Sphinx alone, no publishing)
        add("1,600-statement collection, HTML, one edition: < 60 s CPU",
            peer and peer["statements"] == 1_600 and f"{peer['tekan_cpu_s']:.0f} s CPU (the Sphinx build of part peer)",
            peer and peer["ok"] and peer["tekan_cpu_s"] < 60, why("scaling", "peer"))  # fmt: skip
    add("… ≤ 0.75× plain Sphinx + alabaster on the same pages, same run",
        peer and f"{peer['ratio']:.2f}× ({peer['tekan_cpu_s']:.0f} s / {peer['plain_cpu_s']:.0f} s CPU, "
        f"{peer['statements']:,} statements, median of {peer['runs']})",
        peer and peer["ok"] and peer["ratio"] <= 0.75, why("peer"))  # fmt: skip
    both = next((r for r in scaling.get("formats", []) if "both" in r["build"]), None)
    add("both Chinese editions < 90 s wall on 2 cores", both and f"{both['wall_s']:.0f} s wall (one after the other)",
        both and both["wall_s"] < 90, "not measured: `--no-large-formats`" if scaling else why("scaling"))  # fmt: skip
    ten = next(iter(results.get("ten_years") or []), None)
    add("16,000 statements, HTML of one edition: < 15 min, < 2 GB",
        ten and f"{ten['wall_s'] / 60:.1f} min wall ({ten['cpu_s'] / 60:.1f} min CPU), {ten['peak_mb']:.0f} MB "
        f"{ten['note']}".strip(), ten and ten["ok"] and ten["wall_s"] < 900 and ten["peak_mb"] < 2048,
        TEN_YEARS_NOT_RUN)  # fmt: skip
    by_site: dict[int, int] = {}
    for r in [*(results.get("search") or []), *(ten["search"] if ten else [])]:
        n = r.get("statements") or (ten and ten["statements"])
        if n:
            by_site[n] = max(by_site.get(n, 0), r["bytes"])
    smallest = min(by_site, default=0)
    for size in (1_600, 16_000):
        measured = (
            size in by_site
            and smallest < size
            and f"{smallest:,}: {by_site[smallest] / 1000:.0f} kB, "
            f"{size:,}: {by_site[size] / 1000:.0f} kB (largest query of each site)"
        )
        add(f"a search query fetches no more bytes at {size:,} statements than at 16", measured,
            measured and by_site[size] <= by_site[smallest],
            TEN_YEARS_NOT_RUN if size == 16_000 else why("search"))  # fmt: skip
    pages = [r["page_kb"] for r in scaling.get("html", []) if r["ok"]]
    add("statement page bytes flat from 16 to 1,600, collection", pages and " → ".join(f"{kb:.0f} KB" for kb in pages),
        pages and max(pages) <= 1.1 * min(pages), why("scaling"))  # fmt: skip
    single = [r for r in results.get("single_feature") or [] if r["ok"]]
    add("… and in a single feature", single and " → ".join(f"{r['page_kb']:.0f} KB" for r in single),
        single and max(r["page_kb"] for r in single) <= 1.1 * min(r["page_kb"] for r in single),
        why("single_feature"))  # fmt: skip
    edit = next((r for r in results.get("edit_loop") or [] if "one statement edited" in r["build"]), None)
    label = edit and edit["build"].split(":")[0]
    add("one statement edited at 1,600: < 3 s CPU, in a collection", edit and f"{edit['cpu_s']:.1f} s CPU ({label})",
        edit and "1,600" in edit["build"] and edit["cpu_s"] < 3, why("edit_loop"))  # fmt: skip
    last = single[-1] if single else None
    add("… and in a single feature", last and "edit_cpu_s" in last and f"{last['edit_cpu_s']:.1f} s CPU "
        f"({last['statements']:,} statements; rewritten: {last['edit_rewritten']})",
        last and last["statements"] == 1_600 and last.get("edit_cpu_s", 99) < 3, why("single_feature"))  # fmt: skip
    convert = {r["statements"]: r for r in results.get("convert") or [] if "error" not in r}
    row = convert.get(16_000) or {}
    cli, again = row.get("cli_cpu_s"), row.get("cli_warm_cpu_s")
    add("conversion of 16,000 statements < 10 s (`tekan convert`, CPU of the process; the book's first conversion)",
        cli and f"{cli:.1f} s CPU ({row['cli_user_s']:.1f} s user, {row['cli_wall_s']:.0f} s wall; median of "
        f"{row['cli_runs']}: {', '.join(map(str, row['cli_cpu_all']))}); again {again:.1f} s CPU"
        + (f"; {row['empty_files']:,} empty files took {row['empty_files_sys_s']:.1f} s of system time to make on "
           "this disk then" if "empty_files_sys_s" in row else ""),
        cli and cli < 10, why("convert"))  # fmt: skip
    largest = [
        (r["largest_site_kb"], r["largest_site_page"], r["statements"]) for r in single if "largest_site_kb" in r
    ]
    if largest:
        lines.append("\nLargest page of each single-feature site: " + ", ".join(
            f"{n:,} statements: {name} {kb:,.0f} KB" for kb, name, n in largest) + ".")  # fmt: skip
    load = results["machine"].get("load")
    lines.append(f"\nLoad averages (1, 5, 15 min) at the start and the end: {load or '?'}; "
                 f"{results['machine'].get('end_load', '?')}.")  # fmt: skip
    return "\n".join(lines) + "\n"


def failures(results: dict[str, Any]) -> list[str]:
    """Measurements that did not run to completion (a capped build is reported, not a failure)."""
    found = [f"convert {r['statements']}: {r['error']}" for r in results["convert"] if "error" in r]
    for part in ("html", "formats", "pdf", "overhead", "incremental", "pdf_collection"):
        found += [f"{part}: {r['note']}" for r in results.get(part, []) if not r["ok"] and "capped" not in r["note"]]
    scaling = results.get("scaling") or {}
    for row in [*scaling.get("html", []), *scaling.get("formats", []), *results.get("edit_loop", [])]:
        if not row["ok"] and "capped" not in row["note"]:
            found.append(f"{row.get('build', row.get('statements'))}: {row['note']}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print the tables; exit 1 when a measurement failed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and no PDF (seconds; for the tests)")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    parser.add_argument("--work", type=Path, help="keep the work files here (default: a temporary folder)")
    parser.add_argument("--child-convert", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        action="append",
        help="run only these parts (convert, linking, formats, pdf, overhead, incremental, "
        "html, scaling, edit_loop, search, peer, single_feature, ten_years, pdf_collection); repeatable",
    )
    parser.add_argument(
        "--search-site",
        action="append",
        type=Path,
        help="measure search on this prebuilt site (an html/ folder of tekan build) instead of building; repeatable",
    )
    parser.add_argument("--repeats", type=int, help="runs per comparison (default: 3, smoke 1)")
    parser.add_argument(
        "--no-large-formats",
        action="store_true",
        help="skip the Simplified, -j auto, EPUB and PDF builds of the largest collection and the real book's "
        "rows of the edit loop (the HTML of one edition and its edits only)",
    )
    parser.add_argument(
        "--ten-years", action="store_true", help="also build a 16,000-statement collection (part ten_years; long)"
    )
    parser.add_argument("--pdf-collection", type=int, help="statements of the pdf_collection part (default 1,600)")
    args = parser.parse_args(argv)
    if args.child_convert:
        seed, out, result = (Path(p) for p in args.child_convert)
        result.write_text(json.dumps(convert_once(seed, out)))
        return 0

    sizes = SMOKE if args.smoke else FULL
    from dataclasses import replace

    if args.repeats:
        sizes = replace(sizes, repeats=args.repeats)
    if args.no_large_formats:
        sizes = replace(sizes, large_formats=False)
    if args.ten_years:
        sizes = replace(sizes, ten_years=16_000)
    if args.pdf_collection:
        sizes = replace(sizes, pdf_collection=args.pdf_collection)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tekan-bench-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        results: dict[str, Any] = {"mode": "smoke" if args.smoke else "full", "machine": machine()}
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("convert", lambda: bench_convert(sizes.convert, work, sizes.repeats)),
            ("linking", lambda: bench_linking(sizes.link, sizes.synthetic_terms, sizes.repeats)),
            ("formats", lambda: bench_formats(work)),
            ("pdf", lambda: bench_pdf(work) if sizes.pdf else []),
            ("overhead", lambda: bench_overhead(sizes.overhead, work, sizes.repeats)),
            ("incremental", lambda: bench_incremental(sizes.incremental, work)),
            ("html", lambda: bench_html(sizes.html, sizes.jobs, sizes.large, sizes.large_cap, work)),
            ("scaling", lambda: bench_scaling(sizes.scaling, work, sizes.large_formats)),
            ("edit_loop", lambda: bench_edit_loop(sizes.edit_loop, work, sizes.large_formats)),
            ("search", lambda: bench_search(sizes.search, work, args.search_site or ())),
            ("peer", lambda: bench_peer(sizes.peer, work, sizes.repeats) if sizes.peer else []),
            ("single_feature", lambda: bench_single_feature(sizes.single_feature, work)),
            ("ten_years", lambda: bench_ten_years(sizes.ten_years, work)),
            ("pdf_collection", lambda: bench_pdf_collection(sizes.pdf_collection, work)),
        ]
        results["parts"] = [name for name, _ in steps if not args.only or name in args.only]
        for name, step in steps:
            if args.only and name not in args.only:
                results[name] = {"compile": [], "link": []} if name == "linking" else []
                continue
            print(f"benchmark: {name} …", file=sys.stderr, flush=True)
            results[name] = step()
        results["seconds"] = time.perf_counter() - started
        results["machine"]["end_load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        results["failures"] = failures(results)
    if args.out:  # first: a report that fails to print keeps its measurements
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report(results))
    for failure in results["failures"]:
        print(f"benchmark: FAILED {failure}", file=sys.stderr)
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
