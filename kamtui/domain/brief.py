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
from kamtui.domain.formats import date as full_date
from kamtui.domain.labels import friendliness as attitude_word
from kamtui.domain.model import Action, Interaction, Level, Stakeholder
from kamtui.domain.pipeline import Pipeline
from kamtui.domain.text import clean, money, truncate
from kamtui.i18n import _, ngettext

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
        return _("date unknown: stale")
    if BusinessItem("", updated).is_stale(today):
        return _("updated {date}, stale").format(date=full_date(updated))
    return _("updated {date}").format(date=full_date(updated))


def _dated(item: BusinessItem, today: dt.date) -> str:
    return f"- {_t(item.text)} ({_when(item.updated, today)})"


def _business(plan: AccountPlan, today: dt.date) -> Section:
    b = plan.account.business
    lines = [_("Goals:")] + ([_dated(x, today) for x in b.goals] or ["- " + _("none recorded")])
    if b.financial_health:
        lines.append(
            _("Financial health: {health} ({when})").format(
                health=_t(b.financial_health), when=_when(b.financial_health_updated, today)
            )
        )
    else:
        lines.append(_("Financial health: not recorded"))
    return Section(_("Their business"), tuple(lines))


def _threats(plan: AccountPlan, today: dt.date) -> Section:
    threats = plan.account.business.swot.get("threats", [])
    return Section(_("Threats (SWOT)"), tuple([_dated(x, today) for x in threats] or [_("none recorded")]))


def _opportunity(o: Opportunity, objectives: dict[int, str], today: dt.date, currency: str = "") -> str:
    bits = [
        _t(o.title),
        o.stage.label,
        money(o.value, currency),
        f"{o.chance}%",
        _("weighted {amount}").format(amount=money(o.weighted, currency)),
    ]
    if o.close_date is not None:  # "3w late" once passed
        bits.append(_("close {date} ({when})").format(date=full_date(o.close_date), when=in_words(o.close_date, today)))
    if o.owner:
        bits.append(_("owner {name}").format(name=_t(o.owner)))
    if o.objective_id is not None and o.objective_id in objectives:
        bits.append(_("for {objective}").format(objective=objectives[o.objective_id]))
    return "- " + " · ".join(bits)


def _opportunities(plan: AccountPlan, today: dt.date) -> Section:
    opps = list(plan.opportunities)
    cur = plan.account.currency  # the account's own, else (empty) the portfolio's
    pipe = Pipeline.of(opps, today)
    head = ngettext(
        "{open} open, {value} (weighted {weighted}); won {won}, lost {lost} in the last 12 months",
        "{open} open, {value} (weighted {weighted}); won {won}, lost {lost} in the last 12 months",
        pipe.open_count,
    ).format(
        open=pipe.open_count,
        value=money(pipe.open_value, cur),
        weighted=money(pipe.weighted, cur),
        won=money(pipe.won_12m, cur),
        lost=money(pipe.lost_12m, cur),
    )
    objectives = {o.id: _t(o.title) for o in plan.objectives if o.id is not None}
    open_ = sorted((o for o in opps if o.is_open), key=lambda o: (o.close_date or dt.date.max, -o.value))
    return Section(_("Open opportunities"), (head, *(_opportunity(o, objectives, today, cur) for o in open_)))


def attitude_trend(s: Stakeholder) -> str:
    """The attitude's last recorded change in words: "▲ warming since 2026-05-01 (from neutral): why"."""
    history = sorted(s.friendliness_history, key=lambda h: h.date)
    if not history:
        return _("no change recorded")
    last = history[-1]
    reason = f": {_t(last.reason)}" if last.reason else ""
    day = full_date(last.date)
    if len(history) < 2:
        return _("set on {date}").format(date=day) + reason
    before = history[-2].value
    if last.value == before:
        return _("steady since {date}").format(date=day) + reason
    if last.value > before:
        words = _("▲ warming since {date} (from {was})")
    else:
        words = _("▼ cooling since {date} (from {was})")
    return words.format(date=day, was=attitude_word(before)) + reason


def _attitude(value: int) -> str:
    return f"{attitude_word(value)} ({value:+d})" if value else _("neutral (0)")


def _person(s: Stakeholder, interactions: Sequence[Interaction], today: dt.date) -> list[str]:
    name = _t(s.name) + (f", {_t(s.title)}" if s.title else "")
    key = _("key player") + " · " if s.is_key_player else ""
    influence = _("influence {level}").format(level=s.influence.label)
    first = f"- {name} · {key}{s.role.label} · {influence} · {_attitude(s.friendliness)}"
    lines = [first, "  " + _("attitude: {trend}").format(trend=attitude_trend(s))]
    if s.last_contact is not None:
        days = (today - s.last_contact).days
        if days > 0:
            ago = ngettext("{n} day ago", "{n} days ago", days).format(n=days)
        else:
            ago = _("today") if days == 0 else _("in the future")
        contact = _("last contact {date} ({ago})").format(date=full_date(s.last_contact), ago=ago)
    else:
        contact = _("never contacted")
    topic = next((i for i in interactions if s.id is not None and s.id in i.stakeholders), None)
    if topic is not None:
        summary = truncate(_t(topic.summary), TOPIC_WIDTH) or _("(no summary)")
        contact += " · " + _("last topic ({kind} {date}): {summary}").format(
            kind=topic.kind.label, date=full_date(topic.date), summary=summary
        )
    else:
        contact += " · " + _("no interaction logged with them")
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
        lines.append(_("… and {n} more (the stakeholders pane lists everyone)").format(n=len(here) - MAX_PEOPLE))
    return Section(_("People likely to be there"), tuple(lines or [_("no stakeholder is mapped yet")]))


def _action(a: Action, today: dt.date) -> str:
    if a.due is None:
        when = _("no due date")
    elif a.is_overdue(today):
        late = (today - a.due).days
        when = ngettext("LATE by {n} day (due {date})", "LATE by {n} days (due {date})", late).format(
            n=late, date=full_date(a.due)
        )
    else:
        when = _("due {date} ({when})").format(date=full_date(a.due), when=in_words(a.due, today))
    owner = " · " + _("owner {name}").format(name=_t(a.owner)) if a.owner else ""
    return f"- {when} · {_t(a.text)}{owner}"


def open_actions(actions: Sequence[Action]) -> list[Action]:
    """Open actions, the earliest due first (late ones first), those without a date last."""
    return sorted((a for a in actions if not a.done), key=lambda a: (a.due is None, a.due or dt.date.max, a.id or 0))


def _actions(plan: AccountPlan, today: dt.date) -> Section:
    open_ = open_actions(plan.actions)
    late = sum(1 for a in open_ if a.is_overdue(today))
    head = ngettext("{open} open, {late} late", "{open} open, {late} late", len(open_)).format(
        open=len(open_), late=late
    )
    lines = [head] + [_action(a, today) for a in open_[:MAX_ACTIONS]]
    if len(open_) > MAX_ACTIONS:
        lines.append(_("… and {n} more (the plan pane lists them)").format(n=len(open_) - MAX_ACTIONS))
    return Section(_("Open and late actions"), tuple(lines))


def _amount(value: float, unit: str) -> str:
    shown = f"{value:g}"
    return f"{shown} {_t(unit)}" if unit else shown


def _kpi(k: Kpi) -> str:
    assert k.actual is not None
    if k.direction is Direction.HIGHER:
        words = _("{actual} against a target of {target} (higher is better)")
    else:
        words = _("{actual} against a target of {target} (lower is better)")
    bits = [words.format(actual=_amount(k.actual, k.unit), target=_amount(k.target, k.unit))]
    if k.period:
        bits.append(_("period {period}").format(period=_t(k.period)))
    if k.updated is not None:
        bits.append(_("updated {date}").format(date=full_date(k.updated)))
    return f"- {_t(k.name)}: " + " · ".join(bits)


def _kpis(plan: AccountPlan) -> Section:
    off = [k for k in plan.kpis if k.on_track is False]
    on = sum(1 for k in plan.kpis if k.on_track)
    unread = sum(1 for k in plan.kpis if k.on_track is None)
    head = _("{off} of {n} off track ({on} on track, {unread} without a reading)").format(
        off=len(off), n=len(plan.kpis), on=on, unread=unread
    )
    return Section(_("KPIs off track"), (head, *(_kpi(k) for k in off)) if plan.kpis else (_("no KPI is set"),))


def _review_and_next(plan: AccountPlan, today: dt.date) -> Section:
    lines: list[str] = []
    if plan.reviews:
        r = max(plan.reviews, key=lambda r: (r.date, r.id or 0))
        if r.reviewer:
            head = _("Last review {date} by {reviewer}:").format(date=full_date(r.date), reviewer=_t(r.reviewer))
        else:
            head = _("Last review {date}:").format(date=full_date(r.date))
        scores = _(
            "engagement {engagement}, loyalty {loyalty}, satisfaction {satisfaction}, review health {health} (1-5)"
        )
        lines.append(
            head
            + " "
            + scores.format(engagement=r.engagement, loyalty=r.loyalty, satisfaction=r.satisfaction, health=r.health)
        )
        lines += _note(r.notes) if r.notes.strip() else ["  " + _("(no note)")]
    else:
        lines.append(_("Never reviewed"))
    try:
        due = next_review(plan.account.cadence, plan.account.last_review, today)
    except ValidationError:  # a cadence kamtui cannot read: no date (kamtui check names it)
        due = None
    if due:
        lines.append(_("Next review due {date} ({when})").format(date=full_date(due), when=in_words(due, today)))
    else:
        lines.append(_("No review cadence"))
    nxt = open_actions(plan.actions)
    lines.append(
        _("Next action: {action}").format(action=_action(nxt[0], today)[2:]) if nxt else _("Next action: none open")
    )
    return Section(_("Last review and next step"), tuple(lines))


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
    facts = [
        _tier_account(a.tier.value),
        _("owner {name}").format(name=_t(a.owner)) if a.owner else _("no owner"),
    ]
    if a.sponsor:
        facts.append(_("our sponsor {name}").format(name=_t(a.sponsor)))
    facts.append(_("revenue {amount}").format(amount=money(a.revenue, a.currency)))
    if plan.health is not None and plan.health.score is not None:
        facts.append(_("account health {score}/100").format(score=plan.health.score))
    facts.append(_("brief of {date}").format(date=full_date(today)))
    sections = (
        _business(plan, today),
        _threats(plan, today),
        _opportunities(plan, today),
        _people(plan, today),
        _actions(plan, today),
        _kpis(plan),
        _review_and_next(plan, today),
    )
    return Brief(_("Meeting brief: {name}").format(name=_t(a.name)), " · ".join(facts), sections)


def _tier_account(tier: str) -> str:
    """ "key account", "candidate account", "regular account"."""
    if tier == "key":
        return _("key account")
    if tier == "candidate":
        return _("candidate account")
    return _("regular account")


def render_brief(brief: Brief) -> str:
    """The brief as plain text (a terminal or a file)."""
    out = [brief.title, brief.facts, ""]
    for section in brief.sections:
        out += [section.title.upper(), *section.lines, ""]
    return "\n".join(out).rstrip("\n") + "\n"
