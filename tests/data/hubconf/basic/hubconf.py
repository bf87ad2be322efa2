"""A module docstring is not an entrypoint."""
dependencies = ["torch", 'numpy']

CONSTANT = 3
_private_constant = "x"


def model_a(pretrained=False, **kwargs):
    """Build model A.

    Args:
        pretrained: load weights.
    """
    return None


async def fetch_weights(url, timeout=10):
    '''Fetch weights asynchronously.'''


class Net:
    """A network.

        Indented more than the first line.
    """

    def __init__(self, depth, width=64, *, name='net') -> None:
        self.depth = depth

    def forward(self, x):
        """Not an entrypoint."""
        return x


class Plain:
    pass


def no_doc(x, y):
    return x + y


def _hidden():
    """Private: not listed, but help finds it."""


@staticmethod
def decorated(a, b=2):
    """Decorated once."""


@(lambda **kw: (lambda f: f))(
    name="spread",
    over=["lines", "and", "lines"],
)
def spread_decorator(x):
    """Decorator spanning lines."""


def multi_line_signature(
    first,
    second=(1, 2),  # a comment
    *args,
    third: int = 3,
    **kwargs,
) -> dict:
    """Signature over several lines."""
