"""Reading evidence: a file, folder, .zip or pasted text, scanned in a worker with progress and a cancel.

At a check the scan proposes an answer, preselected; the operator confirms it or picks another, and the
answer records what was proposed so an override shows in the runbook. From the home screen the same scan
lists which diagnoses the evidence points to.
"""

from __future__ import annotations

import functools
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from wizard.core.model import Check, Signature
from wizard.core.render import fill
from wizard.core.session import Citation, FileNote, Session, file_notes, proposal_citations
from wizard.core.wording import place_phrase
from wizard.tui.commands import PaletteCommand
from wizard.tui.safe import clean, join, plain
from wizard.tui.typed import OnWizardApp
from wizard.tui.widgets import Hanging, PathInput

MAX_CITATIONS = 20
MAX_HITS_SHOWN = 200
MAX_FILES_SHOWN = 4
ROLE_MARKS = {"decided": "◆ decided", "other side": "⚖ other side", "not about this": "○ not about this"}
PROGRESS_INTERVAL = 0.05
CONTEXT_CHARS = 140


@dataclass(frozen=True)
class EvidenceOutcome:
    """The operator's answer at a check, with what the evidence proposed and the lines behind it."""

    choice: str
    proposed: str | None
    evidence: tuple[Citation, ...] = ()
    captures: dict[str, str] = field(default_factory=dict)
    contested: bool = False
    files: tuple[FileNote, ...] = ()


@dataclass(frozen=True)
class ScanMemory:
    """The last evidence scanned, offered again at the next check."""

    paths: tuple[str, ...]
    text: str


def size_text(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} bytes"


def signature_of(catalog, hit: Any) -> Signature | None:
    tree = catalog.trees.get(hit.tree)
    node = tree.nodes.get(hit.node) if tree else None
    for signature in getattr(node, "signatures", ()):
        if hit.signature in (signature.id, signature.describe):
            return signature
    return None


def match_span(signature: Signature | None, text: str) -> tuple[int, int] | None:
    """Where in `text` the signature matched, to highlight it."""
    if signature is None:
        return None
    if signature.literal:
        index = text.find(signature.literal)
        if index < 0:
            index = text.lower().find(signature.literal.lower())
        return (index, index + len(signature.literal)) if index >= 0 else None
    if signature.regex:
        import re2

        pattern = ("(?i)" if signature.ignore_case else "") + signature.regex
        try:
            found = re2.search(pattern, text)
        except Exception:
            return None
        return found.span() if found and found.end() > found.start() else None
    if signature.event_id is not None:
        index = text.find(str(signature.event_id))
        return (index, index + len(str(signature.event_id))) if index >= 0 else None
    return None


def hit_content(catalog, hit: Any, *, show_tree: bool = False) -> Content:
    """A hit as two lines: where and when, then the text with the match marked in bold reverse."""
    where = f"{clean(hit.file, one_line=True)}:{hit.line}" if getattr(hit, "line", 0) else clean(hit.file, one_line=True)
    meta = [where]
    if getattr(hit, "time", ""):
        meta.append(clean(hit.time, one_line=True))
    if getattr(hit, "component", ""):
        meta.append(clean(hit.component, one_line=True))
    if show_tree:
        meta.append(f"{hit.tree}/{hit.node}")
    text = clean(hit.text, one_line=True)
    span = match_span(signature_of(catalog, hit), text)
    if span is not None:
        start, end = span
        if len(text) > CONTEXT_CHARS:
            left = max(0, start - CONTEXT_CHARS // 3)
            right = min(len(text), max(end, left + CONTEXT_CHARS))
            prefix, suffix = ("…" if left else ""), ("…" if right < len(text) else "")
            text = prefix + text[left:right] + suffix
            start, end = start - left + len(prefix), min(end, right) - left + len(prefix)
        body = Content(text).stylize("bold reverse", start, end)
    else:
        body = Content(text if len(text) <= CONTEXT_CHARS else text[: CONTEXT_CHARS - 1] + "…")
    return join((" · ".join(meta), "bold"), "\n  ", body)


class EvidenceScreen(OnWizardApp, Screen["EvidenceOutcome | None"]):  # type: ignore[misc]  # see wizard.tui.typed
    """With a session at a check: propose its answer. Without: show which trees the evidence points to."""

    BINDINGS = [
        Binding("ctrl+s", "scan", "Scan", id="scan-now", tooltip="Read the file, folder or pasted text"),
        Binding("ctrl+o", "browse", "Browse", id="browse", tooltip="Pick a file or folder from a tree"),
        Binding("ctrl+n", "again", "New scan", id="scan-again", tooltip="Scan something else"),
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Stop a running scan, or go back"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
    ]
    HELP_TITLE = "Read evidence"
    HELP = (
        "Give the wizard what the step asks for: type a path to a log, a copied folder or a .zip bundle "
        "(**Tab** or **Right** completes a name, **Ctrl+O** browses), or paste log lines, a *dir* "
        "listing or event text into the big box. Then press **Ctrl+S**. To practise, press **Ctrl+P** and "
        "type *sample*: the palette lists the sample bundles that ship for this diagnosis.\n\n"
        "The scan runs in the background with a progress bar; **Escape** stops it.\n\n"
        "Each match shows its file and line, time and component, with the matching text in "
        "`reverse`. At a step, the answer the evidence points to is marked **◆ proposed** and "
        "already highlighted: press **Enter** to confirm it, or pick another answer (arrows, or its number) to "
        "overrule it. When nothing was found, nothing is highlighted: choose the answer yourself. "
        "Either way the runbook records what the evidence said and what you chose."
    )

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session
        self.check: Check | None = session.node if session is not None and isinstance(session.node, Check) else None
        self.report: Any = None
        self.scanned_names: list[str] = []
        self.scanned_files: list[Any] = []
        self.proposal: Any = None
        self.mine: list[Any] = []
        self.scanned_paths: tuple[str, ...] = ()
        self.scanned_text = ""
        self.started = 0.0
        self.last_progress = (0, 0)
        self.book: Any = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(self._heading(), id="ev-head")
        with ContentSwitcher(initial="ev-collect", id="ev-phase"):
            with Vertical(id="ev-collect"):
                path = PathInput(placeholder="a log, a folder or a .zip: Tab completes, Ctrl+O browses", id="ev-path")
                paste = TextArea(id="ev-paste", soft_wrap=True, show_line_numbers=False)
                path.cursor_blink = paste.cursor_blink = self.app.cursor_blink
                yield path
                yield paste
                yield Static(plain("Ctrl+S scans. Escape goes back.", "dim"), id="ev-collect-msg")
            with Vertical(id="ev-running"):
                yield Static(plain("Starting the scan…"), id="ev-progress-label")
                yield ProgressBar(total=None, show_eta=False, id="ev-progress")
                yield Static(plain("Escape stops the scan.", "dim"))
            with Vertical(id="ev-results"):
                yield Static(id="ev-summary")
                yield OptionList(id="ev-hits")
                yield OptionList(id="ev-answers")
        yield Footer(compact=True)

    def _heading(self) -> Content:
        if self.check is None or self.session is None:
            return join(
                ("⌕ Scan evidence", "bold"),
                "\nEverything every diagnosis looks for is searched; the matches show which ones apply.",
            )
        values = self.session.values
        spec = self.check.evidence
        files = ", ".join(spec.files) if spec.files else spec.kind
        where = f" {place_phrase(fill(spec.where, values))}" if spec.where else ""
        return join(
            ("⌕ ", "bold"),
            (fill(self.check.prompt, values), "bold"),
            "\nLooks for: ",
            (f"{files}{where}", "italic"),
        )

    def on_mount(self) -> None:
        if self.session is not None:
            self.sub_title = clean(self.session.tree.title, one_line=True)
        else:
            self.sub_title = "Scan evidence"
        self.query_one("#ev-path", PathInput).border_title = "File, folder or .zip"
        paste = self.query_one("#ev-paste", TextArea)
        paste.border_title = "…or paste text here (log lines, a dir listing, events)"
        memory = getattr(self.app, "scan_memory", None)
        if memory is not None:
            self.query_one("#ev-path", PathInput).remember(os.pathsep.join(memory.paths))
            paste.text = memory.text
            self._collect_message("The evidence you scanned last is filled in; Ctrl+S scans it for this step.")
        self.query_one("#ev-hits", OptionList).border_title = "Matches"
        self.query_one("#ev-answers", OptionList).border_title = (
            "Your answer (Enter confirms)" if self.check is not None else "Diagnoses it points to (Enter starts)"
        )
        self.query_one("#ev-path", PathInput).focus()

    def _collect_message(self, text: str, *, bad: bool = False) -> None:
        message = self.query_one("#ev-collect-msg", Static)
        message.update(plain(("✗ " if bad else "") + text, "bold" if bad else ""))
        message.set_class(bad, "invalid")

    @property
    def phase(self) -> str:
        return self.query_one("#ev-phase", ContentSwitcher).current or "ev-collect"

    def _show_phase(self, phase: str) -> None:
        self.query_one("#ev-phase", ContentSwitcher).current = phase
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if action in ("scan", "browse"):
            return phase == "ev-collect"
        if action == "again":
            return phase == "ev-results"
        return True

    # ------------------------------------------------------------------ scanning

    def _probes(self) -> Any:
        from wizard.core.evidence import probes_for

        return probes_for(list(self.app.catalog))

    @on(PathInput.Submitted, "#ev-path")
    def action_scan(self) -> None:
        if self.phase != "ev-collect":
            return
        raw = self.query_one("#ev-path", PathInput).value.strip()
        text = self.query_one("#ev-paste", TextArea).text
        paths = tuple(os.path.expanduser(p.strip()) for p in raw.split(os.pathsep) if p.strip())
        if not paths and not text.strip():
            self._collect_message("Type a path or paste some text first.", bad=True)
            return
        self.scanned_paths = paths
        self.scanned_text = text if text.strip() else ""
        self.app.scan_memory = ScanMemory(paths, self.scanned_text)
        self.started = time.monotonic()
        self.last_progress = (0, 0)
        self.query_one("#ev-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#ev-progress-label", Static).update(plain("Starting the scan…"))
        self._show_phase("ev-running")
        self.run_scan(paths, self.scanned_text, self._probes())

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False, name="scan")
    def run_scan(self, paths: tuple[str, ...], text: str, probes: Any) -> Any:
        from wizard.core.evidence import scan, scan_text

        worker = get_current_worker()
        shown = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - shown[0] < PROGRESS_INTERVAL and done < total:
                return
            shown[0] = now
            if not worker.is_cancelled:
                try:
                    self.app.call_from_thread(self._progress, done, total)
                except RuntimeError:
                    pass

        reports = []
        if paths:
            reports.append(scan(list(paths), probes, progress=progress, cancelled=lambda: worker.is_cancelled))
        if text and not worker.is_cancelled:
            reports.append(scan_text(text, probes))
        if worker.is_cancelled or any(getattr(r, "cancelled", False) for r in reports):
            return None
        return reports

    def _progress(self, done: int, total: int) -> None:
        self.last_progress = (done, total)
        bar = self.query_one("#ev-progress", ProgressBar)
        if total:
            bar.update(total=total, progress=done)
            percent = 100 * done / total
            label = f"Read {size_text(done)} of {size_text(total)} ({percent:.0f}%)"
        else:
            label = f"Read {size_text(done)}"
        self.query_one("#ev-progress-label", Static).update(plain(label))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "scan":
            return
        if event.state == WorkerState.SUCCESS:
            reports = event.worker.result
            if reports is None:
                self._cancelled()
            else:
                self._show_results(reports)
        elif event.state == WorkerState.ERROR:
            self._show_phase("ev-collect")
            self._collect_message(f"The scan stopped: {event.worker.error}", bad=True)
        elif event.state == WorkerState.CANCELLED:
            self._cancelled()

    def _cancelled(self) -> None:
        self._show_phase("ev-collect")
        done, _total = self.last_progress
        self._collect_message(f"Scan cancelled after {size_text(done)}. Nothing was proposed.")

    def action_cancel(self) -> None:
        if self.phase == "ev-running":
            for worker in self.workers:
                if worker.group == "scan":
                    worker.cancel()
            self._cancelled()
            return
        self.dismiss(None)

    def action_again(self) -> None:
        self._show_phase("ev-collect")
        box = self.query_one("#ev-path", PathInput)
        box.focus()
        box.select_all()

    def action_browse(self) -> None:
        from wizard.tui.modals import BrowseScreen

        box = self.query_one("#ev-path", PathInput)
        typed = Path(os.path.expanduser(box.value.split(os.pathsep)[0].strip() or "."))
        start = typed if typed.is_dir() else typed.parent if typed.parent.is_dir() else Path.cwd()

        def picked(path: Path | None) -> None:
            if path is not None:
                box.value = str(path)
                box.cursor_position = len(box.value)
            box.focus()

        self.app.push_screen(BrowseScreen(start.resolve()), picked)

    # ------------------------------------------------------------------ results

    def _merge(self, reports: list[Any]) -> tuple[list[Any], list[str], bool, int]:
        hits: list[Any] = []
        problems: list[str] = []
        readable = False
        read = 0
        self.scanned_names = []
        self.scanned_files = []
        for report in reports:
            self.scanned_names += list(getattr(report, "names", ()))
            self.scanned_files += list(getattr(report, "files", ()))
            hits += list(report.hits)
            problems += [clean(p, one_line=True) for p in report.problems]
            readable = readable or bool(getattr(report, "inputs_readable", True))
            read += int(getattr(report, "bytes_read", 0) or 0)
        return hits, problems, readable, read

    def _show_results(self, reports: list[Any]) -> None:
        from wizard.core.flow import EvidenceBook

        hits, problems, readable, read = self._merge(reports)
        self.report = hits
        if self.check is None and not hits:
            self._survey_found_nothing(problems, readable, read)
            return
        book = EvidenceBook()
        for index, report in enumerate(reports):
            book = book.with_report(report, self.scanned_paths if index == 0 and self.scanned_paths else ())
        self.book = book
        if self.check is not None:
            self.app.add_evidence(book)
        if self.check is not None:
            self._show_check_results(hits, problems, readable, read)
        else:
            self._show_survey_results(hits, problems, readable, read)
        self._show_phase("ev-results")
        answers = self.query_one("#ev-answers", OptionList)
        answers.focus()

    def _summary(self, lines: list[Content], problems: list[str]) -> None:
        for problem in problems[:3]:
            lines.append(join(("⚠ ", "bold"), problem))
        if len(problems) > 3:
            lines.append(plain(f"⚠ …and {len(problems) - 3} more problems"))
        self.query_one("#ev-summary", Static).update(Content("\n").join(lines))

    def _fill_hits(self, hits: list[Any], *, show_tree: bool, roles: dict[int, str] | None = None) -> None:
        catalog = self.app.catalog
        box = self.query_one("#ev-hits", OptionList)

        def shown(hit: Any) -> Content:
            role = (roles or {}).get(id(hit))
            body = hit_content(catalog, hit, show_tree=show_tree)
            return join((clean(role, one_line=True) + " · ", "bold"), body) if role else body

        box.set_options([Option(Hanging(shown(h))) for h in hits[:MAX_HITS_SHOWN]])
        box.display = bool(hits)
        box.border_title = f"Matches ({len(hits)})" if len(hits) <= MAX_HITS_SHOWN else f"First {MAX_HITS_SHOWN} of {len(hits)} matches"
        if hits:
            box.highlighted = 0

    def _show_check_results(self, hits: list[Any], problems: list[str], readable: bool, read: int) -> None:
        from wizard.core.flow import read_check

        session, check = self.session, self.check
        assert session is not None and check is not None
        by_hand = bool(self.scanned_paths) and all(
            Path(p).is_file() and Path(p).suffix.lower() != ".zip" for p in self.scanned_paths
        )
        book = self.app.book or self.book
        reading = read_check(session, book, by_hand=by_hand, pasted=bool(self.scanned_text)) if readable else None
        proposal = reading.proposal if reading is not None else None
        roles: dict[int, str] = {}
        mine: list[Any] = []
        if proposal is not None:
            roles = {id(h): ROLE_MARKS["decided"] for h in proposal.hits}
            roles.update((id(h), ROLE_MARKS["other side"]) for h in proposal.other_side)
            for h in proposal.not_about:
                why = proposal.why_not_about(h)
                roles[id(h)] = ROLE_MARKS["not about this"] + (f" ({why})" if why else "")
            mine = list(proposal.hits) + list(proposal.other_side) + list(proposal.not_about)
        self.mine = mine
        self.proposal = proposal
        proposed = self.proposal.choice if self.proposal is not None else None
        lines: list[Content] = []
        if mine:
            files = len({h.file for h in mine})
            lines.append(
                plain(f"Found {len(mine)} match{'es' if len(mine) != 1 else ''} in {files} file{'s' if files != 1 else ''} ({size_text(read)} read).", "bold")
            )
        elif not readable:
            lines.append(plain("Nothing could be read; see the problems below.", "bold"))
        else:
            lines.append(plain(f"Nothing this step looks for was found ({size_text(read)} read).", "bold"))
        if self.proposal is not None and self.proposal.contested:
            lines.append(plain(
                f"⚖ Contested: the evidence points two ways. The rule ({self.proposal.rule}) picked the answer "
                "below; the other side is listed with it. Check both before you confirm.", "bold"))
        if proposed is not None:
            label = next((c.label for c in check.choices if c.id == proposed), proposed)
            lines.append(join(("◆ Proposed: ", "bold"), (label, "bold")))
            decided_by = next((sig for sig in check.signatures if sig.id == self.proposal.signature), None)
            means = decided_by.means if decided_by is not None else ""
            if means:
                values = {**session.values, **(self.proposal.captures or {})}
                lines.append(join("  because: ", fill(means, values)))
            elif not mine:
                lines.append(plain("  because: none of this step's signatures matched"))
        else:
            globs = f" (such as {', '.join(check.evidence.files)})" if check.evidence.files else ""
            lines.append(plain(
                f"No proposal: none of the given files holds what this step reads{globs}. Choose the answer yourself."))
        if proposal is not None and (proposal.other_side or proposal.not_about):
            lines.append(plain(
                f"{len(proposal.hits)} line(s) decided, {len(proposal.other_side)} point elsewhere, "
                f"{len(proposal.not_about)} are not about this (another folder, server, site or DP).", "dim"))
        notes = reading.files if reading is not None else ()
        for note in notes[:MAX_FILES_SHOWN]:
            mark = "✓" if note.read else "·"
            lines.append(plain(f"{mark} {clean(Path(note.file).name, one_line=True)}: {clean(note.why, one_line=True)}", "dim"))
        if len(notes) > MAX_FILES_SHOWN:
            lines.append(plain(f"…and {len(notes) - MAX_FILES_SHOWN} more files", "dim"))
        others = reading.others if reading is not None else len(hits)
        if others:
            lines.append(plain(f"({others} more match{'es' if others != 1 else ''} for other steps of this tree.)", "dim"))
        self._summary(lines, problems)
        self._fill_hits(mine, show_tree=False, roles=roles)
        options = []
        highlight = None
        for number, choice in enumerate(check.choices, 1):
            marker = join(("  ◆ proposed", "bold")) if choice.id == proposed else Content("")
            options.append(Option(join((f"{number} ", "bold"), fill(choice.label, session.values), marker), id=choice.id))
            if choice.id == proposed:
                highlight = number - 1
        answers = self.query_one("#ev-answers", OptionList)
        answers.set_options(options)
        answers.highlighted = highlight
        answers.border_title = (
            "Your answer (Enter confirms)" if highlight is not None else "Your answer (arrows or its number)"
        )

    def _survey_found_nothing(self, problems: list[str], readable: bool, read: int) -> None:
        """From home, a scan that found nothing stays on the path box and says why, so another path can be typed."""
        if readable:
            lines = [
                f"No known problem was found ({size_text(read)} read). "
                "Try other evidence, or the triage box on the home screen."
            ]
        else:
            lines = ["Nothing could be read:"]
        lines += [f"⚠ {problem}" for problem in problems[:3]]
        if len(problems) > 3:
            lines.append(f"⚠ …and {len(problems) - 3} more problems")
        self._show_phase("ev-collect")
        self._collect_message("\n".join(lines), bad=not readable)
        box = self.query_one("#ev-path", PathInput)
        box.focus()
        box.select_all()

    def _show_survey_results(self, hits: list[Any], problems: list[str], readable: bool, read: int) -> None:
        catalog = self.app.catalog
        by_tree = Counter(h.tree for h in hits)
        lines = [
            plain(f"Found {len(hits)} match{'es' if len(hits) != 1 else ''} for {len(by_tree)} diagnos{'es' if len(by_tree) != 1 else 'is'} ({size_text(read)} read).", "bold")
        ]
        self._summary(lines, problems)
        self._fill_hits(hits, show_tree=True)
        options = []
        for tree_id, count in by_tree.most_common():
            tree = catalog.trees.get(tree_id)
            if tree is None:
                continue
            first = next(h for h in hits if h.tree == tree_id)
            options.append(
                Option(
                    Hanging(join(("▸ ", "bold"), (tree.title, "bold"), (f"\n    {count} match{'es' if count != 1 else ''}, first in {clean(Path(str(first.file)).name, one_line=True)}", "dim"))),
                    id=tree_id,
                )
            )
        answers = self.query_one("#ev-answers", OptionList)
        answers.set_options(options)
        answers.display = bool(options)
        if options:
            answers.highlighted = 0

    def action_pick(self, number: int) -> None:
        """A number key answers with that choice once results are shown, as on the step screen."""
        answers = self.query_one("#ev-answers", OptionList)
        if self.check is None or not answers.display or not 1 <= number <= answers.option_count:
            return
        answers.highlighted = number - 1
        answers.action_select()

    @on(OptionList.OptionSelected, "#ev-answers")
    def answered(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice is None:
            return
        if self.check is None:
            self._start_tree(choice)
            return
        proposal = self.proposal
        if proposal is not None:
            captures = {name: clean(value, one_line=True) for name, value in proposal.captures.items()}
            outcome = EvidenceOutcome(
                choice=choice,
                proposed=proposal.choice,
                # Kept exactly as read (a file name that is not UTF-8 included); every screen and export cleans
                # what it shows.
                evidence=proposal_citations(proposal, MAX_CITATIONS),
                captures=captures,
                contested=proposal.contested,
                files=file_notes(proposal),
            )
        else:
            outcome = EvidenceOutcome(choice=choice, proposed=None)
        self.dismiss(outcome)

    def _start_tree(self, tree_id: str) -> None:
        tree = self.app.catalog.trees.get(tree_id)
        if tree is None:
            return
        self.app.book = self.book
        self.app.begin(tree_id, keep_evidence=True)

    def palette_commands(self) -> list[PaletteCommand]:
        commands = [PaletteCommand("Scan now", "Read the path or the pasted text", self.action_scan)]
        commands.append(PaletteCommand("Browse for a file or folder", "Pick the evidence from a directory tree", self.action_browse))
        from wizard.core.catalog import samples_dir

        samples = samples_dir()
        if samples.is_dir():
            commands.append(
                PaletteCommand(
                    "Use the sample bundles for practice",
                    f"Fill in {samples}, sample logs to try the wizard on",
                    lambda: self._use_path(samples),
                )
            )
            session = self.app.session
            tree_ids = [session.tree_id] if self.check is not None and session is not None else None
            for case in practice_cases(samples, tree_ids):
                commands.append(
                    PaletteCommand(
                        f"Practice case {case.parent.name}/{case.name} (sample bundle)",
                        case_summary(case),
                        functools.partial(self._use_path, case),
                    )
                )
        return commands

    def _use_path(self, path: Path) -> None:
        self._show_phase("ev-collect")
        box = self.query_one("#ev-path", PathInput)
        box.remember(str(path))
        box.focus()


def practice_cases(samples: Path, tree_ids: list[str] | None) -> list[Path]:
    """The sample bundles (samples/<tree>/<case>/) of the given trees, or of every tree."""
    folders = [samples / t for t in tree_ids] if tree_ids is not None else sorted(p for p in samples.iterdir() if p.is_dir())
    return [case for folder in folders if folder.is_dir() for case in sorted(folder.iterdir()) if case.is_dir()]


def case_summary(case: Path) -> str:
    """The first sentence-like line of a case's README, for the palette's help text."""
    try:
        lines = (case / "README.md").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "A practice bundle"
    for line in lines:
        text = line.strip().lstrip("#").strip()
        if text:
            return clean(text, one_line=True)[:120]
    return "A practice bundle"
