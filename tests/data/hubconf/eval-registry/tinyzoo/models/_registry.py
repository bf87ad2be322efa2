"""The model registry.

Model modules decorate their public builders with ``@register_model``; the
decorator records the function under its own name, adds the name to its
module's ``__all__`` (so a star import re-exports it) and keeps an index of
which module holds which model.
"""
import fnmatch
import sys
import warnings
from collections import defaultdict

__all__ = ["register_model", "register_alias", "list_models", "is_model",
           "model_entrypoint", "create_model"]

_entrypoints = {}                  # name -> builder
_module_of = {}                    # name -> short module name
_models_in = defaultdict(set)      # short module name -> names
_aliases = {}                      # old name -> new name


def register_model(fn):
    """Record ``fn`` in the registry under ``fn.__name__`` and return it."""
    module = sys.modules[fn.__module__]
    parts = fn.__module__.split(".")
    short = parts[-1] if len(parts) else ""

    name = fn.__name__
    if hasattr(module, "__all__"):
        if name not in module.__all__:
            module.__all__.append(name)
    else:
        module.__all__ = [name]

    if name in _entrypoints:
        warnings.warn("model %r registered twice; the last one wins" % name,
                      stacklevel=2)
    _entrypoints[name] = fn
    _module_of[name] = short
    _models_in[short].add(name)
    return fn


def _alias_to(target, old_name):
    def alias(*args, **kwargs):
        warnings.warn("%s is deprecated, use %s" % (old_name, target.__name__),
                      DeprecationWarning, stacklevel=2)
        return target(*args, **kwargs)

    alias.__name__ = old_name
    alias.__qualname__ = old_name
    alias.__doc__ = "Deprecated name of %s." % target.__name__
    return alias


def register_alias(module_name, mapping):
    """Register each old name of ``mapping`` as a deprecated alias."""
    for old, new in mapping.items():
        fn = _alias_to(_entrypoints[new], old)
        _entrypoints[old] = fn
        _aliases[old] = new
        _models_in[module_name].add(old)


def list_models(pattern="", module=""):
    """Sorted names of the registered models, filtered by a glob pattern."""
    if module:
        names = set(_models_in[module])
    else:
        names = set(_entrypoints)
    if pattern:
        names = set(fnmatch.filter(names, pattern))
    return sorted(names)


def is_model(name):
    return name in _entrypoints


def model_entrypoint(name):
    return _entrypoints[name]


def create_model(name, pretrained=False, **kwargs):
    '''Build the model registered as ``name``.

        >>> create_model("convnet_tiny", num_classes=10)
    '''
    if not is_model(name):
        raise RuntimeError("Unknown model (%s)" % name)
    return model_entrypoint(name)(pretrained=pretrained, **kwargs)
