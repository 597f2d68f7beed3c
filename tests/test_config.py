"""Thresholds from the TOML config file: defaults, overrides, and one-line errors naming the file."""

from __future__ import annotations

import os
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


@pytest.fixture
def default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No KAMTUI_CONFIG: the config is looked for in the (test's own) user config folder."""
    monkeypatch.delenv("KAMTUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return tmp_path / "xdg-config" / "kamtui" / "config.toml"


def test_no_file_at_the_default_location_gives_defaults(default_location: Path) -> None:
    assert config_path() == default_location and not default_location.exists()
    assert load_thresholds() == DEFAULT_THRESHOLDS == Thresholds()


def test_a_file_at_the_default_location_is_read(default_location: Path) -> None:
    default_location.parent.mkdir(parents=True)
    default_location.write_text("[thresholds]\nchampion_silence_days = 20\n", encoding="utf-8")
    assert load_thresholds().champion_silence_days == 20


def test_a_missing_file_named_by_the_env_var_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A typo in KAMTUI_CONFIG must not silently mean "defaults".
    missing = tmp_path / "kamtui.tml"
    monkeypatch.setenv("KAMTUI_CONFIG", str(missing))
    with pytest.raises(StoreError) as info:
        load_thresholds()
    assert str(info.value) == f"{missing}: no such config file (named by KAMTUI_CONFIG)"


def test_a_missing_file_passed_is_an_error(tmp_path: Path) -> None:
    assert "no such config file" in error(tmp_path / "missing.toml")


def test_the_null_device_is_an_empty_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMTUI_CONFIG", os.devnull)  # how tests and scripts ask for the defaults
    assert load_thresholds() == DEFAULT_THRESHOLDS


@pytest.mark.parametrize("text", ["", "[thresholds]\n", "# only a comment\n"])
def test_file_without_thresholds_gives_defaults(tmp_path: Path, text: str) -> None:
    assert load_thresholds(write(tmp_path, text)) == DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[threshold]\nkey_player_silence_days = 30\n", "unknown table [threshold]; known: [thresholds], [keys]"),
        ("[other]\nx = 1\n", "unknown table [other]; known: [thresholds], [keys]"),
        ("key_player_silence_days = 30\n", "unknown setting 'key_player_silence_days' outside [thresholds], [keys]"),
        ("[thresholds]\nchampion_silence_days = 30\n[extra]\n", "unknown table [extra]"),
        ("[thresholds.more]\nx = 1\n", "unknown threshold 'more'"),
    ],
)
def test_unknown_tables_and_settings_are_errors(tmp_path: Path, text: str, says: str) -> None:
    assert says in error(write(tmp_path, text))


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


# ------------------------------------------------------------------ as the user meets it


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "[threshold]\nkey_player_silence_days = 30\n",
            "unknown table [threshold]; known: [thresholds], [keys], [risk]",
        ),
        (None, "no such config file (named by KAMTUI_CONFIG)"),
    ],
    ids=["typo-table", "missing-file"],
)
def test_cli_refuses_a_half_read_config(tmp_path: Path, text: str | None, says: str) -> None:
    from tests.cli_run import assert_one_error, kamtui_run, sealed_env
    from tests.ui_fixtures import build_portfolio

    db = tmp_path / "k.json"
    build_portfolio(db)
    config = tmp_path / "kamtui.toml"
    if text is not None:
        config.write_text(text, encoding="utf-8")
    run = kamtui_run(tmp_path, "due", "--db", db, env=sealed_env(tmp_path, KAMTUI_CONFIG=str(config)))
    line = assert_one_error(run, 2)
    assert line == f"kamtui: {config}: {says}"
    assert run.out == ""


@pytest.mark.parametrize(
    "text", ["[threshold]\nkey_player_silence_days = 30\n", None, "[thresholds]\nchampion_silence_days = -1\n"]
)
def test_tui_refuses_to_start_with_the_same_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str | None
) -> None:
    import kamtui.ui.app
    from kamtui import cli

    started: list[object] = []
    monkeypatch.setattr(kamtui.ui.app, "run_app", lambda *a, **kw: started.append(a))
    config = tmp_path / "kamtui.toml"
    if text is not None:
        config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAMTUI_CONFIG", str(config))
    db = tmp_path / "new" / "k.json"
    assert cli.main(["--db", str(db)]) == cli.EXIT_DATA
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kamtui: {config}: "), err
    assert started == []  # Textual never started: no toast, no defaults
    assert not db.parent.exists()  # and nothing was created


def test_the_app_never_runs_on_defaults_instead_of_a_bad_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamtui.store import Store
    from kamtui.ui.app import KamApp

    monkeypatch.setenv("KAMTUI_CONFIG", str(write(tmp_path, "[threshold]\nchampion_silence_days = 5\n")))
    store = Store(tmp_path / "k.json", user="tester")
    try:
        with pytest.raises(StoreError, match=r"unknown table \[threshold\]"):
            KamApp(store)
    finally:
        store.close(compact=False)
