"""Keys as data: every binding of kamtui's screens and widgets has an id, and the ``[keys]``
table of the config file maps ids to other keys (Textual's keymap, ``App.set_keymap``), so the
footer and ``?`` show the keys the user chose.

The binding ids are read from the bindings themselves (:func:`binding_ids`); an id the file
names that no binding has, a value that is not a key Textual can bind ("F13", "ctrl+banana"), or
a key another binding already answers to (``zoom = "q"`` would leave no key to quit) is refused
before Textual starts, like every other config error.
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, Keys, key_to_character

from kamtui.i18n import _
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
        for _name, cls in inspect.getmembers(module, inspect.isclass):
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


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Textual's names of keys that are not characters: f1, pageup, escape, ...
NAMED_KEYS = frozenset(k.value for k in Keys if "+" not in k.value and not k.value.startswith("<"))


def _split(key: str) -> tuple[list[str], str]:
    """ "ctrl+shift+x" -> (["ctrl", "shift"], "x"); "+" alone is the plus key."""
    *mods, base = key.split("+") if key != "+" else ["+"]
    return mods, base


def key_name(key: str) -> str:
    """``key`` as Textual names it in a key event: a punctuation character by its name ("?" is
    question_mark), anything else as written."""
    mods, base = _split(key)
    if len(base) == 1 and not base.isalnum():
        with contextlib.suppress(ValueError):  # a character without a name keeps itself
            base = unicodedata.name(base).lower().replace("-", "_").replace(" ", "_")
        base = KEY_NAME_REPLACEMENTS.get(base, base)
    return "+".join([*mods, base])


def key_problem(key: str) -> str | None:
    """Why ``key`` (one of a [keys] value's, e.g. "ctrl+z") is not a key Textual can bind; None if it is."""
    mods, base = _split(key)
    odd = [m for m in mods if m not in MODIFIERS]
    if odd or not base:
        return _("{key} is not a key: {part} is not one of {modifiers}").format(
            key=repr(key), part=repr(odd[0] if odd else key), modifiers=", ".join(sorted(MODIFIERS))
        )
    if len(base) == 1:
        return None if base.isprintable() and not base.isspace() else _("{key} is not a key").format(key=repr(key))
    char = key_to_character(base)  # a punctuation character's name (question_mark)
    if base in NAMED_KEYS or base in REPLACED_KEYS or (char is not None and char.isascii()):
        return None
    if base.lower() in NAMED_KEYS:
        return _(
            "{key} is not a key: a character, or a name such as f1, pageup, escape, question_mark"
            " (did you mean {name}?)"
        ).format(key=repr(key), name=repr(base.lower()))
    return _("{key} is not a key: a character, or a name such as f1, pageup, escape, question_mark").format(
        key=repr(key)
    )


def _keys_of(value: str) -> set[str]:
    return {key_name(k.strip()) for k in value.split(",") if k.strip()}


def _clash(keymap: dict[str, str], *also: type[DOMNode]) -> str | None:
    """A key the [keys] table gives a binding that another binding active beside it already
    answers to, after the table (``zoom = "q"`` took the main screen's quit key); None if there is
    none. Beside it: in the same screen or widget class, or everywhere (a binding of the app,
    ``also``: quit, help, ...). Keys bindings share as kamtui ships are not the table's doing."""
    defaults: dict[str, set[str]] = {}
    where: dict[str, set[object]] = {}
    for cls in bound_classes(*also):
        for b in bindings_of(cls):
            if b.id is not None:
                defaults.setdefault(b.id, set()).update(_keys_of(b.key))
                where.setdefault(b.id, set()).add("everywhere" if cls in also else cls)
    effective = {i: _keys_of(keymap[i]) if i in keymap else keys for i, keys in defaults.items()}
    for mine, value in keymap.items():
        for key in sorted(_keys_of(value) - defaults.get(mine, set())):
            for other, keys in effective.items():
                together = "everywhere" in where[mine] | where[other] or where[mine] & where[other]
                if other != mine and key in keys and together:
                    return _(
                        "[keys] {binding} = {value}: {key} is already the key of {other};"
                        " give {other} another key too, or choose another"
                    ).format(binding=mine, value=repr(value), key=key, other=repr(other))
    return None


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
            where = path or config_path()
            if close:
                said = _("{file}: unknown key binding {binding} in [keys]; did you mean {close}?")
            else:
                said = _("{file}: unknown key binding {binding} in [keys]; the README's Keys section lists them")
            raise StoreError(said.format(file=where, binding=repr(binding), close=repr(close[0]) if close else ""))
    for binding, value in keys.items():
        for key in value.split(","):
            if (problem := key_problem(key.strip())) is not None:
                raise StoreError(
                    _("{file}: [keys] {binding} = {value}: {problem}").format(
                        file=path or config_path(), binding=binding, value=repr(value), problem=problem
                    )
                )
    if (clash := _clash(keys, *also)) is not None:
        raise StoreError(f"{path or config_path()}: {clash}")
    return keys
