"""The Opportunities pane: the account's deals, one line each, a cursor on each: the open ones
by stage in pipeline order, then those won and those lost. Keys add, edit, delete, move a deal
along the stages and close it as won or lost with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.strip import Strip

from kamtui.domain.deals import OPEN_STAGES, Opportunity, Stage, moved_stage, with_stage
from kamtui.domain.model import Objective
from kamtui.domain.pipeline import Pipeline
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, pgettext
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.deal_texts import deal_columns, deal_line, deals_summary, group_header, stage_header, stage_word
from kamtui.ui.line_view import LineView, PaneList, text_lines
from kamtui.ui.panes.base import Pane, set_subtitle
from kamtui.ui.session import Session

# One line each: (key, selectable, the line at a width). Keys: "d:12" an opportunity, "s:propose"
# an open stage's header, "g:open" / "g:won" / "g:lost" a group's header, "c:" the column
# titles, "x:opportunities/5" a damaged record, "e:won" an empty group's placeholder.
Option = tuple[str, bool, Callable[[int], Text]]


def _fixed(text: Text, width: int) -> Text:
    return text


class DealsList(PaneList):
    """The opportunities, one line each, a cursor on each deal and header."""

    def __init__(self) -> None:
        super().__init__(id="deals-list", title=_("Opportunities"))
        self.options: list[Option] = []

    def build(self, width: int) -> list[Strip]:
        return self.render_options(self.options, width)

    def render_options(self, options: list[Option], width: int) -> list[Strip]:
        console = self.app.console
        lines: list[Strip] = []
        for _k, _s, line in options:
            text = line(width)
            text.no_wrap, text.overflow = True, "ellipsis"
            lines.extend(text_lines(text, width, console)[:1] or [Strip.blank(width)])
        return lines


@dataclass(frozen=True, slots=True)
class DealsState:
    deals: dict[int, Opportunity]
    options: list[Option]
    subtitle: str


class DealsPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add"), tooltip=N_("Add an opportunity (at the stage under the cursor)"), id="deal-add"),
        Binding(
            "e", "edit", N_("Edit"), tooltip=N_("Edit the opportunity: value, stage, probability..."), id="deal-edit"
        ),
        Binding("d", "delete", N_("Delete"), id="deal-delete"),
        Binding(
            "greater_than_sign",
            "move(1)",
            N_("Stage >"),
            tooltip=N_("Move the opportunity to the next stage (its probability back to the stage's)"),
            id="deal-forward",
        ),
        Binding(
            "less_than_sign",
            "move(-1)",
            N_("Stage <"),
            tooltip=N_("Move the opportunity back a stage (its probability back to the stage's)"),
            id="deal-back",
        ),
        Binding("W", "close(True)", N_("Won"), tooltip=N_("Close the opportunity as won, saying why"), id="deal-won"),
        Binding(
            "L", "close(False)", N_("Lost"), tooltip=N_("Close the opportunity as lost, saying why"), id="deal-lost"
        ),
        Binding("u", "undo", N_("Undo"), tooltip=N_("Undo the last change, repeatedly"), id="undo"),
    ]
    DEFAULT_CSS = """
    DealsPane { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="deals")
        self.init_pane(session)
        self.deals: dict[int, Opportunity] = {}
        self.list = DealsList()

    def compose(self) -> ComposeResult:
        yield self.list

    @property
    def view(self) -> LineView:
        return self.list

    def _keys(self) -> tuple[str, ...]:
        return tuple(key for key, selectable, _t in self.list.options if selectable)

    def current_key(self) -> str | None:
        keys = self._keys()
        cursor = self.list.cursor
        return keys[cursor] if 0 <= cursor < len(keys) else None

    def current(self) -> Opportunity | None:
        key = self.current_key() or ""
        return self.deals.get(int(key[2:])) if key.startswith("d:") else None

    def _deal_to_act_on(self) -> Opportunity | None:
        """The opportunity under the cursor, for a key that acts on one; else None, after saying
        why nothing happened (the cursor on a stage's line, or no opportunity at all)."""
        item = self.current()
        if item is None:
            if self.deals:
                self.app.notify(_("Put the cursor on an opportunity (j/k), not on its stage's line."), markup=False)
            else:
                self.app.notify(_("No opportunity yet: a adds one."), markup=False)
        return item

    def refresh_pane(self, keep: str | None = None) -> None:  # type: ignore[override]
        self.apply(self.load(self.account_id), None, keep)

    def lines_for(self, state: DealsState, width: int) -> list[Strip]:
        return self.list.render_options(state.options, width)

    def apply(self, state: DealsState, lines: list[Strip] | None, keep: str | None = None) -> None:
        view = self.list
        keep = keep or self.current_key()
        self.deals = state.deals
        old_cursor = view.cursor
        view.options = state.options
        view.targets = [i for i, (_k, selectable, _t) in enumerate(state.options) if selectable]
        keys = self._keys()
        view.cursor = keys.index(keep) if keep in keys else min(old_cursor, max(0, len(keys) - 1))
        if lines is None:
            view.rebuild()
        else:
            view.set_lines(lines, view.line_width)
        view.reveal_cursor()
        set_subtitle(view, state.subtitle)

    def load(self, account_id: int | None) -> DealsState:
        p = self.session.portfolio
        today = self.session.today
        if account_id is None:
            return DealsState({}, [], "")
        opps = p.opportunities(account_id)
        account = p.account(account_id)
        cur = account.currency if account is not None else ""  # the account's own, else the portfolio's
        objectives = {o.id: o for o in p.objectives(account_id) if o.id is not None}
        options: list[Option] = [("c:", False, deal_columns)]
        for item in damaged(p, "opportunities", account_id, len(opps)):
            for text in damage_text([item]).split("\n"):
                options.append((f"x:{item.table}/{item.id}", False, partial(_fixed, text)))

        def lines_of(group: list[Opportunity]) -> None:
            for o in group:
                objective = _objective_title(objectives, o.objective_id)
                options.append((f"d:{o.id}", True, partial(deal_line, o, objective, today, currency=cur)))

        open_ = [o for o in opps if o.is_open]
        options.append(
            (
                "g:open",
                True,
                partial(
                    _fixed, group_header(pgettext("deal group", "Open"), open_, today, open_group=True, currency=cur)
                ),
            )
        )
        for stage in OPEN_STAGES:
            in_stage = [o for o in open_ if o.stage is stage]
            if in_stage:
                options.append((f"s:{stage.value}", True, partial(_fixed, stage_header(stage, in_stage, cur))))
                lines_of(in_stage)
        if not opps:
            hint = Text("   " + _("No opportunities yet: a adds one."), style="dim")
            options.append(("e:open", False, partial(_fixed, hint)))
        for title, stage in ((pgettext("deal group", "Won"), Stage.WON), (pgettext("deal group", "Lost"), Stage.LOST)):
            group = sorted((o for o in opps if o.stage is stage), key=_newest_first)
            header = group_header(title, group, today, open_group=False, currency=cur)
            options.append((f"g:{stage.value}", True, partial(_fixed, header)))
            lines_of(group)
        return DealsState(
            {o.id: o for o in opps if o.id is not None}, options, deals_summary(Pipeline.of(opps, today), cur)
        )

    # ---------------------------------------------------------------- actions
    def _stage_at_cursor(self) -> Stage:
        item = self.current()
        if item is not None and item.is_open:
            return item.stage if item.stage is not Stage.OPEN else Stage.PROSPECT
        key = self.current_key() or ""
        if key.startswith("s:") and key[2:] != Stage.OPEN.value:
            return Stage(key[2:])
        return Stage.PROSPECT

    def action_add(self) -> None:
        from kamtui.ui.deal_forms import deal_form  # forms load when first used

        if self.account_id is not None:
            self.app.push_screen(deal_form(self.session, self.account_id, None, self._stage_at_cursor()))

    def action_edit(self) -> None:
        from kamtui.ui.deal_forms import deal_form

        item = self._deal_to_act_on()
        if item is not None:
            self.app.push_screen(deal_form(self.session, item.account_id, item))

    def action_delete(self) -> None:
        from kamtui.ui.forms import ConfirmScreen

        item = self._deal_to_act_on()
        if item is None:
            return
        portfolio = self.session.portfolio

        def answer(yes: bool | None) -> None:
            if yes:
                self.session.write(lambda: portfolio.delete(item, _("delete opportunity")), focus=("deals", None))

        question = _("Delete opportunity {title}? (u undoes)").format(title=clean(item.title))
        self.app.push_screen(ConfirmScreen(question), answer)

    def action_move(self, step: int) -> None:
        item = self._deal_to_act_on()
        if item is None:
            return
        stage = moved_stage(item.stage, step)
        if stage is None:
            if not item.is_open:
                why = _("It is {stage}: e edits its stage to reopen it").format(stage=stage_word(item.stage))
            elif step > 0:
                why = _("Last open stage: W closes it as won")
            else:
                why = _("First stage already")
            self.app.notify(why, timeout=3, markup=False)
            return
        portfolio, new = self.session.portfolio, with_stage(item, stage)
        self.session.write(
            lambda: portfolio.save(new, item, _("move opportunity to {stage}").format(stage=stage_word(stage)))[1],
            focus=("deals", f"d:{item.id}"),
        )

    def action_close(self, won: bool) -> None:
        from kamtui.ui.deal_forms import close_form

        item = self._deal_to_act_on()
        if item is not None:
            self.app.push_screen(close_form(self.session, item, won))

    def action_undo(self) -> None:
        self.session.undo()


def _objective_title(objectives: dict[int, Objective], objective_id: int | None) -> str | None:
    if objective_id is None:
        return None
    o = objectives.get(objective_id)
    return o.title if o is not None else _("objective #{id} (not found)").format(id=objective_id)


def _newest_first(o: Opportunity) -> int:
    return -(o.close_date or dt.date.min).toordinal()
