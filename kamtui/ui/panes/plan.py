"""The plan pane: the account plan as a checklist, one line each: the horizons, their
objectives and the objectives' actions, a cursor on each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.strip import Strip

from kamtui.domain.model import Action, Horizon, Objective
from kamtui.domain.text import clean
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.entity_forms import action_form, objective_form
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.line_view import CursorView, LineView, text_lines
from kamtui.ui.panes.base import Pane, set_subtitle
from kamtui.ui.session import Session
from kamtui.ui.texts import action_line, horizon_line, objective_line, plan_summary

# One line each: (key, selectable, text). Keys: "h:short" a horizon, "o:12" an objective,
# "a:34" an action, "e:short" the empty horizon's placeholder, "x:actions/56" a damaged record.
Option = tuple[str, bool, Text]


class PlanList(CursorView):
    """The plan checklist: horizons, objectives and actions, one line each, a cursor on each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "first", "First", show=False, id="first"),
        Binding("G", "last", "Last", show=False, id="last"),
    ]
    DEFAULT_CSS = """
    PlanList { height: 1fr; border: round $primary 50%; border-title-color: $text; }
    PlanList:focus { border: round $border; }
    """

    def __init__(self) -> None:
        super().__init__(id="plan-list")
        self.border_title = "Plan"
        self.options: list[Option] = []

    def build(self, width: int) -> list[Strip]:
        return self.render_options(self.options, width)

    def render_options(self, options: list[Option], width: int) -> list[Strip]:
        console = self.app.console
        lines: list[Strip] = []
        for _, _, text in options:
            lines.extend(text_lines(text, width, console)[:1] or [Strip.blank(width)])
        return lines


@dataclass(frozen=True, slots=True)
class PlanState:
    objectives: dict[int, Objective]
    actions: dict[int, Action]
    options: list[Option]
    subtitle: str


class PlanPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space", "toggle_done", "Done", tooltip="Tick or untick the action (stamps date and user)", id="plan-done"
        ),
        Binding(
            "a",
            "add",
            "Add",
            tooltip="Add an objective, or an action under the objective at the cursor",
            id="plan-add",
        ),
        Binding("A", "add_objective", "Add objective", show=False, id="plan-add-objective"),
        Binding("e", "edit", "Edit", id="plan-edit"),
        Binding("d", "delete", "Delete", id="plan-delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change, repeatedly", id="undo"),
    ]
    DEFAULT_CSS = """
    PlanPane { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="plan")
        self.init_pane(session)
        self.objectives: dict[int, Objective] = {}
        self.actions: dict[int, Action] = {}
        self.list = PlanList()

    def compose(self) -> ComposeResult:
        yield self.list

    def _keys(self) -> tuple[str, ...]:
        return tuple(key for key, selectable, _ in self.list.options if selectable)

    def current_key(self) -> str | None:
        keys = self._keys()
        cursor = self.list.cursor
        return keys[cursor] if 0 <= cursor < len(keys) else None

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

    @property
    def view(self) -> LineView:
        return self.list

    def refresh_pane(self, keep: str | None = None) -> None:  # type: ignore[override]
        self.apply(self.load(self.account_id), None, keep)

    def lines_for(self, state: PlanState, width: int) -> list[Strip]:
        return self.list.render_options(state.options, width)

    def apply(self, state: PlanState, lines: list[Strip] | None, keep: str | None = None) -> None:
        ol = self.list
        keep = keep or self.current_key()
        self.objectives, self.actions = state.objectives, state.actions
        old_cursor = ol.cursor
        ol.options = state.options
        ol.targets = [i for i, (_, selectable, _) in enumerate(state.options) if selectable]
        keys = self._keys()
        index = keys.index(keep) if keep in keys else min(old_cursor, max(0, len(keys) - 1))
        ol.cursor = index
        if lines is None:
            ol.rebuild()
        else:
            ol.set_lines(lines, ol.line_width)
        ol.reveal_cursor()
        set_subtitle(ol, state.subtitle)

    def load(self, account_id: int | None) -> PlanState:
        p = self.session.portfolio
        today = self.session.today
        aid = account_id
        objectives = p.objectives(aid) if aid is not None else []
        actions = p.actions(aid) if aid is not None else []
        by_obj: dict[int, list[Action]] = {}
        for a in actions:
            by_obj.setdefault(a.objective_id, []).append(a)
        options: list[Option] = []
        total_done = total = overdue = 0

        def add_actions(acts: list[Action]) -> None:
            nonlocal total_done, total, overdue
            for a in acts:
                total += 1
                total_done += a.done
                overdue += a.is_overdue(today)
                options.append((f"a:{a.id}", True, action_line(a, today)))

        # Records that do not load come first, each named with what is wrong; the actions of an
        # objective that does not load still show, under it.
        broken = [] if aid is None else damaged(p, "objectives", aid, len(objectives))
        broken += [] if aid is None else damaged(p, "actions", aid, len(actions))
        for item in broken:
            options += [(f"x:{item.table}/{item.id}", False, line) for line in damage_text([item]).split("\n")]
            if item.table == "objectives":
                add_actions(by_obj.get(item.id, []))
        for horizon in Horizon:
            objs = [o for o in objectives if o.horizon is horizon]
            options.append((f"h:{horizon.value}", True, horizon_line(horizon, len(objs))))
            for o in objs:
                acts = by_obj.get(o.id or -1, [])
                options.append((f"o:{o.id}", True, objective_line(o, sum(1 for a in acts if a.done), len(acts))))
                add_actions(acts)
            if not objs:
                options.append((f"e:{horizon.value}", False, Text("   (none: a adds one)", style="dim")))
        for _, _, text in options:
            text.no_wrap = True
            text.overflow = "ellipsis"
        return PlanState(
            {o.id: o for o in objectives if o.id is not None},
            {a.id: a for a in actions if a.id is not None},
            options,
            plan_summary(total_done, total, overdue),
        )

    # ---------------------------------------------------------------- actions
    def action_toggle_done(self) -> None:
        item = self.current()
        if isinstance(item, Action):
            portfolio = self.session.portfolio
            self.session.write(lambda: portfolio.toggle_action(item)[1], focus=("plan", f"a:{item.id}"))

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

    def _action_form(self, a: Action | None, objective_id: int) -> FormScreen:
        assert self.account_id is not None
        return action_form(self.session, self.account_id, a, objective_id, self.objectives.get(objective_id))

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
            self.app.push_screen(objective_form(self.session, self.account_id, None, self._horizon_at_cursor()))

    def action_edit(self) -> None:
        item = self.current()
        if isinstance(item, Objective):
            self.app.push_screen(objective_form(self.session, item.account_id, item, item.horizon))
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
        portfolio = self.session.portfolio

        def answer(yes: bool | None) -> None:
            if yes:
                self.session.write(lambda: portfolio.delete(item), focus=("plan", None))

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_undo(self) -> None:
        self.session.undo()
