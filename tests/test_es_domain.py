"""Issue 15: the domain's words in Spanish. Validation errors, import refusals, Today's reasons, risk
reasons, the labels of the model's enums and the meeting brief read in Spanish under the
``spanish`` fixture, and exactly as before in English; the stored values never change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kamtui.domain import validate as v
from kamtui.domain.account_plan import AccountPlan
from kamtui.domain.brief import build_brief, render_brief
from kamtui.domain.business import SWOT_TITLES
from kamtui.domain.cadence import describe, parse_cadence
from kamtui.domain.changes import changes_since, summary
from kamtui.domain.coverage import coverage, coverage_summary
from kamtui.domain.deals import Kpi, KpiReading, Stage
from kamtui.domain.errors import ImportFileError, ValidationError
from kamtui.domain.hygiene import plan_items
from kamtui.domain.importer import Existing, plan_text
from kamtui.domain.links import person_flags
from kamtui.domain.model import (
    Account,
    Action,
    Coverage,
    DecisionRole,
    FriendlinessChange,
    Horizon,
    Level,
    Stakeholder,
    Tier,
    friendliness_label,
)
from kamtui.domain.owners import owners, unknown_owner_message
from kamtui.domain.queue import build_queue, kind_title
from kamtui.domain.risk import red_risk_items, stakeholder_risks
from kamtui.domain.timeline import timeline
from kamtui.domain.typed_dates import typed_date
from kamtui.i18n import _

TODAY = dt.date(2026, 12, 2)


def _error(fn: Any, *args: Any) -> str:
    with pytest.raises(ValidationError) as info:
        fn(*args)
    return info.value.reason


def _hostile_blocker() -> list[Stakeholder]:
    return [Stakeholder(1, "Ivo", role=DecisionRole.BLOCKER, friendliness=-2, id=5)]


def test_validation_errors(spanish: None) -> None:
    assert _error(lambda: v.text("name", "", required=True)) == "no puede estar vacío"
    assert _error(v.integer, "n", "x") == "debe ser un número entero, no 'x'"
    assert _error(v.happened, "date", TODAY + dt.timedelta(days=1), TODAY) == (
        "03/12/2026 es posterior a hoy (02/12/2026)"
    )
    assert _error(typed_date, "02/12/2026", TODAY) == (
        "'02/12/2026' puede ser el 2 de diciembre o el 12 de febrero: escribe 2026-12-02 o 2026-02-12"
    )
    assert _error(v.money, "revenue", "-5") == "no puede ser negativo"


def test_validation_errors_in_english() -> None:
    assert _error(lambda: v.text("name", "", required=True)) == "must not be empty"
    assert _error(typed_date, "02/12/2026", TODAY) == (
        "'02/12/2026' could be 2 December or 12 February: type 2026-12-02 or 2026-02-12"
    )


def _import(data: str) -> list[str]:
    plan = plan_text(data, "contacts", None, Existing(), today=TODAY)
    return [r.describe() for r in plan.refused] + [plan.summary()]


def test_import_refusals(spanish: None) -> None:
    assert _import("Full Name,Associated Company\nAna Ruiz,Acme\n") == [
        "línea 2: account: no hay ninguna cuenta llamada 'Acme' (importa antes las cuentas)",
        "0 para crear, 0 para actualizar, 0 sin cambios, 1 rechazadas",
    ]
    with pytest.raises(ImportFileError, match=r"^el archivo está vacío$"):
        plan_text("", None, None, Existing())


def test_import_refusals_in_english() -> None:
    assert _import("Full Name,Associated Company\nAna Ruiz,Acme\n") == [
        "line 2: account: no account named 'Acme' (import the accounts first)",
        "0 to create, 0 to update, 0 unchanged, 1 refused",
    ]


def _queue() -> list[tuple[str, str]]:
    """(title, detail) of each item; the dates in them are the formats' (kamtui.domain.formats), cut off."""
    accounts = [(1, {"name": "Acme", "owner": "ana", "cadence": "monthly", "last_review": "2026-09-01"})]
    actions = [(2, {"account_id": 1, "objective_id": 1, "text": "Send the deck", "due": "2026-11-30"})]
    people = [(3, {"account_id": 1, "name": "Rosa", "contact_every_days": 30, "last_contact": "2026-10-01"})]
    items = build_queue(accounts, actions, people, TODAY)
    return [(it.title, it.detail.removesuffix("2026-09-01").removesuffix("01/09/2026")) for it in items]


def test_queue_reasons(spanish: None) -> None:
    assert _queue() == [
        ("revisión pendiente", "última revisión "),
        ("Send the deck", "responsable -"),
        ("Rosa", "último contacto hace 62 d, cada 30 d"),
    ]
    assert kind_title("review") == "Revisiones pendientes"


def test_queue_reasons_in_english() -> None:
    assert _queue() == [
        ("review due", "last review "),
        ("Send the deck", "owner -"),
        ("Rosa", "last contact 62d ago, every 30d"),
    ]
    assert kind_title("review") == "Reviews due"


def test_risk_and_plan_reasons(spanish: None) -> None:
    messages = [r.message for r in stakeholder_risks(_hostile_blocker(), TODAY)]
    assert "el bloqueador Ivo es hostil y sin contacto" in messages
    items = red_risk_items(1, Account("Acme"), _hostile_blocker(), TODAY)
    assert items[0].detail == "mapa en rojo"
    objectives = [(1, {"account_id": 1, "title": "Win the hub", "status": "open"})]
    plan = plan_items(objectives, [], lambda _i: {"name": "Acme"}, TODAY)
    assert [it.title for it in plan] == ["el objetivo 'Win the hub' no tiene acciones abiertas"]
    assert coverage_summary(coverage(_hostile_blocker(), TODAY)) == "0/4 roles cubiertos"


def test_risk_reasons_in_english() -> None:
    messages = [r.message for r in stakeholder_risks(_hostile_blocker(), TODAY)]
    assert "blocker Ivo is hostile and never contacted" in messages
    assert red_risk_items(1, Account("Acme"), _hostile_blocker(), TODAY)[0].detail == "map red"


def test_labels(spanish: None) -> None:
    assert DecisionRole.ECONOMIC_BUYER.label == "comprador económico"
    assert DecisionRole.CHAMPION.label == "campeón"
    assert DecisionRole.INFLUENCER.label == "influenciador"
    assert [friendliness_label(f) for f in (-2, 0, 1)] == ["hostil", "neutral", "favorable"]
    assert [h.label for h in Horizon] == ["corto plazo", "mediano plazo", "largo plazo"]
    assert [_(SWOT_TITLES[k]) for k in ("strengths", "threats")] == ["Fortalezas", "Amenazas"]
    assert Tier.KEY.label == "clave"
    assert Level.HIGH.label == "alta"
    assert Coverage.IN_DEPTH.label == "a fondo"
    assert Stage.WON.label == "ganada"
    # the stored values never change
    assert DecisionRole.ECONOMIC_BUYER.value == "economic_buyer"
    assert Stakeholder(1, "Ana", friendliness="hostile").friendliness == -2


def test_labels_in_english() -> None:
    assert DecisionRole.ECONOMIC_BUYER.label == "economic buyer"
    assert [friendliness_label(f) for f in (-2, 0, 1)] == ["hostile", "neutral", "friendly"]
    assert [h.label for h in Horizon] == ["short term", "medium term", "long term"]
    assert _(SWOT_TITLES["threats"]) == "Threats"
    assert Coverage.IN_DEPTH.label == "in depth"


def _brief() -> str:
    account = Account("Acme", tier=Tier.KEY, owner="ana", id=1)
    plan = AccountPlan(account, stakeholders=_hostile_blocker())
    return render_brief(build_brief(plan, TODAY))


def test_brief(spanish: None) -> None:
    text = _brief()
    assert text.startswith("Resumen para la reunión: Acme\ncuenta clave · responsable ana · ")
    assert "AMENAZAS (FODA)" in text
    assert "- Ivo · bloqueador · influencia media · hostil (-2)" in text
    assert "ÚLTIMA REVISIÓN Y PRÓXIMO PASO" in text and "Nunca revisada" in text


def test_brief_in_english() -> None:
    text = _brief()
    assert text.startswith("Meeting brief: Acme\nkey account · owner ana · ")
    assert "- Ivo · blocker · influence medium · hostile (-2)" in text
    assert "THREATS (SWOT)" in text


def _moved() -> tuple[list[str], str]:
    rosa = Stakeholder(
        1, "Rosa", friendliness=-1, id=2, friendliness_history=[FriendlinessChange(TODAY, -1, "ana", "", 1)]
    )
    action = Action(1, 1, "Send the deck", due=TODAY - dt.timedelta(days=2), id=3)
    kpi = Kpi(1, "NPS", 50, actual=40, history=[KpiReading(TODAY, 40)], id=4)
    moved = changes_since(TODAY - dt.timedelta(days=7), TODAY, stakeholders=[rosa], actions=[action], kpis=[kpi])
    texts = (
        [m.text.replace("30/11/2026", "2026-11-30") for m in moved]
        + [e.text for e in timeline([], [], [rosa], [])]
        + person_flags(rosa, TODAY)
    )
    return texts, summary(moved)


def test_changes_timeline_and_flags(spanish: None) -> None:
    texts, line = _moved()
    assert texts == [
        "Rosa: favorable → desfavorable",
        "Send the deck (vencía el 2026-11-30)",
        "NPS: 40 (objetivo 50) desviado",
        "Rosa: favorable → desfavorable",
        "Rosa es desfavorable",
    ]
    assert line == "1 cambio de actitud · 1 con retraso nuevo · 1 lectura de KPI"
    assert unknown_owner_message("zoe", []) == "'zoe' no es responsable de ninguna cuenta: aún no hay cuentas"
    # the command line names an account without an owner as the screens do
    nobody = unknown_owner_message("zoe", owners(["", " "]))
    assert nobody == "'zoe' no es responsable de ninguna cuenta; responsables: (sin responsable) (2)"


def test_changes_timeline_and_flags_in_english() -> None:
    texts, line = _moved()
    assert texts == [
        "Rosa: friendly → unfriendly",
        "Send the deck (due 2026-11-30)",
        "NPS: 40 (target 50) off track",
        "Rosa: friendly → unfriendly",
        "Rosa is unfriendly",
    ]
    assert line == "1 attitude change · 1 newly late · 1 KPI reading"
    assert unknown_owner_message("zoe", []) == "no account is owned by 'zoe': there are no accounts yet"


CADENCES = ["monthly", "quarterly", "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"]


def test_cadences_in_words(spanish: None) -> None:
    assert [describe(c) for c in CADENCES] == [
        "cada mes",
        "cada trimestre",
        "cada 2 meses el último viernes",
        "cada año en marzo el día 15",
    ]
    assert _error(parse_cadence, "FREQ=HOURLY") == "debe repetirse a diario o con menos frecuencia"


def test_cadences_in_words_in_english() -> None:
    assert [describe(c) for c in CADENCES] == [
        "every month",
        "every quarter",
        "every 2 months on the last Friday",
        "every year in March on day 15",
    ]
