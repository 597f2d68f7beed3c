"""Order by what is at stake (kamtui.domain.stakes): urgency x stake, the words of each rank, the
weights from the config, and the store's reading of each account's stake (kamtui.store.ranking)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Account, Opportunity, Stakeholder
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem
from kamtui.domain.stakes import NO_STAKE, SORTS, Stake, late_days, rank, rank_words, score, stake_weight, urgency
from kamtui.sample import generate
from kamtui.store import Store, ranking
from kamtui.store.config import load_thresholds
from kamtui.store.errors import StoreError
from kamtui.store.portfolio import Portfolio
from kamtui.store.ranking import _stake_of_entities, account_stakes
from tests.raw import write_raw_documents

TODAY = dt.date(2026, 3, 10)
BIG_RED = Stake(revenue=1_500_000, pipeline=400_000, tier="key", red="map red")  # 1.9M key, map red
MID = Stake(revenue=300_000, tier="candidate")


def item(
    kind: str, account_id: int, late: int | None, *, severity: int = 2, never: bool = False, name: str = ""
) -> QueueItem:
    due = None if late is None else TODAY - dt.timedelta(days=late)
    return QueueItem(
        kind,
        account_id,
        name or f"acc{account_id}",
        "ana",
        f"{kind} {account_id}",
        "",
        due,
        late or 0,
        severity,
        None,
        never,
    )


def test_a_big_key_account_with_a_red_map_comes_before_a_later_small_candidate() -> None:
    items = [item("action", 2, 49, name="Candidate Co"), item("action", 1, 21, name="Key Co")]
    ranked = rank(items, {1: BIG_RED, 2: MID}, TODAY)
    assert [it.account for it in ranked] == ["Key Co", "Candidate Co"]
    assert ranked[0].ranked == "1.9M key, map red, 3w late"
    assert ranked[1].ranked == "300k candidate, 7w late"
    # The documented example: 4 x 2 x 5.3 x 1.5 = 64 against 8 x 1 x 3 = 24.
    assert score(ranked[0], BIG_RED) == pytest.approx(64, abs=1)
    assert score(ranked[1], MID) == pytest.approx(24)
    # The old order, most late first, is still there on request.
    assert [it.account for it in rank(items, {1: BIG_RED, 2: MID}, TODAY, sort="late")] == ["Candidate Co", "Key Co"]


def test_never_contacted_due_today_does_not_sort_below_seven_weeks_late() -> None:
    never = item("contact", 1, 0, never=True, name="Never")
    late = item("contact", 1, 49, name="Late")
    ranked = rank([late, never], {1: BIG_RED}, TODAY)
    assert [it.account for it in ranked] == ["Never", "Late"]
    assert ranked[0].ranked == "1.9M key, map red, never contacted"
    assert late_days(never) == DEFAULT_THRESHOLDS.stakes_never_contacted_days
    # Configurable: counting never-contacted as only 30 days late puts it back below.
    short = dataclasses.replace(DEFAULT_THRESHOLDS, stakes_never_contacted_days=30)
    assert [it.account for it in rank([late, never], {1: BIG_RED}, TODAY, short)] == ["Late", "Never"]


def test_groups_keep_todays_order_and_only_items_within_a_group_move() -> None:
    items = [item("review", 2, 10), item("risk", 1, None), item("review", 1, 3), item("action", 2, 1)]
    ranked = rank(items, {1: BIG_RED, 2: MID}, TODAY)
    assert [(it.kind, it.account_id) for it in ranked] == [("review", 1), ("review", 2), ("action", 2), ("risk", 1)]
    assert ranked[-1].ranked == "1.9M key, map red, red"  # a red item with no date


def test_urgency_and_late_days() -> None:
    assert urgency(0) == 1 and urgency(21) == 4 and urgency(-7) == 0.5
    assert late_days(item("risk", 1, None)) == DEFAULT_THRESHOLDS.stakes_undated_red_days
    assert late_days(item("risk", 1, None, severity=1)) == 0  # amber and undated: as if due today
    ahead = item("action", 1, -3)
    assert urgency(late_days(ahead)) < 1 and rank_words(ahead, MID, TODAY) == "300k candidate, in 3d"


def test_the_stake_grows_with_money_tier_and_a_red_map() -> None:
    assert stake_weight(NO_STAKE) == DEFAULT_THRESHOLDS.stakes_tier_regular
    assert stake_weight(Stake(100_000, 0, "key")) == 2 * 2  # key x (1 + log2(2))
    assert stake_weight(Stake(100_000, 0, "key", "map red")) == 2 * 2 * 1.5
    assert stake_weight(Stake(0, 100_000, "candidate")) == stake_weight(Stake(100_000, 0, "candidate"))
    assert stake_weight(Stake(-5, 0, "candidate")) == 1  # a negative value is nothing at stake
    assert rank_words(item("review", 1, 0), NO_STAKE, TODAY) == "regular, due today"


def test_sort_by_name_and_an_unknown_sort() -> None:
    items = [item("action", 2, 1, name="beta"), item("action", 1, 9, name="Alpha")]
    assert [it.account for it in rank(items, {}, TODAY, sort="name")] == ["Alpha", "beta"]
    assert SORTS == ("stakes", "late", "name")
    with pytest.raises(ValueError, match="unknown sort 'size'"):
        rank(items, {}, TODAY, sort="size")


def test_the_weights_come_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[thresholds]\nstakes_tier_key = 0.1\nstakes_money_unit = 5000000\n", encoding="utf-8")
    th = load_thresholds(config)
    assert (th.stakes_tier_key, th.stakes_money_unit) == (0.1, 5_000_000)
    items = [item("action", 2, 49, name="Candidate Co"), item("action", 1, 21, name="Key Co")]
    assert [it.account for it in rank(items, {1: BIG_RED, 2: MID}, TODAY, th)] == ["Candidate Co", "Key Co"]
    config.write_text("[thresholds]\nstakes_red_factor = -1\n", encoding="utf-8")
    with pytest.raises(StoreError, match="stakes_red_factor must be a positive number"):
        load_thresholds(config)
    config.write_text("[thresholds]\nstakes_never_contacted_days = 2.5\n", encoding="utf-8")
    with pytest.raises(StoreError, match="whole number of days"):
        load_thresholds(config)


# ------------------------------------------------------------------ the store's reading


def _store_with(tmp_path: Path, people: list[dict[str, Any]], opportunities: list[dict[str, Any]]) -> tuple[Store, int]:
    store = Store(tmp_path / "k.json", user="t")
    aid = store.insert("accounts", Account(name="Acme", tier="key", revenue=1_000_000).to_doc())
    for p in people:
        store.insert("stakeholders", {**p, "account_id": aid})
    for o in opportunities:
        store.insert("opportunities", {**o, "account_id": aid})
    return store, aid


def test_account_stakes_reads_revenue_weighted_pipeline_tier_and_the_map(tmp_path: Path) -> None:
    people = [Stakeholder(account_id=0, name="Dana", role="decision_maker", friendliness=-1).to_doc()]
    opps = [
        Opportunity(account_id=0, title="Open", value=500_000, stage="propose").to_doc(),  # 50%: 250k
        Opportunity(account_id=0, title="Sure", value=100_000, stage="qualify", probability=80).to_doc(),  # 80k
        Opportunity(account_id=0, title="Won", value=900_000, stage="won").to_doc(),  # closed: not pipeline
    ]
    store, aid = _store_with(tmp_path, people, opps)
    try:
        portfolio = Portfolio(store, lambda: TODAY)
        [stake] = account_stakes(portfolio, [item("review", aid, 0)]).values()
        assert stake == Stake(1_000_000, 330_000, "key", "map red")
        assert rank_words(item("review", aid, 0), stake, TODAY) == "1.3M key, map red, due today"
    finally:
        store.close(compact=False)


def test_unusual_documents_are_read_as_entities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Spellings another program wrote and the validators convert: the quick reading gives way
    # to the entities (which judge Rosa a friendly decision maker: the map is not red).
    store, aid = _store_with(tmp_path, [], [])
    store.compact()
    store.close(compact=False)
    people = [{"account_id": aid, "name": "Rosa", "role": " Decision Maker ", "friendliness": "friendly"}]
    opps = [{"account_id": aid, "title": "Odd", "value": 100_000, "stage": "Propose"}]
    write_raw_documents(tmp_path / "k.json", {"stakeholders": people, "opportunities": opps})
    read_as_entities: list[int] = []

    def spy(portfolio: Portfolio, account_id: int, doc: dict[str, Any]) -> Stake | None:
        read_as_entities.append(account_id)
        return _stake_of_entities(portfolio, account_id, doc)

    monkeypatch.setattr(ranking, "_stake_of_entities", spy)
    store = Store(tmp_path / "k.json", create=False)
    try:
        [stake] = account_stakes(Portfolio(store, lambda: TODAY), [item("review", aid, 0)]).values()
        assert stake == Stake(1_000_000, 50_000, "key", "")
        assert read_as_entities == [aid]
    finally:
        store.close(compact=False)


def test_the_quick_reading_matches_the_entities_on_a_generated_portfolio(tmp_path: Path) -> None:
    path = tmp_path / "gen.json"
    generate(path, 300, seed=5, today=TODAY)
    store = Store(path, create=False)
    try:
        portfolio = Portfolio(store, lambda: TODAY)
        ids = [aid for aid, _ in store.all("accounts")]
        quick = account_stakes(portfolio, [item("review", aid, 0) for aid in ids])
        slow = {aid: _stake_of_entities(portfolio, aid, store.get("accounts", aid) or {}) for aid in ids}
        assert len(quick) == len(ids)
        assert {aid: s for aid, s in quick.items() if s != slow[aid]} == {}
        assert any(s.red for s in quick.values()) and any(s.pipeline for s in quick.values())
    finally:
        store.close(compact=False)
