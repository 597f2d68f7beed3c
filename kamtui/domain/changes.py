"""What changed on an account since its last review, in words: attitude changes (with their
reasons), interactions, actions done and newly late, opportunities won, lost or slipped, KPI
readings, and the health with its parts. The guided review shows it at its top, the reviews
pane in full, and ``kamtui due --changes`` prints it.

Pure. "Since" counts from the day after the review: what happened on the review's day is
taken to be what the review saw.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kamtui.domain.deals import Kpi, Opportunity, Stage
from kamtui.domain.formats import date as shown_date
from kamtui.domain.health import SinceReview
from kamtui.domain.model import Action, Interaction, Stakeholder, friendliness_label
from kamtui.i18n import _, ngettext

# The order the kinds are listed in (and summed up in one line).
KINDS = ("health", "attitude", "interaction", "done", "late", "deal", "kpi")


def _short(kind: str, n: int) -> str:
    """ "2 attitude changes", "1 interaction": a kind's count in words."""
    if kind == "attitude":
        return ngettext("{n} attitude change", "{n} attitude changes", n).format(n=n)
    if kind == "interaction":
        return ngettext("{n} interaction", "{n} interactions", n).format(n=n)
    if kind == "done":
        return ngettext("{n} action done", "{n} actions done", n).format(n=n)
    if kind == "late":
        return ngettext("{n} newly late", "{n} newly late", n).format(n=n)
    if kind == "deal":
        return ngettext("{n} deal moved", "{n} deals moved", n).format(n=n)
    return ngettext("{n} KPI reading", "{n} KPI readings", n).format(n=n)


@dataclass(frozen=True, slots=True)
class Moved:
    kind: str  # one of KINDS
    date: dt.date | None
    text: str  # stored text inside is raw: clean it on display


def _amount(value: float) -> str:
    for size, mark in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + mark
    return f"{value:.0f}"


def changes_since(
    since: dt.date,
    today: dt.date,
    *,
    stakeholders: Sequence[Stakeholder] = (),
    interactions: Sequence[Interaction] = (),
    actions: Sequence[Action] = (),
    opportunities: Sequence[Opportunity] = (),
    kpis: Sequence[Kpi] = (),
    health: SinceReview | None = None,
) -> list[Moved]:
    """Everything after ``since`` up to ``today``, grouped by kind (KINDS), newest first in a kind."""
    out: list[Moved] = []
    if health is not None and (health.moves or health.arrow):
        out.append(Moved("health", today, health.words()))
    names = {s.id: s.name for s in stakeholders}
    for s in stakeholders:
        before: int | None = None
        for h in s.friendliness_history:
            if h.was is not None:  # recorded with the change: also the first one of a history
                before = h.was
            if h.date > since and before is not None and h.value != before:
                why = f" ({h.reason})" if h.reason else ""
                label = f"{friendliness_label(before)} → {friendliness_label(h.value)}"
                out.append(Moved("attitude", h.date, f"{s.name}: {label}{why}"))
            before = h.value
    for i in interactions:
        if since < i.date <= today:
            who = ", ".join(names.get(sid, "?") for sid in i.stakeholders)
            what = _("{kind} with {who}").format(kind=i.kind.label, who=who) if who else i.kind.label
            out.append(Moved("interaction", i.date, f"{what}: {i.summary}" if i.summary else what))
    for a in actions:
        if a.done and a.done_at is not None and since < a.done_at <= today:
            out.append(Moved("done", a.done_at, _("{action} (by {who})").format(action=a.text, who=a.done_by or "?")))
        elif not a.done and a.due is not None and since <= a.due < today:
            out.append(Moved("late", a.due, _("{action} (due {date})").format(action=a.text, date=shown_date(a.due))))
    for o in opportunities:
        if o.close_date is None or not since < o.close_date <= today:
            continue
        if o.stage in (Stage.WON, Stage.LOST):
            why = f": {o.reason}" if o.reason else ""
            out.append(Moved("deal", o.close_date, f"{o.stage.label}: {o.title} {_amount(o.value)}{why}"))
        elif o.is_open and o.close_date < today:
            slipped = _("slipped: {title} was to close {date}").format(title=o.title, date=shown_date(o.close_date))
            out.append(Moved("deal", o.close_date, slipped))
    for k in kpis:
        readings = [r for r in k.history if since < r.date <= today]
        if readings:
            last = readings[-1]
            track = {True: _("on track"), False: _("off track"), None: ""}[k.on_track]
            unit = f" {k.unit}" if k.unit else ""
            text = _("{name}: {value} (target {target}) {status}").format(
                name=k.name, value=f"{last.value:g}{unit}", target=f"{k.target:g}", status=track
            )
            out.append(Moved("kpi", last.date, text.rstrip()))
    order = {kind: n for n, kind in enumerate(KINDS)}
    out.sort(key=lambda m: (order[m.kind], -(m.date or today).toordinal()))
    return out


def summary(changes: Sequence[Moved]) -> str:
    """One line: "2 attitude changes · 3 interactions · 1 newly late" ("" when nothing changed)."""
    counts = Counter(m.kind for m in changes if m.kind != "health")
    parts = []
    for kind in KINDS:
        n = counts.get(kind, 0)
        if n:
            parts.append(_short(kind, n))
    return " · ".join(parts)
