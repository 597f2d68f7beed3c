"""Standard output that cannot be written (a full disk: ``> /dev/full``): one line naming what
could not be written and where, exit 2. Not Python's "[Errno 28] No space left on device", nor
"Exception ignored ... OSError" and exit 120 when the failure only shows at exit. Real
subprocesses, their standard output really /dev/full, with Python's streams buffered (as a
user's are) and unbuffered (PYTHONUNBUFFERED: each write fails at once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import sealed_env
from tests.ui_fixtures import TODAY, build_portfolio

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")

FULL = "no space left on device"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("full") / "kamtui.json"
    build_portfolio(path)
    return path


def _run_into_full(tmp: Path, *args: str | Path, buffered: bool) -> tuple[int, str]:
    env = sealed_env(tmp, KAMTUI_CONFIG="/dev/null")
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "kamtui", *map(str, args)],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp,
            timeout=60,
            check=False,
        )
    return proc.returncode, proc.stderr.decode("utf-8")


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("due",), "the queue"),
        (("due", "--format", "json"), "the queue"),
        (("due", "--format", "plain", "--changes"), "the queue"),
        (("check",), "the check's report"),
        (("export", "--format", "md"), "the export"),
        (("export", "--format", "json"), "the export"),
        (("export", "--format", "csv"), "the export"),
        (("export", "--format", "ics"), "the export"),
        (("export", "--format", "brief", "--account", "acme"), "the export"),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else None,
)
def test_a_full_standard_output_is_one_line_naming_it(
    tmp_path: Path, db: Path, args: tuple[str, ...], what: str, buffered: bool
) -> None:
    before = db.read_bytes()
    today = () if args[0] == "check" else ("--today", TODAY.isoformat())
    rc, err = _run_into_full(tmp_path, *args, "--db", db, *today, buffered=buffered)
    assert (rc, err) == (2, f"kamtui: cannot write {what} to standard output: {FULL}\n")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written beside it either


def test_a_full_disk_under_export_to_a_file_still_names_the_file(tmp_path: Path, db: Path) -> None:
    """-o FILE names the file; only the list of files written goes to standard output."""
    out = tmp_path / "plan.md"
    rc, err = _run_into_full(tmp_path, "export", "--db", db, "--format", "md", "-o", out, buffered=True)
    assert (rc, err) == (2, f"kamtui: cannot write the names of the files written to standard output: {FULL}\n")
    assert out.exists()  # written before the names could not be
