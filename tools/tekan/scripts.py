"""Traditional ↔ Simplified conversion (OpenCC), protecting names and glossary forms."""

from __future__ import annotations

from dataclasses import fields, replace
from functools import cache
from typing import Any

from .model import Glossary, Publication, Statement
from .rendering import Labels


@cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_hans(text: str) -> str:
    """Traditional → Simplified."""
    return _converter("t2s").convert(text) if text else text


def to_hant(text: str) -> str:
    """Simplified → Traditional."""
    return _converter("s2t").convert(text) if text else text


def publication_to_hans(publication: Publication, glossary: Glossary) -> Publication:
    """The Simplified edition of a publication (headlines, body, bylines, titles)."""
    del glossary  # explicit glossary forms are applied by the linker's Simplified forms

    def statement(st: Statement) -> Statement:
        a = st.attribution
        attribution = replace(
            a,
            raw=to_hans(a.raw),
            organisation=to_hans(a.organisation),
            position=to_hans(a.position),
            person=to_hans(a.person),
        )
        return replace(
            st,
            headline=to_hans(st.headline),
            paragraphs=tuple(to_hans(p) for p in st.paragraphs),
            attribution=attribution,
        )

    meta = publication.meta
    sectors = tuple(replace(s, zh=to_hans(s.zh)) for s in meta.sectors)
    new_meta = replace(
        meta,
        title=to_hans(meta.title),
        publisher=to_hans(meta.publisher),
        description_zh=to_hans(meta.description_zh),
        sectors=sectors,
    )
    return replace(
        publication,
        masthead=to_hans(publication.masthead),
        statements=tuple(statement(s) for s in publication.statements),
        meta=new_meta,
    )


def hans_labels() -> Labels:
    """The fixed words of the generated pages in Simplified script."""
    defaults = Labels()
    return Labels(**{f.name: to_hans(getattr(defaults, f.name)) for f in fields(Labels)})
