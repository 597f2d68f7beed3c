"""The catalog and the choice of language (issue 15, items 1 and 2).

- Every string the code marks has a Spanish translation, with the same placeholders, and the
  committed ``kamtui.mo`` is the compiled ``.po``: a string added without its Spanish fails here.
- Nothing is translated at import time: the language can change after the modules are loaded
  (the tests do; the CLI chooses before it imports), so a ``_()`` in a class body or a module
  constant would stay English for ever.
- The language: ``--lang``, then the config file's ``language``, then LC_ALL, LC_MESSAGES,
  LANG; a language kamtui does not speak is English, with no error.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import string
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kamtui import i18n
from kamtui.domain.errors import ValidationError
from kamtui.store.config import load_language
from kamtui.store.errors import StoreError
from tests import i18n_catalog

# --------------------------------------------------------------------------- the catalog


def test_every_marked_string_has_its_spanish_translation() -> None:
    gaps = i18n_catalog.missing()
    listed = "\n".join(f"{f.relative_to(i18n_catalog.ROOT)}:{line}: {key!r}" for key, f, line in gaps[:40])
    assert not gaps, f"{len(gaps)} strings without Spanish (python -m tests.i18n_catalog missing):\n{listed}"


def test_the_catalog_is_one_file_and_its_compiled_form_is_current() -> None:
    assert not list(i18n_catalog.PARTS.glob("*.po")), "parts/*.po left over: python -m tests.i18n_catalog merge"

    def entries(data: bytes) -> dict[object, str]:  # the translations; the header names Babel's version
        found: dict[object, str] = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
        return {k: v for k, v in found.items() if k != ""}

    committed, fresh = entries(i18n_catalog.MO.read_bytes()), entries(i18n_catalog.compiled())
    assert committed == fresh, "kamtui.mo is stale: python -m tests.i18n_catalog build"


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_a_translation_fills_exactly_the_placeholders_of_its_english() -> None:
    """``_("{n} days late").format(n=3)``: a Spanish ``{dias}`` would be a KeyError on screen."""
    wrong = []
    for m in i18n_catalog.merged():
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        try:
            want = set().union(*(_fields(s) for s in ids))
            for s in strings:
                if s and _fields(s) - want:
                    wrong.append((m.id, s))
        except ValueError as exc:  # an unbalanced brace in either
            wrong.append((m.id, f"{strings!r}: {exc}"))
    assert not wrong, wrong[:20]


def test_a_translation_keeps_the_markers_of_its_english() -> None:
    """Leading/trailing newlines and the ``%``-style or ``{}`` positional holes the code fills."""
    wrong = []
    for m in i18n_catalog.merged():
        if not m.id or not m.string or isinstance(m.id, tuple):
            continue
        s = m.string if isinstance(m.string, str) else m.string[0]
        if m.id.endswith("\n") != s.endswith("\n") or m.id.startswith("\n") != s.startswith("\n"):
            wrong.append(m.id)
        if sorted(re.findall(r"%\(?\w*\)?[sdfr]", m.id)) != sorted(re.findall(r"%\(?\w*\)?[sdfr]", s)):
            wrong.append(m.id)
    assert not wrong, wrong[:20]


def test_spanish_is_spoken_once_chosen_and_english_is_the_msgid_itself(spanish: None) -> None:
    marked = next(i18n_catalog.extracted())
    msgid = marked[0] if isinstance(marked[0], str) else marked[0][1]
    if isinstance(marked[0], str):
        assert i18n._(msgid) != msgid or msgid.strip() == ""
    i18n.set_language("en")
    assert i18n._(msgid) == msgid


# --------------------------------------------------------------------------- import time

PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import kamtui.i18n as i18n
    calls = []
    def spy(name, real):
        def f(*args):
            calls.append((name, args[0] if args else None))
            return real(*args)
        return f
    for name in ("_", "ngettext", "pgettext"):
        setattr(i18n, name, spy(name, getattr(i18n, name)))
    import kamtui
    for info in pkgutil.walk_packages(kamtui.__path__, "kamtui."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    for call in calls:
        print(call)
    sys.exit(1 if calls else 0)
    """
)


def test_nothing_is_translated_at_import_time() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, f"translated while importing (use N_ there):\n{proc.stdout}{proc.stderr}"


def _imports_underscore(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "kamtui.i18n"
        and any(a.name == "_" and a.asname is None for a in node.names)
        for node in ast.walk(tree)
    )


def test_no_module_that_translates_with_underscore_also_throws_values_into_it() -> None:
    """``for _, x in pairs`` in a module that imports ``_`` makes ``_("...")`` below it call a
    tuple's element: the translation breaks, on the screen, only where that code runs."""
    found = []
    for path in sorted(i18n_catalog.PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _imports_underscore(tree):
            continue
        for node in ast.walk(tree):
            stored = isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
            argument = isinstance(node, ast.arg) and node.arg == "_"
            if stored or argument:
                found.append(f"{path.relative_to(i18n_catalog.ROOT)}:{node.lineno}")
    assert not found, found


# --------------------------------------------------------------------------- the choice


@pytest.mark.parametrize(
    ("cli", "config", "env", "want"),
    [
        (None, None, {}, ("en", None)),
        (None, None, {"LANG": "es_ES.UTF-8"}, ("es", "ES")),
        (None, None, {"LANG": "es_MX.UTF-8"}, ("es", "MX")),
        (None, None, {"LANG": "es"}, ("es", None)),
        (None, None, {"LANG": "C"}, ("en", None)),
        (None, None, {"LANG": "POSIX"}, ("en", None)),
        (None, None, {"LANG": "fr_FR.UTF-8"}, ("en", None)),  # not spoken: English, no error
        (None, None, {"LC_ALL": "C", "LANG": "es_ES.UTF-8"}, ("en", None)),  # LC_ALL first
        (None, None, {"LC_ALL": "", "LC_MESSAGES": "es_CO.UTF-8", "LANG": "C"}, ("es", "CO")),  # empty is unset
        (None, None, {"LC_MESSAGES": "C", "LANG": "es_ES"}, ("en", None)),
        (None, "es", {"LANG": "C"}, ("es", None)),  # the config file beats the environment
        ("en", "es", {"LANG": "es_ES"}, ("en", None)),  # --lang beats both
        ("es-PE", None, {}, ("es", "PE")),
        ("xx", "es", {"LANG": "es_ES"}, ("en", None)),  # what the user asked, even if unknown
        ("ES_ar.utf8@euro", None, {}, ("es", "AR")),
    ],
)
def test_the_language_is_chosen_as_terminal_users_expect(
    cli: str | None, config: str | None, env: dict[str, str], want: tuple[str, str | None]
) -> None:
    assert i18n.choose(cli, config, env) == want


def test_formats_keep_the_region_and_a_missing_catalog_is_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert i18n.use(None, None, {"LANG": "es_MX.UTF-8"}) == "es"
    assert i18n.locale_name() == "es_MX"
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.set_language("es", "ES") == "en"
    assert i18n.locale_name() == "en"
    assert i18n.set_language("de") == "en"


def test_the_config_file_names_the_language(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('language = "es"\n[thresholds]\nreview_late_periods = 2\n', encoding="utf-8")
    assert load_language(cfg) == "es"
    cfg.write_text("[thresholds]\n", encoding="utf-8")
    assert load_language(cfg) is None
    cfg.write_text("language = 3\n", encoding="utf-8")
    with pytest.raises(StoreError, match="language must be a language code"):
        load_language(cfg)
    cfg.write_text('language = "klingon"\n', encoding="utf-8")
    assert load_language(cfg) == "klingon"  # read as written; kamtui.i18n makes it English


# --------------------------------------------------------------------------- words that share a line


def test_a_count_in_a_title_is_grouped_as_the_language_writes_it(spanish: None) -> None:
    from kamtui.domain.formats import count_text

    assert count_text(10_000) == "10.000"
    i18n.set_language("es", "MX")
    assert count_text(10_000) == "10,000"
    i18n.set_language("en")
    assert count_text(10_000) == "10,000"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_influence_matrix_heads_its_columns_all_in_full_or_all_short(lang: str) -> None:
    """One column "hostile" beside another "unfr." reads as a mistake: a row of words fits whole
    or is shortened whole (Spanish "desfavorable" does not fit a 10-cell column)."""
    from kamtui.ui.texts import SHORT_ATTITUDE, attitude_word, influence_matrix

    i18n.set_language(lang)
    head = influence_matrix([], cell_w=10).plain.splitlines()[0].split()[1:]
    full = [attitude_word(f) for f in range(-2, 3)]
    short = [i18n._(SHORT_ATTITUDE[f]) for f in range(-2, 3)]
    assert head in (full, short)
    assert head == (short if lang == "es" else full)


def test_shares_and_kpi_readings_take_the_language_s_decimal_comma(spanish: None) -> None:
    from kamtui.domain.formats import percent
    from kamtui.domain.kpi_status import with_unit

    assert (percent(0.143, 1), with_unit(5.5, "h"), with_unit(1_250_000, "%")) == ("14,3%", "5,5 h", "1.250.000%")
    i18n.set_language("en")
    assert (percent(0.143, 1), with_unit(5.5, "h"), with_unit(1_250_000, "%")) == ("14.3%", "5.5 h", "1,250,000%")


def test_a_review_cadence_is_typed_in_spanish_and_stored_as_the_preset(spanish: None) -> None:
    """revisión semanal / quincenal / mensual / trimestral: read in every language, stored as the
    preset's own name (the file is the same whoever typed it), shown back in the reader's words."""
    from kamtui.domain.cadence import parse_cadence, typed_cadence
    from kamtui.domain.model import Account

    assert parse_cadence(" Mensual ").text == "monthly"
    assert parse_cadence("trimestral").rule == parse_cadence("quarterly").rule
    stored = Account(name="Cierzo", cadence="quincenal").to_doc()["cadence"]
    assert stored == "biweekly"
    assert typed_cadence("biweekly") == "quincenal"
    assert typed_cadence("FREQ=WEEKLY;INTERVAL=3") == "FREQ=WEEKLY;INTERVAL=3"
    with pytest.raises(ValidationError, match="semanal, quincenal, mensual, trimestral"):
        parse_cadence("a menudo")
    i18n.set_language("en")
    assert typed_cadence("biweekly") == "biweekly"
    assert Account(name="Cierzo", cadence="semanal").cadence == "weekly"


def test_the_tab_bar_shortens_the_focused_title_before_it_drops_the_others(spanish: None) -> None:
    """At 80 columns the tab bar has 47 cells: Spanish "Interlocutores" beside the others' short
    titles did not fit, and the bar fell back to "1 Interlocutores 2 3 4 5"."""
    from kamtui.ui.layout import tabs_text

    assert tabs_text({"stakeholders"}, "stakeholders", 47).plain.split() == [
        *("1", "Personas", "2", "Plan", "3", "Rev.", "4", "Neg.", "5", "Oport.")
    ]


def test_a_friendliness_written_in_spanish_is_read_as_its_number() -> None:
    """A CSV or a script from a Spanish-speaking team says "hostil" or "campeón"."""
    from kamtui.domain.model import friendliness_value

    words = ("hostil", "Desfavorable", "neutral", "favorable", "Campeón", "aliado", "hostile", "champion")
    assert [friendliness_value("friendliness", w) for w in words] == [-2, -1, 0, 1, 2, 2, -2, 2]
    with pytest.raises(ValidationError):
        friendliness_value("friendliness", "simpático")


def test_a_date_inside_a_sentence_is_written_as_the_language_writes_it(spanish: None) -> None:
    """Refusals, a champion gone cold, an action's due date: 24/10/2026 in Spanish, ISO in English."""
    import datetime as dt

    from kamtui.domain.validate import happened

    with pytest.raises(ValidationError, match=r"31/12/2026 es posterior a hoy \(03/12/2026\)"):
        happened("date", dt.date(2026, 12, 31), dt.date(2026, 12, 3))
    i18n.set_language("en")
    with pytest.raises(ValidationError, match=r"2026-12-31 is after today \(2026-12-03\)"):
        happened("date", dt.date(2026, 12, 31), dt.date(2026, 12, 3))


def test_an_account_s_deals_are_shown_in_its_own_currency(spanish: None) -> None:
    """A Mexican account in a euro portfolio: its deals in the deals pane, the brief and the plan
    are pesos, as its revenue already was (they showed €)."""
    import datetime as dt

    from kamtui.domain.account_plan import AccountPlan
    from kamtui.domain.brief import build_brief, render_brief
    from kamtui.domain.deals import Opportunity
    from kamtui.domain.formats import set_portfolio_currency
    from kamtui.domain.model import Account
    from kamtui.domain.pipeline import Pipeline
    from kamtui.ui.deal_texts import deal_line, deals_summary, group_header

    set_portfolio_currency("EUR")
    today = dt.date(2026, 12, 3)
    deal = Opportunity(account_id=1, title="Renovación", value=850_000, stage="negotiate", id=7)
    assert "€" not in deal_line(deal, None, today, 120, currency="MXN").plain  # no room for "MXN": none
    assert "€" in deal_line(deal, None, today, 120).plain
    assert "€" not in group_header("Abiertas", [deal], today, True, currency="MXN").plain
    assert "€" not in deals_summary(Pipeline.of([deal], today), "MXN")
    assert "€" in deals_summary(Pipeline.of([deal], today))
    plan = AccountPlan(account=Account(name="Cemex", currency="MXN", id=1), opportunities=(deal,))
    brief = render_brief(build_brief(plan, today))
    assert "850" in brief and "€" not in brief
