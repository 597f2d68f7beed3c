"""What the README and the docstrings say about an ASCII locale matches what Python does.

A bare ``LANG=C`` gives UTF-8 output even with ``PYTHONUTF8=0``: Python coerces the C locale
to a UTF-8 one (PEP 538). Only ``LC_ALL=C`` (which the coercion leaves alone) or
``PYTHONCOERCECLOCALE=0`` gives an ASCII stdout, and with it kamtui's ASCII marks. Real
subprocesses in an environment holding nothing else (as ``env -i``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import REPO
from tests.ui_fixtures import TODAY, build_portfolio

MARKS = "\u2026\u00b7\u25b2\u25bc\u25b6\u2423"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("locale") / "kamtui.json"
    build_portfolio(path)
    return path


def _due(tmp: Path, db: Path, **locale: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "PYTHONPATH": str(REPO), "KAMTUI_CONFIG": "/dev/null", **locale}
    proc = subprocess.run(
        [sys.executable, "-m", "kamtui", "due", "--db", str(db), "--today", TODAY.isoformat(), "--format", "plain"],
        capture_output=True,
        env=env,
        cwd=tmp,
        timeout=60,
        check=True,
    )
    return proc.stdout.decode("utf-8")


def test_a_bare_lang_c_still_writes_utf8_even_with_pythonutf8_0(tmp_path: Path, db: Path) -> None:
    out = _due(tmp_path, db, LANG="C", PYTHONUTF8="0")
    assert set(out) & set(MARKS), out


@pytest.mark.parametrize(
    "locale",
    [{"LC_ALL": "C", "PYTHONUTF8": "0"}, {"LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}],
    ids=["lc-all", "no-coercion"],
)
def test_lc_all_c_or_no_coercion_writes_ascii(tmp_path: Path, db: Path, locale: dict[str, str]) -> None:
    out = _due(tmp_path, db, **locale)
    assert out.isascii() and "health 40 v - last review" in out, out  # ▼ and · as ASCII


_WRONG = re.compile(r"`+LANG=C`+ with `+PYTHONUTF8=0`+")


def test_the_readme_and_docstrings_name_a_locale_that_gives_ascii() -> None:
    texts = {"README.md": (REPO / "README.md").read_text(encoding="utf-8")}
    texts |= {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in (REPO / "kamtui").rglob("*.py")}
    wrong = sorted(name for name, text in texts.items() if _WRONG.search(text))
    assert wrong == []
    assert "LC_ALL=C PYTHONUTF8=0" in texts["README.md"]
