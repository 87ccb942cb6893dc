# The real book: the project's docs/conf.py, seed and glossary.
import os
from pathlib import Path

_conf = Path(os.environ["TEKAN_PROJECT_ROOT"]) / "docs" / "conf.py"
__file__ = str(_conf)  # conf.py resolves its paths from its own location
exec(compile(_conf.read_text(encoding="utf-8"), str(_conf), "exec"))
tekan_seed = str(HERE.parent / "seeds" / "000_fbd3bd184db56f6a.txt")  # noqa: F821
tekan_glossary = str(HERE.parent / "glossary" / "terms.toml")  # noqa: F821
html_static_path = [str(HERE / "_static")]  # noqa: F821
templates_path = [str(HERE / "_templates")]  # noqa: F821
