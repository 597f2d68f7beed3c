"""The headless core never loads Textual or Rich; `kamtui due` never loads Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {m.split(".")[0] for m in json.loads(out.stdout.strip().splitlines()[-1])}


def test_domain_loads_without_ui_or_files_layer() -> None:
    loaded = _loaded_after("import kamtui.domain.model, kamtui.domain.cadence, kamtui.domain.queue, kamtui.domain.text")
    assert "textual" not in loaded
    assert "rich" not in loaded
    assert "tinydb" not in loaded


def test_store_loads_without_textual_or_rich() -> None:
    loaded = _loaded_after("import kamtui.store, kamtui.store.portfolio, kamtui.store.check")
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_domain_imports_point_down_only() -> None:
    """No module under kamtui/domain imports store, ui, report or cli; store never imports ui/report/cli."""
    root = Path(__file__).resolve().parent.parent / "kamtui"
    rules = {
        "domain": ("kamtui.store", "kamtui.ui", "kamtui.report", "kamtui.cli", "tinydb", "textual", "rich"),
        "store": ("kamtui.ui", "kamtui.report", "kamtui.cli", "textual", "rich"),
    }
    for layer, banned in rules.items():
        for path in (root / layer).rglob("*.py"):
            text = path.read_text()
            for name in banned:
                assert f"import {name}" not in text and f"from {name}" not in text, f"{path} imports {name}"


def test_due_command_does_not_import_textual(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    code = (
        "import sys\n"
        "from kamtui.store import Store\n"
        f"Store({str(db)!r}).close()\n"
        "from kamtui.cli import main\n"
        f"rc = main(['due', '--db', {str(db)!r}])\n"
        "assert rc == 0, rc\n"
    )
    loaded = _loaded_after(code)
    assert "textual" not in loaded
