"""doctext.digit_keys, the C-speed check that every key is a document id (ASCII digits, at least
one), is what a check of each key gives; and the readers built on it refuse what they refused:
the snapshot's summary of the opportunities (reading.summary) and a kept queue's stakes and
owners (queue_cache)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kamtui.store import reading
from kamtui.store.doctext import digit_keys

ODD = ["", "0", "007", "12", "1a", "+1", "-1", " 1", "1 ", "١٢", "²", "1_0", "0x1", "12\n", "９"]


def _each(table: dict[str, Any]) -> bool:
    return all(key != "" and key.isascii() and key.isdigit() for key in table)


@given(st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=4)), max_size=6))
def test_it_is_the_check_of_each_key(keys: list[str]) -> None:
    table = dict.fromkeys(keys, 1)
    assert digit_keys(table) == _each(table)


def test_odd_keys_alone() -> None:
    for key in ODD:
        assert digit_keys({key: 1}) == _each({key: 1}), repr(key)
    assert digit_keys({})


def test_the_opportunities_summary_refuses_what_it_refused() -> None:
    meta = {"pipelines": {"1": 2.5, "20": 0.0}}
    assert reading.summary(meta, []) == {1: 2.5, 20: 0.0}
    for bad in ({"1a": 1.0}, {"": 1.0}, {"١": 1.0}, {"1": 1}, {"1": True}, {"1": None}, {"1": "2"}):
        assert reading.summary({"pipelines": bad}, []) is None, bad
    assert reading.summary({"pipelines": {}}, []) == {}
