"""``kamtui due --days N`` past what a calendar holds: a usage error naming the bound, never an
OverflowError. Real subprocesses: the exit code and stderr are what a script sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import TODAY_ARGS, assert_one_error, kamtui_run, sealed_env
from tests.ui_fixtures import build_portfolio


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("days") / "kamtui.json"
    build_portfolio(path)
    return path


@pytest.mark.parametrize("days", ["99999999999", "3000000", "3661", "-5", "-99999999999"])
def test_days_out_of_range_is_a_usage_error_naming_the_bound(tmp_path: Path, db: Path, days: str) -> None:
    before = db.read_bytes()
    run = kamtui_run(
        tmp_path, "due", "--db", db, *TODAY_ARGS, "--days", days, env=sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    )
    line = assert_one_error(run, 1)
    assert line == f"kamtui: --days must be from 0 to 3660 (ten years), not {days}"
    assert run.out == ""
    assert db.read_bytes() == before


@pytest.mark.parametrize("days", ["0", "3660"])
def test_days_within_the_bound_still_work(tmp_path: Path, db: Path, days: str) -> None:
    run = kamtui_run(
        tmp_path, "due", "--db", db, *TODAY_ARGS, "--days", days, env=sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    )
    assert run.rc == 0 and run.err == "", run
    assert run.out


def test_days_past_the_calendars_end_is_a_usage_error(tmp_path: Path, db: Path) -> None:
    """Within the bound, but from a (frozen) today near the year 9999: still one line, exit 1.
    Such a today is now refused itself, outside the dates kamtui keeps (tests/test_fix_cli2_today.py)."""
    env = sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    run = kamtui_run(tmp_path, "due", "--db", db, "--today", "9999-06-01", "--days", "3660", env=env)
    line = assert_one_error(run, 1)
    assert line == "kamtui: --today: 9999-06-01 is outside the dates kamtui keeps (1970-01-01 to 2100-12-31)"
