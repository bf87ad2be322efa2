from collections import namedtuple
from typing import NamedTuple

Spec = namedtuple("Spec", "depth, width", defaults=[64])
Pair = namedtuple("Pair", ["left", "right"])


class Point(NamedTuple):
    x: int
    y: float = 0.5


class Box(NamedTuple):
    """A box with its own docstring."""

    side: int = 1


class Registry:
    """Entries kept in insertion order; iterating gives (name, fn)."""

    def __init__(self):
        self._fns = {}

    def register(self, name):
        def deco(fn):
            self._fns[name] = fn
            return fn
        return deco

    def __iter__(self):
        return iter(self._fns.items())


REGISTRY = Registry()


@REGISTRY.register("tiny_tuple_net")
def _tiny(pretrained=False):
    """Registered through a class with __iter__."""
