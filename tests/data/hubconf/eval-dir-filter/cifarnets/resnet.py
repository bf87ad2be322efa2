"""ResNets for 32x32 images."""
import torch.nn as nn

__all__ = ["CifarResNet", "cifar10_resnet20", "cifar10_resnet32",
           "cifar100_resnet20", "cifar100_resnet32", "cifar_mean"]

cifar_mean = (0.5071, 0.4865, 0.4409)


class CifarResNet(nn.Module):
    """ResNet with three stages of ``depth`` basic blocks each."""

    def __init__(self, depth, num_classes=10):
        super().__init__()
        self.depth = depth
        self.fc = nn.Linear(64, num_classes)


def _resnet(depth, num_classes, pretrained, progress):
    model = CifarResNet(depth, num_classes)
    if pretrained:
        raise RuntimeError("offline copy: no weights")
    return model


def cifar10_resnet20(pretrained=False, progress=True):
    """ResNet-20 for CIFAR-10 (0.27M parameters)."""
    return _resnet(3, 10, pretrained, progress)


def cifar10_resnet32(pretrained=False, progress=True):
    """ResNet-32 for CIFAR-10."""
    return _resnet(5, 10, pretrained, progress)


def cifar100_resnet20(pretrained=False, progress=True):
    """
    ResNet-20 for CIFAR-100.
    """
    return _resnet(3, 100, pretrained, progress)


def cifar100_resnet32(pretrained=False, progress=True):
    return _resnet(5, 100, pretrained, progress)
