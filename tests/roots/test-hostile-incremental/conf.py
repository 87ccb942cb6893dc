# Incremental builds with the extension's full defaults (furo, every feature) on a three-statement book.
extensions = ["tekan.sphinxext"]
tekan_seed = "seed.txt"
tekan_glossary = "terms.toml"
# This root tests the glossary and rebuilds; its metadata is partial on purpose (gaps: see test-partial).
tekan_report_gaps = False
