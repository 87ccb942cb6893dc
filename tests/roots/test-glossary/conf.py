# Two statements and three terms, with the project's static files (tooltip script): glossary features.
import os
from pathlib import Path

extensions = ["myst_parser", "tekan.sphinxext"]
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
language = "zh_TW"
project = "Glossary test"
copyright = "2021, Tekan"
version = "1"
smartquotes = False
nitpicky = True
exclude_patterns = ["_build"]
html_static_path = [str(Path(os.environ["TEKAN_PROJECT_ROOT"]) / "docs" / "_static")]
