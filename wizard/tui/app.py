"""The interactive wizard: a Textual app over the headless core.

`create_app` is the one way to build it, for the command line and for tests alike. The app holds the walk in
progress as an immutable `Session`; every change goes through `commit`, which saves it and shows the right screen.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from wizard.tui.commands import WizardCommands
from wizard.tui.home import HomeScreen

if TYPE_CHECKING:
    from wizard.core.catalog import Catalog
    from wizard.core.flow import EvidenceBook
    from wizard.core.session import Session
    from wizard.tui.evidence import ScanMemory


class NoTrees:
    """Stands in for the catalog until the trees are read, so the first screen needs none of the core."""

    trees: dict = {}
    notes: list = []
    errors: list = []

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, tree_id: object) -> bool:
        return False

    def by_product(self) -> dict:
        return {}

PLAIN_THEME = Theme(
    name="wizard-plain",
    primary="#ffffff",
    secondary="#c0c0c0",
    accent="#ffffff",
    warning="#ffffff",
    error="#ffffff",
    success="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    dark=True,
    variables={
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#ffffff",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#ffffff",
        "input-selection-background": "#606060",
    },
)


class WizardApp(App[None]):
    """Walk a diagnosis question by question and end in a runbook."""

    CSS_PATH = "wizard.tcss"
    TITLE = "wizard"
    SUB_TITLE = "ConfigMgr 2007 · Operations Manager 2007 · Exchange 2003"
    COMMANDS = App.COMMANDS | {WizardCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="What this screen does and which keys work here"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit; the walk is already saved"),
    ]

    def __init__(
        self,
        catalog: Catalog | None,
        *,
        data_dir: Path | None = None,
        tree_dirs: Sequence[str | os.PathLike] = (),
        start_tree: str | None = None,
        evidence: Sequence[str | os.PathLike] = (),
        values: Mapping[str, str] | None = None,
        practice: Any = None,
        ticket: str = "",
        record: Path | None = None,
        trainee: str = "",
    ) -> None:
        super().__init__()
        self.practice_case = practice
        """A case walked as practice: each answer is set beside the expert's, the score comes at the runbook."""
        self.expert: Any = None
        self.ticket = ticket
        self.record_path = record
        self.trainee = trainee
        self.start_tree = start_tree
        self.start_values = dict(values or {})
        self.start_evidence = tuple(os.fspath(p) for p in evidence)
        self.book: EvidenceBook | None = None
        """Every piece of evidence given for the walk in progress; each check reads it as it is reached."""
        self.book_loading = False
        self.catalog: Catalog | NoTrees = catalog if catalog is not None else NoTrees()
        self.catalog_ready = catalog is not None
        self._data_dir = data_dir
        self.tree_dirs = tuple(tree_dirs)
        self.session: Session | None = None
        self.scan_memory: ScanMemory | None = None
        self.saved_to: Path | None = None
        self.why_folded = False
        self.copied_with: str | None = None
        self.cursor_blink = True

    def on_mount(self) -> None:
        self.register_theme(PLAIN_THEME)
        self.push_screen(HomeScreen())
        if not self.catalog_ready:
            self.call_after_refresh(self._start_loading)
        elif self.start_tree:
            self.call_after_refresh(self._open_start_tree)

    def _open_start_tree(self) -> None:
        """`wizard open TREE [--evidence ...]`: go straight to the tree, reading the evidence meanwhile."""
        tree_id, self.start_tree = self.start_tree, None
        if tree_id is None:
            return
        if self.practice_case is not None:
            from wizard.core.practice import Expert

            self.expert = Expert(self.practice_case, self.catalog)
        if self.ticket:
            title = "Practice: the ticket" if self.expert is not None else "The ticket"
            self.notify(self.ticket.strip(), title=title, timeout=20, markup=False)
        if self.start_evidence:
            self.read_evidence(self.start_evidence)
        self.begin(tree_id, values=self.start_values, keep_evidence=True)

    def _start_loading(self) -> None:
        """Read the trees once the first screen is up. A daemon thread, so quitting never waits for it."""

        def load() -> None:
            from wizard.core.catalog import load_catalog

            try:
                catalog, error = load_catalog(self.tree_dirs), None
            except Exception as exc:  # a broken tree folder must not take the screen down
                catalog, error = None, exc
            try:
                self.call_from_thread(self._trees_loaded, catalog, error)
            except RuntimeError:
                pass

        threading.Thread(target=load, name="wizard-load-trees", daemon=True).start()

    def _trees_loaded(self, catalog: Catalog | None, error: Exception | None) -> None:
        self.catalog_ready = True
        if catalog is None:
            self.notify(f"The trees could not be read: {error}", severity="error", markup=False)
        else:
            self.catalog = catalog
            for note in catalog.notes:
                self.notify(note, title="Trees", markup=False)
            for problem in catalog.errors:
                self.notify(problem.format(), title="Tree not loaded", severity="warning", timeout=15, markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_lists()
        if catalog is not None and self.start_tree:
            self._open_start_tree()

    @property
    def data_dir(self) -> Path:
        """Where sessions and exports go: the folder given, else $WIZARD_DATA_DIR, else the user data folder."""
        if self._data_dir is None:
            from wizard.core.paths import data_dir

            self._data_dir = data_dir()
        return self._data_dir

    @property
    def exports_dir(self) -> Path:
        from wizard.core.paths import exports_dir

        return exports_dir(self.data_dir)

    # ------------------------------------------------------------------ the walk

    def begin(
        self,
        tree_id: str,
        node_id: str | None = None,
        values: dict[str, str] | None = None,
        *,
        keep_evidence: bool = False,
    ) -> None:
        """Start a walk. Evidence read for an earlier walk is dropped unless this walk starts from it."""
        from wizard.core.session import AnswerError, Session

        if isinstance(self.catalog, NoTrees):
            self.notify("The trees are still being read; try again in a moment.", markup=False)
            return
        try:
            session = Session.start(self.catalog, tree_id, node_id, values=values)
        except (AnswerError, LookupError) as exc:
            self.notify(str(exc), title="Cannot start", severity="error", markup=False)
            return
        if not keep_evidence:  # a walk of its own: no evidence, ticket or practice left over from the last one
            self.book = None
            self.practice_case = self.expert = None
            self.ticket = ""
        self.commit(session)

    def commit(self, session: Session) -> None:
        """Make `session` the walk in progress: save it and show its current step or runbook.

        The core's `settle` moves past what needs no operator first, so every screen shows what the engine
        decided comes next.
        """
        from wizard.core.flow import settle
        from wizard.core.session import AnswerError
        from wizard.tui.runbook import RunbookScreen
        from wizard.tui.step import StepScreen

        if self.book is not None:
            session = session.with_evidence(self.book.paths)
        try:
            session = settle(session, self.book)
        except AnswerError as exc:
            self.notify(str(exc), title="The evidence could not answer", severity="warning", markup=False)
        previous, self.session = self.session, session
        self.autosave()
        if self.expert is not None:
            self._practice_feedback(previous, session)
        wanted = RunbookScreen if session.at_runbook else StepScreen
        top = self.screen
        if isinstance(top, wanted):
            top.show_session(session)
        elif isinstance(top, (StepScreen, RunbookScreen)):
            self.switch_screen(wanted())
        else:
            self._pop_to_home()
            self.push_screen(wanted())

    def start_practice(self, path: Path) -> None:
        """Practise a case from the home screen: its ticket, its evidence, each answer judged, a score at the end."""
        from wizard.core.cases import load_case

        loaded = load_case(path)
        case = loaded.case
        if case is None or not loaded.ok:
            self.notify(f"The case could not be read: {path}", severity="error", markup=False)
            return
        self.practice_case, self.ticket = case, case.ticket
        self.start_tree, self.start_evidence = case.tree, tuple(str(p) for p in case.evidence)
        self._open_start_tree()

    def _practice_feedback(self, previous: Session | None, session: Session) -> None:
        """In practice, say after each answer whether the expert answers the same, and score the walk at its end."""
        before = sum(m.by_operator for m in previous.moves) if previous is not None else 0
        mine = [m for m in session.moves if m.by_operator]
        if len(mine) == before + 1:
            verdict = self.expert.judge(mine[-1])
            if verdict.right is True:
                self.notify("The expert answers the same.", title="✓ Practice", timeout=4, markup=False)
            elif verdict.right is False:
                why = f" Why it matters: {verdict.why}" if verdict.why else ""
                self.notify(
                    f"The expert answers '{verdict.expected}'. You may go on down your path and see where it leads.{why}",
                    title="✗ Practice", severity="warning", timeout=20, markup=False,
                )
        if session.at_runbook and (previous is None or not previous.at_runbook):
            self._practice_score(session)

    def _practice_score(self, session: Session) -> None:
        from wizard.core import practice
        from wizard.core.files import write_atomic
        from wizard.core.textsafe import dumps_json

        case = self.practice_case
        result = self.expert.score(session)
        runbook = "the expected runbook" if result.runbook_right else f"not the expected one ({case.runbook})"
        self.notify(
            f"{result.right} of {result.right + result.wrong} answers like the expert's; {runbook}. "
            f"Overrides of the evidence: {result.overrides_right} right, {result.overrides_wrong} wrong.",
            title="Practice score", timeout=60, markup=False,
        )
        if self.record_path is not None:
            data = practice.record(case, session, trainee=self.trainee)
            try:
                write_atomic(self.record_path, dumps_json(data) + "\n", private=False, replace=True)
            except OSError as exc:
                self.notify(f"The record could not be written: {exc}", severity="error", markup=False)
            else:
                self.notify(f"Record written to {self.record_path}", title="Practice", markup=False)

    def _pop_to_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def autosave(self) -> None:
        from wizard.core.session import save

        if self.session is None:
            return
        try:
            self.saved_to = save(self.session, self.data_dir)
        except (OSError, ValueError) as exc:  # ValueError: a text the file cannot hold, a bad id
            self.notify(f"Could not save the walk: {exc}", title="Not saved", severity="error", markup=False)

    def resume(self, path: Path) -> None:
        from wizard.core.session import SessionFileError, load, set_aside

        if isinstance(self.catalog, NoTrees):
            self.notify("The trees are still being read; try again in a moment.", markup=False)
            return
        try:
            loaded = load(path, self.catalog)
        except SessionFileError as exc:
            moved = set_aside(path) if path.suffix == ".json" and path.exists() else None
            where = f" It was moved aside to {moved.name}." if moved else ""
            self.notify(f"{exc}.{where}", title="Cannot resume", severity="error", markup=False)
            self.go_home()
            return
        for warning in loaded.warnings:
            self.notify(warning, title="Resumed with a change", severity="warning", timeout=10, markup=False)
        self.book = None
        self.practice_case = self.expert = None
        if loaded.session.evidence:
            self.read_evidence(loaded.session.evidence)
        self.commit(loaded.session)

    # ------------------------------------------------------------------ evidence for the whole walk

    def read_evidence(self, paths: Sequence[str]) -> None:
        """Scan evidence for the whole walk in the background; each check then reads it as it is reached."""
        self.book_loading = True
        self._read_book(tuple(paths))

    @work(thread=True, exclusive=True, group="book", exit_on_error=False, name="read evidence")
    def _read_book(self, paths: tuple[str, ...]) -> None:
        from wizard.core.flow import read_book

        catalog = self.catalog
        try:
            book, error = read_book(list(paths), catalog), None
        except Exception as exc:  # an unreadable bundle must not take the walk down
            book, error = None, exc
        try:
            self.call_from_thread(self._book_read, book, error)
        except RuntimeError:
            pass

    def _book_read(self, book: EvidenceBook | None, error: Exception | None) -> None:
        self.book_loading = False
        if book is None:
            self.notify(f"The evidence could not be read: {error}", severity="error", markup=False)
            return
        for problem in book.problems[:3]:
            self.notify(problem, title="Evidence", severity="warning", timeout=8, markup=False)
        self.add_evidence(book)

    def add_evidence(self, book: EvidenceBook) -> None:
        """Take newly scanned evidence into the walk, and show again what it changes at the current step."""
        from wizard.tui.evidence import ScanMemory

        from wizard.tui.runbook import RunbookScreen
        from wizard.tui.step import StepScreen

        merged = self.book.merged(book) if self.book is not None else book
        self.book = merged
        if merged.paths:
            self.scan_memory = ScanMemory(merged.paths, self.scan_memory.text if self.scan_memory else "")
        if self.session is None:
            return
        if isinstance(self.screen, (StepScreen, RunbookScreen)):
            self.commit(self.session)
        else:
            self.session = self.session.with_evidence(merged.paths)
            self.autosave()

    def go_home(self) -> None:
        self._pop_to_home()
        home = self.screen
        if isinstance(home, HomeScreen):
            home.refresh_lists()

    def step_back(self) -> None:
        if self.session is None:
            return
        if not self.session.moves or all(m.is_link for m in self.session.moves):
            self.notify("This is the first step; there is nothing to undo.", markup=False)
            return
        self.commit(self.session.back())

    def ask_restart(self) -> None:
        from wizard.tui.modals import ConfirmScreen

        if self.session is None:
            return

        def decided(yes: bool | None) -> None:
            if yes and self.session is not None:
                self.commit(self.session.restart())
                self.notify("Started over from the first step.", markup=False)

        self.push_screen(
            ConfirmScreen("Start this walk over from the first step? Your answers so far are forgotten.", "Restart"),
            decided,
        )

    def jump_to(self, index: int) -> None:
        from wizard.core.session import AnswerError

        if self.session is None:
            return
        try:
            session = self.session.jump(index)
        except AnswerError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.commit(session)

    def show_map(self) -> None:
        from wizard.tui.treemap import TreeMapScreen

        if self.session is not None:
            self.push_screen(TreeMapScreen())

    def show_resume_list(self) -> None:
        from wizard.tui.modals import ResumeScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.resume(path)

        self.push_screen(ResumeScreen(self.data_dir), chosen)

    def show_scan(self) -> None:
        from wizard.tui.evidence import EvidenceScreen

        self.push_screen(EvidenceScreen())

    # ------------------------------------------------------------------ files

    def export_session(self, fmt: str, path: Path | None = None, *, replace: bool = False) -> Path:
        """Write the walk as a transcript in Markdown or JSON, as `wizard walk --format` writes it; return where
        it went. An existing file is replaced only with `replace` (wizard.core.files.FileExists otherwise).
        Raises OSError or ValueError."""
        from wizard.core.files import write_atomic
        from wizard.core.transcript import render, transcript

        session = self.session
        if session is None:
            raise ValueError("there is no walk to export")
        if path is None:
            path = self.default_export_path(fmt)
        text = render(transcript(session), "md" if fmt == "md" else "json")
        write_atomic(path, text, private=False, replace=replace)
        return path

    def default_export_path(self, fmt: str) -> Path:
        session = self.session
        stem = f"{session.tree_id}-{session.id}" if session else "wizard"
        return self.exports_dir / f"{stem}.{'md' if fmt == 'md' else 'json'}"

    def save_commands(self) -> Path:
        """Every command of the runbook in order, in a text file for terminals that cannot copy.

        The commands are for cmd.exe, so every other line is a `REM` comment: pasted into a Command Prompt, a `#`
        line is an error. A command that still holds a `<blank>` to fill in is flagged, since cmd.exe reads `<`
        and `>` as redirection.
        """
        import re

        from wizard.core import render
        from wizard.core.files import write_atomic
        from wizard.core.model import Runbook
        from wizard.core.textsafe import clean as clean_text
        from wizard.tui.safe import clean

        session = self.session
        if session is None or not isinstance(session.node, Runbook):
            raise ValueError("there is no runbook to take commands from")

        def remark(text: str) -> str:
            # One line whatever the text holds; a trailing caret would join the next line to the comment.
            return f"REM {clean(text, one_line=True)}".rstrip("^ ")

        values = render.all_values(session)
        steps = render.runbook_steps(session)
        total = len({step["n"] for step in steps})
        lines = [
            remark(render.fill(session.node.title, values)),
            remark("Commands for cmd.exe (Command Prompt) unless a step says PowerShell; run each on the server its step names."),
            remark(f"Saved walk {session.id}. Lines starting with REM are comments."),
        ]
        for step in steps:
            if not step["commands"]:
                continue
            shell = f", in {render.shell_name(step['shell'])}" if step["shell"] else ""
            lines += ["", remark(f"Step {step['label']} of {total}, {render.place_phrase(step['runs_on'])}{shell}")]
            for command in step["commands"]:
                blanks = sorted(set(re.findall(r"<[^<>\r\n]{1,80}>", command)))
                if blanks:
                    lines.append(remark(f"Replace {', '.join(blanks)} in the next line before running it."))
                lines.append(command)
        path = self.exports_dir / f"{session.tree_id}-{session.id}-commands.txt"
        write_atomic(path, clean_text("\n".join(lines).rstrip() + "\n", lines=True), private=False)
        return path

    def copy_to_clipboard(self, text: str) -> None:
        """The system's clipboard tool first (conhost ignores OSC 52), then the terminal's OSC 52 as well."""
        from wizard.tui.clipboard import copy_native

        self.copied_with = copy_native(text)
        super().copy_to_clipboard(text)

    def on_command_block_copied(self) -> None:
        if self.copied_with:
            self.notify(f"On the clipboard (through {self.copied_with}).", title="Copied", markup=False)
            return
        hint = " If your terminal does not pass it on, press s on the runbook to save every command to a file."
        self.notify("Sent to the clipboard." + hint, title="Copied", markup=False)

    # ------------------------------------------------------------------ help

    def action_help(self) -> None:
        from wizard.tui.modals import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        keys: list[tuple[str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.system or binding.description in seen:
                continue
            seen.add(binding.description)
            keys.append((self.get_key_display(binding), binding.tooltip or binding.description))
        title = getattr(screen, "HELP_TITLE", "wizard")
        text = getattr(screen, "dialog_help", "") or getattr(screen, "HELP", "")
        self.push_screen(HelpScreen(title, text, keys))


def create_app(
    catalog: Catalog | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
    tree_dirs: Sequence[str | os.PathLike] = (),
    start_tree: str | None = None,
    evidence: Sequence[str | os.PathLike] = (),
    values: Mapping[str, str] | None = None,
    practice: Any = None,
    ticket: str = "",
    record: Path | None = None,
    trainee: str = "",
) -> WizardApp:
    """Build the app. Without a catalog the shipped trees (plus `tree_dirs` and $WIZARD_TREES) are read in the
    background once the home screen is up. With `start_tree` it opens that tree at once, and `evidence` is read
    for the whole walk; `values` are what the ticket already says (checked like typed ones by the command line)."""
    return WizardApp(
        catalog,
        data_dir=Path(data_dir) if data_dir is not None else None,
        tree_dirs=tree_dirs,
        start_tree=start_tree,
        evidence=evidence,
        values=values,
        practice=practice,
        ticket=ticket,
        record=record,
        trainee=trainee,
    )
