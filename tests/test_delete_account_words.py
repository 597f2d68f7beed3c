"""Deleting an account asks first, and the question names every record the delete takes with it:
a tester found it named the stakeholders, objectives, actions and reviews of a demo account while
its 12 interactions, 3 opportunities (one an open 850k deal) and 3 KPIs went too. The words come
from one list (kamtui.domain.labels.records), the one ``kamtui check`` counts a file with."""

from __future__ import annotations

import pytest

from kamtui import i18n
from kamtui.domain.labels import records
from kamtui.domain.model import CHILD_TABLES, TABLES
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


async def test_the_question_names_every_record_the_delete_takes(demo_store: Store) -> None:
    solano = next(i for i, d in demo_store.all("accounts") if d["name"] == "Solano Retail Group")
    counts = {t: len(demo_store.children_stored(t, solano)) for t in CHILD_TABLES}
    assert all(counts.values()), counts  # the demo's account has records of every kind
    app = KamApp(demo_store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Solano", "enter")
        await settle(app, pilot)
        assert app.main.account_id == solano
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert question.startswith("Delete account Solano Retail Group and its ")
        for words in (
            f"{counts['stakeholders']} stakeholders",
            f"{counts['interactions']} interactions",
            f"{counts['opportunities']} opportunities",
            f"{counts['kpis']} KPIs",
        ):
            assert words in question, (words, question)
        assert all(records(t, n) in question for t, n in counts.items())
        await pilot.press("y")
        await settle(app, pilot)
        assert demo_store.get("accounts", solano) is None
        assert all(not demo_store.children_stored(t, solano) for t in CHILD_TABLES)


def test_every_table_has_its_words() -> None:
    """In Spanish no table's words are its name, so a table the list forgot would show."""
    assert [records(t, 3) for t in TABLES] == [
        "3 accounts",
        "3 stakeholders",
        "3 objectives",
        "3 actions",
        "3 reviews",
        "3 interactions",
        "3 opportunities",
        "3 KPIs",
    ]
    assert records("kpis", 1) == "1 KPI"
    i18n.set_language("es")
    for table in TABLES:
        one, many = records(table, 1), records(table, 3)
        assert one.startswith("1 ") and many.startswith("3 ") and table not in (one[2:], many[2:])
    assert (records("kpis", 3), records("opportunities", 1)) == ("3 KPI", "1 oportunidad")
