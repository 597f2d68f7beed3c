"""Key-account selection: Pareto with the 80% line, RFM scores and segments, criteria score, flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamtui.domain.errors import ValidationError
from kamtui.domain.selection import (
    DEFAULT_WEIGHTS,
    Customer,
    criteria_score,
    rank,
    rfm_segment,
    validate_weights,
)
from kamtui.store import Store
from kamtui.store.facts import customers, save_selection_settings, selection_settings

TODAY = dt.date(2026, 11, 23)


def cust(i: int, revenue: float, tier: str = "regular", **kw: object) -> Customer:
    return Customer(i, f"C{i}", tier, "ana", revenue, **kw)  # type: ignore[arg-type]


def test_pareto_cumulative_share_and_the_80_percent_line() -> None:
    # 50 + 30 + 10 + 5 + 5 = 100
    ranked = rank([cust(1, 5), cust(2, 50), cust(3, 10), cust(4, 30), cust(5, 5)], TODAY)
    assert [r.customer.id for r in ranked] == [2, 4, 3, 1, 5]
    assert [round(r.cumulative, 2) for r in ranked] == [0.5, 0.8, 0.9, 0.95, 1.0]
    # Inside the line: customers that start below 80% (the one reaching exactly 80% is inside).
    assert [r.in_pareto for r in ranked] == [True, True, False, False, False]
    assert sum(r.share for r in ranked) == pytest.approx(1.0)


def test_rfm_scores_and_segments() -> None:
    base = [
        cust(i, 100 + i, last_activity=TODAY - dt.timedelta(days=i * 30), frequency=10 - i, monetary=1000 - i * 100)
        for i in range(10)
    ]
    ranked = {r.customer.id: r for r in rank(base, TODAY)}
    best, worst = ranked[0], ranked[9]
    assert (best.r, best.f, best.m) == (5, 5, 5) and best.segment == "champion"
    assert (worst.r, worst.f, worst.m) == (1, 1, 1) and worst.segment == "hibernating"
    never = rank([cust(1, 10), cust(2, 20, last_activity=TODAY, frequency=3, monetary=5.0)], TODAY)
    silent = next(r for r in never if r.customer.id == 1)
    assert (silent.r, silent.f, silent.m) == (1, 1, 1)
    assert rfm_segment(2, 4, 1) == "at risk" and rfm_segment(5, 1, 1) == "new" and rfm_segment(3, 4, 2) == "loyal"


def test_criteria_score_uses_weights_and_falls_back_on_data() -> None:
    weights = {"revenue_potential": 50, "growth": 25, "solvency": 25}
    c = cust(1, 100, criteria={"revenue_potential": 5, "solvency": 5}, growth="high")
    assert criteria_score(c, weights, revenue_score=1) == 100
    c2 = cust(2, 100, growth="low")  # unscored: revenue from its quintile (1), growth low (2), solvency neutral (3)
    assert criteria_score(c2, weights, revenue_score=1) == round(100 * (0 + 25 * 0.25 + 25 * 0.5) / 100)


def test_weights_need_three_to_five_known_criteria() -> None:
    assert validate_weights(DEFAULT_WEIGHTS) == DEFAULT_WEIGHTS
    with pytest.raises(ValidationError, match="3 to 5"):
        validate_weights({"growth": 1, "solvency": 1})
    with pytest.raises(ValidationError, match="unknown criterion"):
        validate_weights({"growth": 1, "solvency": 1, "vibes": 1})
    with pytest.raises(ValidationError) as err:
        validate_weights({"growth": -1, "solvency": 1, "relationships": 1})
    assert err.value.field == "weights.growth"


def test_flags_promote_candidates_and_recheck_keys_never_demote() -> None:
    ranked = rank(
        [
            cust(1, 1000, tier="key", cost_to_serve=500),  # return 2x < 3x: re-check
            cust(
                2,
                900,
                criteria={"revenue_potential": 5, "growth": 5, "solvency": 5, "relationships": 5, "strategic_value": 5},
            ),
            cust(3, 10, tier="key"),  # outside the 80%
            cust(4, 5),
        ],
        TODAY,
    )
    by_id = {r.customer.id: r for r in ranked}
    assert any("re-check: return 2.0x" in f for f in by_id[1].flags)
    assert any(f.startswith("promote? criteria score") for f in by_id[2].flags)
    assert any("outside the 80%" in f for f in by_id[3].flags)
    assert all(r.customer.tier in ("key", "regular") for r in ranked)  # flags only: nothing changed tier


def test_facts_and_settings_from_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.json", user="t")
    try:
        a = store.insert("accounts", {"name": "A", "tier": "regular", "revenue": 100.0, "growth_potential": "high"})
        store.insert("interactions", {"account_id": a, "date": "2026-11-01", "kind": "call", "stakeholders": []})
        store.insert("interactions", {"account_id": a, "date": "2025-01-01", "kind": "call", "stakeholders": []})
        store.insert(
            "opportunities", {"account_id": a, "title": "x", "value": 500.0, "stage": "won", "close_date": "2026-10-01"}
        )
        store.insert(
            "opportunities",
            {"account_id": a, "title": "y", "value": 900.0, "stage": "lost", "close_date": "2026-10-02"},
        )
        (c,) = customers(store, TODAY)
        assert c.last_activity == dt.date(2026, 11, 1)
        assert c.frequency == 2 and c.monetary == 500.0  # one call and one won deal within 12 months
        _, weights, threshold = selection_settings(store)
        assert weights == DEFAULT_WEIGHTS and threshold == 70
        save_selection_settings(store, {"growth": 2, "solvency": 1, "relationships": 1}, 60)
        _, weights, threshold = selection_settings(store)
        assert weights == {"growth": 2, "solvency": 1, "relationships": 1} and threshold == 60
        save_selection_settings(store, {"growth": 3, "solvency": 1, "relationships": 1}, 65)
        assert store.count("settings") == 1
    finally:
        store.close(compact=False)
