"""Pure text builders: entities in, ``rich.text.Text`` out, for the panes.

No widget, no app, no store: each function takes what it shows and returns styled text, so
it is tested without an App (tests/test_ui_texts.py). Stored text is cleaned
(:func:`kamtui.domain.text.clean`) and appended as text, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from kamtui.domain.agenda import deferred_words
from kamtui.domain.cadence import describe, in_words, next_review
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import date as full_date
from kamtui.domain.health import DEFAULT_TREND_POINTS, Health, since_review, sparkline, trend
from kamtui.domain.model import (
    FRIENDLINESS_LABELS,
    FRIENDLINESS_SYMBOLS,
    Account,
    Action,
    DecisionRole,
    Horizon,
    Level,
    Objective,
    ObjectiveStatus,
    Review,
    Stakeholder,
)
from kamtui.domain.names import short_names
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, review_risks, stakeholder_risks
from kamtui.domain.text import cell_width, clean, money, truncate
from kamtui.i18n import N_, _, ngettext, pgettext

FRIENDLY_STYLE = {-2: "bold white on red", -1: "red", 0: "yellow", 1: "green", 2: "bold green"}
STATUS_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green", "": "dim"}
# Shown translated (``_(SHORT_ROLES[role])``): marked here, translated where shown (issue 15).
SHORT_ATTITUDE = {-2: N_("host."), -1: N_("unfr."), 0: N_("neut."), 1: N_("frnd."), 2: N_("champ")}
SHORT_LEVEL = {Level.HIGH: N_("high"), Level.MEDIUM: N_("med"), Level.LOW: N_("low")}
SHORT_ROLES = {
    DecisionRole.ECONOMIC_BUYER: N_("econ buyer"),
    DecisionRole.DECISION_MAKER: N_("decider"),
    DecisionRole.TECHNICAL_BUYER: N_("tech buyer"),
    DecisionRole.INFLUENCER: N_("influencer"),
    DecisionRole.CHAMPION: N_("champion"),
    DecisionRole.COACH: N_("coach"),
    DecisionRole.USER: N_("user"),
    DecisionRole.GATEKEEPER: N_("gatekeeper"),
    DecisionRole.BLOCKER: N_("blocker"),
}
HORIZON_TITLES = {Horizon.SHORT: N_("Short term"), Horizon.MEDIUM: N_("Medium term"), Horizon.LONG: N_("Long term")}
NO_ACCOUNT = N_("No account selected")
MAP_STATUS = {"red": N_("RED"), "amber": N_("AMBER"), "green": N_("GREEN")}
TIER_WORDS = {"key": N_("KEY"), "candidate": N_("CANDIDATE"), "regular": N_("REGULAR")}


def level_word(level: Level) -> str:
    """An influence level in words (the matrix's rows, the table's Infl column)."""
    if level is Level.HIGH:
        return pgettext("influence", "high")
    return pgettext("influence", "medium") if level is Level.MEDIUM else pgettext("influence", "low")


def attitude_word(value: int) -> str:
    """A friendliness in words (the domain's label, translated)."""
    return _(FRIENDLINESS_LABELS[value])


def role_word(role: DecisionRole, short: bool = False) -> str:
    """A buying role in words: the domain's label, or (``short``) the table's short name."""
    return _(SHORT_ROLES[role]) if short else _(role.label)


def fill(t: Text, template: str, style: str = "", **parts: tuple[str, str]) -> Text:
    """Append ``template`` (a translated sentence) to ``t`` in ``style``, each ``{name}`` in it
    replaced by ``parts[name]``: (text, its own style). The words stay one sentence for the
    translator, who may reorder them; the values are appended as text, never markup."""
    rest = template
    while rest:
        start = rest.find("{")
        end = rest.find("}", start + 1) if start >= 0 else -1
        name = rest[start + 1 : end] if end > start >= 0 else ""
        if name not in parts:
            if start < 0 or end < 0:
                t.append(rest, style=style)
                return t
            t.append(rest[: end + 1], style=style)
            rest = rest[end + 1 :]
            continue
        if start:
            t.append(rest[:start], style=style)
        value, value_style = parts[name]
        t.append(value, style=value_style)
        rest = rest[end + 1 :]
    return t


def friendliness_text(value: int, compact: bool = False) -> Text:
    if compact:
        return Text(f"{FRIENDLINESS_SYMBOLS[value]:^3}", style=FRIENDLY_STYLE[value])
    return Text(f"{FRIENDLINESS_SYMBOLS[value]:>2} {attitude_word(value)}", style=FRIENDLY_STYLE[value])


# --------------------------------------------------------------------- header
def header_text(
    acc: Account, h: Health, stakeholders: list[Stakeholder], today: dt.date, figures: Text | None = None
) -> Text:
    """Two lines: who the account is, then how it is doing (health against the last review's
    recorded one and what moved since, next review, map status).
    The first ends with the money: ``figures`` (revenue, pipeline, won:
    :func:`kamtui.ui.deal_texts.header_figures`; the sponsor then moves to the second line) or,
    without them, the revenue; who owns the account comes before, so that a narrow header cuts
    figures, not the owner."""
    due = next_review(acc.cadence, acc.last_review, today) if acc.cadence else None
    line1 = Text()
    line1.append(clean(acc.name), style="bold")
    tier = _(TIER_WORDS[acc.tier.value]) if acc.tier.value in TIER_WORDS else acc.tier.value.upper()
    line1.append(f" · {tier}", style="bold cyan" if acc.tier.value == "key" else "")
    line1.append(" · " + _("owner {name}").format(name=clean(acc.owner) or "-"))
    if acc.sponsor and figures is None:
        line1.append(" · " + _("sponsor {name}").format(name=clean(acc.sponsor)))
    if figures is not None:
        line1.append(" · ").append_text(figures)
    else:
        line1.append(f" · {money(acc.revenue, acc.currency)}")
    line2 = Text()
    since = since_review(h, stakeholders, today)
    if h.score is not None:
        style = "bold green" if h.score >= 70 else "bold red" if h.score < 45 else "bold yellow"
        line2.append(_("health") + " ")
        line2.append(f"{h.score} {h.trend}".rstrip(), style=style)
        if since is not None and since.short():  # ``62 ▼ from 70``: against the last review's
            line2.append(f" {since.short()}")
        line2.append(f" {sparkline(h.history, 0, 100)}", style="dim")
    else:
        line2.append(_("health") + " -", style="dim")
    if due is not None:
        late = (today - due).days
        line2.append(" · " + _("review") + " ")
        line2.append(in_words(due, today), style="bold red" if late > 0 else "bold yellow" if late == 0 else "")
    else:
        line2.append(" · " + _("no review cadence"), style="dim")
    status = relationship_status(stakeholders) if stakeholders else ""
    if status:
        line2.append(" · " + _("map") + " ")
        line2.append(_(MAP_STATUS[status]) if status in MAP_STATUS else status.upper(), style=STATUS_STYLE[status])
    moved = since.tail() if since is not None else ""
    if moved:  # what moved since the last review: ``since 3 Nov: plan +15, relationships -8: Rosa ...``
        line2.append(f" · {moved}")
    if acc.sponsor and figures is not None:  # the money takes its place on the first line
        line2.append(" · " + _("sponsor {name}").format(name=clean(acc.sponsor)), style="dim")
    if acc.industry:
        line2.append(f" · {clean(acc.industry)}", style="dim")
    return Text("\n", no_wrap=True).join([line1, line2])


# --------------------------------------------------------------- stakeholders
#: A name's cells in the table: at least (a narrow pane), and at most (the room beside them).
NAME_CELLS = (12, 22)


def stakeholder_columns(width: int) -> list[str]:
    """The table's columns at ``width`` cells: fewer, and shorter words, as it narrows (keys of
    :func:`stakeholder_cells`; :func:`stakeholder_headings` names them in the user's language)."""
    if width >= 88:
        return ["Name", "Title", "Role", "Infl", "Attitude", "Coverage", "Last", "Ours"]
    if width >= 74:
        return ["Name", "Role", "Infl", "Attitude", "Coverage", "Last"]
    return ["Name", "Role", "Infl", "Att", "Last"]


def stakeholder_headings() -> dict[str, str]:
    """The columns' headings (by key), in the user's language: once per table drawn."""
    return {
        "Name": pgettext("stakeholder column", "Name"),
        "Title": pgettext("stakeholder column", "Title"),
        "Role": pgettext("stakeholder column", "Role"),
        "Infl": pgettext("stakeholder column", "Infl"),
        "Attitude": pgettext("stakeholder column", "Attitude"),
        "Att": pgettext("stakeholder column", "Att"),
        "Coverage": pgettext("stakeholder column", "Coverage"),
        "Last": pgettext("stakeholder column", "Last"),
        "Ours": pgettext("stakeholder column", "Ours"),
    }


def stakeholder_name(s: Stakeholder, cells: int) -> Text:
    """The person's name in at most ``cells`` cells (then "(left)" if they left)."""
    name = Text(truncate(clean(s.name), cells), style="strike dim" if s.left else "")
    if s.left:
        name.append(" " + _("(left)"), style="dim")
    return name


def stakeholder_cells(s: Stakeholder, today: dt.date, compact: bool) -> dict[str, Text]:
    """Every column's cell for one person (the table picks the columns it has room for; the
    name at its narrowest: the table widens it into the room the other columns leave)."""
    last = _("never") if s.last_contact is None else f"{(today - s.last_contact).days}d"
    quiet = s.contact_every_days is not None and (
        s.last_contact is None or (today - s.last_contact).days > s.contact_every_days
    )
    return {
        "Name": stakeholder_name(s, NAME_CELLS[0] if compact else NAME_CELLS[1]),
        "Title": Text(truncate(clean(s.title), 18), style="dim"),
        "Role": Text(role_word(s.role, compact)),
        "Infl": Text(
            _(SHORT_LEVEL[s.influence]) if compact else level_word(s.influence),
            style="bold" if s.influence is Level.HIGH else "dim",
        ),
        "Attitude": friendliness_text(s.friendliness),
        "Att": friendliness_text(s.friendliness, compact=True),
        "Coverage": Text(_(s.coverage.label)),
        "Last": Text(last, style="bold red" if quiet else ""),
        "Ours": Text(truncate(clean(s.owner), 8), style="dim"),
    }


def influence_matrix(items: list[Stakeholder], cell_w: int = 10) -> Text:
    """Influence (rows) x friendliness (columns); the hostile high-influence corner stands out."""
    out = Text(no_wrap=True)
    infl = _("infl.")
    out.append(f"{infl:<7}", style="dim")
    labels = {f: attitude_word(f) for f in range(-2, 3)}
    if cell_w < 10 or any(cell_width(w) > cell_w for w in labels.values()):  # all short, or none
        labels = {f: _(SHORT_ATTITUDE[f]) for f in range(-2, 3)}  # (Spanish "desfavorable" is 12)
    for f in range(-2, 3):
        out.append(f"{labels[f]:^{cell_w}}", style=FRIENDLY_STYLE[f])
    shown = [s for s in items if not s.left]
    short = dict(zip(map(id, shown), short_names([clean(s.name) for s in shown]), strict=True))
    for level in (Level.HIGH, Level.MEDIUM, Level.LOW):
        out.append("\n")
        out.append(f"{truncate(level_word(level), 6):<7}", style="bold" if level is Level.HIGH else "dim")
        for f in range(-2, 3):
            names = [short[id(s)] for s in shown if s.influence is level and s.friendliness == f]
            if not names:
                label = "·"
            elif len(names) == 1:
                label = truncate(names[0], cell_w - 1)
            else:
                label = truncate(names[0], cell_w - 3) + f"+{len(names) - 1}"
            style = ""
            if names and level is Level.HIGH and f < 0:
                style = "bold white on red"
            elif names and f > 0:
                style = "green"
            elif names and f < 0:
                style = "red"
            elif not names:
                style = "dim"
            out.append(f"{label:^{cell_w}}", style=style)
    return out


def relationship_warnings(
    items: list[Stakeholder], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Text:
    """The relationship risks in words, the six worst first."""
    risks = stakeholder_risks(items, today, thresholds)
    if not items:
        return Text(_("No stakeholders yet: press a to add one (tab to this pane first)."), style="dim")
    if not risks:
        return Text("✓ " + _("no relationship warnings"), style="green")
    out = Text()
    for i, r in enumerate(risks[:6]):
        if i:
            out.append("\n")
        out.append("▲ " if r.severity >= 2 else "△ ", style="bold red" if r.severity >= 2 else "yellow")
        out.append(clean(r.message), style="red" if r.severity >= 2 else "")
    if len(risks) > 6:
        out.append("\n… " + _("{n} more").format(n=len(risks) - 6), style="dim")
    return out


# ----------------------------------------------------------------------- plan
def horizon_line(horizon: Horizon, count: int) -> Text:
    return Text(f"{_(HORIZON_TITLES[horizon])} ({count})", style="bold underline")


def objective_line(o: Objective, done: int, total: int) -> Text:
    """One line: the objective, its actions done of all, owner, due date and status."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append("◆ ", style="cyan")
    t.append(clean(o.title), style="bold strike" if o.status is ObjectiveStatus.DONE else "bold")
    meta = [f"{done}/{total}"]
    if o.owner:
        meta.append(clean(o.owner))
    if o.due:
        meta.append(_("due {date}").format(date=full_date(o.due)))
    if o.status is not ObjectiveStatus.OPEN:
        meta.append(objective_status_word(o.status))
    t.append("  " + " · ".join(meta), style="red" if o.status is ObjectiveStatus.AT_RISK else "dim")
    return t


def objective_status_word(status: ObjectiveStatus) -> str:
    """An objective's status in words (an objective: masculine in Spanish)."""
    if status is ObjectiveStatus.AT_RISK:
        return pgettext("objective", "at risk")
    if status is ObjectiveStatus.DONE:
        return pgettext("objective", "done")
    if status is ObjectiveStatus.DROPPED:
        return pgettext("objective", "dropped")
    return pgettext("objective", "open")


def action_line(a: Action, today: dt.date) -> Text:
    """One line: the box, when it is due (or who ticked it and when), the text, the owner."""
    late = a.is_overdue(today)
    line = Text("  ", no_wrap=True, overflow="ellipsis")
    line.append("[x] " if a.done else "[ ] ", style="green" if a.done else "bold")
    if not a.done and a.due:
        when = in_words(a.due, today)
        # Never run into the text: "11mo late" (9) keeps a space after it, one cell further
        line.append(f"{when:<8} ", style="bold red" if late else "yellow" if a.due == today else "dim")
    elif not a.done:
        line.append(f"{'-':<8} ", style="dim")
    line.append(clean(a.text), style="dim strike" if a.done else "bold" if late else "")
    if a.done and a.done_at:
        done = _("done {date} by {name}").format(date=full_date(a.done_at), name=clean(a.done_by) or "?")
        line.append(f"  {done}", style="dim")
    elif a.owner:
        line.append(f"  {clean(a.owner)}", style="dim")
    if not a.done and a.deferred:  # put off in the guided review: how often, and why last
        line.append(f"  {deferred_words(a.deferred)}", style="yellow")
        if a.deferred_reason:
            line.append(f" ({clean(a.deferred_reason)})", style="dim")
    return line


def plan_summary(done: int, total: int, overdue: int) -> str:
    out = _("{done}/{total} done").format(done=done, total=total)
    return out + (" · " + ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue) if overdue else "")


# -------------------------------------------------------------------- reviews
def cadence_text(
    acc: Account, reviews: list[Review], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Text:
    """The cadence in words, the last and next review, the review risks and the last note."""
    out = Text()
    try:
        words = describe(acc.cadence)
        due = next_review(acc.cadence, acc.last_review, today) if acc.cadence else None
    except ValidationError as exc:
        words, due = _("invalid cadence: {error}").format(error=exc), None
    # The labels' column: as wide as the longest label (Spanish "Próxima").
    labels = [_("Cadence"), pgettext("review", "Last"), pgettext("review", "Next"), _("Note")]
    pad = max(7, *(cell_width(x) for x in labels)) + 1
    out.append(f"{labels[0]:<{pad}}", style="dim")
    out.append(words, style="bold")
    if acc.cadence and acc.cadence.upper().startswith(("FREQ", "RRULE")):
        out.append("\n" + " " * pad + clean(acc.cadence), style="dim")
    out.append(f"\n{labels[1]:<{pad}}", style="dim")
    out.append(full_date(acc.last_review) if acc.last_review else _("never"))
    if acc.last_review:
        out.append(f" ({(today - acc.last_review).days}d)", style="dim")
    out.append(f"\n{labels[2]:<{pad}}", style="dim")
    if due is None:
        out.append("-" if not acc.cadence else _("cadence ended"))
    else:
        late = (today - due).days
        out.append(full_date(due))
        out.append(
            f"  {in_words(due, today)}", style="bold red" if late > 0 else "bold yellow" if late == 0 else "green"
        )
    for risk in review_risks(acc, reviews, today, thresholds):
        out.append("\n▲ " if risk.severity >= 2 else "\n△ ", style="red" if risk.severity >= 2 else "yellow")
        out.append(clean(risk.message))
    if not reviews:
        out.append("\n" + _("No reviews yet: press r to record one."), style="dim")
    elif reviews[-1].notes:
        out.append(f"\n{labels[3]:<{pad}}", style="dim")
        out.append(clean(reviews[-1].notes), style="italic")
    return out


def review_history(reviews: list[Review], trend_points: float = DEFAULT_TREND_POINTS) -> Text:
    """Sparklines of the last twelve reviews' scores with their trend, and the last four's scores."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if not reviews:
        return out
    last = reviews[-12:]
    for label in ("engagement", "loyalty", "satisfaction", "health"):
        values = [getattr(r, label) for r in last]
        latest, arrow = values[-1], trend(values, 1, 5, trend_points)
        out.append(f"{label:<13}", style="dim")
        out.append(f"{sparkline(values, 1, 5):<12}", style="cyan")
        style = "green" if arrow == "▲" else "red" if arrow == "▼" else ""
        out.append(f" {latest} {arrow}".rstrip() + "\n", style=style)
    out.append(f"{'':<13}", style="dim")
    out.append("eng loy sat hlth", style="dim")
    for r in reversed(last[-4:]):
        out.append(f"\n{full_date(r.date):<13}")
        for v in (r.engagement, r.loyalty, r.satisfaction, r.health):
            out.append(f"{v:>3} ", style="green" if v >= 4 else "red" if v <= 2 else "")
    return out


def reviews_count(n: int) -> str:
    return ngettext("{n} review", "{n} reviews", n).format(n=n)
