"""The forms that add and edit the portfolio's records: account, stakeholder, objective,
action, review, cadence and interaction.

Each function returns a :class:`~kamtui.ui.forms.FormScreen` over a session: ``build`` turns
what was typed into the entity (the domain refuses bad input, naming the field), ``save``
stores it through the session's portfolio in the form's worker thread and reports the change
(``Session.record``), so the screens refresh, the cursor lands on the record and undo can
revert it.
"""

from __future__ import annotations

from typing import Any

from kamtui.domain.cadence import (
    DEFAULT_CADENCE_BY_TIER,
    check_ahead,
    describe,
    next_review,
    parse_cadence,
    typed_cadence,
)
from kamtui.domain.dates import check_dates
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import CURRENCIES, portfolio_currency
from kamtui.domain.formats import date as shown_date
from kamtui.domain.model import (
    FRIENDLINESS_SYMBOLS,
    Account,
    Action,
    Coverage,
    DecisionRole,
    FriendlinessChange,
    Horizon,
    Interaction,
    InteractionKind,
    Kpi,
    Level,
    Objective,
    ObjectiveStatus,
    Review,
    Stakeholder,
    Tier,
    friendliness_label,
)
from kamtui.domain.text import clean
from kamtui.i18n import _, pgettext
from kamtui.store.portfolio import Change
from kamtui.ui.business_forms import owner_field
from kamtui.ui.forms import FormField, FormScreen, amount_text, horizon_word, parse_date_input
from kamtui.ui.kpi_forms import kpi_fields, kpi_readings, review_kpis
from kamtui.ui.session import Session


def concerns_field(session: Session, account_id: int, chosen: list[int]) -> FormField:
    """ "Concerns": the account's people an objective or action is about (space ticks). Those who
    left are offered only when already named, so that an edit keeps them."""
    people = [s for s in session.portfolio.stakeholders(account_id) if s.id is not None]
    options = [
        (_("{person} (left)").format(person=_person(s)) if s.left else _person(s), str(s.id))
        for s in people
        if not s.left or s.id in chosen
    ]
    return FormField("stakeholders", _("Concerns (space ticks)"), "multi", [str(i) for i in chosen], options)


def _person(s: Stakeholder) -> str:
    """A stakeholder as a tick list shows them: name and buying role."""
    return f"{clean(s.name)} · {s.role.label}"


def _growth(level: Level) -> str:
    """A growth potential in words: in Spanish it agrees with "potencial" (alto, medio, bajo)."""
    words = {
        Level.LOW: pgettext("growth potential", "low"),
        Level.MEDIUM: pgettext("growth potential", "medium"),
        Level.HIGH: pgettext("growth potential", "high"),
    }
    return words[level]


def _currency_options() -> list[tuple[str, str]]:
    """An account's currency: the portfolio's (the first choice, stored as "") or its own."""
    shared = portfolio_currency()
    first = _("Portfolio's ({code})").format(code=shared) if shared else _("Portfolio's (none set)")
    return [(first, ""), *((code, code) for code in CURRENCIES)]


def account_form(session: Session, acc: Account | None) -> FormScreen:
    """Add an account (``acc`` None) or edit one: name, tier, owner, money, cadence..."""
    fields = [
        FormField("name", _("Name"), value=acc.name if acc else ""),
        FormField(
            "tier", _("Tier"), "select", (acc.tier if acc else Tier.KEY).value, [(t.label, t.value) for t in Tier]
        ),
        FormField("industry", _("Industry"), value=acc.industry if acc else ""),
        FormField("owner", _("Owner (account manager)"), value=acc.owner if acc else session.user),
        FormField("sponsor", _("Executive sponsor"), value=acc.sponsor if acc else ""),
        FormField("revenue", _("Annual revenue"), "number", amount_text(acc.revenue) if acc else "0"),
        FormField("cost_to_serve", _("Cost to serve"), "number", amount_text(acc.cost_to_serve) if acc else "0"),
        FormField("currency", _("Currency"), "select", acc.currency if acc else "", _currency_options()),
        FormField(
            "growth_potential",
            _("Growth potential"),
            "select",
            (acc.growth_potential if acc else Level.MEDIUM).value,
            [(_growth(lv), lv.value) for lv in Level],
        ),
        FormField(
            "cadence",
            _("Review cadence: weekly, biweekly, monthly, quarterly or an RRULE (empty: the tier's default)"),
            value=typed_cadence(acc.cadence) if acc else "",
        ),
    ]

    def build(v: dict[str, Any]) -> Account:
        base = acc.to_doc() if acc else {}
        cadence = str(v["cadence"]).strip() or DEFAULT_CADENCE_BY_TIER.get(str(v["tier"]), "")
        doc = {**base, **{k: v[k] for k in v if k != "cadence"}, "cadence": cadence}
        return Account.from_doc(doc, acc.id if acc else None)

    def save(new: Account) -> Change:
        saved, change = session.portfolio.save(new, acc, _("edit account") if acc else _("add account"))
        return session.record(change, ("account", saved.id))

    return FormScreen(_("Edit account") if acc else _("Add account"), fields, build, save, session=session)


def stakeholder_form(session: Session, account_id: int, s: Stakeholder | None) -> FormScreen:
    """Add someone to the account's relationship map (``s`` None) or edit them."""
    today = session.today
    fields = [
        FormField("name", _("Name"), value=s.name if s else ""),
        FormField("title", _("Title"), value=s.title if s else ""),
        FormField(
            "role",
            _("Decision role"),
            "select",
            s.role.value if s else DecisionRole.INFLUENCER.value,
            [(r.label, r.value) for r in DecisionRole],
        ),
        FormField(
            "influence",
            _("Influence"),
            "select",
            s.influence.value if s else Level.MEDIUM.value,
            [(lv.label, lv.value) for lv in Level],
        ),
        FormField(
            "friendliness",
            _("Friendliness"),
            "select",
            str(s.friendliness if s else 0),
            [(f"{FRIENDLINESS_SYMBOLS[v]} {friendliness_label(v)} ({v:+d})", str(v)) for v in range(-2, 3)],
        ),
        FormField(
            "coverage",
            _("Coverage"),
            "select",
            s.coverage.value if s else Coverage.NONE.value,
            [(c.label, c.value) for c in Coverage],
        ),
        FormField(
            "last_contact",
            _("Last contact (YYYY-MM-DD, today, -3d)"),
            "date",
            s.last_contact.isoformat() if s and s.last_contact else "",
        ),
        FormField(
            "contact_every_days",
            _("Contact every N days (empty: no cadence)"),
            "number",
            str(s.contact_every_days) if s and s.contact_every_days else "",
        ),
        owner_field(session, account_id, s.owner if s else None),
        FormField(
            "left",
            _("Left the company"),
            "select",
            "yes" if s and s.left else "no",
            [(_("no"), "no"), (_("yes"), "yes")],
        ),
    ]

    def build(v: dict[str, Any]) -> Stakeholder:
        friendliness = int(v["friendliness"])
        history = list(s.friendliness_history) if s else []
        if s is None or friendliness != s.friendliness:
            history.append(FriendlinessChange(today, friendliness, session.user, was=s.friendliness if s else None))
        return Stakeholder(
            account_id=account_id,
            name=v["name"],
            title=v["title"],
            role=v["role"],
            influence=v["influence"],
            friendliness=friendliness,
            friendliness_history=history,
            coverage=v["coverage"],
            last_contact=parse_date_input(v["last_contact"], today, "last_contact", not_after_today=True),
            contact_every_days=v["contact_every_days"].strip() or None,
            owner=v["owner"],
            left=v["left"] == "yes",
            notes=s.notes if s else "",
            id=s.id if s else None,
        )

    def save(new: Stakeholder) -> Change:
        return session.record(session.portfolio.save(new, s)[1], ("stakeholder", None))

    return FormScreen(_("Edit stakeholder") if s else _("Add stakeholder"), fields, build, save, session=session)


def attitude_form(session: Session, s: Stakeholder, value: int) -> FormScreen:
    """Change ``s``'s friendliness to ``value`` with an optional one-line reason: enter saves both
    (one change, one undo), escape changes nothing."""
    before, after = friendliness_label(s.friendliness), friendliness_label(value)
    fields = [FormField("reason", _("Why? (optional, one line; enter saves)"), value="")]

    def build(v: dict[str, Any]) -> str:
        try:
            return s.with_friendliness(value, session.today, session.user, v["reason"]).friendliness_history[-1].reason
        except ValidationError as exc:
            raise ValidationError("reason", exc.reason) from exc

    def preview(v: dict[str, Any]) -> str:
        past = [
            f"{shown_date(h.date)} {friendliness_label(h.value)}" + (f": {clean(h.reason)}" if h.reason else "")
            for h in s.friendliness_history[-3:]
        ]
        if not past:
            return _("history: none yet")
        return _("history: {changes}").format(changes="; ".join(reversed(past)))

    def save(reason: str) -> Change:
        return session.record(session.portfolio.set_friendliness(s, value, reason)[1], ("stakeholder", s.id))

    title = f"{clean(s.name)}: {before} → {after}"
    return FormScreen(title, fields, build, save, preview, session=session)


def objective_form(session: Session, account_id: int, o: Objective | None, horizon: Horizon) -> FormScreen:
    """Add an objective to the plan in ``horizon`` (``o`` None), or edit one."""
    today = session.today
    fields = [
        FormField("title", _("Objective"), value=o.title if o else ""),
        FormField(
            "horizon",
            _("Horizon"),
            "select",
            (o.horizon if o else horizon).value,
            [(horizon_word(h), h.value) for h in Horizon],
        ),
        FormField("owner", _("Owner"), value=o.owner if o else session.user),
        FormField("due", _("Due (YYYY-MM-DD, +30d, +3m)"), "date", o.due.isoformat() if o and o.due else ""),
        FormField(
            "status",
            _("Status"),
            "select",
            (o.status if o else ObjectiveStatus.OPEN).value,
            [(st.label, st.value) for st in ObjectiveStatus],
        ),
        concerns_field(session, account_id, o.stakeholders if o else []),
    ]

    def build(v: dict[str, Any]) -> Objective:
        objective = Objective(
            account_id=account_id,
            title=v["title"],
            horizon=v["horizon"],
            owner=v["owner"],
            due=parse_date_input(v["due"], today, "due"),
            status=v["status"],
            stakeholders=[int(x) for x in v["stakeholders"]],
            id=o.id if o else None,
        )
        return check_dates(objective, today)  # at most ten years ahead

    def save(new: Objective) -> Change:
        saved, change = session.portfolio.save(new, o)
        return session.record(change, ("plan", f"o:{saved.id}"))

    return FormScreen(_("Edit objective") if o else _("Add objective"), fields, build, save, session=session)


def action_form(
    session: Session, account_id: int, a: Action | None, objective_id: int, objective: Objective | None
) -> FormScreen:
    """Add an action under ``objective`` (``a`` None), or edit one."""
    today = session.today
    fields = [
        FormField("text", _("Action"), value=a.text if a else ""),
        FormField("owner", _("Owner"), value=a.owner if a else session.user),
        FormField("due", _("Due (YYYY-MM-DD, +7d, +2w)"), "date", a.due.isoformat() if a and a.due else ""),
        concerns_field(session, account_id, a.stakeholders if a else []),
    ]

    def build(v: dict[str, Any]) -> Action:
        action = Action(
            account_id=account_id,
            objective_id=objective_id,
            text=v["text"],
            owner=v["owner"],
            due=parse_date_input(v["due"], today, "due"),
            done=a.done if a else False,
            done_at=a.done_at if a else None,
            done_by=a.done_by if a else "",
            stakeholders=[int(x) for x in v["stakeholders"]],
            id=a.id if a else None,
        )
        return check_dates(action, today)  # due at most ten years ahead

    def save(new: Action) -> Change:
        saved, change = session.portfolio.save(new, a)
        return session.record(change, ("plan", f"a:{saved.id}"))

    if objective is None:
        title = _("Edit action") if a else _("Add action")
    else:
        under = _("Edit action under: {objective}") if a else _("Add action under: {objective}")
        title = under.format(objective=clean(objective.title))
    return FormScreen(title, fields, build, save, session=session)


def review_form(session: Session, acc: Account) -> FormScreen:
    """Record a review of ``acc``: the scores start at the previous review's; the KPIs of the plan
    period show their status and take a new actual each (blank keeps it); saving stores the
    review and the readings in one transaction and moves the next review by the cadence (previewed)."""
    assert acc.id is not None
    account_id = acc.id
    today = session.today
    prev = session.portfolio.reviews(account_id)
    base = prev[-1] if prev else None
    kpis = review_kpis(session.portfolio.kpis(account_id), today)
    fields = [
        FormField("date", _("Date (today, YYYY-MM-DD)"), "date", today.isoformat()),
        FormField("engagement", _("Engagement 1-5"), "number", str(base.engagement) if base else "3"),
        FormField("loyalty", _("Loyalty 1-5"), "number", str(base.loyalty) if base else "3"),
        FormField("satisfaction", _("Satisfaction 1-5"), "number", str(base.satisfaction) if base else "3"),
        # Stored as "health"; named so that nobody takes it for the account's 0-100 health score.
        FormField("health", _("Overall 1-5 (this review's score)"), "number", str(base.health) if base else "3"),
        *kpi_fields(kpis),
        FormField("notes", _("Notes"), value=""),
    ]

    def build(v: dict[str, Any]) -> tuple[Review, list[tuple[Kpi, Kpi]]]:
        review = Review(
            account_id=account_id,
            date=parse_date_input(v["date"], today, "date") or today,
            reviewer=session.user,
            engagement=v["engagement"],
            loyalty=v["loyalty"],
            satisfaction=v["satisfaction"],
            health=v["health"],
            notes=v["notes"],
        )
        check_dates(review, today)  # it has been held: not after today
        return review, kpi_readings(kpis, v, review.date)

    def preview(v: dict[str, Any]) -> str:
        if not acc.cadence:
            return _("no cadence: set one with c to schedule the next review")
        day = check_dates(Review(account_id, parse_date_input(v["date"], today, "date") or today), today).date
        last = acc.last_review
        if last is not None and day < last:  # saving keeps the last review (portfolio.record_review)
            nxt = next_review(acc.cadence, last, today)
            return _(
                "next review stays {next}: a review dated before the last one ({last}) does not move it ({cadence})"
            ).format(next=shown_date(nxt) if nxt else "-", last=shown_date(last), cadence=describe(acc.cadence))
        nxt = next_review(acc.cadence, day, today)
        return _("next review after saving: {next} ({cadence})").format(
            next=shown_date(nxt) if nxt else "-", cadence=describe(acc.cadence)
        )

    def save(built: tuple[Review, list[tuple[Kpi, Kpi]]]) -> Change:
        return session.record(session.portfolio.record_review(*built), ("reviews", None))

    title = _("Review {account}").format(account=clean(acc.name))
    return FormScreen(title, fields, build, save, preview, session=session)


def cadence_form(session: Session, acc: Account) -> FormScreen:
    """Change how often ``acc`` is reviewed: a preset or an RRULE, the next three dates previewed."""
    today = session.today
    fields = [
        FormField(
            "cadence",
            _("Cadence: weekly, biweekly, monthly, quarterly or an RRULE (empty: none)"),
            value=typed_cadence(acc.cadence),
            placeholder="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ),
    ]

    def build(v: dict[str, Any]) -> Account:
        new = Account.from_doc({**acc.to_doc(), "cadence": v["cadence"]}, acc.id)
        check_ahead("cadence", new.cadence, new.last_review, today)  # an ended one would leave the queue
        return new

    def preview(v: dict[str, Any]) -> str:
        text = v["cadence"].strip()
        if not text:
            return _("no cadence: this account will not come up for review")
        c = parse_cadence(text)
        check_ahead("cadence", text, acc.last_review, today)
        start = acc.last_review or today
        dates = c.occurrences(start, 3)
        return _("{cadence}; next three from {start}: {dates}").format(
            cadence=c.describe(), start=shown_date(start), dates=", ".join(shown_date(d) for d in dates)
        )

    def save(new: Account) -> Change:
        return session.record(session.portfolio.save(new, acc, _("change cadence"))[1], ("reviews", None))

    title = _("Review cadence of {account}").format(account=clean(acc.name))
    return FormScreen(title, fields, build, save, preview, session=session)


def interaction_form(
    session: Session, account_id: int, preselect: list[int] | None = None, *, quick: bool = False
) -> FormScreen:
    """Log a meeting, call, email, visit or event with stakeholders of the account (those in
    ``preselect`` ticked); their last contact moves up. ``quick`` (the guided review's contact
    with the people it lists): what was said first, then how (a call with one person, by
    default), with whom and when."""
    today = session.today
    portfolio = session.portfolio
    people = [s for s in portfolio.stakeholders(account_id) if not s.left and s.id is not None]
    chosen = [str(i) for i in (preselect or [])]
    kind = InteractionKind.CALL if quick and len(chosen) == 1 else InteractionKind.MEETING
    fields = [
        FormField("kind", _("Kind"), "select", kind.value, [(k.label, k.value) for k in InteractionKind]),
        FormField("stakeholders", _("With (space ticks)"), "multi", chosen, [(_person(s), str(s.id)) for s in people]),
        FormField("date", _("Date (today, -2d, YYYY-MM-DD)"), "date", today.isoformat()),
        FormField("summary", _("Summary"), value=""),
    ]
    if quick:
        fields.insert(0, fields.pop())
    account = portfolio.account(account_id)
    if account is None:
        title = _("Log interaction with account")
    else:
        title = _("Log interaction with {account}").format(account=clean(account.name))

    def build(v: dict[str, Any]) -> Interaction:
        return Interaction(
            account_id=account_id,
            # Logging sets the stakeholders' last contact: it has to have happened.
            date=parse_date_input(v["date"], today, "date", not_after_today=True) or today,
            kind=v["kind"],
            stakeholders=[int(x) for x in v["stakeholders"]],
            summary=v["summary"],
            by=session.user,
        )

    focus = preselect[0] if quick and preselect else None

    def save(interaction: Interaction) -> Change:
        return session.record(portfolio.log_interaction(interaction), ("stakeholder", focus))

    return FormScreen(title, fields, build, save, session=session)
