"""Plain convolutional nets in four sizes."""
from torch import nn

from ._registry import register_model

__all__ = ["ConvNet"]

_WIDTHS = {
    "tiny": (16, 32, 64),
    "small": (32, 64, 128),
    "base": (64, 128, 256),
    "large": (96, 192, 384),
}


class ConvNet(nn.Module):
    """A stack of 3x3 convolutions and a linear head."""

    def __init__(self, widths, num_classes=1000, in_chans=3):
        super().__init__()
        layers = []
        prev = in_chans
        for w in widths:
            layers += [nn.Conv2d(prev, w, 3, padding=1), nn.ReLU(inplace=True)]
            prev = w
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(prev, num_classes)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))


def _create(variant, pretrained=False, **kwargs):
    if pretrained:
        raise RuntimeError("no weights are published for %s" % variant)
    return ConvNet(_WIDTHS[variant.split("_")[-1]], **kwargs)


@register_model
def convnet_tiny(pretrained=False, **kwargs):
    """ConvNet-Tiny: three stages, 16 to 64 channels."""
    return _create("convnet_tiny", pretrained, **kwargs)


@register_model
def convnet_small(pretrained=False, **kwargs):
    """ConvNet-Small.

    Three stages, 32 to 128 channels.
    """
    return _create("convnet_small", pretrained, **kwargs)


@register_model
def convnet_base(pretrained=False, **kwargs):
    r"""ConvNet-Base: 64 to 256 channels (\3x3 kernels)."""
    return _create("convnet_base", pretrained, **kwargs)


@register_model
def convnet_large(pretrained=False, *, drop_rate=0.0, **kwargs):
    return _create("convnet_large", pretrained, **kwargs)


def convnet_unregistered(pretrained=False, **kwargs):
    """Public, but never registered: hubconf does not see it."""
    return _create("convnet_tiny", pretrained, **kwargs)
