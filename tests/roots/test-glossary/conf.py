# Two statements and three terms: glossary features (tooltips, exports, backlinks).
extensions = ["tekan.sphinxext"]
# This root tests the glossary and rebuilds; its metadata is partial on purpose (gaps: see test-partial).
tekan_target = {"seed": "seed.txt", "glossary": "terms.toml", "report_gaps": False}
