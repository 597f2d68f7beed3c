"""Fixtures shared by the UI tests: the small hand-built portfolio and a store over it, and a
store over the demo portfolio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.sample import materialize_demo
from kamtui.store import Store
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "k.json"
    return path, build_portfolio(path)


@pytest.fixture
def store(db: tuple[Path, dict[str, int]]) -> Iterator[Store]:
    s = Store(db[0], user="tester")
    yield s
    s.close(compact=False)


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """The demo portfolio, dated TODAY, opened as user "tester"."""
    s = Store(materialize_demo(tmp_path / "demo.json", TODAY), user="tester")
    yield s
    s.close(compact=False)


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """Every test starts and ends in English with no portfolio currency, whatever a test before
    it chose (issue 15: both are process-wide, as a terminal session's are)."""
    from kamtui import i18n
    from kamtui.domain import formats

    i18n.set_language("en")
    formats.set_portfolio_currency("")
    yield
    i18n.set_language("en")
    formats.set_portfolio_currency("")


# The store's tests run with both ways of holding documents: dicts (a small file, as read) and
# views into the file's bytes (a file over codec.VIEWS_ABOVE). Every other test holds views, the
# way a big file is read, so that the whole suite reads and writes through them.
BOTH_LAYOUTS = {
    "test_store_basic",
    "test_store_touched",
    "test_store_trust",
    "test_store_compaction",
    "test_store_crash",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "documents_held" in metafunc.fixturenames and metafunc.module.__name__.rpartition(".")[2] in BOTH_LAYOUTS:
        metafunc.parametrize("documents_held", ["views", "dicts"], indirect=True)


@pytest.fixture(autouse=True)
def documents_held(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How the stores a test opens in its own process hold a file's documents (see BOTH_LAYOUTS)."""
    from kamtui.store import codec

    held: str = getattr(request, "param", "views")
    monkeypatch.setattr(codec, "VIEWS_ABOVE", 0 if held == "views" else 10**12)
    return held


@pytest.fixture
def spanish() -> Iterator[None]:
    """Spanish (Spain) for the test's duration: the catalog kamtui.mo and es_ES formats."""
    from kamtui import i18n

    assert i18n.set_language("es", "ES") == "es", "kamtui.mo missing: python -m tests.i18n_catalog build"
    yield
    i18n.set_language("en")


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The ui_fixtures portfolio, shared read-only by the command-line tests of a module (``due`` never writes)."""
    path = tmp_path_factory.mktemp("fixture") / "kamtui.json"
    return path, build_portfolio(path)
