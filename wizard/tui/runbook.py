"""The end of a walk: the diagnosis and numbered steps to fix it, ready to follow, copy and export."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core import render
from wizard.core.model import Runbook, choice_of
from wizard.core.session import Session
from wizard.tui.commands import PaletteCommand
from wizard.tui.safe import clean, join, plain
from wizard.tui.step import WalkActions, breadcrumb_parts, evidence_note, open_export, walk_commands
from wizard.tui.widgets import Breadcrumb, CommandBlock
from wizard.tui.typed import OnWizardApp


def label_line(mark: str, word: str, text: str) -> Content:
    """A marked line such as '⚠ CAUTION: …' that reads the same with or without colour."""
    return join((f"{mark} {word}: ", "bold"), text)


STEP_LINE_MARKS = {
    "console": ("▤", "Console", "step-console"),
    "wait": ("◷", "WAIT", "step-wait"),
    "wait_source": ("◷", "FROM", "step-wait"),
    "caution": ("⚠", "CAUTION", "caution"),
    "verify": ("✔", "VERIFY", "step-verify"),
    "undo": ("↶", "UNDO", "step-undo"),
    "irreversible": ("✖", "CANNOT BE UNDONE", "caution"),
}


class RunbookScreen(OnWizardApp, WalkActions, Screen):  # type: ignore[misc]  # see wizard.tui.typed
    """Shows `app.session` at a runbook."""

    BINDINGS = [
        Binding("e", "export('md')", "Export", id="export", tooltip="Write the runbook to a Markdown or JSON file"),
        Binding("s", "save_commands", "Save commands", id="save-commands", tooltip="All commands in one text file"),
        Binding("f2", "map", "Map", id="map", tooltip="The whole tree and your path"),
        Binding("f4", "back", "Back", id="back", tooltip="Undo the last answer"),
        Binding("f5", "restart", "Restart", id="restart", show=False, tooltip="Start this walk over (asks first)"),
        Binding("escape", "home", "Home", id="home", tooltip="Back to the home screen; the walk stays saved"),
        Binding("m", "map", "Map", show=False),
        Binding("b", "back", "Back", show=False),
        Binding("r", "restart", "Restart", show=False),
    ]
    HELP_TITLE = "The runbook"
    HELP = (
        "The walk ends here: what is wrong, and the steps to fix it, in order.\n\n"
        "Each step says **where it runs** (which server or console). Commands are in boxes: **Tab** to one "
        "and press **c** to copy it through the terminal. Terminals differ, so **s** also saves every "
        "command to a text file and tells you where.\n\n"
        "**⚠ CAUTION** marks what can hurt, **◷ WAIT** how long a step takes to show (**◷ FROM**: where that figure "
        "comes from), **✔ VERIFY** how to see it worked, **↶ UNDO** how to take a change back (**✖ CANNOT BE "
        "UNDONE** when it cannot). A step repeated for several servers shows once per server (3.1, 3.2). "
        "Values you typed or the evidence found are filled in; a computed wait shows its formula "
        "when a value it needs was never given.\n\n"
        "**e** exports the whole walk (Markdown for a ticket, or JSON) and shows the file it wrote. "
        "**F4** (**b**) goes back one answer, **F5** (**r**) starts over, **F2** (**m**) shows the tree map, "
        "Escape goes home."
    )

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None
        self.exported: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Breadcrumb(id="crumbs")
        yield VerticalScroll(id="runbook")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self._rebuild(self.app.session)

    def show_session(self, session: Session) -> None:
        self.call_next(self._rebuild, session)

    async def _rebuild(self, session: Session | None) -> None:
        if session is None or not session.at_runbook:
            return
        self.session = session
        self.sub_title = clean(session.tree.title, one_line=True)
        self.query_one(Breadcrumb).set_parts(breadcrumb_parts(session))
        body = self.query_one("#runbook", VerticalScroll)
        async with self.batch():
            await body.remove_children()
            await body.mount_all(self._widgets(session))
        body.scroll_home(animate=False)
        body.focus()

    def _widgets(self, session: Session) -> list[Widget]:
        node = session.node
        assert isinstance(node, Runbook)
        values = render.all_values(session)
        widgets: list[Widget] = [
            Static(plain("▣ runbook", "dim"), classes="node-kind"),
            Static(plain(render.fill(node.title, values), "bold"), id="rb-title"),
            Static(plain(render.fill(node.diagnosis, values)), id="rb-diagnosis"),
        ]
        data = render.runbook_dict(session)
        if data["confirm_first"]:
            lines = [plain("Confirm first: the diagnosis rests on these guesses and unknown answers", "bold")]
            for item in data["confirm_first"]:
                what = "you guessed" if item["kind"] == "guess" else "not known yet"
                lines.append(join("• ", item["prompt"], f" ({what}: ", (item["answer"], "bold"), "). How: ", item["how"]))
            widgets.append(Static(Content("\n").join(lines), id="rb-confirm", classes="caution"))
        unknown = data["unknown"]
        if unknown:
            lines = [plain("Values still unknown: find these before the steps that show them as <...>", "bold")]
            lines += [join("• ", (item["label"], "bold"), ": ", item["where"]) for item in unknown]
            widgets.append(Static(Content("\n").join(lines), id="rb-unknown", classes="caution"))
        if self.exported is not None:
            widgets.append(Static(label_line("✔", "EXPORTED", str(self.exported)), id="rb-exported"))
        for move in session.moves:
            if move.overridden:
                proposed = self._choice_label(session, move.tree, move.node, move.proposed or "")
                widgets.append(
                    Static(
                        label_line("⚑", "OVERRIDE", f"the evidence proposed '{proposed}', you chose '{move.label}'"),
                        classes="override",
                    )
                )
        computed = render.computed(session)
        if computed:
            lines = [plain("Expected waits and computed values", "bold underline")]
            for item in computed:
                if item.value is not None:
                    unit = f" {item.unit}" if item.unit else ""
                    lines.append(join("◷ ", item.label, ": ", (f"{item.value}{unit}", "bold")))
                else:
                    lines.append(join("◷ ", item.label, ": ", (item.formula, "italic"), " (a value it needs was not given)"))
            widgets.append(Static(Content("\n").join(lines), id="rb-computed"))
        steps = render.runbook_steps(session)
        total = len({step["n"] for step in steps})
        for step in steps:
            parts: list[Widget] = [Static(plain(step["do"]), classes="step-do")]
            for kind, text in render.step_lines(step):
                if kind == "shell":
                    title = f"step {step['label']} command"
                    if step["shell"]:
                        title += f" · {render.shell_name(step['shell'])}"
                    for command in step["commands"]:
                        parts.append(CommandBlock(command, title=title))
                else:
                    mark, word, classes = STEP_LINE_MARKS[kind]
                    parts.append(Static(label_line(mark, word, text), classes=classes))
            box = Vertical(*parts, classes="step")
            repeated = f" · for {step['item']}" if step["item"] else ""
            backup = " · backup" if step["backup"] else ""
            box.border_title = plain(
                f"Step {step['label']} of {total}{repeated} · runs on: {step['runs_on']}{backup}", one_line=True
            )
            widgets.append(box)
        if node.next:
            options = [
                Option(join(("↪ ", "bold"), (self._tree_title(n.tree), "bold"), "\n    ", render.fill(n.why, values)), id=n.tree)
                for n in node.next
                if n.tree in session.catalog
            ]
            if options:
                following = OptionList(*options, id="rb-next")
                following.border_title = "If this does not fix it, continue with (Enter starts, answers carry over)"
                widgets.append(following)
        if node.escalate:
            widgets.append(Static(label_line("⇪", "ESCALATE", render.fill(node.escalate, values)), id="rb-escalate"))
        notes = [render.fill(note, values) for note in node.learn]
        if notes:
            lines = [plain("Notes", "bold underline")] + [join("• ", note) for note in notes]
            widgets.append(Static(Content("\n").join(lines), id="rb-notes"))
        path = self._path_lines(session)
        if path:
            widgets.append(Static(Content("\n").join(path), id="rb-path"))
        return widgets

    @staticmethod
    def _choice_label(session: Session, tree_id: str, node_id: str, choice_id: str) -> str:
        tree = session.catalog.trees.get(tree_id)
        node = tree.nodes.get(node_id) if tree else None
        picked = choice_of(node, choice_id) if node is not None else None
        return picked.label if picked is not None else choice_id

    def _tree_title(self, tree_id: str) -> str:
        tree = self.app.catalog.trees.get(tree_id)
        return tree.title if tree else tree_id

    def _path_lines(self, session: Session) -> list[Content]:
        lines = [plain("How you got here", "bold underline")]
        number = 0
        for move in session.moves:
            if move.is_link:
                lines.append(plain(f"   ↪ continued in {self._tree_title(move.label.removeprefix('continue in '))}"))
                continue
            number += 1
            tree = session.catalog.trees.get(move.tree)
            label = tree.label(move.node) if tree and move.node in tree.nodes else move.node
            lines.append(join(f"{number:>3}. ", label, ": ", (move.label, "bold"), evidence_note(session, move)))
        return lines if number else []

    # ------------------------------------------------------------------ actions

    @on(OptionList.OptionSelected, "#rb-next")
    def next_tree(self, event: OptionList.OptionSelected) -> None:
        if self.session is not None and event.option.id:
            self.app.begin(event.option.id, None, dict(render.all_values(self.session)))

    def action_export(self, fmt: str = "md") -> None:
        open_export(self, fmt)

    def show_exported(self, path: Path) -> None:
        self.exported = path
        if self.session is not None:
            self.call_next(self._rebuild, self.session)

    def action_save_commands(self) -> None:
        try:
            path = self.app.save_commands()
        except (OSError, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.notify(f"Saved every command to {path}", title="Commands saved", timeout=12, markup=False)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("Save all commands to a file", "For terminals that cannot copy", self.action_save_commands),
        ] + walk_commands(self, self.session)
