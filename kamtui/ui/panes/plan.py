"""The plan pane: the account plan as a checklist, one line each: the projected value on top,
the horizons, their objectives and the objectives' actions (with the people they concern, an
open one flagged when such a person is hostile, silent or gone), then the KPIs of each plan
period with their status; a cursor on each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.strip import Strip

from kamtui.domain.deals import Kpi
from kamtui.domain.links import link_flags
from kamtui.domain.model import Action, Horizon, Objective, ObjectiveStatus, Stakeholder
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, ngettext
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.line_view import LineView, PaneList, text_lines
from kamtui.ui.panes.base import Pane, set_subtitle
from kamtui.ui.plan_texts import kpi_line, kpi_title, links_suffix, projection_line
from kamtui.ui.session import Session
from kamtui.ui.texts import action_line, horizon_line, objective_line, plan_summary

if TYPE_CHECKING:
    from kamtui.ui.forms import FormScreen

# One line each: (key, selectable, text). Keys: "p:" the projected value, "h:short" a horizon,
# "o:12" an objective, "a:34" an action, "e:short" the empty horizon's placeholder,
# "K:2026" a plan period's KPI title, "k:7" a KPI, "x:actions/56" a damaged record.
Option = tuple[str, bool, Text]


class PlanList(PaneList):
    """The plan checklist: horizons, objectives and actions, one line each, a cursor on each."""

    def __init__(self) -> None:
        super().__init__(id="plan-list", title=_("Plan"))
        self.options: list[Option] = []

    def build(self, width: int) -> list[Strip]:
        return self.render_options(self.options, width)

    def render_options(self, options: list[Option], width: int) -> list[Strip]:
        console = self.app.console
        lines: list[Strip] = []
        for _k, _s, text in options:
            lines.extend(text_lines(text, width, console)[:1] or [Strip.blank(width)])
        return lines


@dataclass(frozen=True, slots=True)
class PlanState:
    objectives: dict[int, Objective]
    actions: dict[int, Action]
    kpis: dict[int, Kpi]
    options: list[Option]
    subtitle: str


class PlanPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_done",
            N_("Done"),
            tooltip=N_("Tick or untick the action (stamps date and user)"),
            id="plan-done",
        ),
        Binding(
            "a",
            "add",
            N_("Add"),
            tooltip=N_("Add an objective, or an action under the objective at the cursor"),
            id="plan-add",
        ),
        Binding("A", "add_objective", N_("Add objective"), show=False, id="plan-add-objective"),
        Binding(
            "K",
            "add_kpi",
            N_("Add KPI"),
            tooltip=N_("Add a KPI to the account plan (k is the cursor's up)"),
            id="plan-add-kpi",
        ),
        Binding(
            "U",
            "kpi_reading",
            N_("Update KPI"),
            tooltip=N_("Record today's actual of the KPI at the cursor (kept in its history)"),
            id="plan-kpi-reading",
        ),
        Binding("e", "edit", N_("Edit"), id="plan-edit"),
        Binding("d", "delete", N_("Delete"), id="plan-delete"),
        Binding("u", "undo", N_("Undo"), tooltip=N_("Undo the last change, repeatedly"), id="undo"),
    ]
    DEFAULT_CSS = """
    PlanPane { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="plan")
        self.init_pane(session)
        self.objectives: dict[int, Objective] = {}
        self.actions: dict[int, Action] = {}
        self.kpis: dict[int, Kpi] = {}
        self.list = PlanList()

    def compose(self) -> ComposeResult:
        yield self.list

    def _keys(self) -> tuple[str, ...]:
        return tuple(key for key, selectable, _t in self.list.options if selectable)

    def current_key(self) -> str | None:
        keys = self._keys()
        cursor = self.list.cursor
        return keys[cursor] if 0 <= cursor < len(keys) else None

    def current(self) -> Objective | Action | Kpi | None:
        key = self.current_key()
        if key is None:
            return None
        kind, _sep, ident = key.partition(":")
        if kind == "o":
            return self.objectives.get(int(ident))
        if kind == "a":
            return self.actions.get(int(ident))
        if kind == "k":
            return self.kpis.get(int(ident))
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
        self.objectives, self.actions, self.kpis = state.objectives, state.actions, state.kpis
        old_cursor = ol.cursor
        ol.options = state.options
        ol.targets = [i for i, (_k, selectable, _t) in enumerate(state.options) if selectable]
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
        thresholds = self.session.thresholds
        aid = account_id
        acc = p.account(aid) if aid is not None else None
        objectives = p.objectives(aid) if aid is not None else []
        actions = p.actions(aid) if aid is not None else []
        kpis = p.kpis(aid) if aid is not None else []
        people: dict[int, Stakeholder] = {}
        if aid is not None:
            people = {s.id: s for s in p.stakeholders(aid) if s.id is not None}
        by_obj: dict[int, list[Action]] = {}
        for a in actions:
            by_obj.setdefault(a.objective_id, []).append(a)
        options: list[Option] = []
        if acc is not None and aid is not None:
            options.append(("p:", False, projection_line(acc, p.opportunities(aid), objectives)))
        total_done = total = overdue = 0
        none_yet = _("(none: a adds one)")  # once, not per horizon

        def add_actions(acts: list[Action]) -> None:
            nonlocal total_done, total, overdue
            for a in acts:
                total += 1
                total_done += a.done
                overdue += a.is_overdue(today)
                line = action_line(a, today)
                flags = {} if a.done else link_flags(a.stakeholders, people, today, thresholds)
                line.append_text(links_suffix(a.stakeholders, people, flags))
                options.append((f"a:{a.id}", True, line))

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
                line = objective_line(o, sum(1 for a in acts if a.done), len(acts))
                closed = o.status in (ObjectiveStatus.DONE, ObjectiveStatus.DROPPED)
                flags = {} if closed else link_flags(o.stakeholders, people, today, thresholds)
                line.append_text(links_suffix(o.stakeholders, people, flags))
                options.append((f"o:{o.id}", True, line))
                add_actions(acts)
            if not objs:
                options.append((f"e:{horizon.value}", False, Text(f"   {none_yet}", style="dim")))
        if aid is not None:
            broken_kpis = damaged(p, "kpis", aid, len(kpis))
            options += [
                (f"x:kpis/{item.id}", False, line) for item in broken_kpis for line in damage_text([item]).split("\n")
            ]
            periods = sorted({k.period for k in kpis} | {str(today.year)}, reverse=True)
            for period in periods:
                in_period = [k for k in kpis if k.period == period]
                options.append((f"K:{period}", True, kpi_title(period, len(in_period))))
                options += [(f"k:{k.id}", True, kpi_line(k, today)) for k in in_period]
                if not in_period:
                    options.append(("e:kpis", False, Text("   " + _("(none: K adds one)"), style="dim")))
        for _k, _s, text in options:
            text.no_wrap = True
            text.overflow = "ellipsis"
        return PlanState(
            {o.id: o for o in objectives if o.id is not None},
            {a.id: a for a in actions if a.id is not None},
            {k.id: k for k in kpis if k.id is not None},
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
        from kamtui.ui.entity_forms import action_form  # forms load when first used

        assert self.account_id is not None
        return action_form(self.session, self.account_id, a, objective_id, self.objectives.get(objective_id))

    def action_add(self) -> None:
        item = self.current()
        if isinstance(item, Kpi) or (self.current_key() or "").startswith("K:"):
            self.action_add_kpi()
        elif isinstance(item, Objective) and item.id is not None:
            self.app.push_screen(self._action_form(None, item.id))
        elif isinstance(item, Action):
            self.app.push_screen(self._action_form(None, item.objective_id))
        else:
            self.action_add_objective()

    def action_add_objective(self) -> None:
        from kamtui.ui.entity_forms import objective_form

        if self.account_id is not None:
            self.app.push_screen(objective_form(self.session, self.account_id, None, self._horizon_at_cursor()))

    def _period_at_cursor(self) -> str | None:
        item, key = self.current(), self.current_key() or ""
        if isinstance(item, Kpi):
            return item.period
        return key[2:] if key.startswith("K:") else None

    def action_add_kpi(self) -> None:
        from kamtui.ui.kpi_forms import kpi_form

        if self.account_id is not None:
            self.app.push_screen(kpi_form(self.session, self.account_id, None, self._period_at_cursor()))

    def action_kpi_reading(self) -> None:
        from kamtui.ui.kpi_forms import reading_form

        item = self.current()
        if isinstance(item, Kpi):
            self.app.push_screen(reading_form(self.session, item))
        elif self.kpis:
            self.app.notify(_("Put the cursor on a KPI to update it (K adds one)."), markup=False)

    def action_edit(self) -> None:
        from kamtui.ui.entity_forms import objective_form
        from kamtui.ui.kpi_forms import kpi_form

        item = self.current()
        if isinstance(item, Kpi):
            self.app.push_screen(kpi_form(self.session, item.account_id, item))
        elif isinstance(item, Objective):
            self.app.push_screen(objective_form(self.session, item.account_id, item, item.horizon))
        elif isinstance(item, Action):
            self.app.push_screen(self._action_form(item, item.objective_id))

    def action_delete(self) -> None:
        from kamtui.ui.forms import ConfirmScreen

        item = self.current()
        if item is None:
            return
        if isinstance(item, Objective):
            n = sum(1 for a in self.actions.values() if a.objective_id == item.id)
            title = clean(item.title)
            question = (
                ngettext(
                    "Delete objective {title} and its {n} action(s)?",
                    "Delete objective {title} and its {n} action(s)?",
                    n,
                ).format(title=title, n=n)
                if n
                else _("Delete objective {title}?").format(title=title)
            )
        elif isinstance(item, Kpi):
            n = len(item.history)
            question = ngettext(
                "Delete KPI {name} and its {n} reading(s)?", "Delete KPI {name} and its {n} reading(s)?", n
            ).format(name=clean(item.name), n=n)
        else:
            question = _("Delete action {text}?").format(text=clean(item.text))
        portfolio = self.session.portfolio

        def answer(yes: bool | None) -> None:
            if yes:
                self.session.write(lambda: portfolio.delete(item), focus=("plan", None))

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_undo(self) -> None:
        self.session.undo()
