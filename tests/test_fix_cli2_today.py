"""``--today`` outside the dates the model keeps (1970 to 2100, kamtui.domain.validate) is a
usage error naming the window, for every command that takes it: ``kamtui due --today
9999-12-31`` ended in "unexpected error: OverflowError" (the queue's date arithmetic), the TUI
in a traceback after creating its database. Real subprocesses: exit code, stderr, files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import assert_one_error, kamtui_run, sealed_env
from tests.ui_fixtures import build_portfolio

WINDOW = "(1970-01-01 to 2100-12-31)"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("today") / "kamtui.json"
    build_portfolio(path)
    return path


def _commands(tmp: Path, db: Path) -> dict[str, tuple[str | Path, ...]]:
    csv_file = tmp / "accounts.csv"
    csv_file.write_text("name,owner\nGlobex,ben\n", encoding="utf-8")
    return {
        "tui": ("--db", db),
        "due": ("due", "--db", db),
        "due-days": ("due", "--db", db, "--days", "30"),
        "check": ("check", "--db", db),
        "export": ("export", "--db", db, "--format", "md"),
        # import has no --today of its own: the main parser's, before the command, reaches it
        "import": ("--today", "{day}", "import", csv_file, "--db", db),
    }


@pytest.mark.parametrize("command", ["tui", "due", "due-days", "check", "export", "import"])
@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01", "1969-12-31", "0001-01-01"])
def test_a_today_outside_the_window_is_a_usage_error(tmp_path: Path, db: Path, command: str, day: str) -> None:
    before, files = db.read_bytes(), sorted(db.parent.iterdir())
    args = [day if a == "{day}" else a for a in _commands(tmp_path, db)[command]]
    if "--today" not in args:
        args += ["--today", day]
    env = sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    run = kamtui_run(tmp_path, *args, env=env)
    line = assert_one_error(run, 1)
    assert line == f"kamtui: --today: {day} is outside the dates kamtui keeps {WINDOW}"
    assert run.out == ""
    assert db.read_bytes() == before
    assert sorted(db.parent.iterdir()) == files  # no journal, no backup


def test_a_today_outside_the_window_for_a_new_database_creates_nothing(tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    run = kamtui_run(
        tmp_path, "--db", new, "--today", "9999-12-31", env=sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    )
    assert assert_one_error(run, 1) == f"kamtui: --today: 9999-12-31 is outside the dates kamtui keeps {WINDOW}"
    assert not new.exists()


@pytest.mark.parametrize("day", ["1970-01-01", "2100-12-31"])
def test_the_window_s_own_ends_still_work(tmp_path: Path, db: Path, day: str) -> None:
    env = sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    for args in (("due", "--days", "3660"), ("export", "--format", "ics")):
        run = kamtui_run(tmp_path, args[0], "--db", db, *args[1:], "--today", day, env=env)
        assert run.rc == 0 and run.err == "", run
        assert run.out
