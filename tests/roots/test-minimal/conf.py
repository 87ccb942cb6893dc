# Two statements and three terms: the smallest book that exercises every feature.
extensions = ["myst_parser", "tekan.sphinxext"]
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
language = "zh_TW"
version = "1"
smartquotes = False
nitpicky = True
exclude_patterns = ["_build"]
