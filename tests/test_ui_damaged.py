"""A stored document the domain refuses (written into the file by another program) is shown as
damaged where it would show, naming the record and the field; the rest of the account still
shows and nothing crashes. A crash of the TUI itself exits non-zero."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def damage(path: Path, table: str, doc_id: int, **values: object) -> None:
    """Change a stored document behind the store's back, as another program would."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data[table][str(doc_id)].update(values)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    assert Path(f"{path}.journal").stat().st_size == 0  # all in the snapshot: edit it directly
    damage(path, "stakeholders", ids["hostile_dm"], name="Dana\x00Decider")
    damage(path, "actions", ids["late_action"], due=12)
    damage(path, "objectives", ids["objective_long"], status="\x1b[2Jmaybe")
    reviews = json.loads(path.read_text(encoding="utf-8"))["reviews"]
    ids["bad_review"] = int(next(iter(reviews)))
    damage(path, "reviews", ids["bad_review"], engagement="lots")
    damage(path, "accounts", ids["globex"], tier=5, last_review="2026-01-05")  # and due for review
    return path, ids


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_damaged_records_show_as_damaged_and_the_rest_still_shows(
    damaged: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    path, ids = damaged
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            app.main.go_to_account(ids["acme"])  # the damaged Globex, due longer, comes first
            await settle(app, pilot)
            assert app.main.account_id == ids["acme"]
            seen: list[str] = []
            await pilot.press("1")
            await settle(app, pilot)
            text = screen_text(app)
            seen.append(text)
            pane = app.query_one(StakeholderPane)
            assert {s.name for s in pane.items} == {"Carl Champion", "Uma User"}  # the others still show
            assert f"stakeholders/{ids['hostile_dm']} is damaged" in text, text
            assert "name: must not contain a NUL character" in text, text
            await pilot.press("2")
            await settle(app, pilot)
            text = screen_text(app)
            seen.append(text)
            plan = app.query_one(PlanPane)
            assert set(plan.actions) == {ids["open_action"]}
            assert set(plan.objectives) == {ids["objective"]}
            assert "Book the CTO meeting" in text
            assert f"actions/{ids['late_action']} is damaged" in text and "due: must be a date" in text, text
            assert f"objectives/{ids['objective_long']} is damaged" in text and "status: unknown value" in text, text
            await pilot.press("3")
            await settle(app, pilot)
            text = screen_text(app)
            seen.append(text)
            assert f"reviews/{ids['bad_review']} is damaged" in text, text
            assert "engagement: must be a whole number" in text, text
            assert "2 reviews" in text  # the two good ones
            # The damaged account: the list shows it, its header says what is wrong.
            await pilot.press("ctrl+l")
            for key in "kkjj":
                if app.main.account_id == ids["globex"]:
                    break
                await pilot.press(key)
                await settle(app, pilot)
            assert app.main.account_id == ids["globex"]
            text = screen_text(app)
            seen.append(text)
            assert f"accounts/{ids['globex']} is damaged" in text and "tier: unknown value 5" in text, text
            for _ in range(3):  # every account, every pane, and back
                for key in ("j", "1", "2", "3", "ctrl+l"):
                    await pilot.press(key)
                    await settle(app, pilot)
                    seen.append(screen_text(app))
            assert app.is_running
            for shown in seen:
                assert not CONTROL.findall(shown), shown
    finally:
        store.close(compact=False)


async def test_guided_review_says_an_account_is_damaged(damaged: tuple[Path, dict[str, int]]) -> None:
    path, ids = damaged
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, GuidedReviewScreen)
            assert set(screen.state.accounts) == {ids["acme"], ids["globex"]}
            while screen.account_id != ids["globex"]:
                await pilot.press("s")
                await settle(app, pilot)
            assert "(account damaged: tier: unknown value 5" in screen_text(app)
            await pilot.press("s")
            await settle(app, pilot)
            assert app.is_running
    finally:
        store.close(compact=False)


def _run_kamtui(path: Path, tmp_path: Path, prelude: str = "", keys: str = "") -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, its app on Textual's headless driver, pressing ``keys``."""
    script = textwrap.dedent(
        f"""
        import sys
        {prelude}
        from kamtui.cli import main
        sys.exit(main(["--db", {str(path)!r}, "--today", {TODAY.isoformat()!r}]))
        """
    )
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "TEXTUAL_PRESS": keys,
        "USER": "tester",
        "KAMTUI_CONFIG": os.devnull,  # no config: the defaults
    }
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_tui_opens_a_damaged_file_and_quits_cleanly(damaged: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = damaged
    result = _run_kamtui(path, tmp_path, keys="tab,j,j,j,1,2,3,q")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr


def test_a_crash_of_the_tui_exits_non_zero_with_its_message(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    prelude = textwrap.dedent(
        """
        from kamtui.ui.panes import stakeholders

        def broken(self, account_id):
            raise RuntimeError("injected fault")

        stakeholders.StakeholderPane.load = broken
        """
    ).replace("\n", "\n        ")
    result = _run_kamtui(path, tmp_path, prelude=prelude, keys="tab")
    assert result.returncode != 0, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("kamtui: ") and "RuntimeError: injected fault" in last, result.stderr
