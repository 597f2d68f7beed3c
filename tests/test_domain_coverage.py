"""Relationship coverage of the buying roles, the decay of an attitude's weight with silence, and
the default contact cadence by influence and role (issue 13, item 2), each at its boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from kamtui.domain.contact import (
    DEFAULT_RISK_RULES,
    RiskRules,
    contact_every,
    default_cadence,
    is_supporter,
    support,
    supporter_days,
    weight,
)
from kamtui.domain.coverage import Cover, coverage, coverage_summary, person_cover, role_coverage
from kamtui.domain.model import Level
from tests.stakeholders import TODAY, Role, ago, sh

# ------------------------------------------------------------------------------ decay


@pytest.mark.parametrize(("days", "expected"), [(0, 1.0), (40, 0.5), (80, 0.25), (120, 0.125)])
def test_weight_halves_every_half_life(days: int, expected: float) -> None:
    assert weight(ago(days), TODAY) == pytest.approx(expected)


def test_weight_never_contacted_is_zero_and_a_future_contact_counts_fully() -> None:
    assert weight(None, TODAY) == 0.0
    assert weight(TODAY + dt.timedelta(days=3), TODAY) == 1.0


def test_half_life_is_configurable() -> None:
    assert weight(ago(60), TODAY, RiskRules(half_life_days=60)) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("friendliness", "days", "supporter"),
    [
        (2, 80, True),  # 2 x 0.25 = 0.5: still counts
        (2, 81, False),
        (2, 90, False),  # the case: a champion not heard from in 90 days no longer counts
        (1, 40, True),
        (1, 41, False),
        (0, 0, False),
        (-2, 0, False),
    ],
)
def test_supporter_until_friendliness_times_weight_falls_below_the_minimum(
    friendliness: int, days: int, supporter: bool
) -> None:
    assert is_supporter(sh(1, friendliness=friendliness, contact=days), TODAY) is supporter


def test_supporter_days_and_a_left_supporter() -> None:
    assert supporter_days(2) == pytest.approx(80) and supporter_days(1) == pytest.approx(40)
    assert supporter_days(0) == 0
    assert not is_supporter(sh(1, friendliness=2, contact=0, left=True), TODAY)


def test_an_opponent_does_not_fade_with_silence() -> None:
    assert support(sh(1, friendliness=-2, contact=400), TODAY) == -2
    assert support(sh(1, friendliness=-1, contact=None), TODAY) == -1
    assert support(sh(1, friendliness=2, contact=40), TODAY) == pytest.approx(1.0)


# -------------------------------------------------------------------- default cadence


@pytest.mark.parametrize(
    ("role", "influence", "expected"),
    [
        (Role.USER, Level.HIGH, (30, "high influence")),
        (Role.USER, Level.MEDIUM, (60, "medium influence")),
        (Role.USER, Level.LOW, (90, "low influence")),
        (Role.ECONOMIC_BUYER, Level.LOW, (30, "economic buyer")),
        (Role.DECISION_MAKER, Level.MEDIUM, (30, "decision maker")),
        (Role.CHAMPION, Level.LOW, (30, "champion")),
        (Role.BLOCKER, Level.MEDIUM, (45, "blocker")),
        (Role.TECHNICAL_BUYER, Level.LOW, (45, "technical buyer")),
        (Role.TECHNICAL_BUYER, Level.HIGH, (30, "high influence")),  # the shorter wins
        (" Decision Maker", "HIGH", (30, "decision maker")),  # stored text, read as the validator does; a tie: the role
        (3, None, (60, "medium influence")),  # unreadable: the model's defaults
    ],
)
def test_default_cadence_is_the_shorter_of_influence_and_role(
    role: object, influence: object, expected: tuple[int, str]
) -> None:
    assert default_cadence(role, influence) == expected


def test_default_cadences_are_configurable_and_an_own_cadence_wins() -> None:
    rules = dataclasses.replace(DEFAULT_RISK_RULES, cadence_low=120, role_cadence=((Role.ECONOMIC_BUYER, 14),))
    assert default_cadence(Role.USER, Level.LOW, rules) == (120, "low influence")
    assert default_cadence(Role.ECONOMIC_BUYER, Level.HIGH, rules) == (14, "economic buyer")
    assert default_cadence(Role.CHAMPION, Level.LOW, rules) == (120, "low influence")  # no champion default now
    assert contact_every(sh(1, every=7)) == (7, True)
    assert contact_every(sh(1, influence=Level.HIGH)) == (30, False)


# ---------------------------------------------------------------------- coverage


def test_person_states_at_their_boundaries() -> None:
    assert person_cover(sh(1, contact=40), TODAY) is Cover.COVERED  # weight 0.5: one half-life
    assert person_cover(sh(1, contact=41), TODAY) is Cover.COLD
    assert person_cover(sh(1, contact=None), TODAY) is Cover.NEVER
    assert person_cover(sh(1, friendliness=-1, contact=0), TODAY) is Cover.HOSTILE
    assert person_cover(sh(1, friendliness=-2, contact=None), TODAY) is Cover.HOSTILE
    assert person_cover(sh(1, friendliness=2, contact=41), TODAY) is Cover.COLD


def test_each_default_role_shows_a_state() -> None:
    people = [
        sh(1, "Ana", role=Role.ECONOMIC_BUYER, friendliness=1, contact=12),
        sh(2, "Bo", role=Role.DECISION_MAKER, friendliness=-1, contact=3),
        sh(3, "Rosa", role=Role.CHAMPION, friendliness=2, contact=94),
        sh(4, "Tom", role=Role.USER, friendliness=1, contact=2),
    ]
    cov = coverage(people, TODAY)
    assert [(c.role, c.state) for c in cov] == [
        (Role.ECONOMIC_BUYER, Cover.COVERED),
        (Role.DECISION_MAKER, Cover.HOSTILE),
        (Role.CHAMPION, Cover.COLD),
        (Role.TECHNICAL_BUYER, Cover.MISSING),
    ]
    assert [c.words() for c in cov] == [
        "economic buyer: covered (Ana, friendly, 12d ago)",
        "decision maker: hostile (Bo, unfriendly, 3d ago)",
        "champion: cold (Rosa, champion, 94d ago)",
        "technical buyer: missing (no one mapped in the role)",
    ]
    assert coverage_summary(cov) == "1/4 roles covered"


def test_the_best_holder_speaks_for_the_role_and_who_left_does_not_count() -> None:
    people = [
        sh(1, "Old", role=Role.DECISION_MAKER, contact=100),
        sh(2, "Foe", role=Role.DECISION_MAKER, friendliness=-2, contact=1),
        sh(3, "New", role=Role.DECISION_MAKER, contact=None),
        sh(4, "Gone", role=Role.DECISION_MAKER, friendliness=2, contact=1, left=True),
    ]
    c = role_coverage(Role.DECISION_MAKER, people, TODAY)
    assert (c.state, c.person and c.person.name, c.holders) == (Cover.COLD, "Old", 3)
    assert c.words() == "decision maker: cold (Old +2, neutral, 100d ago)"
    only_gone = role_coverage(Role.DECISION_MAKER, people[3:], TODAY)
    assert only_gone.state is Cover.MISSING
    never = role_coverage(Role.DECISION_MAKER, people[1:3], TODAY)
    assert (never.state, never.words()) == (Cover.NEVER, "decision maker: never contacted (New +1, never contacted)")


def test_the_most_recent_contact_breaks_a_tie() -> None:
    people = [sh(1, "A", role=Role.ECONOMIC_BUYER, contact=20), sh(2, "B", role=Role.ECONOMIC_BUYER, contact=5)]
    c = role_coverage(Role.ECONOMIC_BUYER, people, TODAY)
    assert c.person is not None and c.person.name == "B" and c.days == 5


def test_a_champion_by_attitude_holds_the_champion_role() -> None:
    c = role_coverage(Role.CHAMPION, [sh(1, "Ivy", role=Role.INFLUENCER, friendliness=2, contact=3)], TODAY)
    assert (c.state, c.person and c.person.name) == (Cover.COVERED, "Ivy")
    friendly = role_coverage(Role.CHAMPION, [sh(1, role=Role.INFLUENCER, friendliness=1)], TODAY)
    assert friendly.state is Cover.MISSING


def test_the_roles_and_the_cold_weight_are_configurable() -> None:
    rules = RiskRules(coverage_roles=(Role.COACH, Role.ECONOMIC_BUYER), cold_weight=0.25)
    people = [sh(1, role=Role.ECONOMIC_BUYER, contact=80), sh(2, role=Role.COACH, contact=81)]
    cov = coverage(people, TODAY, rules)
    assert [(c.role, c.state) for c in cov] == [(Role.COACH, Cover.COLD), (Role.ECONOMIC_BUYER, Cover.COVERED)]
    assert coverage_summary(coverage([sh(1, role=Role.COACH)], TODAY, RiskRules(coverage_roles=(Role.COACH,)))) == (
        "1/1 roles covered"
    )


# ------------------------------------------------------------------ as the user sees it


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_the_stakeholders_pane_opens_with_the_coverage_line(
    tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamtui.store import Store
    from kamtui.ui.panes.stakeholders import StakeholderPane
    from tests.test_ui import make, screen_text, settle
    from tests.ui_fixtures import build_portfolio

    monkeypatch.setenv("USER", "tester")
    db = tmp_path / "k.json"
    build_portfolio(db)
    store = Store(db, user="tester")
    try:
        app = make(store)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            app.main.action_tab("stakeholders")
            await settle(app, pilot)
            pane = app.query_one(StakeholderPane)
            assert pane.coverage is not None
            assert [(c.role.value, c.state.value) for c in pane.coverage] == [
                ("economic_buyer", "missing"),
                ("decision_maker", "hostile"),  # Dana Decider, hostile
                ("champion", "covered"),  # Carl Champion, 5 days ago
                ("technical_buyer", "missing"),
            ]
            lines = screen_text(app).splitlines()
            if size[0] == 120:  # full role names on two lines: one does not fit
                one, two = (
                    "economic buyer missing · decision maker hostile",
                    "champion covered · technical buyer missing",
                )
            else:  # the table's short role names
                one, two = "econ buyer missing · decider hostile", "champion covered · tech buyer missing"
            first = next(i for i, ln in enumerate(lines) if one in ln)
            assert two in lines[first + 1]
            assert "Name" in lines[first + 2] and "Role" in lines[first + 2]  # then the table
            assert pane.table.targets[0] == 3
    finally:
        store.close(compact=False)


def test_the_markdown_export_lists_the_buying_roles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kamtui.cli import main
    from tests.ui_fixtures import TODAY as UI_TODAY
    from tests.ui_fixtures import build_portfolio

    db = tmp_path / "k.json"
    build_portfolio(db)
    argv = ["export", "--format", "md", "--account", "ACME", "--db", str(db), "--today", UI_TODAY.isoformat()]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Buying roles (1/4 roles covered):" in out
    assert "- decision maker: **hostile** (Dana Decider, hostile, 90d ago)" in out
    assert "- champion: **covered** (Carl Champion, champion, 5d ago)" in out
    assert "- economic buyer: **missing** (no one mapped in the role)" in out
