# The real book: this repository's seed and glossary, everything else from the extension.
import os

extensions = ["tekan.sphinxext"]
tekan_seed = os.path.join(os.environ["TEKAN_PROJECT_ROOT"], "seeds", "000_fbd3bd184db56f6a.txt")
tekan_glossary = os.path.join(os.environ["TEKAN_PROJECT_ROOT"], "glossary", "terms.toml")
