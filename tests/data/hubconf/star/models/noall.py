from os.path import join as joined


def public_one():
    """Exported: no __all__, public."""


def _private_one():
    """Not exported."""


CONST = 1
