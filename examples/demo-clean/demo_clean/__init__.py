"""pyward demo: an ordinary package."""

__version__ = "1.0"


def greet(name):
    return f"hello, {name}"
