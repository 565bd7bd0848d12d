"""The whole tree on one screen: where the walk is, the path it took, and a jump back to any answered step."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core.graph import layers
from wizard.core.model import Check, Question, Tree
from wizard.core.session import Session
from wizard.tui.commands import PaletteCommand
from wizard.tui.safe import clean, join, plain, shorten
from wizard.tui.typed import OnWizardApp

MAX_INDENT = 12
KIND_MARK = {"question": "?", "check": "⌕", "runbook": "▣", "link": "↪"}
LEGEND = "● here  ✓ answered  · not taken  │  ? question  ⌕ evidence  ▣ runbook  ↪ link"


class TreeMapScreen(OnWizardApp, Screen):  # type: ignore[misc]  # see wizard.tui.typed
    BINDINGS = [
        Binding("escape", "close", "Close map", id="map-close"),
        Binding("f2,m", "close", "Close map", show=False),
    ]
    HELP_TITLE = "Tree map"
    HELP = (
        "The tree you are in, from its first question down, one line per step, indented by how far it is "
        "from the start.\n\n"
        "**●** marks where you are, **✓** the steps you answered (with your answer), **·** the ones your "
        "answers did not lead to. The symbol in brackets is the kind of step: **[?]** a question, "
        "**[⌕]** an evidence check, **[▣]** a runbook, **[↪]** a link into another tree.\n\n"
        "Highlight an answered step and press **Enter** to go back to it: that answer and the ones after it "
        "are forgotten, the ones before are kept. The list at the top, **Your path**, does the same for steps "
        "in every tree you passed through."
    )

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(plain(LEGEND, "dim"), id="map-legend")
        yield OptionList(id="map")
        yield Static(id="map-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        session = self.app.session
        self.session = session
        if session is None:
            return
        self.sub_title = f"Map of {clean(session.tree.title, one_line=True)}"
        options, current = self._options(session)
        box = self.query_one("#map", OptionList)
        box.set_options(options)
        box.highlighted = current
        box.focus()
        self.call_after_refresh(box.scroll_to_highlight)
        if current is not None:
            self._describe(options[current])

    def _options(self, session: Session) -> tuple[list[Option], int | None]:
        tree = session.tree
        options: list[Option] = [Option(plain("Your path", "bold underline"), disabled=True)]
        number = 0
        for index, move in enumerate(session.moves):
            if move.is_link:
                options.append(Option(plain(f"     ↪ {move.label}"), disabled=True))
                continue
            number += 1
            moved_tree = session.catalog.trees.get(move.tree)
            label = moved_tree.label(move.node) if moved_tree and move.node in moved_tree.nodes else move.node
            width = max(self.app.size.width - 8, 40)
            text = shorten(f"{clean(label)} → {clean(move.label)}", width - 8)
            options.append(Option(join(f"{number:>3}. ✓ ", (text, "")), id=f"move:{index}"))
        options.append(Option(join(("  ● ", "bold"), (tree.label(session.node_id), "bold"), " (you are here)"), id="here"))
        options.append(Option(join(("Whole tree: ", "bold underline"), (tree.title, "bold underline")), disabled=True))
        answered = {m.node: m for m in session.moves if m.tree == tree.id and not m.is_link}
        width = max(self.app.size.width - 8, 40)
        current: int | None = None
        for depth, row in enumerate(layers(tree)):
            for node_id in row:
                node = tree.nodes[node_id]
                if node_id == session.node_id:
                    mark, style = "●", "bold reverse"
                elif node_id in answered:
                    mark, style = "✓", "bold"
                else:
                    mark, style = "·", "dim"
                prefix = " " * min(depth, MAX_INDENT) + f"{mark} [{KIND_MARK[node.kind]}] "
                room = max(width - len(prefix), 20)
                label = shorten(clean(tree.label(node_id)), room)
                pieces = [(prefix, "bold"), (label, style)]
                if node_id in answered and room - len(label) > 6:
                    pieces.append((" → " + shorten(clean(answered[node_id].label), room - len(label) - 3), "italic"))
                if node_id == session.node_id:
                    current = len(options)
                options.append(Option(join(*pieces), id=f"node:{node_id}"))
        return options, current

    def _describe(self, option: Option) -> None:
        detail = self.query_one("#map-detail", Static)
        session = self.session
        if session is None or option.id is None:
            detail.update("")
            return
        kind, _, rest = option.id.partition(":")
        if kind == "node":
            tree = session.tree
            node = tree.nodes[rest]
            lines = [join((f"[{KIND_MARK[node.kind]}] ", "bold"), (tree.label(rest), "bold"))]
            lines += self._edges(tree, rest)
            if rest == session.node_id:
                hint = "You are here. Enter closes the map."
            elif rest in {m.node for m in session.moves if m.tree == tree.id}:
                hint = "Enter goes back to this step; its answer and the later ones are forgotten."
            else:
                hint = "Not on your path."
            lines.append(plain(hint, "dim"))
            detail.update(Content("\n").join(lines))
        elif kind == "move":
            detail.update(plain("Enter goes back to this step; its answer and the later ones are forgotten.", "dim"))
        else:
            detail.update(plain("Enter closes the map.", "dim"))

    @staticmethod
    def _edges(tree: Tree, node_id: str) -> list[Content]:
        node = tree.nodes[node_id]
        lines: list[Content] = []
        if isinstance(node, (Question, Check)):
            for choice in node.choices[:3]:
                lines.append(join("  ", choice.label, " → ", (tree.label(choice.next), "italic")))
            if len(node.choices) > 3:
                lines.append(plain(f"  …and {len(node.choices) - 3} more answers"))
            if node.capture is not None and node.capture.next:
                lines.append(join("  ", node.capture.label, " → ", (tree.label(node.capture.next), "italic")))
        elif node.kind == "link":
            lines.append(join("  continues in tree ", (getattr(node, "tree", ""), "bold")))
        return lines

    @on(OptionList.OptionHighlighted, "#map")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option)

    @on(OptionList.OptionSelected, "#map")
    def selected(self, event: OptionList.OptionSelected) -> None:
        session = self.session
        if session is None or event.option.id is None:
            return
        kind, _, rest = event.option.id.partition(":")
        if kind == "move":
            self._jump(int(rest))
        elif kind == "node":
            if rest == session.node_id:
                self.action_close()
                return
            indexes = [i for i, m in enumerate(session.moves) if m.tree == session.tree_id and m.node == rest and not m.is_link]
            if indexes:
                self._jump(indexes[-1])
            else:
                self.notify("That step is not on your path; only answered steps can be gone back to.", markup=False)
        else:
            self.action_close()

    def _jump(self, index: int) -> None:
        self.app.pop_screen()
        self.app.jump_to(index)

    def action_close(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[PaletteCommand]:
        return [PaletteCommand("Close the map", "Back to the step", self.action_close)]
