"""Tekan (特刊): turn a Chinese newspaper feature into a trilingual-format publication."""

__version__ = "0.1.0"
