"""Running the command line as a user meets it: a real ``python -m kamtui`` subprocess in a sealed
environment (HOME and the XDG directories inside the test's tmp_path, no KAMTUI_* variables), so
that nothing a test runs can read or write the developer's own data. The default-path helpers
assume the XDG layout platformdirs uses on Linux."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.ui_fixtures import TODAY

REPO = Path(__file__).resolve().parent.parent
TODAY_ARGS = ("--today", TODAY.isoformat())


@dataclass
class Run:
    rc: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def sealed_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The parent's environment minus anything that could point at real data or change the output."""
    dropped = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES", "TERM", "PYTHONSTARTUP")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAMTUI_") and k not in dropped}
    pythonpath = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(
        HOME=str(tmp / "home"),
        XDG_DATA_HOME=str(tmp / "xdg-data"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
        XDG_STATE_HOME=str(tmp / "xdg-state"),
        COLUMNS="100",
        PYTHONIOENCODING="utf-8",
        # English unless a test asks for another language (kamtui.i18n reads these)
        **{k: "C.UTF-8" for k in ("LC_ALL", "LC_MESSAGES", "LANG") if k in env and "C" not in env[k][:1]},
        PYTHONPATH=pythonpath,
    )
    env.update(extra)
    return env


def kamtui_run(tmp: Path, *args: str | Path, env: dict[str, str] | None = None, pyflags: tuple[str, ...] = ()) -> Run:
    proc = subprocess.run(
        [sys.executable, *pyflags, "-m", "kamtui", *map(str, args)],
        capture_output=True,
        env=env if env is not None else sealed_env(tmp),
        cwd=tmp,
        timeout=60,
        check=False,
    )
    # Strict decoding: the CLI must never write invalid UTF-8 either.
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def assert_one_error(run: Run, code: int) -> str:
    assert run.rc == code, run
    assert "Traceback" not in run.err, run.err
    assert len(run.err_lines) == 1, run.err
    line = run.err_lines[0]
    assert line.startswith("kamtui: "), line
    return line


def default_db(tmp: Path) -> Path:
    return tmp / "xdg-data" / "kamtui" / "kamtui.json"
