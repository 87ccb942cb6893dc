# Incremental builds with the project's real configuration (furo, every extension) on a three-statement book.
import os
from pathlib import Path

_conf = Path(os.environ["TEKAN_PROJECT_ROOT"]) / "docs" / "conf.py"
__file__ = str(_conf)  # conf.py resolves its paths from its own location
exec(compile(_conf.read_text(encoding="utf-8"), str(_conf), "exec"))
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
tekan_metadata = ""
html_static_path = [str(HERE / "_static")]  # noqa: F821
templates_path = [str(HERE / "_templates")]  # noqa: F821
