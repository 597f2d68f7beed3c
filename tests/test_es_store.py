"""Issue 15: the store speaks Spanish (its errors, `kamtui check`'s findings, the import reports)
and the demo built under Spanish is a Spanish portfolio of the same shape as the English one."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.sample.demo import DEMO_ANCHOR, demo_file, materialize_demo, repo_demo_path
from kamtui.sample.demo_build import build_demo
from kamtui.sample.demo_words import in_spanish
from kamtui.sample.words import SUMMARIES, SUMMARIES_ES
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


# ------------------------------------------------------------------------ the Spanish demo


STAMPS = ("updated_at", "updated_by", "crc32")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    """Without the time stamps and the checksum that covers them."""
    return {
        t: {k: {f: v for f, v in d.items() if f not in STAMPS} for k, d in docs.items()} for t, docs in data.items()
    }


def _shape(value: Any) -> Any:
    """``value`` with every text the same: what is left is the portfolio's shape."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return "" if isinstance(value, str) else value


def _names(data: dict[str, Any], table: str, field: str = "name") -> set[str]:
    return {d[field] for d in data[table].values()}


def test_the_committed_spanish_demo_matches_its_build(tmp_path: Path) -> None:
    committed = repo_demo_path("es")
    assert committed.is_file() and demo_file("es") == committed, "run: python -m kamtui.sample --demo-source"
    fresh = tmp_path / "demo_es.json"
    build_demo(fresh, DEMO_ANCHOR, lang="es")
    assert _strip(_load(committed)) == _strip(_load(fresh)), (
        "demo_es.json drifted: python -m kamtui.sample --demo-source"
    )


def test_the_spanish_demo_is_the_english_one_in_spanish_words() -> None:
    en, es = _load(demo_file()), _load(demo_file("es"))
    for table in ("accounts", "stakeholders", "objectives", "actions", "opportunities", "reviews", "interactions"):
        assert len(es[table]) == len(en[table]) > 0, table
    # Same records, ids, numbers, dates, stored spellings and owners; only the words differ.
    shape = {t: _shape(docs) for t, docs in _strip(es).items() if t != "_meta"}  # _meta: byte offsets
    assert shape == {t: _shape(docs) for t, docs in _strip(en).items() if t != "_meta"}
    for table, field in (("accounts", "notes"), ("stakeholders", "owner"), ("actions", "done")):
        assert [d[field] == "" for d in es[table].values()] == [d[field] == "" for d in en[table].values()]
    assert [d["role"] for d in es["stakeholders"].values()] == [d["role"] for d in en["stakeholders"].values()]
    accounts, people = _names(es, "accounts"), _names(es, "stakeholders")
    assert {"Transportes Cierzo S.A.", "Almacenes Solano", "Panaderías Campanilla"} <= accounts
    assert not accounts & _names(en, "accounts")
    assert {"Margarita Elizondo", "Inés Soler", "Débora Valverde"} <= people
    assert "Margaret Ellison" not in people
    titles = _names(es, "stakeholders", "title")
    assert {"Directora financiera", "Director financiero", "Jefa de obra"} <= titles
    notes = {d["notes"] for d in es["accounts"].values()}
    assert "Un solo contacto: todo pasa por Óscar." in notes
    actions = _names(es, "actions", "text")
    assert "Pedir a Óscar que nos presente a Débora Valverde" in actions
    assert "Puntuar con el equipo los criterios de cuenta clave" in actions  # the build's own words
    summaries = {d["summary"] for d in es["interactions"].values()}
    assert summaries <= set(SUMMARIES_ES) and not summaries & set(SUMMARIES)


def test_a_text_without_spanish_stops_the_build() -> None:
    with pytest.raises(ValueError, match="no Spanish for the text 'Brand new goal'"):
        in_spanish({"key": [{"goals": ["Brand new goal"]}]}, {"texts": {}})
    with pytest.raises(ValueError, match="no Spanish for the person 'Nobody'"):
        in_spanish({"key": [{"stakeholders": [{"name": "Nobody", "title": "CFO"}]}]}, {"people": {}})


def test_the_demo_opened_under_spanish_is_the_spanish_one(tmp_path: Path, spanish: None) -> None:
    path = materialize_demo(tmp_path / "demo.json", DEMO_ANCHOR + dt.timedelta(days=10))
    assert _names(_load(path), "accounts") == _names(_load(demo_file("es")), "accounts")


def test_the_demo_opened_under_english_is_the_english_one(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "demo.json", DEMO_ANCHOR)
    assert _strip(_load(path)) == {**_strip(_load(demo_file())), "_demo": {"1": {"anchor": DEMO_ANCHOR.isoformat()}}}
