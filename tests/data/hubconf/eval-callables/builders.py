import functools
import sys

import torch


def build_net(depth, width=1, pretrained=False):
    """Build a net of ``depth`` layers."""
    return torch.nn.Sequential(*[torch.nn.Identity() for _ in range(depth)])


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        """wrapper docstring (hidden by functools.wraps)"""
        return fn(*args, **kwargs)

    return wrapper


def loud(fn):
    def wrapper(*args, **kwargs):
        """Calls the wrapped builder, loudly."""
        print("building", fn.__name__)
        return fn(*args, **kwargs)

    return wrapper


class Builder:
    """Builds nets from a named configuration."""

    CONFIGS = {"tiny": 4, "base": 12}

    def __init__(self, config):
        self.depth = self.CONFIGS[config]

    @classmethod
    def from_config(cls, config="base", pretrained=False):
        """A Builder for ``config``."""
        return cls(config)

    def build(self, pretrained=False):
        """Build the configured net."""
        return build_net(self.depth)


def _make(name, depth):
    def entry(pretrained=False):
        return build_net(depth, pretrained=pretrained)

    entry.__name__ = name
    entry.__doc__ = "%s: %d layers." % (name, depth)
    return entry


setattr(sys.modules[__name__], "via_setattr", _make("via_setattr", 10))
