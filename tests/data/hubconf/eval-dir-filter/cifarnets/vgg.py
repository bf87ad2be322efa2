"""VGG nets: one builder per dataset and depth, made in a loop."""
import sys

import torch.nn as nn

_CFGS = {
    "vgg11": [64, "M", 128, "M", 256, 256, "M"],
    "vgg13": [64, 64, "M", 128, 128, "M", 256, 256, "M"],
}
_DATASETS = {"cifar10": 10, "cifar100": 100}

__all__ = ["VGG"]


class VGG(nn.Module):
    def __init__(self, cfg, num_classes):
        super().__init__()
        self.cfg = cfg
        self.fc = nn.Linear(256, num_classes)


def _builder(dataset, arch):
    def build(pretrained=False, progress=True, **kwargs):
        return VGG(_CFGS[arch], _DATASETS[dataset])

    build.__name__ = "%s_%s" % (dataset, arch)
    build.__doc__ = "%s for %s." % (arch.upper(), dataset.upper())
    return build


for _dataset in _DATASETS:
    for _arch in _CFGS:
        _fn = _builder(_dataset, _arch)
        setattr(sys.modules[__name__], _fn.__name__, _fn)
        __all__.append(_fn.__name__)
