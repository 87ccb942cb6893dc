"""A book is a folder: its seeds, its glossary, its optional Sphinx configuration and its output.

::

    BOOK/
      seeds/NAME.txt, seeds/NAME.toml   the seed and its metadata (or NAME.txt directly in BOOK/)
      glossary/terms.toml               the book's glossary (optional: Tekan ships one)
      docs/conf.py                      the book's own Sphinx settings (optional)
      _build/                           what ``tekan build`` writes
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Kind, TekanError

#: The quality-infrastructure glossary that ships with Tekan (the same file as this repository's
#: glossary/terms.toml: a symbolic link in the source tree, a copy in the wheel).
DEFAULT_GLOSSARY = Path(__file__).resolve().parent / "data" / "terms.toml"


def seed_path(given: str | Path) -> Path:
    """A seed (or collection file) as the editor names it, made absolute; the one rule every command follows.

    A symbolic link is kept, not resolved: the seed's metadata (``NAME.toml``), its catalogs (``locale/``) and
    its book are those beside the name the editor gave, not beside the file the link points to (a text shared
    by several books has a metadata file in each).
    """
    return Path(os.path.abspath(given))


@dataclass(frozen=True)
class Project:
    """The folder of one book."""

    root: Path  # the book's folder (absolute)

    @classmethod
    def at(cls, folder: Path | str | None = None) -> Project:
        """The book in ``folder`` (default: the current directory)."""
        root = Path(folder or ".").resolve()
        if not root.is_dir():
            raise TekanError("the book's folder does not exist", root, Kind.io)
        return cls(root)

    def seeds(self) -> list[Path]:
        """The book's seed texts: ``seeds/*.txt``, or else the ``*.txt`` files in the folder itself."""
        folder = self.root / "seeds"
        found = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        return found or sorted(p for p in self.root.glob("*.txt") if p.is_file())

    def seed(self, given: str | Path | None = None) -> Path:
        """The seed to build: ``given``, or the book's only seed."""
        if given is not None:
            return seed_path(given)
        seeds = self.seeds()
        if not seeds:
            raise TekanError(
                "no seed found: put the feature's text in seeds/NAME.txt (or NAME.txt here), or give --seed FILE",
                self.root,
                Kind.io,
            )
        if len(seeds) > 1:
            names = ", ".join(str(p.relative_to(self.root)) for p in seeds)
            raise TekanError(f"several seeds ({names}): choose one with --seed FILE", self.root, Kind.io)
        return seeds[0]

    def glossary(self, given: str | Path | None = None) -> Path:
        """The glossary: ``given``, else the book's ``glossary/terms.toml``, else the one Tekan ships."""
        if given is not None:
            return Path(given).resolve()
        own = self.root / "glossary" / "terms.toml"
        return own if own.is_file() else DEFAULT_GLOSSARY

    def conf_dir(self) -> Path | None:
        """The folder of the book's own ``conf.py`` (``docs/``), if it has one."""
        docs = self.root / "docs"
        return docs if (docs / "conf.py").is_file() else None

    @property
    def out(self) -> Path:
        """Where builds go by default."""
        return self.root / "_build"
