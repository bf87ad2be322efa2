from helpers import helper_a as relayed


def packaged(n: int) -> int:
    """Defined in helpers_pkg/impl.py, re-exported by __init__."""
    return n


class Packaged:
    """A packaged class."""
