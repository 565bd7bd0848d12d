"""Pilot tests at 80x24 of what a first-time operator trips over: focus, saved walks, help, cut text, toasts."""

from __future__ import annotations

from textual.widgets import Input, OptionList

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
from wizard.core.session import list_sessions
from wizard.tui.home import HomeScreen
from wizard.tui.modals import ConfirmScreen, ExportScreen, HelpScreen, ResumeScreen
from wizard.tui.step import StepScreen

SIZE = (80, 24)
BUNDLE = TUI / "bundle"


@pilot_test
async def test_back_home_the_focus_is_in_the_triage_box_so_a_new_ticket_can_be_typed():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")  # picked from the list, so the list had the focus
        await press_and_pause(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        box = app.screen.query_one("#triage", Input)
        assert app.focused is box
        await press_and_pause(pilot, *"sender address")
        assert box.value == "sender address"
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen)
        assert app.session.tree_id == "mini-linked"
        assert app.session.moves == ()


@pilot_test
async def test_back_home_the_last_ticket_is_selected_so_typing_replaces_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, *"public key", "enter")
        assert app.session.tree_id == "mini"
        await press_and_pause(pilot, "escape")
        box = app.screen.query_one("#triage", Input)
        assert app.focused is box
        await press_and_pause(pilot, *"sender address")
        assert box.value == "sender address"


@pilot_test
async def test_a_closed_dialog_leaves_the_focus_where_it_was_on_home():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, "down")  # into the list
        home_list = app.screen.query_one("#home-list")
        assert app.focused is home_list
        await press_and_pause(pilot, "f1")
        await press_and_pause(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        assert app.focused is home_list


async def walk_mini_to_runbook(pilot) -> None:
    await open_tree(pilot, "mini")
    await press_and_pause(pilot, "1", "1", "4", "0", "enter")
    assert pilot.app.session.at_runbook


@pilot_test
async def test_a_saved_walk_is_deleted_from_the_resume_list_only_after_yes():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "escape")
        saved_file = list_sessions(app.data_dir)[0].path
        await press_and_pause(pilot, "f2")
        assert isinstance(app.screen, ResumeScreen)
        await press_and_pause(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Secondary site cannot talk to its parent" in screen_text(app)
        assert saved_file.exists()
        await press_and_pause(pilot, "n")
        assert isinstance(app.screen, ResumeScreen)
        assert saved_file.exists()
        assert app.screen.query_one("#saved", OptionList).option_count == 1
        await press_and_pause(pilot, "d")
        assert saved_file.exists()
        await press_and_pause(pilot, "y")
        assert isinstance(app.screen, ResumeScreen)
        assert not saved_file.exists()
        assert not app.screen.query_one("#saved", OptionList).display
        assert "No saved walks yet" in screen_text(app)
        await press_and_pause(pilot, "escape")
        home_ids = option_ids(app.screen.query_one("#home-list", OptionList))
        assert not any(i and i.startswith("resume:") for i in home_ids)


@pilot_test
async def test_a_walk_that_reached_its_runbook_is_marked_finished_on_home_and_in_the_resume_list():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini-linked")  # a walk left half way
        await press_and_pause(pilot, "escape")
        await walk_mini_to_runbook(pilot)
        await press_and_pause(pilot, "escape")
        home_list = app.screen.query_one("#home-list", OptionList)
        resumes = [t for i, t in zip(option_ids(home_list), option_texts(home_list)) if i and i.startswith("resume:")]
        finished = [t for t in resumes if "finished" in t]
        assert len(resumes) == 2 and len(finished) == 1
        assert finished[0].startswith("✔ Secondary site cannot talk to its parent")
        assert not [t for t in resumes if t not in finished][0].startswith("✔")
        home_list.focus()
        home_list.highlighted = next(n for n, i in enumerate(option_ids(home_list)) if i and i.startswith("resume:"))
        await pilot.pause()
        assert "finished" in str(app.screen.query_one("#home-detail").visual)
        await press_and_pause(pilot, "f2")
        texts = option_texts(app.screen.query_one("#saved", OptionList))
        assert [("finished" in t) for t in texts] == [True, False]
        assert "runbook: Exchange the public keys" in texts[0]


@pilot_test
async def test_f1_explains_the_resume_restart_and_export_dialogs():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "escape", "f2")
        assert isinstance(app.screen, ResumeScreen)
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.help_title == "Resume a saved walk"
        assert "deletes" in app.screen.text
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, ResumeScreen)
        await press_and_pause(pilot, "enter")
        await press_and_pause(pilot, "f5")
        assert isinstance(app.screen, ConfirmScreen)
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Start this walk over from the first step?" in screen_text(app)
        assert "y" in [k.lower() for k, _ in app.screen.keys]
        await press_and_pause(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press_and_pause(pilot, "n")
        await press_and_pause(pilot, "1", "1", "4", "0", "enter", "e")
        assert isinstance(app.screen, ExportScreen)
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.help_title == "Export"
        await press_and_pause(pilot, "escape")
        assert isinstance(app.screen, ExportScreen)


async def palette_hits(pilot, words: str) -> list[str]:
    """What the command palette lists for the typed words."""
    from textual.command import CommandList

    await press_and_pause(pilot, "ctrl+p")
    await pilot.press(*words)
    await pilot.pause(0.5)
    found = option_texts(pilot.app.screen.query_one(CommandList))
    await press_and_pause(pilot, "escape")
    return found


@pilot_test
async def test_the_palette_finds_the_practice_bundles_by_sample_and_by_practice():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, "f3")  # the scan from home offers every practice case
        for words in ("sample", "practice"):
            hits = await palette_hits(pilot, words)
            assert any("Use the sample bundles for practice" in h for h in hits), (words, hits)
            assert any("key-exchange/" in h for h in hits), (words, hits)


@pilot_test
async def test_the_map_help_names_the_symbols_the_map_shows():
    from wizard.tui.treemap import KIND_MARK

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "f2", "f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "letter" not in text
        for mark in KIND_MARK.values():
            assert f"[{mark}]" in text


def terminal_lines(app) -> list[str]:
    """The terminal as the operator sees it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown_in(app, widget) -> str:
    """The words drawn inside a widget's area of the terminal, borders and wrapping taken away."""
    region = widget.region
    rows = terminal_lines(app)[region.y : region.bottom]
    inner = [row[region.x : region.right].strip(" │╭╮╰╯─") for row in rows]
    return " ".join(" ".join(inner).split())


def long_label_catalog(tmp_path):
    """The fixture trees, with a value label as long as the shipped trees' longest ones."""
    from tuikit import GOOD

    from wizard.core.catalog import load_catalog

    folder = tmp_path / "trees"
    folder.mkdir()
    for source in GOOD.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        longer = "label: Retries the despooler logged for the oldest refused instruction\n"
        text = text.replace("label: Number of retries\n", longer)
        (folder / source.name).write_text(text, encoding="utf-8")
    return load_catalog([folder], include_shipped=False, use_env=False)


@pilot_test
async def test_a_value_refused_at_80_columns_says_why_in_full(tmp_path):
    app = make_app(long_label_catalog(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1", "1", "2", ",", "5")
        message = app.screen.query_one("#capture-msg")
        said = " ".join(str(message.visual).split())
        assert said.endswith("'2,5' is not a whole number (for example 12)")
        assert shown_in(app, message) == said


@pilot_test
async def test_home_list_titles_are_whole_when_the_list_scrolls_from_the_start():
    """The trees are read after the first screen is up: the list gains its scrollbar only then."""
    from wizard.core.catalog import load_catalog
    from wizard.core.session import Session, save
    from wizard.tui.app import create_app

    title = "Parent rejects a new secondary site: public keys were never exchanged"
    catalog = load_catalog()
    assert catalog.trees["key-exchange"].title == title
    for tree_id in ("key-exchange", "pending-site"):
        save(Session.start(catalog, tree_id))
    app = create_app()
    app.cursor_blink = False
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if app.catalog_ready:
                break
        await pilot.pause()
        home_list = app.screen.query_one("#home-list", OptionList)
        assert home_list.max_scroll_y > 0
        shown = shown_in(app, home_list)
        assert shown.count(title) == 2
        assert "0 answers" in shown.split(title)[1]


@pilot_test
async def test_a_wrapped_list_entry_is_indented_under_its_own_first_line():
    from wizard.core.catalog import load_catalog
    from wizard.tui.app import create_app

    app = create_app(load_catalog())
    app.cursor_blink = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home_list = app.screen.query_one("#home-list", OptionList)
        region = home_list.region
        rows = [row[region.x + 2 : region.right - 2] for row in terminal_lines(app)[region.y + 1 : region.bottom - 1]]
        at = next(i for i, row in enumerate(rows) if "Clients stuck on a dead distribution point" in row)
        assert rows[at].startswith("  Clients stuck")
        assert rows[at + 1].strip() == "(ConfigMgr 2007/2012)"
        assert rows[at + 1].startswith("    (ConfigMgr")
        headings = ("Configuration Manager 2007", "Exchange Server 2003", "Operations Manager 2007")
        for row in rows:
            if row.strip() and not row.startswith("  "):
                assert row.strip() in headings + ("Start from evidence",) or row.lstrip().startswith("⌕"), row


@pilot_test
async def test_the_export_dialog_shows_the_whole_path_it_will_write(tmp_path):
    deep = tmp_path / "tickets" / "2009" / "april" / "a-long-folder-name-for-the-secondary-site-dal"
    deep.mkdir(parents=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_mini_to_runbook(pilot)
        await press_and_pause(pilot, "e")
        box = app.screen.query_one("#export-path", Input)
        wanted = deep / "runbook-for-the-ticket.md"
        box.value = str(wanted)
        await pilot.pause()
        shown = shown_in(app, app.screen.query_one("#export-where")).replace(" ", "")
        assert shown == f"Savesto:{wanted}".replace(" ", "")
        box.value = str(deep)  # a folder: the default file name goes in it
        await pilot.pause()
        shown = shown_in(app, app.screen.query_one("#export-where")).replace(" ", "")
        assert shown == f"Savesto:{deep / f'mini-{app.session.id}.md'}"


@pilot_test
async def test_toasts_do_not_cover_the_export_dialog_buttons():
    from textual.widgets import Button

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walk_mini_to_runbook(pilot)
        await press_and_pause(pilot, "e", "enter")  # a first export leaves a toast saying where it wrote
        await press_and_pause(pilot, "s")  # and saving the commands another
        assert len(app._notifications) == 2
        await press_and_pause(pilot, "e")
        assert isinstance(app.screen, ExportScreen)
        rows = terminal_lines(app)
        for button in app.screen.query(Button):
            region = button.region
            label = str(button.label)
            assert label in rows[region.y + region.height // 2][region.x : region.right], (label, rows)
        await press_and_pause(pilot, "escape")
        assert len(app._notifications) == 2  # hidden on the dialog, not thrown away


@pilot_test
async def test_a_failed_scan_from_home_keeps_the_path_box_and_says_why(tmp_path):
    from wizard.tui.evidence import EvidenceScreen
    from wizard.tui.widgets import PathInput

    missing = tmp_path / "no-such-evidence"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, "f3")
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press(*str(missing))
        await scan_and_wait(pilot)
        assert app.screen.phase == "ev-collect"
        box = app.screen.query_one("#ev-path", PathInput)
        assert box.display and app.focused is box
        said = shown_in(app, app.screen.query_one("#ev-collect-msg"))
        assert "Nothing could be read" in said and "no such file or folder" in said
        assert str(missing) in said.replace(" ", "")  # a long path folds over two lines
        await pilot.press(*str(BUNDLE))  # the next try replaces the failed path
        assert box.value == str(BUNDLE)
        await scan_and_wait(pilot)
        assert app.screen.phase == "ev-results"
        assert option_ids(app.screen.query_one("#ev-answers", OptionList))[0] == "mini"


@pilot_test
async def test_a_remembered_evidence_path_is_replaced_by_typing_not_appended_to():
    from wizard.tui.widgets import PathInput

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, "f3")
        await pilot.press(*str(BUNDLE / "despool.log"))
        await scan_and_wait(pilot)
        await press_and_pause(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        await press_and_pause(pilot, "f3")
        box = app.screen.query_one("#ev-path", PathInput)
        assert box.value == str(BUNDLE / "despool.log")  # offered again
        await pilot.press(*str(BUNDLE))
        assert box.value == str(BUNDLE)
        await press_and_pause(pilot, "escape")
        # At a check the remembered path is offered the same way, and End keeps it to add to.
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1", "f3")
        box = app.screen.query_one("#ev-path", PathInput)
        assert box.value == str(BUNDLE / "despool.log")
        await press_and_pause(pilot, "end", "x")
        assert box.value == str(BUNDLE / "despool.log") + "x"


def commands_file_lines(app) -> list[str]:
    saved = app.exports_dir / f"{app.session.tree_id}-{app.session.id}-commands.txt"
    return saved.read_text(encoding="utf-8").splitlines()


@pilot_test
async def test_the_saved_commands_file_pastes_into_cmd_without_errors():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_mini_to_runbook(pilot)
        await press_and_pause(pilot, "s")
        lines = commands_file_lines(app)
        commands = ["preinst /keyforparent", "preinst /keyforchild"]
        assert [line for line in lines if line and not line.startswith("REM ")] == commands
        assert not any(line.startswith("#") for line in lines)
        assert "cmd.exe" in lines[1]
        assert lines[lines.index(commands[0]) - 1] == "REM Step 1 of 3, on the child site server"
        assert lines[lines.index(commands[1]) - 1] == "REM Step 3 of 3, on the parent site server"


@pilot_test
async def test_tree_text_in_the_commands_file_stays_on_its_comment_line(tmp_path):
    from tuikit import GOOD

    from wizard.core.catalog import load_catalog

    folder = tmp_path / "trees"
    folder.mkdir()
    for source in GOOD.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        # Control characters in a tree are refused when it loads (WZ430); what is left for the file is cmd syntax.
        text = text.replace("runs_on: child site server\n", 'runs_on: "child site del /q C:\\\\*.* & ^"\n')
        text = text.replace("          - preinst /keyforparent\n", "          - preinst /keyforparent {site_code}\n")
        (folder / source.name).write_text(text, encoding="utf-8")
    app = make_app(load_catalog([folder], include_shipped=False, use_env=False))
    async with app.run_test(size=SIZE) as pilot:
        await walk_mini_to_runbook(pilot)
        await press_and_pause(pilot, "s")
        lines = commands_file_lines(app)
        assert [line for line in lines if line and not line.startswith("REM ")] == [
            "preinst /keyforparent <site code>",
            "preinst /keyforchild",
        ]
        step = next(line for line in lines if line.startswith("REM Step 1 "))
        assert step.startswith("REM Step 1 of 3, on the child site del /q")
        assert "\x1b" not in step and not step.endswith("^")
        warning = lines[lines.index("preinst /keyforparent <site code>") - 1]
        assert warning.startswith("REM Replace <site code> in the next line")


def count_rankings(monkeypatch) -> list[tuple[str, str]]:
    """Every call of the triage ranking, with the text and the thread it ran on."""
    import threading

    from wizard.core import triage

    calls: list[tuple[str, str]] = []
    real = triage.rank

    def counted(text, trees):
        calls.append((text, threading.current_thread().name))
        return real(text, trees)

    monkeypatch.setattr(triage, "rank", counted)
    return calls


@pilot_test
async def test_the_triage_box_ranks_once_typing_pauses_not_at_every_key(monkeypatch):
    from wizard.tui.home import TRIAGE_PAUSE

    calls = count_rankings(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, *"public key refused")
        await pilot.pause(TRIAGE_PAUSE + 0.2)
        # Once, for the whole text (a very slow machine may have paused mid-word once or twice, never 18 times).
        assert 1 <= len(calls) <= 3 and calls[-1][0] == "public key refused"
        home_list = app.screen.query_one("#home-list", OptionList)
        assert option_ids(home_list)[home_list.highlighted].startswith("match:mini:")


@pilot_test
async def test_enter_ranks_at_once_and_opens_the_best_match_for_the_whole_text(monkeypatch):
    calls = count_rankings(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, *"sender address", "enter")
        assert 1 <= len(calls) <= 3 and calls[-1][0] == "sender address"
        assert isinstance(app.screen, StepScreen)
        assert app.session.tree_id == "mini-linked"


@pilot_test
async def test_a_pasted_ticket_is_ranked_off_the_screen_thread(monkeypatch):
    import threading

    from textual import events

    from wizard.tui.home import TRIAGE_PAUSE

    calls = count_rankings(monkeypatch)
    ticket = "Hi team, since the install the parent refuses the secondary: public key missing. " * 750
    assert len(ticket) > 60_000
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#triage", Input).post_message(events.Paste(ticket))
        await pilot.pause(TRIAGE_PAUSE + 0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(calls) == 1 and calls[0][1] != threading.main_thread().name
        home_list = app.screen.query_one("#home-list", OptionList)
        assert option_ids(home_list)[home_list.highlighted].startswith("match:mini:")
        await press_and_pause(pilot, "enter")  # the ranking is reused, not worked out again
        assert len(calls) == 1 and app.session.tree_id == "mini"


@pilot_test
async def test_the_resume_list_is_as_tall_as_its_wrapped_entries():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_mini_to_runbook(pilot)
        await press_and_pause(pilot, "escape", "f2")
        saved = app.screen.query_one("#saved", OptionList)
        assert saved.virtual_size.height == 3  # the title, and where it stands wrapped over two lines
        assert saved.region.height == saved.virtual_size.height + 2  # no blank line above the bottom border


def test_hanging_lines_keep_every_character_and_survive_any_width():
    from textual.content import Content

    from wizard.tui.widgets import Hanging

    text = "  Clients stuck on a dead distribution point after a DR failover (ConfigMgr 2007/2012)\n    at: a step"
    entry = Hanging(Content(text))
    assert str(entry) == text
    for width in range(0, 90):
        lines = [line.plain for line in entry._lines(width)]
        assert all(len(line) <= max(width, 1) for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    lines = [line.plain for line in entry._lines(40)]
    assert lines[0] == "  Clients stuck on a dead distribution"
    assert all(line.startswith("    ") for line in lines[1:])
