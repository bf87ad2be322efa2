import functools
import inspect
import sys
import warnings
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, TypeVar

__all__ = ["register_model", "list_models", "get_model_builder", "get_model"]

M = TypeVar("M")

BUILTIN_MODELS: Dict[str, Callable[..., Any]] = {}


def register_model(name: Optional[str] = None) -> Callable[[Callable[..., M]], Callable[..., M]]:
    """A decorator factory: ``@register_model()`` or ``@register_model(name="x")``."""

    def wrapper(fn: Callable[..., M]) -> Callable[..., M]:
        key = name if name is not None else fn.__name__
        if key in BUILTIN_MODELS:
            raise ValueError(f"An entry is already registered under the name '{key}'.")
        BUILTIN_MODELS[key] = fn
        return fn

    return wrapper


def list_models(module=None) -> List[str]:
    """The registered names, sorted; only those of ``module`` when given."""
    models = [
        k for k, v in BUILTIN_MODELS.items()
        if module is None or v.__module__.rsplit(".", 1)[0] == module.__name__
    ]
    return sorted(models)


def get_model_builder(name: str) -> Callable[..., Any]:
    """The builder registered as ``name`` (case does not matter)."""
    name = name.lower()
    try:
        fn = BUILTIN_MODELS[name]
    except KeyError:
        raise ValueError(f"Unknown model {name}")
    return fn


def get_model(name: str, **config: Any) -> Any:
    """Build the model registered as ``name`` with ``config``."""
    fn = get_model_builder(name)
    return fn(**config)


def renamed_kwargs(**renamed: str):
    """Accept old keyword names for a while, with a warning."""

    def outer(builder):
        params = inspect.signature(builder).parameters

        @functools.wraps(builder)
        def inner(*args, **kwargs):
            for old, new in renamed.items():
                if old in kwargs:
                    warnings.warn(f"'{old}' is deprecated, use '{new}'", stacklevel=2)
                    if new not in params:
                        raise TypeError(new)
                    kwargs[new] = kwargs.pop(old)
            return builder(*args, **kwargs)

        return inner

    return outer


def _set_default_param(kwargs: Dict[str, Any], param: str, new_value: Any) -> None:
    if param in kwargs:
        if kwargs[param] != new_value:
            raise ValueError(f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead.")
    else:
        kwargs[param] = new_value
