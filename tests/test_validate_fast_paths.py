"""The validators' fast paths (kamtui.domain.validate: text, enum, date) give exactly what the
general paths give: the same value, or the same error naming the same field. The reference
implementations below are the general paths as they were before the fast paths."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kamtui.domain import validate as v
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Coverage, DecisionRole, Level, Tier

_DATE_TEXT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ].*)?", re.DOTALL)


def ref_text(field: str, value: Any, *, required: bool = False, max_len: int = v.MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, not {type(value).__name__}")
    if "\x00" in value:
        raise ValidationError(field, "must not contain a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError(field, "holds a character JSON cannot store (lone surrogate)") from exc
    stripped = value.strip()
    if required and not stripped:
        raise ValidationError(field, "must not be empty")
    if len(stripped) > max_len:
        raise ValidationError(field, f"is {len(stripped)} characters long; the limit is {max_len}")
    return stripped


def ref_enum(field: str, cls: type[Enum], value: Any) -> Enum:
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if member.value == key or member.name.lower() == key:
                return member
    allowed = ", ".join(str(m.value) for m in cls)
    raise ValidationError(field, f"unknown value {value!r}; expected one of: {allowed}")


def ref_date(field: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        raise ValidationError(field, "is required; use YYYY-MM-DD")
    if isinstance(value, str):
        raw = value.strip()
        m = _DATE_TEXT.fullmatch(raw)
        if m is None:
            raise ValidationError(field, f"{raw!r} is not a date; use YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError as exc:
            raise ValidationError(field, f"{m.group(1)} is not a real date ({exc})") from exc
    raise ValidationError(field, f"must be a date, not {type(value).__name__}")


def outcome(fn: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    try:
        got = fn(*args, **kwargs)
    except ValidationError as exc:
        return "error", str(exc)
    return "value", (type(got), got)


_texts = st.one_of(
    st.text(),
    st.text(alphabet=" \t\nab\x00é\ud800", max_size=8),
    st.none(),
    st.integers(),
    st.just("  padded  "),
)


@settings(max_examples=400)
@given(_texts, st.booleans(), st.sampled_from([0, 3, 10, v.MAX_TEXT]))
@example("   ", True, 10)
@example("x" * 11, False, 10)
@example(" abc ", False, 3)
def test_text_fast_path_is_the_general_path(value: Any, required: bool, max_len: int) -> None:
    assert outcome(v.text, "f", value, required=required, max_len=max_len) == outcome(
        ref_text, "f", value, required=required, max_len=max_len
    )


@pytest.mark.parametrize("cls", [Tier, Level, DecisionRole, Coverage])
@given(value=st.one_of(st.text(max_size=20), st.none(), st.integers(), st.sampled_from(["key", " Key ", "HIGH", "x"])))
def test_enum_fast_path_is_the_general_path(cls: type[Enum], value: Any) -> None:
    assert outcome(v.enum, "f", cls, value) == outcome(ref_enum, "f", cls, value)
    for member in cls:
        assert v.enum("f", cls, member.value) is member


_date_texts = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.text(alphabet="0123456789-W T:", max_size=12),
    st.sampled_from(["2025-W01-1", "20250131", "２０２５-01-01", "2025-02-30", " 2025-01-31", "2025-01-31T09:00"]),
)


@settings(max_examples=500)
@given(_date_texts)
def test_date_fast_path_is_the_general_path(value: str) -> None:
    assert outcome(v.date, "f", value) == outcome(ref_date, "f", value)
