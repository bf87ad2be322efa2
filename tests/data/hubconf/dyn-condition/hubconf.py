import sys

if sys.platform == "never-a-platform":
    def only_if():
        """Python does not run this branch; hub cannot tell."""
elif sys.version_info >= (3, 0):
    def only_elif():
        """Python runs this one."""

try:
    import json
except ImportError:
    def only_except():
        """Runs only when json is missing."""
