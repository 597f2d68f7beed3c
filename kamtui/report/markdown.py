"""The account plans as Markdown, for managers who never saw kamtui.

Every plan in its four parts (relationships, the client's business, objectives, strategy and
actions) plus its latest reviews. User text is escaped so that it renders as itself: no
markup, no HTML, no control characters (:func:`md_text`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from kamtui import __version__
from kamtui.domain.business import SWOT_KEYS
from kamtui.domain.cadence import describe, in_words
from kamtui.domain.deals import Stage
from kamtui.domain.errors import ValidationError
from kamtui.domain.health import Health
from kamtui.domain.model import FRIENDLINESS_LABELS, Action, Horizon, Tier
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, stakeholder_risks
from kamtui.domain.text import clean, money
from kamtui.report.plans import AccountPlan, next_due

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_BLOCK_START = re.compile(r"[+\-=!]")
_MD_ORDERED = re.compile(r"(\d+)([.)])")


def md_text(value: object) -> str:
    """User text as one line of Markdown that renders as itself (no markup, no HTML, no controls)."""
    s = " ".join(clean(value).split())
    s = _MD_ENTITY.sub("\\\\&", _MD_INLINE.sub(r"\\\1", s))
    if _MD_BLOCK_START.match(s):
        s = "\\" + s  # a list item, setext underline or image at the start of a line
    m = _MD_ORDERED.match(s)
    if m:
        s = f"{m.group(1)}\\{m.group(2)}{s[m.end() :]}"  # "1. " would start a numbered list
    return s


def _md_para(value: str) -> str:
    """Multi-line user text (notes) as Markdown lines joined by hard breaks."""
    lines = [md_text(line) for line in clean(value, one_line=False).split("\n")]
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
        risks = stakeholder_risks(p.stakeholders, today, thresholds)
        if risks:
            out.append("Relationship warnings:")
            out.append("")
            out += [f"- {'Serious' if r.severity >= 2 else 'Watch'}: {md_text(r.message)}" for r in risks]
        else:
            out.append("No relationship warnings.")
    else:
        out.append("No stakeholders are mapped yet.")
    out.append("")

    # 2. The client's business
    b = a.business
    out += ["### 2. The client's business", ""]
    out += _md_list("Goals", [x.text for x in b.goals])
    out += [f"**Financial health:** {md_text(b.financial_health) if b.financial_health else 'not recorded'}", ""]
    out += _md_list("Current initiatives", [x.text for x in b.initiatives])
    swot = [(k, b.swot.get(k, [])) for k in SWOT_KEYS]
    if any(items for _, items in swot):
        out += ["**SWOT**", ""]
        for key, items in swot:
            shown = "; ".join(md_text(x.text) for x in items) if items else "none recorded"
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
    if p.opportunities:
        totals = {st: sum(o.value for o in p.opportunities if o.stage is st) for st in Stage}
        open_value = sum(o.value for o in p.opportunities if o.is_open)
        out.append(
            f"Opportunities: {money(open_value)} open, {money(totals[Stage.WON])} won, "
            f"{money(totals[Stage.LOST])} lost."
        )
        out.append("")
        rows = [[md_text(o.title), o.stage.value, money(o.value), _d(o.close_date)] for o in p.opportunities]
        out += [*_md_table(["Opportunity", "Stage", "Value", "Close date"], rows), ""]
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
            ]
            for o in group
        ]
        out += [*_md_table(["Objective", "Owner", "Due", "Status", "Progress"], rows), ""]

    # 4. Strategy and actions
    out += ["### 4. Strategy and actions", ""]
    known = {o.id for o in p.objectives}
    if not p.actions:
        out += ["No actions are planned yet.", ""]
    for o in p.objectives:
        acts = by_objective.get(o.id or 0, [])
        out += [f"**{md_text(o.title)}** ({_HORIZON_WORDS[o.horizon].lower()})", ""]
        out += [*(_md_action(act, today) for act in acts), ""] if acts else ["- no actions yet", ""]
    orphans = [act for act in p.actions if act.objective_id not in known]
    if orphans:
        out += ["**Other actions**", "", *(_md_action(act, today) for act in orphans), ""]

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


def _md_action(act: Action, today: dt.date) -> str:
    bits = [f"owner {md_text(act.owner)}" if act.owner else "no owner"]
    if act.due:
        bits.append(f"due {act.due.isoformat()}")
    if act.done:
        bits.append(f"done {act.done_at.isoformat()}" if act.done_at else "done")
    elif act.is_overdue(today):
        bits.append(f"overdue by {(today - act.due).days} days" if act.due else "overdue")
    return f"- [{'x' if act.done else ' '}] {md_text(act.text)} ({', '.join(bits)})"
