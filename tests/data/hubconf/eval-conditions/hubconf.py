"""Entrypoints that depend on where and how Python runs."""
import os
import sys
from typing import TYPE_CHECKING

dependencies = ["torch"]

if os.sep == "/":
    def posix_paths():
        """Defined where the path separator is a slash."""
else:
    def windows_paths():
        """Defined where it is not."""

if sys.platform.startswith("linux"):
    def on_linux():
        """Only on Linux."""
elif sys.platform == "darwin":
    def on_macos():
        """Only on macOS."""
else:
    def on_other():
        pass

if sys.version_info >= (3, 8):
    def modern(x, /, y=1):
        """Positional-only parameters need Python 3.8."""
else:
    def legacy(x, y=1):
        """Older Pythons."""

if sys.version_info < (3, 7):
    def too_old():
        pass

if sys.version_info[0] == 3 and sys.version_info.major >= 3:
    def python3(): """Python 3."""

try:
    import localpkg  # in the repository
    def with_local():
        """localpkg imported."""
except ImportError:
    def without_local():
        """localpkg missing."""

try:
    import json  # the standard library
    from torchvision import transforms  # on the interpreter's path
    def with_library():
        """json and torchvision imported."""
except ImportError:
    def without_library():
        pass

try:
    import hub_fixture_missing_module  # nowhere
    def with_missing():
        """Never defined."""
except ImportError:
    def without_missing():
        """The module is missing, so this is defined."""

try:
    from localpkg import not_there
except ImportError as e:
    def import_error_name():
        """A name missing from a module of the repository."""

try:
    from localpkg.sub import helper_in_sub
except ModuleNotFoundError:
    def no_sub():
        pass
else:
    def has_sub():
        """The else branch of a try that did not raise."""

if TYPE_CHECKING:
    from localpkg.typing_only import TypedThing

if __name__ == "__main__":
    def run_as_script():
        pass
