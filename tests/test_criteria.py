"""Issue 12, item 8: criteria scores entered in the TUI (from the portfolio and from the account),
stored under the keys the scoring reads; a stored label ("revenue potential") is migrated on
load and scored, never silently ignored; `kamtui check` names a criterion it does not know."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select

from kamtui.domain.model import Account, Tier
from kamtui.domain.selection import CRITERIA, rank
from kamtui.store import Store
from kamtui.store.facts import customers
from kamtui.ui.app import KamApp
from kamtui.ui.criteria_form import criteria_note, scores_from
from kamtui.ui.forms import FormScreen
from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen
from tests.cli_run import kamtui_run
from tests.hostile import STORABLE_NAMES
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

NORTHWIND_LABELS = {"revenue potential": 4, "solvency": 4, "existing relationships": 5, "product affinity": 5}
NORTHWIND_KEYS = {"revenue_potential": 4, "solvency": 4, "relationships": 5, "product_affinity": 5}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def raw_file(path: Path, criteria: dict[str, Any], name: str = "Northwind Freight Systems") -> Path:
    """A data file as an older kamtui (or the demo) wrote it: criteria stored as they were typed."""
    accounts = {
        "1": {"name": name, "tier": "key", "revenue": 2_400_000, "growth_potential": "high", "criteria": criteria},
        "2": {"name": "Small Co", "tier": "regular", "revenue": 50_000},
        "3": {"name": "Mid Co", "tier": "regular", "revenue": 400_000},
    }
    path.write_text(json.dumps({"accounts": accounts}), encoding="utf-8")
    return path


def score_of(path: Path, account_id: int = 1) -> int:
    store = Store(path, user="tester")
    try:
        ranked = rank(customers(store, TODAY), TODAY)
    finally:
        store.close(compact=False)
    return next(r.score for r in ranked if r.customer.id == account_id)


# ------------------------------------------------------------------------- the domain


def test_a_stored_label_is_migrated_on_load() -> None:
    acc = Account.from_doc({"name": "Northwind", "criteria": NORTHWIND_LABELS})
    assert acc.criteria == NORTHWIND_KEYS


def test_a_stored_label_is_scored_like_its_key(tmp_path: Path) -> None:
    """Northwind's case: the demo stored labels, the portfolio read keys, and scored 74 instead of 81."""
    labels = score_of(raw_file(tmp_path / "labels.json", NORTHWIND_LABELS))
    keys = score_of(raw_file(tmp_path / "keys.json", NORTHWIND_KEYS))
    unscored = score_of(raw_file(tmp_path / "none.json", {}))
    assert labels == keys
    assert labels != unscored  # the scores count: the stored labels are not ignored


def test_the_form_gives_scores_by_key_and_leaves_blanks_out() -> None:
    values: dict[str, Any] = dict.fromkeys(CRITERIA, "")
    values |= {"growth": "5", "solvency": "1"}
    assert scores_from(values) == {"growth": 5, "solvency": 1}
    assert "fluffiness" in criteria_note(["fluffiness"]) and "check" in criteria_note(["fluffiness"])
    assert "\x1b" not in criteria_note(["\x1b[2J"])


# -------------------------------------------------------------------------- kamtui check


def test_check_names_a_criterion_it_does_not_know_and_accepts_labels(tmp_path: Path) -> None:
    good = kamtui_run(tmp_path, "check", "--db", raw_file(tmp_path / "labels.json", NORTHWIND_LABELS))
    assert good.rc == 0 and ": OK (" in good.out, good

    bad = raw_file(tmp_path / "bad.json", {**NORTHWIND_LABELS, "fluffiness": 3, "\x1b[2Jevil": 2})
    run = kamtui_run(tmp_path, "check", "--db", bad)
    assert run.rc == 2 and "Traceback" not in run.err, run  # as check says any other problem
    assert len(run.err_lines) == 1 and run.err_lines[0].startswith(f"{bad}: 1 problem(s) in 3 accounts"), run
    out = run.out.splitlines()
    assert len(out) == 1, run.out
    assert out[0].startswith("accounts/1: criteria: unknown criteria ")
    assert "'fluffiness'" in out[0] and "revenue_potential" in out[0]
    assert "\x1b" not in run.out and "'\\x1b[2Jevil'" in run.out  # named, never sent to the terminal


# ----------------------------------------------------------------------------- the TUI


async def _save_form(app: KamApp, pilot: Any, values: dict[str, str]) -> None:
    form = app.screen
    assert isinstance(form, FormScreen)
    for name, value in values.items():
        form.query_one(f"#f-{name}", Select).value = value
    await pilot.press("ctrl+s")
    await settle(app, pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_criteria_from_the_portfolio_update_the_score_and_undo(tmp_path: Path, size: tuple[int, int]) -> None:
    path = raw_file(tmp_path / "k.json", {**NORTHWIND_LABELS, "fluffiness": 3})
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, PortfolioScreen)
            lst = screen.query_one(PortfolioList)
            assert lst.current is not None and lst.current.customer.id == 1  # the biggest first
            before = lst.current.score
            await pilot.press("C")
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            text = screen_text(app)
            assert "Criteria of Northwind Freight Systems" in text
            assert "Growth potential (1-5)" in text
            assert form.query_one("#f-revenue_potential", Select).value == "4"  # the label, migrated
            assert form.query_one("#f-growth", Select).value == ""  # not scored
            assert "'fluffiness'" in text  # kept, and said so
            chosen = {"revenue_potential": "5", "growth": "5", "solvency": "5", "relationships": ""}
            await _save_form(app, pilot, chosen)
            assert app.screen is screen
            doc = store.get("accounts", 1)
            assert doc is not None
            assert doc["criteria"] == {
                "fluffiness": 3,
                "revenue_potential": 5,
                "growth": 5,
                "solvency": 5,
                "product_affinity": 5,
            }
            after = lst.current
            assert after is not None and after.customer.id == 1 and after.score > before
            assert f"criteria score {after.score}" in " ".join(screen_text(app).split())  # the detail, maybe wrapped
            await pilot.press("u")
            await settle(app, pilot)
            doc = store.get("accounts", 1)
            assert doc is not None and doc["criteria"] == {**NORTHWIND_KEYS, "fluffiness": 3}  # as it was read
            assert lst.current is not None and lst.current.score == before
    finally:
        store.close(compact=False)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_criteria_from_the_account_and_escape_writes_nothing(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "p.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            app.main.go_to_account(ids["globex"])
            await settle(app, pilot)
            seq = store.seq
            await pilot.press("C")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            await pilot.press("escape")
            await settle(app, pilot)
            assert store.seq == seq
            await pilot.press("C")
            await settle(app, pilot)
            await _save_form(app, pilot, {"strategic_value": "2", "channel_partner": "4"})
            doc = store.get("accounts", ids["globex"])
            assert doc is not None and doc["criteria"] == {"strategic_value": 2, "channel_partner": 4}
            assert app.main.account_id == ids["globex"]
    finally:
        store.close(compact=False)


async def test_criteria_form_of_hostile_names(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    store = Store(path, user="tester")
    for name in STORABLE_NAMES[:12]:
        store.insert("accounts", Account(name=name, tier=Tier.KEY, revenue=1000).to_doc())
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            for _ in range(3):
                await pilot.press("C")
                await settle(app, pilot)
                assert isinstance(app.screen, FormScreen)
                assert "\x1b" not in screen_text(app)
                await pilot.press("escape", "j")
                await settle(app, pilot)
    finally:
        store.close(compact=False)
