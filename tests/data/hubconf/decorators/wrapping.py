import functools


def keep_doc(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        """The wrapper's own docstring, hidden by wraps."""
        return fn(*args, **kwargs)

    return wrapper


def register(name=None):
    def decorate(fn):
        return fn

    return decorate
