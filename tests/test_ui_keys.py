"""Keys as data: every binding has an id, a [keys] table in a real config file remaps them,
the footer and ? show the keys chosen, and an id no binding has is refused like any other
config error (one line, exit 2, before anything is opened)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kamtui.store import Store, StoreError
from kamtui.ui.app import KamApp
from kamtui.ui.help import HelpScreen
from kamtui.ui.keymap import binding_ids, bindings_of, bound_classes
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAMTUI_CONFIG", str(path))
    return path


def test_every_binding_has_an_id() -> None:
    classes = bound_classes(KamApp)
    assert {"MainScreen", "TodayScreen", "AccountList", "PlanPane", "FormScreen", "KamApp"} <= {
        c.__name__ for c in classes
    }
    missing = [f"{c.__name__}: {b.key} -> {b.action}" for c in classes for b in bindings_of(c) if not b.id]
    assert missing == []


def test_every_binding_says_what_it_does_in_words() -> None:
    """`?` lists each key with its description: the guided review's read "engaGement", "1",
    "+ attitude", and the stakeholders' "+friendly"."""
    odd = [
        f"{c.__name__}: {b.key} -> {b.description!r}"
        for c in bound_classes(KamApp)
        for b in bindings_of(c)
        if not re.fullmatch(r"[A-Z0-9^][\w ,'()/.^+<>-]*", b.description or "x")
        or re.search(r"[a-z][A-Z]", b.description)
        or len(b.description) < 2
    ]
    assert odd == []


def test_the_readme_names_every_binding_id() -> None:
    keys = README.read_text(encoding="utf-8").split("### Keys", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z0-9-]+)`", keys))
    assert set(binding_ids(KamApp)) - listed == set()


async def test_a_config_file_remaps_keys_and_the_footer_and_help_show_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config(tmp_path, monkeypatch, '[keys]\nzoom = "Z"\ncursor-down = "ctrl+n,down"\nhelp = "f1"\n')
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            footer = screen_text(app).splitlines()[-1]
            assert " Z Zoom " in footer and " z Zoom " not in footer, footer
            assert " f1 Help " in footer, footer
            first = app.main.account_id
            await pilot.press("j")  # no longer bound in the list
            await settle(app, pilot)
            assert app.main.account_id == first
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            assert app.main.account_id != first
            await pilot.press("tab", "z")  # the old key does nothing
            await settle(app, pilot)
            assert app.main.zoomed is None
            await pilot.press("Z")
            await settle(app, pilot)
            assert app.main.zoomed == "stakeholders"
            await pilot.press("question_mark")  # help moved to f1
            await settle(app, pilot)
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("f1")
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            lines = screen_text(app).splitlines()
            await pilot.press("end")  # the rest of the list
            await settle(app, pilot)
            lines += screen_text(app).splitlines()
            assert any(re.search(r"\bZ\s+Zoom the focused pane", line) for line in lines)
            assert any(re.search(r"\bctrl\+n, down\s+Down", line) for line in lines)
            assert not any(re.search(r"\bz\s+Zoom the focused pane", line) for line in lines)
    finally:
        store.close(compact=False)


def test_an_unknown_binding_id_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = config(tmp_path, monkeypatch, '[keys]\nzooom = "Z"\n')
    store = Store(tmp_path / "k.json", user="tester")
    try:
        with pytest.raises(
            StoreError,
            match=rf"^{re.escape(str(path))}: unknown key binding 'zooom' in \[keys\]; did you mean 'zoom'\?$",
        ):
            KamApp(store)
    finally:
        store.close(compact=False)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[keys]\nzooom = "Z"\n', "unknown key binding 'zooom' in [keys]; did you mean 'zoom'?"),
        ("[keys]\nzoom = 5\n", '[keys] zoom must be keys such as "Z" or "ctrl+z,f2", not 5'),
        ('[keys]\nzoom = "ctrl+z, "\n', "[keys] zoom must be keys such as"),
        ('[keys]\nzoom = "notakey!!"\n', "[keys] zoom = 'notakey!!': 'notakey!!' is not a key: a character, or a name"),
        ('[keys]\nzoom = "ctrl+shift+alt+banana"\n', "[keys] zoom = 'ctrl+shift+alt+banana': 'ctrl+shift+alt+ban"),
        (
            '[keys]\nzoom = "hyper+cmd+x"\n',
            "[keys] zoom = 'hyper+cmd+x': 'hyper+cmd+x' is not a key: 'cmd' is not",
        ),
        ('[keys]\nbrief = "F13"\n', "[keys] brief = 'F13': 'F13' is not a key: a character, or a name such as f1"),
        ('[keys]\nzoom = "q"\n', "[keys] zoom = 'q': q is already the key of 'quit'; give 'quit' another key too"),
        ('[keys]\nhelp = "a"\n', "[keys] help = 'a': a is already the key of 'account-add'"),
        (
            '[keys]\ntab-plan = "7"\ntab-business = "7"\n',
            "[keys] tab-plan = '7': 7 is already the key of 'tab-bus",
        ),
    ],
    ids=[
        "unknown-id",
        "not-a-string",
        "empty-key",
        "not-a-key",
        "no-such-name",
        "no-such-modifier",
        "case",
        "takes-quit",
        "hides-help",
        "twice",
    ],
)
def test_the_tui_refuses_a_bad_keys_table_before_anything_is_opened(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    says: str,
) -> None:
    import kamtui.ui.app
    from kamtui import cli

    started: list[object] = []
    monkeypatch.setattr(kamtui.ui.app, "run_app", lambda *a, **kw: started.append(a))
    path = config(tmp_path, monkeypatch, text)
    (tmp_path / "new").mkdir()
    db = tmp_path / "new" / "k.json"
    assert cli.main(["--db", str(db)]) == cli.EXIT_DATA
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kamtui: {path}: {says}"), err
    assert started == [] and list(db.parent.iterdir()) == []


def test_a_big_file_starts_its_preview_before_the_tui_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview process computes Today's queue while this process imports Textual (~200 ms):
    checking the [keys] table imports the TUI, so it comes after the preview has started."""
    import kamtui.report.preview
    import kamtui.ui.app
    from kamtui import cli
    from kamtui.cli import tui

    events: list[str] = []

    class FakePreview:
        def __init__(self, path: Path, today: object, **kw: object) -> None:
            events.append("preview")

        def stop(self) -> None:
            events.append("stop")

    def check_keys() -> None:
        events.append("keys")
        raise cli.DataError("bad keys")

    monkeypatch.setattr(kamtui.report.preview, "PreviewProcess", FakePreview)
    monkeypatch.setattr(tui, "_check_keys", check_keys)
    monkeypatch.setattr(tui, "EAGER_BYTES", 10)
    monkeypatch.setattr(kamtui.ui.app, "run_app", lambda *a, **kw: events.append("run"))
    db = tmp_path / "k.json"
    Store(db, user="tester").close()
    assert cli.main(["--db", str(db)]) == cli.EXIT_DATA
    # Started first, and stopped when the keys refuse to start the TUI.
    assert events == ["preview", "keys", "stop"]


def test_due_reads_a_config_with_keys_and_refuses_a_malformed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kamtui import cli

    db = tmp_path / "k.json"
    build_portfolio(db)
    config(tmp_path, monkeypatch, '[keys]\nzoom = "Z"\n')
    assert cli.main(["due", "--db", str(db), "--today", TODAY.isoformat()]) == cli.EXIT_OK
    capsys.readouterr()
    path = config(tmp_path, monkeypatch, "[keys]\nzoom = []\n")
    assert cli.main(["due", "--db", str(db), "--today", TODAY.isoformat()]) == cli.EXIT_DATA
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kamtui: {path}: [keys] zoom must be keys"), err


def test_keys_given_another_binding_s_key_are_fine_once_that_one_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A swap is no clash; nor is a key another screen uses (q closes the timeline, zooms here);
    nor a key two bindings already share as kamtui ships."""
    from kamtui.ui.keymap import load_keymap

    path = config(tmp_path, monkeypatch, '[keys]\nzoom = "q"\nquit = "z"\nbrief = "f13,?"\nhelp = "f1"\n')
    assert load_keymap(KamApp, path=path) == {"zoom": "q", "quit": "z", "brief": "f13,?", "help": "f1"}
    path = config(tmp_path, monkeypatch, '[keys]\nquit = "q"\ncursor-down = "j,down"\n')
    assert load_keymap(KamApp, path=path) == {"quit": "q", "cursor-down": "j,down"}
