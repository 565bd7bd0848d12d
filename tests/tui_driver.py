"""Drives the interactive wizard with key presses only, as an operator reads the screen and answers.

At a question the driver presses the number of the wanted answer, or Enter when the cursor already stands on it
(the evidence's proposal); at a value it types the value (or keeps one the evidence filled in) and presses Enter.
After every key the walk must have moved: a screen where no key moves the walk forward fails the test.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, OptionList

from tuikit import press_and_pause
from wizard.tui.runbook import RunbookScreen
from wizard.tui.step import StepScreen

MAX_STEPS = 80

Chooser = Callable[[str, str], str | None]
"""(tree, node) -> the choice id wanted there, or None to take what the evidence proposes."""
Valuer = Callable[[str, str, str], str | None]
"""(tree, node, capture name) -> the value to type, or None to keep what the evidence filled in."""


def screen_dump(app) -> str:
    """What the screen shows, for a failure message."""
    from tuikit import screen_text

    return f"screen {type(app.screen).__name__}:\n{screen_text(app)[:1500]}"


async def drive_to_runbook(pilot, choose: Chooser, value_for: Valuer) -> None:
    """Answer with keys until the runbook is on screen; fail where a key does not move the walk."""
    app = pilot.app
    for _ in range(MAX_STEPS):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, RunbookScreen):
            return
        assert isinstance(screen, StepScreen), screen_dump(app)
        step = screen.step
        assert step is not None and step.session is app.session, screen_dump(app)
        before = (len(app.session.moves), app.session.tree_id, app.session.node_id)
        tree, node = app.session.tree_id, app.session.node_id
        if step.capture is not None:
            wanted = value_for(tree, node, step.capture.name)
            box = screen.query_one("#capture", Input)
            assert app.focused is box, f"the value box at {tree}/{node} does not have the focus\n" + screen_dump(app)
            if wanted is None:
                assert step.prefill, f"{tree}/{node} asks for {step.capture.name} and no value is known\n" + screen_dump(app)
            else:
                if box.value:
                    await press_and_pause(pilot, "end", *["backspace"] * len(box.value))
                await press_and_pause(pilot, *wanted)
            await press_and_pause(pilot, "enter")
        if step.session.node.choices:
            wanted_choice = choose(tree, node) or step.preselect
            assert wanted_choice, f"no answer known for {tree}/{node} and the evidence proposes none\n" + screen_dump(app)
            choices = screen.query_one("#choices", OptionList)
            ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
            if choices.highlighted is not None and ids[choices.highlighted] == wanted_choice and app.focused is choices:
                await press_and_pause(pilot, "enter")
            else:
                number = [c.id for c in step.session.node.choices].index(wanted_choice) + 1
                await press_and_pause(pilot, str(number))
        await app.workers.wait_for_complete()
        await pilot.pause()
        after = (len(app.session.moves), app.session.tree_id, app.session.node_id)
        assert after != before, f"no key moved the walk on at {tree}/{node}\n" + screen_dump(app)
    raise AssertionError(f"no runbook after {MAX_STEPS} answers\n" + screen_dump(app))


def path_of(session) -> list[tuple[str, str, str, str | None]]:
    """The walk as (tree, node, choice, value) for every answer, the operator's and the wizard's own."""
    return [(m.tree, m.node, m.choice, m.value) for m in session.moves if not m.is_link]
