from ..impl import packaged as from_parent


def deep_function(a, b):
    """Deep in a package."""
