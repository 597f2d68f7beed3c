"""User settings: risk and queue thresholds from a TOML file.

``$KAMTUI_CONFIG`` or ``platformdirs.user_config_path("kamtui") / "config.toml"``::

    [thresholds]
    contact_max_factor = 1.5
    key_player_silence_days = 60
    champion_silence_days = 60
    review_late_periods = 1.0
"""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path

from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.store.errors import StoreError


def config_path() -> Path:
    env = os.environ.get("KAMTUI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("kamtui") / "config.toml"


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Defaults, overridden by the [thresholds] table of the config file if there is one."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return DEFAULT_THRESHOLDS
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    import tomllib  # only when there is a file: the TUI's start-up is measured in milliseconds

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("thresholds", {})
    if not isinstance(table, dict):
        raise StoreError(f"{path}: [thresholds] must be a table")
    fields = {f.name: f for f in dataclasses.fields(Thresholds)}
    values = {}
    for key, value in table.items():
        if key not in fields:
            raise StoreError(f"{path}: unknown threshold {key!r}; known: {', '.join(fields)}")
        default = getattr(DEFAULT_THRESHOLDS, key)
        # inf and nan are valid TOML floats; they would crash the queue (int(inf)) or disable a rule.
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise StoreError(f"{path}: threshold {key} must be a positive number, not {value!r}")
        if isinstance(default, int) and value != int(value):
            # int(0.5) would silently become 0 days
            raise StoreError(f"{path}: threshold {key} must be a whole number of days, not {value!r}")
        values[key] = type(default)(value)
    return dataclasses.replace(DEFAULT_THRESHOLDS, **values)
