"""Portfolio (p): every customer by revenue with its cumulative share and the 80% line, RFM,
a weighted criteria score, promotion candidates and key accounts to re-check. `P` promotes."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import count_text, percent
from kamtui.domain.formats import date as full_date
from kamtui.domain.model import Account, Tier
from kamtui.domain.selection import CRITERIA, Ranked, promoted_cadence, rank, validate_weights
from kamtui.domain.text import clean, money, truncate
from kamtui.i18n import N_, _, ngettext, pgettext
from kamtui.store.facts import customers, selection_settings
from kamtui.ui.first_run import no_accounts_to_rank
from kamtui.ui.footer import FittingFooter
from kamtui.ui.forms import ConfirmScreen, FormField, FormScreen
from kamtui.ui.messages import DataChanged
from kamtui.ui.rows import tier_shorts, tier_word
from kamtui.ui.session import Session
from kamtui.ui.shared_keys import SharedKeysScreen, shared_bindings

LINE = "line"  # the 80% marker row


def segment_words() -> dict[str, str]:
    """The RFM segments (kamtui.domain.selection.rfm_segment) in the user's language."""
    return {
        "champion": pgettext("RFM segment", "champion"),
        "loyal": pgettext("RFM segment", "loyal"),
        "at risk": pgettext("RFM segment", "at risk"),
        "hibernating": pgettext("RFM segment", "hibernating"),
        "new": pgettext("RFM segment", "new"),
        "promising": pgettext("RFM segment", "promising"),
    }


class PortfolioList(ScrollView, can_focus=True):
    """Virtual list of ranked customers with the 80% line drawn where it falls."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "portfolio--cursor",
        "portfolio--line",
        "portfolio--dim",
        "portfolio--flag",
    }
    DEFAULT_CSS = """
    PortfolioList { height: 1fr; background: $surface; overflow-x: hidden; }
    PortfolioList > .portfolio--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    PortfolioList > .portfolio--line { color: $warning; text-style: bold; }
    PortfolioList > .portfolio--dim { color: $text-muted; }
    PortfolioList > .portfolio--flag { color: $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", N_("Down"), show=False, id="cursor-down"),
        Binding("k,up", "move(-1)", N_("Up"), show=False, id="cursor-up"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="page-down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="page-up"),
        Binding("g,home", "first", N_("First"), show=False, id="first"),
        Binding("G,end", "last", N_("Last"), show=False, id="last"),
    ]
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self) -> None:
        super().__init__(id="portfolio-list")
        self.rows: list[Ranked | str] = []
        self.header_width = -1  # the width the header was last made for
        # Words drawn in every row, in the user's language: looked up once, not per row drawn.
        self.tiers, self.segments = tier_shorts(), segment_words()
        self.line_label = " " + _("80% of revenue above this line") + " "

    def set_rows(self, rows: list[Ranked | str], keep_id: int | None = None) -> None:
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        index = 0
        if keep_id is not None:
            for i, r in enumerate(rows):
                if isinstance(r, Ranked) and r.customer.id == keep_id:
                    index = i
                    break
        self.cursor = index
        self.refresh()

    @property
    def current(self) -> Ranked | None:
        if 0 <= self.cursor < len(self.rows):
            row = self.rows[self.cursor]
            return row if isinstance(row, Ranked) else None
        return None

    def watch_cursor(self, value: int) -> None:
        n = len(self.rows)
        if n and not 0 <= value < n:
            self.cursor = max(0, min(value, n - 1))
            return
        self.scroll_to_region(Region(0, value, 1, 1), animate=False, force=True, immediate=True)
        self.refresh()
        screen = self.screen
        if isinstance(screen, PortfolioScreen):
            screen.show_detail()

    def action_move(self, delta: int) -> None:
        target = self.cursor + delta
        if 0 <= target < len(self.rows) and self.rows[target] == LINE:
            target += delta
        if 0 <= target < len(self.rows):
            self.cursor = target

    def action_page(self, direction: int) -> None:
        self.cursor = max(0, min(len(self.rows) - 1, self.cursor + direction * max(1, self.size.height - 1)))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.rows) - 1)

    class Resized(Message):
        """The list's width changed: its columns with it (the screen's header follows)."""

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows))
        self.post_message(self.Resized())

    @property
    def line_width(self) -> int:
        """The cells a row is drawn in: the list's width less its scrollbar's (a row as wide as
        the list lost its last cells, the flag's ellipsis with them, under the scrollbar)."""
        return self.scrollable_content_region.width

    @staticmethod
    def name_width(width: int) -> int:
        return max(10, min(32, width - (78 if width >= 100 else 52)))

    def header_text(self) -> str:
        """The column titles over the rows as :meth:`row_segments` draws them at this width."""
        width = self.header_width = self.line_width
        wide = width >= 100
        rank, customer, tier = (
            pgettext("portfolio column", "rank"),
            pgettext("portfolio column", "customer"),
            pgettext("portfolio column", "tier"),
        )
        revenue, cum, rfm = (
            pgettext("portfolio column", "revenue"),
            pgettext("portfolio column", "cum."),
            pgettext("portfolio column", "RFM"),
        )
        head = f"{rank:>6}   {customer:<{self.name_width(width)}} {tier:<4} {revenue:>7} {cum:>6} {rfm:<3} "
        segment, score = pgettext("portfolio column", "segment"), pgettext("portfolio column", "scr")
        flag = pgettext("portfolio column", "flag")
        return head + (f"{segment:<12}" if wide else "") + f"{score:<3} {flag}"

    def render_line(self, y: int) -> Strip:
        _x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.line_width
        if width != self.header_width:  # a scrollbar came or went: no resize says so
            self.header_width = width
            self.post_message(self.Resized())
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        cs = self.get_component_rich_style
        if row == LINE:
            label = self.line_label
            pad = max(0, width - len(label))
            text = "─" * 4 + label + "─" * max(0, pad - 4)
            return Strip([Segment(text[:width], base + cs("portfolio--line"))], width)
        assert isinstance(row, Ranked)
        segs = self.row_segments(row, width, base)
        if index == self.cursor:
            cursor = cs("portfolio--cursor")
            segs = [Segment(t, (s or Style()) + cursor) for t, s, _c in segs]
        return Strip(segs, width)

    def row_segments(self, row: Ranked, width: int, base: Style) -> list[Segment]:
        c = row.customer
        cs = self.get_component_rich_style
        wide = width >= 100
        name_w = self.name_width(width)
        parts: list[tuple[str, Style]] = [
            (f"{row.rank:>6} ", base + cs("portfolio--dim")),
            ("▲ " if row.flags and c.tier != "key" else "? " if row.flags else "  ", base + cs("portfolio--flag")),
            (_cell(clean(c.name), name_w) + " ", base + (Style(bold=True) if c.tier == "key" else Style())),
            (f"{self.tiers.get(c.tier, c.tier[:3].upper()):<4}", base + cs("portfolio--dim")),
            (f"{money(c.revenue):>7} ", base),
            (f"{percent(row.cumulative, 1):>6} ", base + cs("portfolio--dim")),
            (f"{row.r}{row.f}{row.m} ", base),
        ]
        if wide:
            parts.append((f"{self.segments.get(row.segment, row.segment):<12}", base + cs("portfolio--dim")))
        parts.append((f"{row.score:>3} ", base + (Style(bold=True) if row.score >= 70 else Style())))
        used = sum(cell_len(t) for t, _s in parts)
        rest = max(0, width - used)
        flag = clean(row.flags[0]) if row.flags else ""
        parts.append((_cell(flag, rest), base + cs("portfolio--flag")))
        return [Segment(t, s) for t, s in parts]


def _cell(value: str, width: int) -> str:
    """``value`` in exactly ``width`` cells: padded, or cut ending in "…" as every list cuts."""
    return set_cell_size(truncate(value, width), width)


class PortfolioScreen(SharedKeysScreen[int | None]):
    """Every customer ranked; dismissed with the account to open in the panes (enter), or None.
    The shared keys act on the selected customer; `t` and `R` close it first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "P",
            "promote",
            N_("Promote"),
            tooltip=N_("Make the selected customer a key account with a default cadence"),
            id="portfolio-promote",
        ),
        Binding(
            "w", "weights", N_("Weights"), tooltip=N_("Pick 3-5 criteria and their weights"), id="portfolio-weights"
        ),
        Binding(
            "C", "criteria", N_("Criteria"), tooltip=N_("Score the selected customer on each criterion"), id="criteria"
        ),
        Binding(
            "f",
            "flagged",
            N_("Flagged only"),
            tooltip=N_("Only promotion candidates and key accounts to re-check"),
            id="portfolio-flagged",
        ),
        Binding("enter", "open", N_("Open"), tooltip=N_("Open the customer in the account panes"), id="portfolio-open"),
        Binding(
            "o",
            "pipeline",
            N_("Pipeline"),
            tooltip=N_("Open pipeline by stage and close month"),
            id="portfolio-pipeline",
        ),
        Binding("escape,p", "close", N_("Back"), id="portfolio-close"),
        Binding("q", "app.quit", N_("Quit"), id="quit"),
        *shared_bindings(leave_out=("portfolio",)),  # p closes it
    ]
    DEFAULT_CSS = """
    PortfolioScreen #portfolio-title { height: 2; background: $panel; padding: 0 1; }
    PortfolioScreen #portfolio-header { height: 1; color: $text-muted; text-style: bold; }
    PortfolioScreen #portfolio-empty { height: 1fr; padding: 1 1; display: none; }
    PortfolioScreen #portfolio-detail { height: 3; background: $panel; padding: 0 1; }
    """

    class Ranking(Message):
        """The customers ranked in the worker, with the settings they were ranked by."""

        def __init__(self, ranked: list[Ranked], weights: dict[str, int], threshold: int, keep_id: int | None) -> None:
            super().__init__()
            self.ranked = ranked
            self.weights = weights
            self.threshold = threshold
            self.keep_id = keep_id

    def __init__(self, session: Session) -> None:
        super().__init__(id="portfolio")
        self.session = session
        self.ranked: list[Ranked] = []
        self.flagged_only = False
        self.weights: dict[str, int] = {}
        self.threshold = 70

    def compose(self) -> ComposeResult:
        yield Static(_("Portfolio · ranking customers…"), id="portfolio-title", markup=False)
        yield Static("", id="portfolio-header", markup=False)
        yield PortfolioList()
        yield Static(no_accounts_to_rank(), id="portfolio-empty", markup=False)
        yield Static("", id="portfolio-detail", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(PortfolioList).focus()
        self.reload()

    def reload(self, keep_id: int | None = None) -> None:
        self._rank(keep_id)

    def on_data_changed(self, message: DataChanged) -> None:
        """A promotion saved, an edit elsewhere: rank again, the cursor on the same customer."""
        current = self.query_one(PortfolioList).current
        self.reload(current.customer.id if current else None)

    @work(thread=True, exclusive=True, group="portfolio")
    def _rank(self, keep_id: int | None) -> None:
        s = self.session
        _criteria, weights, threshold = selection_settings(s.store)
        ranked = rank(customers(s.store, s.today), s.today, weights, threshold)
        self.post_message(self.Ranking(ranked, weights, threshold, keep_id))

    def on_portfolio_screen_ranking(self, message: PortfolioScreen.Ranking) -> None:
        self.ranked, self.weights, self.threshold = message.ranked, message.weights, message.threshold
        self._fill(message.keep_id)

    def _fill(self, keep_id: int | None = None) -> None:
        rows: list[Ranked | str] = []
        drawn = False
        for r in self.ranked:
            if not drawn and not r.in_pareto:
                rows.append(LINE)
                drawn = True
            if self.flagged_only and not r.flags:
                continue
            rows.append(r)
        if self.flagged_only and rows and rows[-1] == LINE:
            rows.pop()
        lst = self.query_one(PortfolioList)
        empty = not self.ranked  # no account at all: say so, and how to begin, instead of a bare header
        lst.display = self.query_one("#portfolio-header").display = not empty
        self.query_one("#portfolio-empty").display = empty
        if not empty and self.focused is None:
            lst.focus()  # hidden, it lost the focus
        lst.set_rows(rows, keep_id if keep_id is not None else (lst.current.customer.id if lst.current else None))
        n = len(self.ranked)
        top = sum(1 for r in self.ranked if r.in_pareto)
        promote = sum(1 for r in self.ranked if r.flags and r.customer.tier != "key")
        recheck = sum(1 for r in self.ranked if r.flags and r.customer.tier == "key")
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(
            ngettext("Portfolio · {n} customer", "Portfolio · {n} customers", n).format(n=f"{n:,}"), style="bold"
        )
        if n:
            title.append(
                " · " + _("80% of revenue from {top} ({share})").format(top=count_text(top), share=percent(top / n))
            )
        to_promote = _("{n} to promote?").format(n=promote)
        title.append(f" · {to_promote} · " + _("{n} key to re-check").format(n=recheck), style="yellow")
        if self.flagged_only:
            title.append(" · " + _("flagged only"), style="bold cyan")
        title.append("\n" + _("score =") + " ", style="dim")
        title.append(", ".join(f"{_(CRITERIA[k])} {w}" for k, w in self.weights.items()), style="dim")
        key_at = _("key at {threshold}+").format(threshold=self.threshold)
        title.append(f" · {key_at} · " + _("RFM = recency, frequency, money 1-5"), style="dim")
        self.query_one("#portfolio-title", Static).update(title)
        self.show_header()
        self.show_detail()

    def show_header(self) -> None:
        """The column header, for the columns the list draws at its width now."""
        self.query_one("#portfolio-header", Static).update(self.query_one(PortfolioList).header_text())

    def on_portfolio_list_resized(self, message: PortfolioList.Resized) -> None:
        self.show_header()

    def show_detail(self) -> None:
        row = self.query_one(PortfolioList).current
        detail = self.query_one("#portfolio-detail", Static)
        if row is None:
            detail.update("")
            return
        c = row.customer
        t = Text()
        t.append(clean(c.name), style="bold")
        owner = _("owner {name}").format(name=clean(c.owner) or "-")
        revenue = _("revenue {amount} ({share})").format(amount=money(c.revenue), share=percent(row.share, 1))
        t.append(f" · {tier_word(c.tier)} · {owner} · {revenue}")
        if c.cost_to_serve:
            t.append(" · " + _("cost to serve {amount}").format(amount=money(c.cost_to_serve)))
        segment = segment_words().get(row.segment, row.segment)
        rfm = _("RFM {r}/{f}/{m} ({segment})").format(r=row.r, f=row.f, m=row.m, segment=segment)
        t.append(f"\n{rfm} · " + _("last activity") + " ")
        t.append(full_date(c.last_activity) if c.last_activity else _("never"))
        in_12 = _("{n} in 12 months").format(n=c.frequency)
        t.append(f" · {in_12} · " + _("criteria score {score}").format(score=row.score))
        if row.flags:
            t.append("\n" + "; ".join(clean(f) for f in row.flags), style="yellow")
        detail.update(t)

    def action_flagged(self) -> None:
        self.flagged_only = not self.flagged_only
        self._fill()

    def action_open(self) -> None:
        row = self.query_one(PortfolioList).current
        if row is not None:
            self.dismiss(row.customer.id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_pipeline(self) -> None:
        """The open pipeline of the whole portfolio; an account opened there is opened from here."""
        from kamtui.ui.pipeline_screen import PipelineScreen

        def opened(account_id: int | None) -> None:
            if account_id is not None:
                self.dismiss(account_id)

        self.app.push_screen(PipelineScreen(self.session), opened)

    def account_in_view(self) -> int | None:
        row = self.query_one(PortfolioList).current
        return row.customer.id if row is not None else None

    def make_way(self) -> None:
        self.dismiss(None)

    def action_promote(self) -> None:
        row = self.query_one(PortfolioList).current
        if row is None:
            return
        session = self.session
        acc = session.portfolio.account(row.customer.id)
        if acc is None:
            return
        if acc.tier is Tier.KEY:
            self.app.notify(_("Already a key account"), timeout=3, markup=False)
            return
        cadence = promoted_cadence(acc.tier.value, acc.cadence)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            new = Account.from_doc({**acc.to_doc(), "tier": "key", "cadence": cadence}, acc.id)
            session.write(lambda: session.portfolio.save(new, acc, _("promote to key account"))[1])

        question = _("Promote {name} to key account, reviewed {cadence}?").format(name=clean(acc.name), cadence=cadence)
        self.app.push_screen(ConfirmScreen(question), answer)

    def action_criteria(self) -> None:
        from kamtui.ui.criteria_form import open_criteria

        open_criteria(self, self.session, self.account_in_view())  # saved: DataChanged ranks again

    def action_weights(self) -> None:
        fields = [
            FormField(
                name, _("{label} (0 leaves it out)").format(label=_(label)), "number", str(self.weights.get(name, 0))
            )
            for name, label in CRITERIA.items()
        ]
        fields.append(
            FormField("key_threshold", _("Key account at criteria score (0-100)"), "number", str(self.threshold))
        )

        def build(v: dict[str, Any]) -> tuple[dict[str, int], int]:
            weights: dict[str, int] = {}
            for name in CRITERIA:
                raw = str(v[name]).strip() or "0"
                if not raw.isdigit():
                    raise ValidationError(name, _("{value} is not a whole number 0-100").format(value=repr(raw)))
                weights[name] = int(raw)
            raw = str(v["key_threshold"]).strip()
            if not raw.isdigit() or not 0 <= int(raw) <= 100:
                raise ValidationError("key_threshold", _("{value} is not a whole number 0-100").format(value=repr(raw)))
            try:
                return validate_weights(weights), int(raw)
            except ValidationError as exc:
                first = next((n for n in CRITERIA if weights.get(n) is not None), "revenue_potential")
                raise ValidationError(first if exc.field == "weights" else exc.field, exc.reason) from None

        def save(result: tuple[dict[str, int], int]) -> tuple[dict[str, int], int]:
            self.session.record(self.session.portfolio.save_selection_settings(*result))
            return result

        def done(result: tuple[dict[str, int], int] | None) -> None:
            if result is not None:
                self.reload()

        form = FormScreen(_("Criteria weights (3-5 criteria)"), fields, build, save, session=self.session)
        self.app.push_screen(form, done)
