"""``tekan build --readthedocs DIR``: the book as Read the Docs publishes it.

Read the Docs serves ``$READTHEDOCS_OUTPUT/html`` at the version's URL and keeps one EPUB
(``$READTHEDOCS_OUTPUT/epub``) and one PDF (``…/pdf``) per version as downloads of its own
(https://docs.readthedocs.io/en/stable/build-customization.html). A book has an EPUB and a PDF in every edition,
and every page of its site links them all; so this build

- makes every edition (``--edition all`` unless narrowed; the Chinese ones for a book without English catalogs)
  in every format, as a release (``--strict``), into a work folder (``--out``, default ``_build/readthedocs``) with
  a self-contained site: each edition's downloads are published inside ``html/`` (``html/epub/…``,
  ``html/pdf/…``), where the site's links point (:attr:`tekan.target.Site.self_contained`);
- writes the site's own 404 page (``html/404.html``: Read the Docs serves it at any missing address of the
  version), in every edition's language, its links from the server's root (``READTHEDOCS_CANONICAL_URL``'s path,
  or ``--site-url``'s);
- publishes into ``DIR`` the formats asked for (all by default): ``DIR/html`` (the whole site, downloads included),
  and the first edition's EPUB and PDF — the seed's own script — in ``DIR/epub`` and ``DIR/pdf``.

Each of the ``.readthedocs.yaml`` jobs runs it for its format: the first builds everything, the others find every
edition up to date (the build stamps) and only publish their file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .building import FILE_MODE, known_editions, publish_file, publish_tree, published_editions
from .editions import EDITIONS
from .errors import Kind, TekanError
from .files import atomic_write
from .landing import not_found_page
from .target import FORMATS, Site

#: The environment variables Read the Docs sets in a build: the output folder, the version's public URL.
OUTPUT, CANONICAL = "READTHEDOCS_OUTPUT", "READTHEDOCS_CANONICAL_URL"
#: The site's own 404 page, at the root of the published site.
NOT_FOUND = "404.html"


def prepare(args: argparse.Namespace, default_out: Path) -> None:
    """Turn ``tekan build --readthedocs DIR [FORMAT…]`` into the build it stands for (in ``args``), or refuse a
    misuse in one line: no folder, a format Read the Docs does not take, a variant, no site URL."""
    where = Path("--readthedocs")
    if not args.readthedocs.strip():
        raise TekanError(
            f'needs the folder Read the Docs publishes from: --readthedocs "${OUTPUT}" (Read the Docs sets it in '
            f"its builds; here it is {'empty' if OUTPUT in os.environ else 'not set'})",
            where,
            Kind.io,
        )
    asked = args.formats or ["all"]
    unknown = [f for f in asked if f != "all" and f not in FORMATS]
    if unknown:
        raise TekanError(f"publishes {', '.join(FORMATS)} (or all), not {', '.join(unknown)}", where, Kind.io)
    if args.vertical or args.parallel:
        raise TekanError(
            "publishes the plain editions: build --vertical or --parallel on their own",
            where,
            Kind.io,
        )
    args.site_url = args.site_url or os.environ.get(CANONICAL, "")
    if not args.site_url:
        raise TekanError(
            f"the site's public URL is unknown (Read the Docs sets {CANONICAL}; elsewhere give "
            "--site-url): the 404 page, served at any address, needs it for its links",
            where,
            Kind.io,
        )
    args.publish = list(FORMATS) if "all" in asked else [f for f in FORMATS if f in asked]
    args.formats = ["all"]  # the site links every edition's downloads: all are built (each job finds them built)
    if not args.edition and not args.script and english_catalogs(args):
        args.edition = "all"  # with the English edition (else the Chinese ones: a book without a translation)
    elif not args.edition and not args.script:
        print(
            "tekan: no English catalogs (locale/en): publishing the Chinese editions; `tekan translate` starts one",
            file=sys.stderr,
        )
    args.strict = True  # a published book is a release
    args.out = args.out or str(default_out / "readthedocs")
    args.self_contained = True


def english_catalogs(args: argparse.Namespace) -> bool:
    """Whether the book has started its English translation (``locale/en``, made by ``tekan translate``): then
    its English edition is published too, and ``--strict`` refuses it until every paragraph is translated."""
    from .collection import is_collection
    from .project import Project
    from .translation import locale_folder

    if args.seed and len(args.seed) > 1:
        return False  # several features: a collection, whose editions the build chooses
    seed = Project.at(args.project).seed(args.seed[0] if args.seed else None)
    return not is_collection(seed) and (locale_folder(seed) / "en").is_dir()


def publish(args: argparse.Namespace, out: Path, name: str, script: str, built: list[str]) -> list[Path]:
    """Copy what ``args.publish`` asks for from the work folder ``out`` into ``DIR``; return what was published.

    ``name`` is the stem of the book's files; ``script`` the seed's own (its edition's EPUB and PDF are Read the
    Docs' own downloads, when it was built; else the first of ``built``)."""
    destination = Path(args.readthedocs).resolve()
    default = EDITIONS[script if script in built else built[0]]
    site = Site(self_contained=True)
    published = []
    for key in args.publish:
        fmt = FORMATS[key]
        if not fmt.download:
            write_not_found_page(out, args.site_url)
            publish_tree(out / "html", destination / fmt.key)
            published.append(destination / fmt.key)
            continue
        made = out / site.download(fmt, name, default)
        target = destination / fmt.key / made.name
        others = sorted(p.name for p in target.parent.glob(f"*{fmt.suffix}") if p.name != made.name)
        if others:  # Read the Docs keeps one file per format
            raise TekanError(
                f"Read the Docs keeps one {fmt.label} per version, and this folder holds another ({others[0]}): "
                "publish into an empty folder",
                target.parent,
                Kind.io,
            )
        publish_file(made, target)
        published.append(target)
    return published


def write_not_found_page(out: Path, site_url: str) -> Path:
    """Write ``OUT/html/404.html``: every edition published in ``OUT`` and its downloads, linked from the root of
    the server that serves the site at ``site_url``."""
    page = not_found_page(published_editions(out, known_editions(out), self_contained=True), site_url)
    target = out / "html" / NOT_FOUND
    atomic_write(target, page.encode("utf-8"), mode=FILE_MODE, follow_link=False)
    return target
