"""One question of the walk: what to find out, why it matters, how, and the answers as a keyboard list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Collapsible, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core.model import Capture, Check, Question, choice_of
from wizard.core.render import fill
from wizard.core.session import AnswerError, Session, validate_value
from wizard.tui.commands import PaletteCommand
from wizard.tui.safe import clean, join, plain
from wizard.tui.widgets import Breadcrumb, CommandBlock

READ_EVIDENCE = "read-evidence!"


class CaptureValidator(Validator):
    def __init__(self, capture: Capture) -> None:
        super().__init__()
        self.capture = capture

    def validate(self, value: str) -> ValidationResult:
        try:
            validate_value(self.capture, value)
        except AnswerError as exc:
            return self.failure(str(exc))
        return self.success()


def breadcrumb_parts(session: Session) -> list[str]:
    """The walk so far as short labels: the tree, each step answered, then where we are."""
    catalog = session.catalog
    start = catalog.trees.get(session.start_tree)
    parts = [start.title if start else session.start_tree]
    for move in session.moves:
        if move.is_link:
            continue
        tree = catalog.trees.get(move.tree)
        parts.append(tree.label(move.node) if tree and move.node in tree.nodes else move.node)
    if session.tree_id != session.start_tree:
        parts.append(f"↪ {session.tree.title}")
    parts.append(session.tree.label(session.node_id))
    return parts


def walk_commands(screen: Screen, session: Session | None) -> list[PaletteCommand]:
    """Palette entries every walk screen offers: back, restart, map, home, export and a jump to each step."""
    app = screen.app
    if session is None:
        return []
    commands = [
        PaletteCommand("Back one step", "Undo the last answer", app.step_back),
        PaletteCommand("Restart this walk", "Forget the answers and start from the first step", app.ask_restart),
        PaletteCommand("Tree map", "The whole tree, where you are and the path you took", app.show_map),
        PaletteCommand("Home", "Back to the list of diagnoses; this walk stays saved", app.go_home),
        PaletteCommand("Export as Markdown", "Write the walk so far to a .md file", lambda: screen.action_export("md")),
        PaletteCommand("Export as JSON", "Write the walk so far to a .json file", lambda: screen.action_export("json")),
    ]
    number = 0
    for index, move in enumerate(session.moves):
        if move.is_link:
            continue
        number += 1
        tree = session.catalog.trees.get(move.tree)
        label = tree.label(move.node) if tree and move.node in tree.nodes else move.node
        commands.append(
            PaletteCommand(
                f"Jump to step {number}: {label}",
                f"Answered: {move.label}. Going back there forgets this answer and the ones after it.",
                lambda i=index: app.jump_to(i),
            )
        )
    return commands


def open_export(screen: Screen, fmt: str) -> None:
    from wizard.tui.modals import ExportScreen

    def written(path) -> None:
        if path is not None:
            screen.app.notify(f"Wrote {path}", title="Exported", timeout=12, markup=False)
            shown = getattr(screen, "show_exported", None)
            if shown is not None:
                shown(path)

    screen.app.push_screen(ExportScreen(fmt), written)


class StepScreen(Screen):
    """Shows `app.session` at a question or check and turns the operator's pick into an answer."""

    BINDINGS = [
        Binding("f2", "map", "Map", id="map", tooltip="The whole tree, your path, and a jump back to any step"),
        Binding("f3", "evidence", "Evidence", id="evidence", tooltip="Scan a log, folder or pasted text for this step"),
        Binding("f4", "back", "Back", id="back", tooltip="Undo the last answer"),
        Binding("f5", "restart", "Restart", id="restart", tooltip="Start this walk over (asks first)"),
        Binding("escape", "home", "Home", id="home", tooltip="Back to the home screen; the walk stays saved"),
        Binding("m", "map", "Map", show=False),
        Binding("b", "back", "Back", show=False),
        Binding("r", "restart", "Restart", show=False),
        Binding("w", "toggle_why", "Fold why", show=False, id="fold-why"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
    ]
    HELP_TITLE = "A step of the walk"
    HELP = (
        "Read the question, find the answer where [b]How to find out[/] says, then pick it from the list at the "
        "bottom with the arrow keys and [b]Enter[/] (or press its number).\n\n"
        "[b]Why this matters[/] explains what the answer tells you; press [b]w[/] to fold it away or back.\n"
        "Commands are in boxes: Tab to one and press [b]c[/] to copy it.\n\n"
        "When the step asks you to type a value (a site code, a count), type it in the box and press Enter; "
        "a message under the box says what is wrong if it does not fit.\n\n"
        "A step marked [b]⌕ evidence[/] can read a log, folder or pasted text for you: press [b]F3[/], and the "
        "wizard proposes an answer that you confirm or change.\n\n"
        "[b]F4[/] (or [b]b[/]) undoes the last answer, [b]F5[/] ([b]r[/]) starts over, [b]F2[/] ([b]m[/]) shows the "
        "tree map, Escape goes home. The letters work when the cursor is not in a text box. "
        "Every answer is saved as you give it."
    )

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None
        self.pending_value: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Breadcrumb(id="crumbs")
        yield VerticalScroll(id="step-body")
        yield Vertical(id="answer")
        yield Footer()

    async def on_mount(self) -> None:
        await self._rebuild(self.app.session)

    def show_session(self, session: Session) -> None:
        self.call_next(self._rebuild, session)

    # ------------------------------------------------------------------ building

    async def _rebuild(self, session: Session | None) -> None:
        if session is None or session.at_runbook:
            return
        self.session = session
        self.pending_value = None
        node = session.node
        assert isinstance(node, (Question, Check))
        self.sub_title = clean(session.tree.title, one_line=True)
        self.query_one(Breadcrumb).set_parts(breadcrumb_parts(session))
        body = self.query_one("#step-body", VerticalScroll)
        answer = self.query_one("#answer", Vertical)
        async with self.batch():
            await body.remove_children()
            await answer.remove_children()
            await body.mount_all(self._body_widgets(session, node))
            await answer.mount_all(self._answer_widgets(session, node))
        body.scroll_home(animate=False)
        self._focus_answer()
        self.refresh_bindings()

    def _body_widgets(self, session: Session, node: Question | Check) -> list[Widget]:
        values = session.values
        widgets: list[Widget] = []
        last = next((m for m in reversed(session.moves) if not m.is_link), None)
        if last is not None:
            tree = session.catalog.trees.get(last.tree)
            picked = choice_of(tree.nodes[last.node], last.choice) if tree and last.node in tree.nodes else None
            lines = [join(("✓ Answered: ", "bold"), last.label)]
            if picked is not None and picked.note:
                lines.append(join(("✎ Note: ", "bold"), fill(picked.note, values)))
            widgets.append(Static(Content("\n").join(lines), classes="last-answer"))
        kind = "⌕ evidence check" if isinstance(node, Check) else "? question"
        widgets.append(Static(plain(kind, "dim"), classes="node-kind"))
        widgets.append(Static(plain(fill(node.prompt, values), "bold"), id="prompt"))
        if node.why:
            widgets.append(
                Collapsible(
                    Static(plain(fill(node.why, values))),
                    title="Why this matters (w)",
                    collapsed=getattr(self.app, "why_folded", False),
                    id="why",
                )
            )
        widgets.append(Static(plain("How to find out", "bold underline"), classes="section"))
        widgets.append(Static(plain(fill(node.how, values)), id="how"))
        for command in node.commands:
            widgets.append(CommandBlock(fill(command, values)))
        if isinstance(node, Check):
            spec = node.evidence
            files = ", ".join(spec.files) if spec.files else spec.kind
            where = f" on the {fill(spec.where, values)}" if spec.where else ""
            widgets.append(
                Static(
                    join(
                        ("⌕ The wizard can read this for you: ", "bold"),
                        f"{files}{where}. Press F3 or choose the first entry below, "
                        "then confirm or change the answer it proposes.",
                    ),
                    classes="evidence-hint",
                )
            )
        notes = [fill(n, values) for n in node.learn]
        if notes:
            widgets.append(
                Collapsible(
                    Static(Content("\n").join(plain(f"• {n}") for n in notes)),
                    title="Background notes",
                    collapsed=True,
                    id="learn",
                )
            )
        return widgets

    def _answer_widgets(self, session: Session, node: Question | Check) -> list[Widget]:
        widgets: list[Widget] = []
        capture = node.capture
        if capture is not None:
            if session.needs_value() is not None:
                box = Input(
                    placeholder=f"for example {capture.example}" if capture.example else capture.label,
                    validators=[CaptureValidator(capture)],
                    validate_on=["changed", "submitted"],
                    id="capture",
                )
                box.border_title = clean(capture.label, one_line=True)
                widgets.append(box)
                hint = "Type it and press Enter." + (" Then choose an answer below." if node.choices else "")
                widgets.append(Static(plain(hint, "dim"), id="capture-msg"))
            else:
                widgets.append(
                    Static(
                        join(("✓ ", "bold"), f"{capture.label}: ", (session.values[capture.name], "bold"), (" (already known)", "dim")),
                        id="capture-known",
                    )
                )
        if node.choices:
            options: list[Option] = []
            if isinstance(node, Check):
                options.append(
                    Option(join(("⌕ ", "bold"), ("Read the evidence", "bold"), " and let the wizard propose (F3)"), id=READ_EVIDENCE)
                )
            for number, choice in enumerate(node.choices, 1):
                options.append(Option(join((f"{number} ", "bold"), choice.label), id=choice.id))
            choices = OptionList(*options, id="choices")
            choices.border_title = "Your answer"
            widgets.append(choices)
        return widgets

    def _focus_answer(self) -> None:
        capture = self.query("#capture")
        if capture:
            capture.first().focus()
            return
        for choices in self.query("#choices").results(OptionList):
            choices.highlighted = 0
            choices.focus()

    # ------------------------------------------------------------------ answering

    def _message(self, text: str, *, bad: bool) -> None:
        for message in self.query("#capture-msg").results(Static):
            message.update(plain(("✗ " if bad else "✓ ") + text, "bold" if bad else ""))
            message.set_class(bad, "invalid")

    @on(Input.Changed, "#capture")
    def capture_changed(self, event: Input.Changed) -> None:
        self.pending_value = None
        if not event.value.strip():
            for message in self.query("#capture-msg").results(Static):
                message.update(plain("Type it and press Enter.", "dim"))
                message.remove_class("invalid")
            return
        result = event.validation_result
        if result is not None and not result.is_valid:
            self._message(result.failure_descriptions[0], bad=True)
        else:
            self._message("Looks right; press Enter.", bad=False)

    @on(Input.Submitted, "#capture")
    def capture_submitted(self, event: Input.Submitted) -> None:
        session = self.session
        if session is None:
            return
        node = session.node
        capture = node.capture
        assert capture is not None
        try:
            value = validate_value(capture, event.value)
        except AnswerError as exc:
            self._message(str(exc), bad=True)
            return
        if node.choices:
            self.pending_value = value
            self._message(f"{capture.label}: {value}. Now choose an answer below.", bad=False)
            self.query_one("#choices", OptionList).focus()
            return
        self._commit(session, None, value=value)

    @on(OptionList.OptionSelected, "#choices")
    def choice_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == READ_EVIDENCE:
            self.action_evidence()
        elif event.option.id:
            self.choose(event.option.id)

    def action_pick(self, number: int) -> None:
        session = self.session
        if session is None:
            return
        choices = session.node.choices
        if 1 <= number <= len(choices):
            self.choose(choices[number - 1].id)

    def _typed_value(self, capture: Capture) -> str:
        """The value typed for `capture`; raises AnswerError, after saying why under the box, when it does not fit."""
        if self.pending_value is not None:
            return self.pending_value
        boxes = self.query("#capture").results(Input)
        box = next(boxes, None)
        raw = box.value if box is not None else ""
        try:
            return validate_value(capture, raw)
        except AnswerError as exc:
            self._message(str(exc), bad=True)
            if box is not None:
                box.focus()
            raise

    def choose(
        self,
        choice_id: str,
        *,
        proposed: str | None = None,
        evidence: tuple = (),
        captures: dict[str, str] | None = None,
    ) -> None:
        session = self.session
        if session is None:
            return
        value = None
        capture = session.needs_value()
        if capture is not None and not (captures and capture.name in captures):
            try:
                value = self._typed_value(capture)
            except AnswerError:
                return
        self._commit(session, choice_id, value=value, proposed=proposed, evidence=evidence, captures=captures)

    def _commit(self, session: Session, choice_id: str | None, **kwargs) -> None:
        try:
            moved = session.answer(choice_id, **kwargs)
        except AnswerError as exc:
            self.notify(str(exc), title="That answer does not fit", severity="warning", markup=False)
            return
        self.app.commit(moved)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "evidence":
            return isinstance(self.session.node, Check) if self.session else False
        return True

    def action_evidence(self) -> None:
        from wizard.tui.evidence import EvidenceOutcome, EvidenceScreen

        session = self.session
        if session is None or not isinstance(session.node, Check):
            return

        def answered(outcome: EvidenceOutcome | None) -> None:
            if outcome is not None and self.session is session:
                self.choose(
                    outcome.choice,
                    proposed=outcome.proposed,
                    evidence=outcome.evidence,
                    captures=outcome.captures,
                )

        self.app.push_screen(EvidenceScreen(session), answered)

    def action_back(self) -> None:
        self.app.step_back()

    def action_restart(self) -> None:
        self.app.ask_restart()

    def action_map(self) -> None:
        self.app.show_map()

    def action_home(self) -> None:
        self.app.go_home()

    def action_export(self, fmt: str = "md") -> None:
        open_export(self, fmt)

    def action_toggle_why(self) -> None:
        for why in self.query("#why").results(Collapsible):
            why.collapsed = not why.collapsed
            self.app.why_folded = why.collapsed

    def palette_commands(self) -> list[PaletteCommand]:
        commands = []
        if self.session is not None and isinstance(self.session.node, Check):
            commands.append(PaletteCommand("Read the evidence", "Scan a log, folder or pasted text for this step", self.action_evidence))
        commands.append(PaletteCommand("Fold or unfold 'why'", "Hide or show why this question matters", self.action_toggle_why))
        return commands + walk_commands(self, self.session)
