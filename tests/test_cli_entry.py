"""The command line's doors: a missing, corrupt or symlinked database and a bad config file (one line
on stderr, the right exit code, nothing written), and the TUI's entry points (``kamtui``,
``kamtui --demo``), which need a terminal and so run in-process with ``run_app`` stubbed out.
Subprocesses run sealed (tests.cli_run)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from kamtui.store import Store
from kamtui.ui.app import Loader
from tests.cli_run import TODAY_ARGS, assert_one_error, default_db, kamtui_run, sealed_env
from tests.ui_fixtures import TODAY

# ------------------------------------------------------------------------------ data problems


@pytest.mark.parametrize("command", ["due", "check"])
def test_missing_database_exits_2_and_creates_nothing(tmp_path: Path, command: str) -> None:
    run = kamtui_run(tmp_path, command)
    line = assert_one_error(run, 2)
    assert str(default_db(tmp_path)) in line
    assert not (tmp_path / "xdg-data").exists()

    target = tmp_path / "new" / "sub" / "team.json"
    run = kamtui_run(tmp_path, command, "--db", target)
    assert str(target) in assert_one_error(run, 2)
    assert not (tmp_path / "new").exists()


def _corrupt_cases() -> list[tuple[str, str]]:
    return [
        ("empty", "empty"),
        ("list", "top level is a list"),
        ("truncated", "not valid JSON"),
        ("bad-utf8", "UTF-8"),
        ("trailing", "trailing garbage"),
    ]


def _corrupt_bytes(kind: str, good: bytes) -> bytes:
    return {
        "empty": b"",
        "list": b"[]",
        "truncated": good[: len(good) // 2],
        "bad-utf8": b'{"accounts": {"1": {"name": "caf\xe9", "tier": "key"}}}',
        "trailing": good + b"\n}garbage\n",
    }[kind]


@pytest.mark.parametrize("command", ["due", "check"])
@pytest.mark.parametrize(("kind", "reason"), _corrupt_cases(), ids=[k for k, _ in _corrupt_cases()])
def test_corrupt_file_exits_2_and_is_left_untouched(
    tmp_path: Path, fixture_db: tuple[Path, dict[str, int]], command: str, kind: str, reason: str
) -> None:
    db = tmp_path / "team.json"
    content = _corrupt_bytes(kind, fixture_db[0].read_bytes())
    db.write_bytes(content)
    run = kamtui_run(tmp_path, command, "--db", db, *(TODAY_ARGS if command == "due" else ()))
    line = assert_one_error(run, 2)
    assert reason in line
    assert str(db) in line
    assert run.out == ""
    assert db.read_bytes() == content
    assert not (tmp_path / "team.json.journal").exists() or (tmp_path / "team.json.journal").stat().st_size == 0


@pytest.mark.parametrize("command", ["due", "check"])
def test_symlinked_database_is_refused(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]], command: str) -> None:
    real = tmp_path / "real.json"
    shutil.copyfile(fixture_db[0], real)
    before = real.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    run = kamtui_run(tmp_path, command, "--db", link)
    line = assert_one_error(run, 2)
    assert "symbolic link" in line
    assert run.out == ""
    assert real.read_bytes() == before
    assert link.is_symlink()


@pytest.mark.parametrize(
    ("where", "text", "reason"),
    [
        ("env", "[thresholds\ncontact_max_factor = 1.5\n", "not valid TOML"),
        ("xdg", "[thresholds]\nsilence_days = 30\n", "unknown threshold 'silence_days'"),
        ("env", "[thresholds]\ncontact_max_factor = -1\n", "must be a positive number"),
        ("env", b"[thresholds]\n# caf\xe9\n", "not valid TOML"),
    ],
    ids=["invalid-toml", "unknown-threshold-default-location", "negative-threshold", "not-utf8"],
)
def test_bad_config_file_exits_2(
    tmp_path: Path, fixture_db: tuple[Path, dict[str, int]], where: str, text: str | bytes, reason: str
) -> None:
    if where == "env":
        config = tmp_path / "conf" / "kamtui.toml"
        env = sealed_env(tmp_path, KAMTUI_CONFIG=str(config))
    else:
        config = tmp_path / "xdg-config" / "kamtui" / "config.toml"
        env = sealed_env(tmp_path)
    config.parent.mkdir(parents=True)
    if isinstance(text, str):
        config.write_text(text, encoding="utf-8")
    else:
        config.write_bytes(text)
    run = kamtui_run(tmp_path, "due", "--db", fixture_db[0], *TODAY_ARGS, env=env)
    line = assert_one_error(run, 2)
    assert str(config) in line
    assert reason in line
    assert run.out == ""


def test_valid_config_file_is_accepted(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    config = tmp_path / "xdg-config" / "kamtui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[thresholds]\ncontact_max_factor = 2\nkey_player_silence_days = 120\n", encoding="utf-8")
    run = kamtui_run(tmp_path, "due", "--db", fixture_db[0], *TODAY_ARGS, "--format", "plain")
    assert run.rc == 0, run
    assert run.err == ""
    # Dana: last contact 90 days ago, every 30 days; a factor of 2 still leaves her late.
    assert any(line.startswith("contact\t") for line in run.out.splitlines())


# ------------------------------------------------------------------------------ the TUI entry points, in-process


@dataclass
class Opened:
    path: Path
    today: dt.date | None
    demo: bool
    accounts: int
    existed_in_default: bool


@pytest.fixture
def sealed_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Opened]]:
    """This process's environment sealed like the subprocesses', and ``run_app`` recording what it was given."""
    import kamtui.ui.app

    for key in [k for k in os.environ if k.startswith("KAMTUI_")]:
        monkeypatch.delenv(key)
    for key, value in sealed_env(tmp_path).items():
        if key.startswith(("XDG_", "HOME")):
            monkeypatch.setenv(key, value)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    opened: list[Opened] = []

    def fake_run_app(
        store: Store | None,
        *,
        loader: Loader | None = None,
        today: dt.date | None = None,
        demo: bool = False,
        **_: object,
    ) -> SimpleNamespace:
        if store is None:  # a big file: the app would read it through the loader after its first frame
            assert loader is not None
            store = loader.open()
        opened.append(
            Opened(Path(store.path), today, demo, len(list(store.all("accounts"))), default_db(tmp_path).exists())
        )
        return SimpleNamespace(store=store, loaded=True, load_error="", unsaved=[], stopped_by=None)

    monkeypatch.setattr(kamtui.ui.app, "run_app", fake_run_app)
    yield opened


def test_demo_opens_a_fresh_copy_never_the_default_db(tmp_path: Path, sealed_process: list[Opened]) -> None:
    from kamtui.cli import main

    assert main(["--demo", "--today", TODAY.isoformat()]) == 0
    assert main(["--demo", "--today", TODAY.isoformat()]) == 0
    first, second = sealed_process
    for opened in (first, second):
        assert opened.demo is True
        assert opened.today == TODAY
        assert opened.accounts > 0
        assert opened.path != default_db(tmp_path)
        assert opened.path.is_relative_to(tmp_path / "tmp")
        assert opened.path.parent.name.startswith("kamtui-demo-")
        assert not opened.existed_in_default
    assert first.path.parent != second.path.parent  # each run starts over from a fresh copy
    assert not default_db(tmp_path).exists()
    assert not (tmp_path / "xdg-data").exists()


def test_demo_copy_is_removed_when_the_tui_exits(tmp_path: Path, sealed_process: list[Opened]) -> None:
    from kamtui.cli import main

    assert main(["--demo", "--today", TODAY.isoformat()]) == 0
    [opened] = sealed_process
    assert not opened.path.parent.exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_no_arguments_creates_the_default_db_private(tmp_path: Path, sealed_process: list[Opened]) -> None:
    from kamtui.cli import main

    old = os.umask(0o022)
    try:
        assert main(["--today", TODAY.isoformat()]) == 0
    finally:
        os.umask(old)
    [opened] = sealed_process
    db = default_db(tmp_path)
    assert opened.path == db
    assert opened.demo is False and opened.today == TODAY
    assert opened.accounts == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) & 0o077 == 0


def test_materialize_demo_is_a_valid_private_snapshot_dated_today(tmp_path: Path) -> None:
    from kamtui.sample import materialize_demo
    from kamtui.store.check import check_store

    dest = tmp_path / "demo" / "demo.json"
    dest.parent.mkdir()
    journal = dest.with_name("demo.json.journal")
    journal.write_text('{"stale": "edit from an earlier demo"}\n')
    assert materialize_demo(dest, TODAY) == dest
    assert not journal.exists()
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert json.loads(dest.read_text(encoding="utf-8"))["_demo"] == {"1": {"anchor": TODAY.isoformat()}}
    store = Store(dest, create=False)
    try:
        problems, totals = check_store(store)
    finally:
        store.close(compact=False)
    assert problems == []
    assert totals["accounts"] > 0

    # Built on another day, every date moves with it.
    later = tmp_path / "later.json"
    materialize_demo(later, TODAY + dt.timedelta(days=7))
    a = json.loads(dest.read_text(encoding="utf-8"))["accounts"]
    b = json.loads(later.read_text(encoding="utf-8"))["accounts"]
    shifted = [
        (dt.date.fromisoformat(b[k]["last_review"]) - dt.date.fromisoformat(v["last_review"])).days
        for k, v in a.items()
        if v.get("last_review")
    ]
    assert shifted and set(shifted) == {7}

    # And the CLI reads it as a normal file.
    run = kamtui_run(tmp_path, "due", "--db", dest, *TODAY_ARGS, "--format", "json")
    assert run.rc == 0 and run.err == ""
    assert json.loads(run.out)["items"]


# ------------------------------------------------------------- a --db in a missing folder


def _missing_folder_cases(tmp: Path) -> list[tuple[str, list[str]]]:
    csv = tmp / "accounts.csv"
    csv.write_text("name\nAcme\n", encoding="utf-8")
    dump = tmp / "backup.json"
    dump.write_text('{"_export": {"1": {"format": "kamtui", "schema": 1}}, "accounts": {}}', encoding="utf-8")
    return [
        ("tui", []),
        ("import", ["import", str(csv)]),
        ("import dry run", ["import", str(csv), "--dry-run"]),
        ("import-json", ["import-json", str(dump)]),
    ]


@pytest.mark.parametrize("case", ["tui", "import", "import dry run", "import-json"])
def test_a_db_in_a_folder_that_does_not_exist_is_refused(
    tmp_path: Path,
    sealed_process: list[Opened],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    """As `due` does: one line naming the folder, exit 2, and no folder made that nobody asked
    for (a typo in --db used to create the whole path and an empty database in it)."""
    from kamtui.cli import main

    args = dict(_missing_folder_cases(tmp_path))[case]
    target = tmp_path / "no" / "such" / "team.json"
    for how in ("--db", "KAMTUI_DB"):
        if how == "--db":
            rc = main([*args, "--db", str(target)])
        else:
            monkeypatch.setenv("KAMTUI_DB", str(target))
            rc = main(args)
            monkeypatch.delenv("KAMTUI_DB")
        out, err = capsys.readouterr()
        assert rc == 2, (how, out, err)
        assert err.count("\n") == 1 and err.startswith("kamtui: "), err
        assert f"{target.parent} does not exist" in err
        assert not (tmp_path / "no").exists()
        assert sealed_process == []  # the TUI never started


def test_a_db_whose_folder_is_a_file_is_refused(
    tmp_path: Path, sealed_process: list[Opened], capsys: pytest.CaptureFixture[str]
) -> None:
    from kamtui.cli import main

    (tmp_path / "file").write_text("not a folder")
    assert main(["--db", str(tmp_path / "file" / "team.json")]) == 2
    assert f"{tmp_path / 'file'} is not a folder" in capsys.readouterr().err
    assert sealed_process == []


def test_the_default_db_folder_is_still_made_on_first_run_by_the_writers(
    tmp_path: Path, sealed_process: list[Opened], capsys: pytest.CaptureFixture[str]
) -> None:
    from kamtui.cli import main

    args = dict(_missing_folder_cases(tmp_path))["import"]
    assert main(args) == 0, capsys.readouterr()
    db = default_db(tmp_path)
    assert db.is_file() and stat.S_IMODE(db.parent.stat().st_mode) & 0o077 == 0
