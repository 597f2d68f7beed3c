"""KPIs of the account plan (issue 12, item 3) and the projected value (item 2, the plan's half):
their words, the plan's KPI section and keys, the review form's KPI fields, and an off-track KPI
as a risk in Today and ``kamtui due``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.deals import Direction, Kpi, Opportunity, Stage
from kamtui.domain.kpi_status import KPI_RISK_DETAIL, is_current, kpi_risk_items, kpi_risk_message, with_unit
from kamtui.domain.model import Account, Horizon, Level
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.store.today import today_queue
from kamtui.store.views import due_view
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.plan_texts import kpi_line, projection_line
from tests.hostile import STORABLE_NAMES
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
YEAR = str(TODAY.year)


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def kpi(actual: float | None = 91, **kw: Any) -> Kpi:
    base: dict[str, Any] = {
        "account_id": 1,
        "name": "On-time delivery",
        "target": 95,
        "unit": "%",
        "direction": "higher",
        "actual": actual,
        "period": YEAR,
        "updated": TODAY - dt.timedelta(days=22) if actual is not None else None,
    }
    return Kpi(**{**base, **kw})


def add_kpi(store: Store, account_id: int, **kw: Any) -> int:
    return store.insert("kpis", kpi(account_id=account_id, **kw).to_doc())


# ------------------------------------------------------------------ pure words
def test_status_in_words_both_directions_and_without_reading() -> None:
    assert kpi_risk_message(kpi()) == "KPI On-time delivery 91% vs target 95%: off track"
    assert kpi(95).on_track is True
    lower = kpi(3.5, name="Lead time", unit="days", target=3, direction=Direction.LOWER)
    assert kpi_risk_message(lower) == "KPI Lead time 3.5 days vs target 3 days: off track"
    assert kpi(2, direction=Direction.LOWER, target=3).on_track is True
    assert with_unit(1250000, "EUR") == "1,250,000 EUR"
    assert with_unit(-3, "") == "-3"
    line = kpi_line(kpi(), TODAY).plain
    assert "✗ off track" in line and "91% / target 95%" in line and "higher is better" in line
    assert f"updated {(TODAY - dt.timedelta(days=22)).isoformat()} (22d ago)" in line
    assert (
        "· no reading yet" in kpi_line(kpi(None), TODAY).plain and "never updated" in kpi_line(kpi(None), TODAY).plain
    )
    assert "✓ on track" in kpi_line(kpi(96), TODAY).plain


def test_current_period_is_empty_or_names_this_year() -> None:
    assert is_current("", TODAY) and is_current(YEAR, TODAY) and is_current(f"FY{YEAR}", TODAY)
    assert not is_current(str(TODAY.year - 1), TODAY)


def test_risk_items_only_off_track_current_kpis_of_accounts_given() -> None:
    docs = [
        (1, kpi().to_doc()),  # off track, this year
        (2, kpi(96).to_doc()),  # on track
        (3, kpi(None).to_doc()),  # no reading
        (4, kpi(period=str(TODAY.year - 1)).to_doc()),  # last year's plan
        (5, {**kpi().to_doc(), "target": "lots"}),  # does not load: left to `kamtui check`
        (6, kpi(account_id=2).to_doc()),  # another owner's account
    ]
    accounts = {1: {"name": "ACME", "owner": "ana"}}
    items = kpi_risk_items(docs, accounts.get, TODAY)
    assert [(it.target_id, it.title, it.severity, it.detail) for it in items] == [
        (1, "KPI On-time delivery 91% vs target 95%: off track", 2, KPI_RISK_DETAIL)
    ]
    assert items[0].account == "ACME" and items[0].owner == "ana"


def test_projected_value_against_revenue() -> None:
    acc = Account(name="ACME", revenue=1_200_000, growth_potential=Level.HIGH, id=1)
    opps = [
        Opportunity(account_id=1, title="Renewal", value=400_000, stage=Stage.PROPOSE, objective_id=7),  # 200k
        Opportunity(account_id=1, title="Old", value=100_000, stage=Stage.WON),
    ]
    from kamtui.domain.model import Objective

    line = projection_line(acc, opps, [Objective(account_id=1, title="[bold]Win", horizon=Horizon.SHORT, id=7)]).plain
    assert line.startswith("Revenue 1.2M + pipeline 200k weighted (1 open) = projected 1.4M (+17%)")
    assert "growth potential high" in line and "serves [bold]Win (200k)" in line
    zero = projection_line(Account(name="New", id=2), [], []).plain
    assert "projected 0" in zero and "%" not in zero


# ---------------------------------------------------------------- the store
def test_review_with_readings_is_one_change_and_one_undo(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    from kamtui.domain.model import Review

    aid = db[1]["acme"]
    kid = add_kpi(store, aid)
    p = Portfolio(store, lambda: TODAY)
    seen = p.kpis(aid)[0]
    review = Review(account_id=aid, date=TODAY, reviewer="tester", engagement=3, loyalty=3, satisfaction=3, health=3)
    seq = store.seq
    change = p.record_review(review, [(seen, seen.with_reading(97, TODAY))])
    assert store.seq == seq + 1  # one transaction
    assert store.get("kpis", kid)["actual"] == 97  # type: ignore[index]
    p.undo(change)
    assert store.get("kpis", kid)["actual"] == 91  # type: ignore[index]
    assert len(p.reviews(aid)) == 3


def test_today_queue_and_due_view_raise_an_off_track_kpi(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    aid = db[1]["globex"]
    kid = add_kpi(store, aid)
    add_kpi(store, aid, name="NPS", actual=60, target=50)
    store.close(compact=False)
    for s in (Store(db[0], user="tester"), due_view(db[0])):
        items = [it for it in today_queue(Portfolio(s, lambda: TODAY), TODAY) if it.detail == KPI_RISK_DETAIL]
        assert [(it.account, it.target_id, it.title) for it in items] == [
            ("Globex", kid, "KPI On-time delivery 91% vs target 95%: off track")
        ]
        for owner, count in (("ana", 0), ("BEN ", 1)):  # the owner filter applies (Globex is ben's)
            queue = today_queue(Portfolio(s, lambda: TODAY), TODAY, owner=owner)
            assert sum(1 for it in queue if it.detail == KPI_RISK_DETAIL) == count
        s.close()


def test_kamtui_due_prints_the_kpi_risk_in_words(db: tuple[Path, dict[str, int]]) -> None:
    path, ids = db
    s = Store(path, user="tester")
    add_kpi(s, ids["globex"])
    s.close(compact=False)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    out = subprocess.run(
        [sys.executable, "-m", "kamtui", "due", "--db", str(path), "--format", "plain", "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    assert "KPI On-time delivery 91% vs target 95%: off track" in out.stdout


# ------------------------------------------------------------------ Pilot
async def _to_plan(app: Any, pilot: Any) -> PlanPane:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    return app.query_one(PlanPane)  # type: ignore[no-any-return]


async def _cursor_to(pilot: Any, plan: PlanPane, key: str) -> None:
    await pilot.press("g")
    for _ in range(60):
        if plan.current_key() == key:
            return
        await pilot.press("j")
    raise AssertionError(f"{key} not in {[k for k, sel, _ in plan.list.options if sel]}")


@SIZES
async def test_plan_shows_projection_and_kpis_and_k_adds_one(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    ids = db[1]
    store.insert(
        "opportunities",
        Opportunity(account_id=ids["acme"], title="Renewal", value=600_000, stage=Stage.PROPOSE).to_doc(),
    )
    add_kpi(store, ids["acme"])
    app = make(store)
    async with app.run_test(size=size) as pilot:
        plan = await _to_plan(app, pilot)
        await pilot.press("z")  # the whole screen for the plan
        await settle(app, pilot)
        text = screen_text(app)
        assert "Revenue 1.2M + pipeline 300k weighted" in text
        assert f"KPIs {YEAR} (1)" in text and "off track" in text and "✗" in text
        await pilot.press("K")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.title_text == "Add KPI"
        assert form.query_one("#f-period").value == YEAR  # type: ignore[attr-defined]
        before = len(list(store.all("kpis")))
        await pilot.press(*"Lead time")
        form.query_one("#f-unit").value = "days"  # type: ignore[attr-defined]
        form.query_one("#f-target").value = "three"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "'three' is not a number" in screen_text(app) and app.screen is form
        assert len(list(store.all("kpis"))) == before  # refused: nothing written
        form.query_one("#f-target").value = "3"  # type: ignore[attr-defined]
        form.query_one("#f-direction").value = "lower"  # type: ignore[attr-defined]
        form.query_one("#f-actual").value = "2.5"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        new = [d for _, d in store.all("kpis") if d["name"] == "Lead time"]
        assert len(new) == 1 and new[0]["actual"] == 2.5 and new[0]["period"] == YEAR
        assert new[0]["history"] == [{"date": TODAY.isoformat(), "value": 2.5}] and new[0]["direction"] == "lower"
        assert plan.current_key() is not None and plan.current_key().startswith("k:")  # type: ignore[union-attr]
        assert "Lead time" in screen_text(app) and "✓ on track" in screen_text(app)
        await pilot.press("u")  # undo the add
        await settle(app, pilot)
        assert not [d for _, d in store.all("kpis") if d["name"] == "Lead time"]


@SIZES
async def test_update_edit_and_delete_a_kpi_with_undo(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    kid = add_kpi(store, db[1]["acme"])
    app = make(store)
    async with app.run_test(size=size) as pilot:
        plan = await _to_plan(app, pilot)
        await _cursor_to(pilot, plan, f"k:{kid}")
        await pilot.press("U")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and "now 91% (off track)" in screen_text(app)
        await pilot.press("ctrl+s")  # blank: refused in place
        await settle(app, pilot)
        assert "type the new actual" in screen_text(app)
        await pilot.press(*"96")
        await settle(app, pilot)
        assert "on track" in str(form.query_one("#form-preview").render())
        await pilot.press("enter")
        await settle(app, pilot)
        doc = store.get("kpis", kid)
        assert doc is not None and doc["actual"] == 96 and doc["updated"] == TODAY.isoformat()
        assert doc["history"][-1] == {"date": TODAY.isoformat(), "value": 96}
        assert plan.current_key() == f"k:{kid}"
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.title_text == "Edit KPI"
        app.screen.query_one("#f-target").value = "98"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get("kpis", kid)["target"] == 98  # type: ignore[index]
        assert store.get("kpis", kid)["actual"] == 96  # type: ignore[index]  # no new reading
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert store.get("kpis", kid) is None
        await pilot.press("u")
        await settle(app, pilot)
        assert store.get("kpis", kid) is not None


@SIZES
async def test_review_form_shows_kpis_and_saves_readings_with_the_review(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    ids = db[1]
    kid = add_kpi(store, ids["acme"])
    other = add_kpi(store, ids["acme"], name="NPS", actual=40, target=50, unit="")
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        labels = " ".join(str(w.render()) for w in form.query(".field-label"))
        assert "Overall 1-5 (this review's score)" in labels and "Health 1-5" not in labels
        assert "KPI On-time delivery (target 95%, higher is better; now 91%: off track)" in labels
        reviews = len(store.children("reviews", ids["acme"]))
        form.query_one(f"#f-kpi_{kid}").value = "ninety"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = form.query_one(f"#e-kpi_{kid}")
        assert app.screen is form and error.has_class("shown") and "'ninety' is not a number" in str(error.render())
        assert len(store.children("reviews", ids["acme"])) == reviews  # nothing written
        assert store.get("kpis", kid)["actual"] == 91  # type: ignore[index]
        form.query_one(f"#f-kpi_{kid}").value = "95"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert len(store.children("reviews", ids["acme"])) == reviews + 1
        assert store.get("kpis", kid)["actual"] == 95  # type: ignore[index]
        assert store.get("kpis", other)["actual"] == 40  # type: ignore[index]  # blank: unchanged
        await pilot.press("u")  # the review and its reading go together
        await settle(app, pilot)
        assert len(store.children("reviews", ids["acme"])) == reviews
        assert store.get("kpis", kid)["actual"] == 91  # type: ignore[index]


async def test_today_names_the_off_track_kpi_and_opens_it_in_the_plan(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    from kamtui.ui.app import KamApp

    kid = add_kpi(store, db[1]["globex"])
    app = KamApp(store, today=TODAY, start="today")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "KPI On-time delivery 91% vs target 95%: off track" in text
        lst = app.screen.query_one("#today-list")
        for _ in range(40):
            item = app.screen.current()  # type: ignore[attr-defined]
            if item is not None and item.detail == KPI_RISK_DETAIL:
                break
            await pilot.press("j")
        await pilot.press("enter")
        await settle(app, pilot)
        plan = app.query_one(PlanPane)
        assert plan.current_key() == f"k:{kid}" and lst is not None


@SIZES
async def test_hostile_kpi_names_and_units_are_shown_as_data(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    for name in STORABLE_NAMES[:12]:
        add_kpi(store, db[1]["acme"], name=name, unit="[b]%")
    app = make(store)
    async with app.run_test(size=size) as pilot:
        plan = await _to_plan(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "[bold]x" in text and "91[b]%" in text
        assert len([k for k in plan.kpis]) == 12
