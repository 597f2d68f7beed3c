"""Exports of the account plans: Markdown, CSV and an iCalendar (RFC 5545) feed.

The renderers are pure functions over :class:`AccountPlan` bundles of domain entities (no
Rich, no Textual, no files); :func:`load_plans` builds the bundles from a portfolio. JSON
export and re-import live in :mod:`kamtui.store.exchange`.

ICS, and why a review series may be split
-----------------------------------------
Each account with a cadence gets a review event whose DTSTART is the next review due and
whose RRULE repeats the cadence, so that the calendar shows what kamtui would ask for if
every review were held on the day it falls due (:meth:`Cadence.occurrences`). Presets step
from the last review by whole months, and a month after 30 September is 30 October but a
month after 30 January is 28 February, after which the series stays on the 28th. No single
RRULE says "the 30th, then the 28th from February on" (BYMONTHDAY=-1 would say the 31st
in March), so such a series is cut where the day of the month changes: the first event
carries RRULE ... ;UNTIL=<last date of its part> and the next one (UID ``...-part2``,
RELATED-TO the first) carries on, every event synchronised with its own DTSTART. A series
no RRULE can follow at all (for example FREQ=MONTHLY;BYMONTHDAY=1,15, whose 15th falls
within half a period of the 1st and so is never due in kamtui) is written as its next
:data:`SCHEDULE_LENGTH` dates (DTSTART plus RDATE). Either way the calendar expands to
exactly kamtui's dates; the split is checked by expanding it before it is written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dateutil.rrule import rrulestr

from kamtui import __version__
from kamtui.domain.cadence import Cadence, describe, in_words, next_review, parse_cadence
from kamtui.domain.errors import ValidationError
from kamtui.domain.health import Health
from kamtui.domain.model import (
    FRIENDLINESS_LABELS,
    SWOT_KEYS,
    Account,
    Action,
    Horizon,
    Objective,
    Opportunity,
    Review,
    Stage,
    Stakeholder,
    Tier,
)
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, stakeholder_risks
from kamtui.domain.spreadsheet import csv_text
from kamtui.domain.text import clean, money

if TYPE_CHECKING:
    from kamtui.store.portfolio import Portfolio

FORMATS = ("json", "csv", "md", "ics")
CSV_TABLES = ("accounts", "stakeholders", "actions")
# How many review dates an exported series is checked against (and listed, if no RRULE fits).
SCHEDULE_LENGTH = 36
_MAX_PARTS = 4


@dataclass(frozen=True, slots=True)
class AccountPlan:
    """One account and everything its plan shows. ``reviews`` oldest first."""

    account: Account
    stakeholders: Sequence[Stakeholder] = ()
    objectives: Sequence[Objective] = ()
    actions: Sequence[Action] = ()
    reviews: Sequence[Review] = ()
    opportunities: Sequence[Opportunity] = ()
    health: Health | None = None

    @property
    def id(self) -> int:
        return self.account.id or 0


def load_plans(
    portfolio: Portfolio,
    today: dt.date,
    account_id: int | None = None,
    *,
    with_health: bool = True,
) -> list[AccountPlan]:
    """The plans of every account (or one), by name.

    Raises ValidationError or TypeError for a document the domain refuses (`kamtui check`).
    """
    from kamtui.store.portfolio import account_health

    if account_id is None:
        accounts = list(portfolio.accounts())
    else:
        one = portfolio.account(account_id)
        accounts = [] if one is None else [one]
    accounts.sort(key=lambda a: (a.name.casefold(), a.id or 0))
    plans = []
    for a in accounts:
        assert a.id is not None
        plans.append(
            AccountPlan(
                account=a,
                stakeholders=portfolio.stakeholders(a.id),
                objectives=portfolio.objectives(a.id),
                actions=portfolio.actions(a.id),
                reviews=portfolio.reviews(a.id),
                opportunities=portfolio.opportunities(a.id),
                health=account_health(portfolio, a.id, today) if with_health else None,
            )
        )
    return plans


# ------------------------------------------------------------------------ choosing one


def select_account(accounts: Iterable[Account], query: str) -> Account:
    """The account named ``query`` exactly, else the one whose name starts with it (any case).

    Raises LookupError with a one-line message naming the candidates when none or several fit.
    """
    pool = list(accounts)
    exact = [a for a in pool if a.name == query]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise LookupError(f"{len(exact)} accounts are named {_quote(query)}: {_names(exact, with_id=True)}")
    want = query.casefold()
    matches = [a for a in pool if a.name.casefold() == want] or [a for a in pool if a.name.casefold().startswith(want)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(f"{_quote(query)} fits {len(matches)} accounts: {_names(matches)}; give more of the name")
    close = difflib.get_close_matches(query, [a.name for a in pool], n=5, cutoff=0.6)
    hint = f"; did you mean {', '.join(_quote(n) for n in close)}?" if close else ""
    raise LookupError(f"no account named {_quote(query)}{hint}")


def _quote(name: str) -> str:
    return f"'{clean(name)[:60]}'"


def _names(accounts: Sequence[Account], *, with_id: bool = False, limit: int = 8) -> str:
    shown = sorted(accounts, key=lambda a: (a.name.casefold(), a.id or 0))[:limit]
    parts = [_quote(a.name) + (f" (id {a.id})" if with_id else "") for a in shown]
    more = f" and {len(accounts) - limit} more" if len(accounts) > limit else ""
    return ", ".join(parts) + more


# ---------------------------------------------------------------------------- Markdown

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


def _next_due(account: Account, today: dt.date) -> dt.date | None:
    try:
        return next_review(account.cadence, account.last_review, today)
    except ValidationError:
        return None


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
                    _d(_next_due(a, today)),
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
    out += _md_list("Goals", b.goals)
    out += [f"**Financial health:** {md_text(b.financial_health) if b.financial_health else 'not recorded'}", ""]
    out += _md_list("Current initiatives", b.initiatives)
    swot = [(k, b.swot.get(k, [])) for k in SWOT_KEYS]
    if any(items for _, items in swot):
        out += ["**SWOT**", ""]
        for key, items in swot:
            shown = "; ".join(md_text(x) for x in items) if items else "none recorded"
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
        out.append(
            f"Opportunities: {money(totals[Stage.OPEN])} open, {money(totals[Stage.WON])} won, "
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
    due = _next_due(a, today)
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


# --------------------------------------------------------------------------------- CSV

ACCOUNT_COLUMNS = (
    "id", "name", "tier", "industry", "owner", "sponsor", "team", "revenue", "cost_to_serve",
    "growth_potential", "health", "cadence", "last_review", "next_review", "crm_id", "notes",
)  # fmt: skip
STAKEHOLDER_COLUMNS = (
    "id", "account_id", "account", "name", "title", "role", "influence", "friendliness", "attitude",
    "coverage", "last_contact", "contact_every_days", "owner", "left", "notes",
)  # fmt: skip
ACTION_COLUMNS = (
    "id", "account_id", "account", "objective_id", "objective", "horizon", "text", "owner", "due",
    "done", "done_at", "done_by",
)  # fmt: skip


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
    """Three linked tables (accounts, stakeholders, actions) as CSV text, keyed by table name."""
    accounts, stakeholders, actions = [], [], []
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
                _next_due(a, today),
                a.crm_id,
                a.notes,
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
    return {
        "accounts": _csv(ACCOUNT_COLUMNS, accounts),
        "stakeholders": _csv(STAKEHOLDER_COLUMNS, stakeholders),
        "actions": _csv(ACTION_COLUMNS, actions),
    }


def csv_paths(target: Path) -> dict[str, Path]:
    """Where ``-o FILE`` puts the three tables: FILE, and FILE's stem + -stakeholders.csv / -actions.csv."""
    stem = target.name[:-4] if target.name.lower().endswith(".csv") else target.name
    return {
        "accounts": target,
        "stakeholders": target.with_name(f"{stem}-stakeholders.csv"),
        "actions": target.with_name(f"{stem}-actions.csv"),
    }


# ------------------------------------------------------------------------- iCalendar


@dataclass(frozen=True, slots=True)
class SeriesPart:
    """One VEVENT of a review series: DTSTART, an RRULE body (or None) and extra RDATEs."""

    start: dt.date
    rule: str | None
    rdates: tuple[dt.date, ...] = ()


def _expand(rule: str, start: dt.date, count: int) -> list[dt.date]:
    r = rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time()))
    return [x.date() for x in itertools.islice(r, count)]


def _with_until(rule: str, until: dt.date) -> str:
    parts = [p for p in rule.split(";") if not p.startswith("UNTIL=")]
    return ";".join([*parts, f"UNTIL={until.strftime('%Y%m%d')}"])


def review_series(cadence: Cadence, first: dt.date, length: int = SCHEDULE_LENGTH) -> list[SeriesPart]:
    """The VEVENT parts that expand to ``first`` and the reviews after it as kamtui chains them.

    One part with the cadence's RRULE when that rule, started on ``first``, gives kamtui's
    dates; else the series cut where they part (at most a few parts, each ending in UNTIL but
    the last); else ``first`` plus the next ``length - 1`` dates as RDATEs. See the module doc.
    """
    chain = [first, *cadence.occurrences(first, length - 1)]
    parts: list[SeriesPart] = []
    i = 0
    while i < len(chain) and len(parts) <= _MAX_PARTS:
        rest = chain[i:]
        plain = _expand(cadence.rule, chain[i], len(rest) + 1)
        j = next((k for k, (x, y) in enumerate(zip(plain, rest, strict=False)) if x != y), min(len(plain), len(rest)))
        if j == 0:
            break
        ends_early = len(chain) < length and len(plain) > len(rest)  # kamtui's series stops; the rule does not
        if i + j < len(chain) or ends_early:
            parts.append(SeriesPart(chain[i], _with_until(cadence.rule, chain[i + j - 1])))
        else:
            parts.append(SeriesPart(chain[i], cadence.rule))
        i += j
    if i < len(chain) or len(parts) > _MAX_PARTS:
        return [SeriesPart(first, None, tuple(chain[1:]))]
    return parts


def _ics_escape(value: object, *, one_line: bool = True) -> str:
    s = clean(value, one_line=one_line).strip()  # some readers drop trailing blanks of a line
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """An RFC 5545 content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def _ics_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _alarm(description: str, trigger: str) -> list[str]:
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{description}", f"TRIGGER:{trigger}", "END:VALARM"]


def render_ics(
    plans: Sequence[AccountPlan],
    today: dt.date,
    *,
    stamp: dt.datetime | None = None,
    length: int = SCHEDULE_LENGTH,
) -> str:
    """An RFC 5545 calendar: each account's review series and each open action's due date.

    Review events recur (RRULE) from the next review due; never-reviewed accounts are due
    ``today``. Events are all-day, transparent, with a DISPLAY alarm the day before.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//kamtui//kamtui {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:kamtui reviews and actions",
    ]
    for p in plans:
        lines += _review_events(p, today, dtstamp, length)
        lines += _action_events(p, dtstamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def _review_events(p: AccountPlan, today: dt.date, dtstamp: str, length: int) -> list[str]:
    a = p.account
    if not a.cadence:
        return []
    try:
        cadence = parse_cadence(a.cadence)
    except ValidationError:
        return []
    first = today if a.last_review is None else cadence.next_after(a.last_review)
    if first is None:
        return []
    name = _ics_escape(a.name)
    summary = f"Review: {name}"
    about = [f"Account review of {clean(a.name)}, {describe(a.cadence)} ({clean(a.cadence)})."]
    if a.owner:
        about.append(f"Owner: {clean(a.owner)}.")
    about.append(f"Last review: {a.last_review.isoformat()}." if a.last_review else "Never reviewed yet.")
    description = _ics_escape("\n".join(about), one_line=False)
    uid = f"kamtui-review-{p.id}@kamtui"
    out: list[str] = []
    for n, part in enumerate(review_series(cadence, first, length), start=1):
        out += [
            "BEGIN:VEVENT",
            f"UID:{uid if n == 1 else f'kamtui-review-{p.id}-part{n}@kamtui'}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(part.start)}",
            f"DTEND;VALUE=DATE:{_ics_date(part.start + dt.timedelta(days=1))}",
        ]
        if part.rule:
            out.append(f"RRULE:{part.rule}")
        if part.rdates:
            out.append("RDATE;VALUE=DATE:" + ",".join(_ics_date(d) for d in part.rdates))
        if n > 1:
            out.append(f"RELATED-TO;RELTYPE=SIBLING:{uid}")
        out += [
            f"SUMMARY:{summary}",
            f"DESCRIPTION:{description}",
            "CATEGORIES:kamtui,review",
            "TRANSP:TRANSPARENT",
            *_alarm(f"Account review due tomorrow: {name}", "-P1D"),
            "END:VEVENT",
        ]
    return out


def _action_events(p: AccountPlan, dtstamp: str) -> list[str]:
    a = p.account
    objectives = {o.id: o for o in p.objectives}
    out: list[str] = []
    for act in p.actions:
        if act.done or act.due is None:
            continue
        text = _ics_escape(act.text)
        about = [f"Plan action for {clean(a.name)}."]
        o = objectives.get(act.objective_id)
        if o is not None:
            about.append(f"Objective: {clean(o.title)}.")
        if act.owner:
            about.append(f"Owner: {clean(act.owner)}.")
        out += [
            "BEGIN:VEVENT",
            f"UID:kamtui-action-{act.id}@kamtui",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(act.due)}",
            f"DTEND;VALUE=DATE:{_ics_date(act.due + dt.timedelta(days=1))}",
            f"SUMMARY:Action: {text} ({_ics_escape(a.name)})",
            f"DESCRIPTION:{_ics_escape(chr(10).join(about), one_line=False)}",
            "CATEGORIES:kamtui,action",
            "TRANSP:TRANSPARENT",
            *_alarm(f"Action due tomorrow: {text}", "-P1D"),
            "END:VEVENT",
        ]
    return out


# ------------------------------------------------------------------------------ files


def write_new_files(contents: Mapping[Path, str], *, force: bool = False, newline: str | None = None) -> None:
    """Write the files atomically (temp files beside them, then renames), refusing to replace
    any unless ``force``.

    Files are created readable by their owner only (0600), like the database they come from.

    Every target is checked before anything is written. Raises FileExistsError naming the
    first file that exists, IsADirectoryError for a directory. Every file is written and
    synced before the first is renamed into place, so a full disk or a missing folder leaves
    none of them; the OSError then names the file (never the temp file beside it).
    """
    for path in contents:
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a directory; give a file name")
        if not force and (path.exists() or path.is_symlink()):
            raise FileExistsError(f"{path} exists; pass --force to replace it")
    temps: dict[Path, str] = {}
    try:
        for path, text in contents.items():
            temps[path] = _write_temp(path, text, newline)
        for path, tmp in list(temps.items()):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _naming(exc, path) from None
            del temps[path]
    finally:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _write_temp(path: Path, text: str, newline: str | None) -> str:
    """A synced temp file beside ``path`` holding ``text``; OSError names ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from None
        raise
    return tmp


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` about ``path``: a full disk or a missing folder says which file it could not write."""
    if exc.errno is None:
        return exc
    return OSError(exc.errno, exc.strerror, str(path))  # the subclass follows errno (FileNotFoundError, ...)
