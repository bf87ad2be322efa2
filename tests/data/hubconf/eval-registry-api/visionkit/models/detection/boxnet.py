"""Box detectors."""
from typing import Any, Optional

from torch import nn

from .._api import register_model

__all__ = ["boxnet_small", "boxnet_large"]


@register_model()
def boxnet_small(*, weights: Optional[str] = None, num_classes: Optional[int] = None, **kwargs: Any):
    """BoxNet-S: a one-stage detector.

    Returns boxes, labels and scores.
    """
    return nn.Conv2d(3, 4 + (num_classes or 91), 1)


@register_model()
def boxnet_large(*, weights: Optional[str] = None, num_classes: Optional[int] = None, **kwargs: Any):
    """BoxNet-L."""
    return nn.Conv2d(3, 4 + (num_classes or 91), 1)
