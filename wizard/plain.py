"""Plain mode: the walk as numbered prompts on plain lines, for screen readers, dumb terminals and slow links.

`wizard walk TREE --interactive` lands here. Nothing is drawn: each step is printed once as wrapped lines and the
operator answers on a line of their own. What comes next is decided by `wizard.core.flow` (`settle`, `pending`,
`answer_with_evidence`), exactly as for the full-screen wizard and `wizard walk`, so the three cannot disagree.

Every string that came from a tree, a file or the operator passes the core's text cleaner before it is printed,
so no escape sequence reaches the terminal; this module prints no colour and moves no cursor either. A stdout that
cannot encode a character (cp1252 on Windows) gets a backslash escape for it instead of an error.
"""

from __future__ import annotations

import io
import json
import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from wizard.core.catalog import Catalog
from wizard.core.evidence.text import clean, has_control_characters
from wizard.core.flow import EvidenceBook, Given, Pending, answer_with_evidence, pending, read_book, settle
from wizard.core.model import Check, Link, Question, choice_of
from wizard.core.placeholders import fill
from wizard.core.render import all_values
from wizard.core.session import AnswerError, Move, Session, save, validate_value, write_atomic
from wizard.core.wording import place_phrase

EXIT_OK = 0
EXIT_QUESTION = 3
"""Left before the runbook (quit or end of input): the walk is saved, like `wizard walk` stopping at a question."""
EXIT_INTERRUPTED = 130

DEFAULT_WIDTH = 80
MIN_WIDTH = 30
DEFAULT_HEIGHT = 24
"""Rows assumed on screen when $LINES does not say: a question pushed above them is said again at its prompt."""
SHOWN_LINES = 3
"""Evidence lines printed under a check's proposal; the export keeps them all."""

HELP_TITLE = "Commands (type one at any prompt, then press Enter):"
HELP = (
    ("1, 2, 3 ...", "choose that answer; Enter alone takes the answer marked 'Enter takes it'"),
    ("~2, ~VALUE, ~", "I don't know yet: the answer or value after ~ is kept as a guess (confirmed first in the "
     "runbook); ~ alone at a value leaves it unknown"),
    ("b", "back: undo your last answer"),
    ("r", "restart the walk from the first step (asks first)"),
    ("e PATH", "read evidence (a log, a folder, an event export or a .zip) for this check and every later one"),
    ("x md|json [FILE]", "export the walk so far as Markdown or JSON (asks before overwriting a file)"),
    ("p", "print this step (or the runbook) again"),
    ("? or h", "this help"),
    ("q", "quit; the walk is saved and can be resumed in the full-screen wizard"),
)
HELP_NOTES = (
    "At a value prompt, a value that looks like a command is typed with = in front of it (=b types the value b).",
    "Commands printed by a step are indented and never wrapped, so they can be copied whole.",
)


GUESS_MARK = "~"
"""Typed before an answer or a value: a guess, kept as such and confirmed first in the runbook; alone at a question
that only asks for a value: not known yet."""
NOT_KNOWN = "\x00not known yet"

class EndOfInput(Exception):
    """Standard input ended (Ctrl+D, or the end of a piped file)."""


class Quit(Exception):
    """The operator typed q."""


def terminal_width(environ: Mapping[str, str] | None = None, stream: object = None) -> int:
    """$COLUMNS when it is a sensible number, else 80 (or less, on a terminal narrower than that)."""
    return _size(environ, "COLUMNS", DEFAULT_WIDTH, MIN_WIDTH, _measured(stream, 0))


def terminal_height(environ: Mapping[str, str] | None = None, stream: object = None) -> int:
    """$LINES when it is a sensible number, else the terminal's height, else 24."""
    measured = _measured(stream, 1)
    return _size(environ, "LINES", measured or DEFAULT_HEIGHT, 10, None)


def _measured(stream: object, index: int) -> int | None:
    """The terminal's columns (0) or rows (1) when `stream` is one."""
    try:
        size = os.get_terminal_size(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    return size[index] or None


def _size(environ: Mapping[str, str] | None, name: str, default: int, least: int, cap: int | None) -> int:
    raw = (environ if environ is not None else os.environ).get(name, "")
    try:
        size = int(raw)
    except ValueError:
        return max(least, min(default, cap)) if cap else default
    return size if size >= least else default


def safe_line(text: object) -> str:
    """One line of text as it may reach the terminal: cleaned by the core, leading spaces kept."""
    raw = str(text)
    body = raw.lstrip(" ")
    return " " * (len(raw) - len(body)) + clean(body)


class Printer:
    """Writes cleaned, wrapped lines to a text stream, escaping what its encoding cannot carry."""

    def __init__(self, stream: IO[str], width: int) -> None:
        self.stream = stream
        self.width = max(width, MIN_WIDTH)
        encoding = getattr(stream, "encoding", None)
        self.encoding = encoding if isinstance(encoding, str) and encoding else None
        self.lines = 0
        """Lines written so far, to know when a question has scrolled far above its prompt."""

    def _write(self, text: str) -> None:
        if self.encoding is not None:
            text = text.encode(self.encoding, "backslashreplace").decode(self.encoding, "replace")
        self.lines += text.count("\n")
        self.stream.write(text)

    def blank(self) -> None:
        self._write("\n")

    def say(self, text: object = "", indent: int = 0, hang: int = 0) -> None:
        """Print text wrapped to the width; each line break in it starts a new wrapped paragraph."""
        lead = " " * indent
        for paragraph in str(text).split("\n"):
            line = safe_line(paragraph)
            if not line.strip():
                self.blank()
                continue
            wrapped = textwrap.wrap(
                line,
                width=self.width,
                initial_indent=lead,
                subsequent_indent=lead + " " * hang,
                break_on_hyphens=False,
                drop_whitespace=True,
            )
            for piece in wrapped or [lead]:
                self._write(piece + "\n")

    def verbatim(self, text: object, indent: int = 4) -> None:
        """A command: cleaned, never wrapped, so it can be copied and pasted whole."""
        for line in str(text).split("\n"):
            self._write(" " * indent + safe_line(line) + "\n")

    def markdown(self, text: str) -> None:
        """A Markdown document: prose wrapped with its list indent kept, fenced code printed as it is."""
        fence = ""
        for raw in text.split("\n"):
            stripped = raw.strip()
            if fence:
                self.verbatim(raw, indent=0)
                if stripped == fence:
                    fence = ""
                continue
            if stripped.startswith("```"):
                fence = "`" * (len(stripped) - len(stripped.lstrip("`")))
                self.verbatim(raw, indent=0)
                continue
            body = raw.lstrip(" ")
            indent = len(raw) - len(body)
            marker = _list_marker(body)
            self.say(body, indent=indent, hang=len(marker))

    def echo(self, typed: str) -> None:
        """What was read from a pipe, after its prompt, as a terminal would have shown it."""
        self._write(safe_line(typed) + "\n")

    def prompt(self, text: str) -> None:
        """A prompt wrapped like the rest; the cursor waits after its last line."""
        lines = textwrap.wrap(safe_line(text), width=self.width - 1, break_on_hyphens=False) or [""]
        for line in lines[:-1]:
            self._write(line + "\n")
        self._write(lines[-1] + " ")
        self.stream.flush()


def _list_marker(line: str) -> str:
    """'- ' or '12. ' at the start of a Markdown line, so a wrapped item lines up under its text."""
    if line.startswith(("- ", "* ", "> ")):
        return line[:2]
    digits = len(line) - len(line.lstrip("0123456789"))
    if digits and line[digits : digits + 2] == ". ":
        return line[: digits + 2]
    return ""


@dataclass
class Reply:
    """What a prompt read: a command handled (and whether the walk moved), or text for the prompt itself."""

    text: str = ""
    moved: bool = False
    handled: bool = False


class PlainWalk:
    """One walk in plain mode over a catalog: reads lines, prints steps, keeps and saves the session."""

    def __init__(
        self,
        catalog: Catalog,
        tree_id: str,
        *,
        evidence: Sequence[str | os.PathLike[str]] = (),
        answers: Mapping[str, str] | None = None,
        values: Mapping[str, str] | None = None,
        stdin: IO[str],
        stdout: IO[str],
        data_dir: Path | None = None,
        width: int | None = None,
    ) -> None:
        self.catalog = catalog
        self.given = Given(dict(answers or {}))
        self.stdin = stdin
        self.out = Printer(stdout, width if width is not None else terminal_width(stream=stdout))
        self.data_dir = data_dir
        self.book: EvidenceBook | None = None
        self.saved_to: Path | None = None
        self.session = Session.start(catalog, tree_id, values=values)
        self.start_evidence = [os.fspath(p) for p in evidence]
        self.asked_at = 0
        self.guessing = False
        """Set by ~ before an answer or value: it is kept as a guess."""
        self.height = terminal_height(stream=stdout)
        isatty = getattr(stdin, "isatty", None)
        self.terminal_echoes = bool(isatty()) if callable(isatty) else False
        """Whether the terminal shows what is typed; piped input is echoed so the output reads as a transcript."""

    # ------------------------------------------------------------------ the loop

    def run(self) -> int:
        """Walk until the operator quits or input ends; the walk is saved after every change and at the end."""
        try:
            self.out.say(f"Plain mode: {self.session.tree.title} ({self.session.tree_id}). Type ? for help, q to quit.")
            if self.start_evidence:
                self.read_evidence(self.start_evidence)
            while True:
                self.commit(self.session)
                if self.session.at_runbook:
                    self.at_runbook()
                else:
                    self.at_step()
        except Quit:
            return self.leave("Quit.")
        except EndOfInput:
            self.out.blank()
            return self.leave("End of input.")
        except KeyboardInterrupt:
            self.out.blank()
            self.leave("Interrupted.")
            return EXIT_INTERRUPTED

    def commit(self, session: Session) -> None:
        """Take `session` as the walk: move past what needs no operator (the engine decides), then save it."""
        if self.book is not None:
            session = session.with_evidence(self.book.paths)
        try:
            session = settle(session, self.book)
        except AnswerError as exc:
            self.out.say(f"The evidence could not answer: {exc}")
        self.session = session
        self.autosave()

    def autosave(self) -> None:
        try:
            self.saved_to = save(self.session, self.data_dir)
        except OSError as exc:
            self.out.say(f"Could not save the walk: {exc}")

    def leave(self, why: str) -> int:
        self.autosave()
        where = f" The walk is saved in {self.saved_to}." if self.saved_to is not None else ""
        if self.session.at_runbook:
            self.out.say(f"{why}{where}")
            return EXIT_OK
        self.out.say(f"{why}{where} Open `wizard` and resume it there to go on.")
        return EXIT_QUESTION

    def read_line(self, prompt: str) -> str:
        self.out.prompt(prompt)
        try:
            line = self.stdin.readline()
        except UnicodeDecodeError:
            self.out.say("That line could not be read in this terminal's encoding; type it again.")
            return self.read_line(prompt)
        if not line:
            raise EndOfInput
        line = line.rstrip("\r\n")
        if not self.terminal_echoes:
            self.out.echo(line)
        return line

    def confirm(self, question: str) -> bool:
        answer = self.read_line(f"{question} (y/N):").strip().lower()
        return answer in ("y", "yes")

    # ------------------------------------------------------------------ commands

    def command(self, line: str, *, value_prompt: bool = False) -> Reply:
        """The commands every prompt takes. A line that is not one is handed back for the prompt to read."""
        text = line.strip()
        word, _, rest = text.partition(" ")
        word = word.lower()
        rest = rest.strip()
        if value_prompt and text.startswith("="):
            return Reply(text=text[1:])
        if word in ("?", "h", "help") and not rest:
            self.show_help()
            return Reply(handled=True)
        if word == "q" and not rest:
            raise Quit
        if word == "p" and not rest:
            return Reply(handled=True, moved=True)
        if word == "b" and not rest:
            return self.go_back()
        if word == "r" and not rest:
            if self.confirm("Start this walk over from the first step? Your answers so far are forgotten."):
                self.session = self.session.restart()
                self.out.say("Started over from the first step.")
                return Reply(handled=True, moved=True)
            self.out.say("Not restarted.")
            return Reply(handled=True)
        if word == "e" and (rest or not value_prompt):
            return self.evidence_command(rest)
        if word == "x" and (rest or not value_prompt):
            self.export_command(rest)
            return Reply(handled=True)
        return Reply(text=text)

    def show_help(self) -> None:
        self.out.say(HELP_TITLE)
        column = max(len(name) for name, _ in HELP) + 4
        for name, text in HELP:
            self.out.say(f"{name:<{column - 2}}{text}", indent=2, hang=column - 2)
        for note in HELP_NOTES:
            self.out.say(note)

    def go_back(self) -> Reply:
        earlier = self.session.back()
        if earlier is self.session:
            self.out.say("This is the first step; there is nothing to undo.")
            return Reply(handled=True)
        self.session = earlier
        self.out.say("Went back one step.")
        return Reply(handled=True, moved=True)

    def evidence_command(self, rest: str) -> Reply:
        path = _unquote(rest)
        if not path:
            self.out.say("Type e and the path of a log, a folder or a .zip, for example: e C:\\evidence\\despool.log")
            return Reply(handled=True)
        path = os.path.expanduser(path)
        if not os.path.exists(path):
            self.out.say(f"No such file or folder: {path}")
            return Reply(handled=True)
        self.read_evidence([path])
        return Reply(handled=True, moved=True)

    def read_evidence(self, paths: Sequence[str]) -> None:
        """Scan evidence into the walk's book; every check reads it as it is reached, this one included."""
        self.out.say("Reading the evidence: " + ", ".join(paths))
        before = len(self.book.hits) if self.book is not None else 0
        try:
            self.book = read_book(list(paths), self.catalog, book=self.book)
        except Exception as exc:  # an unreadable bundle must not end the walk
            self.out.say(f"The evidence could not be read: {exc}")
            return
        for problem in self.book.problems[-5:]:
            self.out.say(f"Evidence problem: {problem}", hang=2)
        found = len(self.book.hits) - before
        self.out.say(f"Read {self.book.readable} file(s) so far; {found} new matching line(s) or file(s).")

    def export_command(self, rest: str) -> None:
        fmt, _, target = rest.partition(" ")
        fmt = fmt.lower()
        if fmt not in ("md", "json"):
            self.out.say("Export as md or json: x md, or x json FILE.")
            return
        target = _unquote(target.strip())
        if target:
            path = Path(os.path.expanduser(target))
        else:
            base = self.data_dir if self.data_dir is not None else _data_dir()
            path = base / "exports" / f"{self.session.tree_id}-{self.session.id}.{fmt}"
        if path.is_dir():
            self.out.say(f"{path} is a folder; give a file name.")
            return
        if path.exists() and not self.confirm(f"{path} already exists. Overwrite it?"):
            self.out.say("Not exported; the file is unchanged.")
            return
        try:
            write_atomic(path, export_text(self.session, fmt), private=False)
        except (OSError, UnicodeError) as exc:
            self.out.say(f"Could not export: {exc}")
            return
        self.out.say(f"Exported to {path}")

    # ------------------------------------------------------------------ a step

    def at_step(self) -> None:
        """Print the step the engine says comes next and read answers until the walk moves."""
        step = pending(self.session, self.book)
        self.show_step(step)
        value: str | None = None
        self.guessing = False
        if step.capture is not None:
            value = self.ask_value(step)
            if value is None:
                return
            if not _asking(step).choices:
                self.take(step, None, value)
                return
        choice = self.ask_choice(step)
        if choice is not None:
            self.take(step, choice, value)

    def take(self, step: Pending, choice: str | None, value: str | None) -> None:
        unknown = value == NOT_KNOWN
        try:
            if unknown:
                moved = self.session.answer(unknown=True)
            else:
                moved = answer_with_evidence(self.session, choice, step.reading, value=value, guess=self.guessing)
        except AnswerError as exc:
            self.out.say(f"That answer does not fit: {exc}")
            return
        self.session = moved

    def remind(self, step: Pending, below: int) -> None:
        """Say the question again when the step's text, and the `below` lines still to come, push it off screen."""
        if self.out.lines - self.asked_at + below >= self.height:
            self.out.blank()
            self.out.say(f"The question: {fill(_asking(step).prompt, all_values(step.session))}")
            self.asked_at = self.out.lines

    def ask_value(self, step: Pending) -> str | None:
        """Read a value the core accepts; None when a command moved the walk instead."""
        capture = step.capture
        assert capture is not None
        default, source = step.prefill, step.prefill_source
        example = f" (for example {capture.example})" if capture.example else ""
        self.remind(step, 5)
        self.out.blank()
        self.out.say(f"Type the value: {capture.label}{example}.")
        if default:
            self.out.say(f"From {source}: {default}. Enter alone takes it.", indent=2)
        found = self.given.answer_for(step.session.tree_id, step.session.node_id)
        if found is not None and not _asking(step).choices:
            self.out.say(f"Note: --answer {found[0]}={found[1]} is not used: this step asks for a value "
                         f"(give it with --set {capture.name}=VALUE).")
        label = f"{capture.label} [{default}]:" if default else f"{capture.label}:"
        while True:
            reply = self.command(self.read_line(label), value_prompt=True)
            if reply.moved:
                return None
            if reply.handled:
                continue
            raw = reply.text or default
            if raw == GUESS_MARK and not _asking(step).choices:
                return NOT_KNOWN
            if raw.startswith(GUESS_MARK):
                self.guessing, raw = True, raw[1:].strip()
            if has_control_characters(raw):
                self.out.say("Not taken: what you typed holds control characters or escape sequences. Type it again.")
                continue
            if not raw:
                self.out.say(f"A value is needed here ({capture.label}{example}), or ? for help.")
                continue
            try:
                return validate_value(capture, raw)
            except AnswerError as exc:
                self.out.say(f"Not taken: {exc}. Type it again.")

    def choice_default(self, step: Pending) -> tuple[str | None, str]:
        """The choice Enter takes: one given with --answer, else the evidence's proposal."""
        node = step.session.node
        found = self.given.answer_for(step.session.tree_id, node.id)
        if found is not None:
            key, wanted = found
            if choice_of(node, wanted) is not None:
                return wanted, "given with --answer"
            self.out.say(f"Note: --answer {key}={wanted} is not a choice at this step; it is not used.")
        if step.preselect and choice_of(node, step.preselect) is not None:
            return step.preselect, "proposed by the evidence"
        return None, ""

    def ask_choice(self, step: Pending) -> str | None:
        """Read the number (or id) of a choice; None when a command moved the walk instead."""
        node = step.session.node
        assert isinstance(node, (Question, Check))
        default, why = self.choice_default(step)
        values = all_values(step.session)
        self.remind(step, len(node.choices) + 3)
        self.out.blank()
        self.out.say("Answers:")
        for number, choice in enumerate(node.choices, 1):
            marks = []
            if choice.id == step.proposed:
                marks.append("proposed by the evidence")
            if choice.id == default:
                if why != "proposed by the evidence":
                    marks.append(why)
                marks.append("Enter takes it")
            mark = f"  ({'; '.join(marks)})" if marks else ""
            lead = f"{number}. "
            self.out.say(f"{lead}{fill(choice.label, values)}{mark}", indent=2, hang=len(lead))
        count = len(node.choices)
        span = "1" if count == 1 else f"1-{count}"
        between = "1" if count == 1 else f"1 to {count}"
        enter = f", Enter = {[c.id for c in node.choices].index(default) + 1}" if default else ""
        while True:
            reply = self.command(self.read_line(f"Your answer ({span}{enter}, ? for help):"))
            if reply.moved:
                return None
            if reply.handled:
                continue
            text = reply.text
            if text.startswith(GUESS_MARK):
                self.guessing, text = True, text[1:].strip()
                if not text:
                    self.out.say("Then pick the likeliest answer: it is kept as a guess, to confirm first.")
                    continue
            if not text:
                if default:
                    return default
                self.out.say(f"Type the number of an answer ({between}), or ? for help.")
                continue
            if text.isdigit() and 1 <= int(text) <= count:
                return node.choices[int(text) - 1].id
            picked = choice_of(node, text.lower())
            if picked is not None:
                return picked.id
            self.out.say(f"Not understood: {text}. Type a number from {between}, or ? for help.")

    # ------------------------------------------------------------------ printing a step

    def show_step(self, step: Pending) -> None:
        session = step.session
        node = session.node
        assert isinstance(node, (Question, Check))
        values = all_values(session)
        out = self.out
        out.blank()
        number = sum(1 for m in session.moves if not m.is_link) + 1
        kind = "Evidence check" if isinstance(node, Check) else "Question"
        out.say(f"Step {number}. {kind} in {session.tree.title} ({session.tree_id}, node {node.id})")
        if session.tree_id != session.start_tree:
            start = self.catalog.trees.get(session.start_tree)
            out.say(f"This walk began in {start.title if start else session.start_tree}.", indent=2)
        self.show_last(session)
        out.blank()
        out.say(fill(node.prompt, values))
        self.asked_at = out.lines
        if node.why:
            out.blank()
            out.say("Why this matters:")
            out.say(fill(node.why, values), indent=2)
        out.blank()
        out.say("How to find out:")
        out.say(fill(node.how, values), indent=2)
        if node.commands:
            out.blank()
            out.say("Commands:")
            for command in node.commands:
                out.verbatim(fill(command, values))
        if node.learn:
            out.blank()
            out.say("Background notes:")
            for note in node.learn:
                out.say(f"- {fill(note, values)}", indent=2, hang=2)
        for label, value in step.known:
            out.blank()
            out.say(f"Already known: {label}: {value}")
        if isinstance(node, Check):
            out.blank()
            self.show_evidence(step, node)

    def show_last(self, session: Session) -> None:
        """The operator's last answer, and what the wizard did by itself after it (values known, links crossed)."""
        tail: list[Move] = []
        last = None
        for move in reversed(session.moves):
            if move.by_operator:
                last = move
                break
            tail.insert(0, move)
        if last is not None:
            tree = self.catalog.trees.get(last.tree)
            node = tree.nodes.get(last.node) if tree is not None else None
            note = ""
            if last.proposed is not None:
                if last.overridden:
                    proposed = choice_of(node, last.proposed) if node is not None else None
                    note = f" (the evidence proposed: {proposed.label if proposed else last.proposed})"
                else:
                    note = " (as the evidence proposed)"
            self.out.say(f"Answered: {last.label}{note}", indent=2, hang=2)
            picked = choice_of(node, last.choice) if node is not None else None
            if picked is not None and picked.note:
                self.out.say(f"Note: {fill(picked.note, all_values(session))}", indent=2, hang=2)
        for move in tail:
            if move.is_link:
                tree = self.catalog.trees.get(move.tree)
                link = tree.nodes.get(move.node) if tree is not None else None
                why = f": {fill(link.why, all_values(session))}" if isinstance(link, Link) and link.why else ""
                target_id = link.tree if isinstance(link, Link) else move.label.removeprefix("continue in ")
                target = self.catalog.trees.get(target_id)
                name = f"{target.title} ({target_id})" if target is not None else target_id
                self.out.say(f"Continued in the tree {name}{why}", indent=2, hang=2)
            elif move.evidence:
                cite = move.evidence[0]
                where = f"{_short(self.book, cite.file)}:{cite.line}" if cite.line else _short(self.book, cite.file)
                self.out.say(f"Not asked, read from the evidence ({where}): {move.label}", indent=2, hang=2)
            else:
                given = move.value is not None and move.value in dict(session.preset).values()
                source = " (given before the walk)" if given else ""
                self.out.say(f"Not asked, already known{source}: {move.label}", indent=2, hang=2)

    def show_evidence(self, step: Pending, node: Check) -> None:
        """What the evidence says at this check: its proposal and the lines behind it, or what it would read."""
        values = all_values(step.session)
        spec = node.evidence
        files = ", ".join(spec.files) if spec.files else spec.kind
        where = f" {place_phrase(fill(spec.where, values))}" if spec.where else ""
        reading = step.reading
        out = self.out
        proposal = reading.proposal if reading is not None else None
        # Contested proposals, lines pointing elsewhere and per-file notes come with the engine that judges
        # conflicts; read with defaults so this front end shows them wherever the engine gives them.
        contested = bool(getattr(proposal, "contested", False))
        other_side = list(getattr(proposal, "other_side", ()) or ())
        not_about = list(getattr(proposal, "not_about", ()) or ())
        if proposal is not None and proposal.choice:
            label = next((c.label for c in node.choices if c.id == proposal.choice), proposal.choice)
            out.say(f"The evidence you gave proposes: {fill(label, values)}")
            if contested:
                rule = getattr(proposal, "rule", "")
                out.say(
                    f"Contested: the evidence points two ways and the rule ({rule}) picked this one. Read both "
                    "sides below before you confirm.",
                    indent=2,
                    hang=2,
                )
            means = next((sig.means for sig in node.signatures if sig.id == proposal.signature), "")
            if means:
                out.say(f"Because: {fill(means, {**values, **proposal.captures})}", indent=2, hang=2)
            elif not proposal.hits:
                out.say(f"Because: {files} was read and none of this step's signatures matched.", indent=2, hang=2)
            self.show_hits(proposal.hits, "")
            if contested:
                self.show_hits(other_side, "Points elsewhere: ")
            elif other_side or not_about:
                out.say(
                    f"{len(other_side)} line(s) point elsewhere and {len(not_about)} are about something else "
                    "(x json exports them all).",
                    indent=2,
                    hang=2,
                )
            return
        if contested:
            out.say("The evidence you gave points two ways and no rule decides between them; answer from what you see.")
            self.show_hits([*list(proposal.hits if proposal is not None else ()), *other_side], "")
            return
        if self.book is not None and not self.book.empty:
            out.say(
                f"The evidence you gave has nothing for this step. It reads {files}{where}. Answer from what you "
                "see, or type e PATH to read more evidence."
            )
            for note in list(getattr(reading, "files", ()) or ())[:SHOWN_LINES]:
                out.say(f"{_short(self.book, note.file)}: {note.why}", indent=2, hang=4)
            return
        out.say(
            f"The wizard can read this for you: {files}{where}. Type e and its path (a log, a folder or a .zip) "
            "and it proposes an answer; or answer from what you see."
        )

    def show_hits(self, hits: Sequence, lead: str) -> None:
        """A few evidence lines (or files found) as file:line and the line, and how many more there are."""
        for hit in hits[:SHOWN_LINES]:
            if hit.line:
                text = " ".join(clean(hit.text).split())
                self.out.say(f"{lead}{_short(self.book, hit.file)}:{hit.line}: {text}", indent=2, hang=4)
            else:
                self.out.say(f"{lead}file: {_short(self.book, hit.text)}", indent=2, hang=4)
        more = len(hits) - SHOWN_LINES
        if more > 0:
            self.out.say(f"...and {more} more line{'s' if more != 1 else ''} (x json exports them all).", indent=2)

    # ------------------------------------------------------------------ the runbook

    def at_runbook(self) -> None:
        from wizard.core.render import runbook_markdown

        self.out.blank()
        self.out.say("Runbook reached.")
        self.show_last(self.session)
        self.out.blank()
        self.out.markdown(runbook_markdown(self.session))
        self.out.blank()
        self.out.say("x md|json [FILE] exports this runbook; b goes back; r restarts; p prints it again; q quits.")
        while True:
            reply = self.command(self.read_line("Runbook (x, b, r, p, q, ? for help):"))
            if reply.moved:
                return
            if reply.handled:
                continue
            if reply.text:
                self.out.say(f"Not understood: {reply.text}. Type ? for the commands.")


def export_text(session: Session, fmt: str) -> str:
    """The walk as the full-screen wizard exports it: the runbook once reached, else the question and the path."""
    from wizard.core import render

    if session.at_runbook:
        if fmt == "md":
            return render.runbook_markdown(session)
        return json.dumps(render.runbook_dict(session), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render.question_markdown(session)
    return json.dumps(render.question_dict(session), indent=2, ensure_ascii=False) + "\n"


def _asking(step: Pending) -> Question | Check:
    """The node of a step that is not a runbook: a question or a check."""
    node = step.session.node
    assert isinstance(node, (Question, Check))
    return node


def _short(book: EvidenceBook | None, file: str) -> str:
    return book.short_name(file) if book is not None else file


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _data_dir() -> Path:
    from wizard.core.session import data_dir

    return data_dir()


def run(
    catalog: Catalog,
    tree_id: str,
    *,
    evidence: Sequence[str | os.PathLike[str]] = (),
    answers: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    stdin: IO[str],
    stdout: IO[str],
    data_dir: Path | None = None,
    width: int | None = None,
) -> int:
    """Walk `tree_id` in plain mode. `answers` are the choices Enter takes where they apply; `values` (already
    checked) are known before the walk, as `wizard walk --set` and `wizard open --set` know them, so the three
    take the same path."""
    walk = PlainWalk(
        catalog,
        tree_id,
        evidence=evidence,
        answers=answers,
        values=values,
        stdin=stdin,
        stdout=stdout,
        data_dir=data_dir,
        width=width,
    )
    return walk.run()


def cli_walk(catalog: Catalog, tree_id: str, args, out: IO[str], err: IO[str], stdin: IO[str]) -> int:
    """`wizard walk TREE --interactive`: --answer and --set are checked as `wizard walk` checks them; an answer is
    the choice Enter takes at its step, a value is known before the walk starts."""
    from wizard.core.walk import WalkError, checked_values, parse_assignments

    try:
        answers = parse_assignments(args.answer, "--answer")
        values = checked_values(catalog, parse_assignments(args.set, "--set"))
    except WalkError as exc:
        print(f"wizard walk: {exc}", file=err)
        return 2
    return run(catalog, tree_id, evidence=args.evidence, answers=answers, values=values, stdin=stdin, stdout=out)


__all__ = ["EXIT_INTERRUPTED", "EXIT_OK", "EXIT_QUESTION", "PlainWalk", "Printer", "export_text", "run"]
