"""Import a CRM export from the TUI (I): pick the file, see the dry run, then apply or cancel."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from kamtui.domain.errors import ValidationError
from kamtui.domain.importer import ImportFileError, ImportPlan, MappingError, UnknownKind
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, ngettext
from kamtui.store.errors import StoreError
from kamtui.store.importer import ImportRefused, apply_import, plan_import
from kamtui.ui.everywhere import everywhere_bindings, help_binding
from kamtui.ui.footer import FittingFooter
from kamtui.ui.forms import FormField, FormScreen
from kamtui.ui.session import Session

MAX_LISTED = 200


def import_form(session: Session) -> FormScreen:
    """Step 1: which file, which kind, which date order. Saving plans the import (a dry run)."""
    fields = [
        FormField("path", _("CSV file (a HubSpot or Salesforce export, or kamtui's own columns)"), value=""),
        FormField(
            "kind",
            _("Records"),
            "select",
            "auto",
            [
                (_("detect from the columns"), "auto"),
                (_("accounts"), "accounts"),
                (_("contacts"), "contacts"),
                (_("deals (opportunities)"), "deals"),
            ],
        ),
        FormField(
            "dates",
            _("Dates like 03/04/2026"),
            "select",
            "auto",
            [
                (_("decide from the file (day first if unsure)"), "auto"),
                (_("day first"), "dmy"),
                (_("month first"), "mdy"),
            ],
        ),
    ]

    def build(v: dict[str, Any]) -> dict[str, Any]:
        raw = str(v["path"]).strip()
        if not raw:
            raise ValidationError("path", _("give the path of a .csv file"))
        path = Path(raw).expanduser()
        if not path.is_file():
            raise ValidationError("path", _("{path} is not a file").format(path=clean(raw)))
        return {"path": path, "kind": None if v["kind"] == "auto" else v["kind"], "dates": v["dates"]}

    def plan(choice: dict[str, Any]) -> ImportPlan:
        try:
            return plan_import(
                choice["path"], choice["kind"], None, session.portfolio, dates=choice["dates"], today=session.today
            )
        except UnknownKind as exc:  # the user says which, here: not the CLI's --kind
            raise ValidationError("kind", _("{error}: choose which").format(error=exc)) from None
        except (MappingError, ImportFileError) as exc:
            raise ValidationError("path", str(exc)) from None
        except OSError as exc:
            raise ValidationError("path", exc.strerror or str(exc)) from None

    return FormScreen(_("Import a CSV export"), fields, build, plan, session=session)


class ImportPreview(ModalScreen[None]):
    """Step 2: what would be created, updated and refused (with line numbers). Nothing written yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,y",
            "apply(False)",
            N_("Import"),
            tooltip=N_("Write it (only when no row is refused)"),
            id="import-apply",
        ),
        Binding(
            "s",
            "apply(True)",
            N_("Import, skip refused"),
            tooltip=N_("Write the good rows, leave the refused ones"),
            id="import-skip-refused",
        ),
        Binding("escape,n,q", "cancel", N_("Cancel"), id="import-cancel"),
        Binding("j,down", "scroll(1)", N_("Down"), show=False, id="cursor-down"),
        Binding("k,up", "scroll(-1)", N_("Up"), show=False, id="cursor-up"),
        help_binding(show=True),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    ImportPreview { align: center middle; }
    ImportPreview #import { width: 100; max-width: 100%; height: 90%; border: thick $accent; background: $surface;
        padding: 0 1; }
    ImportPreview #import-body { height: 1fr; }
    ImportPreview ProgressBar { display: none; }
    ImportPreview.busy ProgressBar { display: block; }
    """

    class Progress(Message):
        """``done`` of ``total`` rows written; a newer count replaces one still queued."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ImportPreview.Progress)

    class Finished(Message):
        """The import was written (``summary``), or not (``error``)."""

        def __init__(self, summary: str = "", error: str = "") -> None:
            super().__init__()
            self.summary = summary
            self.error = error

    def __init__(self, session: Session, plan: ImportPlan) -> None:
        super().__init__()
        self.session = session
        self.plan = plan
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import"):
            with VerticalScroll(id="import-body"):
                yield Static(self.report(), id="import-report", markup=False)
            yield ProgressBar(total=100, show_eta=False, id="import-progress")
            yield FittingFooter()

    def report(self) -> Text:
        plan = self.plan
        c = plan.counts
        t = Text()
        t.append(_("Dry run: nothing written yet") + "\n", style="bold")
        t.append(clean(plan.describe_file()) + "\n", style="dim")
        t.append(clean(plan.describe_columns()) + "\n", style="dim")
        for note in plan.notes:
            t.append(_("note: {note}").format(note=clean(note)) + "\n", style="yellow")
        counts = _("{create} to create · {update} to update · {unchanged} unchanged · ").format(
            create=c["create"], update=c["update"], unchanged=c["unchanged"]
        )
        t.append("\n" + counts, style="bold")
        t.append(
            ngettext("{refused} refused", "{refused} refused", c["refused"]).format(refused=c["refused"]) + "\n",
            style="bold red" if c["refused"] else "bold",
        )
        for action, title, style in (
            ("refused", _("Refused (fix the file, or s to import the rest)"), "red"),
            ("create", _("To create"), "green"),
            ("update", _("To update"), "cyan"),
        ):
            rows = plan.of(action)  # type: ignore[arg-type]
            if not rows:
                continue
            t.append(f"\n{title} ({len(rows)})\n", style=f"bold {style}")
            for row in rows[:MAX_LISTED]:
                t.append(f"  {clean(row.describe())}\n", style=style if action == "refused" else "")
            if len(rows) > MAX_LISTED:
                t.append("  " + _("… {n} more").format(n=len(rows) - MAX_LISTED) + "\n", style="dim")
        if not c["create"] and not c["update"]:
            t.append("\n" + _("Nothing to change: the file matches the database.") + "\n", style="green")
        return t

    def action_scroll(self, delta: int) -> None:
        body = self.query_one("#import-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + delta, animate=False)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_apply(self, skip_bad: bool) -> None:
        if self.busy:
            return
        if self.plan.refused and not skip_bad:
            self.app.notify(
                _("Some rows are refused: press s to import the rest, or esc to cancel"), timeout=5, markup=False
            )
            return
        self.busy = True
        self.add_class("busy")
        self._apply(skip_bad)

    @work(thread=True, exclusive=True, group="import")
    def _apply(self, skip_bad: bool) -> None:
        session = self.session

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress(done, total))

        try:
            result = apply_import(session.portfolio, self.plan, skip_bad=skip_bad, progress=progress)
        except (ImportRefused, StoreError, OSError) as exc:
            self.post_message(self.Finished(error=_("Not imported: {error}").format(error=exc)))
            return
        if result.change is not None:
            session.record(result.change)
        self.post_message(self.Finished(summary=result.summary()))

    def on_import_preview_progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=max(1, message.total), progress=message.done)

    async def on_import_preview_finished(self, message: Finished) -> None:
        if message.error:
            self.busy = False
            self.remove_class("busy")
            self.app.notify(message.error, severity="error", markup=False, timeout=8)
        else:
            self.app.notify(
                _("Imported: {summary} (u undoes)").format(summary=message.summary), markup=False, timeout=6
            )
            # The help (or the palette) opened while it wrote closes first: dismiss pops the top screen.
            while self.app.screen is not self and self in self.app.screen_stack:
                await self.app.screen.dismiss()
            self.dismiss(None)
