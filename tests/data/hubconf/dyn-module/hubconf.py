import sys


def base():
    """Base."""


# Python itself fails here: hubconf.py is not in sys.modules.
setattr(sys.modules[__name__], "made_by_setattr", base)
