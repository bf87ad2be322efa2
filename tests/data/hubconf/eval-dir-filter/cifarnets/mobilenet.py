"""MobileNet for CIFAR; no __all__, so a star import takes every public name."""
from functools import reduce

import torch.nn as nn


class CifarMobileNet(nn.Module):
    '''Depthwise separable convolutions, 32x32 input.'''

    def __init__(self, width_mult=1.0, num_classes=10):
        super().__init__()
        self.fc = nn.Linear(int(1024 * width_mult), num_classes)


def cifar10_mobilenet(pretrained=False, width_mult=1.0):
    """MobileNet for CIFAR-10; width_mult scales every layer."""
    return CifarMobileNet(width_mult, 10)


def _cifar_private(pretrained=False):
    """Private: a star import does not bring it."""
    return CifarMobileNet()


cifar_widths = [0.5, 0.75, 1.0]
cifar_total = reduce(lambda a, b: a + b, cifar_widths)
