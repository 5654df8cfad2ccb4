"""pyward demo: an inert imitation of a malicious package (see examples/README.md)."""

__version__ = "0.1"
