from typing import Any, Optional

from torch import nn

from ._api import _set_default_param, renamed_kwargs, register_model

__all__ = ["SmallNet", "small_a"]


class SmallNet(nn.Module):
    def __init__(self, width: int, num_classes: int = 1000) -> None:
        super().__init__()
        self.body = nn.Conv2d(3, width, 3)
        self.fc = nn.Linear(width, num_classes)


@register_model()
@renamed_kwargs(pretrained="weights")
def small_a(*, weights: Optional[str] = None, progress: bool = True, **kwargs: Any):
    """SmallNet-A from the "Small Nets" note.

    .. betastatus:: classification model

    Args:
        weights (str, optional): the pretrained weights to use; none exist yet.
        progress (bool, optional): show a progress bar. Default: ``True``.
        **kwargs: passed to ``SmallNet``.
    """
    if weights is not None:
        _set_default_param(kwargs, "num_classes", 1000)
    return SmallNet(32, **kwargs)


@register_model(name="small_b")
def _small_b_impl(*, weights: Optional[str] = None, progress: bool = True, **kwargs: Any):
    """SmallNet-B, registered under a name of its own."""
    return SmallNet(64, **kwargs)


@register_model(name="Small_Upper")
def small_upper(**kwargs: Any):
    """Registered with capitals: get_model_builder lowercases, so hubconf cannot use it."""
    return SmallNet(8, **kwargs)
