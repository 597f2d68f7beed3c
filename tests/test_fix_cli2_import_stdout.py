"""``kamtui import`` and ``kamtui import-json`` with a standard output that cannot be written
(``> /dev/full``): the import is saved before its summary is printed, so the one line says
both, "imported FILE: ...; could not write the report to standard output: no space left on
device", exit 2 (the output failed). It was "Exception ignored ... OSError" and exit 120 (or
Python's "[Errno 28]"), after the database had been written. A dry run saves nothing: its
line says only what could not be written. Real subprocesses, stdout really /dev/full,
buffered (as a user's) and unbuffered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.store import Store
from tests.cli_run import sealed_env
from tests.ui_fixtures import build_portfolio

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")

FULL = "no space left on device"


def _run_into_full(tmp: Path, *args: str | Path, buffered: bool) -> tuple[int, str]:
    env = sealed_env(tmp, KAMTUI_CONFIG="/dev/null")
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "kamtui", *map(str, args)],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp,
            timeout=60,
            check=False,
        )
    return proc.returncode, proc.stderr.decode("utf-8")


def _names(db: Path) -> list[str]:
    store = Store(db, create=False, read_only=True)
    try:
        return sorted(a["name"] for _, a in store.all("accounts"))
    finally:
        store.close(compact=False)


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_csv_import_saved_says_so_when_its_report_cannot_be_written(tmp_path: Path, buffered: bool) -> None:
    db = tmp_path / "k.json"
    src = tmp_path / "accounts.csv"
    src.write_text("name,owner\nGlobex,ben\nInitech,ana\n", encoding="utf-8")
    rc, err = _run_into_full(tmp_path, "import", src, "--db", db, buffered=buffered)
    assert (rc, err) == (
        2,
        "kamtui: imported accounts.csv: 2 created, 0 updated, 0 unchanged, 0 skipped; "
        f"could not write the report to standard output: {FULL}\n",
    )
    assert _names(db) == ["Globex", "Initech"]  # saved all the same


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_json_import_saved_says_so_when_its_report_cannot_be_written(tmp_path: Path, buffered: bool) -> None:
    source = tmp_path / "source.json"
    build_portfolio(source)
    dump = tmp_path / "dump.json"
    env = sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    subprocess.run(
        [sys.executable, "-m", "kamtui", "export", "--db", source, "--format", "json", "-o", dump],
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
        capture_output=True,
    )
    db = tmp_path / "k.json"
    rc, err = _run_into_full(tmp_path, "import-json", dump, "--db", db, buffered=buffered)
    assert rc == 2, err
    assert err.startswith(f"kamtui: imported {dump}: "), err
    assert err.endswith(f" unchanged; could not write the report to standard output: {FULL}\n"), err
    assert err.count("\n") == 1, err
    assert _names(db) == _names(source)


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", ["import", "import-json"])
def test_a_dry_run_whose_report_cannot_be_written_is_one_line(tmp_path: Path, buffered: bool, command: str) -> None:
    db = tmp_path / "k.json"
    build_portfolio(db)
    src = tmp_path / "in.csv"
    src.write_text("name,owner\nGlobex,ben\n", encoding="utf-8")
    if command == "import-json":
        src = tmp_path / "dump.json"
        with open(src, "wb") as out:
            subprocess.run(
                [sys.executable, "-m", "kamtui", "export", "--db", db, "--format", "json"],
                env=sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null"),
                cwd=tmp_path,
                timeout=60,
                check=True,
                stdout=out,
            )
    before = db.read_bytes()
    rc, err = _run_into_full(tmp_path, command, src, "--db", db, "--dry-run", buffered=buffered)
    assert (rc, err) == (2, f"kamtui: cannot write the dry run's report to standard output: {FULL}\n")
    assert db.read_bytes() == before
