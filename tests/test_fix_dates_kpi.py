"""KPI numbers have the amounts' bound: a target of -1e308 was kept and shown as a 300-digit
number. Target, actual and readings are at most a thousand trillion either side of zero (the
rule of amounts, kamtui.domain.amounts.within_limit), and a KPI value never shows float noise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.deals import Kpi, KpiReading
from kamtui.domain.errors import ValidationError
from kamtui.domain.kpi_status import number_text, with_unit
from kamtui.domain.model import Account
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.mark.parametrize("field", ["target", "actual"])
@pytest.mark.parametrize("value", [-1e308, 1e308, 1e16, -1_000_000_000_000_001, "-1e308"])
def test_a_kpi_number_beyond_a_thousand_trillion_is_refused(field: str, value: Any) -> None:
    kwargs: dict[str, Any] = {"target": 40, field: value}
    with pytest.raises(ValidationError) as caught:
        Kpi(account_id=1, name="NPS", **kwargs)
    assert caught.value.field == field and "thousand trillion" in caught.value.reason


def test_readings_and_stored_kpis_follow_the_same_rule() -> None:
    with pytest.raises(ValidationError, match="thousand trillion"):
        KpiReading(TODAY, -1e308)
    doc = Kpi(account_id=1, name="NPS", target=40).to_doc()
    for _ in range(200):  # past the point the fast reader is compiled
        with pytest.raises(ValidationError, match="target"):
            Kpi.from_doc({**doc, "target": -1e308})
    assert Kpi(account_id=1, name="NPS", target=-1e15, actual=1e15).target == -1e15


def test_a_kpi_value_never_shows_float_noise() -> None:
    assert number_text(999_999_999_999_999.9) == "1,000,000,000,000,000"
    assert number_text(123_456_789_012.34) == "123,456,789,012.34"
    assert number_text(0.1 + 0.2) == "0.3"
    assert number_text(-3) == "-3" and number_text(91.5) == "91.5" and number_text(-0.001) == "0"
    assert with_unit(-1e308, "%") == "-1.0e308%"  # an older file's: short, not 309 digits


async def test_the_kpi_form_refuses_a_target_of_minus_1e308_inline(tmp_path: Path) -> None:
    from kamtui.ui.kpi_forms import kpi_form

    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme").to_doc())
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.push_screen(kpi_form(app.session, acme, None))
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            fields: Any = form
            fields.query_one("#f-name").value = "NPS"
            fields.query_one("#f-target").value = "-1e308"
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form
            assert "thousand trillion" in str(form.query_one("#e-target").render())
        assert store.children("kpis", acme) == []
    finally:
        store.close(compact=False)
