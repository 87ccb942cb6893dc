"""The seam at the process boundary: every Sphinx, latexmk and compiler run goes through one ``Runner``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

#: Runs a command (argv, working folder, quiet) and returns its exit status. Every Sphinx and XeLaTeX run
#: goes through one; tests pass their own to see the commands without running them.
Runner = Callable[[Sequence[str], Path | None, bool], int]


def run_process(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
    """Run ``command`` to completion in ``cwd``; ``quiet`` discards its output (it keeps its own log).

    The command runs in its own process group and never outlives tekan (see ``tekan.processes``).
    """
    from .processes import run_guarded

    return run_guarded(command, cwd, quiet)
