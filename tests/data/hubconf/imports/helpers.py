"""Helpers imported by hubconf.py."""


def helper_a(x):
    """Helper A."""
    return x


class HelperB:
    """Helper class B."""

    def __init__(self, size=3):
        self.size = size


VALUE = 42
