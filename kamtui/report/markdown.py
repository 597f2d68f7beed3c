"""The account plans as Markdown, for managers who never saw kamtui.

Every plan in its four parts (relationships, the client's business, objectives, strategy and
actions) plus its latest reviews. User text is escaped so that it renders as itself: no
markup, no HTML, no control characters (:func:`md_text`); an emoji keeps its joiners.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from kamtui import __version__
from kamtui.domain.business import SWOT_KEYS, BusinessItem
from kamtui.domain.cadence import describe, in_words
from kamtui.domain.coverage import coverage, coverage_summary
from kamtui.domain.deals import Direction, Kpi, Opportunity
from kamtui.domain.errors import ValidationError
from kamtui.domain.health import Health
from kamtui.domain.model import FRIENDLINESS_LABELS, Action, Horizon, Stakeholder, Tier
from kamtui.domain.pipeline import Pipeline, projected_value
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, stakeholder_risks
from kamtui.domain.text import clean, money
from kamtui.report.plans import AccountPlan, next_due

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_BLOCK_START = re.compile(r"[+\-=!]")
_MD_ORDERED = re.compile(r"(\d+)([.)])")


def md_text(value: object) -> str:
    """User text as one line of Markdown that renders as itself (no markup, no HTML, no controls).

    A file is not a terminal: the text is kept as stored (an emoji keeps its joiners and
    selectors) but for the controls and bidi marks, made visible (``clean(..., terminal=False)``)."""
    s = " ".join(clean(value, terminal=False).split())
    s = _MD_ENTITY.sub("\\\\&", _MD_INLINE.sub(r"\\\1", s))
    if _MD_BLOCK_START.match(s):
        s = "\\" + s  # a list item, setext underline or image at the start of a line
    m = _MD_ORDERED.match(s)
    if m:
        s = f"{m.group(1)}\\{m.group(2)}{s[m.end() :]}"  # "1. " would start a numbered list
    return s


def _md_para(value: str) -> str:
    """Multi-line user text (notes) as Markdown lines joined by hard breaks."""
    lines = [md_text(line) for line in clean(value, one_line=False, terminal=False).split("\n")]
    return "\\\n".join(line for line in lines if line)


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return out


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


_TIER_WORDS = {Tier.KEY: "Key account", Tier.CANDIDATE: "Candidate key account", Tier.REGULAR: "Regular account"}
_HORIZON_WORDS = {Horizon.SHORT: "Short term", Horizon.MEDIUM: "Medium term", Horizon.LONG: "Long term"}


def _attitude(value: int) -> str:
    return f"{FRIENDLINESS_LABELS.get(value, str(value))} ({value:+d})" if value else "neutral (0)"


def _progress(actions: Sequence[Action]) -> str:
    if not actions:
        return "no actions yet"
    done = sum(1 for a in actions if a.done)
    return f"{done} of {len(actions)} actions done ({round(100 * done / len(actions))}%)"


def render_markdown(
    plans: Sequence[AccountPlan], today: dt.date, *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> str:
    """The account plans in their four parts, for a reader who never saw kamtui."""
    one = len(plans) == 1
    lines = ["# Account plan" if one else "# Account plans", ""]
    lines.append(
        f"Exported from kamtui {__version__} on {today.isoformat()}: "
        f"{len(plans)} account{'s' if len(plans) != 1 else ''}. Each plan has four parts: relationships, "
        "the client's business, objectives, and the strategy (actions) for each objective."
    )
    lines.append("")
    if not plans:
        lines.append("There are no accounts.")
        return "\n".join(lines) + "\n"
    if not one:
        rows = []
        for p in plans:
            a = p.account
            rows.append(
                [
                    md_text(a.name),
                    a.tier.value,
                    md_text(a.owner) or "-",
                    money(a.revenue),
                    _health_words(p.health) or "-",
                    _d(next_due(a, today)),
                ]
            )
        lines += _md_table(["Account", "Tier", "Owner", "Revenue", "Health", "Next review"], rows)
        lines.append("")
    for p in plans:
        lines += _md_account(p, today, thresholds)
    return "\n".join(lines).rstrip("\n") + "\n"


def _health_words(h: Health | None) -> str:
    if h is None or h.score is None:
        return ""
    return f"{h.score}/100" + (f" {h.trend}" if h.trend else "")


def _md_account(p: AccountPlan, today: dt.date, thresholds: Thresholds) -> list[str]:
    a = p.account
    out = [f"## {md_text(a.name)}", ""]
    facts = [_TIER_WORDS[a.tier]]
    if a.industry:
        facts.append(md_text(a.industry))
    facts.append(f"owner {md_text(a.owner)}" if a.owner else "no owner")
    if a.sponsor:
        facts.append(f"executive sponsor {md_text(a.sponsor)}")
    facts.append(f"revenue {money(a.revenue)}")
    if a.cost_to_serve:
        facts.append(f"cost to serve {money(a.cost_to_serve)}")
    facts.append(f"growth potential {a.growth_potential.value}")
    health = _health_words(p.health)
    if health:
        facts.append(f"health {health}")
    out += ["**" + " · ".join(facts) + "**", ""]
    if a.team:
        team = ", ".join(md_text(m.member) + (f" ({md_text(m.role)})" if m.role else "") for m in a.team)
        out += [f"Account team: {team}.", ""]
    if a.crm_id:
        out += [f"CRM id: {md_text(a.crm_id)}.", ""]
    if a.notes:
        out += [_md_para(a.notes), ""]

    # 1. Relationships
    out += ["### 1. Relationships", ""]
    if p.stakeholders:
        rows = []
        for s in p.stakeholders:
            name = md_text(s.name) + (" (has left)" if s.left else "")
            rows.append(
                [
                    name,
                    md_text(s.title),
                    s.role.label,
                    s.influence.value,
                    _attitude(s.friendliness),
                    s.coverage.label,
                    _d(s.last_contact),
                    md_text(s.owner),
                ]
            )
        out += _md_table(["Name", "Title", "Role", "Influence", "Attitude", "Coverage", "Last contact", "Owner"], rows)
        out.append("")
        status = relationship_status(p.stakeholders)
        out += [f"Relationship map status: **{status}**.", ""]
        cov = coverage(p.stakeholders, today, thresholds.risk)
        out += [f"Buying roles ({coverage_summary(cov)}):", ""]
        out += [f"- {c.role.label}: **{c.state.value}** ({md_text(c.why())})" for c in cov]
        out.append("")
        risks = stakeholder_risks(p.stakeholders, today, thresholds)
        if risks:
            out.append("Relationship warnings:")
            out.append("")
            out += [f"- {'Serious' if r.severity >= 2 else 'Watch'}: {md_text(r.message)}" for r in risks]
        else:
            out.append("No relationship warnings.")
        out += _md_attitude_history(p.stakeholders)
    else:
        out.append("No stakeholders are mapped yet.")
    out.append("")

    # 2. The client's business
    b = a.business
    out += ["### 2. The client's business", ""]
    out += _md_list("Goals", [_md_item(x, today) for x in b.goals])
    if b.financial_health:
        health_text = f"{md_text(b.financial_health)} ({_updated(b.financial_health_updated, today)})"
    else:
        health_text = "not recorded"
    out += [f"**Financial health:** {health_text}", ""]
    out += _md_list("Current initiatives", [_md_item(x, today) for x in b.initiatives])
    swot = [(k, b.swot.get(k, [])) for k in SWOT_KEYS]
    if any(items for _, items in swot):
        out += ["**SWOT**", ""]
        for key, items in swot:
            shown = "; ".join(_md_item(x, today) for x in items) if items else "none recorded"
            out.append(f"- {key.capitalize()}: {shown}")
        out.append("")
    else:
        out += ["**SWOT:** not recorded", ""]

    # 3. Objectives
    out += ["### 3. Objectives", ""]
    out += [
        f"Current value: revenue {money(a.revenue)} a year"
        + (f", cost to serve {money(a.cost_to_serve)}" if a.cost_to_serve else "")
        + f"; growth potential {a.growth_potential.value}.",
        "",
    ]
    titles = {o.id: o.title for o in p.objectives if o.id is not None}
    out += _md_opportunities(p.opportunities, a.revenue, titles, today)
    out += _md_kpis(p.kpis)
    people = {s.id: s.name for s in p.stakeholders if s.id is not None}
    by_objective: dict[int, list[Action]] = {}
    for act in p.actions:
        by_objective.setdefault(act.objective_id, []).append(act)
    if not p.objectives:
        out += ["No objectives are set yet.", ""]
    for horizon in Horizon:
        group = [o for o in p.objectives if o.horizon is horizon]
        if not group:
            continue
        out += [f"#### {_HORIZON_WORDS[horizon]}", ""]
        rows = [
            [
                md_text(o.title),
                md_text(o.owner) or "-",
                _d(o.due),
                o.status.value.replace("_", " "),
                _progress(by_objective.get(o.id or 0, [])),
                _concerns(o.stakeholders, people) or "-",
            ]
            for o in group
        ]
        out += [*_md_table(["Objective", "Owner", "Due", "Status", "Progress", "Concerns"], rows), ""]

    # 4. Strategy and actions
    out += ["### 4. Strategy and actions", ""]
    known = {o.id for o in p.objectives}
    if not p.actions:
        out += ["No actions are planned yet.", ""]
    for o in p.objectives:
        acts = by_objective.get(o.id or 0, [])
        out += [f"**{md_text(o.title)}** ({_HORIZON_WORDS[o.horizon].lower()})", ""]
        out += [*(_md_action(act, today, people) for act in acts), ""] if acts else ["- no actions yet", ""]
    orphans = [act for act in p.actions if act.objective_id not in known]
    if orphans:
        out += ["**Other actions**", "", *(_md_action(act, today, people) for act in orphans), ""]

    # Reviews
    out += ["### Reviews", ""]
    due = next_due(a, today)
    if a.cadence:
        try:
            words = describe(a.cadence)
        except ValidationError:
            words = "not understood"
        cadence = f"Review cadence: {md_text(a.cadence)} ({md_text(words)})."
    else:
        cadence = "No review cadence."
    last = f"last review {a.last_review.isoformat()}" if a.last_review else "never reviewed"
    nxt = f"; next review due {due.isoformat()} ({in_words(due, today)})" if due else ""
    out += [f"{cadence} {last.capitalize()}{nxt}.", ""]
    if p.reviews:
        rows = [
            [
                r.date.isoformat(),
                md_text(r.reviewer) or "-",
                str(r.engagement),
                str(r.loyalty),
                str(r.satisfaction),
                str(r.health),
                md_text(r.notes),
            ]
            for r in list(reversed(p.reviews))[:5]
        ]
        out += [
            "Latest reviews (scores 1-5):",
            "",
            *_md_table(["Date", "Reviewer", "Engagement", "Loyalty", "Satisfaction", "Health", "Notes"], rows),
            "",
        ]
    return out


def _md_list(title: str, items: Sequence[str]) -> list[str]:
    if not items:
        return [f"**{title}:** none recorded", ""]
    return [f"**{title}**", "", *(f"- {md_text(x)}" for x in items), ""]


def _md_action(act: Action, today: dt.date, people: dict[int, str]) -> str:
    bits = [f"owner {md_text(act.owner)}" if act.owner else "no owner"]
    concerns = _concerns(act.stakeholders, people)
    if concerns:
        bits.append(f"concerns {concerns}")
    if act.due:
        bits.append(f"due {act.due.isoformat()}")
    if act.done:
        bits.append(f"done {act.done_at.isoformat()}" if act.done_at else "done")
    elif act.is_overdue(today):
        bits.append(f"overdue by {(today - act.due).days} days" if act.due else "overdue")
    return f"- [{'x' if act.done else ' '}] {md_text(act.text)} ({', '.join(bits)})"


def _updated(day: dt.date | None, today: dt.date) -> str:
    if day is None:
        return "date unknown"
    return f"updated {day.isoformat()}" + (", stale" if BusinessItem("", day).is_stale(today) else "")


def _md_item(item: BusinessItem, today: dt.date) -> str:
    """A goal, initiative or SWOT entry with the day it was last written (stale marked)."""
    return f"{md_text(item.text)} ({_updated(item.updated, today)})"


def _concerns(ids: Sequence[int], people: dict[int, str]) -> str:
    """The stakeholders an objective or action concerns, by name (an id no longer mapped as such)."""
    return ", ".join(md_text(people[i]) if i in people else f"stakeholder {i}" for i in ids)


def _pct(o: Opportunity) -> str:
    return f"{o.chance}%" + ("" if o.probability is None or not o.is_open else " (set)")


def _md_opportunities(
    opps: Sequence[Opportunity], revenue: float, objectives: dict[int, str], today: dt.date
) -> list[str]:
    if not opps:
        return ["No opportunities are recorded.", ""]
    pipe = Pipeline.of(list(opps), today)
    out = [
        f"Opportunities: {pipe.open_count} open worth {money(pipe.open_value)} (weighted {money(pipe.weighted)}); "
        f"won {money(pipe.won_12m)} and lost {money(pipe.lost_12m)} in the last 12 months. "
        f"Projected value (revenue + weighted pipeline): {money(projected_value(revenue, list(opps)))}.",
        "",
    ]
    rows = [
        [
            md_text(o.title),
            o.stage.value,
            _pct(o),
            money(o.value),
            money(o.weighted) if o.is_open else "-",
            _d(o.close_date),
            md_text(o.owner) or "-",
            md_text(objectives.get(o.objective_id, f"objective {o.objective_id}"))
            if o.objective_id is not None
            else "-",
            md_text(o.reason) or "-",
        ]
        for o in opps
    ]
    header = ["Opportunity", "Stage", "Probability", "Value", "Weighted", "Close date", "Owner", "Objective", "Reason"]
    return [*out, *_md_table(header, rows), ""]


def kpi_status(k: Kpi) -> str:
    return {True: "on track", False: "off track", None: "no reading"}[k.on_track]


def _md_kpis(kpis: Sequence[Kpi]) -> list[str]:
    if not kpis:
        return ["No KPIs are set.", ""]

    def amount(value: float | None, unit: str) -> str:
        return "-" if value is None else f"{value:g}" + (f" {md_text(unit)}" if unit else "")

    rows = [
        [
            md_text(k.name),
            md_text(k.period) or "-",
            amount(k.target, k.unit),
            amount(k.actual, k.unit),
            "higher is better" if k.direction is Direction.HIGHER else "lower is better",
            kpi_status(k),
            _d(k.updated),
        ]
        for k in kpis
    ]
    off = sum(1 for k in kpis if k.on_track is False)
    return [
        f"KPIs: {len(kpis)}, {off} off track.",
        "",
        *_md_table(["KPI", "Period", "Target", "Actual", "Direction", "Status", "Updated"], rows),
        "",
    ]


def _md_attitude_history(stakeholders: Sequence[Stakeholder]) -> list[str]:
    """Every recorded attitude change, with who recorded it and why."""
    lines = []
    for s in stakeholders:
        for h in sorted(s.friendliness_history, key=lambda h: h.date):
            by = f" by {md_text(h.by)}" if h.by else ""
            why = f": {md_text(h.reason)}" if h.reason else ""
            lines.append(f"- {md_text(s.name)}: {_attitude(h.value)} on {h.date.isoformat()}{by}{why}")
    return ["", "Attitude changes:", "", *lines] if lines else []
