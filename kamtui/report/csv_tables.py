"""The account plans as five linked CSV tables (accounts, stakeholders, actions, opportunities,
KPIs), made to be opened in a spreadsheet: numbers stay numbers, text cells are defused
(:func:`csv_cell`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from kamtui.domain.formats import portfolio_currency
from kamtui.domain.model import FRIENDLINESS_LABELS
from kamtui.domain.spreadsheet import csv_text
from kamtui.report.plans import AccountPlan, next_due

ACCOUNT_COLUMNS = (
    "id", "name", "tier", "industry", "owner", "sponsor", "team", "revenue", "cost_to_serve",
    "growth_potential", "health", "cadence", "last_review", "next_review", "crm_id", "notes", "currency",
)  # fmt: skip
STAKEHOLDER_COLUMNS = (
    "id", "account_id", "account", "name", "title", "role", "influence", "friendliness", "attitude",
    "coverage", "last_contact", "contact_every_days", "owner", "left", "notes",
)  # fmt: skip
ACTION_COLUMNS = (
    "id", "account_id", "account", "objective_id", "objective", "horizon", "text", "owner", "due",
    "done", "done_at", "done_by",
)  # fmt: skip
OPPORTUNITY_COLUMNS = (
    "id", "account_id", "account", "title", "stage", "open", "value", "probability", "probability_set",
    "weighted", "close_date", "owner", "objective_id", "objective", "reason",
)  # fmt: skip
KPI_COLUMNS = (
    "id", "account_id", "account", "name", "period", "unit", "direction", "target", "actual", "status", "updated",
)  # fmt: skip
TABLES = ("accounts", "stakeholders", "actions", "opportunities", "kpis")


def csv_cell(value: object) -> str | int | float:
    """A cell a spreadsheet opens safely: numbers as numbers (-5 stays -5); text with its control
    characters made visible and a formula start quoted (see :mod:`kamtui.domain.spreadsheet`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_text(str(value))


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for row in rows:
        w.writerow([csv_cell(x) for x in row])
    return buf.getvalue()


def render_csv(plans: Sequence[AccountPlan], today: dt.date) -> dict[str, str]:
    """Five linked tables (accounts, stakeholders, actions, opportunities, kpis) as CSV text, keyed
    by table name (:data:`TABLES`)."""
    accounts: list[list[object]] = []
    stakeholders: list[list[object]] = []
    actions: list[list[object]] = []
    opportunities: list[list[object]] = []
    kpis: list[list[object]] = []
    for p in plans:
        a = p.account
        team = "; ".join(m.member + (f" ({m.role})" if m.role else "") for m in a.team)
        score = p.health.score if p.health is not None else None
        accounts.append(
            [
                a.id,
                a.name,
                a.tier.value,
                a.industry,
                a.owner,
                a.sponsor,
                team,
                a.revenue,
                a.cost_to_serve,
                a.growth_potential.value,
                score,
                a.cadence,
                a.last_review,
                next_due(a, today),
                a.crm_id,
                a.notes,
                a.currency or portfolio_currency(),  # the ISO code revenue and cost are in ("": none set)
            ]
        )
        for s in p.stakeholders:
            stakeholders.append(
                [
                    s.id,
                    a.id,
                    a.name,
                    s.name,
                    s.title,
                    s.role.value,
                    s.influence.value,
                    s.friendliness,
                    FRIENDLINESS_LABELS.get(s.friendliness, ""),
                    s.coverage.value,
                    s.last_contact,
                    s.contact_every_days,
                    s.owner,
                    s.left,
                    s.notes,
                ]
            )
        objectives = {o.id: o for o in p.objectives}
        for act in p.actions:
            o = objectives.get(act.objective_id)
            actions.append(
                [
                    act.id,
                    a.id,
                    a.name,
                    act.objective_id,
                    o.title if o else "",
                    o.horizon.value if o else "",
                    act.text,
                    act.owner,
                    act.due,
                    act.done,
                    act.done_at,
                    act.done_by,
                ]
            )
        for opp in p.opportunities:
            o = objectives.get(opp.objective_id) if opp.objective_id is not None else None
            opportunities.append(
                [
                    opp.id,
                    a.id,
                    a.name,
                    opp.title,
                    opp.stage.value,
                    opp.is_open,
                    opp.value,
                    opp.chance,
                    opp.probability is not None,
                    opp.weighted if opp.is_open else None,
                    opp.close_date,
                    opp.owner,
                    opp.objective_id,
                    o.title if o else "",
                    opp.reason,
                ]
            )
        for k in p.kpis:
            status = {True: "on track", False: "off track", None: "no reading"}[k.on_track]
            kpis.append(
                [k.id, a.id, a.name, k.name, k.period, k.unit, k.direction.value, k.target, k.actual, status, k.updated]
            )
    return {
        "accounts": _csv(ACCOUNT_COLUMNS, accounts),
        "stakeholders": _csv(STAKEHOLDER_COLUMNS, stakeholders),
        "actions": _csv(ACTION_COLUMNS, actions),
        "opportunities": _csv(OPPORTUNITY_COLUMNS, opportunities),
        "kpis": _csv(KPI_COLUMNS, kpis),
    }


def csv_paths(target: Path) -> dict[str, Path]:
    """Where ``-o FILE`` puts the tables: the accounts in FILE, each other one beside it in FILE's
    stem + -stakeholders.csv, -actions.csv, -opportunities.csv, -kpis.csv."""
    stem = target.name[:-4] if target.name.lower().endswith(".csv") else target.name
    return {table: target if table == "accounts" else target.with_name(f"{stem}-{table}.csv") for table in TABLES}
