"""Issue 11, item 15 (the TUI's half): under a locale that cannot write Unicode
(``PYTHONUTF8=0 LANG=C LC_ALL=C``) the TUI draws ASCII marks, each exactly as wide as the
character it stands for, so the screen keeps its layout (it printed ``\\xb7`` for a ``·``,
pushing the rest of the line right). A real terminal (tmux) and a real locale; the stand-ins
checked one by one."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from kamtui.domain.marks import ASCII_MARKS, cell_stand_in, encodes_marks
from kamtui.ui.ascii_screen import ascii_where_needed

ROOT = Path(__file__).resolve().parent.parent
# What the TUI draws besides the user's data: kamtui's own characters, Textual's borders,
# blocks (scrollbars, sparklines, thick borders) and the footer's enter key.
GLYPHS = sorted(
    {ch for p in (ROOT / "kamtui").rglob("*.py") for ch in p.read_text(encoding="utf-8") if ord(ch) > 127}
    | {chr(c) for c in range(0x2500, 0x25A0)}
    | set("\u23ce\u25c0")
)


def test_every_stand_in_is_ascii_and_exactly_as_wide() -> None:
    wrong = {
        f"{ch} {unicodedata.name(ch, '?')}": cell_stand_in(ch)
        for ch in [*GLYPHS, "\u6f22", "e\u0301"[1], "\U0001f600"]  # a CJK character, a combining accent, an emoji
        if not cell_stand_in(ch).isascii() or len(cell_stand_in(ch)) != cell_len(ch)
    }
    assert wrong == {}


def test_kamtuis_marks_keep_their_meaning() -> None:
    assert {ch: cell_stand_in(ch) for ch in ASCII_MARKS} == {
        "\u2026": "~",
        "\u00b7": "-",
        "\u25b2": "^",
        "\u25bc": "v",
        "\u25b6": ">",
        "\u2423": "_",
        "\u2192": ">",
    }
    assert [cell_stand_in(ch) for ch in "\u256d\u2500\u256e\u2502\u2570\u256f\u2595\u258f"] == list("+-+|++||")
    assert encodes_marks("utf-8") and not encodes_marks("ascii") and not encodes_marks("no-such-codec")


def test_an_ascii_stream_writes_cells_while_the_tui_runs_and_as_before_after() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace", write_through=True)
    with ascii_where_needed(stream):
        stream.write("\u256d\u2500 Acme \u00b7 \u25b2 Caf\u00e9 \u6f22 \u2026\u256e\n")
    stream.write("\u00b7\n")
    assert raw.getvalue().decode("ascii") == "+- Acme - ^ Caf? ?? ~+\n\\xb7\n"
    assert stream.errors == "backslashreplace"
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with ascii_where_needed(utf8):
        assert utf8.errors == "strict"  # a terminal that can write the marks is left alone


def _tmux(server: str, *args: str) -> str:
    out = subprocess.run(["tmux", "-u", "-L", server, *args], check=True, capture_output=True, text=True)
    return out.stdout


def _wait_for(server: str, *wanted: str) -> list[str]:
    """The screen once every text of ``wanted`` is on it and three captures in a row agree (a
    bounded wait for the frame to settle, not a timed assertion)."""
    captures: list[list[str]] = []
    for _ in range(300):
        captures = [*captures[-2:], _tmux(server, "capture-pane", "-p").splitlines()]
        screen = "\n".join(captures[-1])
        if len(captures) == 3 and captures[0] == captures[1] == captures[2] and all(w in screen for w in wanted):
            break
        time.sleep(0.1)
    return captures[-1]


def _screen(tmp: Path, size: tuple[int, int], locale: dict[str, str], keys: list[str]) -> list[str]:
    """The demo in a real terminal under ``locale``: the screen after ``keys``."""
    server = f"kamtui-locale-{os.getpid()}-{size[0]}-{len(locale)}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAMTUI_", "LC_", "TMUX", "PYTHONUTF8"))}
    env |= {"HOME": str(tmp), "USER": "tester", "KAMTUI_CONFIG": "/dev/null", "TERM": "xterm-256color", **locale}
    kamtui = str(Path(sys.executable).with_name("kamtui"))
    cols, rows = size
    subprocess.run(
        ["tmux", "-u", "-L", server, "new-session", "-d", "-x", str(cols), "-y", str(rows), kamtui, "--demo"],
        check=True,
        env=env,
    )
    try:
        screen = _wait_for(server, "Today", "reviews", "Plan actions due")
        for key in keys:
            _tmux(server, "send-keys", key)
            screen = _wait_for(server, "Accounts 28", "Stakeholders")
        return screen
    finally:
        subprocess.run(["tmux", "-L", server, "kill-server"], check=False)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("keys", [[], ["Tab"]], ids=["today", "panes"])
def test_the_tui_under_lang_c_is_the_utf8_screen_in_ascii(
    tmp_path: Path, size: tuple[int, int], keys: list[str]
) -> None:
    """Cell for cell, the LANG=C screen is the UTF-8 one with each character's stand-in."""
    ascii_screen = _screen(tmp_path, size, {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}, keys)
    utf8_screen = _screen(tmp_path, size, {"LANG": "C.UTF-8"}, keys)
    assert all(line.isascii() for line in ascii_screen), ascii_screen
    assert not any("\\x" in line or "\\u" in line for line in ascii_screen)
    expected = ["".join(ch if ch.isascii() else cell_stand_in(ch) for ch in line) for line in utf8_screen]
    assert ascii_screen == expected
