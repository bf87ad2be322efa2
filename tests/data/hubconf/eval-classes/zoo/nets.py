from .base import Model


class Tiny(Model, name="tiny_net"):
    """A tiny network."""

    size = 1


class Wide(Tiny, name="wide_net"):
    """A wide network, built on Tiny."""

    def __init__(self, pretrained=False, width=2):
        super().__init__(pretrained)
        self.width = width


class _Hidden(Model):
    """Not registered: no name."""
