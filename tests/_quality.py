"""Helpers of the quality gate: load a scorer from ../shared/eval, record figures, check floors."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED

EVAL = SHARED / "eval"
ARTIFACT = ROOT / "test-artifacts" / "quality.json"


def need(path: Path) -> Path:
    """``path`` under ../shared, or skip saying why (../shared exists here and in CI only)."""
    if not path.exists():
        pytest.skip(f"{path} is not here: the quality gate needs ../shared (the project's workplace and CI)")
    return path


def scorer(relative: str) -> ModuleType:
    """Import a scorer of ../shared/eval by its path, e.g. ``score.py`` or ``polnear/score_polnear.py``."""
    file = need(EVAL / relative)
    spec = importlib.util.spec_from_file_location(file.stem, file)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(name: str, figures: dict[str, Any]) -> None:
    """Merge ``figures`` under ``name`` into test-artifacts/quality.json (the stop hook prints it)."""
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(ARTIFACT.read_text()) if ARTIFACT.is_file() else {}
    data[name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
    tmp = ARTIFACT.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.replace(ARTIFACT)


def check(name: str, figures: dict[str, float], floors: dict[str, float]) -> None:
    """Record the figures, then fail naming every one below its pinned floor."""
    record(name, figures)
    missing = sorted(set(floors) - set(figures))
    assert not missing, f"{name}: no figure for {missing}"
    low = {k: (round(figures[k], 4), floor) for k, floor in floors.items() if figures[k] < floor}
    assert not low, f"{name} below its floors (figure, floor): {low}"
