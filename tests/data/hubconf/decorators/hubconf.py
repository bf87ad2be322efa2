from wrapping import keep_doc, register


@keep_doc
def wrapped(a, b=2):
    """Docstring kept by functools.wraps."""


@register(
    name="multi",
)
@keep_doc
def stacked(*, weights=None, progress=True):
    """Two decorators, one over several lines."""


@register()
class Registered:
    """A decorated class."""

    def __init__(self, x):
        pass
