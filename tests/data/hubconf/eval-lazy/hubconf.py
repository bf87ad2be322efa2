"""A hubconf that loads its entrypoints lazily (PEP 562): dir() is its
__dir__, and the names it lists come from its __getattr__."""
import importlib

dependencies = ["torch"]

_ENTRIES = {
    "small_net": ("lazy.small", "build"),
    "large_net": ("lazy.large", "build"),
}


def __getattr__(name):
    if name in _ENTRIES:
        module, attr = _ENTRIES[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)


def __dir__():
    return ["dependencies", "helper"] + list(_ENTRIES)


def helper(x=1):
    """Listed: __dir__ names it."""
    return x


def hidden():
    """Not listed: __dir__ leaves it out."""
