import functools
from functools import partial
import impl
from impl import target

alias = target
dotted_alias = impl.other
partial_entry = functools.partial(target, b=2)
partial_imported = partial(target, 3)
lambda_entry = lambda x, y=2: x + y
parenthesised = (target)
text = "a" + "b"
number = -1
nothing = None
mapping = dict(a=1)
a_list = [target, alias]
a_tuple = target, alias
chained_one = chained_two = target


def gone():
    """Deleted below."""


del gone


def rebound():
    """First definition."""


rebound = 5


def documented_later(x):
    pass


documented_later.__doc__ = """Assigned after the definition."""


def copied_doc():
    pass


copied_doc.__doc__ = target.__doc__
annotated: int = 5
annotated_alias: object = impl.other
