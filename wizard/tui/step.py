"""One question of the walk: what to find out, why it matters, how, and the answers as a keyboard list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import Collapsible, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core.flow import Pending
from wizard.core.model import Capture, Check, Question, choice_of
from wizard.core.render import all_values, fill
from wizard.core.wording import place_phrase
from wizard.core.session import AnswerError, Session, file_notes, validate_value
from wizard.tui.commands import PaletteCommand
from wizard.tui.safe import clean, join, plain, shorten
from wizard.tui.typed import OnWizardApp
from wizard.tui.widgets import Breadcrumb, CommandBlock

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp

READ_EVIDENCE = "read-evidence!"
NOT_SURE = "not-sure!"
"""The answer list's "I don't know yet": the next pick is kept as a guess, to be confirmed first in the runbook."""
SHOWN_LINES = 2
"""Evidence lines shown under a check's proposal; F3 lists them all."""


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
    app = cast("WizardApp", screen.app)
    export = cast("StepScreen", screen).action_export
    if session is None:
        return []
    commands = [
        PaletteCommand("Back one step", "Undo the last answer", app.step_back),
        PaletteCommand("Restart this walk", "Forget the answers and start from the first step", app.ask_restart),
        PaletteCommand("Tree map", "The whole tree, where you are and the path you took", app.show_map),
        PaletteCommand("Home", "Back to the list of diagnoses; this walk stays saved", app.go_home),
        PaletteCommand("Export as Markdown", "Write the walk so far to a .md file", lambda: export("md")),
        PaletteCommand("Export as JSON", "Write the walk so far to a .json file", lambda: export("json")),
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
                lambda i=index: app.jump_to(i),  # type: ignore[misc]  # the default binds this step's index
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


def citation_place(citation) -> str:
    """Where a cited line is, as file:line (a file found in a folder has no line)."""
    name = citation.file.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name}:{citation.line}" if citation.line else name


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
    if TYPE_CHECKING:

        @property
        def app(self) -> WizardApp: ...
    """What every screen of a walk does with back, restart, the map and home; each screen binds its own keys."""

    def action_back(self) -> None:
        self.app.step_back()

    def action_restart(self) -> None:
        self.app.ask_restart()

    def action_map(self) -> None:
        self.app.show_map()

    def action_home(self) -> None:
        self.app.go_home()


class StepScreen(OnWizardApp, WalkActions, Screen):  # type: ignore[misc]  # see wizard.tui.typed
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
        Binding("pagedown", "scroll_body(1)", "More", id="more", priority=True,
                tooltip="Scroll the question, how to find out and its commands"),
        Binding("pageup", "scroll_body(-1)", "Back up", show=False, priority=True),
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
        self.step: Pending | None = None
        self.guessing = False
        """Set by "I don't know yet" (or a value ending in ?): the next answer is kept as a guess."""
        self.shown_book: object = None
        self.pending_value: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Breadcrumb(id="crumbs")
        with VerticalScroll(id="step-body"):
            yield Static(classes="last-answer", id="last")
            yield Static(classes="node-kind", id="kind")
            yield Static(id="prompt")
            yield Static(classes="evidence-hint", id="evidence-hint")
            with Collapsible(title="Why this matters (w)", collapsed=self.app.why_folded, id="why"):
                yield Static(id="why-text")
            yield Static(plain("How to find out", "bold underline"), classes="section", id="how-title")
            yield Static(id="how")
            yield Vertical(id="commands")
            with Collapsible(title="Background notes", collapsed=True, id="learn"):
                yield Static(id="learn-text")
        yield Static(id="more")
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
        self.watch(self.query_one("#step-body", VerticalScroll), "scroll_y", lambda _y: self._show_more(), init=False)
        self._show(self.app.session)

    def on_screen_resume(self) -> None:
        """Back from the evidence screen or a dialog: draw again if the walk or its evidence changed meanwhile."""
        if self.step is not None and (self.app.session is not self.session or self.app.book is not self.shown_book):
            self._show(self.app.session)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_more)

    def show_session(self, session: Session) -> None:
        self._show(session)

    # ------------------------------------------------------------------ showing

    def _show(self, session: Session | None) -> None:
        """Draw what the core says comes next at `session`; only commands are mounted anew."""
        from wizard.core.flow import pending

        if session is None or session.at_runbook:
            return
        was_check = isinstance(self.session.node, Check) if self.session is not None else None
        if session is not self.session:
            self.guessing = False
        self.session = session
        self.pending_value = None
        step = pending(session, self.app.book)
        self.step = step
        self.shown_book = self.app.book
        node = session.node
        assert isinstance(node, (Question, Check))
        values = all_values(session)
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
            hint.update(self._evidence_text(step, node))
        notes = [fill(n, values) for n in node.learn]
        learn = self.query_one("#learn", Collapsible)
        learn.display = bool(notes)
        learn.collapsed = True
        self.query_one("#learn-text", Static).update(Content("\n").join(plain(f"• {n}") for n in notes))
        self._show_answer(step)
        self.query_one("#step-body", VerticalScroll).scroll_home(animate=False)
        self._focus_answer(step)
        self.call_after_refresh(self._show_more)
        if was_check != isinstance(node, Check):
            self.refresh_bindings()

    def _evidence_text(self, step: Pending, node: Check) -> Content:
        """What the evidence says at this check: its proposal and the lines behind it, or what to give it."""
        values = step.session.values
        spec = node.evidence
        files = ", ".join(spec.files) if spec.files else spec.kind
        where = f" {place_phrase(fill(spec.where, values))}" if spec.where else ""
        reading = step.reading
        if reading is not None and reading.proposal is not None:
            proposal = reading.proposal
            label = next((c.label for c in node.choices if c.id == proposal.choice), proposal.choice)
            lines = [join(("◆ The evidence you gave proposes: ", "bold"), (label, "bold"))]
            if proposal.contested:
                lines.append(plain(
                    f"  ⚖ Contested: the evidence points two ways; the rule ({proposal.rule}) picked this one. "
                    "F3 shows both sides: check them before you confirm.", "bold"))
            elif proposal.other_side or proposal.not_about:
                lines.append(plain(
                    f"  {len(proposal.other_side)} line(s) point elsewhere and {len(proposal.not_about)} are about "
                    "something else; F3 lists them.", "dim"))
            means = next((sig.means for sig in node.signatures if sig.id == proposal.signature), "")
            if means:
                lines.append(join("  because: ", fill(means, {**values, **proposal.captures})))
            elif not proposal.hits:
                lines.append(plain(f"  because: {files} was read and none of this step's signatures matched"))
            book = self.app.book
            for hit in proposal.hits[:SHOWN_LINES]:
                if hit.line:  # a line of a log or export
                    name = book.short_name(hit.file) if book is not None else hit.file
                    at, text = f"{name}:{hit.line}", shorten(clean(hit.text, one_line=True), 110)
                else:  # a file found in a folder, a zip or a listing
                    at, text = "file", book.short_name(hit.text) if book is not None else hit.text
                lines.append(join(("  ▸ ", "bold"), (clean(at, one_line=True), "bold"), " ", clean(text, one_line=True)))
            more = len(proposal.hits) - SHOWN_LINES
            if more > 0:
                lines.append(plain(f"  …and {more} more line{'s' if more != 1 else ''} (F3 shows them all)", "dim"))
            lines.append(plain("Enter confirms the proposal; choose another answer to overrule it.", "dim"))
            return Content("\n").join(lines)
        if self.app.book_loading:
            return join(("⌕ Reading the evidence you gave… ", "bold"), "the proposal appears here when it is done.")
        if self.app.book is not None and not self.app.book.empty:
            lines = [join(
                ("⌕ The evidence you gave has nothing for this step. ", "bold"),
                f"It reads {files}{where}. Answer from what you see, or press F3 to read more evidence.",
            )]
            book = self.app.book
            for note in (reading.files if reading is not None else ())[:SHOWN_LINES]:
                name = clean(book.short_name(note.file), one_line=True)
                lines.append(plain(f"  · {name}: {clean(note.why, one_line=True)}", "dim"))
            return Content("\n").join(lines)
        return join(
            ("⌕ The wizard can read this for you: ", "bold"),
            f"{files}{where}. Press F3 or choose the first entry below, "
            "then confirm or change the answer it proposes.",
        )

    def _show_more(self) -> None:
        """Say when the text above the answers runs past the screen, and which keys scroll it."""
        body = self.query_one("#step-body", VerticalScroll)
        more = self.query_one("#more", Static)
        below, above = body.scroll_y < body.max_scroll_y - 0.5, body.scroll_y > 0.5
        more.display = below or above
        if below:
            more.update(plain("▼ More of this step below: PgDn scrolls it (PgUp goes back)", "dim"))
        elif above:
            more.update(plain("▲ PgUp scrolls back to the question", "dim"))

    def _show_last(self, session: Session) -> None:
        """The operator's last answer, and the steps the wizard took by itself after it, with where from."""
        last_box = self.query_one("#last", Static)
        tail: list = []
        last = None
        for move in reversed(session.moves):
            if move.by_operator:
                last = move
                break
            if move.auto:
                tail.insert(0, move)
        last_box.display = last is not None or bool(tail)
        lines = []
        if last is not None:
            tree = session.catalog.trees.get(last.tree)
            picked = choice_of(tree.nodes[last.node], last.choice) if tree and last.node in tree.nodes else None
            lines.append(join(("✓ Answered: ", "bold"), fill(last.label, all_values(session)), evidence_note(session, last)))
            if picked is not None and picked.note:
                lines.append(join(("✎ Note: ", "bold"), fill(picked.note, session.values)))
        for move in tail:
            source = f"the evidence, {citation_place(move.evidence[0])}" if move.evidence else "an earlier answer"
            lines.append(join(("✓ Not asked, already known: ", "bold"), move.label, (f"  (from {source})", "dim")))
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

    def _show_answer(self, step: Pending) -> None:
        session = step.session
        node = session.node
        assert isinstance(node, (Question, Check))
        values = all_values(session)
        needed = step.capture
        box = self.query_one("#capture", Input)
        message = self.query_one("#capture-msg", Static)
        known = self.query_one("#capture-known", Static)
        box.display = message.display = needed is not None
        known.display = bool(step.known)
        if needed is not None:
            with self.prevent(Input.Changed):
                box.value = step.prefill
            box.validators = [CaptureValidator(needed)]
            box.placeholder = f"for example {needed.example}" if needed.example else needed.label
            box.border_title = plain(needed.label, one_line=True)
            box.remove_class("-invalid")
            then = " Then choose an answer below." if node.choices else ""
            if step.prefill:
                hint = f"Filled in from {step.prefill_source}. Enter keeps it, or type another.{then}"
            else:
                hint = "Type it and press Enter. Not sure? End it with ? for a guess" + (
                    "." if node.choices else ", or type ? alone if you don't know yet."
                ) + then
            message.update(plain(hint, "dim"))
            message.remove_class("invalid")
        for label, value in step.known:
            known.update(join(("✓ ", "bold"), f"{label}: ", (value, "bold"), (" (already known)", "dim")))
        choices = self.query_one("#choices", OptionList)
        choices.display = bool(node.choices)
        options: list[Option] = []
        if isinstance(node, Check):
            word = "Read more evidence" if step.reading is not None or self.app.book else "Read the evidence"
            options.append(Option(join(("⌕ ", "bold"), (word, "bold"), " and let the wizard propose (F3)"), id=READ_EVIDENCE))
        for number, choice in enumerate(node.choices, 1):
            marker = join(("  ◆ proposed by the evidence", "bold")) if choice.id == step.preselect else Content("")
            options.append(Option(join((f"{number} ", "bold"), fill(choice.label, values), marker), id=choice.id))
        if node.choices and not self.guessing:
            options.append(Option(join(("? ", "bold"), "I don't know yet: pick the likeliest answer as a guess"), id=NOT_SURE))
        choices.set_options(options)
        if self.guessing:
            choices.border_title = "Your guess: the runbook will ask you to confirm it first"
        else:
            choices.border_title = "Your answer (Enter confirms the proposal)" if step.preselect else "Your answer"

    def _focus_answer(self, step: Pending) -> None:
        """The cursor starts on the evidence's proposal; at a check with nothing to read, on reading evidence."""
        box = self.query_one("#capture", Input)
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
            if step.preselect in ids:
                choices.highlighted = ids.index(step.preselect)
            elif ids[0] == READ_EVIDENCE and self.app.book is not None and len(ids) > 1:
                choices.highlighted = 1
            else:
                choices.highlighted = 0
        if box.display:
            box.focus()
            if step.prefill:
                box.select_all()
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
        assert isinstance(node, (Question, Check)) and node.capture is not None
        capture = node.capture
        typed = event.value.strip()
        if typed == "?" and not node.choices:
            self._commit(session, None, unknown=True)
            return
        if typed.endswith("?"):
            self.guessing, typed = True, typed[:-1]
        try:
            value = validate_value(capture, typed)
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
        elif event.option.id == NOT_SURE:
            self.guessing = True
            if self.step is not None:
                self._show_answer(self.step)
                self.query_one("#choices", OptionList).highlighted = 0
        elif event.option.id:
            self.choose(event.option.id)

    def action_pick(self, number: int) -> None:
        session = self.session
        if session is None:
            return
        choices = getattr(session.node, "choices", ())
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
        contested: bool = False,
        files: tuple = (),
    ) -> None:
        """Answer with a choice; at a check the evidence read for the whole walk is recorded with it."""
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
        reading = self.step.reading if self.step is not None and self.step.session is session else None
        if proposed is None and not evidence and reading is not None and reading.proposal is not None:
            proposed, evidence, captures = reading.proposal.choice or None, reading.citations, reading.captures
            contested, files = reading.contested, file_notes(reading.proposal)
        self._commit(
            session,
            choice_id,
            value=value,
            proposed=proposed,
            evidence=evidence,
            captures=captures,
            contested=contested,
            files=files,
        )

    def _commit(self, session: Session, choice_id: str | None, **kwargs: Any) -> None:
        if self.guessing and not kwargs.get("unknown"):
            kwargs["guess"] = True
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
                    contested=outcome.contested,
                    files=outcome.files,
                )

        self.app.push_screen(EvidenceScreen(session), answered)

    def action_export(self, fmt: str = "md") -> None:
        open_export(self, fmt)

    def action_scroll_body(self, direction: int) -> None:
        body = self.query_one("#step-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)
        self.call_after_refresh(self._show_more)

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
