"""Vision transformers, registered through a stacked decorator."""
import functools

from torch import nn

from ._registry import register_model

__all__ = []


def _checks_kwargs(fn):
    @functools.wraps(fn)
    def checked(*args, **kwargs):
        if "img_size" in kwargs and kwargs["img_size"] % 16:
            raise ValueError("img_size must be a multiple of 16")
        return fn(*args, **kwargs)

    return checked


def _vit(dim, depth, **kwargs):
    layer = nn.TransformerEncoderLayer(dim, 4, batch_first=True)
    return nn.TransformerEncoder(layer, depth)


@register_model
@_checks_kwargs
def vit_tiny_patch16(pretrained=False, img_size=224, **kwargs):
    """ViT-Tiny/16 at 224 pixels."""
    return _vit(192, 12, **kwargs)


@register_model
@_checks_kwargs
def vit_small_patch16(pretrained=False, img_size=224, **kwargs):
    """
        ViT-Small/16.

        Indented on the first line too.
    """
    return _vit(384, 12, **kwargs)
