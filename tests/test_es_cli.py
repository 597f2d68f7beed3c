"""The command line in Spanish (issue 15), as a user runs it: real processes over the demo, the day
frozen with --today. Spanish is chosen by LANG, by --lang and by the config file's language;
LANG=C and an unknown --lang are English, with no error. An error in Spanish is still one line on
stderr with the same exit code."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kamtui.sample.demo import materialize_demo
from tests.cli_run import Run, assert_one_error, kamtui_run, sealed_env

TODAY = "2026-12-03"

# Words that say a text is still English (whole words; "--owner", an option's name, is not one).
ENGLISH = re.compile(
    r"(?<!-)\b(usage|options|show this help|database file|Reviews due|Plan actions due|Nothing due|"
    r"Account plans?|Relationships|Objectives|Strategy and actions|Latest reviews|owner|revenue)\b"
)
# In an export, around the demo's own English notes ("usage", "Objectives" may be data).
REPORT_ENGLISH = re.compile(
    r"(?<!-)\b(Reviews due|Nothing due|Account plans?|Relationships|Strategy and actions|Latest reviews|"
    r"owner [a-z]|revenue [0-9]|growth potential|Buying roles|Current value)\b"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize_demo(tmp_path_factory.mktemp("es-demo") / "demo.json", dt.date.fromisoformat(TODAY))


def spanish_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Spanish from LANG alone (LC_ALL and LC_MESSAGES set but empty: not set, as the C library reads them)."""
    return sealed_env(tmp, LANG="es_ES.UTF-8", LC_ALL="", LC_MESSAGES="", **extra)


def english_env(tmp: Path) -> dict[str, str]:
    return sealed_env(tmp, LANG="C", LC_ALL="", LC_MESSAGES="")


def ok(run: Run) -> str:
    assert run.rc == 0 and run.err == "", run
    return run.out


def assert_spanish_due(out: str) -> None:
    assert out.startswith("kamtui: 03/12/2026: "), out  # the day as Spanish writes it
    assert "Revisiones pendientes (" in out and "Acciones del plan pendientes (" in out, out
    first = out.splitlines()[0]
    assert "revisiones" in first and not first.endswith("…"), first  # the counts fit 100 columns whole
    assert not ENGLISH.search(out), ENGLISH.search(out)


def test_due_speaks_spanish_under_lang_es(tmp_path: Path, demo: Path) -> None:
    assert_spanish_due(ok(kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY, env=spanish_env(tmp_path))))


def test_due_speaks_spanish_with_lang_option_whatever_the_environment(tmp_path: Path, demo: Path) -> None:
    run = kamtui_run(tmp_path, "--lang", "es", "due", "--db", demo, "--today", TODAY, env=english_env(tmp_path))
    assert_spanish_due(ok(run))
    run = kamtui_run(tmp_path, "due", "--lang=es", "--db", demo, "--today", TODAY, env=english_env(tmp_path))
    assert_spanish_due(ok(run))  # after the command too


def test_due_speaks_spanish_from_the_config_file(tmp_path: Path, demo: Path) -> None:
    config = tmp_path / "kamtui.toml"
    config.write_text('language = "es"\n', encoding="utf-8")
    env = sealed_env(tmp_path, LANG="C", LC_ALL="", LC_MESSAGES="", KAMTUI_CONFIG=str(config))
    assert_spanish_due(ok(kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY, env=env)))
    # --lang wins over the file
    run = kamtui_run(tmp_path, "--lang", "en", "due", "--db", demo, "--today", TODAY, env=env)
    assert "Reviews due (" in ok(run)


def test_due_is_english_under_lang_c_and_with_a_language_kamtui_does_not_speak(tmp_path: Path, demo: Path) -> None:
    english = ok(kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY, env=english_env(tmp_path)))
    assert "Reviews due (" in english and "Plan actions due (" in english
    assert "Revisiones" not in english and "prioridad" not in english
    french = kamtui_run(tmp_path, "--lang", "fr", "due", "--db", demo, "--today", TODAY, env=spanish_env(tmp_path))
    assert ok(french) == english  # no error, no Spanish: English


def test_due_table_columns_hold_the_spanish_words(tmp_path: Path, demo: Path) -> None:
    """Every row's account starts in the same column, and the when column shows its words whole
    (no "…" in it), however long the Spanish ("3 sem. de retraso") is."""
    env = spanish_env(tmp_path, COLUMNS="160")
    table = ok(kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY, "--days", "30", env=env))
    items = json.loads(
        ok(kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY, "--days", "30", "--format", "json", env=env))
    )["items"]
    rows = [line for line in table.splitlines() if line[:3] in ("!! ", "!  ", "   ")]
    order = {"review": 0, "action": 1, "contact": 2, "risk": 3, "plan": 4, "losing_touch": 5}
    items.sort(key=lambda it: order[it["kind"]])  # the table groups by kind, in the queue's order
    assert len(rows) == len(items) > 20
    starts = set()
    for line, item in zip(rows, items, strict=True):
        start = line.index(item["account"][:20], 3)
        starts.add(start)
        when = line[3:start].strip()
        assert when and "…" not in when, line
    assert len(starts) == 1, starts


def test_help_speaks_spanish_argparse_words_included(tmp_path: Path) -> None:
    out = ok(kamtui_run(tmp_path, "--help", env=spanish_env(tmp_path)))
    assert out.startswith("uso: kamtui "), out
    assert "\nopciones:\n" in out and "\nargumentos:\n" in out
    assert "muestra esta ayuda y sale" in out and "archivo de datos" in out
    assert "--db ARCHIVO" in out and "COMANDO" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)
    for command in ("due", "check", "import", "export", "import-json"):
        sub = ok(kamtui_run(tmp_path, "--lang", "es", command, "--help", env=english_env(tmp_path)))
        assert sub.startswith(f"uso: kamtui {command} "), sub
        assert "muestra esta ayuda y sale" in sub and not ENGLISH.search(sub), (command, ENGLISH.search(sub))
    export = ok(kamtui_run(tmp_path, "--lang", "es", "export", "--help", env=english_env(tmp_path)))
    assert "formatos:" in export and "qué escribir" in export


def test_help_is_english_under_lang_c(tmp_path: Path) -> None:
    out = ok(kamtui_run(tmp_path, "--help", env=english_env(tmp_path)))
    assert out.startswith("usage: kamtui ") and "\noptions:\n" in out and "show this help message and exit" in out


def test_markdown_plan_reads_in_spanish(tmp_path: Path, demo: Path) -> None:
    env = spanish_env(tmp_path)
    out = ok(kamtui_run(tmp_path, "export", "--db", demo, "--today", TODAY, "--format", "md", env=env))
    assert out.startswith("# Planes de cuenta\n\nExportado de kamtui "), out[:200]
    for heading in (
        "### 1. Relaciones",
        "### 2. El negocio del cliente",
        "### 3. Objetivos",
        "### 4. Estrategia y acciones",
    ):
        assert f"\n{heading}\n" in out, heading
    assert "| Cuenta | Nivel | Responsable | Ingresos | Salud | Próxima revisión |" in out
    assert "**FODA**" in out and "Últimas revisiones (puntuaciones de 1 a 5):" in out
    assert "potencial de crecimiento alto" in out  # a potential is "alto", an influence "alta"
    assert not REPORT_ENGLISH.search(out), REPORT_ENGLISH.search(out)
    english = ok(
        kamtui_run(tmp_path, "export", "--db", demo, "--today", TODAY, "--format", "md", env=english_env(tmp_path))
    )
    assert english.startswith("# Account plans\n\nExported from kamtui ") and "### 1. Relationships" in english


def test_brief_reads_in_spanish(tmp_path: Path, demo: Path) -> None:
    args = ("export", "--db", demo, "--today", TODAY, "--format", "brief", "--account", "solano")
    out = ok(kamtui_run(tmp_path, *args, env=spanish_env(tmp_path)))
    assert out.startswith("Resumen para la reunión: Solano Retail Group"), out[:200]
    assert "cuenta clave" in out and "responsable chloe" in out
    english = ok(kamtui_run(tmp_path, *args, env=english_env(tmp_path)))
    assert "Solano Retail Group" in english and "Resumen" not in english and "responsable" not in english


def test_calendar_words_in_spanish_and_the_users_data_as_stored(tmp_path: Path, demo: Path) -> None:
    args = ("export", "--db", demo, "--today", TODAY, "--format", "ics", "--account", "solano")
    out = ok(kamtui_run(tmp_path, *args, env=spanish_env(tmp_path)))
    assert "SUMMARY:Revisión: Solano Retail Group\r\n" in out
    assert "SUMMARY:Acción: Ask Miguel" in out  # the action's text is the user's, as stored
    assert "DTSTART;VALUE=DATE:" in out and "BEGIN:VCALENDAR" in out  # the format itself is not translated


def test_check_summary_in_spanish(tmp_path: Path, demo: Path) -> None:
    out = ok(kamtui_run(tmp_path, "check", "--db", demo, "--today", TODAY, env=spanish_env(tmp_path)))
    assert out.startswith(f"{demo}: correcto (28 cuentas, ") and "interlocutores" in out, out


@pytest.mark.parametrize(
    ("args", "code", "spanish"),
    [
        (("due", "--days", "x"), 1, "argumento --days: 'x' no es un número entero (consulta kamtui --help)"),
        (("due", "--format", "xml"), 1, "argumento --format: opción no válida: 'xml'"),
        (("due", "--bogus"), 1, "argumentos no reconocidos: --bogus"),
        (("export", "--format", "brief"), 1, "--format brief requiere --account NOMBRE"),
        (("due", "--db", "missing.json"), 2, "no hay archivo de datos en "),
    ],
)
def test_an_error_in_spanish_is_one_line_with_the_same_exit_code(
    tmp_path: Path, args: tuple[str, ...], code: int, spanish: str
) -> None:
    line = assert_one_error(kamtui_run(tmp_path, *args, env=spanish_env(tmp_path)), code)
    assert spanish in line, line
    english = assert_one_error(kamtui_run(tmp_path, *args, env=english_env(tmp_path)), code)
    assert spanish not in english


def test_an_account_name_that_fits_several_is_said_in_spanish(tmp_path: Path, demo: Path) -> None:
    args = ("export", "--db", demo, "--today", TODAY, "--format", "md", "--account", "ha")
    line = assert_one_error(kamtui_run(tmp_path, *args, env=spanish_env(tmp_path)), 2)
    assert line == (
        "kamtui: 'ha' coincide con 2 cuentas: 'Halvorsen Marine AS', 'Harbour Lane Logistics'; escribe más del nombre"
    )


def test_nothing_due_is_said_in_spanish(tmp_path: Path) -> None:
    from kamtui.store import Store

    empty = tmp_path / "empty.json"
    Store(empty, create=True).close()
    out = ok(kamtui_run(tmp_path, "due", "--db", empty, "--today", TODAY, env=spanish_env(tmp_path)))
    assert out == "No hay nada pendiente. Disfruta del día.\n"
    out = ok(kamtui_run(tmp_path, "check", "--db", empty, "--today", TODAY, env=spanish_env(tmp_path)))
    assert out.startswith(f"{empty}: correcto (0 cuentas, 0 interlocutores, ")
