"""Entrypoints made from Enum members: iteration, lookup by name and by
value, auto(), aliases, members built by __init__ from tuples."""
import enum
from enum import Enum, auto

dependencies = ["torch"]


class Depth(Enum):
    """How deep a network is."""

    SHALLOW = (10, "few layers")
    DEEP = (50, "many layers")
    DEFAULT = (50, "many layers")  # an alias of DEEP

    def __init__(self, layers, note):
        self.layers = layers
        self.note = note


class Head(enum.Enum):
    LINEAR = auto()
    CONV = auto()


class Flavour(enum.StrEnum):
    PLAIN = auto()
    FANCY = auto()


class Named(Enum):
    ONE = 1

    def __str__(self):
        return "named " + self.name.lower()


def named_entry():
    pass


named_entry.__doc__ = "Made with %s and %r." % (Named.ONE, Named.ONE)


class Bits(enum.Flag):
    A = auto()
    B = auto()
    C = auto()


def _make(depth, head):
    def model(pretrained=False):
        return depth, head

    model.__doc__ = "A %s net (%d layers, %s) with head %d: %s, %r, %s." % (
        depth.name.lower(), depth.layers, depth.note, head.value, depth, head,
        Flavour.PLAIN)
    return model


for _d in Depth:
    for _h in Head:
        globals()["%s_%s" % (_d.name.lower(), _h.name.lower())] = _make(_d, _h)

if len(Depth) == 2 and Depth["DEEP"] is Depth.DEFAULT and Depth((10, "few layers")) is Depth.SHALLOW:
    def aliases_agree():
        """Depth has two members; DEFAULT is DEEP."""

if Head(2) in Head and "DEFAULT" in Depth.__members__:
    def lookups_agree():
        """Head(2) is a member; __members__ holds the alias."""

if Flavour.FANCY.value == "fancy" and [b.value for b in Bits] == [1, 2, 4]:
    def autos_agree():
        """StrEnum's auto() is the name, Flag's a power of two."""

del _d, _h
