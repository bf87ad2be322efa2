import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections import OrderedDict

if sys.version_info >= (3, 0):
    def in_if(x):
        """Defined in the if branch."""
else:
    def in_if(y):
        """Defined in the else branch (never runs here)."""

try:
    import json

    def in_try():
        """Defined in try."""
except ImportError:
    def in_try():
        """Defined in except."""
else:
    def in_try_else():
        """Defined in try's else."""
finally:
    def in_finally():
        """Defined in finally."""

with open(__file__) as _handle:
    def in_with():
        """Defined in a with block."""

if __name__ == "__main__":
    def main():
        """Only when run as a script."""

if True:
    class Guarded:
        """A class whose __init__ is under if."""

        if sys.version_info >= (3, 0):
            def __init__(self, a, b=2):
                pass
        else:
            def __init__(self, c):
                pass

    if sys.version_info >= (3, 0):
        def nested_if():
            """Two levels of if."""
