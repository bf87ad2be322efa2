"""Entrypoints that are not plain functions."""
import functools
from functools import partial

from builders import Builder, build_net, loud, traced, via_setattr

dependencies = ["torch"]


class Predictor:
    """Predictor: wraps a model for inference."""

    def __init__(self, threshold=0.5):
        self.threshold = threshold

    def __call__(self, image, top_k=5):
        """Predict the top classes of ``image``."""
        return []


predictor = Predictor()

globals()["anonymous"] = lambda: None


def documented_later(depth=18):
    pass


documented_later.__doc__ = "A docstring set after the def (depth=%d)." % 18


def doc_removed():
    """Removed below."""


doc_removed.__doc__ = None


@traced
def traced_model(depth=50, *, pretrained=False):
    """ResNet-like model, wrapped by a logging decorator."""
    return build_net(depth)


@loud
def loud_model(depth=34):
    """Its wrapper does not use functools.wraps."""
    return build_net(depth)


small_net = partial(build_net, 18)
wide_net = functools.partial(build_net, width=2)

from_config = Builder.from_config
tiny = Builder("tiny").build
