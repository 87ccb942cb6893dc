"""Sphinx configuration of this repository's book; everything else comes from the tekan.sphinxext extension.

``tekan_target`` is what is built, as ``tekan build`` passes it (``-D tekan_target=<JSON>``); a plain
``sphinx-build -b html docs _build/html`` builds the Traditional edition in the builder's format.
"""

extensions = ["tekan.sphinxext"]
tekan_target = {"seed": "../seeds/000_fbd3bd184db56f6a.txt", "glossary": "../glossary/terms.toml"}
