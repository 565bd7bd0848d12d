"""Every screen's HELP is Markdown, the form Textual's own help panel renders, and the F1 help shows it so."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Markdown

from tuikit import make_app, pilot_test, press_and_pause
from wizard.tui.evidence import EvidenceScreen
from wizard.tui.home import HomeScreen
from wizard.tui.modals import BrowseScreen, ConfirmScreen, ExportScreen, HelpScreen, ResumeScreen, as_markdown
from wizard.tui.runbook import RunbookScreen
from wizard.tui.step import StepScreen
from wizard.tui.treemap import TreeMapScreen

MARKUP = re.compile(r"\[/?(b|i|u|reverse|bold|dim|italic)?\]")
SCREENS = [HomeScreen, ConfirmScreen, ResumeScreen, ExportScreen, BrowseScreen, RunbookScreen, TreeMapScreen,
           EvidenceScreen]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.__name__)
def test_help_is_written_in_markdown(screen):
    assert screen.HELP.strip()
    assert not MARKUP.search(screen.HELP), screen.HELP
    assert "**" in screen.HELP


def test_help_still_in_markup_reads_as_markdown():
    assert as_markdown("Press [b]y[/] or [i]n[/], see [reverse]this[/].") == "Press **y** or *n*, see `this`."
    assert not MARKUP.search(as_markdown(StepScreen.HELP))


@pilot_test
async def test_f1_renders_the_help_as_markdown():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.query_one(Markdown)
        text = "\n".join(str(block.visual) for block in shown.query("MarkdownParagraph"))
        assert "Type what is wrong" in text and "**" not in text
