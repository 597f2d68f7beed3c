"""Modal forms: keyboard-complete, validated inline through the domain, saved off the UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from textual import events, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from kamtui.domain import validate as v
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import typed_amount
from kamtui.domain.text import clean
from kamtui.domain.typed_dates import typed_date
from kamtui.i18n import N_, _, pgettext
from kamtui.store.errors import ConflictError
from kamtui.store.locking import LockAbandoned
from kamtui.ui.everywhere import everywhere_bindings
from kamtui.ui.messages import LockWait
from kamtui.ui.notices import waiting_notice
from kamtui.ui.session import Session
from kamtui.ui.text_box import TextBox
from kamtui.ui.ticklist import TickList

FieldKind = Literal["text", "select", "date", "number", "multi"]


@dataclass
class FormField:
    """One field. ``value`` is what is stored (for a text, date or number field: its text, never
    cleaned); the form shows it cleaned, and gives it back unchanged unless the user edits it."""

    name: str
    label: str
    kind: FieldKind = "text"
    value: Any = ""
    options: Sequence[tuple[str, str]] = field(default_factory=list)  # (label, value)
    placeholder: str = ""


def amount_text(value: float) -> str:
    """An amount as a form field's text: whole amounts without decimals, others exactly
    (rounding for display would change the stored amount when the form is saved), with the
    language's decimal separator (1234,5 in Spain: kamtui.domain.formats.typed_amount)."""
    return typed_amount(value)


def horizon_word(horizon: str) -> str:
    """A plan horizon in one word, as the forms offer it: short, medium, long (``corto``...)."""
    words = {
        "short": pgettext("horizon", "short"),
        "medium": pgettext("horizon", "medium"),
        "long": pgettext("horizon", "long"),
    }
    return words.get(str(horizon), str(horizon))


def parse_date_input(
    text: str, today: dt.date, field_name: str = "date", not_after_today: bool = False
) -> dt.date | None:
    """'2026-12-01', '31/12/2026', 'today', 'mañana', '+3', '+2w', '-1m' -> a date; '' -> None
    (:func:`kamtui.domain.typed_dates.typed_date` reads it).

    An impossible date raises ValidationError naming the field (the domain's own check), and so
    does one outside the rule every typed date keeps (kamtui.domain.validate, as ``kamtui
    import`` and ``kamtui check`` hold it): :func:`~kamtui.domain.validate.happened` when
    ``not_after_today`` (a last contact, a logged interaction: not after today, not before
    1970), else :func:`~kamtui.domain.validate.in_window` (not before 1970, at most ten years
    ahead). A form that held the first rule itself let 1969-12-31 through, which ``kamtui
    check`` then named as a typo.
    """
    date = typed_date(text, today, field_name)
    if date is None:
        return None
    return (v.happened if not_after_today else v.in_window)(field_name, date, today)


class FieldError(Static):
    """A field's error line. Once shown and given its place in the layout, it asks the form to
    bring it, with its field, into sight (before that it has no place to scroll to)."""

    class Placed(Message):
        def __init__(self, error: FieldError) -> None:
            super().__init__()
            self.error = error

    reveal = False

    def on_resize(self) -> None:
        if self.reveal and self.has_class("shown"):
            self.reveal = False
            self.post_message(self.Placed(self))


class FormScreen(ModalScreen[Any]):
    """A form over fields. ``build`` turns typed values into an entity (raising
    ValidationError naming the field); ``save`` stores it (in a worker thread) and returns
    what the form is dismissed with. Escape cancels and leaves no trace. A form that writes is
    given the ``session``: a read-only one refuses it before anything is typed."""

    # The first field is focused in on_mount, without Textual's scroll to it (which, before the
    # first layout, centres it and leaves its label above the top).
    AUTO_FOCUS = ""
    FIELDS = "#fields Input, #fields Select, #fields SelectionList"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="form-cancel"),
        Binding("ctrl+s", "submit", N_("Save"), priority=True, id="form-save"),
        # Moving between fields is the form's, taken before the field sees the key (priority), so
        # the focus moves in the step that handles the key and the keys typed after it in the same
        # burst go to the field moved to. (A field's own enter, or the app's tab, moved it only
        # once the keys already queued to the old field had landed there: `why<tab>XYZ` gave
        # `whyXYZ`.) Enter moves on from a closed select too (space and the arrows open its menu);
        # in an open menu or a multi-line box it goes on as usual.
        Binding("enter", "next_field", N_("Next field"), show=False, priority=True, id="form-next-field"),
        Binding("tab", "move_focus(1)", N_("Next field"), show=False, priority=True, id="form-tab"),
        Binding("shift+tab", "move_focus(-1)", N_("Previous field"), show=False, priority=True, id="form-shift-tab"),
        *everywhere_bindings(),  # a field that takes text keeps its T
    ]
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen #dialog {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormScreen #form-title { dock: top; text-style: bold; color: $accent; padding: 0 0 1 0; }
    FormScreen #form-foot { dock: bottom; height: auto; }
    FormScreen .field-label { width: 100%; color: $text-muted; margin-top: 0; }
    FormScreen Input, FormScreen Select { margin: 0; }
    FormScreen SelectionList { height: auto; max-height: 8; }
    FormScreen .field-error { color: $error; display: none; }
    FormScreen .field-error.shown { display: block; }
    FormScreen #form-error { color: $error; text-style: bold; }
    FormScreen #form-preview { color: $text-muted; }
    FormScreen #form-hint { color: $text-muted; padding-top: 1; }
    FormScreen #fields { height: auto; max-height: 100%; }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        build: Callable[[dict[str, Any]], Any],
        save: Callable[[Any], Any],
        preview: Callable[[dict[str, Any]], str] | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.fields = list(fields)
        self.build = build
        self.save = save
        self.preview = preview
        self.saving = False
        # An Input cannot show control characters safely, so it holds the stored text cleaned.
        # Each text field's (shown, stored) pair: a field still showing what it was given is
        # one the user left alone, and it gives back the stored text, not the cleaned one.
        self._untouched: dict[str, tuple[str, str]] = {}
        self._early = ""  # typed in the burst that opened the form, before a field had the focus
        #: What each marked text field held when it was refused (see on_input_changed).
        self._refused: dict[str, str] = {}

    def typed_before_focus(self, character: str) -> None:
        """A key typed before the first field had the focus (``aBob`` typed fast): the first field's,
        given to it when the form focuses it (KamApp.on_key passes it here)."""
        self._early += character

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Content(self.title_text), id="form-title")
            with VerticalScroll(id="fields", can_focus=False):
                for f in self.fields:
                    yield Label(Content(f.label), classes="field-label")
                    if f.kind == "select":
                        options = [(Content(label), value) for label, value in f.options]
                        yield Select(options, value=f.value, allow_blank=False, id=f"f-{f.name}")
                    elif f.kind == "multi":
                        chosen = set(f.value or ())
                        yield TickList(
                            *[Selection(Content(label), value, value in chosen) for label, value in f.options],
                            id=f"f-{f.name}",
                        )
                    else:
                        shown = clean(f.value)
                        if isinstance(f.value, str):
                            self._untouched[f.name] = (shown, f.value)
                        yield TextBox(value=shown, placeholder=f.placeholder, id=f"f-{f.name}")
                    yield FieldError("", id=f"e-{f.name}", classes="field-error", markup=False)
            with Vertical(id="form-foot"):
                yield Static("", id="form-preview", markup=False)
                yield Static("", id="form-error", markup=False)
                yield Static(
                    _("enter: next field / save on the last · ctrl+s save · esc cancel"), id="form-hint", markup=False
                )

    def on_mount(self) -> None:
        if self.session is not None and self.session.refuse_if_read_only():
            self.dismiss(None)  # a read-only session: said once, before anything is typed
            return
        if not self.AUTO_FOCUS:  # (a form of another kind of field names its own)
            for first in self.query(self.FIELDS).results():
                self.set_focus(first, scroll_visible=False)  # now: the keys that follow are its own
                if self._early and isinstance(first, Input):
                    # As if typed after the focus: it replaces the selected value; the next key
                    # goes after it (no selection when the focus event arrives).
                    first.select_on_focus = False
                    first.value, self._early = self._early, ""
                    first.cursor_position = len(first.value)
                break
        self._update_preview()

    def on_lock_wait(self, message: LockWait) -> None:
        """While this form's save waits for another session's lock, say so (escape gives up)."""
        if self.saving and message.waiting:
            notice = waiting_notice(message.path)  # "Waiting for ...": "saving… waiting for ..."
            saving = _("saving… {waiting}").format(waiting=notice[:1].lower() + notice[1:])
            self.query_one("#form-error", Static).update(saving)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            w = self.query_one(f"#f-{f.name}")
            if isinstance(w, SelectionList):
                out[f.name] = list(w.selected)
            elif isinstance(w, Input):
                shown, stored = self._untouched.get(f.name, (None, None))
                out[f.name] = stored if w.value == shown else w.value
            else:
                out[f.name] = w.value if isinstance(w, Select) else None
        return out

    def _update_preview(self) -> None:
        if self.preview is None:
            return
        try:
            text = self.preview(self.values())
        except ValidationError as exc:  # the reason, which names the value: never a field's key
            text = f"✗ {exc.reason}" if self._field_of(exc) else f"✗ {exc}"
        self.query_one("#form-preview", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A field's mark goes once its box no longer holds the value it refused (the other
        fields keep theirs). Not on every change: typed in one burst, a correction and ctrl+s
        reach the form before the keys' Changed messages, which would take the mark the save
        just put on the corrected value off again."""
        name = (event.input.id or "").removeprefix("f-")
        if event.input.value != self._refused.get(name):
            self._clear_errors(name)
        self._update_preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._advance(event.input)

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, (Input, Select, SelectionList)):
            raise SkipAction()  # an open select menu picks its option; a multi-line box starts a line
        self._advance(focused)

    def action_move_focus(self, direction: int) -> None:
        """tab / shift+tab: the next or previous field, now (see BINDINGS)."""
        if direction > 0:
            self.focus_next()  # (Screen.set_focus, in this step)
        else:
            self.focus_previous()

    def _advance(self, widget: Widget) -> None:
        """Enter on a field: the next field, or save from the last."""
        inputs = [w for w in self.query("Input, Select, SelectionList") if w.id and w.id.startswith("f-")]
        if inputs and widget is inputs[-1]:
            self.action_submit()
        else:
            self.action_move_focus(1)

    def _clear_errors(self, name: str | None = None) -> None:
        """Take the marks off every field (or only field ``name``'s), and the form's own error."""
        for w in self.query(".field-error.shown" if name is None else f"#e-{name}.shown"):
            w.remove_class("shown")
        if name is None:
            self._refused.clear()
        else:
            self._refused.pop(name, None)
        self.query_one("#form-error", Static).update("")

    def _field_of(self, exc: ValidationError) -> str | None:
        """The field of the form an error names ("stakeholders[0]" is the field "stakeholders")."""
        base = exc.field.split(".")[0].split("[")[0]
        return base if base in {f.name for f in self.fields} else None

    def _build_all(self, values: dict[str, Any]) -> tuple[Any, list[ValidationError]]:
        """What ``build`` makes of ``values``, or every field it refuses, in the form's order.

        ``build`` stops at the first refusal, in whatever order it checks. So each refused field
        is given a stand-in the rest can be checked beside: what the form was opened with (a
        stored value; an add form's default), or, when that is refused too (a required text left
        empty), a plain text. Each field has those two tries at most; an error naming no field
        ends the search (it is shown when it is the only one)."""
        probe = dict(values)
        refused: dict[str, ValidationError] = {}
        tried: dict[str, int] = {}
        stand_ins = {f.name: [f.value, "x"] if f.kind == "text" else [f.value] for f in self.fields}
        while True:
            try:
                entity = self.build(probe)
            except ValidationError as exc:
                name = self._field_of(exc)
                if name is None:
                    if not refused:
                        return None, [exc]
                    break
                refused.setdefault(name, exc)  # what the user typed was refused: its message
                n = tried.get(name, 0)
                if n == len(stand_ins[name]):
                    break
                probe[name], tried[name] = stand_ins[name][n], n + 1
            else:
                if not refused:
                    return entity, []
                break
        order = [f.name for f in self.fields]
        return None, sorted(refused.values(), key=lambda e: order.index(self._field_of(e) or ""))

    def show_error(self, exc: ValidationError) -> None:
        self.show_errors([exc])

    def show_errors(self, errors: Sequence[ValidationError]) -> None:
        """Mark each refused field with its message; the first (the form's order) takes the
        focus and comes into sight. An error naming no field is the form's."""
        first: str | None = None
        for exc in errors:
            name = self._field_of(exc)
            if name is None:
                self.query_one("#form-error", Static).update(f"✗ {exc}")
                continue
            err = self.query_one(f"#e-{name}", FieldError)
            err.update(f"✗ {exc.reason}")
            err.add_class("shown")
            box = self.query_one(f"#f-{name}")
            if isinstance(box, Input):
                self._refused[name] = box.value
            if first is None:
                first = name
                self.set_focus(self.query_one(f"#f-{name}"))
                err.reveal = True  # when the layout places it (a new or resized error)
                if err.virtual_region.size:  # already placed: the layout may not change
                    self.call_after_refresh(self._reveal, name)

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        """Focus without Textual's own scroll: it centres the field with an animation that runs on
        after this form has placed label, box and error in sight (``_reveal``), and moves them."""
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A field that gets the focus comes into sight with its label (scrolling to the box
        alone leaves the label above the top: the first field's, when it is a select)."""
        name = (event.widget.id or "").removeprefix("f-")
        if event.widget.id != name and name in {f.name for f in self.fields}:
            self.call_after_refresh(self._reveal, name)

    def on_field_error_placed(self, message: FieldError.Placed) -> None:
        if message.error.id:
            self._reveal(message.error.id.removeprefix("e-"))

    def _reveal(self, name: str) -> None:
        """Scroll the fields so that the field's label, its box and its error (if shown) are all
        in sight (the label first when they cannot all fit)."""
        fields = self.query_one("#fields", VerticalScroll)
        box = self.query_one(f"#f-{name}")
        err = self.query_one(f"#e-{name}")
        label = fields.children[fields.children.index(box) - 1]
        last = err if err.has_class("shown") else box  # a hidden error has no place (0, 0)
        region = label.virtual_region_with_margin.union(last.virtual_region_with_margin)
        fields.scroll_to_region(region, animate=False, immediate=True)

    def action_submit(self) -> None:
        """ctrl+s, or enter on the last field: save what the fields hold once the keys typed before
        it in the same burst are in them. The key is taken before the field has handled those (a
        priority binding), so the save waits behind them in the field's own queue."""
        focused = self.focused
        if focused is None:
            self._submit()
        else:
            focused.call_later(self._submit)

    def _submit(self) -> None:
        if self.saving or not self.is_attached:
            return
        self._clear_errors()
        entity, errors = self._build_all(self.values())
        if errors:
            self.show_errors(errors)
            return
        self.saving = True
        self.query_one("#form-error", Static).update(_("saving…"))
        self._save(entity)

    class Outcome(Message):
        """A save finished in the worker: ``result`` to dismiss with, or ``error``."""

        def __init__(self, result: Any = None, error: Exception | None = None) -> None:
            super().__init__()
            self.result = result
            self.error = error

    @work(thread=True, exclusive=True, group="form-save")
    def _save(self, entity: Any) -> None:
        # Posted, not called into the app: the app may be quitting (then the CLI reports it).
        try:
            result = self.save(entity)
        except Exception as exc:  # noqa: BLE001 - any store failure is shown; what was typed stays
            session = self.session
            if isinstance(exc, LockAbandoned) and session is not None and session.quitting:
                session.write_failed(exc)
            self.post_message(self.Outcome(error=exc))
        else:
            self.post_message(self.Outcome(result=result))

    def on_form_screen_outcome(self, message: Outcome) -> None:
        if message.error is None:
            self.dismiss(message.result)
        else:
            self._failed(message.error)

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        if isinstance(exc, ValidationError):
            self.query_one("#form-error", Static).update("")
            self.show_error(exc)
        else:
            # Saved again, an edit of a deleted record is refused again: say the way out.
            gone = isinstance(exc, ConflictError) and exc.deleted
            if gone:
                text = _("✗ not saved: {error}. esc closes the form: the record is gone").format(error=exc)
            else:
                text = _("✗ not saved: {error}").format(error=exc)
            self.query_one("#form-error", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """y / enter confirms, n / escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", N_("Yes"), id="confirm-yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm-no"),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen #confirm { width: 64; max-width: 100%; height: auto; border: thick $error; background: $surface;
        padding: 1 2; }
    ConfirmScreen #confirm-hint { color: $text-muted; padding-top: 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(clean(self.question, one_line=False), markup=False)
            yield Static(_("y / enter: yes    n / esc: no"), id="confirm-hint", markup=False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
