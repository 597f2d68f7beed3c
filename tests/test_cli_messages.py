"""CLI messages name the user's own file, cleaned: control characters visible, one line, never a temp file."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from kamtui import cli
from kamtui.domain.model import Account, Tier
from kamtui.store import Store
from tests.cli_run import assert_one_error, kamtui_run, sealed_env

ESC_NAME = "\x1b[31mRED\x1b]0;owned\x07"
SHOWN = "^[[31mRED^[]0;owned^G"


def _db(path: Path) -> Path:
    store = Store(path, user="tester")
    try:
        store.insert("accounts", Account(name="Acme", tier=Tier.KEY, owner="ana", revenue=10).to_doc())
    finally:
        store.close()
    return path


def _raw_controls(text: str) -> list[str]:
    return [repr(ch) for ch in text if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F)]


# ------------------------------------------------------------------------ real processes


def test_db_from_the_environment_is_shown_cleaned(tmp_path: Path) -> None:
    run = kamtui_run(tmp_path, "due", env=sealed_env(tmp_path, KAMTUI_DB=ESC_NAME))
    line = assert_one_error(run, 2)
    assert _raw_controls(run.err) == []
    assert SHOWN in line and "no database at" in line


@pytest.mark.parametrize(
    "command", [("due",), ("check",), ("export", "--format", "json"), ("import-json", "x.json", "--dry-run")]
)
def test_db_flag_with_line_breaks_and_bidi_stays_one_clean_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    (tmp_path / "x.json").write_text('{"_export": {"1": {"format": "kamtui", "schema": 1}}}', encoding="utf-8")
    name = "a\nb\u202e" + ESC_NAME + ".json"
    run = kamtui_run(tmp_path, *command, "--db", str(tmp_path / "missing" / name))
    assert_one_error(run, 2)
    assert _raw_controls(run.err) == [] and "\u202e" not in run.err
    assert SHOWN in run.err


def test_check_names_the_file_cleaned_on_stdout_too(tmp_path: Path) -> None:
    db = _db(tmp_path / (ESC_NAME + ".json"))
    run = kamtui_run(tmp_path, "check", "--db", db)
    assert run.rc == 0, run
    assert _raw_controls(run.out + run.err) == []
    assert f"{SHOWN}.json: OK" in run.out


def test_import_of_a_hostile_file_name_is_shown_cleaned(tmp_path: Path) -> None:
    run = kamtui_run(tmp_path, "import", tmp_path / (ESC_NAME + ".csv"), "--db", tmp_path / "k.json")
    line = assert_one_error(run, 2)
    assert _raw_controls(run.err) == [] and SHOWN in line


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_export_into_a_missing_folder_names_the_file_asked_for(tmp_path: Path, fmt: str) -> None:
    db = _db(tmp_path / "k.json")
    target = Path("/nonexistent-dir") / f"x.{fmt}"
    run = kamtui_run(tmp_path, "export", "--db", db, "--format", fmt, "-o", target)
    line = assert_one_error(run, 2)
    assert line == f"kamtui: cannot write {target}: No such file or directory; nothing was written"
    assert not target.parent.exists()


# ------------------------------------------------------------------------ a full disk


def _enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = cli.main(argv)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kamtui: "), err
    return rc, err.strip()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.endswith(".lock")}


def test_a_full_disk_during_import_json_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _db(tmp_path / "source.json")
    dump = tmp_path / "dump.json"
    assert cli.main(["export", "--db", str(source), "--format", "json", "-o", str(dump)]) == 0
    folder = tmp_path / "data"
    folder.mkdir()
    db = _db(folder / "k.json")
    Store(db).close()  # compacted: the data is in the snapshot
    before = _snapshot(folder)
    capsys.readouterr()
    monkeypatch.setattr(os, "write", _enospc)
    rc, line = _main(["import-json", str(dump), "--db", str(db)], capsys)
    monkeypatch.undo()
    assert rc == 2
    assert line == f"kamtui: cannot write {db}: No space left on device; nothing was imported"
    after = _snapshot(folder)
    assert {k: v for k, v in after.items() if v} == {k: v for k, v in before.items() if v}
    store = Store(db, create=False)
    try:
        assert [a["name"] for _, a in store.all("accounts")] == ["Acme"]
    finally:
        store.close(compact=False)


def test_a_full_disk_during_csv_import_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _db(tmp_path / "k.json")
    csv_file = tmp_path / "accounts.csv"
    csv_file.write_text("name,owner\nGlobex,ben\n", encoding="utf-8")
    monkeypatch.setattr(os, "write", _enospc)
    rc, line = _main(["import", str(csv_file), "--db", str(db)], capsys)
    monkeypatch.undo()
    assert rc == 2
    assert line == f"kamtui: cannot write {db}: No space left on device; nothing was imported"


def test_a_full_disk_during_export_names_the_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _db(tmp_path / "k.json")
    out = tmp_path / "out"
    out.mkdir()
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:  # the second of the three CSV files does not fit
        calls.append(fd)
        if len(calls) == 2:
            _enospc()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    rc, line = _main(["export", "--db", str(db), "--format", "csv", "-o", str(out / "p.csv")], capsys)
    monkeypatch.undo()
    assert rc == 2
    assert line == f"kamtui: cannot write {out / 'p-stakeholders.csv'}: No space left on device; nothing was written"
    assert list(out.iterdir()) == []  # neither the first table nor any temp file
