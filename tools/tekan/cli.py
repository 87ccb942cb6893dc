"""The ``tekan`` command: build editions, convert a seed to MyST pages, check the inputs."""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from threading import Event

from .book import Book, book_pages, load_book, loaded_book, write_pages
from .editions import EDITIONS, keys
from .errors import Kind, Problem, TekanError
from .glossary import check_glossary, glossary_problems
from .metadata import load_publication
from .model import Glossary, Publication
from .processes import Terminated, stop_on_signals
from .project import DEFAULT_GLOSSARY, Project
from .target import FORMATS, Inputs, OutputFormat, Site, Target, Variant, book_file_name

#: What ``--strict`` means, for both commands that take it.
STRICT_HELP = "fail on any warning about the seed or its metadata (gaps, unsplit bylines): for release builds"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


#: Warnings of one kind about one file printed one by one; the rest are counted in one line (a seed of 1,600
#: statements without a metadata file has 1,600 gaps, all met by one `tekan init`).
SHOWN_PER_KIND = 10


def _problems(problems: Sequence[Problem]) -> None:
    totals: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (str(problem.location.path), problem.kind.value)
        totals[key] = totals.get(key, 0) + 1
    seen: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (str(problem.location.path), problem.kind.value)
        index = seen[key] = seen.get(key, -1) + 1
        if index < SHOWN_PER_KIND:
            _say(f"{problem.location}: warning: {problem.message} [tekan.{problem.kind.value}]")
        elif index == SHOWN_PER_KIND:
            more = totals[key] - SHOWN_PER_KIND
            _say(
                f"{problem.location.path}: warning: … and {more:,} more tekan.{problem.kind.value} warning(s) like "
                f"these in this file (not listed) [tekan.{problem.kind.value}]"
            )


def _strict_failure(problems: Sequence[Problem]) -> int:
    """Exit status of a ``--strict`` run after its warnings were printed: 1, with a summary, when there are any."""
    if not problems:
        return 0
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.kind.value] = counts.get(problem.kind.value, 0) + 1
    listed = ", ".join(f"{n} tekan.{kind}" for kind, n in sorted(counts.items()))
    _say(
        f"tekan: error: --strict: {len(problems)} warning(s) about the seed and its metadata, listed above ({listed}); "
        "a release build needs none: fill in the metadata file (`tekan init SEED --update` adds missing entries)"
    )
    return 1


def _one_seed(project: Project, given: str | None) -> Path:
    """The seed a command of one seed works on (``init``, ``translate``): given, or the book's only one."""
    from .collection import is_collection

    seed = project.seed(given)
    if is_collection(seed):  # several seeds beside a collection file: each feature is drafted on its own
        names = ", ".join(str(p.relative_to(project.root)) for p in project.seeds())
        raise TekanError(f"several seeds ({names}): name the one to work on", project.root, Kind.io)
    return seed


def _project(args: argparse.Namespace) -> Project:
    return Project.at(args.project)


def _glossary(args: argparse.Namespace) -> Path:
    return _project(args).glossary(args.glossary)


def cmd_convert(args: argparse.Namespace) -> int:
    """Write the MyST pages of one seed."""
    book = load_book(Path(args.seed), _glossary(args), args.script, normalise=not args.verbatim)
    _problems(book.problems)
    out = Path(args.out or _project(args).out / "myst" / Path(args.seed).stem)
    from .translation import book_translations

    language = EDITIONS[args.script].translation or "en"
    changed = write_pages(book_pages(book, book_translations(Path(args.seed), language)), out)
    _say(f"tekan: {len(book.publication.statements)} statements → {out} ({len(changed)} file(s) changed)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every seed with its metadata, and the glossary."""
    from .collection import is_collection, read_collection

    project = _project(args)
    given = [Path(s) for s in args.seeds] or project.seeds()
    # A collection file stands for its seeds (each with its own metadata).
    seeds = [s for path in given for s in (read_collection(path)[1] if is_collection(path) else [path])]
    collections = [path for path in given if is_collection(path)]
    if not seeds:
        raise TekanError(
            "no seed found: put the feature's text in seeds/NAME.txt (or NAME.txt here)", project.root, Kind.io
        )
    glossary, errors = check_glossary(project.glossary(args.glossary))
    for error in errors:  # every glossary error at once, each with its line
        _say(str(error).replace(": ", ": error: ", 1))
    publications = []
    found: list[Problem] = []
    for seed in seeds:
        publication, problems = load_publication(seed)
        _problems(problems)
        found += problems
        publications.append(publication)
        _say(f"tekan: {seed}: {len(publication.statements)} statements, masthead {publication.masthead!r}")
    for path in collections:  # the collection file's own facts (its English title)
        from .collection import collection_gaps

        facts, features = read_collection(path)
        gaps = collection_gaps(path, facts, [publications[seeds.index(s)] for s in features])
        _problems(gaps)
        found += gaps
    if glossary is None:
        return 1
    for seed, publication in zip(seeds, publications, strict=True):
        _check_translations(seed, publication, glossary, args)
        _warn_missing_glyphs(seed, project.glossary(args.glossary))
    _warn_orphan_catalogs(seeds, publications, args.locale)
    problems = glossary_problems(glossary, publications)
    if glossary.source == DEFAULT_GLOSSARY:  # it serves many features: terms one book leaves unused are expected
        unused = [p for p in problems if p.kind is Kind.unused_term]
        problems = [p for p in problems if p.kind is not Kind.unused_term]
        if unused:
            _say(f"tekan: {len(unused)} terms of Tekan's glossary occur in no statement of this book (not checked:")
            _say("       a book with a glossary/terms.toml of its own gets a warning for each)")
    _problems(problems)
    _say(f"tekan: {glossary.source}: {len(glossary.terms)} terms")
    _say_candidates(glossary, publications)
    return _strict_failure(found) if args.strict else 0


def _say_candidates(glossary: Glossary, publications: list[Publication]) -> None:
    """The words an editor may want to add to the glossary next, ranked (information, never a failure)."""
    from .glossary import candidate_terms
    from .normalise import normalise_publication

    candidates = candidate_terms(glossary, [normalise_publication(p) for p in publications])
    if candidates:
        listed = "、".join(f"{word} ×{count}" for word, count in candidates)
        _say(f"tekan: candidate terms (recurring field vocabulary not in the glossary, most frequent first): {listed}")


def cmd_translate(args: argparse.Namespace) -> int:
    """Create or update the gettext catalogs of a seed's statements (one per statement); of a collection file,
    every feature's, each in its own book folder's ``locale/``."""
    from .glossary import load_glossary
    from .translation import locale_folder, update_catalogs

    project = _project(args)
    seed = project.seed(args.seed)
    glossary = load_glossary(_glossary(args))
    total = changed = 0
    for feature in _features(seed):
        locale = Path(args.locale) if args.locale else locale_folder(feature)
        publication, problems = load_publication(feature)
        _problems(problems)
        # The other seeds whose catalogs are in this folder: a statement of theirs with the same page name shares one.
        sharing = [p for p in _printed_siblings(feature, locale, args.locale) if p.source != publication.source]
        results = update_catalogs(publication, glossary, locale, args.language, locale.parent, sharing)
        for path, was_changed in results:
            if was_changed:
                _say(f"tekan: updated {path}")
        total, changed = total + len(results), changed + sum(c for _, c in results)
        _say(f"tekan: {feature.name}: {len(results)} catalogs in {locale / args.language}")
    _say(f"tekan: {total} catalogs ({changed} changed)")
    return 0


def _features(seed: Path) -> list[Path]:
    """A seed, or a collection file's seeds."""
    from .collection import is_collection, read_collection

    return read_collection(seed)[1] if is_collection(seed) else [seed]


def _printed_siblings(seed: Path, locale: Path, given: str | None) -> list[Publication]:
    """The seeds beside ``seed`` whose catalogs are in ``locale`` too, as printed (one that does not load: left out;
    `tekan check` reports it)."""
    from .translation import locale_folder

    found = []
    for sibling in sorted(seed.parent.glob("*.txt")):
        if given or locale_folder(sibling) == locale:
            with contextlib.suppress(TekanError):
                found.append(load_publication(sibling)[0])
    return found


def _check_translations(seed: Path, publication: object, glossary: object, args: argparse.Namespace) -> None:
    """Per statement, how much of each language is translated; then the terminology of each translation."""
    from .book import load_book
    from .translation import (
        NAMES_FILE,
        catalog_problems,
        load_names,
        locale_folder,
        read_translations,
        summary,
        terminology_problems,
    )

    locale = Path(args.locale) if args.locale else locale_folder(seed)
    languages = sorted(p.name for p in locale.iterdir() if (p / "LC_MESSAGES").is_dir()) if locale.is_dir() else []
    for language in languages:
        assert isinstance(publication, Publication) and isinstance(glossary, Glossary)
        translations = read_translations(publication, locale, language)
        _problems(catalog_problems(publication, translations, language))
        rows = summary(publication, translations)
        for slug, done, fuzzy, missing in rows:
            _say(f"tekan: {language}: {slug}: {done} translated, {fuzzy} fuzzy, {missing} missing")
        hant = load_book(seed, glossary.source, "hant").publication
        misses = terminology_problems(hant, glossary, translations, load_names(locale / language / NAMES_FILE))
        _problems(misses)
        total = sum(done + fuzzy + missing for _, done, fuzzy, missing in rows)
        done_all = sum(done for _, done, _, _ in rows)
        _say(f"tekan: {language}: {done_all}/{total} paragraphs translated, {len(misses)} terminology misses")


def _warn_orphan_catalogs(seeds: Sequence[Path], publications: Sequence[Publication], given: str | None) -> None:
    """Warn about catalogs that belong to no statement of the book (a page name that changed)."""
    from .translation import locale_folder, orphan_catalogs

    books: dict[Path, dict[Path, Publication | None]] = {}  # locale folder → its seeds (checked or not)
    for seed, publication in zip(seeds, publications, strict=True):
        locale = Path(given) if given else locale_folder(seed)
        books.setdefault(locale, {})[seed] = publication
        for sibling in seed.parent.glob("*.txt"):  # the book's other seeds share its catalogs
            books[locale].setdefault(sibling, None)
    for locale, book in books.items():
        slugs = set()
        for seed, checked in book.items():
            if checked is None:
                with contextlib.suppress(TekanError):  # not asked to check it: its page names only
                    checked = load_publication(seed)[0]
            slugs |= {st.meta.slug for st in checked.statements} if checked else set()
        names = ", ".join(sorted(seed.name for seed in book))
        languages = sorted(p.name for p in locale.iterdir() if (p / "LC_MESSAGES").is_dir()) if locale.is_dir() else []
        for language in languages:
            _problems(orphan_catalogs(locale, language, slugs, names))


def cmd_init(args: argparse.Namespace) -> int:
    """Write the metadata draft beside a seed, or add entries for its new statements (``--update``)."""
    from .draft import init_metadata
    from .metadata import command_path

    seed = _one_seed(_project(args), args.seed)
    result = init_metadata(seed, update=args.update)
    _problems(result.problems)
    if not result.added:
        _say(f"tekan: {result.path}: every statement has an entry ({result.kept}); nothing to add")
        return 0
    verb = "added entries" if result.kept else "wrote a draft"
    _say(
        f"tekan: {result.path}: {verb} for {len(result.added)} statement(s)"
        + (f", kept the {result.kept} written" if result.kept else "")
        + f"; {result.todo} field(s) marked TODO"
    )
    _say(f"tekan: next: fill them in, then `tekan check --strict {command_path(seed)}`")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build the requested editions with Sphinx (the garbage collector paused: :func:`processes.collector_paused`)."""
    from .processes import collector_paused

    with collector_paused():
        return _build(args)


def _build(args: argparse.Namespace) -> int:
    from .building import check_prerequisites, lock_output, refuse_dangerous_output

    if args.readthedocs is not None:  # every edition and format, the site self-contained, then published in DIR
        from .readthedocs import prepare

        prepare(args, _project(args).out)
    formats = _expand(args.formats or ["all"], tuple(FORMATS), "format")
    if args.edition:
        scripts = _expand([args.edition], keys(), "edition")
    else:  # --script names the Chinese editions only (as before the English edition existed)
        scripts = _expand([args.script or "all"], keys(chinese_only=True), "script")
    project = _project(args)
    out = Path(args.out).resolve() if args.out else project.out
    glossary = project.glossary(args.glossary)
    # Before anything is written (several --seed write a collection file under OUT): the inputs as given.
    given = [Path(s) for s in args.seed or []]
    refuse_dangerous_output(out, [*given, glossary, project.root / "."])
    seed = _seed_or_collection(project, args.seed or [], out)
    if not given:
        refuse_dangerous_output(out, [seed])
    # Check the inputs first: a broken seed stops here with one line, before any output is touched.
    titles: dict[str, str] = {}
    books = []
    refused = False  # --strict: every reason is listed before the build stops
    for index, script in enumerate(scripts):
        # Remembered: a Sphinx build forked from this process (tekan.processes) finds it loaded.
        book = loaded_book(seed, glossary, script, normalise=not args.verbatim)
        books.append(book)
        meta = book.publication.meta
        titles[script] = (meta.title_en or meta.title) if book.edition.translated else meta.title
        if index == 0:
            _problems(book.problems)
            refused = args.strict and bool(_strict_failure(book.problems))
        if book.edition.translated:  # its catalogs are read: one that is no page's is said
            features = _features(seed)
            _warn_orphan_catalogs(features, [load_publication(f)[0] for f in features], None)
        if args.strict and book.edition.translated:
            refused = _untranslated(seed, book) or refused
    if refused:
        return 1
    _check_catalogs(seed, scripts)
    if args.parallel:
        _check_parallel(formats, scripts, seed)
    check_prerequisites([FORMATS[f] for f in formats], [EDITIONS[s] for s in scripts])
    if "pdf" in formats:
        _check_glyphs(books)
    meta = books[0].publication.meta
    name = book_file_name(meta.identifier, seed)
    with lock_output(out):
        statements = len(books[0].publication.statements)
        status = _build_steps(
            args, formats, scripts, out, Inputs(seed, glossary), name, titles, project.conf_dir(), statements
        )
        if status == 0 and args.readthedocs is not None:
            from .readthedocs import publish

            for path in publish(args, out, name, books[0].publication.script, scripts):
                _say(f"      → {path} (for Read the Docs)")
        return status


def _check_catalogs(seed: Path, scripts: Sequence[str]) -> None:
    """Read the English catalogs the editions will read (the English text, the Chinese editions' parallel pages):
    a malformed one, or one in Big5, stops here with one located line, before Sphinx runs."""
    from .translation import book_translations

    if scripts:
        book_translations(seed, "en")


def _untranslated(seed: Path, book: Book) -> bool:
    """``--strict`` and a translated edition: an error, at its catalog, for each paragraph that is not translated
    (fuzzy or missing) and each statement without a catalog; True when there is any."""
    from .translation import book_translations, catalog_problems, printed_features

    language = book.edition.translation
    translations = book_translations(seed, language)
    # The seed as printed (its paragraphs are the catalogs' msgids); a collection's features, each at its own seed.
    problems = [p for f, _ in printed_features(seed) for p in catalog_problems(f, translations, language)]
    for problem in problems:
        _say(f"{problem.location}: error: {problem.message} [tekan.{problem.kind.value}]")
    if problems:
        _say(
            f"tekan: error: --strict: {len(problems)} paragraph(s) or statement(s) of the {language} edition are not "
            "translated (listed above): translate them (`tekan translate` makes the catalogs), or build without "
            "--strict for a draft"
        )
    return bool(problems)


def _check_parallel(formats: Sequence[str], scripts: Sequence[str], seed: Path) -> None:
    """Stop with one line when ``--parallel`` cannot make a parallel PDF: no PDF asked for, no Chinese edition
    among those built, or no English translation to set beside the Chinese."""
    from .translation import book_translations, locale_folder

    if "pdf" not in formats or all(EDITIONS[script].translated for script in scripts):
        raise TekanError(
            "--parallel makes the parallel (對照) PDF of a Chinese edition: build pdf with --edition hant, hans or all",
            Path("--parallel"),
            Kind.io,
        )
    if not book_translations(seed, "en"):
        raise TekanError(
            f"--parallel: no English catalogs for this seed in {locale_folder(seed) / 'en'}: "
            "make them with `tekan translate` and translate them first",
            seed,
            Kind.translation,
        )


def _warn_missing_glyphs(seed: Path, glossary: Path) -> None:
    """Warn (for ``tekan check``) about characters the PDF's fonts lack; ``tekan build pdf`` stops on them."""
    from .editions import edition
    from .pdf import missing_glyphs

    fonts = edition("hant").fonts
    try:
        problems = missing_glyphs(load_book(seed, glossary, "hant"), (fonts.serif, fonts.sans))
    except TekanError as exc:  # no fonts here: the PDF cannot be checked (tekan build says how to install them)
        _say(f"tekan: characters not checked against the PDF's fonts: {exc.message}")
        return
    _problems(problems)


def _check_glyphs(books: Sequence[Book]) -> None:
    """Stop before the PDF is built when its fonts lack a character: one line per place."""
    from .editions import edition
    from .pdf import missing_glyphs

    problems: dict[str, Problem] = {}  # a character of the seed once, though both editions lack it
    for book in books:
        fonts = edition(book.script).fonts
        found = missing_glyphs(book, (fonts.serif, fonts.sans))
        for problem in found:
            problems.setdefault(f"{problem.location}: {problem.message.partition(' is not in')[0]}", problem)
    ordered = sorted(problems.values(), key=lambda p: (str(p.location.path), p.location.line))  # file order
    for problem in ordered[:50]:
        _say(f"{problem.location}: error: {problem.message} [tekan.{problem.kind.value}]")
    if problems:
        more = f" ({len(problems) - 50} more not listed)" if len(problems) > 50 else ""
        raise TekanError(
            f"{len(problems)} character(s) are missing from the PDF's fonts{more}: see the lines above",
            books[0].publication.source,
            Kind.encoding,
        )


def _build_steps(
    args: argparse.Namespace,
    formats: list[str],
    scripts: list[str],
    out: Path,
    inputs: Inputs,
    name: str,
    titles: dict[str, str],
    conf: Path | None,
    statements: int,
) -> int:
    from .building import build_edition, default_time_limit, write_landing_page

    variant = Variant(vertical=args.vertical, parallel=args.parallel, verbatim=args.verbatim)
    layout = Site(self_contained=getattr(args, "self_contained", False))  # where the downloads are published
    # The editions the switcher offers: this run's, and those an earlier run published in OUT; the downloads it
    # links: the plain files this run publishes, and those an earlier run published.
    on_disk = [
        k for k, e in EDITIONS.items() if k not in scripts and (out / "html" / e.folder / "index.html").is_file()
    ]
    side_by_side = [k for k in EDITIONS if k in scripts or k in on_disk]
    downloads = []
    for script in side_by_side:
        edition = EDITIONS[script]
        present = []
        for fmt in FORMATS.values():
            planned = script in scripts and fmt.key in formats and variant.suffix(fmt) == ""
            planned = planned and not (args.parallel and fmt.key == "pdf")
            if fmt.download and (planned or (out / layout.download(fmt, name, edition)).is_file()):
                present.append(fmt.key)
        downloads.append((script, tuple(present)))
    site = Site(tuple(side_by_side), tuple(downloads), args.site_url, layout.self_contained)
    steps = [(FORMATS[fmt], script) for script in scripts for fmt in formats]
    numbered = list(enumerate(steps, start=1))

    def _run_steps(chosen: list[tuple[int, tuple[OutputFormat, str]]], stopping: Event | None = None) -> None:
        for number, (fmt, script) in chosen:
            if stopping is not None and stopping.is_set():  # tekan was interrupted while another edition built
                return
            started = time.perf_counter()
            edition = EDITIONS[script]
            parallel = args.parallel and "parallel" in fmt.variants and not edition.translated
            target = Target(
                edition,
                inputs,
                fmt,
                Variant(vertical=args.vertical, parallel=parallel, verbatim=args.verbatim),
                site,
                name,
                report_gaps=False,  # the gaps were reported above, once; with --strict it stopped before Sphinx
            )
            _say(f"[{number}/{len(steps)}] {fmt.key} ({edition.folder}{', parallel' if parallel else ''}) …")
            time_limit = args.time_limit or default_time_limit(statements)
            jobs = _jobs(args.jobs, fmt, statements, side_by_side=len(groups) > 1)
            published = build_edition(target, out, conf=conf, jobs=jobs, time_limit=time_limit)
            _say(f"      → {published} ({time.perf_counter() - started:.1f} s)")

    # Each edition's formats in order (its EPUB and PDF start from its HTML's environment); the editions side by
    # side, one Sphinx process each, when there are cores for them and each Sphinx runs on one.
    groups = [[(n, step) for n, step in numbered if step[1] == script] for script in scripts]
    if len(groups) > 1 and (args.jobs or "1") == "1" and _cores() > 1:
        _side_by_side(
            [functools.partial(_run_steps, group) for group in groups], _editions_at_once(len(groups), statements)
        )
    else:
        _run_steps(numbered)
    if "html" in formats:
        built = {script: (titles[script], name) for script in scripts}
        landing = write_landing_page(out, built, args.site_url, layout.self_contained)
        _say(f"      → {landing} (the editions of the site)")
    return 0


#: A book of at least this many statements is large: its PDF reads its pages on every core (Sphinx's ``-j auto``)
#: when no ``--jobs`` was given and the editions are not built side by side, and its editions build one per core
#: (:func:`_editions_at_once`). The PDF is one book, written once: reading is half of its
#: build at 1,600 statements (16 s of 36 s on 2 cores, 8 s in parallel: the same PDF), while at 160 statements
#: reading in parallel saved nothing (4.0 s either way) and a small book's build only starts more processes.
LARGE_BOOK = 500


def _editions_at_once(editions: int, statements: int) -> int:
    """How many editions build side by side (on two cores or more): all of them, but no more than there are cores for
    a large book (:data:`LARGE_BOOK` statements: its PDF's compile holds gigabytes). An edition's builds are
    a chain, each Sphinx process waiting for the one before it, and the English edition's are shorter: with the
    three editions of the real book at once on two cores `make book` took 15.0–16.8 s wall, two at a time (the
    third when one ended, its chain alone on one core) 18.7–19.2 s."""
    return editions if statements < LARGE_BOOK else min(editions, _cores())


def _jobs(jobs: str | None, fmt: OutputFormat, statements: int, side_by_side: bool) -> str:
    """The Sphinx processes of one step: ``--jobs`` as given, else one (the editions may be side by side, a
    process each), but every core for a large PDF built alone (:data:`LARGE_BOOK`)."""
    if jobs is not None:
        return jobs
    if fmt.key == "pdf" and statements >= LARGE_BOOK and not side_by_side and _cores() > 1:
        return "auto"
    return "1"


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _side_by_side(work: Sequence[Callable[[Event], None]], workers: int | None = None) -> None:
    """Run ``work`` in threads of their own, at most ``workers`` at once (each waits for its Sphinx processes; a
    thread that ends its work takes the next, in the order given); then raise the first error, in the order given.
    Interrupted (Ctrl-C, SIGTERM: only this thread hears them), every child still running is stopped and the event
    each work is given is set (it starts no further step, and no work not yet started starts); a child started in that
    instant is stopped by its watchdog when tekan exits."""
    import itertools
    import threading

    from .processes import stop_running

    errors: list[BaseException | None] = [None] * len(work)
    stopping = threading.Event()
    following = itertools.count()  # the next work to start (next() on a count is atomic under the GIL)

    def run() -> None:
        while not stopping.is_set() and (index := next(following)) < len(work):
            try:
                work[index](stopping)
            except BaseException as exc:  # handed to the main thread
                errors[index] = exc

    count = len(work) if workers is None else max(1, min(workers, len(work)))
    threads = [threading.Thread(target=run, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)  # a short wait: a signal is handled at once
    except BaseException:
        stopping.set()
        stop_running()
        raise
    for error in errors:
        if error is not None:
            raise error


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve one edition's site and rebuild it (and reload the browser) whenever an input changes."""
    from .building import discard_untrusted_work, run_process, serve_command

    project = _project(args)
    seed, glossary = project.seed(args.seed), project.glossary(args.glossary)
    book = load_book(seed, glossary, args.script)  # a broken seed stops here with one line
    _problems(book.problems)
    work = project.out / "serve" / book.edition.folder
    discard_untrusted_work(work)  # Sphinx unpickles its environment from there
    (work / "src").mkdir(parents=True, exist_ok=True)
    target = Target(book.edition, Inputs(seed, glossary), FORMATS["html"])
    command = serve_command(target, work, project.out, project.conf_dir(), args.host, args.port)
    _say(f"tekan: serving {book.publication.meta.title} at http://{args.host}:{args.port}/ (Ctrl-C stops)")
    _say(f"tekan: watching {seed.parent} and {glossary.parent}")
    status = run_process(command)
    return 0 if status in (0, -2, 130) else status  # Ctrl-C is how a preview ends


def _seed_or_collection(project: Project, seeds: list[str], out: Path) -> Path:
    """The one seed (or collection file) given or found, or a collection file listing several seeds."""
    if len(seeds) <= 1:
        return project.seed(seeds[0] if seeds else None)
    from .building import WORK, discard_untrusted_work
    from .collection import write_collection

    discard_untrusted_work(out / WORK)  # before writing into it
    collection = out / WORK / "collection.toml"
    write_collection(collection, [Path(s) for s in seeds])
    return collection


def _seconds(value: str) -> float:
    """A positive number of seconds (``--time-limit``)."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of seconds")
    return seconds


def _expand(values: Sequence[str], choices: Sequence[str], what: str) -> list[str]:
    result: list[str] = []
    for value in values:
        for item in choices if value == "all" else [value]:
            if item not in choices:
                raise SystemExit(f"tekan: unknown {what} {item!r} (choose from {', '.join(choices)}, all)")
            if item not in result:
                result.append(item)
    return result


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``tekan``."""
    from . import __version__

    main = argparse.ArgumentParser(prog="tekan", description="Turn a Chinese newspaper feature into a book.")
    main.add_argument("--version", action="version", version=f"tekan {__version__}")
    # Accepted before or after the command (tekan --project B build, tekan build --project B).
    book = argparse.ArgumentParser(add_help=False)
    for options, default in ((main, None), (book, argparse.SUPPRESS)):
        options.add_argument(
            "--project", default=default, metavar="DIR", help="the book's folder (default: the current directory)"
        )
        options.add_argument(
            "--glossary",
            default=default,
            metavar="FILE",
            help="glossary file (default: the book's glossary/terms.toml, else the one Tekan ships)",
        )
    sub = main.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", parents=[book], help="build the HTML site, EPUB and PDF")
    build.add_argument("formats", nargs="*", metavar="FORMAT", help=f"{', '.join(FORMATS)} or all (default: all)")
    build.add_argument(
        "--edition",
        help=f"{', '.join(keys())} or all (default: the Chinese editions, {' and '.join(keys(chinese_only=True))})",
    )
    build.add_argument("--script", help=f"the Chinese editions only: {', '.join(keys(chinese_only=True))} or all")
    build.add_argument(
        "--seed",
        action="append",
        help="the seed file, or a collection file (default: the book's only seed); "
        "repeated: one book of several features",
    )
    build.add_argument("--out", help="output folder (default: _build/ in the book's folder)")
    build.add_argument(
        "-j",
        "--jobs",
        help="parallel Sphinx processes, or 'auto' (default: one, or every core for the PDF of a book of "
        f"{LARGE_BOOK} statements or more built alone)",
    )
    build.add_argument("--verbatim", action="store_true", help="publish the seed's text as printed (no normalisation)")
    build.add_argument(
        "--vertical", action="store_true", help="EPUB in vertical writing (直排), published as NAME-TAG-vertical.epub"
    )
    build.add_argument(
        "--parallel",
        action="store_true",
        help="the PDF of each Chinese edition in parallel form (中英對照: each paragraph beside its English), "
        "published as pdf/NAME-TAG-parallel.pdf; the English edition's PDF is as usual",
    )
    build.add_argument("--strict", action="store_true", help=STRICT_HELP)
    build.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="SECONDS",
        help="stop any step (one Sphinx or XeLaTeX run) that takes longer, with its processes "
        "(default: 600 plus one per statement)",
    )
    build.add_argument(
        "--site-url",
        default="",
        help="public URL of OUT/html/: canonical URLs, absolute language alternates, a sitemap per edition",
    )
    build.add_argument(
        "--readthedocs",
        metavar="DIR",
        help="build as Read the Docs publishes ($READTHEDOCS_OUTPUT): every edition in every format, --strict, into "
        "--out (default: _build/readthedocs); then DIR/html (the site, every download inside it, a 404 page) and "
        "the seed's own edition's EPUB and PDF in DIR/epub and DIR/pdf (FORMATs: which of them; default: all)",
    )
    build.set_defaults(run=cmd_build)

    serve = sub.add_parser("serve", parents=[book], help="preview the site, rebuilt as you edit")
    serve.add_argument("--script", default="hant", choices=keys(), help="the edition (default: %(default)s)")
    serve.add_argument("--seed", help="the seed file (default: the book's only seed)")
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    serve.set_defaults(run=cmd_serve)

    convert = sub.add_parser("convert", parents=[book], help="write the MyST pages of a seed")
    convert.add_argument("seed", help="seed text file")
    convert.add_argument("--out", help="output folder (default: _build/myst/<seed name>)")
    convert.add_argument("--script", default="hant", choices=keys())
    convert.add_argument("--verbatim", action="store_true", help="keep the seed's text as printed (no normalisation)")
    convert.set_defaults(run=cmd_convert)

    init = sub.add_parser("init", parents=[book], help="write a metadata draft beside a seed (never overwrites)")
    init.add_argument(
        "seed", nargs="?", help="seed text file (default: the book's only seed); the draft is written beside it"
    )
    init.add_argument(
        "--update", action="store_true", help="add entries for statements the file lacks, keeping what is written"
    )
    init.set_defaults(run=cmd_init)

    check = sub.add_parser("check", parents=[book], help="validate seeds, metadata, glossary and translations")
    check.add_argument("seeds", nargs="*", help="seed files (default: the book's seeds)")
    check.add_argument("--strict", action="store_true", help=STRICT_HELP)
    check.add_argument("--locale", help="catalog folder (default: locale/ in the book folder)")
    check.set_defaults(run=cmd_check)

    translate = sub.add_parser(
        "translate",
        parents=[book],
        help="create or update the translation catalogs of a seed (of a collection file: every feature's)",
    )
    translate.add_argument(
        "seed", nargs="?", help="seed text or collection file (default: the book's only seed or collection)"
    )
    translate.add_argument("--language", default="en", help="target language (default: %(default)s)")
    translate.add_argument("--locale", help="catalog folder (default: locale/ in the book folder)")
    translate.set_defaults(run=cmd_translate)
    return main


def os_error_line(exc: OSError) -> str:
    """``place: error: what`` for a failed file operation; a copy's many failures are summed up by the first."""
    import errno
    import shutil

    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        _, target, why = exc.args[0][0]
        count = len(exc.args[0])
        more = f" (and {count - 1} more file(s))" if count > 1 else ""
        return f"{target}: error: {why}{more}"
    where = exc.filename or "tekan"
    if exc.errno == errno.ENOSPC:
        try:
            free = shutil.disk_usage(Path(where).parent if not Path(where).is_dir() else where).free
            room = f" ({free // 1024:,} KB free)"
        except OSError:
            room = ""
        return f"{where}: error: no space left on the device{room}: free some space and build again"
    return f"{where}: error: {exc.strerror or exc}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tekan`` command."""
    args = parser().parse_args(argv)
    stop_on_signals()
    try:
        return int(args.run(args))
    except TekanError as exc:
        _say(f"{exc.location}: error: {exc.message} [tekan.{exc.kind.value}]")
        return 1
    except OSError as exc:  # an output folder that cannot be written, a full disk: one line, no traceback
        _say(f"{os_error_line(exc)} [tekan.{Kind.io.value}]")
        return 1
    except KeyboardInterrupt:
        _say("tekan: interrupted")
        return 130
    except Terminated as exc:
        _say(f"tekan: terminated ({exc}); the published editions were left as they were")
        return 128 + exc.signal_number


if __name__ == "__main__":
    sys.exit(main())
