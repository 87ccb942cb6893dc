"""The site's landing page (``OUT/html/index.html``): one entry per script edition, with its downloads."""

from __future__ import annotations

from html import escape

from .editions import EDITIONS


def landing_page(titles: dict[str, str], tags: dict[str, str], basename: str) -> str:
    """The landing page HTML for the editions in ``titles`` (script → book title in that script)."""
    items = []
    for script, title in titles.items():
        edition = EDITIONS[script]
        words, tag, lang = edition.site, tags[script], edition.tag
        items.append(
            f'<li class="edition" lang="{lang}">'
            f'<h2><a href="{tag}/index.html" hreflang="{lang}">{escape(edition.name)}</a></h2>'
            + (f'<p class="title">{escape(title)}</p>' if title else "")
            + f'<p class="links"><a class="read" href="{tag}/index.html" hreflang="{lang}">{escape(words.read)}</a>'
            f' · <a class="epub" href="../epub/{basename}-{tag}.epub">{escape(words.epub)}</a>'
            f' · <a class="pdf" href="../pdf/{basename}-{tag}.pdf">{escape(words.pdf)}</a></p>'
            "</li>"
        )
    heading = escape(next((t for t in titles.values() if t), "Tekan"))  # the first edition's title
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
<style>
body {{ font-family: "Noto Sans CJK TC", "Noto Sans CJK SC", system-ui, sans-serif; max-width: 40rem;
       margin: 3rem auto; padding: 0 1rem; line-height: 1.7; color: #222; }}
ul {{ list-style: none; padding: 0; }}
li.edition {{ border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 1.25rem; margin: 1rem 0; }}
li.edition[lang="zh-Hans"] {{ font-family: "Noto Sans CJK SC", system-ui, sans-serif; }}
h2 {{ margin: 0.5rem 0 0; font-size: 1.4rem; }}
a {{ color: #2757a4; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<ul class="editions">
{chr(10).join(items)}
</ul>
</body>
</html>
"""
