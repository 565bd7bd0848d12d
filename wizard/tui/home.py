"""The first screen: say what is wrong, pick a diagnosis, carry on a saved walk, or scan evidence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.tui.commands import PaletteCommand
from wizard.tui.safe import clean, join, plain, shorten
from wizard.tui.typed import OnWizardApp
from wizard.tui.widgets import Hanging

if TYPE_CHECKING:
    from textual.timer import Timer

    from wizard.core.session import SessionInfo

RECENT_SESSIONS = 3
TOP_MATCHES = 6
TRIAGE_PAUSE = 0.3
"""Seconds of quiet in the triage box before the diagnoses are ranked again; Enter ranks at once."""
INLINE_RANK_CHARS = 2000
"""Longer text (a pasted ticket) is ranked in a worker thread, so the screen keeps answering keys meanwhile."""


def is_finished(info: SessionInfo, catalog) -> bool:
    """A saved walk that reached its runbook: there is nothing left to answer, only the runbook to read again."""
    tree = catalog.trees.get(info.tree)
    return tree is not None and info.node in tree.nodes and tree.nodes[info.node].kind == "runbook"


def describe_saved(info: SessionInfo, catalog) -> Content:
    """One line for a saved walk: which tree, where it stands (or that it is finished), how many answers, when."""
    if not info.readable:
        return join(("✗ ", "bold"), ("Unreadable saved walk", "bold"), "\n    ", (info.problem, "italic"))
    tree = catalog.trees.get(info.tree)
    start = catalog.trees.get(info.start_tree)
    title = start.title if start else info.start_tree
    finished = is_finished(info, catalog)
    where = info.node
    if tree is not None and info.node in tree.nodes:
        where = ("runbook: " if finished else "at: ") + tree.label(info.node)
    return join(
        ("✔ " if finished else "↻ ", "bold"),
        (title, "bold"),
        "\n    ",
        ("finished · " if finished else "", "bold"),
        (shorten(clean(where), 120), "italic"),
        (f" · {info.steps} answer{'s' if info.steps != 1 else ''} · {friendly_time(info.updated)}", "dim"),
    )


def friendly_time(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return clean(stamp, one_line=True)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def heading(text: str) -> Option:
    return Option(Content(text).stylize("bold underline"), disabled=True)


class HomeScreen(OnWizardApp, Screen):  # type: ignore[misc]  # see wizard.tui.typed
    """Triage box above one keyboard list of everything that can be started from here."""

    BINDINGS = [
        Binding("f2", "resume", "Resume", id="resume", tooltip="List every saved walk and carry one on"),
        Binding("f3", "scan", "Scan evidence", id="scan", tooltip="Scan a log, folder or .zip for known problems"),
        Binding("down", "to_list", "To the list", show=False, id="to-list"),
        Binding("escape", "clear", "Clear the box", show=False, id="clear"),
    ]
    HELP_TITLE = "Home"
    HELP = (
        "Start here when a ticket comes in.\n\n"
        "**Type what is wrong** in the box at the top: the caller's words (\"site shows pending\"), a line pasted "
        "from a log, an event ID or a status-message ID. The list below ranks the diagnoses as you type; "
        "**Enter** opens the best match, **Down** moves into the list.\n\n"
        "The list also holds the walks you did not finish (**F2** shows them all), a way to **scan evidence** "
        "(**F3**) when you have a log or a folder but no idea yet, and every diagnosis grouped by product.\n\n"
        "Every answer you give is saved at once, so you can quit at any time and resume later."
    )

    def __init__(self) -> None:
        super().__init__()
        self._left_for_dialog = False
        self._finished: set[str] = set()
        self._ranked: tuple[str, object, list] | None = None
        self._rank_timer: Timer | None = None
        self._shown: str | None = ""
        """The triage text whose ranking the list shows (None while it is being worked out)."""

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        box = Input(placeholder="What is wrong? Symptoms, a log line, an event or status ID…", id="triage")
        box.cursor_blink = self.app.cursor_blink
        yield box
        yield OptionList(id="home-list")
        yield Static(id="home-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#triage", Input).border_title = "Describe the problem"
        self.refresh_lists()
        self.query_one("#triage", Input).focus()

    def on_screen_suspend(self) -> None:
        self._left_for_dialog = isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        """Back from a walk or a scan, the cursor waits in the triage box for the next ticket, the last ticket's
        words selected so typing replaces them; a closed dialog (help, the resume list) leaves the focus alone."""
        self.refresh_lists()
        if not self._left_for_dialog:
            box = self.query_one("#triage", Input)
            box.focus()
            box.select_all()

    # ------------------------------------------------------------------ lists

    def refresh_lists(self) -> None:
        query = self.query_one("#triage", Input).value
        text = query.strip()
        if text and self._ranked_matches(text) is None:
            if len(text) <= INLINE_RANK_CHARS:
                self._rank_now(text)
            else:
                self._rank_in_worker(text)
        options = self._options(query)
        self._shown = text if not text or self._ranked_matches(text) is not None else None
        box = self.query_one("#home-list", OptionList)
        box.set_options(options)
        box.border_title = "Best matches" if query.strip() else "Diagnoses"
        first = next((i for i, opt in enumerate(options) if not opt.disabled), None)
        box.highlighted = first
        self._describe(options[first] if first is not None else None)

    def _options(self, query: str) -> list[Option]:
        catalog = self.app.catalog
        options: list[Option] = []
        text = query.strip()
        if text:
            matches = self._ranked_matches(text)
            options += self._matches(matches) if matches is not None else [heading("Ranking the diagnoses…")]
        elif getattr(self.app, "catalog_ready", True):
            from wizard.core.session import list_sessions

            saved = list_sessions(self.app.data_dir)
            self._finished = {f"resume:{info.path}" for info in saved if is_finished(info, catalog)}
            if saved:
                options.append(heading("Carry on where you stopped"))
                for info in saved[:RECENT_SESSIONS]:
                    options.append(
                        Option(Hanging(describe_saved(info, catalog)), id=f"resume:{info.path}", disabled=not info.readable)
                    )
                if len(saved) > RECENT_SESSIONS:
                    options.append(Option(Content(f"  … all {len(saved)} saved walks (F2)"), id="action:resume"))
        options.append(heading("Start from evidence"))
        options.append(
            Option(join(("⌕ Scan evidence", "bold"), ": a log, folder or .zip points to a diagnosis (F3)"), id="action:scan")
        )
        if not getattr(self.app, "catalog_ready", True):
            options.append(heading("Reading the diagnoses…"))
            return options
        for product, trees in catalog.by_product().items():
            options.append(heading(clean(product, one_line=True)))
            for tree in trees:
                options.append(Option(Hanging(join("  ", (tree.title, "bold"))), id=f"tree:{tree.id}"))
        if not len(catalog):
            options.append(heading("No trees are installed"))
        return options

    # ------------------------------------------------------------------ ranking

    def _ranked_matches(self, text: str) -> list | None:
        """The ranking of `text` against the trees loaded now, if it has been worked out."""
        ranked = self._ranked
        if ranked is not None and ranked[0] == text and ranked[1] is self.app.catalog:
            return ranked[2]
        return None

    def _rank_now(self, text: str) -> None:
        from wizard.core.triage import rank

        catalog = self.app.catalog
        self._ranked = (text, catalog, rank(text, list(catalog))[:TOP_MATCHES])

    @work(thread=True, exclusive=True, group="triage", exit_on_error=False)
    def _rank_in_worker(self, text: str) -> None:
        from textual.worker import get_current_worker

        from wizard.core.triage import rank

        catalog = self.app.catalog
        matches = rank(text, list(catalog))[:TOP_MATCHES]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._ranked_in_worker, text, catalog, matches)

    def _ranked_in_worker(self, text: str, catalog, matches: list) -> None:
        self._ranked = (text, catalog, matches)
        if self.query_one("#triage", Input).value.strip() == text:
            self.refresh_lists()

    def _matches(self, matches: list) -> list[Option]:
        catalog = self.app.catalog
        if not matches:
            return [heading("No diagnosis matches those words; try others, or pick one below")]
        room = 2 * max(self.app.size.width - 16, 30)
        options = [heading(f"Best matches for what you typed ({len(matches)})")]
        for match in matches:
            tree = catalog.trees.get(match.tree)
            if tree is None:
                continue
            options.append(
                Option(
                    Hanging(
                        join(("▸ ", "bold"), (tree.title, "bold"), "\n    ", (shorten(clean(match.why), room), "italic"))
                    ),
                    id=f"match:{match.tree}:{match.node}",
                )
            )
        return options

    def _describe(self, option: Option | None) -> None:
        detail = self.query_one("#home-detail", Static)
        if option is None or option.id is None:
            detail.update("")
            return
        kind, _, rest = option.id.partition(":")
        catalog = self.app.catalog
        if kind in ("tree", "match"):
            tree_id = rest.split(":", 1)[0]
            tree = catalog.trees.get(tree_id)
            if tree is not None:
                room = max(self.app.size.width - 6, 30) * 2
                detail.update(join((tree.product, "dim"), "\n", shorten(clean(tree.summary), room)))
                return
        if kind == "resume":
            if option.id in self._finished:
                text = "This walk is finished: Enter opens its runbook again."
            else:
                text = "Enter carries this walk on from the step where it stopped."
            detail.update(plain(text + " F2 lists every saved walk; d deletes one there."))
            return
        if kind == "action" and rest == "scan":
            detail.update(
                plain("Point the wizard at a log, a copied folder, a .zip bundle or pasted text, and see which known problems it holds.")
            )
            return
        if kind == "action" and rest == "resume":
            detail.update(plain("Every walk saved on this machine, newest first."))
            return
        detail.update("")

    # ------------------------------------------------------------------ events

    @on(Input.Changed, "#triage")
    def typed(self, event: Input.Changed) -> None:
        """Rank once typing pauses, not at every key: a long ticket takes a while to rank. An emptied box shows
        the full list at once."""
        if self._rank_timer is not None:
            self._rank_timer.stop()
            self._rank_timer = None
        if not event.value.strip():
            self.refresh_lists()
        else:
            self._rank_timer = self.set_timer(TRIAGE_PAUSE, self._pause_in_typing)

    def _pause_in_typing(self) -> None:
        self._rank_timer = None
        self.refresh_lists()

    @on(Input.Submitted, "#triage")
    def submitted(self) -> None:
        """Enter opens the best match for what is in the box now, ranking it first if typing has not paused yet."""
        if self._rank_timer is not None:
            self._rank_timer.stop()
            self._rank_timer = None
        text = self.query_one("#triage", Input).value.strip()
        if text and self._ranked_matches(text) is None:
            self._rank_now(text)
        if self._shown != text:
            self.refresh_lists()
        box = self.query_one("#home-list", OptionList)
        if box.highlighted is not None:
            self._open(box.get_option_at_index(box.highlighted))

    @on(OptionList.OptionHighlighted, "#home-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option)

    @on(OptionList.OptionSelected, "#home-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option)

    def _open(self, option: Option) -> None:
        if option.disabled or option.id is None:
            return
        kind, _, rest = option.id.partition(":")
        app = self.app
        if kind == "tree":
            app.begin(rest)
        elif kind == "match":
            tree_id, _, node_id = rest.partition(":")
            app.begin(tree_id, node_id or None)
        elif kind == "resume":
            app.resume(Path(rest))
        elif rest == "scan":
            app.show_scan()
        elif rest == "resume":
            app.show_resume_list()

    def action_to_list(self) -> None:
        self.query_one("#home-list", OptionList).focus()

    def action_clear(self) -> None:
        box = self.query_one("#triage", Input)
        box.value = ""
        box.focus()

    def action_resume(self) -> None:
        self.app.show_resume_list()

    def action_scan(self) -> None:
        self.app.show_scan()

    def palette_commands(self) -> list[PaletteCommand]:
        commands = [
            PaletteCommand("Resume a saved walk", "Every walk saved on this machine, newest first", self.action_resume),
            PaletteCommand("Scan evidence", "Which known problems a log, folder or .zip holds", self.action_scan),
        ]
        from wizard.core.cases import case_files

        for path in case_files():
            name = f"{path.parent.parent.name}/{path.parent.name}"
            commands.append(
                PaletteCommand(
                    f"Practise the case {name}",
                    "A ticket with its evidence: each answer is set beside the expert's, the score comes at the end",
                    lambda p=path: self.app.start_practice(p),  # type: ignore[misc]  # binds this case's path
                )
            )
        return commands
