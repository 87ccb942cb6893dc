"""Sphinx configuration of this repository's book; everything else comes from the tekan.sphinxext extension."""

extensions = ["tekan.sphinxext"]
tekan_seed = "../seeds/000_fbd3bd184db56f6a.txt"
tekan_glossary = "../glossary/terms.toml"
