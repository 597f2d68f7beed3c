"""Issue 15: the store speaks Spanish (its errors, `kamtui check`'s findings, the import reports)
and the demo built under Spanish is a Spanish portfolio of the same shape as the English one."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.store import ConflictError, CorruptFile, Store
from kamtui.store.check import check_store
from kamtui.store.errors import ReadOnlyStore
from kamtui.store.exchange import ExchangeError, import_json
from kamtui.store.locking import LockTimeout
from kamtui.store.portfolio import Portfolio


def _one_account(path: Path) -> Path:
    with Store(path, user="ana") as store:
        store.insert("accounts", {"name": "ACME"})
        store.close(compact=False)
    return path


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A data file whose lock is held (by another open file: flock is per open file)."""
    path = _one_account(tmp_path / "k.json")
    with path.with_name(path.name + ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield path


def _locked_write(path: Path) -> str:
    store = Store(path, user="ana")
    store.lock_timeout = 0.01
    try:
        with pytest.raises(LockTimeout) as err:
            store.insert("accounts", {"name": "late"})
    finally:
        store.close(compact=False)
    return str(err.value)


def test_a_locked_file_is_named_in_spanish(locked: Path, spanish: None) -> None:
    message = _locked_write(locked)
    assert message.startswith(f"se dejó de esperar a {locked}: bloqueado por otra sesión")
    assert message.endswith("no se escribió nada")


def test_a_locked_file_is_named_in_english_by_default(locked: Path) -> None:
    assert _locked_write(locked) == (
        f"gave up waiting for {locked}: locked by another session for 0.01 s; nothing was written"
    )


def _read_only_write(path: Path) -> tuple[str | None, str]:
    path.chmod(0o400)
    store = Store(path, user="ana")
    try:
        with pytest.raises(ReadOnlyStore) as err:
            store.insert("accounts", {"name": "refused"})
        return store.read_only_reason, str(err.value)
    finally:
        store.close(compact=False)


def test_a_read_only_file_is_refused_in_spanish(tmp_path: Path, spanish: None) -> None:
    path = _one_account(tmp_path / "k.json")
    reason, message = _read_only_write(path)
    assert reason == f"no tienes permiso para escribir {path}"
    assert message == f"sesión de solo lectura (no tienes permiso para escribir {path}): no se escribió nada"


def test_a_read_only_file_is_refused_in_english_by_default(tmp_path: Path) -> None:
    path = _one_account(tmp_path / "k.json")
    assert _read_only_write(path) == (
        f"you may not write {path}",
        f"read-only session (you may not write {path}): nothing was written",
    )


def _damaged_journal(tmp_path: Path) -> Path:
    """A journal whose first line is damaged (not the torn last line a crash leaves)."""
    path = _one_account(tmp_path / "k.json")
    journal = path.with_name(path.name + ".journal")
    journal.write_bytes(b"not json\n" + journal.read_bytes())
    return path


def test_a_damaged_journal_is_told_in_spanish(tmp_path: Path, spanish: None) -> None:
    path = _damaged_journal(tmp_path)
    with pytest.raises(CorruptFile) as err:
        Store(path, user="ana")
    message = str(err.value)
    assert message.startswith(f"no se puede leer {path}.journal: la línea del diario en el byte 0 está dañada")
    assert message.endswith("No se ha tocado el archivo.")


def test_a_damaged_journal_is_told_in_english_by_default(tmp_path: Path) -> None:
    path = _damaged_journal(tmp_path)
    with pytest.raises(CorruptFile) as err:
        Store(path, user="ana")
    assert str(err.value).startswith(f"cannot read {path}.journal: journal line at byte 0 is damaged")
    assert str(err.value).endswith("The file was left untouched.")


def _conflict(path: Path) -> str:
    """Two sessions change one account's name: the second is refused."""
    _one_account(path)
    mine, theirs = Portfolio(Store(path, user="ana")), Portfolio(Store(path, user="ben"))
    try:
        seen = next(iter(mine.accounts()))
        theirs.save(type(seen)(**{**vars_of(seen), "name": "ACME Corp"}), seen)
        with pytest.raises(ConflictError) as err:
            mine.save(type(seen)(**{**vars_of(seen), "name": "ACME SA"}), seen)
        return str(err.value)
    finally:
        mine.store.close(compact=False)
        theirs.store.close(compact=False)


def vars_of(entity: object) -> dict[str, object]:
    import dataclasses

    return {f.name: getattr(entity, f.name) for f in dataclasses.fields(entity)}  # type: ignore[arg-type]


def test_a_conflict_is_told_in_spanish(tmp_path: Path, spanish: None) -> None:
    message = _conflict(tmp_path / "k.json")
    assert message.startswith("conflicto en la cuenta 'ACME Corp': ben cambió name el ")
    assert message.endswith(", después de que lo abrieras; tu cambio no se guardó")


def test_a_conflict_is_told_in_english_by_default(tmp_path: Path) -> None:
    message = _conflict(tmp_path / "k.json")
    assert message.startswith("conflict on account 'ACME Corp': ben changed name at ")
    assert message.endswith(" after you opened it; your change was not saved")


def _broken_link(path: Path) -> tuple[int, list[str]]:
    """`kamtui check` over a stakeholder of an account that does not exist."""
    with Store(path, user="ana") as store:
        sid = store.insert("stakeholders", {"account_id": 99, "name": "Ada"})
        problems = check_store(store)[0]
        store.close(compact=False)
    return sid, problems


def test_check_findings_are_spanish(tmp_path: Path, spanish: None) -> None:
    sid, problems = _broken_link(tmp_path / "k.json")
    assert problems == [f"stakeholders/{sid}: la cuenta 99 no existe"]


def test_check_findings_are_english_by_default(tmp_path: Path) -> None:
    sid, problems = _broken_link(tmp_path / "k.json")
    assert problems == [f"stakeholders/{sid}: account 99 does not exist"]


def test_a_refused_import_and_an_import_report_are_spanish(tmp_path: Path, spanish: None) -> None:
    path = _one_account(tmp_path / "k.json")
    folder = tmp_path / "folder"
    folder.mkdir()
    with Store(path, user="ana") as store:
        with pytest.raises(ExchangeError, match=f"^{folder} es una carpeta, no un archivo de exportación$"):
            import_json(store, folder)
        export = tmp_path / "export.json"
        export.write_text(json.dumps({"accounts": {"1": {"name": "Beta"}, "2": {"name": "Gamma"}}}))
        assert import_json(store, export).summary() == "añadidos: 2, actualizados: 0, sin cambios: 0"
        assert import_json(store, export).summary() == "añadidos: 0, actualizados: 0, sin cambios: 2"
        store.close(compact=False)
