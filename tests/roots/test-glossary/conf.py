# Two statements and three terms: glossary features (tooltips, exports, backlinks).
extensions = ["tekan.sphinxext"]
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
# This root tests the glossary and rebuilds; its metadata is partial on purpose (gaps: see test-partial).
tekan_report_gaps = False
