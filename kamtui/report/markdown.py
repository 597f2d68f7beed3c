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
from kamtui.domain import formats, labels
from kamtui.domain.business import PART_TITLES, SWOT_KEYS, BusinessItem
from kamtui.domain.cadence import describe, in_words
from kamtui.domain.coverage import coverage, coverage_summary
from kamtui.domain.deals import Direction, Kpi, Opportunity
from kamtui.domain.errors import ValidationError
from kamtui.domain.health import Health
from kamtui.domain.model import Action, Horizon, Stakeholder, Tier
from kamtui.domain.pipeline import Pipeline, projected_value
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, stakeholder_risks, status_label
from kamtui.domain.text import clean, money
from kamtui.i18n import N_, _, ngettext, pgettext
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
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _cell in header) + "|"]
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return out


def _day(day: dt.date) -> str:
    """A date in the reader's language (ISO in English: kamtui.domain.formats)."""
    return formats.date(day)


def _d(day: dt.date | None) -> str:
    return _day(day) if day else "-"


_TIER_WORDS = {
    Tier.KEY: N_("Key account"),
    Tier.CANDIDATE: N_("Candidate key account"),
    Tier.REGULAR: N_("Regular account"),
}
_HORIZON_WORDS = {Horizon.SHORT: N_("Short term"), Horizon.MEDIUM: N_("Medium term"), Horizon.LONG: N_("Long term")}


def _growth(level: str) -> str:
    """A growth potential (low, medium, high): words of its own, as a potential is spoken of
    ("potencial medio") unlike an influence ("influencia media")."""
    if level == "low":
        return pgettext("growth potential", "low")
    if level == "medium":
        return pgettext("growth potential", "medium")
    if level == "high":
        return pgettext("growth potential", "high")
    return labels.level(level)


def _attitude(value: int) -> str:
    return f"{labels.friendliness(value)} ({value:+d})" if value else f"{labels.friendliness(0)} (0)"


def _progress(actions: Sequence[Action]) -> str:
    if not actions:
        return _("no actions yet")
    done, n = sum(1 for a in actions if a.done), len(actions)
    told = ngettext("{done} of {n} action done ({percent}%)", "{done} of {n} actions done ({percent}%)", n)
    return told.format(done=done, n=n, percent=round(100 * done / n))


def render_markdown(
    plans: Sequence[AccountPlan], today: dt.date, *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> str:
    """The account plans in their four parts, for a reader who never saw kamtui."""
    one = len(plans) == 1
    lines = ["# " + (_("Account plan") if one else _("Account plans")), ""]
    told = ngettext(
        "Exported from kamtui {version} on {date}: {n} account. Each plan has four parts: relationships, "
        "the client's business, objectives, and the strategy (actions) for each objective.",
        "Exported from kamtui {version} on {date}: {n} accounts. Each plan has four parts: relationships, "
        "the client's business, objectives, and the strategy (actions) for each objective.",
        len(plans),
    )
    lines.append(told.format(version=__version__, date=_day(today), n=len(plans)))
    lines.append("")
    if not plans:
        lines.append(_("There are no accounts."))
        return "\n".join(lines) + "\n"
    if not one:
        rows = []
        for p in plans:
            a = p.account
            rows.append(
                [
                    md_text(a.name),
                    labels.tier(a.tier.value),
                    md_text(a.owner) or "-",
                    money(a.revenue, a.currency),
                    _health_words(p.health) or "-",
                    _d(next_due(a, today)),
                ]
            )
        header = [_("Account"), _("Tier"), _("Owner"), _("Revenue"), _("Health"), _("Next review")]
        lines += _md_table(header, rows)
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
    facts = [_(_TIER_WORDS[a.tier])]
    if a.industry:
        facts.append(md_text(a.industry))
    facts.append(_("owner {name}").format(name=md_text(a.owner)) if a.owner else _("no owner"))
    if a.sponsor:
        facts.append(_("executive sponsor {name}").format(name=md_text(a.sponsor)))
    facts.append(_("revenue {amount}").format(amount=money(a.revenue, a.currency)))
    if a.cost_to_serve:
        facts.append(_("cost to serve {amount}").format(amount=money(a.cost_to_serve, a.currency)))
    facts.append(_("growth potential {level}").format(level=_growth(a.growth_potential.value)))
    health = _health_words(p.health)
    if health:
        facts.append(_("health {score}").format(score=health))
    out += ["**" + " · ".join(facts) + "**", ""]
    if a.team:
        team = ", ".join(md_text(m.member) + (f" ({md_text(m.role)})" if m.role else "") for m in a.team)
        out += [_("Account team: {team}.").format(team=team), ""]
    if a.crm_id:
        out += [_("CRM id: {id}.").format(id=md_text(a.crm_id)), ""]
    if a.notes:
        out += [_md_para(a.notes), ""]

    # 1. Relationships
    out += ["### " + _("1. Relationships"), ""]
    if p.stakeholders:
        rows = []
        for s in p.stakeholders:
            name = _("{name} (has left)").format(name=md_text(s.name)) if s.left else md_text(s.name)
            rows.append(
                [
                    name,
                    md_text(s.title),
                    s.role.label,
                    labels.level(s.influence.value),
                    _attitude(s.friendliness),
                    s.coverage.label,
                    _d(s.last_contact),
                    md_text(s.owner),
                ]
            )
        header = [
            _("Name"),
            _("Title"),
            _("Role"),
            _("Influence"),
            _("Attitude"),
            _("Coverage"),
            _("Last contact"),
            _("Owner"),
        ]
        out += _md_table(header, rows)
        out.append("")
        status = status_label(relationship_status(p.stakeholders))
        out += [_("Relationship map status: **{status}**.").format(status=status), ""]
        cov = coverage(p.stakeholders, today, thresholds.risk)
        out += [_("Buying roles ({summary}):").format(summary=coverage_summary(cov)), ""]
        out += [f"- {c.role.label}: **{labels.cover(c.state.value)}** ({md_text(c.why())})" for c in cov]
        out.append("")
        risks = stakeholder_risks(p.stakeholders, today, thresholds)
        if risks:
            out.append(_("Relationship warnings:"))
            out.append("")
            out += [f"- {_('Serious') if r.severity >= 2 else _('Watch')}: {md_text(r.message)}" for r in risks]
        else:
            out.append(_("No relationship warnings."))
        out += _md_attitude_history(p.stakeholders)
    else:
        out.append(_("No stakeholders are mapped yet."))
    out.append("")

    # 2. The client's business
    b = a.business
    out += ["### " + _("2. The client's business"), ""]
    out += _md_list(_(PART_TITLES["goals"]), [_md_item(x, today) for x in b.goals])
    if b.financial_health:
        health_text = f"{md_text(b.financial_health)} ({_updated(b.financial_health_updated, today)})"
    else:
        health_text = _("not recorded")
    out += [f"**{_('Financial health')}:** {health_text}", ""]
    out += _md_list(_(PART_TITLES["initiatives"]), [_md_item(x, today) for x in b.initiatives])
    swot = [(k, b.swot.get(k, [])) for k in SWOT_KEYS]
    if any(items for _key, items in swot):
        out += [f"**{_('SWOT')}**", ""]
        for key, items in swot:
            shown = "; ".join(_md_item(x, today) for x in items) if items else _("none recorded")
            out.append(f"- {_(PART_TITLES[key])}: {shown}")
        out.append("")
    else:
        out += [f"**{_('SWOT')}:** {_('not recorded')}", ""]

    # 3. Objectives
    out += ["### " + _("3. Objectives"), ""]
    growth = _growth(a.growth_potential.value)
    if a.cost_to_serve:
        value = _("Current value: revenue {revenue} a year, cost to serve {cost}; growth potential {growth}.").format(
            revenue=money(a.revenue, a.currency), cost=money(a.cost_to_serve, a.currency), growth=growth
        )
    else:
        value = _("Current value: revenue {revenue} a year; growth potential {growth}.").format(
            revenue=money(a.revenue, a.currency), growth=growth
        )
    out += [value, ""]
    titles = {o.id: o.title for o in p.objectives if o.id is not None}
    out += _md_opportunities(p.opportunities, a.revenue, titles, today, a.currency)
    out += _md_kpis(p.kpis)
    people = {s.id: s.name for s in p.stakeholders if s.id is not None}
    by_objective: dict[int, list[Action]] = {}
    for act in p.actions:
        by_objective.setdefault(act.objective_id, []).append(act)
    if not p.objectives:
        out += [_("No objectives are set yet."), ""]
    for horizon in Horizon:
        group = [o for o in p.objectives if o.horizon is horizon]
        if not group:
            continue
        out += [f"#### {_(_HORIZON_WORDS[horizon])}", ""]
        rows = [
            [
                md_text(o.title),
                md_text(o.owner) or "-",
                _d(o.due),
                labels.objective_status(o.status.value),
                _progress(by_objective.get(o.id or 0, [])),
                _concerns(o.stakeholders, people) or "-",
            ]
            for o in group
        ]
        header = [_("Objective"), _("Owner"), pgettext("plan column", "Due"), _("Status"), _("Progress"), _("Concerns")]
        out += [*_md_table(header, rows), ""]

    # 4. Strategy and actions
    out += ["### " + _("4. Strategy and actions"), ""]
    known = {o.id for o in p.objectives}
    if not p.actions:
        out += [_("No actions are planned yet."), ""]
    for o in p.objectives:
        acts = by_objective.get(o.id or 0, [])
        out += [f"**{md_text(o.title)}** ({_(_HORIZON_WORDS[o.horizon]).lower()})", ""]
        out += [*(_md_action(act, today, people) for act in acts), ""] if acts else ["- " + _("no actions yet"), ""]
    orphans = [act for act in p.actions if act.objective_id not in known]
    if orphans:
        out += [f"**{_('Other actions')}**", "", *(_md_action(act, today, people) for act in orphans), ""]

    # Reviews
    out += ["### " + _("Reviews"), ""]
    out += [_reviews_sentence(a.cadence, a.last_review, next_due(a, today), today), ""]
    if p.reviews:
        rows = [
            [
                _day(r.date),
                md_text(r.reviewer) or "-",
                str(r.engagement),
                str(r.loyalty),
                str(r.satisfaction),
                str(r.health),
                md_text(r.notes),
            ]
            for r in list(reversed(p.reviews))[:5]
        ]
        header = [
            _("Date"),
            _("Reviewer"),
            _("Engagement"),
            _("Loyalty"),
            _("Satisfaction"),
            _("Health"),
            _("Notes"),
        ]
        out += [_("Latest reviews (scores 1-5):"), "", *_md_table(header, rows), ""]
    return out


def _reviews_sentence(cadence_text: str, last: dt.date | None, due: dt.date | None, today: dt.date) -> str:
    """The account's cadence, its last review and the next one due, in a sentence or two."""
    if cadence_text:
        try:
            words = describe(cadence_text)
        except ValidationError:
            words = _("not understood")
        cadence = _("Review cadence: {cadence} ({words}).").format(cadence=md_text(cadence_text), words=md_text(words))
    else:
        cadence = _("No review cadence.")
    if last is not None and due is not None:
        told = _("Last review {last}; next review due {due} ({when}).")
    elif last is not None:
        told = _("Last review {last}.")
    elif due is not None:
        told = _("Never reviewed; next review due {due} ({when}).")
    else:
        told = _("Never reviewed.")
    when = in_words(due, today) if due is not None else ""
    return f"{cadence} " + told.format(last=_day(last) if last else "", due=_day(due) if due else "", when=when)


def _md_list(title: str, items: Sequence[str]) -> list[str]:
    if not items:
        return [f"**{title}:** {_('none recorded')}", ""]
    return [f"**{title}**", "", *(f"- {md_text(x)}" for x in items), ""]


def _md_action(act: Action, today: dt.date, people: dict[int, str]) -> str:
    bits = [_("owner {name}").format(name=md_text(act.owner)) if act.owner else _("no owner")]
    concerns = _concerns(act.stakeholders, people)
    if concerns:
        bits.append(_("concerns {names}").format(names=concerns))
    if act.due:
        bits.append(_("due {date}").format(date=_day(act.due)))
    if act.done:
        bits.append(_("done {date}").format(date=_day(act.done_at)) if act.done_at else _("done"))
    elif act.is_overdue(today):
        if act.due:
            late = (today - act.due).days
            bits.append(ngettext("overdue by {n} days", "overdue by {n} days", late).format(n=late))
        else:
            bits.append(_("overdue"))
    return f"- [{'x' if act.done else ' '}] {md_text(act.text)} ({', '.join(bits)})"


def _updated(day: dt.date | None, today: dt.date) -> str:
    if day is None:
        return _("date unknown")
    if BusinessItem("", day).is_stale(today):
        return _("updated {date}, stale").format(date=_day(day))
    return _("updated {date}").format(date=_day(day))


def _md_item(item: BusinessItem, today: dt.date) -> str:
    """A goal, initiative or SWOT entry with the day it was last written (stale marked)."""
    return f"{md_text(item.text)} ({_updated(item.updated, today)})"


def _concerns(ids: Sequence[int], people: dict[int, str]) -> str:
    """The stakeholders an objective or action concerns, by name (an id no longer mapped as such)."""
    return ", ".join(md_text(people[i]) if i in people else _("stakeholder {id}").format(id=i) for i in ids)


def _pct(o: Opportunity) -> str:
    return f"{o.chance}%" if o.probability is None or not o.is_open else _("{percent}% (set)").format(percent=o.chance)


def _md_opportunities(
    opps: Sequence[Opportunity], revenue: float, objectives: dict[int, str], today: dt.date, currency: str = ""
) -> list[str]:
    if not opps:
        return [_("No opportunities are recorded."), ""]
    pipe = Pipeline.of(list(opps), today)
    told = ngettext(
        "Opportunities: {n} open worth {value} (weighted {weighted}); won {won} and lost {lost} in the last "
        "12 months. Projected value (revenue + weighted pipeline): {projected}.",
        "Opportunities: {n} open worth {value} (weighted {weighted}); won {won} and lost {lost} in the last "
        "12 months. Projected value (revenue + weighted pipeline): {projected}.",
        pipe.open_count,
    )
    out = [
        told.format(
            n=pipe.open_count,
            value=money(pipe.open_value, currency),
            weighted=money(pipe.weighted, currency),
            won=money(pipe.won_12m, currency),
            lost=money(pipe.lost_12m, currency),
            projected=money(projected_value(revenue, list(opps)), currency),
        ),
        "",
    ]
    rows = [
        [
            md_text(o.title),
            labels.stage(o.stage.value),
            _pct(o),
            money(o.value, currency),
            money(o.weighted, currency) if o.is_open else "-",
            _d(o.close_date),
            md_text(o.owner) or "-",
            md_text(objectives.get(o.objective_id, _("objective {id}").format(id=o.objective_id)))
            if o.objective_id is not None
            else "-",
            md_text(o.reason) or "-",
        ]
        for o in opps
    ]
    header = [
        _("Opportunity"),
        _("Stage"),
        _("Probability"),
        _("Value"),
        _("Weighted"),
        _("Close date"),
        _("Owner"),
        _("Objective"),
        _("Reason"),
    ]
    return [*out, *_md_table(header, rows), ""]


def kpi_status(k: Kpi) -> str:
    if k.on_track is None:
        return _("no reading")
    return _("on track") if k.on_track else _("off track")


def _md_kpis(kpis: Sequence[Kpi]) -> list[str]:
    if not kpis:
        return [_("No KPIs are set."), ""]

    def amount(value: float | None, unit: str) -> str:
        return "-" if value is None else f"{value:g}" + (f" {md_text(unit)}" if unit else "")

    rows = [
        [
            md_text(k.name),
            md_text(k.period) or "-",
            amount(k.target, k.unit),
            amount(k.actual, k.unit),
            _("higher is better") if k.direction is Direction.HIGHER else _("lower is better"),
            kpi_status(k),
            _d(k.updated),
        ]
        for k in kpis
    ]
    off = sum(1 for k in kpis if k.on_track is False)
    header = [_("KPI"), _("Period"), _("Target"), _("Actual"), _("Direction"), _("Status"), _("Updated")]
    return [
        _("KPIs: {n}, {off} off track.").format(n=len(kpis), off=off),
        "",
        *_md_table(header, rows),
        "",
    ]


def _md_attitude_history(stakeholders: Sequence[Stakeholder]) -> list[str]:
    """Every recorded attitude change, with who recorded it and why."""
    lines = []
    for s in stakeholders:
        for h in sorted(s.friendliness_history, key=lambda h: h.date):
            told = _("{name}: {attitude} on {date} by {person}") if h.by else _("{name}: {attitude} on {date}")
            line = told.format(
                name=md_text(s.name), attitude=_attitude(h.value), date=_day(h.date), person=md_text(h.by)
            )
            why = f": {md_text(h.reason)}" if h.reason else ""
            lines.append(f"- {line}{why}")
    return ["", _("Attitude changes:"), "", *lines] if lines else []
