"""KPIs in words: whether each is on track, and the off-track KPIs of the current plan period as
Today's risks.

A KPI is on track when its latest reading (its actual) meets the target in its direction: at or
above it when higher is better, at or below it when lower is better; without a reading it has
no status. A KPI counts for Today when its plan period is the current one: empty, or naming
the current year ("2026", "FY2026"); an off-track KPI of an earlier or later plan is history
or not yet due, and stays in the plan without being raised.

Pure: KPIs (or their stored documents) in, words and queue items out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kamtui.domain.deals import Direction, Kpi
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import number_shown
from kamtui.domain.queue import QueueItem
from kamtui.i18n import N_, _

KPI_RISK_DETAIL = N_("kpi off track")  # the detail of a KPI's risk item (translated): Today opens it in the plan
STATUS_WORDS = {True: N_("on track"), False: N_("off track"), None: N_("no reading yet")}
STATUS_MARKS = {True: "✓", False: "✗", None: "·"}  # each has a one-cell ASCII stand-in (marks.py)


def number_text(value: float) -> str:
    """A reading or target as people write it: 95, 91.5, -3, 1,250,000; never more than the 15
    digits a float holds exactly (999999999999999.9 is 1,000,000,000,000,000, not ...999.88), and
    beyond a thousand trillion (refused now, but an older file may hold one) in exponent form."""
    value = float(value) + 0.0
    if abs(value) > 1e15:
        return number_shown(f"{value:.1e}".replace("e+", "e"))  # -1.0e308, as the money column
    whole = len(f"{abs(value):.0f}")
    decimals = min(2, max(0, 15 - whole))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else number_shown(text)


def with_unit(value: float, unit: str) -> str:
    """``95%``, ``3.5 days``: a unit of symbols sticks to the number, a word stands apart."""
    number = number_text(value)
    if not unit:
        return number
    return f"{number}{unit}" if not unit[0].isalnum() else f"{number} {unit}"


def direction_words(direction: Direction) -> str:
    return _("higher is better") if direction is Direction.HIGHER else _("lower is better")


def is_current(period: str, today: dt.date) -> bool:
    """Whether a plan period is the one under way: empty, or naming today's year."""
    return not period.strip() or str(today.year) in period


def status_words(k: Kpi) -> str:
    return _(STATUS_WORDS[k.on_track])


def is_kpi_risk(item: QueueItem) -> bool:
    """Whether a queue item is an off-track KPI's risk (its target is the KPI, not a person), in
    whatever language its detail was written."""
    return item.kind == "risk" and item.detail in (KPI_RISK_DETAIL, _(KPI_RISK_DETAIL))


def kpi_risk_message(k: Kpi) -> str:
    """``KPI On-time delivery 91% vs target 95%: off track`` (stored text uncleaned: data)."""
    if k.actual is None:
        return _("KPI {name}: no reading yet (target {target})").format(name=k.name, target=with_unit(k.target, k.unit))
    return _("KPI {name} {actual} vs target {target}: {status}").format(
        name=k.name, actual=with_unit(k.actual, k.unit), target=with_unit(k.target, k.unit), status=status_words(k)
    )


def kpi_risk_items(
    kpis: Iterable[tuple[int, Mapping[str, Any]]],
    account_of: Callable[[int], Mapping[str, Any] | None],
    today: dt.date,
) -> list[QueueItem]:
    """The off-track KPIs of the current plan period as red risk items (stored documents in).

    ``account_of`` gives the account document of an id, or None to leave its KPIs out (an
    account gone, or not the owner's). A KPI without a reading is never parsed; one that does
    not load is left out (``kamtui check`` reports it).
    """
    items: list[QueueItem] = []
    detail = _(KPI_RISK_DETAIL)
    for kid, doc in kpis:
        if doc.get("actual") is None:
            continue  # no reading: no status (the common case costs one dict lookup)
        try:
            k = Kpi.from_doc(doc, kid)
        except (ValidationError, TypeError):
            continue
        if k.on_track is not False or not is_current(k.period, today):
            continue
        account = account_of(k.account_id)
        if account is None:
            continue
        name, owner = account.get("name"), account.get("owner")
        items.append(
            QueueItem(
                "risk",
                k.account_id,
                "" if name is None else str(name),
                "" if owner is None else str(owner),
                kpi_risk_message(k),
                detail,
                None,
                0,
                2,
                kid,
            )
        )
    return items
