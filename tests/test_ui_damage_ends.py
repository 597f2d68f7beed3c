"""A store error nothing caught (a document found damaged when read, in a file made to pass
kamtui's checks) ends the TUI as a file that cannot be read does at open: exit code 2, the
reason for the command line to print in one line, no traceback; any other error still goes to
Textual's own handling."""

from __future__ import annotations

import asyncio
import json
import zlib
from pathlib import Path

import pytest

from kamtui.sample import generate
from kamtui.store import Store, codec, integrity, spots
from kamtui.store.errors import CorruptFile
from kamtui.ui.app import KamApp, Loader
from tests.test_loading import wait_for
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


async def test_a_forged_file_whose_document_is_damaged_ends_the_session_when_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big file's records are read when needed (kamtui.store.spots), each record's account from
    the snapshot's summary: such a file opens; the account holding the damaged record, opened,
    ends the session with the reason."""
    monkeypatch.setattr(spots, "SPOTS_ABOVE", 0)
    path = tmp_path / "k.json"
    generate(path, 220, 5, TODAY)
    sid, aid = _forged(path)
    app = KamApp(loader=Loader(path, lambda: Store(path, user="tester", on_disk=True)), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.loaded or bool(app.load_error))
        if not app.load_error:
            await app._mount_main()
            app.main.open_account(aid)
            await wait_for(pilot, lambda: bool(app.load_error))
    assert app.return_code == 2
    assert f"stakeholders/{sid} is not a JSON object" in app.load_error
