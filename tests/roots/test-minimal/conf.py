# Two statements and three terms: the smallest book that exercises every feature.
extensions = ["tekan.sphinxext"]
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
