from typing import Any

from torch import nn

from ._api import register_model

__all__ = ["wide_x2", "wide_x4"]


def _wide(factor: int, **kwargs: Any):
    return nn.Conv2d(3, 16 * factor, 3)


@register_model()
def wide_x2(*, weights=None, progress: bool = True, **kwargs: Any):
    '''Wide net, twice the width.'''
    return _wide(2, **kwargs)


@register_model()
def wide_x4(*, weights=None, progress: bool = True, **kwargs: Any):
    return _wide(4, **kwargs)
