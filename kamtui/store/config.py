"""User settings: risk and queue thresholds, and the TUI's keys, from a TOML file.

``$KAMTUI_CONFIG`` or ``platformdirs.user_config_path("kamtui") / "config.toml"``::

    language = "es"     # the words and formats (kamtui.i18n): overrides LC_ALL/LC_MESSAGES/LANG; --lang overrides it

    [thresholds]
    contact_max_factor = 1.5
    key_player_silence_days = 60
    champion_silence_days = 60
    review_late_periods = 1.0
    health_trend_points = 3   # the one trend rule: ▲/▼ once a score moved this many points of 100
    objective_late_red_days = 21   # plan hygiene (kamtui.domain.hygiene): an objective this late is red
    unowned_action_days = 30       # ... an action with no owner is flagged once due within this many days
    stakes_money_unit = 100000     # order by what is at stake (kamtui.domain.stakes): score = urgency x stake
    stakes_tier_key = 2.0          # stakes_tier_candidate = 1.0, stakes_tier_regular = 0.5
    stakes_red_factor = 1.5        # a red relationship map
    stakes_never_contacted_days = 60   # never contacted counts as this many days late
    stakes_undated_red_days = 28       # a red item with no date counts as this many days late

    [risk]              # relationship decay, coverage, risk rules, default cadences (kamtui.domain.contact)
    half_life_days = 40
    coverage_roles = ["economic_buyer", "decision_maker", "champion", "technical_buyer"]
    cadence_high = 30   # default contact cadences: by influence (high, medium, low) ...
    cadence_economic_buyer = 30   # ... and by buying role (cadence_<role>): the shorter wins

    [keys]              # binding id = key(s), comma-separated (the ids: README, "Keys")
    zoom = "Z"
    cursor-down = "n,down"

No file at the default location means the defaults; a file named by ``$KAMTUI_CONFIG`` must
exist (``KAMTUI_CONFIG=/dev/null`` asks for the defaults). Anything the file says that kamtui
does not know (a setting other than ``language`` outside the tables, a table other than
``[thresholds]``, ``[risk]`` and ``[keys]``, a key it does not
have, a value that is not a positive number, a role that is not a buying role, a key binding
that is not a key) is an error, never
half-ignored: :class:`StoreError`, one line naming the file. Which binding ids exist is the
TUI's to know: it refuses an unknown one the same way before it starts (kamtui.ui.keymap).
"""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path
from typing import Any

from kamtui.domain.contact import DEFAULT_RISK_RULES, RiskRules
from kamtui.domain.model import DecisionRole
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.i18n import N_, _
from kamtui.store.errors import StoreError


def config_path() -> Path:
    env = os.environ.get("KAMTUI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("kamtui") / "config.toml"


TABLES = ("thresholds", "keys", "risk")


def _read(path: Path | None) -> tuple[Path, dict[str, Any]]:
    """The config file's path and its tables, checked: empty when the default location has no
    file. ``path`` (or the file named by ``$KAMTUI_CONFIG``) must exist."""
    env = bool(os.environ.get("KAMTUI_CONFIG"))
    named = path is not None or env
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:
            missing = (
                _("{path}: no such config file (named by KAMTUI_CONFIG)") if env else _("{path}: no such config file")
            )
            raise StoreError(missing.format(path=path)) from None
        return path, {}
    except OSError as exc:
        raise StoreError(_("cannot read {path}: {error}").format(path=path, error=exc.strerror)) from None
    import tomllib  # only when there is a file: the TUI's start-up is measured in milliseconds

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(_("{path}: not valid TOML ({error})").format(path=path, error=exc)) from None
    known = ", ".join(f"[{t}]" for t in TABLES)
    for name, value in data.items():
        if name == "language":
            if not isinstance(value, str):
                wrong = _('{path}: language must be a language code such as "es" or "en", not {value}')
                raise StoreError(wrong.format(path=path, value=repr(value)))
            continue
        if name in TABLES:
            if not isinstance(value, dict):
                raise StoreError(_("{path}: [{name}] must be a table").format(path=path, name=name))
            continue
        if isinstance(value, dict):  # a typo such as [threshold] must not leave the defaults in force
            raise StoreError(
                _("{path}: unknown table [{name}]; known: {known}").format(path=path, name=name, known=known)
            )
        raise StoreError(
            _("{path}: unknown setting {name} outside {known}").format(path=path, name=repr(name), known=known)
        )
    _check_keys(path, data.get("keys", {}))
    return path, data


def _check_keys(path: Path, table: dict[str, Any]) -> None:
    for binding, keys in table.items():
        parts = keys.split(",") if isinstance(keys, str) else []
        if not parts or any(not p.strip() or " " in p.strip() for p in parts):
            wrong = _('{path}: [keys] {binding} must be keys such as "Z" or "ctrl+z,f2", not {keys}')
            raise StoreError(wrong.format(path=path, binding=binding, keys=repr(keys)))


def load_language(path: Path | None = None) -> str | None:
    """The top-level ``language = "es"`` of the config file, None when it says none (or there
    is no file). A language kamtui does not speak is not an error here: it is English
    (kamtui.i18n)."""
    value = _read(path)[1].get("language")
    return value if isinstance(value, str) else None


def load_keys(path: Path | None = None) -> dict[str, str]:
    """The [keys] table of the config file: binding id -> key(s); empty when there is none.
    Only its form is checked here; the TUI checks that each binding id exists."""
    return {
        binding: ",".join(p.strip() for p in keys.split(","))
        for binding, keys in _read(path)[1].get("keys", {}).items()
    }


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Defaults, overridden by the [thresholds] table of the config file.

    ``path`` (or the file named by ``$KAMTUI_CONFIG``) must exist; only the default location
    may have no file. The whole file is checked, [keys] included: a config file is never half-read.
    """
    path, data = _read(path)
    if not data:
        return DEFAULT_THRESHOLDS
    table = data.get("thresholds", {})
    if not isinstance(table, dict):
        raise StoreError(_("{path}: [{name}] must be a table").format(path=path, name="thresholds"))
    fields = {f.name: f for f in dataclasses.fields(Thresholds) if f.name != "risk"}  # risk: the [risk] table
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            unknown = _("{path}: unknown threshold {key}; known: {known}")
            raise StoreError(unknown.format(path=path, key=repr(key), known=", ".join(fields)))
        values[key] = _number(path, N_("threshold"), key, value, getattr(DEFAULT_THRESHOLDS, key))
    risk = data.get("risk", {})
    if not isinstance(risk, dict):
        raise StoreError(_("{path}: [{name}] must be a table").format(path=path, name="risk"))
    if risk:
        values["risk"] = _risk_rules(path, risk)
    return dataclasses.replace(DEFAULT_THRESHOLDS, **values)


def _number(path: Path, what: str, key: str, value: Any, default: float) -> float:
    """A positive number of the type of ``default`` (a whole number of days for an int)."""
    # inf and nan are valid TOML floats; they would crash the queue (int(inf)) or disable a rule.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        wrong = _("{path}: {what} {key} must be a positive number, not {value}")
        raise StoreError(wrong.format(path=path, what=_(what), key=key, value=repr(value)))
    if isinstance(default, int) and value != int(value):
        # int(0.5) would silently be 0 days
        wrong = _("{path}: {what} {key} must be a whole number of days, not {value}")
        raise StoreError(wrong.format(path=path, what=_(what), key=key, value=repr(value)))
    return type(default)(value)


_ROLE_NAMES = ", ".join(r.value for r in DecisionRole)


def _role(path: Path, key: str, name: Any) -> DecisionRole:
    try:
        return DecisionRole(name)
    except ValueError:
        wrong = _("{path}: [risk] {key}: {name} is not a buying role; known: {known}")
        raise StoreError(wrong.format(path=path, key=key, name=repr(name), known=_ROLE_NAMES)) from None


def _risk_rules(path: Path, table: dict[str, Any]) -> RiskRules:
    """The [risk] table: numbers as in [thresholds], ``coverage_roles`` a list of buying roles,
    ``cadence_<role>`` a default contact cadence (days) for that role."""
    plain = {f.name for f in dataclasses.fields(RiskRules)} - {"coverage_roles", "role_cadence"}
    known = [*sorted(plain), "coverage_roles", *(f"cadence_{r.value}" for r in DecisionRole)]
    values: dict[str, Any] = {}
    role_cadence = dict(DEFAULT_RISK_RULES.role_cadence)
    for key, value in table.items():
        if key in plain:
            values[key] = _number(path, "[risk]", key, value, getattr(DEFAULT_RISK_RULES, key))
            if key == "cold_weight" and values[key] > 1:  # a weight is at most 1: everyone would be cold
                wrong = _("{path}: [risk] cold_weight must be a weight from 0 to 1, not {value}")
                raise StoreError(wrong.format(path=path, value=repr(value)))
        elif key == "coverage_roles":
            if not isinstance(value, list) or not value:
                wrong = _('{path}: [risk] coverage_roles must be a list of roles such as ["champion"], not {value}')
                raise StoreError(wrong.format(path=path, value=repr(value)))
            roles = tuple(_role(path, key, name) for name in value)
            if len(set(roles)) != len(roles):
                twice = _("{path}: [risk] coverage_roles names a role twice: {value}")
                raise StoreError(twice.format(path=path, value=repr(value)))
            values[key] = roles
        elif key.startswith("cadence_") and key.removeprefix("cadence_") in set(DecisionRole):
            role = DecisionRole(key.removeprefix("cadence_"))
            role_cadence[role] = int(_number(path, "[risk]", key, value, 30))
        else:
            unknown = _("{path}: unknown [risk] setting {key}; known: {known}")
            raise StoreError(unknown.format(path=path, key=repr(key), known=", ".join(known)))
    values["role_cadence"] = tuple(role_cadence.items())
    return dataclasses.replace(DEFAULT_RISK_RULES, **values)
