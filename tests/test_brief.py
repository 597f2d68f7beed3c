"""Issue 12, item 9: the meeting brief, built once (kamtui.domain.brief), shown by `b` and printed
by `kamtui export --format brief --account NAME`; it prints for every demo account, follows the
terminal's locale and never lets stored text reach the terminal raw."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.domain.brief import attitude_trend, build_brief, render_brief
from kamtui.domain.business import Business, BusinessItem
from kamtui.domain.deals import Direction, Kpi, Opportunity, Stage
from kamtui.domain.model import (
    Account,
    Action,
    DecisionRole,
    FriendlinessChange,
    Interaction,
    InteractionKind,
    Level,
    Objective,
    Review,
    Stakeholder,
    Tier,
)
from kamtui.domain.text import clean
from kamtui.report.plans import AccountPlan, load_plans
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.brief_screen import BriefScreen
from kamtui.ui.main_screen import MainScreen
from tests.cli_run import assert_one_error, kamtui_run, sealed_env
from tests.hostile import STORABLE_NAMES
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

SECTIONS = (
    "THEIR BUSINESS",
    "THREATS (SWOT)",
    "OPEN OPPORTUNITIES",
    "PEOPLE LIKELY TO BE THERE",
    "OPEN AND LATE ACTIONS",
    "KPIS OFF TRACK",
    "LAST REVIEW AND NEXT STEP",
)
# What must never reach a terminal from stored text: C0/C1 controls (but newline), bidi overrides.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def d(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize_demo(tmp_path_factory.mktemp("demo") / "demo.json", TODAY)


def plan(text: str = "") -> AccountPlan:
    """A hand-built account with every part of a brief; ``text`` replaces every stored text."""

    def t(default: str) -> str:
        return text or default

    acc = Account(
        name=t("Northwind"),
        tier=Tier.KEY,
        owner=t("ana"),
        revenue=2_000_000,
        cadence="monthly",
        last_review=d(-20),
        business=Business(
            goals=[BusinessItem(t("Cut empty miles"), d(-30))],
            financial_health=t("Healthy"),
            financial_health_updated=d(-400),
            swot={"threats": [BusinessItem(t("Driver shortage"), d(-300)), BusinessItem(t("Fuel prices"), d(-10))]},
        ),
        id=1,
    )
    people = [
        Stakeholder(
            account_id=1, name=t("Lou Low"), role=DecisionRole.USER, influence=Level.LOW, id=10, last_contact=d(-3)
        ),
        Stakeholder(
            account_id=1,
            name=t("Cleo CFO"),
            title=t("CFO"),
            role=DecisionRole.ECONOMIC_BUYER,
            influence=Level.HIGH,
            friendliness=-1,
            friendliness_history=[
                FriendlinessChange(d(-200), 1, "ana"),
                FriendlinessChange(d(-15), -1, "ana", t("price rise")),
            ],
            last_contact=d(-15),
            id=11,
        ),
        Stakeholder(account_id=1, name=t("Gone Gary"), left=True, id=12),
    ]
    interactions = [
        Interaction(account_id=1, date=d(-40), stakeholders=[11], summary=t("Old topic"), id=20),
        Interaction(
            account_id=1,
            date=d(-15),
            kind=InteractionKind.CALL,
            stakeholders=[11, 10],
            summary=t("Renewal price"),
            id=21,
        ),
        Interaction(account_id=1, date=d(-3), stakeholders=[10], summary=t("Training"), id=22),
    ]
    objective = Objective(account_id=1, title=t("Grow the fleet deal"), id=30)
    actions = [
        Action(account_id=1, objective_id=30, text=t("Send the proposal"), due=d(-6), owner="ana", id=40),
        Action(account_id=1, objective_id=30, text=t("Book the QBR"), due=d(9), id=41),
        Action(account_id=1, objective_id=30, text=t("Done already"), due=d(-30), done=True, id=42),
    ]
    opportunities = [
        Opportunity(
            account_id=1,
            title=t("Rotterdam hub"),
            value=500_000,
            stage=Stage.PROPOSE,
            close_date=d(60),
            owner=t("ana"),
            objective_id=30,
            id=50,
        ),
        Opportunity(account_id=1, title=t("Won deal"), value=100_000, stage=Stage.WON, close_date=d(-50), id=51),
    ]
    kpis = [
        Kpi(account_id=1, name=t("On-time delivery"), target=95, unit="%", actual=91, period="2027", id=60),
        Kpi(account_id=1, name=t("Claims"), target=10, direction=Direction.LOWER, actual=4, id=61),
        Kpi(account_id=1, name=t("Unread"), target=1, id=62),
    ]
    reviews = [
        Review(account_id=1, date=d(-80), notes="older", id=70),
        Review(account_id=1, date=d(-20), reviewer="ana", health=2, notes=t("Price pressure\nCFO cooling"), id=71),
    ]
    return AccountPlan(acc, people, [objective], actions, reviews, opportunities, kpis=kpis, interactions=interactions)


# ------------------------------------------------------------------------ the builder


def test_the_brief_has_every_part_in_words() -> None:
    text = render_brief(build_brief(plan(), TODAY))
    lines = text.splitlines()
    assert lines[0] == "Meeting brief: Northwind"
    positions = [lines.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    assert "- Cut empty miles (updated 2026-10-24)" in text
    assert "Financial health: Healthy (updated 2025-10-19, stale)" in text
    assert "- Driver shortage (updated 2026-01-27, stale)" in text and "- Fuel prices (updated 2026-11-13)" in text
    assert "1 open, 500k (weighted 250k); won 100k" in text
    assert "- Rotterdam hub · propose · 500k · 50% · weighted 250k · close 2027-01-22" in text
    assert "owner ana · for Grow the fleet deal" in text and "Won deal" not in text
    # Key players first; who has left is not expected.
    people = text.split("PEOPLE LIKELY TO BE THERE\n")[1].split("\n\n")[0]
    assert people.index("Cleo CFO") < people.index("Lou Low") and "Gone Gary" not in people
    assert "key player · economic buyer · influence high · unfriendly (-1)" in people
    assert "attitude: ▼ cooling since 2026-11-08 (from friendly): price rise" in people
    assert "last topic (call 2026-11-08): Renewal price" in people  # the latest naming her, not the latest
    assert "last topic (meeting 2026-11-20): Training" in people
    assert "2 open, 1 late" in text
    assert "- LATE by 6 days (due 2026-11-17) · Send the proposal · owner ana" in text
    assert "Done already" not in text
    assert "1 of 3 off track (1 on track, 1 without a reading)" in text
    assert "- On-time delivery: 91 % against a target of 95 % (higher is better) · period 2027" in text
    assert "Claims" not in text
    assert "Last review 2026-11-03 by ana: engagement 3, loyalty 3, satisfaction 3, review health 2 (1-5)" in text
    assert "  Price pressure\n  CFO cooling" in text
    assert "Next review due 2026-12-03 (in 10d)" in text
    assert "Next action: LATE by 6 days (due 2026-11-17) · Send the proposal · owner ana" in text


def test_an_empty_account_still_has_a_brief() -> None:
    text = render_brief(build_brief(AccountPlan(Account(name="Bare", id=3)), TODAY))
    for section in SECTIONS:
        assert section in text
    assert "no stakeholder is mapped yet" in text and "no KPI is set" in text and "Never reviewed" in text
    assert "Goals:\n- none recorded" in text and "Next action: none open" in text


def test_attitude_trend_words() -> None:
    s = Stakeholder(account_id=1, name="x")
    assert attitude_trend(s) == "no change recorded"
    s = s.with_friendliness(1, d(-5), "ana", "good lunch")
    assert attitude_trend(s) == "set on 2026-11-18: good lunch"
    s = s.with_friendliness(2, d(-1), "ana")
    assert attitude_trend(s) == "▲ warming since 2026-11-22 (from friendly)"


@pytest.mark.parametrize("name", STORABLE_NAMES)
def test_hostile_text_never_reaches_the_terminal_raw(name: str) -> None:
    text = render_brief(build_brief(plan(name), TODAY))
    assert not RAW.search(text), repr(name)
    # Every line made, none broken by a stored newline: only a review's note keeps its lines.
    plain = render_brief(build_brief(plan(), TODAY)).splitlines()
    note = [line for line in clean(name, one_line=False).split("\n") if line.strip()]
    assert len(text.splitlines()) == len(plain) - 2 + max(1, len(note))


def test_the_brief_prints_for_every_demo_account(demo: Path) -> None:
    store = Store(demo, user="tester")
    try:
        plans = load_plans(Portfolio(store, lambda: TODAY), TODAY, with_interactions=True)
    finally:
        store.close(compact=False)
    assert len(plans) >= 20
    topics = 0
    for p in plans:
        text = render_brief(build_brief(p, TODAY))
        assert all(s in text for s in SECTIONS), p.account.name
        assert not RAW.search(text)
        topics += "last topic (" in text
    assert topics >= 5  # the demo's interactions name people: their last topics show


# ------------------------------------------------------------------------------- CLI


def test_cli_brief_by_name_any_case_and_its_errors(demo: Path, tmp_path: Path) -> None:
    db = ("--db", demo, "--today", TODAY.isoformat())
    run = kamtui_run(tmp_path, "export", "--format", "brief", "--account", "NORTHWIND freight", *db)
    assert (run.rc, run.err) == (0, ""), run
    assert run.out.startswith("Meeting brief: Northwind Freight Systems\n")
    assert all(s in run.out for s in SECTIONS)

    line = assert_one_error(kamtui_run(tmp_path, "export", "--format", "brief", "--account", "zzz", *db), 2)
    assert line == "kamtui: no account named 'zzz'"
    line = assert_one_error(kamtui_run(tmp_path, "export", "--format", "brief", "--account", "b", *db), 2)
    assert "fits" in line and "give more of the name" in line
    line = assert_one_error(kamtui_run(tmp_path, "export", "--format", "brief", *db), 1)
    assert "--format brief needs --account NAME" in line
    line = assert_one_error(
        kamtui_run(tmp_path, "export", "--format", "brief", "--account", "north", "--table", "kpis", *db), 1
    )
    assert "--table goes with --format csv" in line

    target = tmp_path / "brief.txt"
    run = kamtui_run(tmp_path, "export", "--format", "brief", "--account", "north", "-o", target, *db)
    assert run.rc == 0 and target.read_text(encoding="utf-8").startswith("Meeting brief: Northwind")


def test_cli_brief_of_a_hostile_name(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    with Store(path, user="t") as store:
        store.insert("accounts", {"name": "\x1b]0;owned\x07Evil \u202eCo", "tier": "key"})
    run = kamtui_run(tmp_path, "export", "--format", "brief", "--account", "\x1b]0;owned", "--db", path)
    assert run.rc == 0, run
    assert not RAW.search(run.out) and "Meeting brief: ^[]0;owned^GEvil ␣Co" in run.out


def test_cli_brief_under_an_ascii_locale(demo: Path, tmp_path: Path) -> None:
    env = sealed_env(tmp_path, PYTHONUTF8="0", LANG="C", LC_ALL="C", KAMTUI_CONFIG="/dev/null")
    del env["PYTHONIOENCODING"]
    args = ["export", "--format", "brief", "--account", "northwind", "--db", str(demo), "--today", TODAY.isoformat()]
    cmd = [sys.executable, "-m", "kamtui", *args]
    proc = subprocess.run(cmd, capture_output=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr == b""
    out = proc.stdout.decode("ascii")  # the marks as ASCII, the data's "Tomás" as "Tom?s"
    assert out.startswith("Meeting brief: Northwind Freight Systems\n")
    assert " - owner ana - " in out and "Tom?s" in out


# ----------------------------------------------------------------------------- the TUI


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_b_opens_the_brief_which_scrolls_and_closes(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "p.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            account = app.main.account_id
            assert account is not None
            await pilot.press("b")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, BriefScreen)
            name = store.get("accounts", account)
            assert name is not None
            text = screen_text(app)
            assert f"Meeting brief: {name['name']}" in text and "Their business" in text
            scroll = screen.scroller
            assert scroll.max_scroll_y > 0  # a whole page: more than the screen at both sizes
            await pilot.press("j", "j")
            await settle(app, pilot)
            assert scroll.scroll_y == 2
            await pilot.press("G")
            await settle(app, pilot)
            assert scroll.scroll_y == scroll.max_scroll_y
            assert "Last review and next step" in screen_text(app)
            await pilot.press("g")
            await settle(app, pilot)
            assert scroll.scroll_y == 0
            await pilot.press("q")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen) and app.is_running  # q closes the brief, not kamtui
            await pilot.press("b")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
    finally:
        store.close(compact=False)


async def test_the_brief_of_hostile_names_on_screen(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    build_portfolio(path, names=STORABLE_NAMES)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            for _ in range(3):
                await pilot.press("b")
                await settle(app, pilot)
                assert isinstance(app.screen, BriefScreen)
                assert not RAW.search(screen_text(app))
                await pilot.press("q", "j")
                await settle(app, pilot)
    finally:
        store.close(compact=False)


async def test_the_palette_opens_the_brief_and_the_criteria(tmp_path: Path) -> None:
    from textual.command import CommandPalette

    from kamtui.ui.forms import FormScreen

    path = tmp_path / "p.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            for typed, screen in (("meeting brief", BriefScreen), ("score criteria", FormScreen)):
                await pilot.press("ctrl+p", *typed)
                await settle(app, pilot)
                assert isinstance(app.screen, CommandPalette)
                await pilot.press("enter")
                await settle(app, pilot)
                assert isinstance(app.screen, screen), typed
                await pilot.press("escape")
                await settle(app, pilot)
                assert isinstance(app.screen, MainScreen)
    finally:
        store.close(compact=False)


def test_the_screen_and_the_export_build_the_same_brief(demo: Path) -> None:
    """`b` builds from the session's portfolio, the export from its plans: one brief."""
    from kamtui.ui.brief_screen import parts_of

    store = Store(demo, user="tester")
    try:
        p = Portfolio(store, lambda: TODAY)
        for plan_ in load_plans(p, TODAY, with_interactions=True):
            parts = parts_of(p, plan_.id, TODAY)
            assert parts is not None
            assert render_brief(build_brief(parts, TODAY)) == render_brief(build_brief(plan_, TODAY))
        assert parts_of(p, 10_000, TODAY) is None
    finally:
        store.close(compact=False)
