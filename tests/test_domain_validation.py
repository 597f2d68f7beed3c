"""Every entity validates what it is given: good documents round-trip, bad values name their field."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.domain import validate as v
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import (
    Account,
    Action,
    Business,
    Coverage,
    DecisionRole,
    Entity,
    FriendlinessChange,
    Horizon,
    Interaction,
    InteractionKind,
    Level,
    Objective,
    ObjectiveStatus,
    Opportunity,
    Review,
    Stage,
    Stakeholder,
    TeamMember,
    Tier,
)
from tests.hostile import STORABLE_NAMES

D = dt.date

# The least each entity needs; a case below replaces one field.
BASE: dict[type[Entity], dict[str, Any]] = {
    Account: {"name": "Acme"},
    Stakeholder: {"account_id": 1, "name": "Ana"},
    Objective: {"account_id": 1, "title": "Grow"},
    Action: {"account_id": 1, "objective_id": 2, "text": "Call the CTO"},
    Review: {"account_id": 1, "date": "2025-01-31"},
    Interaction: {"account_id": 1, "date": "2025-01-31"},
    Opportunity: {"account_id": 1, "title": "Renewal"},
}


def _roundtrip(entity: Entity) -> Entity:
    """to_doc, through JSON as the store writes it, and back."""
    doc = entity.to_doc()
    assert "id" not in doc
    text = json.dumps(doc, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate reached the document
    return type(entity).from_doc(json.loads(text), entity.id)


FULL: list[Entity] = [
    Account(
        name="Acme Industrial",
        tier=Tier.KEY,
        industry="Manufacturing",
        owner="ana",
        team=[TeamMember("ana", "KAM"), TeamMember("bo")],
        sponsor="VP Sales",
        revenue=1_250_000.5,
        cost_to_serve=80_000,
        growth_potential=Level.HIGH,
        criteria={"solvency": 5, "product affinity": 3},
        business=Business(
            goals=["expand to LATAM"],
            financial_health="solid",
            initiatives=["ERP migration"],
            swot={"strengths": ["brand"], "threats": ["new entrant"]},
        ),
        cadence="FREQ=MONTHLY;BYDAY=1TU",
        last_review=D(2025, 1, 7),
        crm_id="SF-001",
        notes="line one\nline two",
        id=3,
    ),
    Stakeholder(
        account_id=3,
        name="Marta Ruiz",
        title="CTO",
        role=DecisionRole.DECISION_MAKER,
        influence=Level.HIGH,
        friendliness=-1,
        friendliness_history=[FriendlinessChange(D(2025, 1, 2), 0, "ana"), FriendlinessChange(D(2025, 2, 1), -1)],
        coverage=Coverage.IN_DEPTH,
        last_contact=D(2025, 2, 1),
        contact_every_days=30,
        owner="ana",
        left=False,
        notes="prefers calls",
        id=11,
    ),
    Objective(
        account_id=3,
        title="Win the CTO",
        horizon=Horizon.LONG,
        owner="bo",
        due=D(2025, 12, 31),
        status=ObjectiveStatus.AT_RISK,
        id=4,
    ),
    Action(
        account_id=3,
        objective_id=4,
        text="Value proposition for the CTO meeting",
        owner="bo",
        due=D(2025, 3, 1),
        done=True,
        done_at=D(2025, 2, 28),
        done_by="bo",
        id=5,
    ),
    Review(
        account_id=3,
        date=D(2025, 1, 7),
        reviewer="ana",
        engagement=4,
        loyalty=2,
        satisfaction=5,
        health=1,
        notes="x",
        id=6,
    ),
    Interaction(
        account_id=3,
        date=D(2025, 2, 1),
        kind=InteractionKind.VISIT,
        stakeholders=[11, 12],
        summary="site visit",
        by="ana",
        id=7,
    ),
    Opportunity(account_id=3, title="Renewal", value=300_000, stage=Stage.WON, close_date=D(2025, 6, 30), id=8),
]


@pytest.mark.parametrize("entity", FULL, ids=lambda e: type(e).__name__)
def test_every_entity_round_trips(entity: Entity) -> None:
    assert _roundtrip(entity) == entity


@pytest.mark.parametrize("cls", list(BASE), ids=lambda c: c.__name__)
def test_minimal_documents_round_trip(cls: type[Entity]) -> None:
    entity = cls.from_doc(BASE[cls], 1)
    assert _roundtrip(entity) == entity


def test_document_values_are_plain_json() -> None:
    doc = FULL[0].to_doc()
    assert doc["tier"] == "key" and type(doc["tier"]) is str
    assert doc["last_review"] == "2025-01-07"
    assert doc["team"] == [{"member": "ana", "role": "KAM"}, {"member": "bo", "role": ""}]
    # Items are dated; a plain text (older files) loads with its date unknown.
    assert doc["business"]["swot"] == {
        "strengths": [{"text": "brand", "updated": None}],
        "weaknesses": [],
        "opportunities": [],
        "threats": [{"text": "new entrant", "updated": None}],
    }
    history = FULL[1].to_doc()["friendliness_history"][1]
    assert history == {"date": "2025-02-01", "value": -1, "by": "", "reason": ""}


def test_stored_criteria_labels_are_migrated_to_the_scoring_keys() -> None:
    acc = Account.from_doc({"name": "N", "criteria": {"revenue potential": 4, "Product-Affinity": 5, "odd one": 2}})
    assert acc.criteria == {"revenue_potential": 4, "product_affinity": 5, "odd one": 2}


def test_unknown_document_keys_are_ignored() -> None:
    acc = Account.from_doc({"name": "Acme", "_rev": 3, "future_field": [1], "id": 99}, 5)
    assert acc.id == 5 and acc.name == "Acme"
    acc = Account.from_doc({"name": "Acme", "team": [{"member": "ana", "since": "2020"}]})
    assert acc.team == [TeamMember("ana")]


# ------------------------------------------------------------------------------ coercions


@pytest.mark.parametrize(
    ("cls", "field", "given", "stored"),
    [
        (Account, "tier", "KEY", Tier.KEY),
        (Account, "tier", " candidate ", Tier.CANDIDATE),
        (Account, "growth_potential", "High", Level.HIGH),
        (Stakeholder, "role", "Decision maker", DecisionRole.DECISION_MAKER),
        (Stakeholder, "role", "economic-buyer", DecisionRole.ECONOMIC_BUYER),
        (Stakeholder, "coverage", "in depth", Coverage.IN_DEPTH),
        (Stakeholder, "friendliness", "hostile", -2),
        (Stakeholder, "friendliness", "Champion", 2),
        (Stakeholder, "friendliness", "-1", -1),
        (Stakeholder, "friendliness", 1.0, 1),
        (Stakeholder, "contact_every_days", "", None),
        (Stakeholder, "contact_every_days", " 30 ", 30),
        (Stakeholder, "left", 1, True),
        (Account, "revenue", "1,200.50", 1200.5),
        (Account, "revenue", 12, 12.0),
        (Account, "revenue", None, 0.0),
        (Account, "name", "  Acme  ", "Acme"),
        (Account, "last_review", "2025-01-31T10:30:00", D(2025, 1, 31)),
        (Account, "last_review", dt.datetime(2025, 1, 31, 23, 59), D(2025, 1, 31)),
        (Account, "last_review", "", None),
        (Account, "cadence", " Monthly ", "Monthly"),
        (Review, "date", D(2024, 2, 29), D(2024, 2, 29)),
    ],
)
def test_accepted_spellings_are_normalised(cls: type[Entity], field: str, given: Any, stored: Any) -> None:
    entity = cls.from_doc({**BASE[cls], field: given})
    assert getattr(entity, field) == stored
    assert _roundtrip(entity) == entity


def test_negative_zero_is_stored_as_zero() -> None:
    acc = Account(name="A", revenue=-0.0)
    assert math.copysign(1, acc.revenue) == 1
    assert json.dumps(acc.to_doc()["revenue"]) == "0.0"


def test_enum_values_format_as_their_value() -> None:
    # str() and f-strings show the value, so UI code can print an enum directly.
    assert f"{Tier.KEY}" == "key" and str(DecisionRole.DECISION_MAKER) == "decision_maker"
    assert Tier("key") is Tier.KEY and Tier.KEY.value == "key"


# ------------------------------------------------------------------------------ refusals

BAD: list[tuple[type[Entity], str, Any, str, str]] = [
    # (entity, field given, bad value, field named by the error, part of the reason)
    (Account, "tier", "gold", "tier", "unknown value 'gold'; expected one of: key, candidate, regular"),
    (Account, "growth_potential", "huge", "growth_potential", "unknown value 'huge'"),
    (Stakeholder, "role", "boss", "role", "unknown value 'boss'"),
    (Stakeholder, "influence", "extreme", "influence", "expected one of: low, medium, high"),
    (Stakeholder, "coverage", "total", "coverage", "expected one of: none, brief, regular, in_depth"),
    (Stakeholder, "coverage", 3, "coverage", "unknown value 3"),
    (Objective, "horizon", "eternal", "horizon", "expected one of: short, medium, long"),
    (Objective, "status", "paused", "status", "unknown value 'paused'"),
    (Interaction, "kind", "fax", "kind", "expected one of: meeting, call, email, visit, event"),
    (
        Opportunity,
        "stage",
        "maybe",
        "stage",
        "expected one of: open, prospect, qualify, propose, negotiate, commit, won, lost",
    ),
    # scores 1-5
    (Review, "engagement", 7, "engagement", "7 is out of range 1..5"),
    (Review, "engagement", 0, "engagement", "0 is out of range 1..5"),
    (Review, "loyalty", 7, "loyalty", "out of range 1..5"),
    (Review, "loyalty", 0, "loyalty", "out of range 1..5"),
    (Review, "satisfaction", 7, "satisfaction", "out of range 1..5"),
    (Review, "satisfaction", 0, "satisfaction", "out of range 1..5"),
    (Review, "health", 7, "health", "out of range 1..5"),
    (Review, "health", 0, "health", "out of range 1..5"),
    (Review, "health", 2.5, "health", "must be a whole number"),
    (Review, "health", True, "health", "must be a whole number"),
    (Account, "criteria", {"solvency": 7}, "criteria.solvency", "out of range 1..5"),
    (Account, "criteria", {"solvency": 0}, "criteria.solvency", "out of range 1..5"),
    (Account, "criteria", {" ": 3}, "criteria", "must not be empty"),
    (Account, "criteria", ["solvency"], "criteria", "must map criterion names"),
    # friendliness -2..2
    (Stakeholder, "friendliness", 3, "friendliness", "3 is out of range -2..2"),
    (Stakeholder, "friendliness", -3, "friendliness", "-3 is out of range -2..2"),
    (Stakeholder, "friendliness", "bestie", "friendliness", "must be a whole number"),
    (Stakeholder, "friendliness", "+-1", "friendliness", "must be a whole number"),
    (Stakeholder, "friendliness", "²", "friendliness", "must be a whole number"),
    (Stakeholder, "friendliness", math.nan, "friendliness", "must be a whole number"),
    # whole numbers
    (Stakeholder, "account_id", "x", "account_id", "must be a whole number"),
    (Stakeholder, "account_id", -1, "account_id", "-1 is out of range (at least 0)"),
    (Stakeholder, "account_id", "9" * 5000, "account_id", "must be a whole number"),
    (Stakeholder, "contact_every_days", 0, "contact_every_days", "out of range 1..3660"),
    (Stakeholder, "contact_every_days", 4000, "contact_every_days", "out of range 1..3660"),
    (Action, "objective_id", None, "objective_id", "must be a whole number"),
    (Interaction, "stakeholders", [1, "x"], "stakeholders[1]", "must be a whole number"),
    (Interaction, "stakeholders", "1,2", "stakeholders", "must be a list"),
    # yes/no
    (Stakeholder, "left", "yes", "left", "must be true or false"),
    (Action, "done", 2, "done", "must be true or false"),
    (Action, "done", 1.0, "done", "must be true or false"),
    # impossible and malformed dates
    (Review, "date", "2025-02-30", "date", "2025-02-30 is not a real date"),
    (Review, "date", "2025-13-01", "date", "is not a real date"),
    (Review, "date", "0000-01-01", "date", "is not a real date"),
    (Review, "date", "31/01/2025", "date", "'31/01/2025' is not a date; use YYYY-MM-DD"),
    (Review, "date", "2025-1-5", "date", "is not a date; use YYYY-MM-DD"),
    (Review, "date", "2025-01-31garbage", "date", "is not a date"),
    (Review, "date", "tomorrow", "date", "is not a date"),
    (Review, "date", "", "date", "is not a date"),
    (Review, "date", None, "date", "is required"),
    (Review, "date", 20250131, "date", "must be a date, not int"),
    (Interaction, "date", "2025-02-29", "date", "not a real date"),
    (Account, "last_review", "2025-02-30", "last_review", "not a real date"),
    (Stakeholder, "last_contact", "2023-04-31", "last_contact", "not a real date"),
    (Objective, "due", "2025-02-30", "due", "not a real date"),
    (Action, "due", "soon", "due", "is not a date"),
    (Action, "done_at", "2025-02-30", "done_at", "not a real date"),
    (Opportunity, "close_date", "Q3", "close_date", "is not a date"),
    # empty names, titles and text
    (Account, "name", "", "name", "must not be empty"),
    (Account, "name", "   \t\n", "name", "must not be empty"),
    (Account, "name", None, "name", "must not be empty"),
    (Stakeholder, "name", " ", "name", "must not be empty"),
    (Objective, "title", "", "title", "must not be empty"),
    (Opportunity, "title", "\u3000", "title", "must not be empty"),
    (Action, "text", "  ", "text", "must not be empty"),
    (Account, "name", "x" * 1001, "name", "is 1001 characters long; the limit is 1000"),
    (Account, "notes", "x" * 20001, "notes", "the limit is 20000"),
    # values JSON cannot hold
    (Account, "revenue", math.nan, "revenue", "cannot be stored (JSON holds only finite numbers)"),
    (Account, "revenue", math.inf, "revenue", "JSON holds only finite numbers"),
    (Account, "revenue", -math.inf, "revenue", "JSON holds only finite numbers"),
    # texts float() reads but an amount is not (kamtui.domain.amounts): refused as such
    (Account, "revenue", "nan", "revenue", "'nan' is not an amount: write it in digits"),
    (Account, "revenue", "1e400", "revenue", "'1e400' is not an amount: write it in digits"),
    (Account, "revenue", 10**400, "revenue", "too large"),
    (Account, "cost_to_serve", math.nan, "cost_to_serve", "finite"),
    (Opportunity, "value", math.nan, "value", "finite"),
    (Opportunity, "value", math.inf, "value", "finite"),
    (Account, "name", "Acme \ud800", "name", "lone surrogate"),
    (Stakeholder, "name", "\udfff", "name", "lone surrogate"),
    (Account, "notes", "ok\ud83d", "notes", "lone surrogate"),
    (Account, "name", "a\x00b", "name", "NUL"),
    (Account, "name", b"Acme", "name", "must be text, not bytes"),
    (Account, "revenue", b"100", "revenue", "must be an amount, not bytes"),
    (Account, "revenue", True, "revenue", "not a yes/no value"),
    (Account, "revenue", "lots", "revenue", "'lots' is not an amount"),
    # negative amounts
    (Account, "revenue", -1, "revenue", "must not be negative"),
    (Account, "revenue", "-0.01", "revenue", "must not be negative"),
    (Account, "cost_to_serve", -5.0, "cost_to_serve", "must not be negative"),
    (Opportunity, "value", -100, "value", "must not be negative"),
    # cadences
    (Account, "cadence", "fortnightly", "cadence", "neither a preset"),
    (Account, "cadence", "FREQ=HOURLY", "cadence", "daily or less often"),
    (Account, "cadence", "FREQ=WEEKLY;INTERVAL=0", "cadence", "INTERVAL must be"),
    (Account, "cadence", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "cadence", "never falls on a real date"),
    # nested parts
    (Account, "team", "ana", "team", "must be a list"),
    (Account, "team", [{"role": "KAM"}], "team.member", "is required"),
    (Account, "team", [{"member": " "}], "team.member", "must not be empty"),
    (Account, "team", ["ana"], "team", "must be an object, not str"),
    (Account, "business", "big", "business", "must be an object"),
    (Account, "business", {"goals": "grow"}, "business.goals", "must be a list of items (text)"),
    (Account, "business", {"goals": b"grow"}, "business.goals", "must be a list of items (text)"),
    (Account, "business", {"goals": ["ok", 3]}, "business.goals[1]", "must be text or {text, updated}, not int"),
    (Account, "business", {"goals": [{"text": "ok", "updated": "soon"}]}, "business.goals[0].updated", "soon"),
    (Account, "business", {"goals": [{"text": "ok", "by": "x"}]}, "business.goals[0]", "unknown field 'by'"),
    (Account, "business", {"swot": {"risks": []}}, "business.swot", "unknown part 'risks'"),
    (Account, "business", {"swot": {1: [], "x": []}}, "business.swot", "unknown part"),
    (Stakeholder, "friendliness_history", [{"value": 1}], "friendliness_history.date", "is required"),
    (
        Stakeholder,
        "friendliness_history",
        [{"date": "2025-02-30", "value": 1}],
        "friendliness_history.date",
        "not a real date",
    ),
    (
        Stakeholder,
        "friendliness_history",
        [{"date": "2025-01-01", "value": 5}],
        "friendliness_history.value",
        "out of range -2..2",
    ),
    (Stakeholder, "friendliness_history", {"a": 1}, "friendliness_history", "must be a list"),
]


@pytest.mark.parametrize(
    ("cls", "field", "bad", "named", "reason"),
    BAD,
    ids=[f"{c.__name__}.{f}={b!r:.30}" for c, f, b, _, _ in BAD],
)
def test_bad_value_names_its_field_and_says_why(
    cls: type[Entity], field: str, bad: Any, named: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        cls.from_doc({**BASE[cls], field: bad})
    err = caught.value
    assert err.field == named
    assert reason in err.reason
    assert str(err) == f"{named}: {err.reason}"
    assert isinstance(err, ValueError)  # callers that catch ValueError still work


@pytest.mark.parametrize("cls", list(BASE), ids=lambda c: c.__name__)
def test_missing_required_field_is_a_validation_error(cls: type[Entity]) -> None:
    for missing in BASE[cls]:
        doc = {k: val for k, val in BASE[cls].items() if k != missing}
        with pytest.raises(ValidationError) as caught:
            cls.from_doc(doc)
        assert caught.value.field == missing
        assert caught.value.reason == "is required"


@pytest.mark.parametrize("doc", [None, [], "name=Acme", 3])
def test_a_document_that_is_not_an_object_is_refused(doc: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        Account.from_doc(doc)
    assert caught.value.field == "accounts"
    assert "must be an object" in caught.value.reason


def test_construction_validates_as_from_doc_does() -> None:
    with pytest.raises(ValidationError) as caught:
        Review(account_id=1, date=D(2025, 1, 1), loyalty=6)
    assert caught.value.field == "loyalty"
    with pytest.raises(ValidationError, match=r"^tier: "):
        Account(name="A", tier="gold")  # type: ignore[arg-type]


def test_with_friendliness_records_dated_history() -> None:
    s = Stakeholder(account_id=1, name="Ana", friendliness=0)
    s2 = s.with_friendliness(-2, D(2025, 3, 1), "bo")
    assert s2.friendliness == -2 and s.friendliness == 0
    assert s2.friendliness_history == [FriendlinessChange(D(2025, 3, 1), -2, "bo", was=0)]
    with pytest.raises(ValidationError) as caught:
        s.with_friendliness(3, D(2025, 3, 1), "bo")
    assert caught.value.field == "friendliness"


@pytest.mark.parametrize("name", STORABLE_NAMES, ids=range(len(STORABLE_NAMES)))
def test_hostile_names_are_stored_verbatim(name: str) -> None:
    """The model keeps what was typed (stripped); making it safe to show is text.clean's job."""
    acc = Account(name=name)
    assert acc.name == name.strip()
    assert _roundtrip(acc) == acc


def test_json_value_refuses_what_json_cannot_hold() -> None:
    v.json_value("x", {"a": [1, 2.5, "s", None, True, {"b": []}]})
    for bad, field in [
        (math.nan, "x"),
        ([1, math.inf], "x[1]"),
        ({"a": b"x"}, "x.a"),
        ({1: 2}, "x"),
        ({"s": "\ud800"}, "x.s"),
        ({1, 2}, "x"),
    ]:
        with pytest.raises(ValidationError) as caught:
            v.json_value("x", bad)
        assert caught.value.field == field


# ------------------------------------------------------------------------------ properties

_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_text = st.text(_chars, max_size=30)
_name = _text.filter(lambda s: bool(s.strip()))
_dates = st.dates(min_value=v.EARLIEST_DATE, max_value=v.LATEST_DATE)  # the dates the model keeps
_money = st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False)
_ids = st.integers(min_value=0, max_value=2**40)
_cadences = st.sampled_from(
    [
        "",
        "weekly",
        "biweekly",
        "monthly",
        "quarterly",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        "rrule:freq=monthly;byday=-1fr",
    ]
)

_account = st.builds(
    Account,
    name=_name,
    tier=st.sampled_from(Tier),
    industry=_text,
    owner=_text,
    team=st.lists(st.builds(TeamMember, member=_name, role=_text), max_size=3),
    revenue=_money,
    cost_to_serve=_money,
    growth_potential=st.sampled_from(Level),
    criteria=st.dictionaries(_name, st.integers(1, 5), max_size=4),
    business=st.builds(
        Business,
        goals=st.lists(_text, max_size=3),
        financial_health=_text,
        initiatives=st.lists(_text, max_size=3),
        swot=st.dictionaries(
            st.sampled_from(["strengths", "weaknesses", "opportunities", "threats"]), st.lists(_text, max_size=2)
        ),
    ),
    cadence=_cadences,
    last_review=st.none() | _dates,
    notes=st.text(_chars, max_size=200),
    id=st.none() | _ids,
)
_stakeholder = st.builds(
    Stakeholder,
    account_id=_ids,
    name=_name,
    title=_text,
    role=st.sampled_from(DecisionRole),
    influence=st.sampled_from(Level),
    friendliness=st.integers(-2, 2) | st.sampled_from(["hostile", "friendly", "champion"]),
    friendliness_history=st.lists(st.builds(FriendlinessChange, _dates, st.integers(-2, 2), _text), max_size=3),
    coverage=st.sampled_from(Coverage),
    last_contact=st.none() | _dates,
    contact_every_days=st.none() | st.integers(1, 3660),
    owner=_text,
    left=st.booleans(),
    notes=_text,
    id=st.none() | _ids,
)
_others = st.one_of(
    st.builds(
        Objective,
        account_id=_ids,
        title=_name,
        horizon=st.sampled_from(Horizon),
        owner=_text,
        due=st.none() | _dates,
        status=st.sampled_from(ObjectiveStatus),
    ),
    st.builds(
        Action,
        account_id=_ids,
        objective_id=_ids,
        text=_name,
        owner=_text,
        due=st.none() | _dates,
        done=st.booleans(),
        done_at=st.none() | _dates,
        done_by=_text,
    ),
    st.builds(
        Review,
        account_id=_ids,
        date=_dates,
        reviewer=_text,
        engagement=st.integers(1, 5),
        loyalty=st.integers(1, 5),
        satisfaction=st.integers(1, 5),
        health=st.integers(1, 5),
        notes=_text,
    ),
    st.builds(
        Interaction,
        account_id=_ids,
        date=_dates,
        kind=st.sampled_from(InteractionKind),
        stakeholders=st.lists(_ids, max_size=4),
        summary=_text,
        by=_text,
    ),
    st.builds(
        Opportunity,
        account_id=_ids,
        title=_name,
        value=_money,
        stage=st.sampled_from(Stage),
        close_date=st.none() | _dates,
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(_account, _stakeholder, _others))
def test_any_valid_entity_round_trips(entity: Entity) -> None:
    assert _roundtrip(entity) == entity


@settings(max_examples=100, deadline=None)
@given(st.integers().filter(lambda n: not -2 <= n <= 2), st.sampled_from(["int", "str", "float"]))
def test_friendliness_outside_minus_two_to_two_is_always_refused(value: int, form: str) -> None:
    given_value: Any = {"int": value, "str": str(value), "float": float(value)}[form]
    with pytest.raises(ValidationError) as caught:
        Stakeholder(account_id=1, name="Ana", friendliness=given_value)
    assert caught.value.field == "friendliness"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-2, max_value=2))
def test_friendliness_inside_the_scale_is_kept(value: int) -> None:
    assert Stakeholder(account_id=1, name="Ana", friendliness=value).friendliness == value
