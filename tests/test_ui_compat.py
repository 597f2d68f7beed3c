"""The private Textual members kamtui relies on still exist, with the signatures it uses: the
day a release renames or changes one, this fails (not a stale pane or a two-frame move). The
TinyDB ones are checked by tests/test_tinydb_compat.py."""

from __future__ import annotations

import inspect
import itertools
from pathlib import Path

import pytest
from textual.scrollbar import ScrollBar, ScrollBarRender

from kamtui.ui import compat


@pytest.mark.parametrize("name", sorted(compat.PRIVATE))
def test_private_textual_members_exist_with_the_signature_used(name: str) -> None:
    owner, attribute, params = compat.PRIVATE[name]
    member = getattr(owner, attribute, None)
    assert callable(member), f"{owner.__name__}.{attribute} is gone"
    assert tuple(inspect.signature(member).parameters) == params, f"{owner.__name__}.{attribute} changed"


def test_no_other_module_uses_those_private_members() -> None:
    root = Path(compat.__file__).parent.parent
    for path in root.rglob("*.py"):
        if path.name == "compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        for _, attribute, _ in compat.PRIVATE.values():
            assert f".{attribute}(" not in text and f"def {attribute}(" not in text, f"{path} uses {attribute}"


def test_the_copied_scrollbar_maths_agrees_with_textuals_renderer() -> None:
    """Two positions with the same thumb_eighths must draw the same scrollbar (the account list
    skips the repaint then), and positions with different answers must draw different ones."""
    assert tuple(inspect.signature(ScrollBarRender.render_bar).parameters)[:5] == (
        "size",
        "virtual_size",
        "window_size",
        "position",
        "thickness",
    )

    class Bar:
        def __init__(self, size: int, virtual: int, window: int) -> None:
            self.size = type("S", (), {"height": size})()
            self.window_virtual_size = virtual
            self.window_size = window

    checked = 0
    for size, virtual, window in [(20, 50_000, 20), (37, 300, 37), (10, 11, 10), (24, 24, 24), (15, 1000, 14)]:
        bar = Bar(size, virtual, window)
        seen: dict[int | None, list[object]] = {}
        for position in itertools.chain(
            range(0, min(virtual - window, 400)), range(max(0, virtual - window - 5), virtual - window + 1)
        ):
            drawn = list(ScrollBarRender.render_bar(size, virtual, window, position).segments)
            key = compat.thumb_eighths(bar, position)  # type: ignore[arg-type]
            if key is None:
                continue
            if key in seen:
                assert drawn == seen[key], (size, virtual, window, position)
            seen[key] = drawn
            checked += 1
        drawings = [repr(d) for d in seen.values()]
        assert len(drawings) == len(set(drawings)), (size, virtual, window)
    assert checked > 500
    assert {"window_virtual_size", "window_size"} <= set(vars(ScrollBar))  # the reactives read


def test_the_footers_keys_still_name_their_action() -> None:
    """kamtui.ui.footer keeps the help and quit keys by their action (compat.footer_key_action)."""
    from textual.widget import Widget
    from textual.widgets._footer import FooterKey

    assert compat.footer_key_action(FooterKey("question_mark", "?", "Help", "app.help")) == "help"
    assert compat.footer_key_action(FooterKey("q", "q", "Quit", "quit")) == "quit"
    assert compat.footer_key_action(Widget()) == ""
