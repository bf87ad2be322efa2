import sys
from os.path import *


def base(x):
    """The base function."""


globals()["made_by_globals"] = base
globals().update({"made_by_update": base})
exec("def made_by_exec(): pass")
model = base(1)


def __getattr__(name):
    raise AttributeError(name)
