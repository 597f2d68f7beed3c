"""The layers, checked on every import statement of the package (issue 11, item 5).

    kamtui.i18n     the words in the user's language (gettext): below every layer, imports none
    kamtui.domain   pure Python: no files, no screen
    kamtui.store    files; builds on domain
    kamtui.report   text for the terminal; kamtui.ui the TUI: siblings above store, unaware of each other
    kamtui.sample   sample portfolios, over store and domain
    kamtui.cli      on top: the only layer that may import all of them

Every ``import`` and ``from ... import`` counts, wherever it is: at the top, inside a function
(the CLI imports lazily) and under ``if TYPE_CHECKING:`` (a typing-only import still ties the
layers together). The check reads the source with :mod:`ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "kamtui"
THIRD_PARTY_UI = ("textual", "rich")

# layer -> what no module of it may import (a name and everything under it)
# What the domain may not import; i18n sits below it and may import none of it, nor the domain.
_ABOVE_DOMAIN = ("kamtui.store", "kamtui.report", "kamtui.ui", "kamtui.cli", "kamtui.sample", "tinydb", *THIRD_PARTY_UI)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    # the catalog is gettext's; Babel formats (kamtui.domain.formats), when asked
    "kamtui.i18n": ("kamtui.domain", *_ABOVE_DOMAIN, "babel"),
    "kamtui.domain": _ABOVE_DOMAIN,
    "kamtui.store": ("kamtui.report", "kamtui.ui", "kamtui.cli", "kamtui.sample", *THIRD_PARTY_UI),
    "kamtui.report": ("kamtui.ui", "kamtui.cli", "kamtui.sample", "tinydb", *THIRD_PARTY_UI),
    "kamtui.ui": ("kamtui.report", "kamtui.cli", "kamtui.sample", "tinydb"),
    "kamtui.sample": ("kamtui.report", "kamtui.ui", "kamtui.cli", *THIRD_PARTY_UI),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, here: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path`` (the module ``here``, by default its own
    name); relative imports resolved, and a ``from package import name`` counted as the package
    and as ``package.name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = here or module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return out


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in modules():
        if not under(module_name(path), layer):
            continue
        for line, name in imports(path):
            if any(under(name, f) for f in forbidden):
                found.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name}")
    return sorted(set(found))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_downwards_only(layer: str) -> None:
    assert violations(layer, FORBIDDEN[layer]) == []


def test_every_module_belongs_to_a_layer() -> None:
    """A new top-level module must be placed in the layers above, or this test says so."""
    entry_points = {"kamtui", "kamtui.__main__"}
    homeless = [
        module_name(p)
        for p in modules()
        if module_name(p) not in entry_points
        and not any(under(module_name(p), layer) for layer in (*FORBIDDEN, "kamtui.cli"))
    ]
    assert homeless == []


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The check itself: top-level, lazy, typing-only and relative imports are all seen."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from __future__ import annotations\n"
        "import textual.app\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from kamtui.cli import main\n"
        "def later():\n"
        "    from kamtui.report import due\n"
        "from . import app\n"
        "from .panes import PlanPane\n"
    )
    names = {name for _, name in imports(probe, "kamtui.ui.probe")}
    assert {"textual.app", "kamtui.cli", "kamtui.report.due", "kamtui.ui.app", "kamtui.ui.panes"} <= names
    assert violations("kamtui.store", ("kamtui.domain",)), "the store builds on the domain: a rule against it must fail"


def test_no_ui_module_imports_the_app() -> None:
    """Screens and widgets are given a session; none of them reaches for the App, not even for typing."""
    found = []
    for path in modules():
        if not under(module_name(path), "kamtui.ui") or module_name(path) == "kamtui.ui.app":
            continue
        found += [
            f"{path.relative_to(ROOT.parent)}:{line}" for line, name in imports(path) if under(name, "kamtui.ui.app")
        ]
    assert found == []
