"""Small truths of the plan (issue 12, item 12): the friendliness grid tells people apart, and a
promotion to key account sets the promised monthly cadence without flagging the account at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamtui.domain.cadence import DEFAULT_CADENCE_BY_TIER
from kamtui.domain.model import Stakeholder
from kamtui.domain.names import short_names, without_honorifics
from kamtui.domain.selection import _TIER_DEFAULT_CADENCE, Customer, promoted_cadence, rank
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui import texts
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen
from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY

# ------------------------------------------------------------------ the friendliness grid


def person(name: str, friendliness: int = 0, influence: str = "medium") -> Stakeholder:
    return Stakeholder(account_id=1, name=name, influence=influence, friendliness=friendliness, role="influencer")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("names", "short"),
    [
        (["Dr. Amara Okafor", "Robert Lindqvist"], ["Amara", "Robert"]),
        (["Prof. Dr. Katrin Vogel", "Ing. Luis Pérez", "Sra. Ana Gil", "Mr Tom Ng"], ["Katrin", "Luis", "Ana", "Tom"]),
        (["Anna Schmidt", "Anna Kowalski", "Ben Ode"], ["Anna S.", "Anna K.", "Ben"]),
        (["Anna Schmidt", "Anna Seidel", "anna kowalski"], ["Anna Schmidt", "Anna Seidel", "anna k."]),
        (["Dr.", "Cher"], ["Dr.", "Cher"]),  # a name that is only a title keeps it
        (["", "Dr. Sr. Ortiz"], ["", "Ortiz"]),
    ],
)
def test_short_names_skip_honorifics_and_tell_people_apart(names: list[str], short: list[str]) -> None:
    assert short_names(names) == short


def test_without_honorifics_keeps_the_rest_of_the_name() -> None:
    assert without_honorifics("Dr. Hélène Marchand") == ["Hélène", "Marchand"]
    assert without_honorifics("Drew Barry") == ["Drew", "Barry"]


def test_influence_matrix_names_people_not_their_titles() -> None:
    grid = texts.influence_matrix(
        [
            person("Dr. Amara Okafor", 1, "high"),
            person("Dr. Katrin Vogel", -1, "medium"),
            person("Anna Schmidt", 2, "low"),
            person("Anna Kowalski", 0, "low"),
        ]
    ).plain
    assert "Dr." not in grid
    assert "Amara" in grid and "Katrin" in grid
    assert "Anna S." in grid and "Anna K." in grid


# ------------------------------------------------------------------ promotion


def test_promoted_cadence_is_monthly_unless_the_account_has_its_own() -> None:
    assert promoted_cadence("regular", "") == "monthly"
    assert promoted_cadence("candidate", "quarterly") == "monthly"  # the candidate's default, not a choice
    assert promoted_cadence("candidate", "biweekly") == "biweekly"
    assert promoted_cadence("regular", "FREQ=WEEKLY;INTERVAL=3") == "FREQ=WEEKLY;INTERVAL=3"
    assert {t: c for t, c in DEFAULT_CADENCE_BY_TIER.items() if t != "key"} == _TIER_DEFAULT_CADENCE
    assert DEFAULT_CADENCE_BY_TIER["key"] == "monthly"


DAY = dt.date(2026, 11, 23)


def _customers(tier_of_5: str) -> list[Customer]:
    strong = {"revenue_potential": 5, "growth": 5, "solvency": 5, "relationships": 5, "strategic_value": 5}
    buying = {"last_activity": DAY - dt.timedelta(days=3), "frequency": 9, "monetary": 50.0}
    return [
        Customer(1, "Big", "key", "ana", 1000.0, **buying),  # type: ignore[arg-type]
        Customer(2, "Mid", "regular", "ana", 500.0, **buying),  # type: ignore[arg-type]
        Customer(3, "Weak key", "key", "ana", 10.0, **buying),  # type: ignore[arg-type]
        Customer(5, "Strong small", tier_of_5, "ana", 20.0, criteria=strong, **buying),  # type: ignore[arg-type]
    ]


def test_an_account_promoted_for_its_score_is_not_flagged_to_recheck() -> None:
    day = DAY
    before = {r.customer.id: r for r in rank(_customers("candidate"), day)}
    assert before[5].flags == ["promote? criteria score 100 >= 70"]
    after = {r.customer.id: r for r in rank(_customers("key"), day)}
    assert not after[5].in_pareto and after[5].flags == []
    # A key account outside the 80% with nothing else going for it is still re-checked.
    assert any(f.startswith("re-check: outside the 80% of revenue, criteria score") for f in after[3].flags)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_promote_in_the_portfolio_sets_monthly_and_raises_no_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")
    path = materialize_demo(tmp_path / "demo.json", TODAY)
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
            candidate = next(
                r
                for r in screen.ranked
                if r.customer.tier == "candidate"
                and not r.in_pareto
                and r.flags[:1]
                and r.flags[0].startswith("promote? criteria score")
            )
            doc = store.get("accounts", candidate.customer.id)
            assert doc is not None and doc["cadence"] == "quarterly"
            while lst.current is None or lst.current.customer.id != candidate.customer.id:
                await pilot.press("j")
            await pilot.press("P")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert app.screen.question.endswith("reviewed monthly?")
            await pilot.press("y")
            await settle(app, pilot)
            doc = store.get("accounts", candidate.customer.id)
            assert doc is not None and (doc["tier"], doc["cadence"]) == ("key", "monthly")
            now = next(r for r in screen.ranked if r.customer.id == candidate.customer.id)
            assert now.customer.tier == "key" and now.flags == []
    finally:
        store.close(compact=False)
