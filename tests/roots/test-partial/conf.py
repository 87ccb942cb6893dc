# A seed with partial metadata: one complete entry, one with English left empty, one statement without an
# entry, and no [publication] English title. The build reports one tekan.gap warning per gap.
extensions = ["tekan.sphinxext"]
tekan_target = {"seed": "seed.txt", "glossary": "terms.toml"}
