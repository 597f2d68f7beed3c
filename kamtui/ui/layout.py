"""How the main screen divides its size: the list beside the panes, the panes as tabs below
100 columns or 36 rows, one pane zoomed to the whole screen. Pure: sizes in, a layout out.

Five panes, keys 1-5. Wide and tall enough, the right-hand side shows the stakeholders on top,
the reviews at the bottom and, between them, one of the plan, the business and the
opportunities (the *middle* pane: 2, 4 or 5 switches it). Otherwise each pane is a tab of its
own: at 24 rows the three stacked left the middle pane a border line and no row.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from kamtui.i18n import N_, _

NARROW_BELOW = 100  # columns: narrower, the right-hand panes become tabs (keys 1-5)
# Rows: three panes stacked take the header (2), the tabs (1), the stakeholders' 42% (15 of 36),
# the reviews' 10 and the footer, and leave the middle one (plan, business, deals) 5 lines of its
# own. At 30 rows it had 2, the others blank lines to spare (a tester's 100x30).
STACKED_FROM = 36
PANES = ("stakeholders", "plan", "reviews", "business", "deals")
MIDDLE = ("plan", "business", "deals")  # wide, these take turns between stakeholders and reviews
PANE_TITLES = {  # marked: said in the user's language where shown
    "stakeholders": N_("Stakeholders"),
    "plan": N_("Plan"),
    "reviews": N_("Reviews"),
    "business": N_("Business"),
    "deals": N_("Opportunities"),
}
SHORT_TITLES = {
    "stakeholders": N_("People"),
    "plan": N_("Plan"),
    "reviews": N_("Rev"),
    "business": N_("Biz"),
    "deals": N_("Deals"),
}


@dataclass(frozen=True, slots=True)
class Layout:
    narrow: bool  # the panes are tabs (narrower than NARROW_BELOW, or shorter than STACKED_FROM)
    accounts_shown: bool
    accounts_width: int | str  # cells, or "1fr"
    right_shown: bool
    tabs_shown: bool
    panes_shown: frozenset[str]
    single: bool  # one pane shown (zoomed, or a tab): it takes all the height


def pane_layout(width: int, zoomed: str | None, tab: str, middle: str = "plan", height: int = STACKED_FROM) -> Layout:
    """The layout at ``width`` columns and ``height`` rows with ``zoomed`` ("accounts", a pane or
    None), ``tab`` the pane shown when the panes are tabs and ``middle`` the one between
    stakeholders and reviews when they are not."""
    thin = width < NARROW_BELOW  # the list narrows too
    narrow = thin or height < STACKED_FROM
    if zoomed is not None:
        shown = frozenset({zoomed} & set(PANES))
    else:
        shown = frozenset({tab} if narrow else {"stakeholders", middle if middle in MIDDLE else "plan", "reviews"})
    return Layout(
        narrow=narrow,
        accounts_shown=zoomed in (None, "accounts"),
        accounts_width="1fr" if zoomed == "accounts" else (32 if thin else max(44, int(width * 0.42))),
        right_shown=zoomed != "accounts",
        tabs_shown=zoomed is None,
        panes_shown=shown,
        single=zoomed is not None or narrow,
    )


def tabs_text(shown: frozenset[str] | set[str], focused: str, width: int) -> Text:
    """The tab bar: each pane with its key; those shown bold, the focused one reversed, the
    others dim. When the full titles do not fit in ``width`` cells the others shorten, then
    keep only their key."""

    def bar(title_of: dict[str, str], gap: str, focused_title: dict[str, str] = PANE_TITLES) -> Text:
        t = Text(no_wrap=True, overflow="crop")
        for i, name in enumerate(PANES, 1):
            if i > 1:
                t.append(gap)
            raw = focused_title[name] if name == focused else title_of[name]
            title = _(raw) if raw else ""
            style = "bold reverse" if name == focused else ("bold" if name in shown else "dim")
            t.append(f" {i} {title} ".rstrip() + " " if name == focused else f"{i} {title}".rstrip(), style=style)
        return t

    numbers = {name: "" for name in PANES}
    # Shorten the others first, then the focused title too ("Interlocutores" is 14 cells), and
    # only then keep nothing but the others' keys.
    tries: tuple[tuple[dict[str, str], str, dict[str, str]], ...] = (
        (PANE_TITLES, "  ", PANE_TITLES),
        (SHORT_TITLES, "  ", PANE_TITLES),
        (SHORT_TITLES, " ", PANE_TITLES),
    )
    tries += ((SHORT_TITLES, " ", SHORT_TITLES), (numbers, " ", PANE_TITLES), (numbers, " ", SHORT_TITLES))
    for title_of, gap, focused_title in tries:
        text = bar(title_of, gap, focused_title)
        if text.cell_len <= width:
            return text
    return text
    return text
