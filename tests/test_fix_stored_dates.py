"""What is stored always loads: dates an older kamtui (or a script) kept, 0001-01-01 and
9999-12-31, in every date field of the demo. The window of 1970-2100 is the rule for dates
typed or imported; the model reads any real date. Before, such an account read as damaged (and
could not be edited to put it right), every export refused the whole file, and `kamtui due`
ended in "unexpected error: year 10000 is out of range"."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.cli import main
from kamtui.domain.model import Stakeholder
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.codec import META_TABLE, parse_snapshot
from kamtui.store.writing import snapshot_chunks
from kamtui.ui.app import KamApp
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

EXTREMES = ("0001-01-01", "9999-12-31")


def _far_out(node: Any, flip: list[int]) -> None:
    """Every stored date under ``node`` replaced, in turn, by 0001-01-01, 9999-12-31 or kept."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-" and value[:4].isdigit():
            flip[0] += 1
            if flip[0] % 3 < 2:
                node[key] = EXTREMES[flip[0] % 3]
        else:
            _far_out(value, flip)


@pytest.fixture
def far_out(tmp_path: Path) -> Iterator[Path]:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    data = parse_snapshot(path.read_bytes())
    seq = data[META_TABLE]["1"].get("seq", 0)
    data[META_TABLE]["1"].pop("reviews", None)  # the summary of reviews is the file's own
    flip = [0]
    for table, docs in data.items():
        if table != META_TABLE:
            _far_out(docs, flip)
    assert flip[0] > 500
    path.write_bytes(b"".join(snapshot_chunks(data, seq)))
    yield path


def test_the_model_reads_any_real_date_stored() -> None:
    doc = Stakeholder(account_id=1, name="Ada").to_doc()
    for day in EXTREMES:
        for _ in range(200):  # the constructor, then the compiled fast reader
            assert Stakeholder.from_doc({**doc, "last_contact": day}).last_contact.isoformat() == day  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "command",
    [
        ["due"],
        ["due", "--days", "30"],
        ["export", "--format", "md"],
        ["export", "--format", "ics"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["export", "--format", "brief", "--account", "Solano Retail Group"],
    ],
    ids=lambda c: " ".join(c[:3]),
)
def test_every_command_reads_a_file_with_dates_far_out(
    far_out: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        code = main([*command, "--db", str(far_out), "--today", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code == 0 and "unexpected" not in err, err


def test_check_names_each_date_out_of_the_window(far_out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(far_out), "--today", TODAY.isoformat()]) == 2
    out = capsys.readouterr().out
    assert "0001-01-01 is before 1970-01-01" in out and "9999-12-31 is more than 10 years ahead" in out


async def test_the_tui_shows_every_screen_of_a_file_with_dates_far_out(far_out: Path) -> None:
    store = Store(far_out, user="tester")
    try:
        app = KamApp(store, today=TODAY, start="today")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert "Today" in screen_text(app)
            # the panes of every account, each zoomed; the brief and the timeline of each
            await pilot.press("tab")
            await settle(app, pilot)
            for _ in range(len(app.session.rows.visible)):
                for key in ("1", "2", "3", "4", "5", "z", "z", "b", "escape", "i", "escape", "ctrl+l", "j"):
                    await pilot.press(key)
                await settle(app, pilot)
                assert "is damaged" not in screen_text(app)
            for keys in (("p",), ("o",), ("escape", "escape", "t", "R")):
                await pilot.press(*keys)
                await settle(app, pilot)
            assert app.is_running and app.return_code is None
    finally:
        store.close(compact=False)
    assert json.loads(far_out.read_text()) is not None
