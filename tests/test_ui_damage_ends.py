"""A store error nothing caught (a document found damaged when read, in a file made to pass
kamtui's checks) ends the TUI as a file that cannot be read does at open: exit code 2, the
reason for the command line to print in one line, no traceback; any other error still goes to
Textual's own handling."""

from __future__ import annotations

import asyncio
import json
import subprocess
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest

import kamtui.cli
import kamtui.ui.app
from kamtui.sample import generate
from kamtui.store import Store, codec, integrity, queue_ahead, spots
from kamtui.store.errors import CorruptFile
from kamtui.ui.app import KamApp, Loader
from tests.test_loading import wait_for
from tests.test_ui import settle
from tests.test_ui_trust import locked, wait_until  # noqa: F401 - a fixture
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.mark.parametrize("where", ["worker", "handler"])
async def test_a_store_error_nothing_caught_ends_the_session_with_its_reason(tmp_path: Path, where: str) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    app = KamApp(Store(path, user="tester"), today=TODAY)

    def damaged() -> None:
        raise CorruptFile(path, "document stakeholders/7 is not a JSON object", None)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if where == "worker":
            app.run_worker(damaged, thread=True)
        else:  # a screen's handler: its messages stop, and the app's
            app.screen.call_later(damaged)
        for _ in range(250):  # not pilot.pause: it waits for the screen, whose messages stopped
            if app.load_error:
                break
            await asyncio.sleep(0.02)
    assert app.return_code == 2
    assert "stakeholders/7 is not a JSON object" in app.load_error and str(path) in app.load_error
    app.store.close(compact=False)


async def test_any_other_error_is_still_textuals(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    app = KamApp(Store(path, user="tester"), today=TODAY)

    def broken() -> None:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.call_later(broken)
            await pilot.pause(0.2)
    assert app.return_code == 1 and not app.load_error
    app.store.close(compact=False)


def _forged(path: Path) -> tuple[int, int]:
    """A stakeholder's text made not JSON inside, the CRC made to match (a forgery: kamtui never
    writes one); its id and its account's."""
    raw = path.read_bytes()
    meta = json.loads(raw)["_meta"]["1"]
    cut = raw.index(b'\n "accounts": {') + 1
    rest = raw[cut:]
    at = rest.index(b'\n "stakeholders": {\n') + len(b'\n "stakeholders": {\n')
    line = rest[at : rest.index(b"\n", at)]
    doc = json.loads(line.split(b": ", 1)[1].rstrip(b","))
    broken = line.replace(b'"name": "', b'"name": !', 1)
    assert broken != line
    rest = rest[:at] + broken + rest[at + len(line) :]
    crc = integrity.snapshot_crc(b"", meta["heads"], zlib.crc32(rest), codec.vouched(meta))
    head = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode({**meta, "crc32": crc})
    path.write_bytes(f'{{\n "_meta": {{\n  "1": {head}\n }},\n'.encode() + rest)
    assert codec.crc_holds(path.read_bytes()) is True
    return int(line.split(b'"')[1]), int(doc["account_id"])


async def test_a_forged_file_with_a_damaged_document_ends_the_session_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big file's records are read when needed (kamtui.store.spots), each record's account from
    the snapshot's summary: such a file is still refused as it is read (each record is checked to
    be a JSON object); were it not, the account holding the damaged record, opened, would end the
    session with the reason."""
    monkeypatch.setattr(spots, "SPOTS_ABOVE", 0)
    path = tmp_path / "k.json"
    generate(path, 220, 5, TODAY)
    sid, aid = _forged(path)
    forged = path.read_bytes()
    app = KamApp(loader=Loader(path, lambda: Store(path, user="tester", on_disk=True)), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.loaded or bool(app.load_error))
        if not app.load_error:
            await app._mount_main()
            app.main.open_account(aid)
            await wait_for(pilot, lambda: bool(app.load_error))
    assert app.return_code == 2
    # Refused as read (the whole read that takes over names where), else when the record is read.
    assert "not valid JSON" in app.load_error or f"stakeholders/{sid} is not a JSON object" in app.load_error
    assert str(path) in app.load_error and path.read_bytes() == forged


def test_after_a_damage_exit_the_file_is_not_compacted_and_unsaved_edits_are_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A compaction would copy the damaged document's text into a new snapshot whose CRC vouched
    for it: after such an exit the CLI closes the store without one (the edits saved stay in the
    journal), starts no helper on it, and prints each save given up before the reason."""
    path = tmp_path / "k.json"
    first = build_portfolio(path)["acme"]
    closes: list[bool] = []
    real_close = Store.close

    def close(self: Store, compact: bool = True) -> None:
        closes.append(compact)
        real_close(self, compact=compact)

    monkeypatch.setattr(Store, "close", close)
    helpers: list[object] = []
    monkeypatch.setattr(queue_ahead, "start", lambda *a, **k: helpers.append(a))
    reason = f"cannot read {path}: document stakeholders/7 is not a JSON object"

    def run_app(store: Store | None, **_: object) -> SimpleNamespace:
        assert store is not None
        store.update("accounts", first, {"industry": "Edited"})  # a saved edit: in the journal
        return SimpleNamespace(
            store=store, loaded=True, stopped_by=None, load_error=reason, unsaved=["not saved: a note"]
        )

    monkeypatch.setattr(kamtui.ui.app, "run_app", run_app)
    snapshot = path.read_bytes()
    assert kamtui.cli.main(["--db", str(path)]) == kamtui.cli.EXIT_DATA
    assert closes == [False] and helpers == []
    assert path.read_bytes() == snapshot  # not compacted
    with Store(path, user="tester", read_only=True) as store:
        assert store.get("accounts", first)["industry"] == "Edited"  # type: ignore[index]
    err = capsys.readouterr().err
    assert err.index("not saved: a note") < err.index("stakeholders/7") and "Traceback" not in err


async def test_a_save_waiting_at_a_damage_exit_is_reported_not_lost(
    locked: tuple[Store, subprocess.Popen[bytes]],  # noqa: F811 - the fixture imported above
) -> None:
    store, _ = locked
    app = KamApp(store, today=TODAY, start="accounts")

    def damaged() -> None:
        raise CorruptFile(store.path, "document stakeholders/7 is not a JSON object", None)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "j", "j", "space")  # tick an action in the plan: its save waits
        await wait_until(pilot, lambda: app.lock_waits > 0)
        app.screen.call_later(damaged)
        for _ in range(250):
            if app.load_error:
                break
            await asyncio.sleep(0.02)
    assert app.return_code == 2
    assert len(app.unsaved) == 1 and "not saved: stopped waiting for" in app.unsaved[0]
