"""`kamtui due` to a file or a pipe has no terminal width to fit: what each row says is written
whole (the columns before it keep their widths). Rows were cut at 100 columns, often in the
middle of a number (`- ranked: 2.…`), the summary line too. A terminal's width, or COLUMNS,
still cuts rows to fit."""

from __future__ import annotations

import json
from pathlib import Path

from kamtui.sample import materialize_demo
from tests.cli_run import kamtui_run, sealed_env
from tests.ui_fixtures import TODAY


def test_rows_to_a_pipe_are_whole_and_fit_a_width_when_one_is_given(tmp_path: Path) -> None:
    db = materialize_demo(tmp_path / "demo.json", TODAY)
    env = sealed_env(tmp_path)
    del env["COLUMNS"]
    piped = kamtui_run(tmp_path, "due", "--db", db, "--today", TODAY.isoformat(), env=env)
    assert piped.rc == 0, piped.err
    lines = piped.out.splitlines()
    assert not any(line.endswith(("…", "...")) for line in lines)
    assert max(len(line) for line in lines) > 100  # the ranked reasons, whole
    shown = sorted(line.split(" - ranked: ")[1] for line in lines if " - ranked: " in line)
    as_json = kamtui_run(tmp_path, "due", "--db", db, "--today", TODAY.isoformat(), "--format", "json", env=env)
    assert shown == sorted(it["ranked"] for it in json.loads(as_json.out)["items"] if it.get("ranked"))  # whole
    assert "losing touch" in lines[0]  # the summary's last count, not cut
    env80 = sealed_env(tmp_path, COLUMNS="80")
    narrow = kamtui_run(tmp_path, "due", "--db", db, "--today", TODAY.isoformat(), env=env80)
    assert narrow.rc == 0 and max(len(line) for line in narrow.out.splitlines()) <= 80
    assert "…" in narrow.out
    # The same rows, whole or cut: the piped rows start as the narrow ones do.
    assert [line[:20] for line in lines] == [line[:20] for line in narrow.out.splitlines()]
