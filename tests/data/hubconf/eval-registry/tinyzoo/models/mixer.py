"""MLP mixers.

This module has no ``__all__`` of its own: the first registration makes one.
"""
from torch import nn

from ._registry import register_model


class _Mixer(nn.Module):
    def __init__(self, dim, depth, num_classes=1000):
        super().__init__()
        self.blocks = nn.Sequential(*[nn.Linear(dim, dim) for _ in range(depth)])
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        return self.head(self.blocks(x))


@register_model
def mixer_s16(pretrained=False, **kwargs):
    '''Mixer-S/16.

    Args:
        pretrained: must be False, no weights are published.
        **kwargs: passed to the model.
    '''
    return _Mixer(512, 8, **kwargs)


@register_model
def mixer_b16(pretrained=False, **kwargs):
    """Mixer-B/16: twelve blocks of width 768."""
    return _Mixer(768, 12, **kwargs)


# Registering the same name twice warns and keeps the last definition.
@register_model
def mixer_b16(pretrained=False, num_classes=1000, **kwargs):
    """Mixer-B/16 \u2014 the second definition, the one that stays."""
    return _Mixer(768, 12, num_classes=num_classes, **kwargs)
