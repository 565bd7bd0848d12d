"""Pilot tests at 80x24 of what a first-time operator trips over: focus, saved walks, help, cut text, toasts."""

from __future__ import annotations

from textual.widgets import Input

from tuikit import make_app, open_tree, pilot_test, press_and_pause
from wizard.tui.home import HomeScreen
from wizard.tui.step import StepScreen

SIZE = (80, 24)


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
