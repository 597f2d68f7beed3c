"""The account list after a change: the changed rows put in their places (AccountRows.update)
give the very list a full filter and sort of every row gives, whatever the sort and filters."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.store.portfolio import Portfolio
from kamtui.ui import rows as rows_module
from kamtui.ui.rows import SORTS, AccountRows

TODAY = dt.date(2026, 12, 3)


class _Store:
    def __init__(self, docs: dict[int, dict[str, Any]]) -> None:
        self.docs = docs

    def all(self, table: str) -> list[tuple[int, dict[str, Any]]]:
        return list(self.docs.items())

    def all_fields(self, table: str, fields: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
        return self.all(table)

    def get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        return self.docs.get(doc_id)


class _Portfolio:
    """What AccountRows reads: the accounts, and (sorted by health) no records of theirs."""

    def __init__(self, docs: dict[int, dict[str, Any]]) -> None:
        self.store = _Store(docs)

    def stakeholders(self, account_id: int) -> list[Any]:
        return []

    reviews = actions = stakeholders


# Few names, owners and revenues, so that rows tie on everything but their id.
_DOCS = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Acme", "acme", "Beta", "Zeta"]),
        "tier": st.sampled_from(["key", "candidate", "regular"]),
        "owner": st.sampled_from(["ana", "Ana", "ben", ""]),
        "revenue": st.sampled_from([0, 10, 10.5, 1e6]),
        "cadence": st.sampled_from(["", "weekly", "monthly"]),
        "last_review": st.sampled_from([None, "2026-11-01", "2026-12-01"]),
    }
)
_IDS = st.integers(1, 40)


@settings(max_examples=300, deadline=None)
@given(
    before=st.dictionaries(_IDS, _DOCS, max_size=25),
    changes=st.dictionaries(_IDS, st.none() | _DOCS, max_size=6),
    sort_index=st.integers(0, len(SORTS) - 1),
    reverse=st.booleans(),
    mine=st.booleans(),
    key_only=st.booleans(),
    due_only=st.booleans(),
    query=st.sampled_from(["", "a", "acme", "zeta ana", "b"]),
    many=st.booleans(),
)
def test_changed_rows_go_where_a_full_sort_puts_them(
    before: dict[int, dict[str, Any]],
    changes: dict[int, dict[str, Any] | None],
    sort_index: int,
    reverse: bool,
    mine: bool,
    key_only: bool,
    due_only: bool,
    query: str,
    many: bool,
) -> None:
    def chosen(docs: dict[int, dict[str, Any]]) -> AccountRows:
        r = AccountRows(cast(Portfolio, _Portfolio(docs)), lambda: TODAY, "ana")
        r.sort_index, r.reverse, r.mine, r.key_only, r.due_only, r.query = (
            sort_index,
            reverse,
            mine,
            key_only,
            due_only,
            query,
        )
        r.apply()
        return r

    docs = dict(before)
    rows = chosen(docs)
    for i, doc in changes.items():
        if doc is None:
            docs.pop(i, None)
        else:
            docs[i] = doc
    old = rows_module.PLACED_UP_TO
    rows_module.PLACED_UP_TO = 0 if many else old  # also the way back to a full sort
    try:
        rows.update(changes)
    finally:
        rows_module.PLACED_UP_TO = old
    assert [r.id for r in rows.visible] == [r.id for r in chosen(docs).visible]
    # Typing after the change filters what is shown, as from scratch.
    rows.query += " e"
    rows.apply()
    fresh = chosen(docs)
    fresh.query += " e"
    fresh.apply()
    assert [r.id for r in rows.visible] == [r.id for r in fresh.visible]


def test_a_picked_owner_is_named_in_the_list_title_as_everywhere_whatever_the_order() -> None:
    """The title of the list filtered to an owner picked with `o` names them as the picker,
    Today and `kamtui due --owner` do (the spelling most of their accounts use), whatever order
    the store hands the accounts back in; and again once the rows change."""
    for order in (1, -1):
        names = ["KAM00", "kam00", " kam00 ", "Ana", ""][::order]
        docs = {i + 1: {"name": f"A{i}", "owner": o} for i, o in enumerate(names)}
        r = AccountRows(cast(Portfolio, _Portfolio(docs)), lambda: TODAY, "ana")
        r.mine, r.owner = True, "kam00"
        assert r.filter_label() == "owner kam00"
        assert [o.label for o in r.owners() if o.key == "kam00"] == ["kam00"]
        docs.update({10 + i: {"name": "B", "owner": "KAM00"} for i in range(3)})
        r.reload()  # now most of kam00's accounts spell it in capitals
        assert r.filter_label() == "owner KAM00"
        r.owner = ""
        assert r.filter_label() == "owner (no owner)"
