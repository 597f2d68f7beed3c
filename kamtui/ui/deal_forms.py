"""The forms of the opportunities: add or edit one, and close one as won or lost with a reason.

Like :mod:`kamtui.ui.entity_forms`: ``build`` turns what was typed into the entity (bad input
is refused naming the field, shown under it, and nothing is written), ``save`` stores it
through the session's portfolio and reports the change, so the pane refreshes with the cursor
on the opportunity and undo can revert it.
"""

from __future__ import annotations

from typing import Any

from kamtui.domain.deals import OPEN_STAGES, STAGE_PROBABILITY, Opportunity, Stage, check_close_date, closed
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import date as shown_date
from kamtui.domain.text import clean, truncate
from kamtui.i18n import _
from kamtui.store.portfolio import Change
from kamtui.ui.deal_texts import stage_label
from kamtui.ui.forms import FormField, FormScreen, amount_text, horizon_word, parse_date_input
from kamtui.ui.session import Session

STAGES: tuple[Stage, ...] = (*OPEN_STAGES, Stage.WON, Stage.LOST)


def probability_input(text: str) -> int | None:
    """What was typed in the probability field: blank is the stage's default (None), else a
    whole percent 0-100 ("65" or "65%")."""
    raw = str(text).strip().removesuffix("%").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 <= int(raw) <= 100:
        raise ValidationError(
            "probability",
            _("{typed} is not a whole percent 0-100 (blank: the stage's)").format(typed=repr(str(text).strip())),
        )
    return int(raw)


def _owner_options(session: Session, account_id: int, current: str) -> list[tuple[str, str]]:
    """The account's owner, its team and this user (each once), the current owner kept."""
    acc = session.portfolio.account(account_id)
    options: list[tuple[str, str]] = [(_("(nobody)"), "")]
    seen = {""}

    def add(name: str, role: str) -> None:
        if name not in seen:
            seen.add(name)
            options.append((f"{truncate(clean(name), 40)} · {role}" if role else truncate(clean(name), 40), name))

    if acc is not None:
        add(acc.owner, _("account owner"))
        for member in acc.team:
            add(member.member, clean(member.role) or _("team"))
    add(session.user, _("me"))
    add(current, "")
    return options


def _objective_options(session: Session, account_id: int, current: int | None) -> list[tuple[str, str]]:
    options = [(_("(none)"), "")]
    known = set()
    for o in session.portfolio.objectives(account_id):
        if o.id is not None:
            known.add(o.id)
            options.append((f"{horizon_word(o.horizon)}: {truncate(clean(o.title), 56)}", str(o.id)))
    if current is not None and current not in known:
        # kept, not dropped unseen
        options.append((_("(objective #{n}, not found)").format(n=current), str(current)))
    return options


def deal_form(session: Session, account_id: int, opp: Opportunity | None, stage: Stage = Stage.PROSPECT) -> FormScreen:
    """Add an opportunity at ``stage`` (``opp`` None), or edit one."""
    today = session.today
    owner = opp.owner if opp else session.user
    fields = [
        FormField("title", _("Opportunity"), value=opp.title if opp else ""),
        FormField("value", _("Value (amount)"), "number", amount_text(opp.value) if opp else ""),
        FormField(
            "stage",
            _("Stage"),
            "select",
            (opp.stage if opp else stage).value,
            [(f"{stage_label(s)} ({STAGE_PROBABILITY[s]}%)", s.value) for s in STAGES],
        ),
        FormField(
            "probability",
            _("Probability % (blank: the stage's default)"),
            "number",
            str(opp.probability) if opp and opp.probability is not None else "",
        ),
        FormField(
            "close_date",
            _("Expected close (YYYY-MM-DD, +30d, +3m; closed: when it closed)"),
            "date",
            opp.close_date.isoformat() if opp and opp.close_date else "",
        ),
        FormField("owner", _("Owner"), "select", owner, _owner_options(session, account_id, owner)),
        FormField("other_owner", _("...or someone else as owner (blank: the one above)"), value=""),
        FormField(
            "objective_id",
            _("Objective it serves"),
            "select",
            str(opp.objective_id) if opp and opp.objective_id is not None else "",
            _objective_options(session, account_id, opp.objective_id if opp else None),
        ),
        FormField("reason", _("Why it was won or lost (closed only; one line)"), value=opp.reason if opp else ""),
    ]

    def build(v: dict[str, Any]) -> Opportunity:
        probability = probability_input(v["probability"])
        close_date = parse_date_input(v["close_date"], today, "close_date")
        if close_date is not None:
            check_close_date("close_date", close_date, today)  # kamtui import's rule too
        new_stage = Stage(v["stage"])
        if not new_stage.is_open:
            if close_date is not None and close_date > today:
                raise ValidationError(
                    "close_date",
                    _("{date} is after today: a closed deal has closed").format(date=shown_date(close_date)),
                )
            close_date = close_date or today
        objective = str(v["objective_id"])
        return Opportunity(
            account_id=account_id,
            title=v["title"],
            value=v["value"],
            stage=new_stage,
            close_date=close_date,
            probability=probability,
            owner=str(v["other_owner"]).strip() or v["owner"],
            objective_id=int(objective) if objective else None,
            reason=v["reason"],
            id=opp.id if opp else None,
        )

    def save(new: Opportunity) -> Change:
        saved, change = session.portfolio.save(new, opp, _("edit opportunity") if opp else _("add opportunity"))
        return session.record(change, ("deals", f"d:{saved.id}"))

    return FormScreen(_("Edit opportunity") if opp else _("Add opportunity"), fields, build, save, session=session)


def close_form(session: Session, opp: Opportunity, won: bool) -> FormScreen:
    """Close ``opp`` as won or lost, asking why (a reason is needed for a loss); it closes today
    unless its close date is already past."""
    today = session.today
    fields = [
        FormField(
            "reason",
            _("Why was it won? (optional, one line)") if won else _("Why was it lost? (one line)"),
            value=opp.reason,
        )
    ]

    def build(v: dict[str, Any]) -> Opportunity:
        reason = str(v["reason"]).strip()
        if not won and not reason:
            raise ValidationError("reason", _("say in a line why it was lost (it is what the next deal learns from)"))
        return closed(opp, won, reason, today)

    def save(new: Opportunity) -> Change:
        saved, change = session.portfolio.save(
            new, opp, _("close opportunity as won") if won else _("close opportunity as lost")
        )
        return session.record(change, ("deals", f"d:{saved.id}"))

    title = (_("Close as won: {title}") if won else _("Close as lost: {title}")).format(title=clean(opp.title))
    return FormScreen(title, fields, build, save, session=session)
