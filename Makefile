# The two commands of the README. Each installs what is missing first (tools/setup.sh).
.PHONY: book test benchmark setup clean

# The project's book is a release: --strict fails on any gap in its metadata.
book: setup
	.venv/bin/tekan build all --edition all --strict

test: setup
	.venv/bin/ruff check tools tests
	.venv/bin/ruff format --check tools tests
	.venv/bin/mypy
	.venv/bin/pytest

# How fast the book builds and how cost grows: hours for every part; run the parts you need (see "Benchmarks" in the README).
benchmark: setup
	.venv/bin/python tools/benchmark.py --out _build/benchmark.json

setup:
	@tools/setup.sh

clean:
	rm -rf _build docs/_build
