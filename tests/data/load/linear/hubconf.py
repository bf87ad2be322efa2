# A tiny torch model, defined here so that --save pickles a class of
# hubconf.py itself.
dependencies = ['torch']

import torch


class Tiny(torch.nn.Module):
    def __init__(self, width):
        super().__init__()
        self.linear = torch.nn.Linear(width, 2)

    def forward(self, x):
        return self.linear(x)


def tiny(width=4, seed=0):
    """A Linear(width, 2) with seeded weights."""
    torch.manual_seed(seed)
    return Tiny(width)


def linear(width=4, seed=0):
    torch.manual_seed(seed)
    return torch.nn.Linear(width, 2)


def tensor():
    return torch.zeros(2, 3)


def half():
    torch.manual_seed(0)
    return torch.nn.Linear(3, 1).half()
