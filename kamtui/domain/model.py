"""The key account management model: accounts, their stakeholders, plan, reviews and activity.

The client's business lives in :mod:`kamtui.domain.business`, opportunities and KPIs in
:mod:`kamtui.domain.deals`; :data:`ENTITIES` names every stored entity.

Every entity validates itself on construction (``__post_init__``) and on ``from_doc``; a bad
value raises :class:`~kamtui.domain.errors.ValidationError` naming the field, so nothing
invalid ever reaches the store. Documents are plain JSON-able dicts; dates are ISO strings.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from kamtui.domain import labels
from kamtui.domain import validate as v
from kamtui.domain.business import SWOT_KEYS as SWOT_KEYS
from kamtui.domain.business import Business as Business
from kamtui.domain.business import BusinessItem as BusinessItem
from kamtui.domain.criteria import criterion_key
from kamtui.domain.deals import Direction as Direction
from kamtui.domain.deals import Kpi as Kpi
from kamtui.domain.deals import Opportunity as Opportunity
from kamtui.domain.deals import Stage as Stage
from kamtui.domain.entity import READERS, kwargs_of
from kamtui.domain.entity import Entity as Entity
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import check_currency
from kamtui.i18n import _


class Tier(StrEnum):
    KEY = "key"
    CANDIDATE = "candidate"
    REGULAR = "regular"

    @property
    def label(self) -> str:
        return labels.tier(self.value)


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return labels.level(self.value)


class DecisionRole(StrEnum):
    ECONOMIC_BUYER = "economic_buyer"
    DECISION_MAKER = "decision_maker"
    TECHNICAL_BUYER = "technical_buyer"
    INFLUENCER = "influencer"
    CHAMPION = "champion"
    COACH = "coach"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    BLOCKER = "blocker"

    @property
    def label(self) -> str:
        return labels.role(self.value)


class Coverage(StrEnum):
    NONE = "none"
    BRIEF = "brief"
    REGULAR = "regular"
    IN_DEPTH = "in_depth"

    @property
    def rank(self) -> int:
        return list(Coverage).index(self)

    @property
    def label(self) -> str:
        return labels.coverage(self.value)


class Horizon(StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"

    @property
    def label(self) -> str:
        return labels.horizon(self.value)


class ObjectiveStatus(StrEnum):
    OPEN = "open"
    AT_RISK = "at_risk"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return labels.objective_status(self.value)


class InteractionKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    VISIT = "visit"
    EVENT = "event"

    @property
    def label(self) -> str:
        return labels.interaction(self.value)


# The English words, as a file or an import may write them (shown with friendliness_label).
FRIENDLINESS_LABELS: dict[int, str] = labels.FRIENDLINESS
friendliness_label = labels.friendliness
# Reads without colour: the symbol carries the meaning on its own.
FRIENDLINESS_SYMBOLS: dict[int, str] = {-2: "--", -1: "-", 0: "o", 1: "+", 2: "++"}
KEY_ROLES = frozenset({DecisionRole.ECONOMIC_BUYER, DecisionRole.DECISION_MAKER})


def _ids(field_name: str, value: Any) -> list[int]:
    """A list of record ids (the stakeholders an interaction, objective or action concerns)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(field_name, _("must be a list of stakeholder ids"))
    return [v.integer(f"{field_name}[{i}]", x, 0) for i, x in enumerate(value)]


# A friendliness as a Spanish-speaking team writes it in a CRM export or a script: read in every
# language, stored as the number (the file is the same whoever wrote the words).
_SPANISH_FRIENDLINESS = {"hostil": -2, "desfavorable": -1, "neutral": 0, "neutro": 0, "favorable": 1}
_SPANISH_FRIENDLINESS |= {"campeón": 2, "campeon": 2, "aliado": 2}


def friendliness_value(field_name: str, value: Any) -> int:
    if isinstance(value, str):
        key = value.strip().lower()
        for num, label in FRIENDLINESS_LABELS.items():
            if key == label:
                return num
        if key in _SPANISH_FRIENDLINESS:
            return _SPANISH_FRIENDLINESS[key]
    return v.integer(field_name, value, -2, 2)


@dataclass(slots=True)
class TeamMember:
    member: str
    role: str = ""

    def __post_init__(self) -> None:
        self.member = v.text("team.member", self.member, required=True)
        self.role = v.text("team.role", self.role)

    def to_json(self) -> dict[str, str]:
        return {"member": self.member, "role": self.role}


def member_key(name: str) -> str:
    """A team member's name as names are compared: case and spaces ignored ("Ana Ruiz",
    "ana  ruiz" and "AnaRuiz" are one person), composed and decomposed accents alike."""
    return "".join(unicodedata.normalize("NFC", name).split()).casefold()


def member_in_team(team: Sequence[TeamMember], name: str, skip: int | None = None) -> int | None:
    """The position in ``team`` of a member named ``name`` (:func:`member_key`), but ``skip``
    (the member being edited); None if nobody is."""
    key = member_key(name)
    return next((i for i, m in enumerate(team) if i != skip and member_key(m.member) == key), None)


def repeated_member(team: Sequence[TeamMember]) -> str | None:
    """What is wrong if one person is in ``team`` twice (which, at which positions), or None.

    Not a rule of :class:`Account` itself: an account stored before the rule may hold a
    repeated member and must stay readable; the forms and the JSON import refuse one."""
    for i, m in enumerate(team):
        j = member_in_team(team[:i], m.member)
        if j is not None:
            if m.member == team[j].member:
                return _("{name} is listed twice (members {first} and {second}); remove one").format(
                    name=repr(m.member), first=j + 1, second=i + 1
                )
            return _(
                "{name} and {other} are one person (members {first} and {second}; case and spaces ignored); remove one"
            ).format(name=repr(team[j].member), other=repr(m.member), first=j + 1, second=i + 1)
    return None


@dataclass(slots=True)
class Account(Entity):
    TABLE: ClassVar[str] = "accounts"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("last_review",)

    name: str
    tier: Tier = Tier.REGULAR
    industry: str = ""
    owner: str = ""
    team: list[TeamMember] = field(default_factory=list)
    sponsor: str = ""
    revenue: float = 0.0
    cost_to_serve: float = 0.0
    growth_potential: Level = Level.MEDIUM
    criteria: dict[str, int] = field(default_factory=dict)
    business: Business = field(default_factory=Business)
    cadence: str = ""
    last_review: dt.date | None = None
    crm_id: str = ""
    notes: str = ""
    currency: str = ""  # ISO 4217 code; "" is the portfolio's (kamtui.domain.formats)
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = v.text("name", self.name, required=True)
        self.tier = v.enum("tier", Tier, self.tier)
        self.industry = v.text("industry", self.industry)
        self.owner = v.text("owner", self.owner)
        self.team = _team(self.team)
        self.sponsor = v.text("sponsor", self.sponsor)
        self.revenue = v.money("revenue", self.revenue)
        self.cost_to_serve = v.money("cost_to_serve", self.cost_to_serve)
        self.growth_potential = v.enum("growth_potential", Level, self.growth_potential)
        self.criteria = _criteria(self.criteria)
        self.business = _business(self.business)
        self.cadence = _cadence("cadence", self.cadence)
        self.last_review = v.optional_stored_date("last_review", self.last_review)
        self.crm_id = v.text("crm_id", self.crm_id)
        self.notes = v.text("notes", self.notes, max_len=v.MAX_NOTE)
        self.currency = check_currency("currency", self.currency)


# What Account.__post_init__ reads its composite fields with (its reader, below, too).
def _team(value: Any) -> list[TeamMember]:
    if not isinstance(value, list):
        raise ValidationError("team", _("must be a list of members"))
    return [m if isinstance(m, TeamMember) else TeamMember(**kwargs_of(TeamMember, "team.", m, "team")) for m in value]


def _criteria(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValidationError("criteria", _("must map criterion names to scores 1-5"))
    # Stored under the keys the scoring reads; a label ("revenue potential") is migrated.
    return {criterion_key(v.text("criteria", k, required=True)): v.score(f"criteria.{k}", s) for k, s in value.items()}


def _business(value: Any) -> Business:
    if isinstance(value, Business):
        return value
    read = READERS.of(Business)
    business: Business | None = None if read is None else read(value)
    return business if business is not None else Business(**kwargs_of(Business, "business.", value, "business"))


_CADENCES: set[str] = {""}  # cadences read before: valid, as stored (a file holds a handful); "": none


def _cadence(field_name: str, value: Any) -> str:
    if value.__class__ is str and value in _CADENCES:
        return value  # type: ignore[no-any-return]
    from kamtui.domain.cadence import parse_cadence, preset_name

    cadence = preset_name(v.text(field_name, value))  # "mensual" is stored as "monthly"
    if cadence:
        parse_cadence(cadence)  # raises ValidationError naming the field
        if len(_CADENCES) < 256:  # bounded: a hostile file could hold a million
            _CADENCES.add(cadence)
    return cadence


@dataclass(slots=True)
class FriendlinessChange:
    date: dt.date
    value: int
    by: str = ""
    reason: str = ""  # why the attitude changed (one line, optional)
    was: int | None = None  # the attitude before (None: not recorded, as in older files)

    def __post_init__(self) -> None:
        self.date = v.stored_date("friendliness_history.date", self.date)
        self.value = friendliness_value("friendliness_history.value", self.value)
        self.by = v.text("friendliness_history.by", self.by)
        self.reason = v.text("friendliness_history.reason", self.reason)
        was: Any = self.was  # "" is none recorded, as the reader (optional_int) reads it
        self.was = None if was is None or was == "" else friendliness_value("friendliness_history.was", was)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"date": self.date.isoformat(), "value": self.value, "by": self.by, "reason": self.reason}
        if self.was is not None:
            doc["was"] = self.was
        return doc


def _history(value: Any) -> list[FriendlinessChange]:
    """Stakeholder.friendliness_history as __post_init__ (and the reader) read it."""
    if not isinstance(value, list):
        raise ValidationError("friendliness_history", _("must be a list"))
    return [h if isinstance(h, FriendlinessChange) else _change(h) for h in value]


def _change(doc: Any) -> FriendlinessChange:
    read = READERS.of(FriendlinessChange)
    change: FriendlinessChange | None = None if read is None else read(doc)
    if change is not None:
        return change
    return FriendlinessChange(**kwargs_of(FriendlinessChange, "friendliness_history.", doc, "friendliness_history"))


@dataclass(slots=True)
class Stakeholder(Entity):
    TABLE: ClassVar[str] = "stakeholders"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("last_contact",)

    account_id: int
    name: str
    title: str = ""
    role: DecisionRole = DecisionRole.INFLUENCER
    influence: Level = Level.MEDIUM
    friendliness: int = 0
    friendliness_history: list[FriendlinessChange] = field(default_factory=list)
    coverage: Coverage = Coverage.NONE
    last_contact: dt.date | None = None
    contact_every_days: int | None = None
    owner: str = ""
    left: bool = False
    notes: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.name = v.text("name", self.name, required=True)
        self.title = v.text("title", self.title)
        self.role = v.enum("role", DecisionRole, self.role)
        self.influence = v.enum("influence", Level, self.influence)
        self.friendliness = friendliness_value("friendliness", self.friendliness)
        self.friendliness_history = _history(self.friendliness_history)
        self.coverage = v.enum("coverage", Coverage, self.coverage)
        self.last_contact = v.optional_stored_date("last_contact", self.last_contact)
        self.contact_every_days = v.optional_int("contact_every_days", self.contact_every_days, 1, 3660)
        self.owner = v.text("owner", self.owner)
        self.left = v.boolean("left", self.left)
        self.notes = v.text("notes", self.notes, max_len=v.MAX_NOTE)

    @property
    def is_key_player(self) -> bool:
        return self.influence is Level.HIGH or self.role in KEY_ROLES

    def with_friendliness(self, value: int, today: dt.date, by: str, reason: str = "") -> Stakeholder:
        """A copy with a new friendliness, the change (and why) recorded in its dated history."""
        value = friendliness_value("friendliness", value)
        history = [*self.friendliness_history, FriendlinessChange(today, value, by, reason, self.friendliness)]
        return Stakeholder.from_doc({**self.to_doc(), "friendliness": value, "friendliness_history": history}, self.id)


@dataclass(slots=True)
class Objective(Entity):
    TABLE: ClassVar[str] = "objectives"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("due",)

    account_id: int
    title: str
    horizon: Horizon = Horizon.SHORT
    owner: str = ""
    due: dt.date | None = None
    status: ObjectiveStatus = ObjectiveStatus.OPEN
    stakeholders: list[int] = field(default_factory=list)  # the people it concerns
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.title = v.text("title", self.title, required=True)
        self.horizon = v.enum("horizon", Horizon, self.horizon)
        self.owner = v.text("owner", self.owner)
        self.due = v.optional_stored_date("due", self.due)
        self.status = v.enum("status", ObjectiveStatus, self.status)
        self.stakeholders = _ids("stakeholders", self.stakeholders)


@dataclass(slots=True)
class Action(Entity):
    TABLE: ClassVar[str] = "actions"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("due", "done_at")

    account_id: int
    objective_id: int
    text: str
    owner: str = ""
    due: dt.date | None = None
    done: bool = False
    done_at: dt.date | None = None
    done_by: str = ""
    stakeholders: list[int] = field(default_factory=list)  # the people it concerns
    deferred: int = 0  # how often its due date was put off (the guided review's d)
    deferred_reason: str = ""  # why, the last time
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.objective_id = v.integer("objective_id", self.objective_id, 0)
        self.text = v.text("text", self.text, required=True)
        self.owner = v.text("owner", self.owner)
        self.due = v.optional_stored_date("due", self.due)
        self.done = v.boolean("done", self.done)
        self.done_at = v.optional_stored_date("done_at", self.done_at)
        self.done_by = v.text("done_by", self.done_by)
        self.stakeholders = _ids("stakeholders", self.stakeholders)
        self.deferred = v.integer("deferred", self.deferred, 0)
        self.deferred_reason = v.text("deferred_reason", self.deferred_reason)

    def is_overdue(self, today: dt.date) -> bool:
        return not self.done and self.due is not None and self.due < today


@dataclass(slots=True)
class Review(Entity):
    TABLE: ClassVar[str] = "reviews"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("date",)

    account_id: int
    date: dt.date
    reviewer: str = ""
    engagement: int = 3
    loyalty: int = 3
    satisfaction: int = 3
    health: int = 3
    notes: str = ""
    # The account's 0-100 health and its parts (None: no data) as they were on the review's
    # day, recorded with it (kamtui.domain.health); all None in reviews from before kamtui kept them.
    health_score: int | None = None
    health_reviews: int | None = None
    health_relationships: int | None = None
    health_plan: int | None = None
    health_contact: int | None = None
    # Taken in the guided review: how long it took and what was done during it, in words
    # ("ticked: Send the deck", "Rosa: friendly → neutral"); None and [] for a review form's.
    seconds: int | None = None
    done: list[str] = field(default_factory=list)
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.date = v.stored_date("date", self.date)
        self.reviewer = v.text("reviewer", self.reviewer)
        self.engagement = v.score("engagement", self.engagement)
        self.loyalty = v.score("loyalty", self.loyalty)
        self.satisfaction = v.score("satisfaction", self.satisfaction)
        self.health = v.score("health", self.health)
        self.notes = v.text("notes", self.notes, max_len=v.MAX_NOTE)
        self.health_score = v.optional_int("health_score", self.health_score, 0, 100)
        self.health_reviews = v.optional_int("health_reviews", self.health_reviews, 0, 100)
        self.health_relationships = v.optional_int("health_relationships", self.health_relationships, 0, 100)
        self.health_plan = v.optional_int("health_plan", self.health_plan, 0, 100)
        self.health_contact = v.optional_int("health_contact", self.health_contact, 0, 100)
        self.seconds = v.optional_int("seconds", self.seconds, 0)
        self.done = _done(self.done)

    @property
    def health_parts(self) -> dict[str, int]:
        """The recorded parts that had data: ``{"reviews": 50, "plan": 85}``."""
        return {k: x for k in HEALTH_PARTS if (x := getattr(self, f"health_{k}")) is not None}


HEALTH_PARTS = ("reviews", "relationships", "plan", "contact")  # kamtui.domain.health.WEIGHTS


def _done(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValidationError("done", _("must be a list"))
    return [v.text(f"done[{n}]", x, max_len=v.MAX_NOTE) for n, x in enumerate(value)]


@dataclass(slots=True)
class Interaction(Entity):
    TABLE: ClassVar[str] = "interactions"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("date",)

    account_id: int
    date: dt.date
    kind: InteractionKind = InteractionKind.MEETING
    stakeholders: list[int] = field(default_factory=list)
    summary: str = ""
    by: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.date = v.stored_date("date", self.date)
        self.kind = v.enum("kind", InteractionKind, self.kind)
        self.stakeholders = _ids("stakeholders", self.stakeholders)
        self.summary = v.text("summary", self.summary, max_len=v.MAX_NOTE)
        self.by = v.text("by", self.by)


ENTITIES: dict[str, type[Entity]] = {
    cls.TABLE: cls for cls in (Account, Stakeholder, Objective, Action, Review, Interaction, Opportunity, Kpi)
}
TABLES: tuple[str, ...] = tuple(ENTITIES)
CHILD_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t != "accounts")

# The entities' readers (what from_doc reads stored documents with) are declared beside the
# model and registered as it loads.
from kamtui.domain import model_readers as model_readers  # noqa: E402 - needs the classes above
