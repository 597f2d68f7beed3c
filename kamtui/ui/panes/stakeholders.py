"""The stakeholder pane: the coverage of the buying roles (one line), the people of the account
(a cursor on each), the influence x friendliness grid and the relationship warnings in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.strip import Strip

from kamtui.domain.coverage import Cover, RoleCoverage, coverage
from kamtui.domain.model import Stakeholder
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, ngettext
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.line_view import CursorView, LineView, fit, text_lines, text_segments
from kamtui.ui.panes.base import Pane, set_subtitle
from kamtui.ui.session import Session
from kamtui.ui.texts import (
    NAME_CELLS,
    influence_matrix,
    relationship_warnings,
    role_word,
    stakeholder_cells,
    stakeholder_columns,
    stakeholder_headings,
    stakeholder_name,
)


@dataclass(frozen=True, slots=True)
class People:
    items: list[Stakeholder]
    damage: Text  # the stakeholders that do not load, one line each
    coverage: list[RoleCoverage] | None = field(default=None)  # None: no account shown


COVER_STYLES = {
    Cover.COVERED: "green",
    Cover.COLD: "yellow",
    Cover.NEVER: "yellow",
    Cover.HOSTILE: "bold red",
    Cover.MISSING: "red",
}


def cover_word(state: Cover) -> str:
    """A role's coverage in words ("covered", "cold"...)."""
    return _(state.value)


# Marked for the catalog; cover_word translates them (the Cover enum's values).
_COVER_WORDS = (
    N_("covered"),
    N_("cold"),
    N_("never contacted"),
    N_("hostile"),
    N_("missing"),
)


def _roles_text(cov: Sequence[RoleCoverage], short: bool, title: str) -> Text:
    t = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
    for i, c in enumerate(cov):
        if i:
            t.append(" · ", style="dim")
        t.append(role_word(c.role, short))  # the table's short names
        t.append(" ")
        t.append(cover_word(c.state), style=COVER_STYLES[c.state])
    return t


def _roles_width(cov: Sequence[RoleCoverage], short: bool, title: str) -> int:
    """The cells :func:`_roles_text` takes, counted without building it."""
    names = sum(cell_len(role_word(c.role, short)) for c in cov)
    states = sum(1 + cell_len(cover_word(c.state)) for c in cov)
    return cell_len(title) + names + states + 3 * max(0, len(cov) - 1)


def coverage_layout(cov: Sequence[RoleCoverage], width: int) -> tuple[int, str, bool, bool]:
    """How the coverage fits ``width`` cells: (lines, title, short role names, cut): one line
    with its title when it fits, else without, else two lines with the full role names, else
    with the short ones, else those cut."""
    for title in (_("Coverage") + "  ", ""):
        if _roles_width(cov, False, title) <= width:
            return 1, title, False, False
    half = (len(cov) + 1) // 2
    for short in (False, True):
        if max(_roles_width(cov[:half], short, ""), _roles_width(cov[half:], short, "")) <= width:
            return 2, "", short, False
    return 2, "", True, True


def coverage_lines(cov: Sequence[RoleCoverage], width: int) -> list[Text]:
    """The buying roles' coverage in at most ``width`` cells a line: one line when it fits
    ("Coverage  economic buyer covered · champion cold · ..."), else the roles over two lines,
    with full role names when they fit, else shorter ones (a line still too long is cut)."""
    lines, title, short, cut = coverage_layout(cov, width)
    if lines == 1:
        return [_roles_text(cov, short, title)]
    half = (len(cov) + 1) // 2
    two = [_roles_text(cov[:half], short, ""), _roles_text(cov[half:], short, "")]
    if cut:
        for t in two:
            t.truncate(width, overflow="ellipsis")
    return two


def coverage_height(cov: Sequence[RoleCoverage], width: int) -> int:
    """How many lines :func:`coverage_lines` takes, found without building them (asked on
    every cursor move)."""
    return coverage_layout(cov, width)[0]


class StakeholderTable(CursorView):
    """The stakeholder pane's content: the table (a cursor on each person), the grid, the warnings."""

    DEFAULT_CSS = """
    StakeholderTable { height: 42vh; border: round $primary 50%; border-title-color: $text; }
    StakeholderTable:focus { border: round $border; }
    """

    def __init__(self, pane: StakeholderPane) -> None:
        super().__init__(id="sh-table")
        self.border_title = _("Stakeholders")
        self.pane = pane
        # The coverage lines each coverage took when its lines were made (id -> coverage, width,
        # lines): showing lines prepared ahead needs their count again, on every cursor move.
        self._coverage_lines: dict[int, tuple[list[RoleCoverage], int, int]] = {}

    def build(self, width: int) -> list[Strip]:
        lines = self.render_items(People(self.pane.items, self.pane.damage, self.pane.coverage), width)
        self.set_targets(width)  # the coverage takes one or two lines, by the width
        return lines

    def set_targets(self, width: int) -> None:
        """The people's lines: after the coverage lines and the column titles."""
        cov = self.pane.coverage
        top = 1 + (0 if cov is None else self._coverage_height(cov, width))
        self.targets = list(range(top, len(self.pane.items) + top))

    def _coverage_height(self, cov: list[RoleCoverage], width: int) -> int:
        kept = self._coverage_lines.get(id(cov))
        if kept is not None and kept[0] is cov and kept[1] == width:
            return kept[2]
        return coverage_height(cov, width - 2)

    def render_items(self, people: People, width: int) -> list[Strip]:
        session = self.pane.session
        today = session.today
        compact = width < 58
        cols = stakeholder_columns(width)
        rows = [[cells[c] for c in cols] for cells in (stakeholder_cells(s, today, compact) for s in people.items)]
        heads = stakeholder_headings()
        names = [heads[c] for c in cols]
        widths = [max([cell_len(c), *(r[i].cell_len for r in rows)]) for i, c in enumerate(names)]
        if compact and rows:  # a name longer than the narrow one gets the room the other columns leave
            room = width - 1 - sum(widths[1:]) - 2 * (len(cols) - 1)  # one cell before, two between
            if any(s.left for s in people.items):
                room -= cell_len(" " + _("(left)"))
            cells = max(NAME_CELLS[0], min(NAME_CELLS[1], room))
            if cells > NAME_CELLS[0]:
                for row, s in zip(rows, people.items, strict=True):
                    row[0] = stakeholder_name(s, cells)
                widths[0] = max([cell_len(names[0]), *(r[0].cell_len for r in rows)])
        console = self.app.console
        lines: list[Strip] = []
        if people.coverage is not None:
            roles = coverage_lines(people.coverage, width - 2)
            if len(self._coverage_lines) > 16:
                self._coverage_lines.clear()
            self._coverage_lines[id(people.coverage)] = (people.coverage, width, len(roles))
            for line in roles:
                lines.extend(text_lines(line, width, console, indent=1))
        if rows:
            header = self.header_style()
            titles = " " + "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(names, widths, strict=True))
            lines.append(
                fit([Segment(titles, header)], width)
                if cell_len(titles) > width
                else Strip([Segment(titles.ljust(width), header)])
            )
            for row in rows:
                segments: list[Segment] = [Segment(" ")]
                for i, (cell, w) in enumerate(zip(row, widths, strict=True)):
                    if i:
                        segments.append(Segment("  "))
                    segments.extend(text_segments(cell) or cell.render(console, end=""))
                    if cell.cell_len < w:
                        segments.append(Segment(" " * (w - cell.cell_len)))
                lines.append(fit(segments, width))
        if people.damage:
            lines.extend(text_lines(people.damage, width, console, indent=1))
        lines.extend(text_lines(influence_matrix(people.items, 7 if compact else 10), width, console, indent=1))
        warnings = relationship_warnings(people.items, today, session.thresholds)
        lines.extend(text_lines(warnings, width, console, indent=1))
        return lines


class StakeholderPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "plus,equals_sign",
            "friendlier",
            N_("Friendlier"),
            tooltip=N_("Raise friendliness, with an optional reason (recorded in history)"),
            id="stakeholder-friendlier",
        ),
        Binding(
            "minus",
            "colder",
            N_("Colder"),
            tooltip=N_("Lower friendliness, with an optional reason (recorded in history)"),
            id="stakeholder-colder",
        ),
        Binding("a", "add", N_("Add"), id="stakeholder-add"),
        Binding("e", "edit", N_("Edit"), id="stakeholder-edit"),
        Binding("d", "delete", N_("Delete"), id="stakeholder-delete"),
    ]
    DEFAULT_CSS = """
    StakeholderPane { height: auto; }
    StakeholderPane.single StakeholderTable { height: 1fr; }
    StakeholderPane.giving-way StakeholderTable { height: 24vh; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="stakeholders")
        self.init_pane(session)
        self.items: list[Stakeholder] = []
        self.damage = Text()  # the account's stakeholders that do not load, one line each
        self.coverage: list[RoleCoverage] | None = None  # the buying roles' coverage (None: no account)
        self.table = StakeholderTable(self)

    def compose(self) -> ComposeResult:
        yield self.table

    def current(self) -> Stakeholder | None:
        t = self.table
        return self.items[t.cursor] if 0 <= t.cursor < len(self.items) else None

    @property
    def view(self) -> LineView:
        return self.table

    def load(self, account_id: int | None) -> People:
        if account_id is None:
            return People([], Text())
        p = self.session.portfolio
        items = p.stakeholders(account_id)
        cov = coverage(items, self.session.today, self.session.thresholds.risk)
        return People(items, damage_text(damaged(p, "stakeholders", account_id, len(items))), cov)

    def lines_for(self, state: People, width: int) -> list[Strip]:
        return self.table.render_items(state, width)

    def refresh_pane(self, keep: int | None = None) -> None:  # type: ignore[override]
        self.apply(self.load(self.account_id), None, keep)

    def apply(self, state: People, lines: list[Strip] | None, keep: int | None = None) -> None:
        t = self.table
        old = self.current()
        keep = keep if keep is not None else (old.id if old else None)
        self.items, self.damage, self.coverage = state.items, state.damage, state.coverage
        cursor = 0
        if keep is not None:
            cursor = next((i for i, s in enumerate(self.items) if s.id == keep), 0)
        t.cursor = cursor
        width = t.line_width
        if lines is None:
            t.rebuild()
        else:
            t.set_lines(lines, width)
        t.set_targets(width)
        t.reveal_cursor()
        current = len([s for s in self.items if not s.left])
        set_subtitle(t, ngettext("{n} person", "{n} people", current).format(n=current))

    # ---------------------------------------------------------------- actions
    def action_friendlier(self) -> None:
        self._shift(+1)

    def action_colder(self) -> None:
        self._shift(-1)

    def _shift(self, delta: int) -> None:
        from kamtui.ui.entity_forms import attitude_form  # forms load when first used

        s = self.current()
        if s is None:
            return
        target = max(-2, min(2, s.friendliness + delta))
        if target == s.friendliness:
            self.app.bell()
            return
        self.app.push_screen(attitude_form(self.session, s, target))  # the reason, then one save

    def action_add(self) -> None:
        from kamtui.ui.entity_forms import stakeholder_form

        if self.account_id is not None:
            self.app.push_screen(stakeholder_form(self.session, self.account_id, None))

    def action_edit(self) -> None:
        from kamtui.ui.entity_forms import stakeholder_form

        s = self.current()
        if s is not None:
            self.app.push_screen(stakeholder_form(self.session, s.account_id, s))

    def action_delete(self) -> None:
        from kamtui.ui.forms import ConfirmScreen

        s = self.current()
        if s is None:
            return
        portfolio = self.session.portfolio

        def answer(yes: bool | None) -> None:
            if yes:
                self.session.write(lambda: portfolio.delete(s), focus=("stakeholder", None))

        self.app.push_screen(ConfirmScreen(_("Delete stakeholder {name}?").format(name=clean(s.name))), answer)
