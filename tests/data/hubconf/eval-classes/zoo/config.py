from dataclasses import dataclass
from typing import Optional


class Resolution:
    """A height and a width."""


@dataclass
class BaseConfig:
    depth: int = 18
    name: str = "base"


@dataclass
class NetConfig(BaseConfig):
    resolution: Resolution = None
    scale: float = 1.5
    note: "Optional[str]" = None
    tags: tuple = ("a", "b")


@dataclass
class Documented:
    """A dataclass with its own docstring."""

    size: int = 1
