"""Pure text builders of the plan's numbers and links: the projected value, the KPIs, the people
an objective or action concerns, and every review. Entities in, ``rich.text.Text`` out, tested
without an App (tests/test_ui_kpis.py, tests/test_ui_links.py). Stored text is cleaned on
display and appended as text, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.text import Text

from kamtui.domain.deals import Kpi, Opportunity
from kamtui.domain.formats import ago_words
from kamtui.domain.formats import date as full_date
from kamtui.domain.health import DEFAULT_TREND_POINTS, Health, SinceReview, sparkline, trend
from kamtui.domain.kpi_status import STATUS_MARKS, direction_words, status_words, with_unit
from kamtui.domain.model import Account, Level, Objective, Review, Stakeholder
from kamtui.domain.pipeline import projected_value
from kamtui.domain.text import clean, money, truncate
from kamtui.i18n import N_, _, ngettext, pgettext
from kamtui.ui.texts import fill

STATUS_STYLE = {True: "green", False: "bold red", None: "dim"}
NAME_WIDTH = 18  # a concerned person's name in a plan line, at most


# ------------------------------------------------------------ projected value
def projection_line(acc: Account, opportunities: Sequence[Opportunity], objectives: Sequence[Objective]) -> Text:
    """``Revenue 1.2M + pipeline 300k weighted (3 open) = projected 1.5M (+25%) · growth potential
    high · serves: <objective>``: where the account is heading against its growth objective."""
    open_ = [o for o in opportunities if o.is_open]
    weighted = sum(o.weighted for o in open_)
    projected = projected_value(acc.revenue, list(opportunities))
    t = Text(no_wrap=True, overflow="ellipsis")
    fill(
        t,
        ngettext(
            "Revenue {revenue} + pipeline {weighted} weighted ({n} open) = projected {projected}",
            "Revenue {revenue} + pipeline {weighted} weighted ({n} open) = projected {projected}",
            len(open_),
        ),
        "dim",
        revenue=(money(acc.revenue, acc.currency), "bold"),
        weighted=(money(weighted, acc.currency), "bold"),
        n=(str(len(open_)), "dim"),
        projected=(money(projected, acc.currency), "bold"),
    )
    if acc.revenue > 0:
        growth = (projected - acc.revenue) / acc.revenue * 100
        t.append(f" ({growth:+.0f}%)", style="green" if growth > 0 else "dim")
    t.append(" · " + _("growth potential {level}").format(level=growth_word(acc.growth_potential)), style="dim")
    # The growth objective: the one the most weighted open pipeline serves.
    served: dict[int, float] = {}
    for o in open_:
        if o.objective_id is not None:
            served[o.objective_id] = served.get(o.objective_id, 0.0) + o.weighted
    titles = {ob.id: ob.title for ob in objectives if ob.id is not None}
    best = max((i for i in served if i in titles), key=lambda i: served[i], default=None)
    if best is not None:
        t.append(" · " + _("serves") + " ", style="dim")
        t.append(clean(titles[best]))
        t.append(f" ({money(served[best])})", style="dim")
    return t


def growth_word(level: Level) -> str:
    """A growth potential's level in words (Spanish: "potencial alto", masculine)."""
    if level is Level.HIGH:
        return pgettext("growth potential", "high")
    return pgettext("growth potential", "medium") if level is Level.MEDIUM else pgettext("growth potential", "low")


# ----------------------------------------------------------------------- KPIs
def kpi_title(period: str, count: int) -> Text:
    """The KPI section's title: ``KPIs 2026 (3)``."""
    label = _("KPIs {period}").format(period=clean(period)) if period.strip() else _("KPIs (no plan period)")
    return Text(f"{label} ({count})", style="bold underline")


def kpi_status_text(k: Kpi) -> Text:
    """The status in a mark and words, readable without colour: ``✗ off track``."""
    return Text(f"{STATUS_MARKS[k.on_track]} {status_words(k)}", style=STATUS_STYLE[k.on_track])


def kpi_line(k: Kpi, today: dt.date) -> Text:
    """``  ✗ off track  On-time delivery  91% / target 95% (higher is better) · updated 2026-11-01``."""
    t = Text("  ", no_wrap=True, overflow="ellipsis")
    t.append_text(kpi_status_text(k))
    t.append("  ")
    t.append(clean(k.name), style="bold")
    unit = clean(k.unit)
    actual = "-" if k.actual is None else with_unit(k.actual, unit)
    t.append("  " + _("{actual} / target {target}").format(actual=actual, target=with_unit(k.target, unit)))
    t.append(f" ({direction_words(k.direction)})", style="dim")
    if k.updated is None:
        t.append(" · " + _("never updated"), style="dim")
    else:
        days = (today - k.updated).days
        ago = ago_words(days)
        t.append(" · " + _("updated {date} ({ago})").format(date=full_date(k.updated), ago=ago), style="dim")
    return t


def kpi_field_label(k: Kpi) -> str:
    """The review form's label of a KPI's field: name, target, direction, now and its status."""
    unit = clean(k.unit)
    now = (
        _("no reading yet")
        if k.actual is None
        else _("now {value}: {status}").format(value=with_unit(k.actual, unit), status=status_words(k))
    )
    return _("KPI {name} (target {target}, {direction}; {now}) - new actual, blank keeps it").format(
        name=clean(k.name), target=with_unit(k.target, unit), direction=direction_words(k.direction), now=now
    )


# ---------------------------------------------------------------------- links
def short_name(s: Stakeholder) -> str:
    return truncate(clean(s.name), NAME_WIDTH)


def links_suffix(ids: Sequence[int], people: Mapping[int, Stakeholder], flags: Mapping[int, Sequence[str]]) -> Text:
    """``  ⚑ Rosa Díaz is hostile  → Carl Champion``: what is wrong with the people a plan line
    concerns first (red: it is what must not be cut off), then the others' names."""
    t = Text()
    said = [clean(f) for i in ids for f in flags.get(i, ())]
    if said:
        t.append("  ⚑ " + "; ".join(said), style="bold red")
    names = [short_name(people[i]) for i in ids if i in people and not flags.get(i)]
    gone = sum(1 for i in ids if i not in people)
    if gone:
        names.append(_("{n} removed").format(n=gone))
    if names:
        t.append("  → " + ", ".join(names), style="cyan")
    return t


# -------------------------------------------------------------------- reviews
REVIEW_SCORES = (
    ("engagement", N_("eng")),
    ("loyalty", N_("loy")),
    ("satisfaction", N_("sat")),
    ("health", N_("overall 1-5")),
)
SCORE_WORDS = {
    "engagement": N_("engagement"),
    "loyalty": N_("loyalty"),
    "satisfaction": N_("satisfaction"),
    "health": N_("overall 1-5"),
}


def all_reviews_text(reviews: Sequence[Review]) -> Text:
    """Every review, newest first: date, reviewer, the four scores, the 0-100 health recorded
    with it (none in reviews from before kamtui kept it) and the notes (the 1-5 overall score
    named so that nobody takes it for the account's 0-100 health)."""
    out = Text()
    shorts = [(name, _(short)) for name, short in REVIEW_SCORES]  # once, not per review
    by, health = _("by {name}"), _("health")
    for i, r in enumerate(sorted(reviews, key=lambda r: (r.date, r.id or 0), reverse=True)):
        if i:
            out.append("\n")
        out.append(full_date(r.date), style="bold")
        out.append("  " + by.format(name=clean(r.reviewer) or "?") + "  ", style="dim")
        for n, (name, short) in enumerate(shorts):
            value = getattr(r, name)
            out.append(("" if n == 0 else " ") + f"{short} ", style="dim")
            out.append(str(value), style="green" if value >= 4 else "red" if value <= 2 else "")
        if r.health_score is not None:  # recorded with it (older reviews have none)
            out.append(f"  {health} ", style="dim")
            out.append(str(r.health_score), style="bold")
        if r.notes:
            out.append("\n  ")
            out.append(clean(r.notes), style="italic")
    return out


def score_trends(reviews: Sequence[Review], h: Health | None = None, points: float = DEFAULT_TREND_POINTS) -> Text:
    """Sparklines of the last twelve reviews' scores (oldest first) with the latest and its
    trend (:func:`kamtui.domain.health.trend`: the latest against the review before), then the
    account's 0-100 health as recorded at each review and today's, when ``h`` is given."""
    out = Text(no_wrap=True, overflow="ellipsis")
    last = list(reviews)[-12:]
    for n, (name, _short) in enumerate(REVIEW_SCORES):
        if not last:
            break
        values = [getattr(r, name) for r in last]
        latest, arrow = values[-1], trend(values, 1, 5, points)
        label = _(SCORE_WORDS[name])
        out.append(("\n" if n else "") + f"{label:<13}", style="dim")
        out.append(f"{sparkline(values, 1, 5):<12}", style="cyan")
        out.append(f" {latest} {arrow}".rstrip(), style=TREND_STYLE.get(arrow, ""))
    if h is not None and h.score is not None:
        out.append("\n" if last else "").append_text(health_trend(h))
    return out


TREND_STYLE = {"▲": "green", "▼": "red"}


def health_trend(h: Health) -> Text:
    """``health 0-100 ▅▅▃▄▄ 62 ▼``: one bar per review, the health recorded with it (dim: a
    review from before kamtui recorded health, drawn from its own scores), then today's."""
    out = Text(no_wrap=True, overflow="ellipsis")
    label = _("health 0-100")
    out.append(f"{label:<13}", style="dim")
    bars = sparkline(h.history, 0, 100)
    for i, bar in enumerate(bars):
        recorded = i >= len(h.points) or h.points[i].recorded
        out.append(bar, style="cyan" if recorded else "dim")
    out.append(" " * max(0, 12 - len(bars)))
    arrow = h.trend
    out.append(f" {h.score} {arrow}".rstrip(), style=TREND_STYLE.get(arrow, ""))
    estimated = sum(1 for p in h.points if not p.recorded)
    if estimated:
        out.append("\n" + _("dim = review's own scores ({n})").format(n=estimated), style="dim")
    return out


def since_text(since: SinceReview) -> Text:
    """``Health  62 ▼ from 70 at the review of 3 Nov: plan +15, relationships -8: Rosa turned
    unfriendly`` (the names cleaned by the domain; appended as text, never markup)."""
    out = Text()
    out.append(_("Health") + "  ", style="dim")
    out.append(f"{since.score} ", style="bold")
    out.append(since.head(), style=TREND_STYLE.get(since.arrow, ""))
    moved = since.moved()
    if moved:
        out.append(f": {moved}")
    return out
