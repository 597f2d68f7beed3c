"""The words a person reads for the model's enums, in the user's language (issue 15).

A stored value never changes (``"economic_buyer"``, ``"key"``, ``"short"``); only the label shown
for it does: "economic buyer" in English, "comprador económico" in Spanish. Each function takes
the stored value and answers in the language in force when it is called (never at import).
Words that mean different things in different places ("regular" a tier and a coverage, "open"
an objective and a deal) are told apart by their context (:func:`kamtui.i18n.pgettext`).
"""

from __future__ import annotations

from collections.abc import Callable

from kamtui.i18n import N_, _, ngettext, pgettext

# The attitude a friendliness stands for (-2..2): the English words are also what a file or an
# import may write instead of the number (kamtui.domain.model.friendliness_value).
FRIENDLINESS: dict[int, str] = {
    -2: N_("hostile"),
    -1: N_("unfriendly"),
    0: N_("neutral"),
    1: N_("friendly"),
    2: N_("champion"),
}

ROLES: dict[str, str] = {
    "economic_buyer": N_("economic buyer"),
    "decision_maker": N_("decision maker"),
    "technical_buyer": N_("technical buyer"),
    "influencer": N_("influencer"),
    "champion": N_("champion"),
    "coach": N_("coach"),
    "user": N_("user"),
    "gatekeeper": N_("gatekeeper"),
    "blocker": N_("blocker"),
}

HORIZONS: dict[str, str] = {"short": N_("short term"), "medium": N_("medium term"), "long": N_("long term")}

INTERACTIONS: dict[str, str] = {
    "meeting": N_("meeting"),
    "call": N_("call"),
    "email": N_("email"),
    "visit": N_("visit"),
    "event": N_("event"),
}

_Label = Callable[[], str]
_TIERS: dict[str, _Label] = {
    "key": lambda: pgettext("tier", "key"),
    "candidate": lambda: pgettext("tier", "candidate"),
    "regular": lambda: pgettext("tier", "regular"),
}
_LEVELS: dict[str, _Label] = {
    "low": lambda: pgettext("level", "low"),
    "medium": lambda: pgettext("level", "medium"),
    "high": lambda: pgettext("level", "high"),
}
_COVERAGES: dict[str, _Label] = {
    "none": lambda: pgettext("coverage", "none"),
    "brief": lambda: pgettext("coverage", "brief"),
    "regular": lambda: pgettext("coverage", "regular"),
    "in_depth": lambda: pgettext("coverage", "in depth"),
}
_STATUSES: dict[str, _Label] = {
    "open": lambda: pgettext("objective", "open"),
    "at_risk": lambda: pgettext("objective", "at risk"),
    "done": lambda: pgettext("objective", "done"),
    "dropped": lambda: pgettext("objective", "dropped"),
}
_STAGES: dict[str, _Label] = {
    "open": lambda: pgettext("stage", "open"),
    "prospect": lambda: pgettext("stage", "prospect"),
    "qualify": lambda: pgettext("stage", "qualify"),
    "propose": lambda: pgettext("stage", "propose"),
    "negotiate": lambda: pgettext("stage", "negotiate"),
    "commit": lambda: pgettext("stage", "commit"),
    "won": lambda: pgettext("stage", "won"),
    "lost": lambda: pgettext("stage", "lost"),
}
_COVERS: dict[str, _Label] = {
    "covered": lambda: pgettext("cover", "covered"),
    "cold": lambda: pgettext("cover", "cold"),
    "never contacted": lambda: pgettext("cover", "never contacted"),
    "hostile": lambda: pgettext("cover", "hostile"),
    "missing": lambda: pgettext("cover", "missing"),
}


def _of(table: dict[str, _Label], value: str) -> str:
    label = table.get(value)
    return label() if label is not None else value.replace("_", " ")


def friendliness(value: int) -> str:
    """ "hostile" .. "champion" for -2..2 (the number itself if out of range)."""
    word = FRIENDLINESS.get(value)
    return _(word) if word is not None else str(value)


def role(value: str) -> str:
    word = ROLES.get(value)
    return _(word) if word is not None else value.replace("_", " ")


def horizon(value: str) -> str:
    word = HORIZONS.get(value)
    return _(word) if word is not None else value


def interaction(value: str) -> str:
    word = INTERACTIONS.get(value)
    return _(word) if word is not None else value


def tier(value: str) -> str:
    return _of(_TIERS, value)


def level(value: str) -> str:
    """An influence or a growth potential: low, medium, high."""
    return _of(_LEVELS, value)


def coverage(value: str) -> str:
    return _of(_COVERAGES, value)


def objective_status(value: str) -> str:
    return _of(_STATUSES, value)


def stage(value: str) -> str:
    return _of(_STAGES, value)


def cover(value: str) -> str:
    """A buying role's coverage state (kamtui.domain.coverage.Cover)."""
    return _of(_COVERS, value)


def records(table: str, n: int) -> str:
    """ "28 accounts", "1 KPI": how many records of a table (the table's name for one the model
    does not have). One list for every place that counts them: ``kamtui check``'s summary and
    what deleting an account takes with it."""
    words: dict[str, Callable[[], str]] = {
        "accounts": lambda: ngettext("{n} account", "{n} accounts", n),
        "stakeholders": lambda: ngettext("{n} stakeholder", "{n} stakeholders", n),
        "objectives": lambda: ngettext("{n} objective", "{n} objectives", n),
        "actions": lambda: ngettext("{n} action", "{n} actions", n),
        "reviews": lambda: ngettext("{n} review", "{n} reviews", n),
        "interactions": lambda: ngettext("{n} interaction", "{n} interactions", n),
        "opportunities": lambda: ngettext("{n} opportunity", "{n} opportunities", n),
        "kpis": lambda: ngettext("{n} KPI", "{n} KPIs", n),
    }
    word = words.get(table)
    return f"{n} {table}" if word is None else word().format(n=n)
