"""The client's business, part two of the account plan: their goals, financial health, current
initiatives and a SWOT, each item dated so that a stale one shows as stale.

Older files hold plain strings for the items; they load as items with no date ("date
unknown") and are stored in the dated form when the business is next edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kamtui.domain import fast_read as fr
from kamtui.domain import validate as v
from kamtui.domain.entity import READERS
from kamtui.domain.errors import ValidationError
from kamtui.i18n import N_, _

SWOT_KEYS = ("strengths", "weaknesses", "opportunities", "threats")
# Titles marked for the catalog: shown with _(SWOT_TITLES[key]), _(PART_TITLES[part]).
SWOT_TITLES = {
    "strengths": N_("Strengths"),
    "weaknesses": N_("Weaknesses"),
    "opportunities": N_("Opportunities"),
    "threats": N_("Threats"),
}
# The business's parts that are lists of items, in the order a plan shows them.
ITEM_PARTS = ("goals", "initiatives", *SWOT_KEYS)
PART_TITLES = {"goals": N_("Goals"), "initiatives": N_("Current initiatives"), **SWOT_TITLES}
STALE_AFTER_DAYS = 180  # an item not updated for this long is shown as stale


@dataclass(slots=True)
class BusinessItem:
    """One goal, initiative or SWOT entry, and the day it was last written (None: unknown)."""

    text: str
    updated: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "updated": self.updated.isoformat() if self.updated else None}

    def is_stale(self, today: dt.date, days: int = STALE_AFTER_DAYS) -> bool:
        return self.updated is None or (today - self.updated).days > days


def _item(name: str, value: Any) -> BusinessItem | None:
    """One item as stored (a plain text in older files); None for a blank one (left out, as before)."""
    text: Any
    updated: Any
    if isinstance(value, BusinessItem):
        text, updated = value.text, value.updated
    elif isinstance(value, str):  # an older file: the text alone
        text, updated = value, None
    elif isinstance(value, dict):
        unknown = set(value) - {"text", "updated"}
        if unknown:
            raise ValidationError(
                name,
                _("unknown field {field}; an item has text and updated").format(
                    field=repr(sorted(unknown, key=str)[0])
                ),
            )
        text, updated = value.get("text"), value.get("updated")
        name = f"{name}.text"
    else:
        raise ValidationError(
            name, _("must be text or {{text, updated}}, not {kind}").format(kind=type(value).__name__)
        )
    text = v.text(name, text)
    if not text:
        return None
    return BusinessItem(text, v.optional_stored_date(name.removesuffix(".text") + ".updated", updated))


def _items(name: str, value: Any) -> list[BusinessItem]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(name, _("must be a list of items (text)"))
    return [x for i, item in enumerate(value) if (x := _item(f"{name}[{i}]", item)) is not None]


_SWOT_NAMES = {k: f"business.swot.{k}" for k in SWOT_KEYS}


def _swot(value: Any) -> dict[str, list[BusinessItem]]:
    if not isinstance(value, dict):
        raise ValidationError("business.swot", _("must map strengths/weaknesses/opportunities/threats to lists"))
    if not value.keys() <= _SWOT_NAMES.keys():
        first = sorted(set(value) - set(SWOT_KEYS), key=str)[0]
        raise ValidationError(
            "business.swot",
            _("unknown part {part}; expected {parts}").format(part=repr(first), parts=", ".join(SWOT_KEYS)),
        )
    get = value.get
    # Most parts are empty: read without a call (as _items reads them: a new empty list).
    return {
        k: [] if (x := get(k)) is None or (x.__class__ is list and not x) else _items(name, x)
        for k, name in _SWOT_NAMES.items()
    }


@dataclass(slots=True)
class Business:
    """The client's business: part two of the account plan."""

    goals: list[BusinessItem] = field(default_factory=list)
    financial_health: str = ""
    financial_health_updated: dt.date | None = None
    initiatives: list[BusinessItem] = field(default_factory=list)
    swot: dict[str, list[BusinessItem]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.goals = _items("business.goals", self.goals)
        self.financial_health = v.text("business.financial_health", self.financial_health)
        self.financial_health_updated = v.optional_stored_date(
            "business.financial_health_updated", self.financial_health_updated
        )
        self.initiatives = _items("business.initiatives", self.initiatives)
        self.swot = _swot(self.swot)

    def items(self, part: str) -> list[BusinessItem]:
        """The items of ``part`` (one of ITEM_PARTS)."""
        if part in SWOT_KEYS:
            return self.swot[part]
        if part == "goals":
            return self.goals
        if part == "initiatives":
            return self.initiatives
        raise KeyError(part)

    def with_items(self, part: str, items: list[BusinessItem]) -> Business:
        """A copy with ``part``'s items replaced."""
        swot = {k: list(x) for k, x in self.swot.items()}
        goals, initiatives = list(self.goals), list(self.initiatives)
        if part in SWOT_KEYS:
            swot[part] = list(items)
        elif part == "goals":
            goals = list(items)
        elif part == "initiatives":
            initiatives = list(items)
        else:
            raise KeyError(part)
        return Business(goals, self.financial_health, self.financial_health_updated, initiatives, swot)

    def to_json(self) -> dict[str, Any]:
        return {
            "goals": [x.to_json() for x in self.goals],
            "financial_health": self.financial_health,
            "financial_health_updated": self.financial_health_updated.isoformat()
            if self.financial_health_updated
            else None,
            "initiatives": [x.to_json() for x in self.initiatives],
            "swot": {k: [x.to_json() for x in items] for k, items in self.swot.items()},
        }


# A business read as __post_init__ reads it, at speed (kamtui.domain.fast_read): None to let it.
READERS.declare(
    Business,
    goals=fr.converted(lambda x: _items("business.goals", x), list),
    financial_health=fr.text(),
    financial_health_updated=fr.optional_date(),
    initiatives=fr.converted(lambda x: _items("business.initiatives", x), list),
    swot=fr.converted(_swot),
)
