"""The command palette: what can be done from the screen it was opened on."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from wizard.tui.safe import clean


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean(self.name, one_line=True))
        object.__setattr__(self, "help", clean(self.help, one_line=True))


class WizardCommands(Provider):
    """Asks the calling screen for its `palette_commands()` and adds the trees to open."""

    def _commands(self) -> Iterator[PaletteCommand]:
        screen = self.screen
        offer = getattr(screen, "palette_commands", None)
        if offer is not None:
            yield from offer()
        app = self.app
        catalog = getattr(app, "catalog", None)
        if catalog is not None and hasattr(app, "begin"):
            for tree in sorted(catalog, key=lambda t: t.title):
                yield PaletteCommand(
                    f"Open tree: {clean(tree.title, one_line=True)}",
                    clean(tree.summary, one_line=True),
                    functools.partial(app.begin, tree.id),
                )
        if hasattr(app, "register_theme"):
            yield PaletteCommand(
                "Theme: plain (reads without colour)",
                "Black and white; every state is marked by a word or a symbol",
                lambda: setattr(app, "theme", "wizard-plain"),
            )
            yield PaletteCommand(
                "Theme: default colours",
                "Back to the standard dark theme",
                lambda: setattr(app, "theme", "textual-dark"),
            )

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(Content(command.name), command.run, text=command.name, help=escape(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), command.run, text=command.name, help=escape(command.help)
                )
