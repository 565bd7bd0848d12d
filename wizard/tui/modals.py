"""Dialogs that answer one thing and close: confirm, help, resume, export, browse."""

from __future__ import annotations

import re
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core.session import SessionInfo, list_sessions
from wizard.tui.home import describe_saved, friendly_time
from wizard.tui.safe import clean, join, plain
from wizard.tui.typed import OnWizardApp
from wizard.tui.widgets import Hanging

DIALOG_HELP = Binding(
    "f1", "app.help", "Help", id="dialog-help", tooltip="What this dialog does and which keys work here"
)
"""A dialog is modal, so the app's own F1 does not reach it; each dialog binds it again."""


class ConfirmScreen(OnWizardApp, ModalScreen[bool]):  # type: ignore[misc]  # see wizard.tui.typed
    """Yes or no, with the question in words."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
        DIALOG_HELP,
    ]
    HELP_TITLE = "Confirm"
    HELP = "Press **y** to go ahead or **n** (or Escape) to leave things as they are."

    def __init__(self, question: str, verb: str) -> None:
        super().__init__()
        self.question = question
        self.verb = verb
        self.dialog_help = (
            f"{clean(question)}\n\n**y** or the {clean(verb, one_line=True)} button goes ahead; "
            "**n**, Escape or the Cancel button leaves things as they are."
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.verb} (y)", id="yes", variant="warning")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


_MARKUP = re.compile(r"\[(b|i|reverse)\]([^\[]*)\[/\]")
_MARKDOWN_FOR = {"b": "**{}**", "i": "*{}*", "reverse": "`{}`"}


def as_markdown(text: str) -> str:
    """A screen's HELP as Markdown, the form Textual's own help panel renders too. A text still written in
    Textual's [b]...[/] markup is converted, so every screen's help reads right whichever form it uses."""
    return _MARKUP.sub(lambda m: _MARKDOWN_FOR[m.group(1)].format(m.group(2)), text)


class HelpScreen(OnWizardApp, ModalScreen[None]):  # type: ignore[misc]  # see wizard.tui.typed
    """What the screen underneath is for, and every key that works there."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close help", id="help-close")]

    def __init__(self, title: str, text: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.text = text
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Content(f"Help: {self.help_title}").stylize("bold"), classes="dialog-title")
            if self.text:
                yield Markdown(as_markdown(self.text), classes="help-text")
            if self.keys:
                rows = [join((f"{key:>10}", "bold"), "  ", description) for key, description in self.keys]
                yield Static(Content("Keys on this screen").stylize("bold underline"), classes="help-keys-title")
                yield Static(Content("\n").join(rows), classes="help-keys")
            yield Static(
                Content("Esc, F1 or q closes this help. Ctrl+P opens the command palette.").stylize("dim"),
                classes="help-foot",
            )

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ResumeScreen(OnWizardApp, ModalScreen[Path | None]):  # type: ignore[misc]  # see wizard.tui.typed
    """Every saved walk, newest first; one can be deleted after a yes."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="resume-close"),
        Binding(
            "delete,d", "delete", "Delete", id="resume-delete", tooltip="Delete the highlighted saved walk (asks first)"
        ),
        DIALOG_HELP,
    ]
    HELP_TITLE = "Resume a saved walk"
    HELP = (
        "Every answer is saved as you go, so a closed terminal or a crash loses nothing. "
        "Pick a walk with the arrow keys and press **Enter** to carry on where it stopped. "
        "If a tree changed since, the answers that still fit are replayed and you are told where it stopped.\n\n"
        "**↻** marks a walk still under way, **✔ finished** one that reached its runbook (Enter opens the "
        "runbook again). **Delete** or **d** deletes the highlighted walk once you confirm; its answers are "
        "gone for good, exports you wrote stay."
    )

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.sessions: dict[str, SessionInfo] = {}

    def compose(self) -> ComposeResult:
        sessions = list_sessions(self.data_dir)
        self.sessions = {str(info.path): info for info in sessions}
        catalog = self.app.catalog
        with Vertical(classes="dialog wide"):
            yield Static(Content("Resume a saved walk").stylize("bold"), classes="dialog-title")
            saved = OptionList(
                *[
                    Option(Hanging(describe_saved(info, catalog)), id=str(info.path), disabled=not info.readable)
                    for info in sessions
                ],
                id="saved",
            )
            saved.display = bool(sessions)
            yield saved
            empty = Static("No saved walks yet. A walk is saved as soon as you start it.", markup=False, id="no-saved")
            empty.display = not sessions
            yield empty
            yield Static(Content("Enter resumes · d deletes · Esc closes").stylize("dim"))

    def on_mount(self) -> None:
        saved = self.query_one("#saved", OptionList)
        if saved.option_count:
            saved.highlighted = 0
            saved.focus()

    @on(OptionList.OptionSelected, "#saved")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Path(event.option.id or ""))

    def action_delete(self) -> None:
        """Ask, then delete the highlighted walk's file; nothing is removed before the yes."""
        saved = self.query_one("#saved", OptionList)
        option = saved.highlighted_option
        info = self.sessions.get(option.id or "") if option is not None else None
        if info is None:
            return
        catalog = self.app.catalog
        start = catalog.trees.get(info.start_tree)
        title = start.title if start else info.start_tree
        answers = f"{info.steps} answer{'s' if info.steps != 1 else ''}"
        question = (
            f"Delete the saved walk '{title}' ({answers}, saved {friendly_time(info.updated)})? "
            "Its answers are gone for good; exports you wrote stay."
        )

        def decided(yes: bool | None) -> None:
            if yes:
                self._delete(info)

        self.app.push_screen(ConfirmScreen(question, "Delete"), decided)

    def _delete(self, info: SessionInfo) -> None:
        try:
            info.path.unlink(missing_ok=True)
        except OSError as exc:
            self.notify(f"Not deleted: {exc}", severity="error", markup=False)
            return
        session = getattr(self.app, "session", None)
        if session is not None and session.id == info.id:
            self.app.session = None
        saved = self.query_one("#saved", OptionList)
        index = saved.highlighted
        saved.remove_option(str(info.path))
        self.sessions.pop(str(info.path), None)
        if saved.option_count:
            saved.highlighted = min(index or 0, saved.option_count - 1)
        else:
            saved.display = False
            self.query_one("#no-saved", Static).display = True
        self.notify("Deleted the saved walk.", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


FORMATS = (("md", "Markdown (.md), for a ticket or an e-mail"), ("json", "JSON (.json), for a script"))


class ExportScreen(OnWizardApp, ModalScreen[Path | None]):  # type: ignore[misc]  # see wizard.tui.typed
    """Write the walk to a Markdown or JSON file; the full path is shown before and after."""

    BINDINGS = [
        Binding("escape", "close", "Cancel", id="export-cancel"),
        Binding("up,down", "other_format", "Other format", id="export-format", tooltip="Markdown or JSON"),
        DIALOG_HELP,
    ]
    HELP_TITLE = "Export"
    HELP = (
        "Pick Markdown (for a ticket or an e-mail) or JSON (for a script) with the arrow keys, check the file "
        "name, then press **Enter** in the path box or the Save button. The file is written whole or not at all.\n\n"
        "A long path does not fit in the box: the whole path the file goes to is spelled out under it."
    )

    def __init__(self, fmt: str = "md") -> None:
        super().__init__()
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content("Export the walk").stylize("bold"), classes="dialog-title")
            formats = OptionList(*self._format_options(), id="export-format")
            formats.border_title = "Format"
            yield formats
            box = Input(str(self.app.default_export_path(self.fmt)), id="export-path")
            box.border_title = "Save to"
            box.cursor_blink = self.app.cursor_blink
            yield box
            yield Static("", id="export-where")
            yield Static("", id="export-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _format_options(self) -> list[Option]:
        return [
            Option(join(("◉ " if fmt == self.fmt else "○ ", "bold"), label), id=fmt) for fmt, label in FORMATS
        ]

    def on_mount(self) -> None:
        formats = self.query_one("#export-format", OptionList)
        formats.highlighted = [fmt for fmt, _ in FORMATS].index(self.fmt)
        self.query_one("#export-path", Input).focus()
        self._show_where()

    @on(Input.Changed, "#export-path")
    def _show_where(self) -> None:
        """The whole path, wrapped under the box, since a long path never fits in the box itself."""
        raw = self.query_one("#export-path", Input).value.strip()
        where = self.query_one("#export-where", Static)
        if not raw:
            where.update("")
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            path = path / self.app.default_export_path(self.fmt).name
        where.update(join(("Saves to: ", "dim"), str(path.absolute())))

    @on(OptionList.OptionHighlighted, "#export-format")
    def format_changed(self, event: OptionList.OptionHighlighted) -> None:
        fmt = event.option.id or "md"
        if fmt == self.fmt:
            return
        self.fmt = fmt
        formats = self.query_one("#export-format", OptionList)
        highlighted = formats.highlighted
        formats.set_options(self._format_options())
        formats.highlighted = highlighted
        box = self.query_one("#export-path", Input)
        box.value = str(Path(box.value).with_suffix(".json" if fmt == "json" else ".md"))

    def action_other_format(self) -> None:
        formats = self.query_one("#export-format", OptionList)
        formats.highlighted = 1 - (formats.highlighted or 0)

    @on(OptionList.OptionSelected, "#export-format")
    def format_chosen(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        message = self.query_one("#export-message", Static)
        if not raw:
            message.update(plain("✗ Type a file name to save to."))
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            path = path / self.app.default_export_path(self.fmt).name
        path = path.resolve()
        if path.exists():

            def decided(yes: bool | None) -> None:
                if yes:
                    self._write(path, replace=True)
                else:
                    message.update(plain("Not saved: the file is still as it was. Choose another name."))
                    self.query_one("#export-path", Input).focus()

            self.app.push_screen(
                ConfirmScreen(f"{path} already exists. Replace it with this export?", "Replace"), decided
            )
            return
        self._write(path, replace=False)

    def _write(self, path: Path, *, replace: bool) -> None:
        from wizard.core.files import FileExists

        message = self.query_one("#export-message", Static)
        try:
            written = self.app.export_session(self.fmt, path, replace=replace)
        except FileExists:
            message.update(plain(f"✗ Not saved: {path} appeared meanwhile; press Enter again to decide."))
            return
        except (OSError, ValueError) as exc:
            message.update(plain(f"✗ Not saved: {exc}"))
            return
        self.dismiss(written)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class BrowseScreen(OnWizardApp, ModalScreen[Path | None]):  # type: ignore[misc]  # see wizard.tui.typed
    """Pick a file or a folder from a directory tree."""

    BINDINGS = [
        Binding("escape", "close", "Cancel", id="browse-cancel"),
        Binding("u", "use_folder", "Use this folder", id="browse-folder"),
        DIALOG_HELP,
    ]
    HELP_TITLE = "Browse for evidence"
    HELP = (
        "Arrow keys move, **Enter** opens a folder or picks a file. **u** picks the highlighted folder "
        "(everything in it is scanned). Escape goes back without picking."
    )

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        from wizard.tui.widgets import SafeDirectoryTree

        with Vertical(classes="dialog tall"):
            yield Static(join(("Pick a file or folder under ", "bold"), (str(self.start), "bold")), classes="dialog-title")
            yield SafeDirectoryTree(self.start, id="browse-tree")
            yield Static(Content("Enter picks a file · u uses the highlighted folder · Esc cancels").stylize("dim"))

    def on_mount(self) -> None:
        self.query_one("#browse-tree").focus()

    def on_directory_tree_file_selected(self, event) -> None:
        self.dismiss(Path(event.path))

    def action_use_folder(self) -> None:
        from wizard.tui.widgets import SafeDirectoryTree

        node = self.query_one("#browse-tree", SafeDirectoryTree).cursor_node
        if node is None or node.data is None:
            self.dismiss(self.start)
            return
        path = Path(node.data.path)
        self.dismiss(path if path.is_dir() else path.parent)

    def action_close(self) -> None:
        self.dismiss(None)
