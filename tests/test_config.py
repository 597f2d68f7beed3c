"""Thresholds from the TOML config file: defaults, overrides, and one-line errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.store.config import config_path, load_thresholds
from kamtui.store.errors import StoreError


def write(tmp_path: Path, text: str | bytes) -> Path:
    p = tmp_path / "config.toml"
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def error(path: Path) -> str:
    with pytest.raises(StoreError) as info:
        load_thresholds(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    assert load_thresholds(tmp_path / "missing.toml") == DEFAULT_THRESHOLDS == Thresholds()


@pytest.mark.parametrize("text", ["", "[other]\nx = 1\n", "[thresholds]\n"])
def test_file_without_thresholds_gives_defaults(tmp_path: Path, text: str) -> None:
    assert load_thresholds(write(tmp_path, text)) == DEFAULT_THRESHOLDS


def test_thresholds_table_overrides_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[thresholds]\nkey_player_silence_days = 30\nreview_late_periods = 2\ncontact_max_factor = 1.25\n",
    )
    th = load_thresholds(path)
    assert th == Thresholds(key_player_silence_days=30, review_late_periods=2.0, contact_max_factor=1.25)
    assert th.champion_silence_days == DEFAULT_THRESHOLDS.champion_silence_days
    assert isinstance(th.review_late_periods, float) and isinstance(th.key_player_silence_days, int)


def test_whole_float_for_days_is_accepted(tmp_path: Path) -> None:
    th = load_thresholds(write(tmp_path, "[thresholds]\nchampion_silence_days = 45.0\n"))
    assert th.champion_silence_days == 45 and isinstance(th.champion_silence_days, int)


def test_env_var_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[thresholds]\nchampion_silence_days = 10\n")
    monkeypatch.setenv("KAMTUI_CONFIG", str(path))
    assert config_path() == path
    assert load_thresholds().champion_silence_days == 10


def test_unknown_key(tmp_path: Path) -> None:
    msg = error(write(tmp_path, "[thresholds]\nkey_player_silense_days = 30\n"))
    assert "unknown threshold 'key_player_silense_days'" in msg and "key_player_silence_days" in msg


@pytest.mark.parametrize(
    "value",
    ["-1", "0", "-0.5", "true", "false", '"60"', "[60]", "{ days = 60 }", "1979-05-27", "inf", "nan", "-inf"],
)
def test_not_a_positive_number(tmp_path: Path, value: str) -> None:
    msg = error(write(tmp_path, f"[thresholds]\nkey_player_silence_days = {value}\n"))
    assert "threshold key_player_silence_days must be a positive number" in msg


@pytest.mark.parametrize("value", ["inf", "nan"])
def test_non_finite_factor_is_refused(tmp_path: Path, value: str) -> None:
    # int(every * inf) would crash the queue; nan would switch the red contact alert off.
    msg = error(write(tmp_path, f"[thresholds]\ncontact_max_factor = {value}\n"))
    assert "contact_max_factor must be a positive number" in msg


@pytest.mark.parametrize("value", ["0.5", "30.5"])
def test_fractional_days_are_refused(tmp_path: Path, value: str) -> None:
    # int(0.5) would silently be 0 days: every contact "silent".
    msg = error(write(tmp_path, f"[thresholds]\nchampion_silence_days = {value}\n"))
    assert "must be a whole number of days" in msg


@pytest.mark.parametrize(
    "text",
    [
        "[thresholds\nkey_player_silence_days = 30\n",
        "[thresholds]\nkey_player_silence_days = \n",
        "[thresholds]\nkey_player_silence_days = 30\nkey_player_silence_days = 40\n",
        b"[thresholds]\nchampion_silence_days = 30 # \xff\n",
    ],
)
def test_invalid_toml(tmp_path: Path, text: str | bytes) -> None:
    assert "not valid TOML" in error(write(tmp_path, text))


def test_thresholds_not_a_table(tmp_path: Path) -> None:
    assert "[thresholds] must be a table" in error(write(tmp_path, "thresholds = 3\n"))


def test_unreadable_path(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert error(folder).startswith(f"cannot read {folder}")
