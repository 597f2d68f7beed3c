"""Today's and ``kamtui due``'s risk alerts are the red risks, judged without the reviews: the
reviews' trends are amber, so the alerts never needed them (at 10,000 accounts ``kamtui due``
built ~750 accounts' reviews for nothing)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kamtui.domain.model import Account, Level, Review, Stakeholder
from kamtui.domain.queue import Thresholds
from kamtui.domain.risk import red_risk_items, review_trend_risks, risk_items
from kamtui.store import Store
from kamtui.store.portfolio import LenientPortfolio, Portfolio
from kamtui.store.today import today_queue
from tests.cli_run import kamtui_run
from tests.raw import write_raw_documents
from tests.stakeholders import TODAY, Role, ago, sh


def falling_reviews() -> list[Review]:
    """Engagement and loyalty down in two reviews running: both trend risks, amber."""
    return [Review(account_id=1, date=ago(90 * (3 - n)), engagement=5 - n, loyalty=4 - n, id=n + 1) for n in range(3)]


MAPS: dict[str, list[Stakeholder]] = {
    "hostile buyer and a left champion": [
        sh(1, "Ed", role=Role.ECONOMIC_BUYER, influence=Level.HIGH, friendliness=-2, contact=70),
        sh(2, "Lea", role=Role.CHAMPION, friendliness=2, left=True),
        sh(3, "Bo", role=Role.BLOCKER, friendliness=-1, contact=None),
    ],
    "cooling champion": [
        sh(4, "Cy", role=Role.CHAMPION, friendliness=-1, history=((300, 2, ""), (20, -1, "price"))),
        sh(5, "Di", role=Role.DECISION_MAKER, influence=Level.HIGH, friendliness=1, contact=5),
    ],
    "quiet": [sh(6, "Al", role=Role.USER, friendliness=1, contact=200)],
    "nobody": [],
}


@pytest.mark.parametrize("people", list(MAPS.values()), ids=list(MAPS))
@pytest.mark.parametrize("last_review", [None, ago(20), ago(400)])
def test_red_risk_items_are_the_red_items_of_risk_items_in_order(
    people: list[Stakeholder], last_review: dt.date | None
) -> None:
    account = Account(name="Acme", owner="ana", cadence="quarterly", last_review=last_review, id=1)
    for th in (Thresholds(), Thresholds(review_late_periods=0.5)):
        every = risk_items(1, account, people, falling_reviews(), TODAY, th)
        assert any(it.severity < 2 for it in every)  # the trends at least: the filter is tested
        red = red_risk_items(1, account, people, TODAY, th)
        assert red == [it for it in every if it.severity >= 2]


def test_review_trends_are_amber() -> None:
    risks = review_trend_risks(falling_reviews())
    assert [r.rule for r in risks] == ["engagement_falling", "loyalty_falling"]
    assert {r.severity for r in risks} == {1}


def test_kamtui_due_shows_the_red_alerts_of_an_account_with_a_damaged_review_as_today_does(tmp_path: Path) -> None:
    """A review another program wrote with a date the model refuses hid the account's red
    alerts from ``kamtui due``, while Today (which leaves the damaged review out) showed them."""
    path = tmp_path / "kam.json"
    store = Store(path, user="tester")
    try:
        aid = store.insert(
            "accounts", Account(name="Acme", owner="ana", cadence="monthly", last_review=ago(10)).to_doc()
        )
        store.insert(
            "stakeholders",
            Stakeholder(
                account_id=aid,
                name="Ed",
                role=Role.ECONOMIC_BUYER,
                influence=Level.HIGH,
                friendliness=1,
                last_contact=ago(90),
            ).to_doc(),
        )
        store.compact()
    finally:
        store.close(compact=False)
    write_raw_documents(path, {"reviews": [{"account_id": aid, "date": "not a date"}]})
    store = Store(path, create=False)
    try:
        today = [it for it in today_queue(LenientPortfolio(store, lambda: TODAY), TODAY) if it.kind == "risk"]
        assert [it.title for it in today] == ["economic buyer Ed silent 90 days (limit 45)"]
        assert today_queue(Portfolio(store, lambda: TODAY), TODAY) == today_queue(
            LenientPortfolio(store, lambda: TODAY), TODAY
        )
    finally:
        store.close(compact=False)
    run = kamtui_run(tmp_path, "due", "--db", path, "--today", TODAY.isoformat(), "--format", "json")
    assert run.rc == 0, run
    alerts = [it["title"] for it in json.loads(run.out)["items"] if it["kind"] == "risk"]
    assert alerts == [it.title for it in today]
