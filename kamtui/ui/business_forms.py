"""The forms of the Business pane: an item of the client's business (a goal, an initiative, a
SWOT entry), the financial health, a member of our team, the executive sponsor and the notes;
and the account as it is after a delete.

The business, the team, the sponsor and the notes are fields of the account: each form builds
the whole account anew from the one it was opened on (``dataclasses.replace``) and saves it
with that one as what was seen, so another session's edit of the same field meanwhile is a
conflict, and undo reverts it. What is written is stamped with today (``updated``); items left
alone keep their dates. ``build`` checks what was typed under the form's own field names, so a
refusal shows at its field.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from kamtui.domain import validate as v
from kamtui.domain.business import BusinessItem
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account, TeamMember, member_in_team
from kamtui.domain.text import clean, truncate
from kamtui.i18n import N_, _
from kamtui.store.portfolio import Change
from kamtui.ui.forms import FormField, FormScreen
from kamtui.ui.session import Session


@dataclasses.dataclass(frozen=True)
class _Words:
    """What the forms say of an item of one part of the business, one msgid per sentence (marked
    here, translated where shown): its field's label, the add and edit titles (``{account}``),
    the delete question (``{text}``), and the undo's names of the add and the edit."""

    label: str
    add: str
    edit: str
    delete: str
    added: str
    edited: str


WORDS = {
    "goals": _Words(
        N_("Goal"), N_("Add goal · {account}"), N_("Edit goal · {account}"), N_("Delete goal {text}?"),
        N_("add goal"), N_("edit goal"),
    ),
    "initiatives": _Words(
        N_("Initiative"), N_("Add initiative · {account}"), N_("Edit initiative · {account}"),
        N_("Delete initiative {text}?"), N_("add initiative"), N_("edit initiative"),
    ),
    "strengths": _Words(
        N_("Strength (SWOT)"), N_("Add strength (SWOT) · {account}"), N_("Edit strength (SWOT) · {account}"),
        N_("Delete strength {text}?"), N_("add strength"), N_("edit strength"),
    ),
    "weaknesses": _Words(
        N_("Weakness (SWOT)"), N_("Add weakness (SWOT) · {account}"), N_("Edit weakness (SWOT) · {account}"),
        N_("Delete weakness {text}?"), N_("add weakness"), N_("edit weakness"),
    ),
    "opportunities": _Words(
        N_("Opportunity (SWOT)"), N_("Add opportunity (SWOT) · {account}"),
        N_("Edit opportunity (SWOT) · {account}"), N_("Delete opportunity {text}?"), N_("add opportunity"),
        N_("edit opportunity"),
    ),
    "threats": _Words(
        N_("Threat (SWOT)"), N_("Add threat (SWOT) · {account}"), N_("Edit threat (SWOT) · {account}"),
        N_("Delete threat {text}?"), N_("add threat"), N_("edit threat"),
    ),
}  # fmt: skip


def _saver(session: Session, acc: Account, key: str, label: str) -> Any:
    def save(new: Account) -> Change:
        _saved, change = session.portfolio.save(new, acc, label)
        return session.record(change, ("business", key))

    return save


def _title(title: str, acc: Account) -> str:
    """``title`` (a msgid with ``{account}``) in the user's language, naming ``acc``."""
    return _(title).format(account=clean(acc.name))


def item_form(session: Session, acc: Account, part: str, index: int | None) -> FormScreen:
    """Add an item to ``part`` (``index`` None) or rewrite item ``index``: stamped today."""
    items = acc.business.items(part)
    item = items[index] if index is not None else None
    words = WORDS[part]
    fields = [FormField("text", _(words.label), value=item.text if item else "")]
    position = index if index is not None else len(items)

    def build(values: dict[str, Any]) -> Account:
        text = v.text("text", values["text"], required=True)
        new = list(items)
        written = BusinessItem(text, session.today)
        if index is None:
            new.append(written)
        else:
            new[index] = written
        return dataclasses.replace(acc, business=acc.business.with_items(part, new))

    save = _saver(session, acc, f"i:{part}:{position}", _(words.edited if item else words.added))
    return FormScreen(_title(words.edit if item else words.add, acc), fields, build, save, session=session)


def health_form(session: Session, acc: Account) -> FormScreen:
    """The client's financial health in one line (empty: unknown), stamped today."""
    b = acc.business
    fields = [
        FormField("financial_health", _("Financial health (one line; empty: not known)"), value=b.financial_health)
    ]

    def build(values: dict[str, Any]) -> Account:
        text = v.text("financial_health", values["financial_health"])
        business = dataclasses.replace(
            b, financial_health=text, financial_health_updated=session.today if text else None
        )
        return dataclasses.replace(acc, business=business)

    save = _saver(session, acc, "fh", _("edit financial health"))
    return FormScreen(_title(N_("Edit financial health · {account}"), acc), fields, build, save, session=session)


def member_form(session: Session, acc: Account, index: int | None) -> FormScreen:
    """Add a member of our team (``index`` None) or edit one: who, and their role."""
    m = acc.team[index] if index is not None else None
    fields = [
        FormField("member", _("Team member"), value=m.member if m else ""),
        FormField("role", _("Role (key account manager, solutions engineer...)"), value=m.role if m else ""),
    ]
    position = index if index is not None else len(acc.team)

    def build(values: dict[str, Any]) -> Account:
        member = TeamMember(v.text("member", values["member"], required=True), v.text("role", values["role"]))
        twin = member_in_team(acc.team, member.member, skip=index)
        if twin is not None:  # case and spaces ignored: "ana ruiz" is Ana Ruiz
            other = acc.team[twin]
            who = truncate(clean(other.member), 40)
            if other.role:
                message = _("'{name}' is already in the team (member {n}, {role}); edit that one").format(
                    name=who, n=twin + 1, role=truncate(clean(other.role), 30)
                )
            else:
                message = _("'{name}' is already in the team (member {n}); edit that one").format(name=who, n=twin + 1)
            raise ValidationError("member", message)
        team = list(acc.team)
        if index is None:
            team.append(member)
        else:
            team[index] = member
        return dataclasses.replace(acc, team=team)

    save = _saver(session, acc, f"m:{position}", _("edit team member") if m else _("add team member"))
    title = N_("Edit team member · {account}") if m else N_("Add team member · {account}")
    return FormScreen(_title(title, acc), fields, build, save, session=session)


def sponsor_form(session: Session, acc: Account) -> FormScreen:
    """The executive sponsor: on our side, the senior person who backs the account."""
    fields = [FormField("sponsor", _("Executive sponsor (empty: none)"), value=acc.sponsor)]

    def build(values: dict[str, Any]) -> Account:
        return dataclasses.replace(acc, sponsor=v.text("sponsor", values["sponsor"]))

    save = _saver(session, acc, "sponsor", _("edit sponsor"))
    return FormScreen(_title(N_("Edit executive sponsor · {account}"), acc), fields, build, save, session=session)


class NotesFormScreen(FormScreen):
    """A form whose one field is a multi-line text: enter starts a new line, ctrl+s saves.
    Like an Input, the box shows the stored text cleaned, and gives the stored text back when
    the user leaves it as shown."""

    AUTO_FOCUS = "#fields TextArea"
    DEFAULT_CSS = """
    NotesFormScreen TextArea { height: 12; }
    """

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            name = (widget.id or "").removeprefix("f-")
            if widget.id == "form-hint":
                yield Static(_("enter: new line · ctrl+s save · esc cancel"), id="form-hint", markup=False)
            elif name in self._untouched:
                stored = self._untouched[name][1]
                shown = clean(stored, one_line=False)
                self._untouched[name] = (shown, stored)
                yield TextArea(shown, id=widget.id, soft_wrap=True)
            else:
                yield widget

    def values(self) -> dict[str, Any]:
        out = super().values()
        for name, (shown, stored) in self._untouched.items():
            area = self.query_one(f"#f-{name}", TextArea)
            out[name] = stored if area.text == shown else area.text
        return out

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._clear_errors()


def notes_form(session: Session, acc: Account) -> FormScreen:
    """The account's free notes, several lines."""
    fields = [FormField("notes", _("Notes"), value=acc.notes)]

    def build(values: dict[str, Any]) -> Account:
        return dataclasses.replace(acc, notes=v.text("notes", values["notes"], max_len=v.MAX_NOTE))

    save = _saver(session, acc, "notes", _("edit notes"))
    return NotesFormScreen(_title(N_("Edit notes · {account}"), acc), fields, build, save, session=session)


# ------------------------------------------------------------------- deletes
def without(acc: Account, key: str) -> tuple[Account, str, str] | None:
    """The account without what line ``key`` shows, a question to ask first and the key of the
    line the cursor goes to; None when the line holds nothing to delete."""
    kind, _sep, rest = key.partition(":")
    b = acc.business
    if kind == "i":
        part, _sep, n = rest.partition(":")
        items = b.items(part)
        index = int(n)
        if not 0 <= index < len(items):
            return None
        new = [x for i, x in enumerate(items) if i != index]
        then = f"i:{part}:{min(index, len(new) - 1)}" if new else f"h:{part}"
        question = _(WORDS[part].delete).format(text=truncate(clean(items[index].text), 80))
        return dataclasses.replace(acc, business=b.with_items(part, new)), question, then
    if kind == "m":
        index = int(rest)
        if not 0 <= index < len(acc.team):
            return None
        team = [m for i, m in enumerate(acc.team) if i != index]
        then = f"m:{min(index, len(team) - 1)}" if team else "h:team"
        question = _("Remove {name} from our team?").format(name=truncate(clean(acc.team[index].member), 60))
        return dataclasses.replace(acc, team=team), question, then
    if key == "fh" and b.financial_health:
        cleared = dataclasses.replace(b, financial_health="", financial_health_updated=None)
        return dataclasses.replace(acc, business=cleared), _("Clear the financial health?"), "fh"
    if key == "sponsor" and acc.sponsor:
        return (
            dataclasses.replace(acc, sponsor=""),
            _("Clear the executive sponsor {name}?").format(name=truncate(clean(acc.sponsor), 60)),
            "sponsor",
        )
    if kind == "notes" and acc.notes:
        return dataclasses.replace(acc, notes=""), _("Clear the account's notes?"), "notes"
    return None


# ------------------------------------------------- a stakeholder's owner on our side
NO_OWNER = N_("(none)")


def owner_field(session: Session, account_id: int, current: str | None) -> FormField:
    """A stakeholder's relationship owner on our side (``current`` None: a new stakeholder).

    With a team on the account, a choice among its members (and the account's owner, the
    current owner if neither, and none); without one, a name typed as before."""
    acc = session.portfolio.account(account_id)
    label = _("Relationship owner on our side")
    if acc is None or not acc.team:
        return FormField("owner", label, value=session.user if current is None else current)
    options: list[tuple[str, str]] = []
    for m in acc.team:
        if m.member not in (value for _label, value in options):
            options.append((f"{clean(m.member)} · {clean(m.role)}" if m.role else clean(m.member), m.member))
    values = {value for _label, value in options}
    if acc.owner and acc.owner not in values:
        options.append((_("{name} · account owner").format(name=clean(acc.owner)), acc.owner))
    if current and current not in values | {acc.owner}:
        options.append((_("{name} · not in the team").format(name=clean(current)), current))
    options.append((_(NO_OWNER), ""))
    offered = {value for _label, value in options}
    if current is None:  # a new stakeholder: the user, else the account's owner, if offered
        current = next((x for x in (session.user, acc.owner) if x in offered), "")
    return FormField("owner", _("Relationship owner on our side (from our team)"), "select", current, options)
