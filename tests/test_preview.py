"""The helper process that computes Today's queue while the TUI starts on a big file."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, build_queue
from kamtui.report.preview import (
    PreviewProcess,
    Stage,
    SummedFirst,
    compute,
    item_from_json,
    read_stages,
    summed_reviews,
)
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.portfolio import LenientPortfolio
from kamtui.store.today import Seed, TodayCache, thresholds_id, today_queue
from tests.hostile import STORABLE_NAMES
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture(autouse=True)
def _config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the defaults


def in_process(path: Path) -> dict[str, list[QueueItem]]:
    store = Store(path, user="t")
    try:
        return {
            "reviews": build_queue(store.all("accounts"), (), (), TODAY, kinds=frozenset({"review"})),
            "queue": today_queue(LenientPortfolio(store, lambda: TODAY), TODAY),
        }
    finally:
        store.close(compact=False)


def shown(stages: list[Stage]) -> dict[str, list[QueueItem]]:
    """The stages as Today shows them: the whole queue ranked (kamtui.ui.loading.show_preview)."""
    out = {}
    for st in stages:
        if st.stakes is None:
            out[st.name] = st.items
        else:
            out[st.name] = Seed.of(st.state, TODAY, DEFAULT_THRESHOLDS, st.items, st.stakes).queue()
    return out


def test_the_helper_process_gives_what_the_app_would_compute(tmp_path: Path) -> None:
    demo = materialize_demo(tmp_path / "demo.json", TODAY)
    want = in_process(demo)
    kinds = {"review", "action", "contact", "risk", "plan", "losing_touch"}
    assert want["reviews"] and {it.kind for it in want["queue"]} == kinds
    got = list(PreviewProcess(demo, TODAY))
    assert [st.name for st in got] == ["reviews", "queue"]
    assert shown(got) == want
    assert shown(list(compute(demo, TODAY))) == want
    queue = got[1]
    assert queue.thresholds == thresholds_id(DEFAULT_THRESHOLDS)
    with Store(demo, user="t") as store:
        assert queue.state == store.state_id  # computed from the state the app reads
        cache = TodayCache(LenientPortfolio(store, lambda: TODAY))
        seed = Seed.of(queue.state, TODAY, DEFAULT_THRESHOLDS, queue.items, queue.stakes or {})
        cache.offer(seed)
        assert cache.warm(TODAY)
        assert cache.queue(TODAY) == want["queue"]


def test_hostile_names_come_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path, STORABLE_NAMES)
    want = in_process(path)
    assert any(it.account in STORABLE_NAMES for it in want["queue"])
    assert shown(list(PreviewProcess(path, TODAY))) == want
    for it in want["queue"]:
        assert item_from_json(json.loads(json.dumps(it.to_json()))) == it


def test_a_file_it_cannot_read_gives_no_stage_and_no_noise(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"accounts": {"1": ')
    proc = subprocess.run(
        [sys.executable, "-m", "kamtui.report.preview", str(bad), TODAY.isoformat()], capture_output=True, check=False
    )
    assert proc.returncode == 2 and proc.stdout == b"" and proc.stderr == b""
    assert list(PreviewProcess(bad, TODAY)) == []
    assert bad.read_text() == '{"accounts": {"1": '  # nothing written


def test_stop_ends_the_process_and_its_reader(tmp_path: Path) -> None:
    demo = materialize_demo(tmp_path / "demo.json", TODAY)
    preview = PreviewProcess(demo, TODAY)
    preview.stop()
    assert preview.proc.returncode is not None
    assert shown(list(preview)) in ({}, {"reviews": in_process(demo)["reviews"]}, in_process(demo))
    preview.stop()  # twice is fine


def test_reading_stops_at_the_first_line_that_is_not_a_stage() -> None:
    item = {"kind": "review", "account_id": 1, "account": "A", "owner": "o", "title": "t", "detail": "d"}
    item |= {"due": "2026-11-01", "days_late": 22, "severity": 2, "target_id": None}
    good = json.dumps({"stage": "reviews", "items": [item]}).encode() + b"\n"
    for bad in (b"not json\n", b'{"stage": "other", "items": []}\n', b'{"stage": "queue", "items": [{}]}\n'):
        stages = list(read_stages(io.BytesIO(good + bad + good)))
        assert [s.name for s in stages] == ["reviews"]
    assert next(iter(read_stages(io.BytesIO(good)))).items[0].due == dt.date(2026, 11, 1)


def test_the_previews_reviews_skip_the_crc_its_queue_checks(tmp_path: Path) -> None:
    """The reviews due are provisional (the TUI's whole read is the verdict on damage), so the
    preview does not spend the CRC check on the tables it does not read for them; its whole
    queue, which the TUI may keep as its own, is read as ``kamtui due``'s view reads, and refused."""
    from kamtui.store import CorruptFile
    from kamtui.store.views import due_view

    demo = materialize_demo(tmp_path / "demo.json", TODAY)
    with Store(demo, user="t") as store:
        store.compact()  # kamtui's own layout, which partial reads rely on
    raw = demo.read_bytes()
    head = raw.index(b'\n "interactions": {')
    at = raw.index(b'"summary": "', head) + len(b'"summary": "')
    demo.write_bytes(raw[:at] + b"\xff" + raw[at + 1 :])  # invalid UTF-8 in a table neither reads
    with pytest.raises(CorruptFile):
        due_view(demo).close(compact=False)
    stages = compute(demo, TODAY)
    assert next(stages).items  # the reviews due
    with pytest.raises(CorruptFile):
        next(stages)  # no queue: the process ends (exit 2, silent), the TUI's own read says why


def test_the_kept_queue_is_right_even_where_the_listed_offsets_lie(tmp_path: Path) -> None:
    """_meta's table offsets edited to hide the KPIs inside the interactions (a table the queue's
    read skips): the whole queue the TUI may keep is still the one its own read gives."""
    demo = materialize_demo(tmp_path / "demo.json", TODAY)
    with Store(demo, user="t") as store:
        store.compact()
    raw = demo.read_bytes()
    line = raw.split(b"\n")[2]
    meta = json.loads(line.split(b": ", 1)[1])
    from kamtui.store import codec

    names = [m.group(1).decode() for m in codec._scanned_heads(raw) or []][1:]
    hidden = names.index("kpis")
    assert names[hidden - 1] == "interactions" and json.loads(raw)["kpis"]
    meta["heads"] = [h for i, h in enumerate(meta["heads"]) if i != hidden]
    demo.write_bytes(raw.replace(line, b'  "1": ' + json.dumps(meta).encode(), 1))
    truth = in_process(demo)["queue"]
    assert shown(list(compute(demo, TODAY)))["queue"] == truth


def _summed_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo, compacted with the summary at its head that a file of 200 accounts or more has."""
    from kamtui.store import compaction

    demo = materialize_demo(tmp_path / "demo.json", TODAY)
    monkeypatch.setattr(compaction, "REVIEWS_SUMMED_FROM", 1)
    with Store(demo, user="t") as store:
        store.compact()
    assert summed_reviews(demo, TODAY) is not None
    return demo


def _without_summary(path: Path) -> None:
    """The file as a TinyDB script leaves it: the same data, no summary at its head."""
    from tinydb import TinyDB

    with TinyDB(path) as db:
        db.table("accounts").update({"note": "written by a script"}, doc_ids=[next(iter(db.table("accounts"))).doc_id])


def test_the_tui_reads_the_summed_reviews_first_and_the_helper_leaves_them_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SummedFirst: the reviews due the head of the file sums up, read in the TUI's own process
    (no process to start and no imports first), then the helper's stages, which leave them out
    (``shown``): the same stages, in the same order, as the helper alone gives."""
    demo = _summed_demo(tmp_path, monkeypatch)
    want = in_process(demo)
    assert [st.name for st in compute(demo, TODAY, shown=True)] == ["queue"]
    helper = PreviewProcess(demo, TODAY, shown=True)
    assert [st.name for st in helper] == ["queue"]
    got = list(SummedFirst(demo, TODAY))
    assert [st.name for st in got] == ["reviews", "queue"]
    assert shown(got) == want


def test_where_the_file_sums_up_nothing_the_helper_gives_the_reviews_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = _summed_demo(tmp_path, monkeypatch)
    _without_summary(demo)
    assert summed_reviews(demo, TODAY) is None
    assert [st.name for st in compute(demo, TODAY, shown=True)] == ["reviews", "queue"]
    got = list(SummedFirst(demo, TODAY))
    assert [st.name for st in got] == ["reviews", "queue"]
    assert shown(got) == in_process(demo)


def test_the_summed_reviews_show_even_where_no_helper_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = _summed_demo(tmp_path, monkeypatch)

    def no_process(*a: object, **kw: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    first = SummedFirst(demo, TODAY)
    got = list(first)
    assert [st.name for st in got] == ["reviews"]
    assert shown(got)["reviews"] == in_process(demo)["reviews"]
    first.stop()  # nothing to stop: fine


@pytest.mark.parametrize(("above", "chosen"), [(10, "summed here"), (10**12, "helper alone")])
def test_the_tui_reads_the_summed_reviews_itself_only_for_a_very_big_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, above: int, chosen: str
) -> None:
    """Above SUMMED_HERE_ABOVE the first screen's reviews due are read in the TUI's process while
    Textual is imported; below, the helper answers before Textual is up (measured: reading them
    here too only slowed the start)."""
    import kamtui.report.preview as pv
    from kamtui import cli
    from kamtui.cli import tui

    made: list[str] = []

    class Fake:
        def __init__(self, kind: str) -> None:
            made.append(kind)

        def stop(self) -> None:
            made.append("stopped")

    def keys_refused() -> None:
        raise cli.DataError("stop here")

    monkeypatch.setattr(pv, "SummedFirst", lambda path, today: Fake("summed here"))
    monkeypatch.setattr(pv, "PreviewProcess", lambda path, today: Fake("helper alone"))
    monkeypatch.setattr(tui, "_check_keys", keys_refused)
    monkeypatch.setattr(tui, "EAGER_BYTES", 10)
    monkeypatch.setattr(tui, "SUMMED_HERE_ABOVE", above)
    demo = materialize_demo(tmp_path / "demo.json", TODAY)
    assert cli.main(["--db", str(demo)]) == cli.EXIT_DATA
    assert made == [chosen, "stopped"]
