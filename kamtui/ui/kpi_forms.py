"""The forms of the account's KPIs: add or edit one, record a new reading, and the KPI fields of
the review form (one number per KPI of the plan period; blank keeps it).

Like every form (:mod:`kamtui.ui.entity_forms`): ``build`` turns what was typed into entities,
the domain refusing bad input by field name, shown inline; ``save`` stores through the session's
portfolio and reports the change, which undo reverts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kamtui.domain import validate
from kamtui.domain.deals import Direction, Kpi
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import date as shown_date
from kamtui.domain.kpi_status import direction_words, is_current, status_words, with_unit
from kamtui.domain.text import clean
from kamtui.i18n import _
from kamtui.store.portfolio import Change
from kamtui.ui.forms import FormField, FormScreen
from kamtui.ui.plan_texts import kpi_field_label
from kamtui.ui.session import Session


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if value.is_integer() else repr(value)


def kpi_form(session: Session, account_id: int, k: Kpi | None, period: str | None = None) -> FormScreen:
    """Add a KPI to the account's plan (``k`` None; its period ``period``, else this year) or
    edit one. An actual typed here is a reading of today, kept in the KPI's history."""
    today = session.today
    fields = [
        FormField("name", _("KPI (e.g. On-time delivery)"), value=k.name if k else ""),
        FormField("unit", _("Unit (%, days, EUR; may be empty)"), value=k.unit if k else ""),
        FormField("target", _("Target"), "number", _number_text(k.target) if k else ""),
        FormField(
            "direction",
            _("Direction"),
            "select",
            (k.direction if k else Direction.HIGHER).value,
            [(_(direction_words(d)), d.value) for d in Direction],
        ),
        FormField(
            "period",
            _("Plan period (the year of the account plan)"),
            value=k.period if k else period or str(today.year),
        ),
        FormField(
            "actual",
            _("Actual now (blank: no reading yet)") if k is None else _("Actual (a change is a reading of today)"),
            "number",
            _number_text(k.actual) if k else "",
        ),
    ]

    def build(v: dict[str, Any]) -> Kpi:
        text = str(v["actual"]).strip()
        actual = None if not text else validate.number("actual", text)
        new = Kpi(
            account_id=account_id,
            name=v["name"],
            target=v["target"],
            unit=v["unit"],
            direction=v["direction"],
            actual=k.actual if k else None,
            period=validate.period_with_year("period", validate.plan_period("period", v["period"])),
            updated=k.updated if k else None,
            history=list(k.history) if k else [],
            id=k.id if k else None,
        )
        if actual is not None and (k is None or actual != k.actual):
            return new.with_reading(actual, today)
        if actual is None and k is not None and k.actual is not None:
            raise ValidationError("actual", _("a reading cannot be unsaid: type the new actual (or u undoes the last)"))
        return new

    def save(new: Kpi) -> Change:
        saved, change = session.portfolio.save(new, k, _("edit KPI") if k else _("add KPI"))
        return session.record(change, ("plan", f"k:{saved.id}"))

    return FormScreen(_("Edit KPI") if k else _("Add KPI"), fields, build, save, session=session)


def reading_form(session: Session, k: Kpi) -> FormScreen:
    """Record today's reading of a KPI: the new actual, its status previewed."""
    today = session.today
    unit = clean(k.unit)
    target, direction = with_unit(k.target, unit), _(direction_words(k.direction))
    if k.actual is None:
        now = _("no reading yet")
    else:
        now = _("now {actual} ({status})").format(actual=with_unit(k.actual, unit), status=_(status_words(k)))
    if unit:
        label = _("New actual ({unit}): target {target}, {direction}; {now}")
    else:
        label = _("New actual: target {target}, {direction}; {now}")
    fields = [FormField("actual", label.format(unit=unit, target=target, direction=direction, now=now), "number", "")]

    def build(v: dict[str, Any]) -> Kpi:
        if not str(v["actual"]).strip():
            raise ValidationError("actual", _("type the new actual (esc leaves it as it is)"))
        return k.with_reading(validate.number("actual", v["actual"]), today)

    def preview(v: dict[str, Any]) -> str:
        if not str(v["actual"]).strip():
            return _("reading of {date}").format(date=shown_date(today))
        return _("reading of {date}: {status}").format(date=shown_date(today), status=_(status_words(build(v))))

    def save(new: Kpi) -> Change:
        saved, change = session.portfolio.save(new, k, _("update KPI"))
        return session.record(change, ("plan", f"k:{saved.id}"))

    title = _("Update KPI {name}").format(name=clean(k.name))
    return FormScreen(title, fields, build, save, preview, session=session)


# ------------------------------------------------------------- the review form
def review_kpis(kpis: Sequence[Kpi], today: dt.date) -> list[Kpi]:
    """The KPIs a review updates: those of the current plan period, else of the newest one."""
    current = [k for k in kpis if is_current(k.period, today)]
    if current or not kpis:
        return current
    newest = max(k.period for k in kpis)
    return [k for k in kpis if k.period == newest]


def kpi_fields(kpis: Sequence[Kpi]) -> list[FormField]:
    """One number field per KPI, blank: a blank one keeps the KPI as it is."""
    return [FormField(f"kpi_{k.id}", kpi_field_label(k), "number", "") for k in kpis if k.id is not None]


def kpi_readings(kpis: Sequence[Kpi], values: dict[str, Any], day: dt.date) -> list[tuple[Kpi, Kpi]]:
    """The (seen, new) KPIs of what was typed in the review form, each read on the review's ``day``."""
    out: list[tuple[Kpi, Kpi]] = []
    for k in kpis:
        name = f"kpi_{k.id}"
        text = str(values.get(name, "")).strip()
        if k.id is None or not text:
            continue
        value = validate.number(name, text)
        if k.updated is not None and day < k.updated:
            raise ValidationError(
                name,
                _("it has a newer reading ({date}): update it from the plan (U) instead").format(
                    date=k.updated.isoformat()
                ),
            )
        out.append((k, k.with_reading(value, day)))
    return out
