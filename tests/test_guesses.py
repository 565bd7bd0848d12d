"""'I don't know yet' and guesses: offered at every question, carried as such, and confirmed first in the runbook."""

from __future__ import annotations

from tuikit import pilot_test, press_and_pause
from wizard.core.catalog import load_catalog
from wizard.core.render import runbook_dict, runbook_markdown
from wizard.core.session import Session, from_dict, to_dict
from wizard.core.transcript import render, transcript
from wizard.tui.app import create_app
from wizard.tui.step import StepScreen

VALUES = {
    "site_code": "DAL", "parent_site_code": "NYC", "parent_server": "NYC-CM01", "child_server": "DAL-CM01",
    "child_install_dir": "C:\\SMS", "parent_install_dir": "C:\\SMS", "language_code": "00000409",
}


def guessed_walk(catalog) -> Session:
    session = Session.start(catalog, "key-exchange", "q-retry-evidence", values=VALUES)
    session = session.answer("count", guess=True)
    assert session.node_id == "q-retries-counted"
    return session.answer(unknown=True)


def test_a_guess_and_an_unknown_value_are_carried_and_confirmed_first():
    catalog = load_catalog(include_shipped=True, use_env=False)
    session = guessed_walk(catalog)
    assert session.at_runbook and "retries_counted" not in session.values
    assert [(m.guess, m.unknown) for m in session.moves if m.by_operator] == [(True, False), (False, True)]
    again = from_dict(to_dict(session), catalog).session
    assert [(m.guess, m.unknown) for m in again.moves if m.by_operator] == [(True, False), (False, True)]
    first = runbook_dict(session)["confirm_first"]
    assert [(item["node"], item["kind"]) for item in first] == [("q-retry-evidence", "guess"), ("q-retries-counted", "unknown")]
    for text in (runbook_markdown(session), render(transcript(session), "md")):
        assert text.index("## Confirm first") < text.index("## Steps") if "## Steps" in text else "## Confirm first" in text
        assert "you guessed: **The retry count of the oldest waiting instruction**" in text
        assert "**A guess:**" in text and "**Not known yet.**" in text


@pilot_test
async def test_the_screens_offer_i_dont_know_yet_and_mark_the_next_answer_as_a_guess(tmp_path):
    catalog = load_catalog(include_shipped=True, use_env=False)
    app = create_app(catalog, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.begin("key-exchange", "q-retry-evidence", values=VALUES)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StepScreen)
        choices = screen.query_one("#choices")
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert ids[-1] == "not-sure!"
        await press_and_pause(pilot, "end", "enter")
        assert "Your guess" in str(choices.border_title)
        await press_and_pause(pilot, "1")
        assert app.session.node_id == "q-retries-counted" and app.session.moves[-1].guess
        await press_and_pause(pilot, "?", "enter")
        assert app.session.at_runbook and [m for m in app.session.moves if m.by_operator][-1].unknown


def test_plain_mode_takes_a_guess_and_a_value_not_known_yet(tmp_path):
    import io

    from wizard.plain import PlainWalk

    catalog = load_catalog(include_shipped=True, use_env=False)
    out = io.StringIO()

    class Lines(io.StringIO):
        def isatty(self) -> bool:
            return False

    # At the retry question: ~ then 1 (a guess); at the count: ~ alone (not known yet); then q at the runbook.
    walk = PlainWalk(catalog, "key-exchange", values=VALUES, stdin=Lines("~\n1\n~\nq\n"), stdout=out, data_dir=tmp_path)
    walk.session = Session.start(catalog, "key-exchange", "q-retry-evidence", values=VALUES)
    code = walk.run()
    text = " ".join(out.getvalue().split())  # lines are wrapped at the terminal's width
    assert code == 0, text[-1500:]
    assert "## Confirm first" in text and "you guessed" in text and "not known yet" in text
