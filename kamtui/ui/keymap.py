"""Keys as data: every binding of kamtui's screens and widgets has an id, and the ``[keys]``
table of the config file maps ids to other keys (Textual's keymap, ``App.set_keymap``), so the
footer and ``?`` show the keys the user chose.

The binding ids are read from the bindings themselves (:func:`binding_ids`); an id the file
names that no binding has is refused before Textual starts, like every other config error.
"""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

from kamtui.store import StoreError
from kamtui.store.config import config_path, load_keys


def bound_classes(*also: type[DOMNode]) -> list[type[DOMNode]]:
    """Every screen and widget class of kamtui.ui that declares bindings (importing them all,
    the app module aside: no ui module imports it), and the classes ``also`` given (the app)."""
    import importlib
    import inspect
    import pkgutil

    import kamtui.ui

    classes: list[type[DOMNode]] = []
    for info in pkgutil.walk_packages(kamtui.ui.__path__, "kamtui.ui."):
        if info.name == "kamtui.ui.app":
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__ and "BINDINGS" in vars(cls):
                classes.append(cls)
    return [*classes, *also]


def bindings_of(cls: type[DOMNode]) -> list[Binding]:
    return [b for b in vars(cls)["BINDINGS"] if isinstance(b, Binding)]


def binding_ids(*also: type[DOMNode]) -> dict[str, list[str]]:
    """Every binding id, with what it does where ("Zoom (MainScreen)"), sorted by id."""
    ids: dict[str, list[str]] = {}
    for cls in bound_classes(*also):
        for b in bindings_of(cls):
            if b.id is not None:
                ids.setdefault(b.id, []).append(f"{b.description or b.action} ({cls.__name__})")
    return dict(sorted(ids.items()))


def load_keymap(*also: type[DOMNode], path: Path | None = None) -> dict[str, str]:
    """The config file's ``[keys]`` (binding id -> keys), every id checked against the bindings
    of kamtui.ui and of ``also`` (the app); raises StoreError naming the file and the unknown id.
    No table: empty, and nothing imported."""
    keys = load_keys(path)
    if not keys:
        return {}
    import difflib  # only with a [keys] table: start-up without one imports nothing more

    known = binding_ids(*also)
    for binding in keys:
        if binding not in known:
            close = difflib.get_close_matches(binding, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "; the README's Keys section lists them"
            raise StoreError(f"{path or config_path()}: unknown key binding {binding!r} in [keys]{hint}")
    return keys
