MODELS = {}


class Model:
    """Base of every model."""

    size = 0

    def __init_subclass__(cls, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if name is not None:
            MODELS[name] = cls

    def __init__(self, pretrained=False):
        self.pretrained = pretrained


def build(kind, pretrained=False):
    """Build a model by kind."""
    return MODELS[kind](pretrained)
