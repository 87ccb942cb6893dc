# The real book: this repository's seed and glossary, everything else from the extension.
import os

extensions = ["tekan.sphinxext"]
root = os.environ["TEKAN_PROJECT_ROOT"]
tekan_target = {
    "seed": os.path.join(root, "seeds", "000_fbd3bd184db56f6a.txt"),
    "glossary": os.path.join(root, "glossary", "terms.toml"),
}
