"""Entrypoints made as classes are created: __init_subclass__ and
metaclass registries, super(), type() and a documented partial."""
import functools

from zoo import MODELS, Model, build
from zoo.meta import LAYERS
from zoo.config import Documented, NetConfig
from zoo.tuples import REGISTRY, Box, Pair, Point, Spec

dependencies = ["torch"]

globals().update(MODELS)
globals().update({"layer_" + k: v for k, v in LAYERS.items()})

# a class made at run time: a callable entry
Dynamic = type("Dynamic", (Model,), {"__doc__": "Made by type().", "size": 3})

small = functools.partial(build, "small")
small.__doc__ = "The small model (a partial with its own __doc__)."
large = functools.partial(build, "large")

for _name, _fn in REGISTRY:
    globals()[_name] = _fn

del Model, REGISTRY, _name, _fn
