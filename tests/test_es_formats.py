"""Local formats (issue 15, items 3 and 4): amounts, dates and spans of time in Spanish through
Babel, English exactly as before, the currency per portfolio and per account, amounts typed
with a decimal comma."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui import i18n
from kamtui.domain import formats
from kamtui.domain.amounts import amount as read_amount
from kamtui.domain.cadence import in_words
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account
from kamtui.domain.text import money
from kamtui.store import settings
from kamtui.store.exchange import dump_json, import_json
from kamtui.store.store import Store

NB = "\u00a0"
DAY = dt.date(2026, 12, 2)  # a Wednesday
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _no_currency() -> Iterator[None]:
    """No portfolio currency before or after: it is process-wide, as the language is."""
    formats.set_portfolio_currency("")
    yield
    formats.set_portfolio_currency("")


def _mexico() -> None:
    assert i18n.set_language("es", "MX") == "es"


# ------------------------------------------------------------------ English, unchanged
def test_english_is_as_it_always_was() -> None:
    assert [money(v) for v in (0, 950, 1500, 950_000, 1_900_000, 2.5e9, 3e12, -1e16)] == [
        "0", "950", "1.5k", "950k", "1.9M", "2.5B", "3.0T", "-1.0e16",
    ]  # fmt: skip
    assert formats.amount(1234567.891) == "1,234,567.89"
    assert formats.date(DAY) == "2026-12-02"
    assert formats.day_title(DAY) == "Wed 02 Dec 2026"
    assert formats.day_short(DAY) == "Wed 02 Dec"
    assert formats.month_day(dt.date(2026, 9, 19), TODAY) == "19 Sep"
    assert formats.month_day(dt.date(2025, 9, 19), TODAY) == "Sep 2025"
    assert [in_words(TODAY + dt.timedelta(days=n), TODAY) for n in (-21, -3, 0, 1, 3, 14, 150, 800)] == [
        "3w late", "3d late", "today", "tomorrow", "in 3d", "in 2w", "in 5mo", "in 2y",
    ]  # fmt: skip
    assert formats.ago_words(3) == "3d ago"
    assert formats.age_words(40) == "5 weeks"


def test_english_never_imports_babel_to_format() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt; from kamtui.domain import formats as f; "
        "f.money(1.9e6); f.amount(1.5); f.date(dt.date.today()); f.due_words(dt.date.today(), dt.date.today()); "
        "print('babel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ Spanish
def test_spanish_amounts_spain(spanish: None) -> None:
    assert formats.amount(1234567.89, "EUR") == f"1.234.567,89{NB}€"
    assert formats.amount(1234.5) == "1.234,50"
    assert formats.amount(12345.5) == "12.345,50"
    assert money(1_900_000, "EUR") == f"1,9{NB}M€"
    assert money(950_000, "EUR") == f"950{NB}k€"
    assert money(1_900_000) == f"1,9{NB}M"  # no currency: no symbol
    assert money(950) == "950"
    assert money(2.5e9) == f"2500{NB}M"  # as CLDR: millones up to 9999, then mil M; never "billón"
    assert money(25e9) == f"25,0{NB}mil M"
    assert formats.money_cell(2.5e9, "EUR", 6) == "2500M€"
    assert formats.money_cell(12.5e6, "EUR", 6) == "12,5M€"
    assert money(1_900_000, "USD") == f"1,9{NB}M{NB}US$"
    assert formats.amount(1234567.4, "CLP") == f"1.234.567{NB}CLP"  # pesos chilenos have no decimals


def test_spanish_amounts_mexico_differ_from_spain() -> None:
    _mexico()
    assert formats.amount(1234567.89) == "1,234,567.89"  # Mexico: decimal point
    assert formats.amount(1234567.89, "MXN") == "$1,234,567.89"
    assert money(1_900_000, "MXN") == f"$1.9{NB}M"
    assert money(1_900_000) == f"1.9{NB}M"


def test_spanish_dates(spanish: None) -> None:
    assert formats.date(DAY) == "02/12/2026"
    assert formats.day_title(DAY) == "mié 02 dic 2026"
    assert formats.day_short(DAY) == "mié 02 dic"
    assert formats.month_day(dt.date(2026, 9, 19), TODAY) == "19 sept"
    assert formats.month_day(dt.date(2025, 9, 19), TODAY) == "sept 2025"


def test_spanish_spans_of_time(spanish: None) -> None:
    def words(n: int, compact: bool = False) -> str:
        return formats.due_words(TODAY + dt.timedelta(days=n), TODAY, compact).replace(NB, " ")

    assert [words(n) for n in (-21, -3, 0, 1, 3, 14, 150, 800)] == [
        "3 sem. de retraso", "3 días de retraso", "hoy", "mañana", "en 3 días", "en 2 sem.", "en 5 meses", "en 2 años",
    ]  # fmt: skip
    assert in_words(TODAY - dt.timedelta(days=21), TODAY) == f"3{NB}sem. de retraso"
    compact = [words(n, True) for n in (-21, -13, -400, 13, 14, 150, 800, -40000)]
    assert compact == ["-3 sem", "-13 d", "-13 m.", "en 13 d", "en 2 sem", "en 5 m.", "en 2 a.", "-99 a.+"]
    assert max(len(w) for w in compact) <= 8  # the list's column at 80 columns
    assert formats.ago_words(3) == f"hace 3{NB}días"
    assert formats.ago_words(14) == f"hace 2{NB}sem."
    assert formats.age_words(40) == f"5{NB}semanas"


# ------------------------------------------------------------------ typed amounts
@pytest.mark.parametrize(
    ("typed", "value"), [("1.234,5", 1234.5), ("1234,5", 1234.5), ("1.234", 1234.0), ("1,234.50", 1234.5), ("0,5", 0.5)]
)
def test_a_form_reads_a_decimal_comma_in_spanish(spanish: None, typed: str, value: float) -> None:
    assert read_amount("revenue", typed) == value
    assert Account("A", revenue=typed).revenue == value  # the form's path: the model's validator


def test_an_ambiguous_comma_is_refused_in_spain_and_says_how_to_type_it(spanish: None) -> None:
    with pytest.raises(ValidationError) as exc:
        read_amount("revenue", "1,234")
    assert "1234" in str(exc.value) and "1,2340" in str(exc.value)
    assert read_amount("revenue", "1,2340") == 1.234


def test_english_and_mexico_read_a_comma_as_thousands() -> None:
    assert read_amount("revenue", "1,234") == 1234.0
    assert read_amount("revenue", "1.234") == 1.234
    assert read_amount("revenue", "1234,5") == 1234.5  # a decimal comma is still read
    _mexico()
    assert read_amount("revenue", "1,234") == 1234.0


def test_a_form_shows_an_amount_it_reads_back(spanish: None) -> None:
    for value in (1234.5, 1.234, 1_000_000.0, 0.25):
        shown = formats.typed_amount(value)
        assert "." not in shown
        assert read_amount("revenue", shown) == value


# ------------------------------------------------------------------ currency
def test_a_currency_code_is_validated() -> None:
    assert Account("A", currency="mxn").currency == "MXN"
    assert Account("A").currency == ""
    for bad in ("XYZ", "euro", "€", 5):
        with pytest.raises(ValidationError) as exc:
            Account("A", currency=bad)
        assert exc.value.field == "currency"
    for code in ("EUR", "USD", "MXN", "COP", "PEN", "CLP", "ARS"):
        assert Account("A", currency=code).currency == code


def test_the_portfolio_currency_is_stored_in_the_file_for_everyone(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    with Store(path, user="ana") as store:
        store.insert("accounts", {"name": "Acme", "revenue": 1_900_000})
        assert money(1_900_000) == "1.9M"
        settings.set_portfolio_currency(store, "eur")
        assert settings.portfolio_currency(store) == "EUR"
        assert money(1_900_000) == "€1.9M"
    formats.set_portfolio_currency("")
    with Store(path, user="ben", only=("accounts",), read_only=True):  # kamtui due's kind of view
        assert formats.portfolio_currency() == "EUR"
    with Store(path, user="ben") as store:
        store.compact()
    formats.set_portfolio_currency("")
    with Store(path, user="ben") as store:
        assert settings.portfolio_currency(store) == "EUR"
        with pytest.raises(Exception, match="currency"):
            settings.set_portfolio_currency(store, "XX")
        settings.set_portfolio_currency(store, "")
        assert money(1_900_000) == "1.9M"


def test_an_account_overrides_the_portfolio_currency(spanish: None) -> None:
    formats.set_portfolio_currency("EUR")
    assert money(1_900_000) == f"1,9{NB}M€"
    acc = Account("Cartagena", revenue=1_900_000, currency="COP")
    assert money(acc.revenue, acc.currency) == f"1,9{NB}M{NB}COP"


def test_json_export_round_trips_the_currencies(tmp_path: Path) -> None:
    with Store(tmp_path / "a.json", user="ana") as src:
        src.insert("accounts", {"name": "Lima", "currency": "PEN"})
        settings.set_portfolio_currency(src, "USD")
        text = dump_json(src)
    data = json.loads(text)
    assert data["settings"]["1"]["currency"] == "USD"
    assert [a["currency"] for a in data["accounts"].values()] == ["PEN"]
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    formats.set_portfolio_currency("")
    with Store(tmp_path / "b.json", user="ben") as dst:
        import_json(dst, tmp_path / "export.json")
        assert settings.portfolio_currency(dst) == "USD"
        assert [doc["currency"] for _i, doc in dst.all("accounts")] == ["PEN"]
        again = import_json(dst, tmp_path / "export.json")
        assert (again.inserted, again.updated) == (0, 0)


def test_setting_the_portfolio_currency_is_undone_like_any_change(tmp_path: Path) -> None:
    from kamtui.store.portfolio import Portfolio
    from kamtui.store.settings import currency_ops

    with Store(tmp_path / "k.json", user="ana") as store:
        portfolio = Portfolio(store)
        change = portfolio.commit(currency_ops(store, "COP"), "currency")
        assert money(2_000_000) == "COP\u00a02.0M"
        assert currency_ops(store, "COP") == []  # already so: no write
        portfolio.undo(change)
        assert settings.portfolio_currency(store) == "" and money(2_000_000) == "2.0M"


def test_the_csv_export_names_each_account_s_currency_in_a_last_column(tmp_path: Path) -> None:
    import csv
    import io

    from kamtui.report.csv_tables import render_csv
    from kamtui.report.plans import load_plans
    from kamtui.store.portfolio import Portfolio

    with Store(tmp_path / "k.json", user="ana") as store:
        store.insert("accounts", {"name": "Lima", "currency": "PEN"})
        store.insert("accounts", {"name": "Madrid"})
        settings.set_portfolio_currency(store, "EUR")
        rows = list(csv.reader(io.StringIO(render_csv(load_plans(Portfolio(store), TODAY), TODAY)["accounts"])))
    assert rows[0][-1] == "currency"
    assert {r[1]: r[-1] for r in rows[1:]} == {"Lima": "PEN", "Madrid": "EUR"}


def test_a_day_in_a_sentence() -> None:
    from kamtui.domain.health import day_words

    assert day_words(dt.date(2026, 11, 3), TODAY) == "3 Nov"
    assert day_words(dt.date(2025, 11, 3), TODAY) == "3 Nov 2025"
    i18n.set_language("es", "ES")
    assert day_words(dt.date(2026, 11, 3), TODAY) == "3 nov"
    assert day_words(dt.date(2025, 9, 3), TODAY) == "3 sept 2025"


def test_the_spanish_table_agrees_with_babel_for_every_spanish_locale() -> None:
    import babel
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import format_decimal

    for name in babel.localedata.locale_identifiers():
        if not name.startswith("es") or name.count("_") > 1 or name == "es_419":  # kamtui reads es_419 as es
            continue
        region = name.partition("_")[2]
        assert i18n.set_language("es", region or None) == "es"
        numbers = formats._numbers(i18n.locale_name(), "")
        for value in (1234.5, 1234567.891, 12.0):
            assert numbers.digits_text(value, 2) == format_decimal(value, "#,##0.00", locale=name), name
        days, months = formats._names(i18n.locale_name())
        named = get_day_names("abbreviated", locale=name)
        assert days == tuple(named[d].rstrip(".") for d in range(7)), name  # Monday first
        want = get_month_names("abbreviated", locale=name)
        assert months == tuple(want[m].rstrip(".") for m in range(1, 13)), name


def test_spanish_without_a_currency_never_loads_babel_and_a_region_cldr_lacks_is_spanish() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt; from kamtui import i18n; i18n.set_language('es', 'ES'); "
        "from kamtui.domain import formats as f; f.money(1.9e6); f.amount(1.5); f.day_title(dt.date.today()); "
        "print('babel' in sys.modules); i18n.set_language('es', 'XX'); "
        "print(f.money(1.9e6, 'EUR'), f.day_title(dt.date(2026, 12, 2)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["False", f"1,9{NB}M€ mié 02 dic 2026"]


def test_a_currency_change_touches_every_account(tmp_path: Path) -> None:
    with Store(tmp_path / "k.json", user="ana") as store:
        store.insert("accounts", {"name": "Acme"})
        store.take_touched()
        settings.set_portfolio_currency(store, "EUR")
        assert store.take_touched() is None  # every account: its amounts now show in euros
