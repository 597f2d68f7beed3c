"""The meeting brief: one account on one page, for the meeting in an hour (`b` in the TUI,
``kamtui export --format brief --account NAME``).

:func:`build_brief` is pure (an account's records in, a :class:`Brief` out: an
:class:`~kamtui.domain.account_plan.AccountPlan` with its interactions, loaded alike by the
report and the TUI); :func:`render_brief` makes it plain text for a terminal, and the TUI's
brief screen shows the same sections. It lives in the domain so that the TUI and the reports,
siblings that do not import each other, share it. Every piece of stored text is cleaned here
(no control character, one line each; a note keeps its lines; for a file, emoji keep their
joiners); the marks (``·`` ``▲`` ``▼`` ``…``) are written as ASCII where the locale cannot show
them, as in the other reports (:mod:`kamtui.report.terminal`).

The sections: their business (goals, financial health), the SWOT threats, the open
opportunities, the people likely to be there (key players first) with their role, attitude,
its trend, last contact and last topic, the open and late actions, the KPIs off track, and the
last review's note with the next step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from kamtui.domain.account_plan import AccountPlan
from kamtui.domain.business import BusinessItem
from kamtui.domain.cadence import in_words, next_review
from kamtui.domain.deals import Direction, Kpi, Opportunity
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import (
    FRIENDLINESS_LABELS,
    Action,
    Interaction,
    Level,
    Stakeholder,
)
from kamtui.domain.pipeline import Pipeline
from kamtui.domain.text import clean, counted, money, truncate

MAX_PEOPLE = 10
MAX_ACTIONS = 12
TOPIC_WIDTH = 90
_INFLUENCE_RANK = {Level.HIGH: 0, Level.MEDIUM: 1, Level.LOW: 2}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: tuple[str, ...]  # cleaned text, one line each


@dataclass(frozen=True, slots=True)
class Brief:
    title: str
    facts: str
    sections: tuple[Section, ...]


_LEAD = re.compile(r" *(?:- )?")  # a line's indent, then its bullet


def hanging(line: str) -> tuple[str, str]:
    """A brief's line split into what leads it (its bullet "- ", its indent, or nothing) and its
    text: a screen that wraps the line keeps the lead with the start of the text and hangs the
    text's next lines under it, not under the bullet."""
    lead = _LEAD.match(line)
    n = lead.end() if lead else 0
    return line[:n], line[n:]


# Whether the brief being built is for a terminal (the TUI, the command's output on a terminal)
# or a file: set by build_brief for the helpers below, as a setting rather than an argument
# threaded through every section.
_FOR_TERMINAL: ContextVar[bool] = ContextVar("brief_for_terminal", default=True)


def _t(value: object) -> str:
    """Stored text as one clean line (for a file, an emoji keeps its joiners and selectors)."""
    return " ".join(clean(value, terminal=_FOR_TERMINAL.get()).split())


def _note(value: str, indent: str = "  ") -> list[str]:
    """Multi-line stored text (a note) as clean lines, indented."""
    text = clean(value, one_line=False, terminal=_FOR_TERMINAL.get())
    return [indent + " ".join(line.split()) for line in text.split("\n") if line.strip()]


def _when(updated: dt.date | None, today: dt.date) -> str:
    """When an item was last written, and whether that makes it stale."""
    if updated is None:
        return "date unknown: stale"
    stale = ", stale" if BusinessItem("", updated).is_stale(today) else ""
    return f"updated {updated.isoformat()}{stale}"


def _dated(item: BusinessItem, today: dt.date) -> str:
    return f"- {_t(item.text)} ({_when(item.updated, today)})"


def _business(plan: AccountPlan, today: dt.date) -> Section:
    b = plan.account.business
    lines = ["Goals:"] + ([_dated(x, today) for x in b.goals] or ["- none recorded"])
    if b.financial_health:
        lines.append(f"Financial health: {_t(b.financial_health)} ({_when(b.financial_health_updated, today)})")
    else:
        lines.append("Financial health: not recorded")
    return Section("Their business", tuple(lines))


def _threats(plan: AccountPlan, today: dt.date) -> Section:
    threats = plan.account.business.swot.get("threats", [])
    return Section("Threats (SWOT)", tuple([_dated(x, today) for x in threats] or ["none recorded"]))


def _opportunity(o: Opportunity, objectives: dict[int, str], today: dt.date) -> str:
    bits = [_t(o.title), o.stage.value, money(o.value), f"{o.chance}%", f"weighted {money(o.weighted)}"]
    if o.close_date is not None:
        bits.append(f"close {o.close_date.isoformat()} ({in_words(o.close_date, today)})")  # "3w late" once passed
    if o.owner:
        bits.append(f"owner {_t(o.owner)}")
    if o.objective_id is not None and o.objective_id in objectives:
        bits.append(f"for {objectives[o.objective_id]}")
    return "- " + " · ".join(bits)


def _opportunities(plan: AccountPlan, today: dt.date) -> Section:
    opps = list(plan.opportunities)
    pipe = Pipeline.of(opps, today)
    head = (
        f"{pipe.open_count} open, {money(pipe.open_value)} (weighted {money(pipe.weighted)}); "
        f"won {money(pipe.won_12m)}, lost {money(pipe.lost_12m)} in the last 12 months"
    )
    objectives = {o.id: _t(o.title) for o in plan.objectives if o.id is not None}
    open_ = sorted((o for o in opps if o.is_open), key=lambda o: (o.close_date or dt.date.max, -o.value))
    return Section("Open opportunities", (head, *(_opportunity(o, objectives, today) for o in open_)))


def attitude_trend(s: Stakeholder) -> str:
    """The attitude's last recorded change in words: "▲ warming since 2026-05-01 (from neutral): why"."""
    history = sorted(s.friendliness_history, key=lambda h: h.date)
    if not history:
        return "no change recorded"
    last = history[-1]
    reason = f": {_t(last.reason)}" if last.reason else ""
    if len(history) < 2:
        return f"set on {last.date.isoformat()}{reason}"
    before = history[-2].value
    if last.value == before:
        return f"steady since {last.date.isoformat()}{reason}"
    word = "▲ warming" if last.value > before else "▼ cooling"
    was = FRIENDLINESS_LABELS.get(before, str(before))
    return f"{word} since {last.date.isoformat()} (from {was}){reason}"


def _attitude(value: int) -> str:
    return f"{FRIENDLINESS_LABELS.get(value, str(value))} ({value:+d})" if value else "neutral (0)"


def _person(s: Stakeholder, interactions: Sequence[Interaction], today: dt.date) -> list[str]:
    name = _t(s.name) + (f", {_t(s.title)}" if s.title else "")
    key = "key player · " if s.is_key_player else ""
    first = f"- {name} · {key}{s.role.label} · influence {s.influence.value} · {_attitude(s.friendliness)}"
    lines = [first, f"  attitude: {attitude_trend(s)}"]
    if s.last_contact is not None:
        days = (today - s.last_contact).days
        ago = f"{counted(days, 'days')} ago" if days > 0 else "today" if days == 0 else "in the future"
        contact = f"last contact {s.last_contact.isoformat()} ({ago})"
    else:
        contact = "never contacted"
    topic = next((i for i in interactions if s.id is not None and s.id in i.stakeholders), None)
    if topic is not None:
        summary = truncate(_t(topic.summary), TOPIC_WIDTH) or "(no summary)"
        contact += f" · last topic ({topic.kind.value} {topic.date.isoformat()}): {summary}"
    else:
        contact += " · no interaction logged with them"
    lines.append(f"  {contact}")
    return lines


def _people(plan: AccountPlan, today: dt.date) -> Section:
    here = [s for s in plan.stakeholders if not s.left]
    here.sort(key=lambda s: (not s.is_key_player, _INFLUENCE_RANK[s.influence], s.name.casefold()))
    interactions = sorted(plan.interactions, key=lambda i: (i.date, i.id or 0), reverse=True)
    lines: list[str] = []
    for s in here[:MAX_PEOPLE]:
        lines += _person(s, interactions, today)
    if len(here) > MAX_PEOPLE:
        lines.append(f"… and {len(here) - MAX_PEOPLE} more (the stakeholders pane lists everyone)")
    return Section("People likely to be there", tuple(lines or ["no stakeholder is mapped yet"]))


def _action(a: Action, today: dt.date) -> str:
    if a.due is None:
        when = "no due date"
    elif a.is_overdue(today):
        when = f"LATE by {counted((today - a.due).days, 'days')} (due {a.due.isoformat()})"
    else:
        when = f"due {a.due.isoformat()} ({in_words(a.due, today)})"
    owner = f" · owner {_t(a.owner)}" if a.owner else ""
    return f"- {when} · {_t(a.text)}{owner}"


def open_actions(actions: Sequence[Action]) -> list[Action]:
    """Open actions, the earliest due first (late ones first), those without a date last."""
    return sorted((a for a in actions if not a.done), key=lambda a: (a.due is None, a.due or dt.date.max, a.id or 0))


def _actions(plan: AccountPlan, today: dt.date) -> Section:
    open_ = open_actions(plan.actions)
    late = sum(1 for a in open_ if a.is_overdue(today))
    lines = [f"{len(open_)} open, {late} late"] + [_action(a, today) for a in open_[:MAX_ACTIONS]]
    if len(open_) > MAX_ACTIONS:
        lines.append(f"… and {len(open_) - MAX_ACTIONS} more (the plan pane lists them)")
    return Section("Open and late actions", tuple(lines))


def _amount(value: float, unit: str) -> str:
    shown = f"{value:g}"
    return f"{shown} {_t(unit)}" if unit else shown


def _kpi(k: Kpi) -> str:
    assert k.actual is not None
    better = "higher" if k.direction is Direction.HIGHER else "lower"
    bits = [f"{_amount(k.actual, k.unit)} against a target of {_amount(k.target, k.unit)} ({better} is better)"]
    if k.period:
        bits.append(f"period {_t(k.period)}")
    if k.updated is not None:
        bits.append(f"updated {k.updated.isoformat()}")
    return f"- {_t(k.name)}: " + " · ".join(bits)


def _kpis(plan: AccountPlan) -> Section:
    off = [k for k in plan.kpis if k.on_track is False]
    on = sum(1 for k in plan.kpis if k.on_track)
    unread = sum(1 for k in plan.kpis if k.on_track is None)
    head = f"{len(off)} of {len(plan.kpis)} off track ({on} on track, {unread} without a reading)"
    return Section("KPIs off track", (head, *(_kpi(k) for k in off)) if plan.kpis else ("no KPI is set",))


def _review_and_next(plan: AccountPlan, today: dt.date) -> Section:
    lines: list[str] = []
    if plan.reviews:
        r = max(plan.reviews, key=lambda r: (r.date, r.id or 0))
        by = f" by {_t(r.reviewer)}" if r.reviewer else ""
        lines.append(
            f"Last review {r.date.isoformat()}{by}: engagement {r.engagement}, loyalty {r.loyalty}, "
            f"satisfaction {r.satisfaction}, review health {r.health} (1-5)"
        )
        lines += _note(r.notes) if r.notes.strip() else ["  (no note)"]
    else:
        lines.append("Never reviewed")
    try:
        due = next_review(plan.account.cadence, plan.account.last_review, today)
    except ValidationError:  # a cadence kamtui cannot read: no date (kamtui check names it)
        due = None
    lines.append(f"Next review due {due.isoformat()} ({in_words(due, today)})" if due else "No review cadence")
    nxt = open_actions(plan.actions)
    lines.append(f"Next action: {_action(nxt[0], today)[2:]}" if nxt else "Next action: none open")
    return Section("Last review and next step", tuple(lines))


def build_brief(plan: AccountPlan, today: dt.date, *, terminal: bool = True) -> Brief:
    """The meeting brief of ``plan``'s account (its interactions give the last topics).

    ``terminal`` False (a brief written to a file or a pipe) keeps stored text as it is but for
    its controls and bidi marks, made visible: an emoji keeps the joiners and selectors that a
    terminal's layout cannot count (:func:`~kamtui.domain.text.clean`)."""
    token = _FOR_TERMINAL.set(terminal)
    try:
        return _build(plan, today)
    finally:
        _FOR_TERMINAL.reset(token)


def _build(plan: AccountPlan, today: dt.date) -> Brief:
    a = plan.account
    facts = [f"{a.tier.value} account", f"owner {_t(a.owner)}" if a.owner else "no owner"]
    if a.sponsor:
        facts.append(f"our sponsor {_t(a.sponsor)}")
    facts.append(f"revenue {money(a.revenue)}")
    if plan.health is not None and plan.health.score is not None:
        facts.append(f"account health {plan.health.score}/100")
    facts.append(f"brief of {today.isoformat()}")
    sections = (
        _business(plan, today),
        _threats(plan, today),
        _opportunities(plan, today),
        _people(plan, today),
        _actions(plan, today),
        _kpis(plan),
        _review_and_next(plan, today),
    )
    return Brief(f"Meeting brief: {_t(a.name)}", " · ".join(facts), sections)


def render_brief(brief: Brief) -> str:
    """The brief as plain text (a terminal or a file)."""
    out = [brief.title, brief.facts, ""]
    for section in brief.sections:
        out += [section.title.upper(), *section.lines, ""]
    return "\n".join(out).rstrip("\n") + "\n"
