"""The entity readers (kamtui.domain.fast_read): a shortcut to what the constructor builds.

For any document, a reader either gives up (None) or builds exactly what the validating
constructor builds from it (same types, same values); wherever the constructor refuses a
document, the reader gives up; and every stored document of the demo takes the shortcut.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamtui.domain import fast_read as fr
from kamtui.domain.business import Business
from kamtui.domain.entity import READERS, kwargs_of
from kamtui.domain.model import ENTITIES, FriendlinessChange, Stakeholder

DEMO = json.loads((Path(__file__).parent.parent / "sample_data" / "demo.json").read_text(encoding="utf-8"))


def _slow(cls: type, doc: Any, id: int | None) -> Any:
    """What the constructor builds (the reference), or the exception it raises."""
    try:
        kwargs = kwargs_of(cls, "", doc, "doc")
        return cls(id=id, **kwargs) if any(f.name == "id" for f in dataclasses.fields(cls)) else cls(**kwargs)
    except Exception as exc:  # noqa: BLE001 - any refusal: the reader must give up on it
        return exc


def _same(a: Any, b: Any) -> bool:
    """Equal with every type equal too (1 is not 1.0, "key" is not Tier.KEY)."""
    return type(a) is type(b) and repr(a) == repr(b)


CASES: list[tuple[type, Any]] = [
    *((cls, READERS[cls]) for cls in ENTITIES.values()),
    (Business, READERS[Business]),
    (FriendlinessChange, READERS[FriendlinessChange]),
]


def _docs(cls: type) -> list[dict[str, Any]]:
    """The demo's stored documents the class is read from."""
    if cls is Business:
        return [d["business"] for d in DEMO["accounts"].values()]
    if cls is FriendlinessChange:
        return [h for d in DEMO["stakeholders"].values() for h in d["friendliness_history"]]
    return list(DEMO[cls.TABLE].values())  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cls", "read"), CASES, ids=[c.__name__ for c, _ in CASES])
def test_every_demo_document_takes_the_shortcut_to_the_same_entity(cls: type, read: Any) -> None:
    docs = _docs(cls)
    assert docs
    for n, doc in enumerate(docs):
        fast = read(doc, n)
        assert fast is not None, f"{cls.__name__} {doc} did not read at speed"
        assert _same(fast, _slow(cls, doc, n))


# Values a stored document may hold where it should not: every reader must give up on those the
# constructor refuses, and read the others as it does.
ODD: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        "",
        "  padded  ",
        "Müller & Söhne",
        "nul\x00inside",
        "\ud800",
        "x" * 1001,
        "x" * 21,
        0,
        -1,
        1,
        2,
        3,
        5,
        6,
        100,
        101,
        3661,
        10**30,
        True,
        False,
        1.0,
        2.5,
        -0.0,
        -2.5,
        math.nan,
        math.inf,
        "5",
        " 7 ",
        "1,234.5",
        "2026-12-02",
        "2026-02-30",
        "2026-12-02T09:00",
        "20261202",
        "key",
        " KEY ",
        "champion",
        "friendly",
        "economic buyer",
        "monthly",
        "every 3 weeks",
        "fortnightly-ish",
        [],
        [1, 2],
        [-1],
        ["a", " b "],
        [{"date": "2026-01-01", "value": 1}],
        [{"member": "ana", "role": "lead"}],
        [{"text": "Grow", "updated": "2026-01-01"}],
        {},
        {"revenue potential": 4},
        {"revenue_potential": "4"},
        {"strengths": []},
        {"strengths": ["Plain"], "threats": [{"text": " t ", "updated": None}]},
        {"other": []},
    ]
)


@st.composite
def _mutated(draw: st.DrawFn, cls: type) -> dict[str, Any]:
    doc = dict(draw(st.sampled_from(_docs(cls))))
    names = sorted(f.name for f in dataclasses.fields(cls) if f.name != "id")
    for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        if draw(st.booleans()) and draw(st.booleans()):
            doc.pop(name, None)
        else:
            doc[name] = draw(ODD)
    return doc


@pytest.mark.parametrize(("cls", "read"), CASES, ids=[c.__name__ for c, _ in CASES])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_reader_builds_what_the_constructor_builds_or_gives_up(cls: type, read: Any, data: st.DataObject) -> None:
    doc = data.draw(_mutated(cls))
    fast, slow = read(doc, 7), _slow(cls, doc, 7)
    if isinstance(slow, Exception):
        assert fast is None, f"read {doc} the constructor refuses ({slow})"
    elif fast is not None:
        assert _same(fast, slow), doc


@pytest.mark.parametrize("doc", [None, [], "text", 3])
def test_what_is_not_an_object_is_left_to_the_constructor(doc: Any) -> None:
    for _, read in CASES:
        assert read(doc) is None


def test_a_reader_must_name_every_field_of_its_class() -> None:
    with pytest.raises(TypeError, match="FriendlinessChange"):
        fr.reader(FriendlinessChange, date=fr.date(), value=fr.integer(-2, 2), by=fr.text())
    with pytest.raises(TypeError, match="FriendlinessChange"):
        fr.Readers().declare(FriendlinessChange, date=fr.date(), value=fr.integer(-2, 2), by=fr.text())


def test_a_reader_is_compiled_once_its_class_has_been_read_often_enough() -> None:
    readers = fr.Readers()
    assert readers.of(FriendlinessChange) is None and readers[FriendlinessChange] is None  # none declared
    readers.declare(
        FriendlinessChange,
        date=fr.date(),
        value=fr.integer(-2, 2),
        by=fr.text(),
        reason=fr.text(),
        was=fr.optional_int(),
    )
    for _ in range(fr.COMPILE_AFTER - 1):
        assert readers.of(FriendlinessChange) is None  # a few documents: the constructor reads them
    read = readers.of(FriendlinessChange)
    assert read is not None and readers.of(FriendlinessChange) is read  # compiled once
    assert read({"date": "2026-12-02", "value": 1}) == FriendlinessChange(dt.date(2026, 12, 2), 1)


def test_from_doc_reads_by_the_reader_once_it_is_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = next(iter(DEMO["stakeholders"].values()))
    calls: list[int | None] = []
    read = READERS[Stakeholder]
    assert read is not None

    def counted(d: Any, i: int | None = None) -> Any:
        calls.append(i)
        return read(d, i)

    monkeypatch.setitem(READERS, Stakeholder, counted)
    assert _same(Stakeholder.from_doc(doc, 5), _slow(Stakeholder, doc, 5))
    assert calls == [5]
