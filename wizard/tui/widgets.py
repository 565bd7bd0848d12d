"""Small widgets the screens share."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.suggester import Suggester
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import DirectoryTree, Input, Static

from wizard.tui.safe import clean, plain


class Breadcrumb(Widget):
    """The path so far on one line; when it does not fit, the oldest steps give way to an ellipsis."""

    DEFAULT_CSS = """
    Breadcrumb { height: 1; }
    """

    def __init__(self, parts: list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parts = [clean(p, one_line=True) for p in (parts or [])]

    def set_parts(self, parts: list[str]) -> None:
        self.parts = [clean(p, one_line=True) for p in parts]
        self.refresh()

    def render(self) -> Content:
        width = max(self.size.width, 10)
        sep = " › "
        parts = [p if len(p) <= 28 else p[:27] + "…" for p in self.parts]
        if not parts:
            return Content("")
        shown = list(parts)
        dropped = False
        while len(shown) > 1 and len(sep.join((["…"] if dropped else []) + shown)) > width:
            shown.pop(0)
            dropped = True
        pieces: list[Content] = []
        if dropped:
            pieces.append(Content("…").stylize("dim"))
        for index, part in enumerate(shown):
            last = index == len(shown) - 1
            pieces.append(plain(part, "bold" if last else ""))
        return Content(sep).join(pieces)


class Hanging(Visual):
    """Text whose wrapped lines are indented deeper than the line they continue, for list entries.

    A wrapped title then never starts at the left edge, where it would read as a group heading or a new entry.
    Each line's continuation sits `indent` cells in, or two past the line's own leading spaces if that is deeper.
    """

    def __init__(self, content: Content, indent: int = 4) -> None:
        self.content = content
        self.indent = indent
        self._wrapped: tuple[int, list[Content]] | None = None

    def __str__(self) -> str:
        return self.content.plain

    def _lines(self, width: int) -> list[Content]:
        width = max(width, 1)
        if self._wrapped is not None and self._wrapped[0] == width:
            return self._wrapped[1]
        lines: list[Content] = []
        for line in self.content.split("\n", allow_blank=True):
            lead = len(line.plain) - len(line.plain.lstrip(" "))
            indent = min(max(self.indent, lead + 2), width // 3)
            first = (line.wrap(width) or [line])[0]
            lines.append(first)
            rest = line[len(first.plain) :]
            rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
            if rest.plain:
                lines += [Content(" " * indent) + piece for piece in rest.wrap(max(width - indent, 1))]
        self._wrapped = (width, lines)
        return lines

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return Content("\n").join(self._lines(width)).render_strips(width, height, style, options)


class CommandBlock(Static, can_focus=True):
    """One command, shown exactly as it is pasted; focus it and press c to copy."""

    BINDINGS = [
        Binding("c", "copy", "Copy command", id="copy-command"),
    ]

    class Copied(Message):
        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    def __init__(self, command: str, *, title: str = "command", **kwargs) -> None:
        self.command = clean(command)
        super().__init__(plain(self.command), **kwargs)
        self.border_title = plain(title, one_line=True)
        self.border_subtitle = "c copies"

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.command)
        self.post_message(self.Copied(self.command))


PATH_FLAVOUR = os.path
"""How paths are split and compared: ntpath on Windows (both separators, any case), posixpath elsewhere."""

Listing = Callable[[str], Iterable[tuple[str, bool]]]


def list_folder(folder: str) -> list[tuple[str, bool]]:
    """(name, is a folder) for each entry of `folder`; raises OSError."""
    out = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            out.append((entry.name, is_dir))
    return out


def complete_path(value: str, listing: Listing = list_folder, flavour=None) -> str | None:
    """`value` with its last part completed from what is on disk, or None.

    The last part is cut at either separator the platform knows (`\\` and `/` on Windows) and compared without
    regard to case where the file system ignores it. What was typed is kept as typed; only the rest is added,
    and a folder gets the separator the operator used.
    """
    flavour = flavour or PATH_FLAVOUR
    if not value or "\n" in value:
        return None
    expanded = flavour.expanduser(value)
    separators = [s for s in (flavour.sep, flavour.altsep) if s]
    cut = max(expanded.rfind(s) for s in separators)
    stem = expanded[cut + 1 :]
    if not stem:
        return None
    if cut >= 0:
        folder = expanded[: cut + 1]
        typed_sep = expanded[cut]
    else:
        drive = flavour.splitdrive(expanded)[0]
        folder, typed_sep = (drive or "."), flavour.sep
        stem = expanded[len(drive):] if drive else stem
        if not stem:
            return None
    ignore_case = flavour.normcase("A") == flavour.normcase("a")
    fold = str.lower if ignore_case else (lambda text: text)
    wanted = fold(stem)
    try:
        found = sorted((name, is_dir) for name, is_dir in listing(folder) if fold(name).startswith(wanted))
    except OSError:
        return None
    if not found:
        return None
    names = [name for name, _ in found]
    shared = os.path.commonprefix([fold(name) for name in names])
    choice = names[0][: len(shared)] if len(shared) > len(stem) else names[0]
    completed = value + choice[len(stem) :]
    folders = {fold(name) for name, is_dir in found if is_dir}
    if fold(choice) in folders:
        completed += typed_sep
    return completed if completed != value else None


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk, so Tab or Right finishes a file or folder name."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class PathInput(Input):
    """An Input for a path: Tab takes the completion when one is shown, otherwise moves on."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=False)]

    def __init__(self, **kwargs) -> None:
        super().__init__(suggester=PathSuggester(), **kwargs)

    def remember(self, value: str) -> None:
        """Fill in a path the wizard remembers, all selected: typing replaces it, End or Right keeps it to add to.

        Selecting on focus alone is not enough: the box has the focus before the remembered path is filled in.
        """
        self.value = value
        self.select_all()

    def action_complete(self) -> None:
        if self._suggestion and self.cursor_at_end and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


class SafeDirectoryTree(DirectoryTree):
    """A DirectoryTree whose file names lose control characters before they are drawn."""

    def process_label(self, label: str | Text) -> Text:
        raw = label.plain if isinstance(label, Text) else label
        return Text(clean(raw, one_line=True) or "?")
