"""A small hand-built portfolio for UI tests, with a frozen today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kamtui.domain.model import Account, Action, Objective, Review, Stakeholder
from kamtui.store import Op, Store

TODAY = dt.date(2026, 11, 23)


def d(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def build_portfolio(path: Path, names: list[str] | None = None) -> dict[str, int]:
    """Three accounts; ACME is a key account with stakeholders, a plan and reviews.

    ``names`` (hostile strings) replace every stored name and title when given.
    """
    store = Store(path, user="tester")
    ids: dict[str, int] = {}
    hostile = names or []

    def pick(default: str, i: int) -> str:
        return hostile[i % len(hostile)] if hostile else default

    acme = Account(
        name=pick("ACME Corp", 0),
        tier="key",
        industry="Manufacturing",
        owner="ana",
        sponsor=pick("Vera COO", 1),
        revenue=1_200_000,
        cadence="monthly",
        last_review=d(-40),
    )
    globex = Account(
        name=pick("Globex", 2), tier="key", owner="ben", revenue=900_000, cadence="quarterly", last_review=d(-10)
    )
    initech = Account(name=pick("Initech", 3), tier="regular", owner="tester", revenue=300_000)
    for key, acc in (("acme", acme), ("globex", globex), ("initech", initech)):
        ids[key] = store.insert("accounts", acc.to_doc())
    a = ids["acme"]
    people = [
        (
            "hostile_dm",
            Stakeholder(
                account_id=a,
                name=pick("Dana Decider", 4),
                title=pick("CFO", 5),
                role="decision_maker",
                influence="high",
                friendliness=-2,
                coverage="brief",
                last_contact=d(-90),
                contact_every_days=30,
                owner="ana",
            ),
        ),
        (
            "champion",
            Stakeholder(
                account_id=a,
                name=pick("Carl Champion", 6),
                title="VP Eng",
                role="champion",
                influence="medium",
                friendliness=2,
                coverage="in_depth",
                last_contact=d(-5),
                contact_every_days=30,
                owner="ana",
            ),
        ),
        (
            "user",
            Stakeholder(
                account_id=a,
                name=pick("Uma User", 7),
                role="user",
                influence="low",
                friendliness=0,
                coverage="none",
                owner="ben",
            ),
        ),
    ]
    for key, s in people:
        ids[key] = store.insert("stakeholders", s.to_doc())
    ids["objective"] = store.insert(
        "objectives",
        Objective(account_id=a, title=pick("Win the renewal", 8), horizon="short", owner="ana", due=d(30)).to_doc(),
    )
    ids["objective_long"] = store.insert(
        "objectives", Objective(account_id=a, title="Become the platform standard", horizon="long").to_doc()
    )
    ids["late_action"] = store.insert(
        "actions",
        Action(
            account_id=a, objective_id=ids["objective"], text=pick("Send the ROI case", 9), owner="ana", due=d(-3)
        ).to_doc(),
    )
    ids["open_action"] = store.insert(
        "actions",
        Action(
            account_id=a, objective_id=ids["objective"], text="Book the CTO meeting", owner="ben", due=d(10)
        ).to_doc(),
    )
    store.commit(
        [
            Op(
                "insert",
                "reviews",
                None,
                Review(
                    account_id=a,
                    date=d(-100 + 30 * i),
                    reviewer="ana",
                    engagement=4 - i,
                    loyalty=4 - i,
                    satisfaction=3,
                    health=3,
                    notes=pick("steady", 10),
                ).to_doc(),
            )
            for i in range(3)
        ]
    )
    store.close()
    return ids
