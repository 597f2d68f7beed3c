"""The forms in Spanish (issue 15): titles, labels, date hints, options and the errors shown
inline at the field; Spanish input (31/12/2026, hoy, a decimal comma) is read; the owner picker,
the Business pane's questions and the import preview speak Spanish; English is unchanged.

The forms are tried at 80x24, where a longer Spanish label or a refused field below the fold
shows whether the layout holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Select, Static

from kamtui.domain.business import BusinessItem
from kamtui.domain.model import Horizon
from kamtui.domain.owners import owners
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.business_forms import without
from kamtui.ui.deal_forms import deal_form
from kamtui.ui.entity_forms import objective_form
from kamtui.ui.forms import ConfirmScreen, FieldError, FormScreen
from kamtui.ui.import_screen import ImportPreview
from kamtui.ui.owners import nobody_message, queue_line
from tests.test_fix_forms_errors import form
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY

SMALL = (80, 24)
FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def labels(app: KamApp) -> list[str]:
    return [str(w.render()) for w in form(app).query(".field-label")]


def errors(app: KamApp) -> dict[str, str]:
    """Each field whose error is shown, and what it says."""
    return {
        (e.id or "").removeprefix("e-"): str(e.render()) for e in form(app).query(FieldError) if e.has_class("shown")
    }


def options(app: KamApp, name: str) -> list[str]:
    select = form(app).query_one(f"#f-{name}", Select)
    return [str(prompt) for prompt, _value in select._options]


async def test_the_account_form_speaks_spanish_and_its_labels_fit(store: Store, spanish: None) -> None:
    app = make(store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert form(app).title_text == "Añadir cuenta"
        shown = labels(app)
        for word in ("Nombre", "Nivel", "Sector", "Ingresos anuales", "Potencial de crecimiento"):
            assert word in shown, shown
        assert options(app, "tier") == ["clave", "candidata", "regular"]
        assert options(app, "growth_potential") == ["bajo", "medio", "alto"]  # agrees with "potencial"
        hint = form(app).query_one("#form-hint", Static)
        assert str(hint.render()).startswith("enter: siguiente campo")
        assert hint.size.height == 1  # one line: the Spanish hint fits at 80 columns
        # Every label is one line, but the cadence's (two in English too: it lists the presets).
        wrapped = [str(w.render()) for w in form(app).query(".field-label") if w.size.height > 1]
        assert [w for w in wrapped if not w.startswith("Cadencia")] == [], wrapped
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)


async def test_a_bad_date_is_refused_in_spanish_at_its_field_then_hoy_is_read(store: Store, spanish: None) -> None:
    app = make(store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "a")
        await settle(app, pilot)
        assert form(app).title_text == "Añadir interlocutor"
        assert "Último contacto (AAAA-MM-DD, 31/12/2026, hoy, ayer, -3d, -1s)" in labels(app)
        assert "comprador económico" in options(app, "role")
        before = store.count("stakeholders")
        # name, title, role, influence, friendliness, coverage: the last contact is the seventh field
        await pilot.press(*"Ana Ruiz", *["tab"] * 6, *"S-T28", "ctrl+s")
        await settle(app, pilot)
        said = errors(app)
        assert set(said) == {"last_contact"}, said
        assert said["last_contact"] == "✗ 'S-T28' no es una fecha; usa AAAA-MM-DD"
        assert app.focused is form(app).query_one("#f-last_contact")
        assert "no es una fecha" in screen_text(app)  # brought into sight at 80x24
        # A date to come is refused for something that has happened, in Spanish (the form's own rule).
        await pilot.press("ctrl+u", *"+3d", "ctrl+s")
        await settle(app, pilot)
        assert errors(app)["last_contact"] == "✗ 26/11/2026 es posterior a hoy (23/11/2026)"
        assert store.count("stakeholders") == before
        await pilot.press("ctrl+u", *"hoy", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert store.count("stakeholders") == before + 1
        added = [s for _i, s in store.all("stakeholders") if s.get("name") == "Ana Ruiz"]
        assert [s.get("last_contact") for s in added] == [TODAY.isoformat()]


async def test_a_day_first_date_and_a_decimal_comma_are_read(
    store: Store, db: tuple[Path, dict[str, int]], spanish: None
) -> None:
    account_id = db[1]["acme"]
    app = make(store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        app.push_screen(objective_form(app.session, account_id, None, Horizon.SHORT))
        await settle(app, pilot)
        assert form(app).title_text == "Añadir objetivo"
        assert options(app, "horizon") == ["corto plazo", "mediano plazo", "largo plazo"]
        await pilot.press(*"Crecer en Lima", "tab", "tab", "tab", *"31/12/2026", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen), errors(app)
        made = [o for _i, o in store.all("objectives") if o.get("title") == "Crecer en Lima"]
        assert [o.get("due") for o in made] == ["2026-12-31"]

        app.push_screen(deal_form(app.session, account_id, None))
        await settle(app, pilot)
        assert form(app).title_text == "Añadir oportunidad"
        await pilot.press(*"Renovación", "tab", *"1234,5", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen), errors(app)
        deals = [d for _i, d in store.all("opportunities") if d.get("title") == "Renovación"]
        assert [d.get("value") for d in deals] == [1234.5]


async def test_english_is_unchanged_without_the_catalog(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert form(app).title_text == "Add account"
        assert labels(app)[:4] == ["Name", "Tier", "Industry", "Owner (account manager)"]
        assert options(app, "tier") == ["key", "candidate", "regular"]
        assert options(app, "growth_potential") == ["low", "medium", "high"]
        hint = str(form(app).query_one("#form-hint", Static).render())
        assert hint == "enter: next field / save on the last · ctrl+s save · esc cancel"
        await pilot.press("escape", "tab", "a")
        await settle(app, pilot)
        assert "Last contact (YYYY-MM-DD, today, -3d)" in labels(app)
        await pilot.press(*"Ana", *["tab"] * 6, *"S-T28", "ctrl+s")
        await settle(app, pilot)
        assert errors(app)["last_contact"].startswith("✗ 'S-T28' is not a date")


async def test_questions_and_the_owner_picker_speak_spanish(
    store: Store, db: tuple[Path, dict[str, int]], spanish: None
) -> None:
    app = make(store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        acc = app.session.portfolio.account(db[1]["acme"])
        assert acc is not None
        goal = dataclasses.replace(acc, business=acc.business.with_items("goals", [BusinessItem("Crecer", TODAY)]))
        found = without(goal, "i:goals:0")
        assert found is not None and found[1] == "¿Eliminar la meta Crecer?"
        app.push_screen(ConfirmScreen(found[1]))
        await settle(app, pilot)
        text = screen_text(app)
        assert "¿Eliminar la meta Crecer?" in text and "y / enter: sí    n / esc: no" in text
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("o")  # the owner picker, from the account list
        await settle(app, pilot)
        text = screen_text(app)
        assert "¿Las cuentas de quién?" in text and "Todos · 3 cuentas" in text, text
    found_owners = owners(["ana", "ben", "ana"], {"ana": 2})
    assert nobody_message("zoe", found_owners).startswith("Tú (zoe) no eres responsable de ninguna cuenta. ")
    assert "ana (2)" in nobody_message("zoe", found_owners)
    assert queue_line(found_owners, None).plain.startswith("por responsable  ana 2")


async def test_the_import_form_and_its_dry_run_speak_spanish(store: Store, tmp_path: Path, spanish: None) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        assert form(app).title_text == "Importar un CSV exportado"
        assert "día primero" in options(app, "dates")
        form(app).query_one("#f-path").value = str(tmp_path / "no.csv")  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(app)["path"].endswith("no.csv no es un archivo")
        form(app).query_one("#f-path").value = str(FIXTURES / "refused_rows.csv")  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreview)
        text = screen_text(app)
        assert "Simulación: aún no se ha escrito nada" in text
        assert "por crear" in text and "rechazada" in text, text
        assert "Rechazadas (corrige el archivo, o s importa el resto)" in text


def test_a_date_after_today_names_both_dates_in_spanish(spanish: None) -> None:
    from kamtui.domain.errors import ValidationError
    from kamtui.ui.forms import parse_date_input

    with pytest.raises(ValidationError) as caught:
        parse_date_input("mañana", dt.date(2026, 11, 23), "date", not_after_today=True)
    assert caught.value.reason == "24/11/2026 es posterior a hoy (23/11/2026)"
