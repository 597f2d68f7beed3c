"""The headless core never loads Textual or Rich; `kamtui due` and `kamtui export` never load Textual.

Which layer may import which is checked statically in tests/test_layers.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _modules_after(code: str) -> set[str]:
    """Every module a fresh interpreter has loaded once it has run ``code``."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _loaded_after(code: str) -> set[str]:
    return {m.split(".")[0] for m in _modules_after(code)}


def test_domain_loads_without_ui_or_files_layer() -> None:
    loaded = _loaded_after("import kamtui.domain.model, kamtui.domain.cadence, kamtui.domain.queue, kamtui.domain.text")
    assert "textual" not in loaded
    assert "rich" not in loaded
    assert "tinydb" not in loaded


def test_store_loads_without_textual_or_rich() -> None:
    loaded = _loaded_after("import kamtui.store, kamtui.store.portfolio, kamtui.store.check")
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_report_loads_without_textual_or_rich() -> None:
    """Every renderer the CLI uses, and the preview process the TUI starts before Textual."""
    loaded = _loaded_after(
        "import kamtui.report.due, kamtui.report.plans, kamtui.report.markdown, kamtui.report.csv_tables, "
        "kamtui.report.ical, kamtui.report.output, kamtui.report.preview"
    )
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_export_command_does_not_import_textual(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    code = (
        "from kamtui.store import Store\n"
        f"s = Store({str(db)!r}); s.insert('accounts', {{'name': 'Acme', 'cadence': 'monthly'}}); s.close()\n"
        "from kamtui.cli import main\n"
        "for fmt in ('md', 'csv', 'ics', 'json'):\n"
        f"    rc = main(['export', '--db', {str(db)!r}, '--format', fmt, '-o', {str(tmp_path)!r} + '/out.' + fmt])\n"
        "    assert rc == 0, rc\n"
    )
    loaded = _loaded_after(code)
    assert "textual" not in loaded
    assert "rich" not in loaded


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


def test_preview_process_starts_before_the_domain_is_imported() -> None:
    """The TUI starts the preview process first thing (kamtui.cli.tui._run): what it imports to
    start it must not hold the start back by importing the domain or the store (~60 ms)."""
    loaded = _modules_after("import kamtui.report.preview")
    assert [m for m in sorted(loaded) if m.startswith(("kamtui.domain", "kamtui.store"))] == []
