"""User settings: risk and queue thresholds from a TOML file.

``$KAMTUI_CONFIG`` or ``platformdirs.user_config_path("kamtui") / "config.toml"``::

    [thresholds]
    contact_max_factor = 1.5
    key_player_silence_days = 60
    champion_silence_days = 60
    review_late_periods = 1.0

No file at the default location means the defaults; a file named by ``$KAMTUI_CONFIG`` must
exist (``KAMTUI_CONFIG=/dev/null`` asks for the defaults). Anything the file says that kamtui
does not know (a table other than ``[thresholds]``, a key it does not have, a value that is not
a positive number) is an error, never half-ignored: :class:`StoreError`, one line naming the file.
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
    """Defaults, overridden by the [thresholds] table of the config file.

    ``path`` (or the file named by ``$KAMTUI_CONFIG``) must exist; only the default location
    may have no file.
    """
    env = bool(os.environ.get("KAMTUI_CONFIG"))
    named = path is not None or env
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:
            raise StoreError(f"{path}: no such config file" + (" (named by KAMTUI_CONFIG)" if env else "")) from None
        return DEFAULT_THRESHOLDS
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    import tomllib  # only when there is a file: the TUI's start-up is measured in milliseconds

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: not valid TOML ({exc})") from None
    for name, value in data.items():
        if name == "thresholds":
            continue
        if isinstance(value, dict):  # a typo such as [threshold] must not leave the defaults in force
            raise StoreError(f"{path}: unknown table [{name}]; known: [thresholds]")
        raise StoreError(f"{path}: unknown setting {name!r} outside [thresholds]")
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
