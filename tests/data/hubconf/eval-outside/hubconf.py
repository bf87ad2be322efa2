"""Entrypoints from outside the repository: Python lists and documents them."""
dependencies = ["torch", "torchvision"]

from json import dumps
from os.path import join as path_join
from pathlib import Path

from torch.hub import load_state_dict_from_url
from torchvision.models.resnet import resnet50
import torchvision.models as _tvm

resnet18 = _tvm.resnet18


def local_model(pretrained=False):
    """The one entrypoint defined here."""
    model = resnet50()
    if pretrained:
        model.load_state_dict(load_state_dict_from_url(Path("weights.pth").as_uri()))
    return model
