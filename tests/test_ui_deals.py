"""The Opportunities pane (5), its forms, the account header's money and the portfolio's
pipeline (o on the portfolio), at 120x40 and 80x24, on a frozen date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events

from kamtui.domain.deals import Opportunity, Stage
from kamtui.domain.model import Account, Tier
from kamtui.domain.pipeline import Pipeline
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.deal_texts import deal_line, deals_summary, header_figures
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.panes.deals import DealsPane
from kamtui.ui.pipeline_screen import PipelineScreen, pipeline_lines
from kamtui.ui.portfolio_screen import PortfolioScreen
from tests.hostile import STORABLE_NAMES
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio, d

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def add_deals(path: Path, ids: dict[str, int], titles: list[str] | None = None) -> dict[str, int]:
    """ACME's deals: one open at propose serving the renewal objective, one open past its close
    date with a probability set by hand, one won and one lost; Globex's one at commit."""
    t = titles or []

    def title(default: str, i: int) -> str:
        return t[i % len(t)] if t else default

    store = Store(path, user="tester")
    a = ids["acme"]
    deals = {
        "renewal": Opportunity(
            account_id=a,
            title=title("Renewal 2027", 0),
            value=400_000,
            stage=Stage.PROPOSE,
            close_date=d(40),
            owner="ana",
            objective_id=ids["objective"],
        ),
        "spares": Opportunity(
            account_id=a,
            title=title("Spare parts", 1),
            value=80_000,
            stage=Stage.NEGOTIATE,
            close_date=d(-5),
            probability=60,
        ),
        "pilot": Opportunity(
            account_id=a, title=title("Pilot line", 2), value=100_000, stage=Stage.WON, close_date=d(-30), reason="fit"
        ),
        "analytics": Opportunity(
            account_id=a, title=title("Analytics", 3), value=50_000, stage=Stage.LOST, close_date=d(-60), reason="price"
        ),
        "globex": Opportunity(
            account_id=ids["globex"], title=title("Fleet deal", 4), value=300_000, stage=Stage.COMMIT, close_date=d(70)
        ),
    }
    out = {k: store.insert("opportunities", o.to_doc()) for k, o in deals.items()}
    store.close()
    return out


@pytest.fixture
def deals(db: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return add_deals(db[0], db[1])


async def go_to(app: KamApp, pilot: Any, key: str) -> DealsPane:
    pane = app.query_one(DealsPane)
    await pilot.press("g")  # the first line, then down
    for _ in range(40):
        if pane.current_key() == key:
            return pane
        await pilot.press("j")
    raise AssertionError(f"no line {key}: {pane._keys()}")


def form(app: KamApp) -> FormScreen:
    assert isinstance(app.screen, FormScreen), type(app.screen)
    return app.screen


async def fill(app: KamApp, pilot: Any, **values: str) -> None:
    for name, value in values.items():
        form(app).query_one(f"#f-{name}").value = value  # type: ignore[attr-defined]
    await settle(app, pilot)


def doc(store: Store, doc_id: int) -> dict[str, Any]:
    found = store.get("opportunities", doc_id)
    assert found is not None
    return found


# ----------------------------------------------------------------------- texts
def test_a_deal_line_says_value_probability_weighted_close_owner_and_objective() -> None:
    o = Opportunity(account_id=1, title="Renewal", value=400_000, stage=Stage.PROPOSE, close_date=d(40), owner="ana")
    line = deal_line(o, "Win the renewal", TODAY, 120).plain
    assert "Renewal" in line and "400k" in line and "propose" in line and "50%" in line and "200k" in line
    assert d(40).isoformat() in line and "ana" in line and "Win the renewal" in line
    assert "set" not in line  # the stage's default
    late = Opportunity(
        account_id=1, title="Spares", value=80_000, stage=Stage.NEGOTIATE, close_date=d(-21), probability=60
    )
    text = deal_line(late, None, TODAY, 120)
    assert "60% set" in text.plain and "overdue 3w" in text.plain and "48k" in text.plain
    assert "propose" not in deal_line(o, None, TODAY, 60).plain  # narrow: the group header names the stage
    lost = Opportunity(account_id=1, title="X", value=1, stage=Stage.LOST, close_date=d(-1), reason="price")
    assert (
        "price" in deal_line(lost, None, TODAY, 120).plain and "overdue" not in deal_line(lost, None, TODAY, 120).plain
    )


def test_summary_and_header_figures_name_the_weighted_pipeline_and_the_won() -> None:
    p = Pipeline(2, 480_000, 248_000, 100_000, 50_000)
    assert deals_summary(p) == "pipeline 248k weighted (2 open) · won 100k in 12 months"
    assert header_figures(1_200_000, p).plain == "1.2M/yr · pipeline 248k wtd · won 12m 100k"


def test_hostile_titles_owners_and_reasons_are_data() -> None:
    for name in STORABLE_NAMES:
        o = Opportunity(account_id=1, title=name, value=1, stage=Stage.LOST, owner=name, reason=name, close_date=d(-1))
        for width in (40, 80, 140):
            text = deal_line(o, name, TODAY, width)
            assert "\x1b" not in text.plain and "\x9b" not in text.plain and "\n" not in text.plain
            assert all(span.style in ("", "bold", "dim", "red", "cyan", "italic") for span in text.spans)
        lines = pipeline_lines([Opportunity(account_id=7, title=name, value=5, stage=Stage.QUALIFY)], {7: name}, TODAY)
        assert all("\x1b" not in t.plain and "\n" not in t.plain for _, t in lines)


# ------------------------------------------------------------------ the pane
@SIZES
async def test_five_shows_the_deals_and_the_header_the_money(
    deals: dict[str, int], store: Store, size: tuple[int, int]
) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Opportunities" in text and "Open (2)" in text
        assert "Renewal 2027" in text and "Spare parts" in text
        assert "60% set" in text and "overdue" in text
        header = app.query_one("#account-header")
        plain = "\n".join("".join(s.text for s in strip) for strip in header._lines)  # type: ignore[attr-defined]
        assert "1.2M/yr" in plain
        if size[0] >= 100:
            # 400k at 50% + 80k at 60% set by hand; the pilot won 30 days ago
            assert "pipeline 248k wtd · won 12m" in text  # cut after: the text builder's test has all
            assert "pipeline 248k weighted (2 open)" in text  # the pane's subtitle
        await pilot.press("z")  # zoomed, every column shows at either size
        await settle(app, pilot)
        text = screen_text(app)
        assert "Win the renewal" in text and "ana" in text and "negotiate" in text and "price" in text
        assert "Won (1)" in text and "Lost (1)" in text


@SIZES
async def test_add_move_close_and_edit_an_opportunity(
    db: tuple[Path, dict[str, int]], deals: dict[str, int], store: Store, size: tuple[int, int]
) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        pane = await go_to(app, pilot, "s:propose")
        await pilot.press("a")
        await settle(app, pilot)
        assert form(app).title_text == "Add opportunity"
        assert form(app).query_one("#f-stage").value == "propose"  # type: ignore[attr-defined]
        await pilot.press(*"Service contract")
        await fill(app, pilot, value="120,000", close_date="+2m", objective_id=str(ids["objective"]))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        added = [(i, o) for i, o in store.children("opportunities", ids["acme"]) if o["title"] == "Service contract"]
        assert len(added) == 1
        new_id, new = added[0]
        assert new["value"] == 120_000 and new["stage"] == "propose" and new["probability"] is None
        assert new["close_date"] == "2027-01-23" and new["owner"] == "tester"
        assert new["objective_id"] == ids["objective"]
        assert pane.current_key() == f"d:{new_id}"  # the cursor lands on it
        # > moves it along the stages, < back
        await pilot.press(">")
        await settle(app, pilot)
        assert doc(store, new_id)["stage"] == "negotiate"
        await pilot.press(
            ">",
        )
        await settle(app, pilot)
        await pilot.press("<")
        await settle(app, pilot)
        assert doc(store, new_id)["stage"] == "negotiate"
        assert pane.current_key() == f"d:{new_id}"
        # w closes it as won with an optional reason: today, its close date being in the future
        await pilot.press("W")
        await settle(app, pilot)
        assert "Close as won: Service contract" in form(app).title_text
        await pilot.press(*"Best service terms")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        won = doc(store, new_id)
        assert (won["stage"], won["reason"], won["close_date"]) == ("won", "Best service terms", TODAY.isoformat())
        # l closes as lost: a reason is required, refused in place with nothing written
        await go_to(app, pilot, f"d:{deals['renewal']}")
        before = doc(store, deals["renewal"])
        await pilot.press("L")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and "why it was lost" in screen_text(app)
        assert doc(store, deals["renewal"]) == before
        await pilot.press(*"Budget frozen")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        lost = doc(store, deals["renewal"])
        assert (lost["stage"], lost["reason"], lost["close_date"]) == ("lost", "Budget frozen", TODAY.isoformat())
        # e: a probability out of 0-100 is refused inline and nothing is written; blank is the stage's
        await go_to(app, pilot, f"d:{deals['spares']}")
        before = doc(store, deals["spares"])
        await pilot.press("e")
        await settle(app, pilot)
        assert form(app).query_one("#f-probability").value == "60"  # type: ignore[attr-defined]
        for bad in ("150", "abc", "-5"):
            await fill(app, pilot, probability=bad)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen) and "not a whole percent 0-100" in screen_text(app)
            assert doc(store, deals["spares"]) == before
        await fill(app, pilot, probability="75%")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert doc(store, deals["spares"])["probability"] == 75
        await pilot.press("e")
        await settle(app, pilot)
        await fill(app, pilot, probability="", value="1e999")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and doc(store, deals["spares"])["probability"] == 75
        await fill(app, pilot, value="90000")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        edited = doc(store, deals["spares"])
        assert edited["probability"] is None and edited["value"] == 90_000  # back to the stage's default


@SIZES
async def test_delete_asks_and_undo_brings_it_back(deals: dict[str, int], store: Store, size: tuple[int, int]) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        await go_to(app, pilot, f"d:{deals['pilot']}")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen) and "Delete opportunity Pilot line?" in screen_text(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert store.get("opportunities", deals["pilot"]) is not None
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert store.get("opportunities", deals["pilot"]) is None
        assert "Pilot line" not in screen_text(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert doc(store, deals["pilot"])["reason"] == "fit"
        assert "Pilot line" in screen_text(app)


@SIZES
async def test_the_portfolio_pipeline_by_stage_and_close_month(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "k.json"
    hostile = ["[bold]x", "\x1b[2J", "\u202eevil", "日本語の会社"]
    ids = build_portfolio(path, hostile)
    add_deals(path, ids, ["[red]deal", "x\x07y", "[/]", ":rocket:", "\x9b31m"])
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            assert isinstance(app.screen, PortfolioScreen)
            await pilot.press("o")
            await settle(app, pilot)
            assert isinstance(app.screen, PipelineScreen)
            text = screen_text(app)
            assert "Pipeline · 3 open opportunities · 780k · 518k weighted" in text  # 200k + 48k + 270k
            assert "Open pipeline by stage" in text
            for row in ("propose", "negotiate", "commit"):
                assert row in text
            await pilot.press("G")  # the last line: down to the largest deals
            await settle(app, pilot)
            text = screen_text(app)
            assert "[bold]x" in text and "[red]deal" in text  # as data, never markup
            assert "\x1b" not in text and "\x9b" not in text
            app.screen.query_one("#pipeline-list").action_first()  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("enter")  # the first selectable line: the overdue spares of ACME
            await settle(app, pilot)
            assert app.main.account_id == ids["acme"]
    finally:
        store.close(compact=False)


async def test_the_pipeline_view_by_close_month_has_overdue_and_totals(deals: dict[str, int], store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        lines = screen_text(app).splitlines()
        month = next(line for line in lines if "By expected close month" in line)
        start = lines.index(month)
        block = lines[start : start + 20]
        assert any("overdue" in line and "80k" in line and "48k" in line for line in block)
        assert any("2027-01" in line and "400k" in line and "200k" in line for line in block)
        assert any("2027-02" in line and "300k" in line and "270k" in line for line in block)
        assert any("total" in line and "780k" in line and "518k" in line for line in block)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, PortfolioScreen)


def test_an_account_header_without_figures_is_unchanged() -> None:
    from kamtui.domain.health import Health
    from kamtui.ui.texts import header_text

    acc = Account(name="ACME", tier=Tier.KEY, owner="ana", revenue=1_200_000)
    without = header_text(acc, Health(None, {}, ()), [], TODAY).plain.split("\n")[0]
    assert without == "ACME · KEY · owner ana · 1.2M"
    figures = header_figures(acc.revenue, Pipeline(1, 10, 5_000, 0, 0))
    first = header_text(acc, Health(None, {}, ()), [], TODAY, figures).plain.split("\n")[0]
    assert first == "ACME · KEY · owner ana · 1.2M/yr · pipeline 5k wtd"  # nothing won: not said
    won = header_figures(acc.revenue, Pipeline(0, 0, 0, 7_000, 0))
    assert header_text(acc, Health(None, {}, ()), [], TODAY, won).plain.split("\n")[0].endswith("1.2M/yr · won 12m 7k")


@SIZES
async def test_a_key_typed_right_after_a_pane_key_acts_in_the_pane_shown(
    deals: dict[str, int], store: Store, size: tuple[int, int]
) -> None:
    """`2a` typed in one burst from the opportunities pane: the plan is shown, so `a` adds an
    objective there, not an opportunity in the pane just left (the focus moved a frame late)."""
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        for key in "2a":  # one burst: no frame drawn between the two keys
            app.post_message(events.Key(key, key))
        await settle(app, pilot)
        assert form(app).title_text.startswith("Add objective"), form(app).title_text
        await pilot.press("escape")
        await settle(app, pilot)
        for key in "5a":
            app.post_message(events.Key(key, key))
        await settle(app, pilot)
        assert form(app).title_text.startswith("Add opportunity"), form(app).title_text


@SIZES
async def test_a_key_for_an_opportunity_on_a_stages_line_says_where_to_put_the_cursor(
    deals: dict[str, int], store: Store, size: tuple[int, int]
) -> None:
    """L, W, e, d, < and > on a stage's line did nothing and said nothing (a tester pressed L on
    `negotiate  default 70%` and thought the key broken)."""
    app = make(store)
    notes: list[str] = []
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        pane = await go_to(app, pilot, "s:negotiate")
        before = {k: doc(store, i) for k, i in deals.items()}
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        for key in ("L", "W", "e", "d", "less_than_sign", "greater_than_sign"):
            await pilot.press(key)
            await settle(app, pilot)
            assert not isinstance(app.screen, (FormScreen, ConfirmScreen)), key
            assert notes and "Put the cursor on an opportunity" in notes[-1], (key, notes)
            notes.clear()
        assert pane.current_key() == "s:negotiate"
        assert {k: doc(store, i) for k, i in deals.items()} == before
        await pilot.press("j")  # on the deal under that line: L closes it, after its form
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        assert "Close as lost: Spare parts" in form(app).title_text and not notes


def test_a_narrow_pane_drops_the_weighted_column_for_the_whole_close_date() -> None:
    """At 80x24 the pane is 46 cells: the close date came last but one and was cut ('2027-…')."""
    from kamtui.ui.deal_texts import deal_columns

    o = Opportunity(account_id=1, title="Loyalty app renewal", value=850_000, stage=Stage.NEGOTIATE, close_date=d(112))
    for width in (46, 52):
        line, titles = deal_line(o, None, TODAY, width), deal_columns(width)
        line.truncate(width, overflow="ellipsis")
        titles.truncate(width, overflow="ellipsis")
        assert d(112).isoformat() in line.plain and "wtd" not in titles.plain, (line.plain, titles.plain)
        assert titles.plain.index("close") == line.plain.index(d(112).isoformat())  # under its title
    wide = deal_line(o, None, TODAY, 80).plain
    assert "595k" in wide and "wtd" in deal_columns(80).plain  # room for it: the weighted value
