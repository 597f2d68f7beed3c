"""One account's agenda for the guided review, gathered by the same rules as Today's queue, and
what changed on it since its last review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamtui.domain.agenda import Agenda, build_agenda
from kamtui.domain.changes import Moved, changes_since
from kamtui.domain.health import since_review
from kamtui.domain.hygiene import plan_items
from kamtui.domain.kpi_status import kpi_risk_items
from kamtui.domain.queue import DEFAULT_THRESHOLDS, KIND_ORDER, QueueItem, Thresholds, build_queue
from kamtui.domain.risk import risk_items
from kamtui.store.portfolio import Portfolio, account_health


def account_agenda(
    portfolio: Portfolio, account_id: int, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Agenda:
    """The account's items of Today (kamtui.store.today.today_queue: due and late actions,
    people to contact and losing touch, off-track KPIs, plan hygiene) and its risks, amber ones
    too, numbered; an account that is gone has an empty agenda."""
    store = portfolio.store
    doc = store.get("accounts", account_id)
    account = portfolio.account(account_id)
    reviews = portfolio.reviews(account_id)
    items: list[QueueItem] = []
    if doc is not None and account is not None:
        actions = store.children("actions", account_id)
        items += build_queue(
            [(account_id, doc)],
            actions,
            store.children("stakeholders", account_id),
            today,
            thresholds=thresholds,
            kinds=frozenset(KIND_ORDER) - {"review"},  # the review is the loop itself
        )
        items += risk_items(account_id, account, portfolio.stakeholders(account_id), reviews, today, thresholds)

        def own(i: int) -> dict[str, Any] | None:  # the account, by id, for the builders
            return doc if i == account_id else None

        items += kpi_risk_items(store.children("kpis", account_id), own, today)
        items += plan_items(store.children("objectives", account_id), actions, own, today, thresholds)
    return build_agenda(account_id, items, reviews, portfolio.actions(account_id), today)


def account_changes(
    portfolio: Portfolio, account_id: int, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[dt.date | None, list[Moved]]:
    """What changed on the account since its last review: that review's date and the changes
    (kamtui.domain.changes); (None, []) for an account never reviewed, or gone."""
    reviews = portfolio.reviews(account_id)
    if not reviews or portfolio.account(account_id) is None:
        return None, []
    since = reviews[-1].date
    stakeholders = portfolio.stakeholders(account_id)
    h = account_health(portfolio, account_id, today, thresholds.health_trend_points)
    moved = changes_since(
        since,
        today,
        stakeholders=stakeholders,
        interactions=portfolio.interactions(account_id),
        actions=portfolio.actions(account_id),
        opportunities=portfolio.opportunities(account_id),
        kpis=portfolio.kpis(account_id),
        health=since_review(h, stakeholders, today),
    )
    return since, moved
