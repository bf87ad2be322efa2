"""Constants shared by the CIFAR models (a module whose name starts with cifar)."""
cifar10_mean = (0.4914, 0.4822, 0.4465)
cifar10_std = (0.2470, 0.2435, 0.2616)
