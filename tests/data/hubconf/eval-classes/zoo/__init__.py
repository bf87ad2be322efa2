"""A model zoo whose registry fills itself as classes are defined."""
from .base import MODELS, Model, build
from . import nets  # noqa: F401  (defining the classes registers them)
