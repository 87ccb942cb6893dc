# Two statements and three terms: glossary features (tooltips, exports, backlinks).
extensions = ["tekan.sphinxext"]
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
