# Two statements and three terms: the smallest book that exercises every feature.
extensions = ["tekan.sphinxext"]
tekan_target = {"seed": "seed.txt", "glossary": "terms.toml"}
