"""The right-hand panes for the selected account: header, stakeholders, plan, reviews."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from kamtui.domain.cadence import describe, in_words, next_review, parse_cadence
from kamtui.domain.errors import ValidationError
from kamtui.domain.health import sparkline
from kamtui.domain.model import (
    FRIENDLINESS_LABELS,
    FRIENDLINESS_SYMBOLS,
    Account,
    Action,
    Coverage,
    DecisionRole,
    Horizon,
    Level,
    Objective,
    ObjectiveStatus,
    Review,
    Stakeholder,
)
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, review_risks, stakeholder_risks
from kamtui.domain.text import clean, money, truncate
from kamtui.store.portfolio import account_health
from kamtui.ui.forms import ConfirmScreen, FormField, FormScreen, parse_date_input

if TYPE_CHECKING:
    from kamtui.ui.app import KamApp

FRIENDLY_STYLE = {-2: "bold white on red", -1: "red", 0: "yellow", 1: "green", 2: "bold green"}
STATUS_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green", "": "dim"}


SHORT_ATTITUDE = {-2: "host.", -1: "unfr.", 0: "neut.", 1: "frnd.", 2: "champ"}
SHORT_LEVEL = {Level.HIGH: "high", Level.MEDIUM: "med", Level.LOW: "low"}
SHORT_ROLES = {
    DecisionRole.ECONOMIC_BUYER: "econ buyer",
    DecisionRole.DECISION_MAKER: "decider",
    DecisionRole.TECHNICAL_BUYER: "tech buyer",
    DecisionRole.INFLUENCER: "influencer",
    DecisionRole.CHAMPION: "champion",
    DecisionRole.COACH: "coach",
    DecisionRole.USER: "user",
    DecisionRole.GATEKEEPER: "gatekeeper",
    DecisionRole.BLOCKER: "blocker",
}


def friendliness_text(value: int, compact: bool = False) -> Text:
    if compact:
        return Text(f"{FRIENDLINESS_SYMBOLS[value]:^3}", style=FRIENDLY_STYLE[value])
    return Text(f"{FRIENDLINESS_SYMBOLS[value]:>2} {FRIENDLINESS_LABELS[value]}", style=FRIENDLY_STYLE[value])


class Pane:
    """Mixin: a pane knows the app and the selected account."""

    account_id: int | None = None

    @property
    def kam(self) -> KamApp:
        return self.app  # type: ignore[attr-defined, no-any-return]

    def show_account(self, account_id: int | None) -> None:
        self.account_id = account_id
        self.refresh_pane()

    def refresh_pane(self) -> None:
        raise NotImplementedError

    def resized_width(self, event: events.Resize) -> bool:
        width = event.size.width
        if getattr(self, "_last_width", None) == width:
            return False
        self._last_width = width
        return True


# --------------------------------------------------------------------- header
class AccountHeader(Static, Pane):
    DEFAULT_CSS = """
    AccountHeader { height: 2; background: $panel; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__("", id="account-header", markup=False)

    def refresh_pane(self) -> None:
        p = self.kam.portfolio
        acc = p.account(self.account_id) if self.account_id is not None else None
        if acc is None:
            self.update(Text("No account selected", style="dim"))
            return
        today = self.kam.today
        shs = p.stakeholders(acc.id)  # type: ignore[arg-type]
        h = account_health(p, acc.id, today)  # type: ignore[arg-type]
        due = next_review(acc.cadence, acc.last_review, today) if acc.cadence else None
        line1 = Text()
        line1.append(clean(acc.name), style="bold")
        line1.append(f" · {acc.tier.value.upper()}", style="bold cyan" if acc.tier.value == "key" else "")
        line1.append(f" · owner {clean(acc.owner) or '-'}")
        if acc.sponsor:
            line1.append(f" · sponsor {clean(acc.sponsor)}")
        line1.append(f" · {money(acc.revenue)}")
        line2 = Text()
        if h.score is not None:
            style = "bold green" if h.score >= 70 else "bold red" if h.score < 45 else "bold yellow"
            line2.append("health ")
            line2.append(f"{h.score} {h.trend}".rstrip(), style=style)
            line2.append(f" {sparkline(h.history, 0, 100)}", style="dim")
        else:
            line2.append("health -", style="dim")
        if due is not None:
            late = (today - due).days
            line2.append(" · review ")
            line2.append(in_words(due, today), style="bold red" if late > 0 else "bold yellow" if late == 0 else "")
        else:
            line2.append(" · no review cadence", style="dim")
        status = relationship_status(shs) if shs else ""
        if status:
            line2.append(" · map ")
            line2.append(status.upper(), style=STATUS_STYLE[status])
        if acc.industry:
            line2.append(f" · {clean(acc.industry)}", style="dim")
        width = max(10, self.content_size.width or 200)
        line1.truncate(width, overflow="ellipsis")
        line2.truncate(width, overflow="ellipsis")
        self.update(Text("\n", no_wrap=True).join([line1, line2]), layout=False)  # fixed height: no layout

    def on_resize(self, event: events.Resize) -> None:
        if self.resized_width(event):
            self.refresh_pane()


# --------------------------------------------------------------- stakeholders
class StakeholderTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class StakeholderPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "friendlier", "+friendly", tooltip="Raise friendliness (recorded in history)"),
        Binding("minus", "colder", "-friendly", tooltip="Lower friendliness (recorded in history)"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
    ]
    DEFAULT_CSS = """
    StakeholderPane { height: auto; border: round $primary 50%; border-title-color: $text; padding: 0 0; }
    StakeholderPane:focus-within { border: round $accent; }
    StakeholderPane StakeholderTable { height: auto; max-height: 9; }
    StakeholderPane.single StakeholderTable { max-height: 60%; }
    StakeholderPane #sh-bottom { height: auto; layout: vertical; }
    StakeholderPane #sh-matrix { width: auto; height: auto; padding: 0 1 0 1; }
    StakeholderPane #sh-warnings { width: 1fr; height: auto; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="stakeholders")
        self.border_title = "Stakeholders"
        self.items: list[Stakeholder] = []

    def compose(self) -> ComposeResult:
        table = StakeholderTable(id="sh-table", cursor_type="row", zebra_stripes=False)
        yield table
        with Horizontal(id="sh-bottom"):
            yield Static("", id="sh-matrix", markup=False)
            yield Static("", id="sh-warnings", markup=False)

    @property
    def table(self) -> StakeholderTable:
        return self.query_one(StakeholderTable)

    def current(self) -> Stakeholder | None:
        t = self.table
        if not self.items or t.cursor_row < 0 or t.cursor_row >= len(self.items):
            return None
        return self.items[t.cursor_row]

    def refresh_pane(self, keep: int | None = None) -> None:
        t = self.table
        old = self.current()
        keep = keep if keep is not None else (old.id if old else None)
        p = self.kam.portfolio
        self.items = p.stakeholders(self.account_id) if self.account_id is not None else []
        today = self.kam.today
        width = self.size.width or 120
        compact = width < 60
        with self.app.batch_update():
            t.clear(columns=True)
            if width >= 90:
                cols = ["Name", "Title", "Role", "Infl", "Attitude", "Coverage", "Last", "Ours"]
            elif width >= 76:
                cols = ["Name", "Role", "Infl", "Attitude", "Coverage", "Last"]
            else:
                cols = ["Name", "Role", "Infl", "Att", "Last"]
            for c in cols:
                t.add_column(c, key=c)
            for s in self.items:
                last = "never" if s.last_contact is None else f"{(today - s.last_contact).days}d"
                quiet = s.contact_every_days is not None and (
                    s.last_contact is None or (today - s.last_contact).days > s.contact_every_days
                )
                name = Text(truncate(clean(s.name), 12 if compact else 22), style="strike dim" if s.left else "")
                if s.left:
                    name.append(" (left)", style="dim")
                cells: dict[str, Any] = {
                    "Name": name,
                    "Title": Text(truncate(clean(s.title), 18), style="dim"),
                    "Role": Text(SHORT_ROLES[s.role] if compact else s.role.label),
                    "Infl": Text(
                        SHORT_LEVEL[s.influence] if compact else s.influence.value,
                        style="bold" if s.influence is Level.HIGH else "dim",
                    ),
                    "Attitude": friendliness_text(s.friendliness),
                    "Att": friendliness_text(s.friendliness, compact=True),
                    "Coverage": Text(s.coverage.label),
                    "Last": Text(last, style="bold red" if quiet else ""),
                    "Ours": Text(truncate(clean(s.owner), 8), style="dim"),
                }
                t.add_row(*(cells[c] for c in cols), key=str(s.id))
            if keep is not None:
                for i, s in enumerate(self.items):
                    if s.id == keep:
                        t.move_cursor(row=i, animate=False)
                        break
            self.query_one("#sh-matrix", Static).update(self.matrix(self.items, 7 if compact else 10))
            self.query_one("#sh-warnings", Static).update(self.warnings(self.items, today, self.kam.thresholds))
        current = len([s for s in self.items if not s.left])
        self.border_subtitle = f"{current} {'person' if current == 1 else 'people'}"

    def on_resize(self, event: events.Resize) -> None:
        # Only a new width changes what fits; a new height (auto-sized pane) must not rebuild.
        if self.resized_width(event) and self.account_id is not None:
            self.refresh_pane()

    @staticmethod
    def matrix(items: list[Stakeholder], cell_w: int = 10) -> Text:
        """Influence (rows) x friendliness (columns); the hostile high-influence corner stands out."""
        out = Text(no_wrap=True)
        out.append("infl.  ", style="dim")
        for f in range(-2, 3):
            label = FRIENDLINESS_LABELS[f] if cell_w >= 10 else SHORT_ATTITUDE[f]
            out.append(f"{label:^{cell_w}}", style=FRIENDLY_STYLE[f])
        for level in (Level.HIGH, Level.MEDIUM, Level.LOW):
            out.append("\n")
            out.append(f"{level.value:<7}", style="bold" if level is Level.HIGH else "dim")
            for f in range(-2, 3):
                names = [
                    clean(s.name).split(" ")[0]
                    for s in items
                    if not s.left and s.influence is level and s.friendliness == f
                ]
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

    @staticmethod
    def warnings(items: list[Stakeholder], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Text:
        risks = stakeholder_risks(items, today, thresholds)
        if not items:
            return Text("No stakeholders yet: press a to add one (tab to this pane first).", style="dim")
        if not risks:
            return Text("✓ no relationship warnings", style="green")
        out = Text()
        for i, r in enumerate(risks[:6]):
            if i:
                out.append("\n")
            out.append("▲ " if r.severity >= 2 else "△ ", style="bold red" if r.severity >= 2 else "yellow")
            out.append(clean(r.message), style="red" if r.severity >= 2 else "")
        if len(risks) > 6:
            out.append(f"\n… {len(risks) - 6} more", style="dim")
        return out

    # ---------------------------------------------------------------- actions
    def action_friendlier(self) -> None:
        self._shift(+1)

    def action_colder(self) -> None:
        self._shift(-1)

    def _shift(self, delta: int) -> None:
        s = self.current()
        if s is None:
            return
        target = max(-2, min(2, s.friendliness + delta))
        if target == s.friendliness:
            self.app.bell()
            return
        self.kam.write(lambda: self.kam.portfolio.set_friendliness(s, target)[1], focus=("stakeholder", s.id))

    def _form(self, s: Stakeholder | None) -> FormScreen:
        today = self.kam.today
        account_id = self.account_id
        assert account_id is not None
        fields = [
            FormField("name", "Name", value=s.name if s else ""),
            FormField("title", "Title", value=s.title if s else ""),
            FormField(
                "role",
                "Decision role",
                "select",
                s.role.value if s else DecisionRole.INFLUENCER.value,
                [(r.label, r.value) for r in DecisionRole],
            ),
            FormField(
                "influence",
                "Influence",
                "select",
                s.influence.value if s else Level.MEDIUM.value,
                [(lv.value, lv.value) for lv in Level],
            ),
            FormField(
                "friendliness",
                "Friendliness",
                "select",
                str(s.friendliness if s else 0),
                [(f"{FRIENDLINESS_SYMBOLS[v]} {FRIENDLINESS_LABELS[v]} ({v:+d})", str(v)) for v in range(-2, 3)],
            ),
            FormField(
                "coverage",
                "Coverage",
                "select",
                s.coverage.value if s else Coverage.NONE.value,
                [(c.label, c.value) for c in Coverage],
            ),
            FormField(
                "last_contact",
                "Last contact (YYYY-MM-DD, today, -3d)",
                "date",
                s.last_contact.isoformat() if s and s.last_contact else "",
            ),
            FormField(
                "contact_every_days",
                "Contact every N days (empty: no cadence)",
                "number",
                str(s.contact_every_days) if s and s.contact_every_days else "",
            ),
            FormField("owner", "Relationship owner on our side", value=s.owner if s else self.kam.user),
            FormField(
                "left", "Left the company", "select", "yes" if s and s.left else "no", [("no", "no"), ("yes", "yes")]
            ),
        ]

        def build(v: dict[str, Any]) -> Stakeholder:
            friendliness = int(v["friendliness"])
            history = list(s.friendliness_history) if s else []
            if s is None or friendliness != s.friendliness:
                from kamtui.domain.model import FriendlinessChange

                history.append(FriendlinessChange(today, friendliness, self.kam.user))
            return Stakeholder(
                account_id=account_id,
                name=v["name"],
                title=v["title"],
                role=v["role"],
                influence=v["influence"],
                friendliness=friendliness,
                friendliness_history=history,
                coverage=v["coverage"],
                last_contact=parse_date_input(v["last_contact"], today, "last_contact"),
                contact_every_days=v["contact_every_days"].strip() or None,
                owner=v["owner"],
                left=v["left"] == "yes",
                notes=s.notes if s else "",
                id=s.id if s else None,
            )

        def save(new: Stakeholder) -> Any:
            return self.kam.record(self.kam.portfolio.save(new, s)[1], focus=("stakeholder", None))

        return FormScreen("Edit stakeholder" if s else "Add stakeholder", fields, build, save)

    def action_add(self) -> None:
        if self.account_id is not None:
            self.app.push_screen(self._form(None))

    def action_edit(self) -> None:
        s = self.current()
        if s is not None:
            self.app.push_screen(self._form(s))

    def action_delete(self) -> None:
        s = self.current()
        if s is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.kam.write(lambda: self.kam.portfolio.delete(s), focus=("stakeholder", None))

        self.app.push_screen(ConfirmScreen(f"Delete stakeholder {clean(s.name)}?"), answer)


# ----------------------------------------------------------------------- plan
class PlanList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


HORIZON_TITLES = {Horizon.SHORT: "Short term", Horizon.MEDIUM: "Medium term", Horizon.LONG: "Long term"}


class PlanPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_done", "Done", tooltip="Tick or untick the action (stamps date and user)"),
        Binding("a", "add", "Add", tooltip="Add an objective, or an action under the objective at the cursor"),
        Binding("A", "add_objective", "Add objective", show=False),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change, repeatedly"),
    ]
    DEFAULT_CSS = """
    PlanPane { height: 1fr; border: round $primary 50%; }
    PlanPane:focus-within { border: round $accent; }
    PlanPane PlanList, PlanPane PlanList:focus { height: 1fr; border: none; padding: 0; background: $surface; }
    """

    def __init__(self) -> None:
        super().__init__(id="plan")
        self.border_title = "Plan"
        self.objectives: dict[int, Objective] = {}
        self.actions: dict[int, Action] = {}

    def compose(self) -> ComposeResult:
        yield PlanList(id="plan-list")

    @property
    def list(self) -> PlanList:
        return self.query_one(PlanList)

    def current_key(self) -> str | None:
        opt = self.list.highlighted_option
        return opt.id if opt is not None else None

    def current(self) -> Objective | Action | None:
        key = self.current_key()
        if key is None:
            return None
        kind, _, ident = key.partition(":")
        if kind == "o":
            return self.objectives.get(int(ident))
        if kind == "a":
            return self.actions.get(int(ident))
        return None

    def refresh_pane(self, keep: str | None = None) -> None:
        ol = self.list
        keep = keep or self.current_key()
        p = self.kam.portfolio
        today = self.kam.today
        aid = self.account_id
        objectives = p.objectives(aid) if aid is not None else []
        actions = p.actions(aid) if aid is not None else []
        self.objectives = {o.id: o for o in objectives if o.id is not None}
        self.actions = {a.id: a for a in actions if a.id is not None}
        by_obj: dict[int, list[Action]] = {}
        for a in actions:
            by_obj.setdefault(a.objective_id, []).append(a)
        options: list[Option] = []
        total_done = total = overdue = 0
        for horizon in Horizon:
            objs = [o for o in objectives if o.horizon is horizon]
            options.append(
                Option(
                    Text(f"{HORIZON_TITLES[horizon]} ({len(objs)})", style="bold underline"), id=f"h:{horizon.value}"
                )
            )
            for o in objs:
                acts = by_obj.get(o.id or -1, [])
                done = sum(1 for a in acts if a.done)
                total_done += done
                total += len(acts)
                t = Text(no_wrap=True, overflow="ellipsis")
                t.append("◆ ", style="cyan")
                t.append(clean(o.title), style="bold strike" if o.status is ObjectiveStatus.DONE else "bold")
                meta = [f"{done}/{len(acts)}"]
                if o.owner:
                    meta.append(clean(o.owner))
                if o.due:
                    meta.append(f"due {o.due.isoformat()}")
                if o.status is not ObjectiveStatus.OPEN:
                    meta.append(o.status.value.replace("_", " "))
                t.append("  " + " · ".join(meta), style="red" if o.status is ObjectiveStatus.AT_RISK else "dim")
                options.append(Option(self._fit(t), id=f"o:{o.id}"))
                for a in acts:
                    late = a.is_overdue(today)
                    overdue += late
                    line = Text("  ", no_wrap=True, overflow="ellipsis")
                    line.append("[x] " if a.done else "[ ] ", style="green" if a.done else "bold")
                    if not a.done and a.due:
                        when = in_words(a.due, today)
                        line.append(f"{when:<9}", style="bold red" if late else "yellow" if a.due == today else "dim")
                    elif not a.done:
                        line.append(f"{'-':<9}", style="dim")
                    line.append(clean(a.text), style="dim strike" if a.done else "bold" if late else "")
                    if a.done and a.done_at:
                        line.append(f"  done {a.done_at.isoformat()} by {clean(a.done_by) or '?'}", style="dim")
                    elif a.owner:
                        line.append(f"  {clean(a.owner)}", style="dim")
                    options.append(Option(self._fit(line), id=f"a:{a.id}"))
            if not objs:
                options.append(
                    Option(Text("   (none: a adds one)", style="dim"), id=f"e:{horizon.value}", disabled=True)
                )
        with self.app.batch_update():
            highlighted = ol.highlighted
            ol.set_options(options)
            index = None
            if keep:
                try:
                    index = ol.get_option_index(keep)
                except Exception:  # noqa: BLE001 - option gone (deleted): fall back to the old index
                    index = None
            if index is None:
                index = min(highlighted or 0, max(0, len(options) - 1))
            ol.highlighted = index
        self.border_subtitle = f"{total_done}/{total} done" + (f" · {overdue} overdue" if overdue else "")

    def _fit(self, text: Text) -> Text:
        width = (self.list.scrollable_content_region.width or self.size.width or 80) - 1
        text.truncate(max(12, width), overflow="ellipsis")
        return text

    def on_resize(self, event: events.Resize) -> None:
        # Only a new width changes what fits; a new height (auto-sized pane) must not rebuild.
        if self.resized_width(event) and self.account_id is not None:
            self.refresh_pane()

    # ---------------------------------------------------------------- actions
    def action_toggle_done(self) -> None:
        item = self.current()
        if isinstance(item, Action):
            self.kam.write(lambda: self.kam.portfolio.toggle_action(item)[1], focus=("plan", f"a:{item.id}"))

    def _horizon_at_cursor(self) -> Horizon:
        item = self.current()
        if isinstance(item, Objective):
            return item.horizon
        if isinstance(item, Action):
            o = self.objectives.get(item.objective_id)
            return o.horizon if o else Horizon.SHORT
        key = self.current_key() or ""
        if key[:2] in ("h:", "e:"):
            return Horizon(key[2:])
        return Horizon.SHORT

    def action_add(self) -> None:
        item = self.current()
        if isinstance(item, Objective) and item.id is not None:
            self.app.push_screen(self._action_form(None, item.id))
        elif isinstance(item, Action):
            self.app.push_screen(self._action_form(None, item.objective_id))
        else:
            self.action_add_objective()

    def action_add_objective(self) -> None:
        if self.account_id is not None:
            self.app.push_screen(self._objective_form(None, self._horizon_at_cursor()))

    def action_edit(self) -> None:
        item = self.current()
        if isinstance(item, Objective):
            self.app.push_screen(self._objective_form(item, item.horizon))
        elif isinstance(item, Action):
            self.app.push_screen(self._action_form(item, item.objective_id))

    def action_delete(self) -> None:
        item = self.current()
        if item is None:
            return
        if isinstance(item, Objective):
            n = sum(1 for a in self.actions.values() if a.objective_id == item.id)
            question = f"Delete objective {clean(item.title)}" + (f" and its {n} action(s)?" if n else "?")
        else:
            question = f"Delete action {clean(item.text)}?"

        def answer(yes: bool | None) -> None:
            if yes:
                self.kam.write(lambda: self.kam.portfolio.delete(item), focus=("plan", None))

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_undo(self) -> None:
        self.kam.action_undo()

    def _objective_form(self, o: Objective | None, horizon: Horizon) -> FormScreen:
        today = self.kam.today
        account_id = self.account_id
        assert account_id is not None
        fields = [
            FormField("title", "Objective", value=o.title if o else ""),
            FormField(
                "horizon",
                "Horizon",
                "select",
                (o.horizon if o else horizon).value,
                [(h.value, h.value) for h in Horizon],
            ),
            FormField("owner", "Owner", value=o.owner if o else self.kam.user),
            FormField("due", "Due (YYYY-MM-DD, +30d, +3m)", "date", o.due.isoformat() if o and o.due else ""),
            FormField(
                "status",
                "Status",
                "select",
                (o.status if o else ObjectiveStatus.OPEN).value,
                [(s.value.replace("_", " "), s.value) for s in ObjectiveStatus],
            ),
        ]

        def build(v: dict[str, Any]) -> Objective:
            return Objective(
                account_id=account_id,
                title=v["title"],
                horizon=v["horizon"],
                owner=v["owner"],
                due=parse_date_input(v["due"], today, "due"),
                status=v["status"],
                id=o.id if o else None,
            )

        def save(new: Objective) -> Any:
            saved, change = self.kam.portfolio.save(new, o)
            return self.kam.record(change, focus=("plan", f"o:{saved.id}"))

        return FormScreen("Edit objective" if o else "Add objective", fields, build, save)

    def _action_form(self, a: Action | None, objective_id: int) -> FormScreen:
        today = self.kam.today
        account_id = self.account_id
        assert account_id is not None
        obj = self.objectives.get(objective_id)
        fields = [
            FormField("text", "Action", value=a.text if a else ""),
            FormField("owner", "Owner", value=a.owner if a else self.kam.user),
            FormField("due", "Due (YYYY-MM-DD, +7d, +2w)", "date", a.due.isoformat() if a and a.due else ""),
        ]

        def build(v: dict[str, Any]) -> Action:
            return Action(
                account_id=account_id,
                objective_id=objective_id,
                text=v["text"],
                owner=v["owner"],
                due=parse_date_input(v["due"], today, "due"),
                done=a.done if a else False,
                done_at=a.done_at if a else None,
                done_by=a.done_by if a else "",
                id=a.id if a else None,
            )

        def save(new: Action) -> Any:
            saved, change = self.kam.portfolio.save(new, a)
            return self.kam.record(change, focus=("plan", f"a:{saved.id}"))

        title = ("Edit action" if a else "Add action") + (f" under: {clean(obj.title)}" if obj else "")
        return FormScreen(title, fields, build, save)


# -------------------------------------------------------------------- reviews
class ReviewPane(VerticalScroll, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Review", tooltip="Record a review; the next due date moves by the cadence"),
        Binding("c", "cadence", "Cadence", tooltip="Edit the review cadence (preset or RRULE)"),
    ]
    DEFAULT_CSS = """
    ReviewPane { height: 10; border: round $primary 50%; padding: 0 1; }
    ReviewPane #review-cols { height: auto; }
    ReviewPane #review-body { width: 1fr; height: auto; }
    ReviewPane #review-history { width: 32; height: auto; }
    ReviewPane.stacked #review-cols { layout: vertical; }
    ReviewPane.stacked #review-history { width: 1fr; padding-top: 1; }
    ReviewPane:focus { border: round $accent; }
    """

    def __init__(self) -> None:
        super().__init__(id="reviews")
        self.border_title = "Reviews"
        self.can_focus = True

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-cols"):
            yield Static("", id="review-body", markup=False)
            yield Static("", id="review-history", markup=False)

    def on_resize(self) -> None:
        self.set_class(0 < self.size.width < 72, "stacked")

    def refresh_pane(self) -> None:
        p = self.kam.portfolio
        acc = p.account(self.account_id) if self.account_id is not None else None
        body = self.query_one("#review-body", Static)
        hist = self.query_one("#review-history", Static)
        if acc is None:
            body.update("")
            hist.update("")
            return
        reviews = p.reviews(acc.id)  # type: ignore[arg-type]
        body.update(self.render_cadence(acc, reviews, self.kam.today, self.kam.thresholds))
        hist.update(self.render_history(reviews))
        self.border_subtitle = f"{len(reviews)} review{'' if len(reviews) == 1 else 's'}"

    @staticmethod
    def render_cadence(
        acc: Account, reviews: list[Review], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
    ) -> Text:
        out = Text()
        try:
            words = describe(acc.cadence)
            due = next_review(acc.cadence, acc.last_review, today) if acc.cadence else None
        except ValidationError as exc:
            words, due = f"invalid cadence: {exc}", None
        out.append("Cadence ", style="dim")
        out.append(words, style="bold")
        if acc.cadence and acc.cadence.upper().startswith(("FREQ", "RRULE")):
            out.append(f"\n        {clean(acc.cadence)}", style="dim")
        out.append("\nLast    ", style="dim")
        out.append(acc.last_review.isoformat() if acc.last_review else "never")
        if acc.last_review:
            out.append(f" ({(today - acc.last_review).days}d)", style="dim")
        out.append("\nNext    ", style="dim")
        if due is None:
            out.append("-" if not acc.cadence else "cadence ended")
        else:
            late = (today - due).days
            out.append(due.isoformat())
            out.append(
                f"  {in_words(due, today)}", style="bold red" if late > 0 else "bold yellow" if late == 0 else "green"
            )
        for risk in review_risks(acc, reviews, today, thresholds):
            out.append("\n▲ " if risk.severity >= 2 else "\n△ ", style="red" if risk.severity >= 2 else "yellow")
            out.append(clean(risk.message))
        if not reviews:
            out.append("\nNo reviews yet: press r to record one.", style="dim")
        elif reviews[-1].notes:
            out.append("\nNote    ", style="dim")
            out.append(clean(reviews[-1].notes), style="italic")
        return out

    @staticmethod
    def render_history(reviews: list[Review]) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        if not reviews:
            return out
        last = reviews[-12:]
        for label, attr in (
            ("engagement", "engagement"),
            ("loyalty", "loyalty"),
            ("satisfaction", "satisfaction"),
            ("health", "health"),
        ):
            values = [getattr(r, attr) for r in last]
            first, latest = values[0], values[-1]
            out.append(f"{label:<13}", style="dim")
            out.append(f"{sparkline(values, 1, 5):<12}", style="cyan")
            arrow = "▲" if latest > first else "▼" if latest < first else "▶"
            out.append(f" {latest} {arrow}\n", style="green" if latest > first else "red" if latest < first else "")
        out.append(f"{'':<13}", style="dim")
        out.append("eng loy sat hlth", style="dim")
        for r in reversed(last[-4:]):
            out.append(f"\n{r.date.isoformat():<13}")
            for v in (r.engagement, r.loyalty, r.satisfaction, r.health):
                out.append(f"{v:>3} ", style="green" if v >= 4 else "red" if v <= 2 else "")
        return out

    def action_review(self) -> None:
        acc = self.kam.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is None:
            return
        today = self.kam.today
        prev = self.kam.portfolio.reviews(acc.id)  # type: ignore[arg-type]
        base = prev[-1] if prev else None
        fields = [
            FormField("date", "Date (today, YYYY-MM-DD)", "date", today.isoformat()),
            FormField("engagement", "Engagement 1-5", "number", str(base.engagement) if base else "3"),
            FormField("loyalty", "Loyalty 1-5", "number", str(base.loyalty) if base else "3"),
            FormField("satisfaction", "Satisfaction 1-5", "number", str(base.satisfaction) if base else "3"),
            FormField("health", "Health 1-5", "number", str(base.health) if base else "3"),
            FormField("notes", "Notes", value=""),
        ]

        def build(v: dict[str, Any]) -> Review:
            assert acc.id is not None
            return Review(
                account_id=acc.id,
                date=parse_date_input(v["date"], today, "date") or today,
                reviewer=self.kam.user,
                engagement=v["engagement"],
                loyalty=v["loyalty"],
                satisfaction=v["satisfaction"],
                health=v["health"],
                notes=v["notes"],
            )

        def preview(v: dict[str, Any]) -> str:
            if not acc.cadence:
                return "no cadence: set one with c to schedule the next review"
            day = parse_date_input(v["date"], today, "date") or today
            nxt = next_review(acc.cadence, day, today)
            return f"next review after saving: {nxt.isoformat() if nxt else '-'} ({describe(acc.cadence)})"

        def save(r: Review) -> Any:
            return self.kam.record(self.kam.portfolio.record_review(r), focus=("reviews", None))

        self.app.push_screen(FormScreen(f"Review {clean(acc.name)}", fields, build, save, preview))

    def action_cadence(self) -> None:
        acc = self.kam.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is None:
            return
        today = self.kam.today
        fields = [
            FormField(
                "cadence",
                "Cadence: weekly, biweekly, monthly, quarterly or an RRULE (empty: none)",
                value=acc.cadence,
                placeholder="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            ),
        ]

        def build(v: dict[str, Any]) -> Account:
            return Account.from_doc({**acc.to_doc(), "cadence": v["cadence"]}, acc.id)

        def preview(v: dict[str, Any]) -> str:
            text = v["cadence"].strip()
            if not text:
                return "no cadence: this account will not come up for review"
            c = parse_cadence(text)
            start = acc.last_review or today
            dates = c.occurrences(start, 3)
            return f"{c.describe()}; next three from {start.isoformat()}: " + ", ".join(d.isoformat() for d in dates)

        def save(new: Account) -> Any:
            return self.kam.record(self.kam.portfolio.save(new, acc, "change cadence")[1], focus=("reviews", None))

        self.app.push_screen(FormScreen(f"Review cadence of {clean(acc.name)}", fields, build, save, preview))
