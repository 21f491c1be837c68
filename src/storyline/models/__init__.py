"""Small learned models shipped with the package (written by ``make train-…`` from ../shared).

Each model file lives beside this module and is read with :func:`path`; nothing is fetched at run
time. A missing file is a packaging error, reported with the command that rebuilds it.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

from storyline.errors import ConfigError


def path(name: str, rebuild: str) -> Traversable:
    """The shipped model file ``name``; ``rebuild`` is the make target that writes it."""
    found = resources.files("storyline.models").joinpath(name)
    if not found.is_file():
        raise ConfigError(f"model file {name} is missing from the package; run `make {rebuild}`")
    return found


__all__ = ["path"]
