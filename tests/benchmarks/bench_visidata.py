"""visidata as a first-paint yardstick: the same accounts as a JSON array, opened with ``vd``.

Used by ``run.py`` (alternating with kamtui runs in the same tmux server). visidata is an optional
benchmark extra (``pip install -e '.[bench]'``); :func:`vd_path` is None without it.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tui import _name_matcher, _shows_a_name

#: The account fields a list view shows; nested plan parts (business, criteria, team) are left out.
FIELDS = (
    "name",
    "tier",
    "owner",
    "industry",
    "revenue",
    "cost_to_serve",
    "growth_potential",
    "cadence",
    "last_review",
    "crm_id",
    "sponsor",
)


def vd_path() -> str | None:
    """The ``vd`` executable beside this interpreter, else on PATH, if visidata is importable."""
    try:
        import visidata  # noqa: F401
    except ImportError:
        return None
    local = Path(sys.executable).with_name("vd")
    return str(local) if local.exists() else shutil.which("vd")


def export_accounts(db: Path, out: Path) -> Path:
    """The accounts of ``db`` as a JSON array, one object per account (id first), into ``out``."""
    doc = json.loads(db.read_bytes())
    rows = [{"id": int(k), **{f: acc.get(f) for f in FIELDS}} for k, acc in doc.get("accounts", {}).items()]
    out.write_text(json.dumps(rows))
    return out


def vd_command(vd: str, path: Path) -> str:
    """No .visidatarc or plugins (-N), no message-of-the-day fetch from the network."""
    return f"{shlex.quote(vd)} -N --motd-url= {shlex.quote(str(path))}"


def vd_ready(db: Path) -> Callable[[str], str | None]:
    """Recognises visidata's sheet once a data row (an account name from ``db``) is on screen."""
    by_len, _ = _name_matcher(db)

    def ready(screen: str) -> str | None:
        lines = screen.splitlines()[2:]  # below the menu bar and the column header
        return "visidata" if _shows_a_name(lines, by_len) else None

    return ready
