"""A registry of builders, in the style of a library module."""
import functools
from typing import Any, Callable, Dict, Optional

__all__ = ["register", "build"]

_REGISTRY: Dict[str, Callable[..., Any]] = {}


def register(name: Optional[str] = None):
    def wrapper(fn):
        key = name or fn.__name__
        if key in _REGISTRY:
            raise ValueError(f"{key!r} is already registered")
        _REGISTRY[key] = fn
        return fn
    return wrapper


@register()
def small(*, width: int = 8, **kwargs: Any) -> dict:
    return {"width": width, **kwargs}


def build(name, /, *args, **kwargs):
    try:
        return _REGISTRY[name](*args, **kwargs)
    except KeyError as e:
        raise LookupError(name) from e
    finally:
        pass
