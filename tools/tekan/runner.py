"""The seam at the process boundary: every Sphinx run (and any other child) goes through one ``Runner``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

#: Runs a command (argv, working folder, quiet) and returns its exit status. Every Sphinx and XeLaTeX run
#: goes through one; tests pass their own to see the commands without running them.
Runner = Callable[[Sequence[str], Path | None, bool], int]


def run_process(
    command: Sequence[str], cwd: Path | None = None, quiet: bool = False, limit: float | None = None
) -> int:
    """Run ``command`` to completion in ``cwd``; ``quiet`` discards its output (it keeps its own log).

    The command runs in its own process group and never outlives tekan (see ``tekan.processes``); past
    ``limit`` seconds it is stopped with its group, and a one-line error names the step and the limit.
    """
    from .processes import run_guarded

    return run_guarded(command, cwd, quiet, limit)


#: Each child process (one Sphinx run, one PDF compilation) may take this many seconds, plus one per statement
#: (1,600 statements: 37 minutes), unless ``tekan build --time-limit`` says otherwise: a run that loops ends
#: with a message instead of never.
TIME_LIMIT_BASE, TIME_LIMIT_PER_STATEMENT = 600.0, 1.0


def default_time_limit(statements: int) -> float:
    """Seconds one child process of a build of ``statements`` statements may take."""
    return TIME_LIMIT_BASE + TIME_LIMIT_PER_STATEMENT * statements


def limited(limit: float | None) -> Runner:
    """:func:`run_process` with a time limit on each command."""

    def run(command: Sequence[str], cwd: Path | None = None, quiet: bool = False) -> int:
        return run_process(command, cwd, quiet, limit)

    return run
