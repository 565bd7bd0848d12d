"""One question of the walk: what to find out, why it matters, how, and the answers as a keyboard list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import Collapsible, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core.model import Capture, Check, Question, choice_of
from wizard.core.render import fill
from wizard.core.wording import place_phrase
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


def evidence_note(session: Session, move) -> str:
    """What the evidence had to say about an answer, in words: confirmed, or overruled and what it proposed."""
    if move.proposed is None:
        return ""
    if not move.overridden:
        return "  (◆ proposed by the evidence)"
    tree = session.catalog.trees.get(move.tree)
    node = tree.nodes.get(move.node) if tree else None
    proposed = choice_of(node, move.proposed) if node is not None else None
    return f"  (⚑ the evidence proposed: {proposed.label if proposed else move.proposed})"


class WalkActions:
    """What every screen of a walk does with back, restart, the map and home; each screen binds its own keys."""

    def action_back(self) -> None:
        self.app.step_back()

    def action_restart(self) -> None:
        self.app.ask_restart()

    def action_map(self) -> None:
        self.app.show_map()

    def action_home(self) -> None:
        self.app.go_home()


class StepScreen(WalkActions, Screen):
    """Shows `app.session` at a question or check and turns the operator's pick into an answer."""

    BINDINGS = [
        Binding("f2", "map", "Map", id="map", tooltip="The whole tree, your path, and a jump back to any step"),
        Binding("f3", "evidence", "Evidence", id="evidence", tooltip="Scan a log, folder or pasted text for this step"),
        Binding("f4", "back", "Back", id="back", tooltip="Undo the last answer"),
        Binding("f5", "restart", "Restart", id="restart", show=False, tooltip="Start this walk over (asks first)"),
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
        with VerticalScroll(id="step-body"):
            yield Static(classes="last-answer", id="last")
            yield Static(classes="node-kind", id="kind")
            yield Static(id="prompt")
            with Collapsible(title="Why this matters (w)", collapsed=self.app.why_folded, id="why"):
                yield Static(id="why-text")
            yield Static(plain("How to find out", "bold underline"), classes="section", id="how-title")
            yield Static(id="how")
            yield Vertical(id="commands")
            yield Static(classes="evidence-hint", id="evidence-hint")
            with Collapsible(title="Background notes", collapsed=True, id="learn"):
                yield Static(id="learn-text")
        with Vertical(id="answer"):
            box = Input(validate_on=["changed", "submitted"], id="capture")
            box.cursor_blink = self.app.cursor_blink
            yield box
            yield Static(id="capture-msg")
            yield Static(id="capture-known")
            choices = OptionList(id="choices")
            choices.border_title = "Your answer"
            yield choices
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show(self.app.session)

    def show_session(self, session: Session) -> None:
        self._show(session)

    # ------------------------------------------------------------------ showing

    def _show(self, session: Session | None) -> None:
        """Put `session`'s step into the widgets already on screen; only commands are mounted anew."""
        if session is None or session.at_runbook:
            return
        was_check = isinstance(self.session.node, Check) if self.session is not None else None
        self.session = session
        self.pending_value = None
        node = session.node
        assert isinstance(node, (Question, Check))
        values = session.values
        self.sub_title = clean(session.tree.title, one_line=True)
        self.query_one(Breadcrumb).set_parts(breadcrumb_parts(session))
        self._show_last(session)
        self.query_one("#kind", Static).update(plain("⌕ evidence check" if isinstance(node, Check) else "? question", "dim"))
        self.query_one("#prompt", Static).update(plain(fill(node.prompt, values), "bold"))
        why = self.query_one("#why", Collapsible)
        why.display = bool(node.why)
        self.query_one("#why-text", Static).update(plain(fill(node.why, values)))
        self.query_one("#how", Static).update(plain(fill(node.how, values)))
        self._show_commands([fill(c, values) for c in node.commands])
        hint = self.query_one("#evidence-hint", Static)
        hint.display = isinstance(node, Check)
        if isinstance(node, Check):
            spec = node.evidence
            files = ", ".join(spec.files) if spec.files else spec.kind
            where = f" {place_phrase(fill(spec.where, values))}" if spec.where else ""
            hint.update(
                join(
                    ("⌕ The wizard can read this for you: ", "bold"),
                    f"{files}{where}. Press F3 or choose the first entry below, "
                    "then confirm or change the answer it proposes.",
                )
            )
        notes = [fill(n, values) for n in node.learn]
        learn = self.query_one("#learn", Collapsible)
        learn.display = bool(notes)
        learn.collapsed = True
        self.query_one("#learn-text", Static).update(Content("\n").join(plain(f"• {n}") for n in notes))
        self._show_answer(session, node)
        self.query_one("#step-body", VerticalScroll).scroll_home(animate=False)
        self._focus_answer()
        if was_check != isinstance(node, Check):
            self.refresh_bindings()

    def _show_last(self, session: Session) -> None:
        last_box = self.query_one("#last", Static)
        last = next((m for m in reversed(session.moves) if not m.is_link), None)
        last_box.display = last is not None
        if last is None:
            return
        tree = session.catalog.trees.get(last.tree)
        picked = choice_of(tree.nodes[last.node], last.choice) if tree and last.node in tree.nodes else None
        lines = [join(("✓ Answered: ", "bold"), last.label, evidence_note(session, last))]
        if picked is not None and picked.note:
            lines.append(join(("✎ Note: ", "bold"), fill(picked.note, session.values)))
        last_box.update(Content("\n").join(lines))

    def _show_commands(self, commands: list[str]) -> None:
        holder = self.query_one("#commands", Vertical)
        current = [block.command for block in holder.query(CommandBlock)]
        if current == [clean(c) for c in commands]:
            return
        holder.remove_children()
        if commands:
            holder.mount_all([CommandBlock(c) for c in commands])
        holder.display = bool(commands)

    def _show_answer(self, session: Session, node: Question | Check) -> None:
        capture = node.capture
        needed = session.needs_value()
        box = self.query_one("#capture", Input)
        message = self.query_one("#capture-msg", Static)
        known = self.query_one("#capture-known", Static)
        box.display = message.display = needed is not None
        known.display = capture is not None and needed is None
        if needed is not None:
            with self.prevent(Input.Changed):
                box.value = ""
            box.validators = [CaptureValidator(needed)]
            box.placeholder = f"for example {needed.example}" if needed.example else needed.label
            box.border_title = plain(needed.label, one_line=True)
            box.remove_class("-invalid")
            hint = "Type it and press Enter." + (" Then choose an answer below." if node.choices else "")
            message.update(plain(hint, "dim"))
            message.remove_class("invalid")
        elif capture is not None:
            known.update(
                join(("✓ ", "bold"), f"{capture.label}: ", (session.values[capture.name], "bold"), (" (already known)", "dim"))
            )
        choices = self.query_one("#choices", OptionList)
        choices.display = bool(node.choices)
        options: list[Option] = []
        if isinstance(node, Check):
            options.append(
                Option(join(("⌕ ", "bold"), ("Read the evidence", "bold"), " and let the wizard propose (F3)"), id=READ_EVIDENCE)
            )
        for number, choice in enumerate(node.choices, 1):
            options.append(Option(join((f"{number} ", "bold"), choice.label), id=choice.id))
        choices.set_options(options)

    def _focus_answer(self) -> None:
        box = self.query_one("#capture", Input)
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            choices.highlighted = 0
        if box.display:
            box.focus()
        elif choices.display:
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
