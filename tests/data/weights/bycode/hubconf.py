"""Weights whose URLs are built by code: the fixture of hub's per-entrypoint
weight discovery (tests/t6006). Each entrypoint downloads what its
docstring says when called with pretrained=True (or a weights member)."""
dependencies = ["torch"]

import os

from torch.hub import load_state_dict_from_url

from nets.builders import net_large, net_small, net_tiny
from nets.enums import enum_net
from data.sets import ToyImages

BASE = "https://weights.example/models/"
MIRROR = os.environ.get("NET_MIRROR", "https://weights.example/mirror")


def concat(pretrained=False):
    """Downloads BASE + 'concat-...'."""
    if pretrained:
        return load_state_dict_from_url(BASE + "concat-1a2b3c4d.pth")
    return None


def formatted(pretrained=False, version=2):
    """Downloads a URL made with str.format."""
    if pretrained:
        url = "{}fmt-v{}-5e6f7a8b.pt".format(BASE, 2)
        return load_state_dict_from_url(url)
    return None


def from_env(pretrained=False):
    """Downloads from a mirror named at run time."""
    if pretrained:
        return load_state_dict_from_url(MIRROR + "/env-0000aaaa.pth")
    return None


def from_hf(pretrained=True):
    """Weights from a model hub by id, not by URL."""
    from transformers import AutoModel
    return AutoModel.from_pretrained("example-org/hf-net")


def no_weights():
    """Builds a model with no weights at all.

    Docstrings are not code: https://weights.example/models/in-a-docstring.pth
    """
    return None
