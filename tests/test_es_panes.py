"""The account panes, the account list, the portfolio and the pipeline in Spanish (issue 15):
their titles, headings and empty states come from the catalog, the Spanish headings fit the
columns made for the English ones, and the words drawn in every row are looked up once, not
per row drawn. Without the ``spanish`` fixture everything reads as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.style import Style

from kamtui import i18n
from kamtui.domain.deals import Stage
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui import deal_texts
from kamtui.ui.account_list import WIDTHS, AccountList
from kamtui.ui.app import KamApp
from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen, segment_words
from kamtui.ui.rows import column_titles, tier_shorts
from kamtui.ui.texts import stakeholder_headings
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = Store(materialize_demo(tmp_path / "demo.json", TODAY), user="tester")
    yield store
    store.close(compact=False)


async def _panes_text(store: Store, size: tuple[int, int]) -> dict[str, str]:
    """The screen's text with each pane in front (1-5), on the hand-built portfolio."""
    app = make(store)
    seen: dict[str, str] = {}
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for key in "12345":
            await pilot.press(key)
            await settle(app, pilot)
            seen[key] = screen_text(app)
    return seen


SPANISH = {
    "1": ["Cuentas 3", "Revisión", "Interlocutores", "Nombre", "Rol", "3 personas", "infl.", "hostil"],
    "2": ["Plan", "Corto plazo (1)", "Mediano plazo", "Largo plazo (1)", "Ingresos", "KPI "],
    "3": ["Revisiones", "Cadencia", "Última", "Próxima", "3 revisiones"],
    "4": ["Negocio", "FODA", "Nuestro equipo", "Salud financiera:", "Patrocinador ejecutivo:", "Notas"],
    "5": ["Oportunidades", "Oportunidad", "Abiertas (", "Ganadas (", "Perdidas ("],
}
ENGLISH = {
    "1": ["Accounts 3", "Review", "Stakeholders", "Name", "Role", "people", "infl."],
    "2": ["Plan", "Short term (1)", "Medium term", "Long term (1)", "Revenue", "KPIs "],
    "3": ["Reviews", "Cadence", "Last", "Next", "3 reviews"],
    "4": ["Business", "SWOT", "Our team", "Financial health:", "Executive sponsor:", "Notes"],
    "5": ["Opportunities", "Opportunity", "Open (", "Won (", "Lost ("],
}


@pytest.mark.usefixtures("spanish")
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_every_pane_speaks_spanish(store: Store, size: tuple[int, int]) -> None:
    seen = await _panes_text(store, size)
    for key, words in SPANISH.items():
        missing = [w for w in words if w not in seen[key]]
        assert not missing, f"pane {key} at {size}: {missing}\n{seen[key]}"
    everything = "\n".join(seen.values())
    for english in ("Stakeholders", "Short term", "Our team", "SWOT", "3 reviews", "Accounts 3", "Won ("):
        assert english not in everything


async def test_english_is_unchanged_without_the_fixture(store: Store) -> None:
    seen = await _panes_text(store, (120, 40))
    for key, words in ENGLISH.items():
        missing = [w for w in words if w not in seen[key]]
        assert not missing, f"pane {key}: {missing}\n{seen[key]}"
    assert "ACME Corp · KEY · owner ana" in seen["1"]


@pytest.mark.usefixtures("spanish")
async def test_portfolio_and_pipeline_speak_spanish(demo: Store) -> None:
    app = KamApp(demo, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PortfolioScreen)
        text = screen_text(app)
        for words in ("Cartera · 28 clientes", "80% de los ingresos por encima de esta línea", "puesto", "cliente"):
            assert words in text, words
        assert "segmento" in text and "campeón" in text  # the RFM segments, in words
        assert "customers" not in text and "above this line" not in text
        await pilot.press("o")
        await settle(app, pilot)
        text = screen_text(app)
        for words in ("Embudo abierto por etapa", "Por mes de cierre previsto", "ponder.", "negociación", "total"):
            assert words in text, words
        assert "Open pipeline by stage" not in text


async def test_portfolio_and_pipeline_in_english(demo: Store) -> None:
    app = KamApp(demo, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Portfolio · 28 customers" in text and "rank   customer" in text
        await pilot.press("o")
        await settle(app, pilot)
        assert "Open pipeline by stage" in screen_text(app)


@pytest.mark.usefixtures("spanish")
def test_spanish_headings_fit_the_columns() -> None:
    """The column widths were made for the English headings: the Spanish ones fit them."""
    titles = column_titles()
    for column, width in WIDTHS.items():
        assert cell_len(titles[column]) <= width, (column, titles[column])
    assert all(cell_len(t) <= 3 for t in tier_shorts().values())
    assert all(cell_len(s) <= 11 for s in segment_words().values())  # the 12-cell segment column
    headings = stakeholder_headings()
    for short in ("Infl", "Att", "Last"):  # the compact table's narrow columns: as short as the English
        assert cell_len(headings[short]) <= 4, headings[short]
    for words, width in (("count", 5), ("value", 8), ("weighted", 8)):
        assert cell_len(i18n.pgettext("pipeline column", words)) <= width
    stage_w, prob_w = deal_texts._stage_prob_widths()
    assert all(cell_len(deal_texts.stage_word(s)) <= stage_w for s in Stage if s is not Stage.OPEN)
    assert cell_len(i18n._("{chance}% set").format(chance=50)) <= prob_w


class _Counting:
    """The catalog, counting the look-ups."""

    def __init__(self, catalog: Any) -> None:
        self.catalog, self.calls = catalog, 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.catalog, name)
        if name in ("gettext", "ngettext", "pgettext"):

            def counted(*args: Any) -> Any:
                self.calls += 1
                return found(*args)

            return counted
        return found


@pytest.mark.usefixtures("spanish")
async def test_rows_are_drawn_without_a_catalog_look_up(demo: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The account list and the portfolio draw 50,000 rows: their words are looked up once."""
    app = KamApp(demo, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)
        counting = _Counting(i18n._catalog)
        monkeypatch.setattr(i18n, "_catalog", counting)
        for row in lst.data.visible:
            lst.row_segments(lst.data.ensure_health(row), 60, Style())
        assert counting.calls == 0
        monkeypatch.setattr(i18n, "_catalog", counting.catalog)
        await pilot.press("p")
        await settle(app, pilot)
        plist = app.screen.query_one(PortfolioList)
        monkeypatch.setattr(i18n, "_catalog", counting)
        for y in range(plist.size.height):
            plist.render_line(y)
        assert counting.calls == 0
        assert any("CLV" in "".join(s.text for s in plist.render_line(y)) for y in range(3))


def test_fill_keeps_a_sentence_whole_and_its_values_styled() -> None:
    """texts.fill: the translator may reorder the values; each keeps its style, the words theirs,
    and braces that name no value (or user text with braces in a value) stay as they are."""
    from rich.text import Text

    from kamtui.ui.texts import fill

    t = fill(Text(), "previsto {b} desde {a} {x}", "dim", a=("1 M", "bold"), b=("{2}", "green"))
    assert t.plain == "previsto {2} desde 1 M {x}"
    styles = {t.plain[s.start : s.end]: str(s.style) for s in t.spans}
    assert styles["{2}"] == "green" and styles["1 M"] == "bold" and styles["previsto "] == "dim"
