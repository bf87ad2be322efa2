def target(a, b=1):
    """The target of aliases."""


def other():
    """Other function."""
