"""Canary of the Typst builder's one Sphinx internal (the README's "Third-party internals"): the book is resolved
without the post-transforms that act only on what the PDF never prints, by filtering the component registry's list
while Sphinx resolves it."""

from __future__ import annotations

import importlib
import inspect

import pytest

pytestmark = pytest.mark.sphinx


def test_sphinx_applies_the_post_transforms_its_registry_lists() -> None:
    """``tekan.sphinxext.typst.resolve_book`` filters ``app.registry.post_transforms`` while the environment resolves
    the book: Sphinx must read the list from the registry then (``get_post_transforms``), and each left-out transform
    must still be one Sphinx registers, under its name. Retired by a Sphinx option to leave post-transforms out
    for a builder (to propose), or by each of them declaring the builders or formats it serves."""
    from sphinx.environment import BuildEnvironment
    from sphinx.registry import SphinxComponentRegistry
    from sphinx.transforms.post_transforms import SphinxPostTransform

    from tekan.sphinxext.typst import UNPRINTED_POST_TRANSFORMS

    registry = SphinxComponentRegistry()
    assert registry.get_post_transforms() is registry.post_transforms
    assert "get_post_transforms()" in inspect.getsource(BuildEnvironment.apply_post_transforms)
    for name in UNPRINTED_POST_TRANSFORMS:
        module, _, qualname = name.rpartition(".")
        found = getattr(importlib.import_module(module), qualname)
        assert f"{found.__module__}.{found.__qualname__}" == name
        assert issubclass(found, SphinxPostTransform) or hasattr(found, "apply")
