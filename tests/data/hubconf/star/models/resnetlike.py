__all__ = ["tiny", "Small"]
__all__ += ["medium"]
__all__.append("large")


def tiny():
    """Tiny model."""


def medium():
    """Medium model."""


def large():
    """Large model."""


class Small:
    """Small model class."""

    def __init__(self, classes=10):
        pass


def not_exported():
    """Not in __all__."""
