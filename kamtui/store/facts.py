"""Per-customer facts for key-account selection, read in one pass over the store, and the
selection settings (criteria weights, key threshold) kept in the database for the whole team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kamtui.domain.queue import stored_date
from kamtui.domain.selection import DEFAULT_WEIGHTS, KEY_THRESHOLD, Customer, criterion_key, validate_weights
from kamtui.store.store import Store
from kamtui.store.transaction import Op

SETTINGS = "settings"
SELECTION = "selection"


def customers(store: Store, today: dt.date, progress: Callable[[int], None] | None = None) -> list[Customer]:
    """Every account as a :class:`Customer`: revenue, cost, growth, criteria and buying behaviour."""
    year_ago = today - dt.timedelta(days=365)
    last: dict[int, dt.date] = {}
    freq: dict[int, int] = {}
    money: dict[int, float] = {}

    def touch(account_id: Any, day: dt.date | None, value: float = 0.0) -> None:
        if not isinstance(account_id, int) or day is None or day > today:
            return
        if account_id not in last or day > last[account_id]:
            last[account_id] = day
        if day >= year_ago:
            freq[account_id] = freq.get(account_id, 0) + 1
            money[account_id] = money.get(account_id, 0.0) + value

    for _, doc in store.all("interactions"):
        touch(doc.get("account_id"), stored_date(doc.get("date")))
    for _, doc in store.all("opportunities"):
        if doc.get("stage") == "won":
            value = doc.get("value")
            touch(
                doc.get("account_id"),
                stored_date(doc.get("close_date")),
                float(value) if isinstance(value, int | float) else 0.0,
            )
    out: list[Customer] = []
    for n, (account_id, doc) in enumerate(store.all("accounts")):
        revenue = doc.get("revenue")
        cost = doc.get("cost_to_serve")
        criteria = doc.get("criteria")
        out.append(
            Customer(
                account_id,
                str(doc.get("name", "")),
                str(doc.get("tier", "regular")),
                str(doc.get("owner", "")),
                float(revenue) if isinstance(revenue, int | float) else 0.0,
                float(cost) if isinstance(cost, int | float) else 0.0,
                str(doc.get("growth_potential", "medium")),
                # Under the keys the scoring reads: a stored label ("revenue potential") counts too.
                {criterion_key(str(k)): v for k, v in criteria.items() if isinstance(v, int)}
                if isinstance(criteria, dict)
                else {},
                last.get(account_id),
                freq.get(account_id, 0),
                money.get(account_id, 0.0),
            )
        )
        if progress is not None and n % 5000 == 0:
            progress(n)
    return out


def selection_settings(store: Store) -> tuple[int | None, dict[str, int], int]:
    """(document id, weights, key threshold); defaults when nothing was saved."""
    for doc_id, doc in store.all(SETTINGS):
        if doc.get("kind") == SELECTION:
            try:
                weights = validate_weights(doc.get("weights") or {})
            except ValueError:
                weights = dict(DEFAULT_WEIGHTS)
            threshold = doc.get("key_threshold")
            return doc_id, weights, threshold if isinstance(threshold, int) else KEY_THRESHOLD
    return None, dict(DEFAULT_WEIGHTS), KEY_THRESHOLD


def selection_ops(store: Store, weights: dict[str, int], key_threshold: int) -> list[Op]:
    """What saves these selection settings (validated; raises ValueError)."""
    weights = validate_weights(weights)
    doc_id, _, _ = selection_settings(store)
    values = {"kind": SELECTION, "weights": weights, "key_threshold": key_threshold}
    if doc_id is None:
        return [Op("insert", SETTINGS, None, values)]
    return [Op("update", SETTINGS, doc_id, values, None)]


def save_selection_settings(store: Store, weights: dict[str, int], key_threshold: int) -> None:
    store.commit(selection_ops(store, weights, key_threshold))
