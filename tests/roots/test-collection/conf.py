# Three features (one seed each) as one book: a collection.
extensions = ["myst_parser", "tekan.sphinxext"]
tekan_target = {"seed": "collection.toml", "glossary": "terms.toml"}
language = "zh_TW"
version = "1"
smartquotes = False
nitpicky = True
exclude_patterns = ["_build", "features"]
html_theme = "furo"
