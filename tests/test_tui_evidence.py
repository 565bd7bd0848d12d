"""Pilot tests of reading evidence in the app: scan in a worker, propose, confirm or override, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from tuikit import (
    TUI,
    make_app,
    open_tree,
    option_ids,
    option_texts,
    pilot_test,
    press_and_pause,
    scan_and_wait,
    screen_text,
)
from wizard.core.evidence import ScanReport
from wizard.tui.evidence import EvidenceScreen
from wizard.tui.home import TRIAGE_PAUSE, HomeScreen
from wizard.tui.modals import BrowseScreen
from wizard.tui.runbook import RunbookScreen
from wizard.tui.step import StepScreen
from wizard.tui.widgets import PathInput

SIZE = (80, 24)
BUNDLE = TUI / "bundle"


async def to_despool_check(pilot) -> None:
    await open_tree(pilot, "mini")
    await press_and_pause(pilot, "1")
    assert pilot.app.session.node_id == "c-despool"


async def scan_path(pilot, path: Path | str) -> None:
    app = pilot.app
    await press_and_pause(pilot, "f3")
    assert isinstance(app.screen, EvidenceScreen)
    box = app.screen.query_one("#ev-path", PathInput)
    box.value = str(path)
    await scan_and_wait(pilot)
    assert app.screen.phase == "ev-results"


@pilot_test
async def test_a_scan_proposes_an_answer_and_an_override_is_recorded():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await scan_path(pilot, BUNDLE)
        screen = app.screen
        answers = screen.query_one("#ev-answers", OptionList)
        assert app.focused is answers
        assert answers.get_option_at_index(answers.highlighted).id == "key-missing"
        assert "◆ proposed" in option_texts(answers)[answers.highlighted]
        summary = str(screen.query_one("#ev-summary").visual)
        assert "Found 3 matches in 2 files" in summary  # the two log lines, and the .ins files in the bundle's inbox
        assert "✓ despool.log: read: ConfigMgr/SMS log records" in summary
        assert "◆ Proposed: The parent cannot find the secondary site's public key" in summary
        assert "because: The parent has no public key for a site that sends it instructions." in summary
        hits = option_texts(screen.query_one("#ev-hits", OptionList))
        assert any(h.startswith("despool.log:3") or "despool.log:3 · 2009-04-02 08:15:02.144+300 · SMS_DESPOOLER" in h for h in hits)

        await press_and_pause(pilot, "down", "enter")  # overrule: "No key errors in the log"
        assert isinstance(app.screen, StepScreen)
        answered = [m for m in app.session.moves if m.by_operator][-1]
        assert (answered.node, answered.choice, answered.proposed) == ("c-despool", "clean", "key-missing")
        assert answered.overridden
        assert {c.line for c in answered.evidence} >= {3, 4}
        assert app.session.values["site_code"] == "T01"
        # The linked tree asks for the site code, which the evidence already gave: that question is not asked.
        assert app.session.tree_id == "mini-linked"
        skipped = [m for m in app.session.moves if m.auto]
        assert skipped and skipped[-1].tree == "mini-linked" and skipped[-1].value == "T01"
        assert app.session.node_id != skipped[-1].node


@pilot_test
async def test_confirming_the_proposal_shows_in_the_runbook():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await scan_path(pilot, BUNDLE)
        await press_and_pause(pilot, "enter")
        assert app.session.node_id == "q-retries"
        await press_and_pause(pilot, "9", "5", "enter")
        assert isinstance(app.screen, RunbookScreen)
        text = screen_text(app)
        assert "Despooler log: The parent cannot find the secondary site's public key  (◆ proposed by the evidence)" in text
        assert "Minutes before the despooler stops retrying: 25 minutes" in text


@pilot_test
async def test_an_overridden_answer_is_flagged_in_the_runbook(tmp_path: Path):
    quiet = tmp_path / "despool.log"
    quiet.write_text(
        "Waiting for ready instruction file....~  $$<SMS_DESPOOLER><04-02-2009 08:15:02.113+300><thread=2204 (0x89C)>\r\n",
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start_at_check_then_override_to_runbook(pilot, quiet)
        text = screen_text(app)
        assert "⚑ OVERRIDE: the evidence proposed 'No key errors in the log', you chose 'The parent cannot find the secondary site's public key'" in text


async def start_at_check_then_override_to_runbook(pilot, quiet_log: Path) -> None:
    app = pilot.app
    await to_despool_check(pilot)
    await scan_path(pilot, quiet_log)  # a despool.log with no key errors in it
    answers = app.screen.query_one("#ev-answers", OptionList)
    assert answers.get_option_at_index(answers.highlighted).id == "clean"
    await press_and_pause(pilot, "up", "enter")
    await press_and_pause(pilot, "7", "enter")
    assert isinstance(app.screen, RunbookScreen)


@pilot_test
async def test_a_folder_without_the_files_a_check_reads_proposes_nothing(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("nothing to see\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await scan_path(pilot, tmp_path)
        summary = str(app.screen.query_one("#ev-summary").visual)
        assert "No proposal: none of the given files holds what this step reads (such as despool.lo?)" in summary
        assert "notes.txt: skipped: holds plain text" in summary
        assert not any("◆ proposed" in t for t in option_texts(app.screen.query_one("#ev-answers", OptionList)))
        await press_and_pause(pilot, "enter")
        answered = app.session.moves[-1] if not app.session.moves[-1].is_link else app.session.moves[-2]
        assert answered.proposed is None


@pilot_test
async def test_a_missing_path_reports_a_problem_and_nothing_readable(tmp_path: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await scan_path(pilot, tmp_path / "no-such-folder")
        summary = str(app.screen.query_one("#ev-summary").visual)
        assert "Nothing could be read" in summary
        assert "⚠ " in summary


@pilot_test
async def test_pasted_text_is_scanned_too():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await press_and_pause(pilot, "f3")
        app.screen.query_one("#ev-paste", TextArea).text = (
            "Cannot find a public key for instruction C:\\x.ins incoming from site P07, retry it later"
        )
        await scan_and_wait(pilot)
        answers = app.screen.query_one("#ev-answers", OptionList)
        assert answers.get_option_at_index(answers.highlighted).id == "key-missing"


HOSTILE_LINES = [
    "[@click=app.quit]Cannot find a public key for instruction [@click=app.quit]now[/] incoming from site H01",
    "Cannot find a public key for instruction \x1b[2J\x1b[31mred\x1b[0m\x1b]0;retitled\x07 [/usr/bin [b]bold",
    "Cannot find a public key for instruction [link=file:///etc/passwd]x[/link] \x07\x08\x0b\x9b31m tail [/",
]


@pilot_test
async def test_log_text_full_of_markup_and_escapes_is_shown_as_written(tmp_path: Path):
    bundle = tmp_path / "[@click=app.quit]hostile\x1b[2J"
    bundle.mkdir()
    (bundle / "despool.log").write_text("\r\n".join(HOSTILE_LINES) + "\r\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await scan_path(pilot, bundle)
        hits = app.screen.query_one("#ev-hits", OptionList)
        texts = option_texts(hits)
        joined = "\n".join(texts)
        assert "[@click=app.quit]Cannot find a public key" in joined
        assert "[/usr/bin [b]bold" in joined
        assert "[link=file:///etc/passwd]x[/link]" in joined
        assert "[@click=app.quit]hostile/despool.log:1" in joined
        assert not any(ch in joined for ch in "\x1b\x07\x08\x0b\x9b")
        assert "retitled" not in joined
        # Clicking every hit must not run the action the text spells out.
        for index in range(hits.option_count):
            hits.highlighted = index
            await pilot.click(hits, offset=(4, 1 + 2 * index))
            await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, EvidenceScreen)
        svg = app.export_screenshot()
        assert "\x1b" not in svg
        await pilot.press("tab")  # from the answers to nowhere special; the proposal still stands
        answers = app.screen.query_one("#ev-answers", OptionList)
        answers.focus()
        await press_and_pause(pilot, "enter")
        answered = [m for m in app.session.moves if m.by_operator][-1]
        assert answered.choice == "key-missing"
        # The walk keeps the lines exactly as read; what is saved to disk and shown is escaped or cleaned.
        assert any("\x1b" in c.text for c in answered.evidence)
        assert "\x1b" not in app.saved_to.read_text(encoding="utf-8")
        assert "\x1b" not in app.export_screenshot()


@pilot_test
async def test_typed_text_with_markup_stays_text():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await press_and_pause(pilot, "1")  # key missing -> retries
        await press_and_pause(pilot, *"[@click=app.quit]", "enter")
        assert app.is_running
        message = str(app.screen.query_one("#capture-msg").visual)
        assert "'[@click=app.quit]' does not look right" in message or "'[@click=app.quit]' is not a whole number" in message


@pilot_test
async def test_progress_is_shown_in_bytes_and_escape_cancels(monkeypatch):
    release = threading.Event()
    seen_cancel = threading.Event()

    def slow_scan(paths, probes, *, progress=None, cancelled=None):
        progress(512 * 1024, 2 * 1024 * 1024)
        while not cancelled():
            if release.wait(0.01):
                break
        seen_cancel.set()
        return ScanReport(hits=[], problems=[], inputs_readable=1, bytes_read=512 * 1024, cancelled=True)

    monkeypatch.setattr("wizard.core.evidence.scan", slow_scan)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await press_and_pause(pilot, "f3")
        app.screen.query_one("#ev-path", PathInput).value = str(BUNDLE)
        await pilot.press("ctrl+s")
        for _ in range(100):
            await pilot.pause(0.02)
            if "512.0 KB" in str(app.screen.query_one("#ev-progress-label").visual):
                break
        assert app.screen.phase == "ev-running"
        assert str(app.screen.query_one("#ev-progress-label").visual) == "Read 512.0 KB of 2.0 MB (25%)"
        assert app.screen.query_one("#ev-progress").percentage == 0.25
        await press_and_pause(pilot, "escape")
        assert seen_cancel.wait(5)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        assert app.screen.phase == "ev-collect"
        assert "Scan cancelled after 512.0 KB" in str(app.screen.query_one("#ev-collect-msg").visual)
        assert app.session.node_id == "c-despool"
        await press_and_pause(pilot, "escape")
        assert isinstance(app.screen, StepScreen)


@pilot_test
async def test_scan_from_home_points_to_a_tree_and_starts_it_with_that_evidence():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, "f3")
        assert isinstance(app.screen, EvidenceScreen)
        app.screen.query_one("#ev-path", PathInput).value = str(BUNDLE)
        await scan_and_wait(pilot)
        answers = app.screen.query_one("#ev-answers", OptionList)
        assert option_ids(answers)[0] == "mini"
        assert "3 matches" in option_texts(answers)[0]
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen)
        assert app.session.tree_id == "mini"
        assert app.session.evidence == (str(BUNDLE),)
        # At the check the evidence scanned from home proposes at once: no F3, Enter confirms.
        await press_and_pause(pilot, "1")
        assert app.session.node_id == "c-despool"
        choices = app.screen.query_one("#choices", OptionList)
        assert choices.get_option_at_index(choices.highlighted).id == "key-missing"
        assert "◆ The evidence you gave proposes" in str(app.screen.query_one("#evidence-hint").visual)
        await press_and_pause(pilot, "enter")
        answered = [m for m in app.session.moves if m.by_operator][-1]
        assert (answered.node, answered.choice, answered.proposed) == ("c-despool", "key-missing", "key-missing")
        assert answered.evidence and app.session.values["site_code"] == "T01"
        # F3 at a later check offers the same evidence again.
        await press_and_pause(pilot, "f4")
        await press_and_pause(pilot, "f3")
        assert app.screen.query_one("#ev-path", PathInput).value == str(BUNDLE)


@pilot_test
async def test_the_path_box_completes_names_from_disk():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await press_and_pause(pilot, "f3")
        box = app.screen.query_one("#ev-path", PathInput)
        box.focus()
        await pilot.press(*f"{TUI}/bun")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await press_and_pause(pilot, "tab")
        assert box.value == f"{BUNDLE}/"
        assert app.focused is box
        await pilot.press(*"desp")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("tab")
        assert box.value == f"{BUNDLE}/despool.log"


@pilot_test
async def test_browse_picks_a_folder():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await press_and_pause(pilot, "f3")
        app.screen.query_one("#ev-path", PathInput).value = str(BUNDLE)
        await press_and_pause(pilot, "ctrl+o")
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.start == BUNDLE.resolve()
        await pilot.pause(0.2)
        await press_and_pause(pilot, "u")
        assert isinstance(app.screen, EvidenceScreen)
        picked = Path(app.screen.query_one("#ev-path", PathInput).value)
        assert picked == BUNDLE.resolve() or picked.parent == BUNDLE.resolve()


@pilot_test
async def test_triage_ranks_as_you_type_and_enter_opens_the_best_match():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await press_and_pause(pilot, *"Cannot find a public key for instruction")
        await pilot.pause(TRIAGE_PAUSE + 0.2)  # ranked once typing pauses
        home_list = app.screen.query_one("#home-list", OptionList)
        assert home_list.border_title == "Best matches"
        assert option_ids(home_list)[home_list.highlighted].startswith("match:mini:")
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen)
        assert app.session.tree_id == "mini"


@pilot_test
async def test_triage_box_takes_markup_as_plain_words():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, *"[@click=app.quit] [b]x[/b] [/usr/bin")
        assert app.is_running
        assert app.screen.query_one("#triage", Input).value == "[@click=app.quit] [b]x[/b] [/usr/bin"


@pilot_test
async def test_typed_values_shown_in_titles_and_commands_stay_text(tmp_path: Path):
    tree = (TUI.parent / "good" / "mini-linked.yaml").read_text(encoding="utf-8")
    tree = tree.replace("pattern: '[A-Z0-9]{3}'", "pattern: '.+'").replace(
        "runs_on: console", "runs_on: 'console of {site_code}'"
    )
    folder = tmp_path / "trees"
    folder.mkdir()
    (folder / "mini-linked.yaml").write_text(tree, encoding="utf-8")
    from wizard.core.catalog import load_catalog

    catalog = load_catalog([folder], include_shipped=False, use_env=False)
    assert not catalog.errors, catalog.errors
    app = make_app(catalog)
    async with app.run_test(size=SIZE) as pilot:
        app.begin("mini-linked")
        await pilot.pause()
        await press_and_pause(pilot, *"[@click=app.quit]X", "enter")
        await press_and_pause(pilot, "1")
        assert app.session.at_runbook
        step = app.screen.query(".step").first()
        await pilot.click(step, offset=(10, 0))
        await pilot.pause()
        assert app.is_running
        assert "console of [@click=app.quit]X" in str(step._border_title)
        assert "[@click=app.quit]X" in screen_text(app)


@pilot_test
async def test_without_a_proposal_nothing_is_preselected_and_a_number_answers(tmp_path):
    app = make_app()
    (tmp_path / "unrelated.txt").write_text("nothing the check looks for\n")
    async with app.run_test(size=SIZE) as pilot:
        await to_despool_check(pilot)
        await scan_path(pilot, tmp_path)
        answers = app.screen.query_one("#ev-answers", OptionList)
        assert answers.highlighted is None
        assert answers.border_title == "Your answer (arrows or its number)"
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, EvidenceScreen)
        await press_and_pause(pilot, "2")
        assert isinstance(app.screen, StepScreen)
        answered = [m for m in app.session.moves if m.by_operator][-1]
        assert (answered.node, answered.choice, answered.proposed) == ("c-despool", "clean", None)


def test_practice_cases_of_one_tree_or_all_with_their_readme_line(tmp_path):
    from wizard.tui.evidence import case_summary, practice_cases

    (tmp_path / "door" / "stuck").mkdir(parents=True)
    (tmp_path / "door" / "stuck" / "README.md").write_text("\n# Case: the door \x1b[31mjams\n\nmore\n")
    (tmp_path / "door" / "notes.txt").write_text("not a case")
    (tmp_path / "bell" / "silent").mkdir(parents=True)
    assert practice_cases(tmp_path, ["door"]) == [tmp_path / "door" / "stuck"]
    assert practice_cases(tmp_path, ["nothing"]) == []
    assert practice_cases(tmp_path, None) == [tmp_path / "bell" / "silent", tmp_path / "door" / "stuck"]
    assert case_summary(tmp_path / "door" / "stuck") == "Case: the door jams"
    assert case_summary(tmp_path / "bell" / "silent") == "A practice bundle"


@pilot_test
async def test_a_contested_proposal_shows_both_sides_and_the_files_read():
    from wizard.core.catalog import load_catalog

    catalog = load_catalog(use_env=False)
    app = make_app(catalog)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_tree(pilot, "dp-stickiness")
        await press_and_pause(pilot, "1")
        assert app.session.node_id == "c-client-logs"
        await scan_path(pilot, Path(__file__).parents[1] / "samples" / "dp-stickiness" / "lon-moved-on-to-second-dead-dp")
        summary = str(app.screen.query_one("#ev-summary").visual)
        assert "⚖ Contested: the evidence points two ways" in summary
        assert "✓ DataTransferService.log: read: ConfigMgr/SMS log records" in summary
        assert "· README.md: skipped" in summary
        hits = option_texts(app.screen.query_one("#ev-hits", OptionList))
        assert hits[0].startswith("◆ decided") and any(h.startswith("⚖ other side") for h in hits)
        await press_and_pause(pilot, "enter")
        answered = [m for m in app.session.moves if not m.is_link][-1]
        assert answered.proposed == "moved-on"
        assert {c.role for c in answered.evidence} == {"decided", "other side"}
