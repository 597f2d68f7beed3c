"""`kamtui check` says when a file was changed since kamtui wrote it (its CRC no longer holds):
its data may be valid, but every reader then reads it whole, slowly, until kamtui rewrites it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtui.sample import generate
from kamtui.store import Store, codec
from tests.cli_run import kamtui_run
from tests.ui_fixtures import TODAY


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "k.json"
    generate(path, 12, 3, TODAY)
    with Store(path, user="t") as store:
        store.compact()
    return path


def _renamed(path: Path, longer: bool) -> None:
    """An account renamed in the file by hand: to a name as long (nothing moves), or longer."""
    raw = path.read_bytes()
    name = next(iter(json.loads(raw)["accounts"].values()))["name"]
    new = name[::-1] + (" Ltd" if longer else "")
    path.write_bytes(raw.replace(json.dumps(name).encode(), json.dumps(new).encode(), 1))


def test_a_file_as_kamtui_wrote_it_gets_no_note(written: Path, tmp_path: Path) -> None:
    assert codec.crc_holds(written.read_bytes()) is True
    run = kamtui_run(tmp_path, "check", "--db", written)
    assert run.rc == 0 and len(run.out.splitlines()) == 1 and run.err == ""


@pytest.mark.parametrize("longer", [False, True], ids=["in place", "moving the tables after it"])
def test_a_file_changed_by_hand_is_valid_with_a_note(written: Path, tmp_path: Path, longer: bool) -> None:
    _renamed(written, longer)
    before = written.read_bytes()
    assert codec.crc_holds(before) is False
    run = kamtui_run(tmp_path, "check", "--db", written)
    assert run.rc == 0 and run.err == "", run
    ok, note = run.out.splitlines()
    assert ok.startswith(f"{written}: OK (")
    assert note.startswith(f"note: {written} was changed since kamtui last wrote it") and "more slowly" in note
    assert written.read_bytes() == before  # a check writes nothing
    es = kamtui_run(tmp_path, "--lang", "es", "check", "--db", written)
    assert es.out.splitlines()[1].startswith(f"nota: {written} ha cambiado")


def test_a_file_another_program_wrote_gets_no_note(written: Path, tmp_path: Path) -> None:
    """No CRC to hold: nothing was lost (a TinyDB script's file is read whole by design)."""
    written.write_text(json.dumps(json.loads(written.read_bytes())), encoding="utf-8")
    assert codec.crc_holds(written.read_bytes()) is None
    run = kamtui_run(tmp_path, "check", "--db", written)
    assert run.rc == 0 and len(run.out.splitlines()) == 1


def test_the_note_comes_with_the_problems_too(written: Path, tmp_path: Path) -> None:
    raw = written.read_bytes()
    tier = next(iter(json.loads(raw)["accounts"].values()))["tier"]
    written.write_bytes(raw.replace(f'"tier": "{tier}"'.encode(), b'"tier": "gold"', 1))
    run = kamtui_run(tmp_path, "check", "--db", written)
    assert run.rc == 2
    assert any(line.startswith("note: ") for line in run.out.splitlines())
    assert any(": tier:" in line for line in run.out.splitlines())
