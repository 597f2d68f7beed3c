"""The command line under a locale that cannot write Unicode (issue 11, item 15).

``PYTHONUTF8=0 LANG=C LC_ALL=C`` gives Python an ASCII stdout and stderr, as on a minimal
server or in a cron job. kamtui's own marks (``…`` ``·`` ``▲ ▼ ▶`` ``␣``) then come out as
ASCII stand-ins, a character of the user's data the terminal cannot show as ``?``, and JSON
escapes what it cannot write, instead of a UnicodeEncodeError. Real subprocesses, real locale.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.sample.demo import materialize_demo
from kamtui.store import Store
from tests.cli_run import sealed_env

TODAY = dt.date(2026, 1, 15)
MARKS = "\u2026\u00b7\u25b2\u25bc\u25b6\u2423"


def ascii_env(tmp: Path) -> dict[str, str]:
    env = sealed_env(tmp, PYTHONUTF8="0", LANG="C", LC_ALL="C", KAMTUI_CONFIG="/dev/null")
    del env["PYTHONIOENCODING"]
    return env


def run_ascii(tmp: Path, *args: str | Path) -> tuple[int, bytes, bytes]:
    proc = subprocess.run(
        [sys.executable, "-m", "kamtui", *map(str, args)],
        capture_output=True,
        env=ascii_env(tmp),
        cwd=tmp,
        timeout=60,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio (its queue has health trends, long names, "Tomás") plus an account
    whose name holds a bidi override and a long non-ASCII name, both due for review."""
    path = materialize_demo(tmp_path_factory.mktemp("demo") / "demo.json", TODAY)
    with Store(path, user="t") as store:
        for name in ("Caf\u00e9 \u202eNoir", "\u00c5ngstr\u00f6m M\u00e4\u00dfigkeit Fahrzeugbau Gesellschaft mbH"):
            store.insert("accounts", {"name": name, "tier": "key", "cadence": "weekly", "owner": "ana"})
    return path


def test_the_environment_really_is_ascii(tmp_path: Path) -> None:
    code = "import sys; print(sys.stdout.encoding, sys.stderr.encoding)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=ascii_env(tmp_path), check=True)
    assert proc.stdout.split() == [b"ascii", b"ascii"] or b"ANSI_X3.4-1968" in proc.stdout


@pytest.mark.parametrize("fmt", ["table", "plain"])
def test_due_writes_ascii_marks(tmp_path: Path, demo: Path, fmt: str) -> None:
    rc, out, err = run_ascii(tmp_path, "due", "--db", demo, "--today", TODAY.isoformat(), "--format", fmt)
    assert rc == 0, err
    assert err == b""
    text = out.decode("ascii")  # strict: every byte is ASCII
    assert "Reviews due" in text or "review\t" in text
    assert "health " in text and " - " in text  # "health 62 ^ - last review ..." (the middle dot)
    assert any(trend in text for trend in ("health 5", " ^ ", " v ", " > "))
    assert "Caf? _Noir" in text  # the user's e as "?", the bidi override's mark as "_"
    if fmt == "table":
        assert "..." in text  # a long name cut with an ASCII ellipsis, within its column
        rows = [line for line in text.splitlines() if line.startswith(("!! ", "!  ", "   "))]
        assert rows and all(len(row) <= 100 for row in rows)


def test_due_json_stays_whole_json(tmp_path: Path, demo: Path) -> None:
    rc, out, err = run_ascii(tmp_path, "due", "--db", demo, "--today", TODAY.isoformat(), "--format", "json")
    assert rc == 0, err
    data = json.loads(out.decode("ascii"))  # non-ASCII escaped, nothing lost
    names = {item["account"] for item in data["items"]}
    assert "Caf\u00e9 \u202eNoir" in names
    assert any("\u00b7" in item["detail"] for item in data["items"])


def test_an_error_line_is_ascii_and_one_line(tmp_path: Path, demo: Path) -> None:
    """An error line that names stored data (the accounts it may have meant) writes its marks
    as ASCII and what ASCII cannot hold as "?", not Python's backslash escapes."""
    rc, out, err = run_ascii(tmp_path, "export", "--db", demo, "--format", "md", "--account", "Cafe Noir")
    assert rc == 2 and out == b""
    line = err.decode("ascii")
    assert line.count("\n") == 1 and line.startswith("kamtui: no account named 'Cafe Noir'")
    assert "'Caf? _Noir'" in line  # not "Caf\\xe9 \\u2423Noir"


def test_a_path_the_locale_cannot_decode_is_shown_as_question_marks(tmp_path: Path) -> None:
    rc, out, err = run_ascii(tmp_path, "due", "--db", tmp_path / "caf\u00e9.json")
    assert rc == 2 and out == b""
    line = err.decode("ascii")
    assert line.count("\n") == 1 and line.startswith("kamtui: no database at ") and "caf??.json" in line


def test_export_to_standard_output_is_utf8_whatever_the_locale(tmp_path: Path, demo: Path) -> None:
    """An export is a file format (UTF-8, as with -o), not text for the terminal."""
    rc, out, err = run_ascii(tmp_path, "export", "--db", demo, "--format", "md", "--today", TODAY.isoformat())
    assert rc == 0, err
    assert "Tom\u00e1s" in out.decode("utf-8")


def test_check_and_import_messages_do_not_crash(tmp_path: Path, demo: Path) -> None:
    rc, out, err = run_ascii(tmp_path, "check", "--db", demo)
    assert rc == 0, err
    out.decode("ascii")
    csv = tmp_path / "accounts.csv"
    csv.write_text("name,industry\nZ\u00fcrich Caf\u00e9,Food\n", encoding="utf-8")
    rc, out, err = run_ascii(tmp_path, "import", csv, "--db", demo, "--dry-run")
    assert rc == 0, err
    assert "Z?rich Caf?" in out.decode("ascii")


def test_marks_are_the_ones_the_code_writes() -> None:
    """The marks this test expects are the ones kamtui's renderers use."""
    from kamtui.report.terminal import ASCII_MARKS

    assert set(MARKS) <= set(ASCII_MARKS)
