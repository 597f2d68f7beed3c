"""The app's shell in Spanish (issue 15): Today, the footer, help, the command palette (kamtui's
commands and Textual's own) and notifications speak the user's language; English is as before.
Binding descriptions are class-level, marked N_ and translated where shown: every Binding in
kamtui.ui is marked, and every Textual binding word kamtui may show has a Spanish translation."""

from __future__ import annotations

import ast
import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.command import CommandList, CommandPalette

from kamtui import i18n
from kamtui.ui import compat
from kamtui.ui.app import KamApp
from kamtui.ui.footer import FittingFooter
from kamtui.ui.help import TEXTUAL_WORDS, HelpScreen
from kamtui.ui.textual_words import SYSTEM_WORDS
from tests.test_ui import screen_text, settle
from tests.test_ui_footer import running as footer_running
from tests.ui_fixtures import TODAY

UI = Path(__file__).resolve().parent.parent / "kamtui" / "ui"


def running(tmp_path: Path, size: tuple[int, int] = (80, 24), start: str = "today") -> Any:
    """The app over the test portfolio, settled (tests.test_ui_footer's), on Today at 80x24."""
    return footer_running(tmp_path, size, start)


def _footer_words(app: KamApp) -> list[str]:
    footer = app.screen.query_one(FittingFooter)
    return [str(k.description) for k in footer.children if k.display and k.region.width]  # type: ignore[attr-defined]


def _palette_lines(app: KamApp) -> list[str]:
    assert isinstance(app.screen, CommandPalette)
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt.plain) for i in range(options.option_count)]


async def test_today_and_its_footer_speak_spanish(tmp_path: Path, spanish: None) -> None:
    async with running(tmp_path) as (app, _pilot):
        text = screen_text(app)
        assert text.lstrip().startswith("Hoy · jue 03 dic 2026") or "Hoy · " in text.splitlines()[0], text
        assert "Revisiones pendientes" in text, text
        words = _footer_words(app)
        assert "Abrir" in words and "Salir" in words and "Ayuda" in words, words
        assert "Open" not in words and "Quit" not in words
        last = text.splitlines()[-1]
        assert "^p paleta" in last and "? Ayuda" in last and len(last.rstrip()) <= 80, last


async def test_english_is_unchanged_without_the_fixture(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        text = screen_text(app)
        assert text.splitlines()[0].lstrip().startswith("Today · "), text
        assert "Reviews due" in text
        words = _footer_words(app)
        assert "Open" in words and "Quit" in words and "Help" in words, words
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.title_text == "Keys (Today) · esc closes"


async def test_help_titles_groups_and_descriptions_in_spanish(tmp_path: Path, spanish: None) -> None:
    async with running(tmp_path, (120, 40), start="accounts") as (app, pilot):
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.title_text.startswith("Teclas (Cuentas"), app.screen.title_text
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.body)
        text = console.export_text()  # the whole body: the screen shows its top
        assert "Lista de cuentas" in screen_text(app)
        for words in ("Lista de cuentas", "En todas partes", "Salir", "paleta de comandos", "Panel siguiente"):
            assert words in text, (words, text)
        for english in ("Everywhere", "Account list", "Next pane", "command palette"):
            assert english not in text, (english, text)


async def test_palette_commands_and_textuals_own_in_spanish(tmp_path: Path, spanish: None) -> None:
    async with running(tmp_path, (120, 40), start="accounts") as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        lines = _palette_lines(app)
        assert any(line.startswith("Hoy: lo que me necesita") for line in lines), lines
        await pilot.press(*"tema")
        await settle(app, pilot)
        lines = _palette_lines(app)
        assert any(line.startswith("Tema\n") and "Cambia el tema actual" in line for line in lines), lines
        assert not any("Change the current theme" in line for line in lines)


async def test_palette_placeholder_in_spanish(tmp_path: Path, spanish: None) -> None:
    async with running(tmp_path, (120, 40), start="accounts") as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert "Buscar comandos…" in screen_text(app)


async def test_a_notification_in_spanish(tmp_path: Path, spanish: None) -> None:
    async with running(tmp_path, (120, 40), start="accounts") as (app, pilot):
        await pilot.press("u")  # nothing to undo yet: said in a notification
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert "Nada que deshacer" in said, said


async def test_ctrl_c_tells_how_to_quit_in_spanish(tmp_path: Path, spanish: None) -> None:
    async with running(tmp_path, (120, 40), start="accounts") as (app, pilot):
        app.action_help_quit()
        await settle(app, pilot)
        notes = list(app._notifications)
        assert any(str(n.message) == "Pulsa q para salir de la aplicación" for n in notes), notes
        assert any(n.title == "¿Quieres salir?" for n in notes)


def test_every_binding_in_kamtui_ui_is_marked_for_the_catalog() -> None:
    """A description or tooltip given as a plain string would never be translated (bindings are
    made at import, before the language is chosen): each is N_("...")."""
    unmarked = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Binding"
            ):
                continue
            said = ([node.args[2]] if len(node.args) >= 3 else []) + [
                k.value for k in node.keywords if k.arg in ("description", "tooltip")
            ]
            for value in said:
                if isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and value.value):
                    unmarked.append(f"{path.relative_to(UI)}:{value.lineno}")
    assert not unmarked, unmarked


def _textual_words() -> set[str]:
    """The descriptions and tooltips of Textual's bindings on the widgets kamtui uses."""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.screen import ModalScreen, Screen
    from textual.scroll_view import ScrollView
    from textual.widgets import Checkbox, Input, OptionList, Select, SelectionList, TextArea

    found: set[str] = {"palette", "Open the command palette"}  # the palette key Textual adds itself
    classes = [Checkbox, Input, OptionList, Select, SelectionList, TextArea, VerticalScroll, ScrollView, Screen]
    for cls in [*classes, ModalScreen, App]:
        for klass in cls.__mro__:
            for b in vars(klass).get("BINDINGS", []):
                if isinstance(b, Binding):
                    found.update(w for w in (b.description, b.tooltip) if w)
    return found


def test_every_textual_binding_word_kamtui_may_show_is_listed_and_translated(spanish: None) -> None:
    missing = _textual_words() - set(TEXTUAL_WORDS)
    assert not missing, f"add to kamtui.ui.help.TEXTUAL_WORDS: {sorted(missing)}"
    untranslated = [w for w in (*TEXTUAL_WORDS, *SYSTEM_WORDS) if i18n._(w) == w]
    assert not untranslated, untranslated


def test_footer_keys_are_translated_through_compat(spanish: None) -> None:
    from textual.widget import Widget
    from textual.widgets._footer import FooterKey

    key = FooterKey("q", "q", "Quit", "app.quit", tooltip="The keys that work here")
    compat.translate_footer_key(key, i18n._)
    assert key.description == "Salir" and key.tooltip == "Las teclas que funcionan aquí"
    compat.translate_footer_key(Widget(), i18n._)  # anything else is left alone


@pytest.mark.parametrize("lang", ["es", "en"])
def test_system_commands_speak_the_language(lang: str) -> None:
    i18n.set_language(lang)
    app = KamApp.__new__(KamApp)  # get_system_commands reads only the screen it is given

    class _Screen:
        maximized = None
        focused = None

        def query(self, _selector: str) -> list[object]:
            return []

    titles = [c.title for c in KamApp.get_system_commands(app, _Screen())]  # type: ignore[arg-type]
    assert ("Tema" in titles) == (lang == "es") and ("Theme" in titles) == (lang == "en"), titles


def test_todays_counts_in_spanish_plural_forms_and_narrower_when_needed(spanish: None) -> None:
    from kamtui.ui.today_texts import counts_line

    c = {"review": 1, "action": 18, "contact": 0, "risk": 28, "plan": 5, "losing_touch": 9}
    wide = counts_line(c, "", True, 200).plain
    assert wide == "1 revisión  ·  18 acciones  ·  28 alertas rojas  ·  5 avisos del plan  ·  9 sin contacto", wide
    narrow = counts_line(c, "", True, 78).plain
    assert narrow == "1 revisión · 18 acciones · 28 rojas · 5 plan · 9 sin contacto", narrow


def test_guided_review_bar_in_spanish_keeps_its_late_column(spanish: None) -> None:
    from kamtui.domain.agenda import AgendaItem
    from kamtui.domain.queue import QueueItem
    from kamtui.ui.guided_texts import item_line, scores_text

    scores = {"engagement": 3, "loyalty": 2, "satisfaction": 4, "health": 3}
    text = scores_text(scores, "loyalty", "hola", ["marcada: Enviar"]).plain
    assert "compromiso [3] (g)" in text and "nota: hola" in text and "hecho aquí: marcada: Enviar" in text
    assert text.endswith("lealtad: pulsa 1-5"), text
    item = QueueItem("action", 1, "Acme", "ana", "Send the deck", "", due=TODAY, days_late=28, severity=2, target_id=1)
    line = item_line(AgendaItem(1, item), False, 80).plain
    assert "□ -4\xa0sem   Send the deck" in line, line  # the 9-cell column (as the list says it), then the title


def test_first_run_in_spanish_fits_80_columns(spanish: None) -> None:
    from kamtui.ui.first_run import first_run_text

    lines = first_run_text(Path("/tmp/k.json"), on_today=True).plain.splitlines()
    assert lines[0] == "Aún no hay cuentas en este archivo:"
    assert all(len(line) <= 78 for line in lines), lines
