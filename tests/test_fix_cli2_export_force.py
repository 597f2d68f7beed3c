"""``kamtui export -o FILE --force`` replaces a regular file only. A device, a FIFO or a symlink
to something that is not a regular file is refused with one line, exit 2, and left as it was:
``-o /dev/full --force`` run as root once replaced the device node with a regular file (the
temp file beside it renamed over it). Real subprocesses; FIFOs and symlinks in tmp_path, never
real /dev nodes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kamtui.store import UnsafePath
from kamtui.store.files import AtomicFile
from tests.cli_run import TODAY_ARGS, assert_one_error, kamtui_run, sealed_env
from tests.ui_fixtures import build_portfolio


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("force") / "kamtui.json"
    build_portfolio(path)
    return path


def _export(tmp: Path, db: Path, *args: str | Path) -> tuple[int, str, str]:
    env = sealed_env(tmp, KAMTUI_CONFIG="/dev/null")
    run = kamtui_run(tmp, "export", "--db", db, *TODAY_ARGS, *args, env=env)
    line = assert_one_error(run, 2)
    return run.rc, run.out, line


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_a_fifo_is_never_replaced(tmp_path: Path, db: Path, force: bool) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "plan.md"
    os.mkfifo(fifo)
    _, stdout, line = _export(tmp_path, db, "--format", "md", "-o", fifo, *(["--force"] if force else []))
    assert line == f"kamtui: {fifo} is not a regular file; refusing to replace it"
    assert stdout == ""
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _names(out) == ["plan.md"]  # no temp file left beside it


def test_a_symlink_to_a_device_is_never_replaced(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    link = out / "plan.ics"
    link.symlink_to(os.devnull)
    _, stdout, line = _export(tmp_path, db, "--format", "ics", "-o", link, "--force")
    assert line == f"kamtui: {link} -> {os.devnull} is not a regular file; refusing to replace it"
    assert stdout == ""
    assert os.readlink(link) == os.devnull
    assert _names(out) == ["plan.ics"]


def test_one_csv_sibling_that_is_a_fifo_refuses_them_all(tmp_path: Path, db: Path) -> None:
    """The five CSV files are all or none: a FIFO among the siblings writes none of them."""
    out = tmp_path / "out"
    out.mkdir()
    first = out / "p.csv"
    first.write_text("old\n", encoding="utf-8")
    fifo = out / "p-kpis.csv"
    os.mkfifo(fifo)
    _, _, line = _export(tmp_path, db, "--format", "csv", "-o", first, "--force")
    assert line == f"kamtui: {fifo} is not a regular file; refusing to replace it"
    assert first.read_text(encoding="utf-8") == "old\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _names(out) == ["p-kpis.csv", "p.csv"]


def test_force_still_replaces_a_regular_file_and_a_link_to_one(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    plain = out / "a.md"
    plain.write_text("old\n", encoding="utf-8")
    real = out / "real.md"
    real.write_text("old\n", encoding="utf-8")
    link = out / "b.md"
    link.symlink_to(real)
    env = sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    for target in (plain, link):
        run = kamtui_run(
            tmp_path, "export", "--db", db, *TODAY_ARGS, "--format", "md", "-o", target, "--force", env=env
        )
        assert (run.rc, run.err) == (0, ""), run
        assert target.read_text(encoding="utf-8") != "old\n"


def test_an_atomic_file_never_renames_itself_over_a_fifo(tmp_path: Path) -> None:
    """The check at the commit: a FIFO put in place after the export checked its targets is
    refused too, for every writer through AtomicFile."""
    fifo = tmp_path / "late"
    os.mkfifo(fifo)
    with AtomicFile(fifo) as tmp:
        tmp.write(b"data")
        with pytest.raises(UnsafePath, match="is not a regular file; refusing to replace it"):
            tmp.commit()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _names(tmp_path) == ["late"]
