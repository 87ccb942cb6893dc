# The two commands of the README. Each installs what is missing first (tools/setup.sh).
.PHONY: book test setup clean

book: setup
	.venv/bin/tekan build all --script all

test: setup
	.venv/bin/ruff check tools tests
	.venv/bin/ruff format --check tools tests
	.venv/bin/mypy
	.venv/bin/pytest

setup:
	@tools/setup.sh

clean:
	rm -rf _build docs/_build
