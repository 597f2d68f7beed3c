"""How the main screen divides its width: the list beside the panes, the panes as tabs below
100 columns, one pane zoomed to the whole screen. Pure: sizes in, a layout out."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

NARROW_BELOW = 100  # columns: narrower, the right-hand panes become tabs (keys 1-3)
PANES = ("stakeholders", "plan", "reviews")
PANE_TITLES = {"stakeholders": "Stakeholders", "plan": "Plan", "reviews": "Reviews"}


@dataclass(frozen=True, slots=True)
class Layout:
    narrow: bool
    accounts_shown: bool
    accounts_width: int | str  # cells, or "1fr"
    right_shown: bool
    tabs_shown: bool
    panes_shown: frozenset[str]
    single: bool  # one pane shown (zoomed, or a tab): it takes all the height


def pane_layout(width: int, zoomed: str | None, tab: str) -> Layout:
    """The layout at ``width`` columns with ``zoomed`` ("accounts", a pane or None) and ``tab``
    the pane shown when the panes are tabs."""
    narrow = width < NARROW_BELOW
    if zoomed is not None:
        shown = frozenset({zoomed} & set(PANES))
    else:
        shown = frozenset({tab} if narrow else PANES)
    return Layout(
        narrow=narrow,
        accounts_shown=zoomed in (None, "accounts"),
        accounts_width="1fr" if zoomed == "accounts" else (32 if narrow else max(44, int(width * 0.42))),
        right_shown=zoomed != "accounts",
        tabs_shown=narrow and zoomed is None,
        panes_shown=shown,
        single=zoomed is not None or narrow,
    )


def tabs_text(tab: str) -> Text:
    """The tab bar: the shown pane reversed, the others dim, each with its key."""
    t = Text(no_wrap=True)
    for i, name in enumerate(PANES, 1):
        t.append(f" {i} {PANE_TITLES[name]} ", style="bold reverse" if name == tab else "dim")
        t.append(" ")
    return t
