LAYERS = {}


class LayerMeta(type):
    """Registers every layer class but the root."""

    def __new__(mcs, name, bases, namespace, **kwargs):
        namespace.setdefault("kind", name.lower())
        cls = super().__new__(mcs, name, bases, namespace)
        if bases:
            LAYERS[cls.kind] = cls
        return cls

    def __init__(cls, name, bases, namespace, **kwargs):
        super().__init__(name, bases, namespace)
        cls.registered = bool(bases)


class Layer(metaclass=LayerMeta):
    """Root layer."""

    def __init__(self, channels=8):
        self.channels = channels


class Conv(Layer):
    """A convolution layer."""


class Pool(Layer):
    """A pooling layer."""

    kind = "pooling"


def registered(name, bases, namespace):
    """A metaclass that is a function: type() does the work."""
    cls = type(name, bases, namespace)
    LAYERS[name.lower()] = cls
    return cls


class Norm(metaclass=registered):
    """A normalisation layer, registered by a function."""

    def __init__(self, eps=1e-5):
        self.eps = eps
