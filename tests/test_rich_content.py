"""Today's lines made into Content by ContentMaker are what Content.from_rich_text makes of
them (the text, each span's place and style, the width), over the hostile corpus, every kind
and urgency of item, in the dark and the light ANSI theme (which this Textual does not consult
for Today's colours, all ANSI ones: were a later one to, the light theme's lines would tell)."""

from __future__ import annotations

import asyncio
import datetime as dt

from rich.text import Text
from textual.app import App
from textual.content import Content

from kamtui.domain.queue import KIND_ORDER, QueueItem
from kamtui.ui.rich_content import ContentMaker
from kamtui.ui.today_texts import more_note, queue_line
from tests.hostile import HOSTILE_NAMES

TODAY = dt.date(2026, 12, 2)


def _texts() -> list[Text]:
    texts: list[Text] = [Text("Reviews due (3)", style="bold underline"), Text("plain, no span")]
    for n, name in enumerate(HOSTILE_NAMES):
        for kind in KIND_ORDER:
            severity = n % 3
            due = TODAY + dt.timedelta(days=n % 7 - 3) if kind != "risk" else None
            item = QueueItem(
                kind=kind,
                account_id=n + 1,
                account=name,
                owner=name,
                title=f"{name} title",
                detail=f"{name} detail",
                due=due,
                days_late=max(0, -(n % 7 - 3)),
                severity=severity,
                ranked=f"1.2M key, {name}" if n % 2 else "",
            )
            texts.extend(queue_line(item, TODAY, width) for width in (118, 76, 40))
    return texts


def _same(a: Content, b: Content) -> bool:
    return (a.plain, a.spans, a.cell_length) == (b.plain, b.spans, b.cell_length)


def test_each_line_is_the_content_textual_makes_of_it() -> None:
    async def run() -> None:
        app = App[None]()
        async with app.run_test():
            maker = ContentMaker(app.console)
            texts = _texts()
            texts.append(more_note(1234, 76, app.console))
            texts.append(Text("under a style", style="bold"))  # a base style: Textual's own path
            for theme in ("textual-dark", "textual-light", "textual-dark"):
                app.theme = theme
                ansi = app.ansi_theme
                for text in texts:
                    assert _same(maker(text, ansi), Content.from_rich_text(text, console=app.console)), text.plain

    asyncio.run(run())
