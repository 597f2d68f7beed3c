"""Issue 10 from the command line, with real processes: every entry point agrees on whether a
file is readable, readers create nothing, read-only files stay untouched, a held lock is
reported and given up on, and an imported document stays editable."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from kamtui.cli import main
from kamtui.sample import generate
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from tests.as_user import listing, run_as_other_user, shared_folder
from tests.cli_run import assert_one_error, kamtui_run, sealed_env
from tests.ui_fixtures import TODAY, build_portfolio

READERS = (("due",), ("check",), ("export", "--format", "json"), ("export", "--format", "csv"))


def _readers(tmp: Path, path: Path) -> list[tuple[tuple[str, ...], int, str]]:
    out = []
    for args in READERS:
        run = (
            kamtui_run(tmp, *args, "--db", path, "--today", TODAY.isoformat())
            if args[0] != "check"
            else (kamtui_run(tmp, *args, "--db", path))
        )
        out.append((args, run.rc, run.err))
    return out


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A file in kamtui's own layout with accounts without a cadence (left unparsed by `due`)
    and tables `due` never reads (objectives, interactions, opportunities)."""
    path = tmp_path / "data" / "k.json"
    path.parent.mkdir()
    generate(path, 60, seed=5, today=TODAY)
    with Store(path) as store:
        store.compact()
        store.close(compact=False)
    return path


# ---------------------------------------------------------------- one verdict (items 2, 3)


def _damage_skipped_document(path: Path, damage: bytes) -> None:
    raw = path.read_bytes()
    table = raw.index(b'\n "objectives": {\n')
    start = raw.index(b'"title": "', table) + len(b'"title": "')
    path.write_bytes(raw[:start] + damage + raw[start + len(damage) :])


@pytest.mark.parametrize("damage", [b"\xff\xfe", b"\x00", b'"'])
def test_every_entry_point_refuses_a_file_damaged_where_due_does_not_look(
    tmp_path: Path, generated: Path, damage: bytes
) -> None:
    _damage_skipped_document(generated, damage)
    before = listing(generated.parent)
    for args, rc, err in _readers(tmp_path, generated):
        assert rc == 2, (args, err)
        assert "cannot read" in err and str(generated) in err and "Traceback" not in err, (args, err)
        assert len(err.splitlines()) == 1, err
    assert listing(generated.parent) == before


def test_a_journal_out_of_sequence_stops_every_entry_point(tmp_path: Path, generated: Path) -> None:
    with Store(generated, user="ana") as store:
        for i in range(3):
            store.insert("accounts", {"name": f"edit {i}"})
        store.close(compact=False)
    journal = generated.with_name(generated.name + ".journal")
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0] + lines[2])  # the middle edit is missing
    before = listing(generated.parent)
    for args, rc, err in _readers(tmp_path, generated):
        assert rc == 2 and "sequence number" in err and str(journal) in err, (args, err)
    run = kamtui_run(tmp_path, "import-json", _export_file(tmp_path, {"9": {"name": "X"}}), "--db", generated)
    assert "sequence number" in assert_one_error(run, 2)
    assert listing(generated.parent) == before


# ------------------------------------------------------------------ readers (item 5)


def test_readers_create_nothing_beside_a_good_or_a_refused_file(tmp_path: Path, generated: Path) -> None:
    for p in generated.parent.iterdir():
        if p != generated:
            p.unlink() if p.is_file() else None
    before = listing(generated.parent)
    for args, rc, err in _readers(tmp_path, generated):
        assert rc == 0, (args, err)
    assert listing(generated.parent) == before
    generated.write_bytes(generated.read_bytes()[:-5])  # truncated: refused
    before = listing(generated.parent)
    for args, rc, _ in _readers(tmp_path, generated):
        assert rc == 2, args
    assert listing(generated.parent) == before


def _as_nobody(args: list[str], home: Path) -> tuple[int, str, str]:
    """`main(args)` in a forked child running as another user, its output captured."""

    def run() -> tuple[int, str, str]:
        import os

        # That user's own home (nothing in it), not the test runner's.
        for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            os.environ[var] = str(home)
        os.environ.pop("KAMTUI_CONFIG", None)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = main(args)
        return rc, out.getvalue(), err.getvalue()

    result: tuple[int, str, str] = run_as_other_user(run)
    return result


def test_readers_work_in_a_folder_the_user_may_not_write() -> None:
    with shared_folder() as folder:
        path = folder / "k.json"
        build_portfolio(path)
        for p in folder.iterdir():
            p.chmod(0o644)
        folder.chmod(0o555)
        before = listing(folder)
        for args in READERS:
            extra = ["--today", TODAY.isoformat()] if args[0] != "check" else []
            rc, out, err = _as_nobody([*args, "--db", str(path), *extra], folder / "home")
            assert rc == 0 and "Permission denied" not in err and out, (args, err)
        assert listing(folder) == before


# -------------------------------------------------------------- read-only files (item 4)


def _export_file(tmp: Path, accounts: dict[str, dict[str, object]]) -> Path:
    f = tmp / "in.json"
    f.write_text(json.dumps({"accounts": accounts}), encoding="utf-8")
    return f


def test_an_import_into_a_0400_file_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "data" / "k.json"
    path.parent.mkdir()
    build_portfolio(path)
    path.chmod(0o400)
    csv = tmp_path / "in.csv"
    csv.write_text("Company name,Industry\nNew Co,Retail\n", encoding="utf-8")
    before = listing(path.parent)
    for args in (("import-json", _export_file(tmp_path, {"77": {"name": "X"}})), ("import", csv)):
        line = assert_one_error(kamtui_run(tmp_path, *args, "--db", path), 2)
        assert "read-only session" in line and f"you may not write {path}" in line, line
    assert listing(path.parent) == before


def test_an_import_by_a_user_who_may_only_read_is_refused() -> None:
    with shared_folder() as folder:
        path = folder / "k.json"
        build_portfolio(path)
        for p in folder.iterdir():
            p.chmod(0o644)
        before = listing(folder)
        src = folder / "in.json"
        src.write_text(json.dumps({"accounts": {"77": {"name": "X"}}}), encoding="utf-8")
        src.chmod(0o644)
        before = listing(folder)
        rc, _, err = _as_nobody(["import-json", str(src), "--db", str(path)], folder / "home")
        assert rc == 2 and "read-only session" in err and len(err.splitlines()) == 1, err
        assert listing(folder) == before


# --------------------------------------------------------------- a held lock (item 8)


@pytest.fixture
def lock_holder(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data" / "k.json"
    path.parent.mkdir()
    build_portfolio(path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\ntime.sleep(120)\n",
            str(path.with_name(path.name + ".lock")),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        yield path
    finally:
        holder.kill()
        holder.wait()


def test_a_cli_write_says_it_waits_and_gives_up_with_exit_2(tmp_path: Path, lock_holder: Path) -> None:
    src = _export_file(tmp_path, {"77": {"name": "Waiting Co"}})
    before = listing(lock_holder.parent)
    env = sealed_env(tmp_path, KAMTUI_LOCK_TIMEOUT="2.5")
    run = kamtui_run(tmp_path, "import-json", src, "--db", lock_holder, env=env)
    assert run.rc == 2 and "Traceback" not in run.err
    assert run.err_lines == [
        f"kamtui: waiting for {lock_holder} (locked by another session)",
        f"kamtui: gave up waiting for {lock_holder}: locked by another session for 2.5 s; nothing was written",
    ]
    assert listing(lock_holder.parent) == before
    # Readers do not wait at all.
    assert kamtui_run(tmp_path, "due", "--db", lock_holder, "--today", TODAY.isoformat(), env=env).rc == 0


# ------------------------------------------------- imported documents stay editable (item 1)


def test_an_imported_bare_document_is_stored_whole_and_saves(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    src = _export_file(tmp_path, {"7": {"name": "X"}})
    assert kamtui_run(tmp_path, "import-json", src, "--db", path).rc == 0
    with Store(path, user="ana") as store:
        doc = store.get("accounts", 7)
        assert doc is not None and doc["tier"] == "regular" and doc["industry"] == "" and doc["notes"] == ""
        portfolio = Portfolio(store)
        seen = portfolio.account(7)
        assert seen is not None
        import dataclasses

        portfolio.save(dataclasses.replace(seen, industry="Retail", notes="edited"), seen)
        store.close(compact=False)
    again = kamtui_run(tmp_path, "import-json", src, "--db", path)
    assert again.rc == 0 and "0 added, 1 updated, 0 unchanged" in again.out  # the file wins
    third = kamtui_run(tmp_path, "import-json", src, "--db", path)
    assert "0 added, 0 updated, 1 unchanged" in third.out
