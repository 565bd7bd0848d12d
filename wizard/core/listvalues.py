"""List values: a capture of `type: list` holds several items (every dead DP, not just the first).

A list travels through the session as one text, its items joined by LIST_SEPARATOR, so saved walks, `--set` and
placeholders keep working on plain strings. Typed lists may use commas or semicolons; evidence that captures the
same list name several times adds each new item in the order met.
"""

from __future__ import annotations

from collections.abc import Iterable

from wizard.core.model import Question, Check, Tree

LIST_SEPARATOR = ", "


def split_list(text: str) -> list[str]:
    """The items of a list value, trimmed, empty ones dropped, each kept once in first-seen order."""
    items: list[str] = []
    for raw in text.replace(";", ",").split(","):
        item = raw.strip()
        if item and item not in items:
            items.append(item)
    return items


def join_list(items: Iterable[str]) -> str:
    out: list[str] = []
    for item in items:
        for piece in split_list(item):
            if piece not in out:
                out.append(piece)
    return LIST_SEPARATOR.join(out)


def list_names(tree: Tree) -> frozenset[str]:
    """The names of the tree's list captures."""
    return frozenset(
        node.capture.name
        for node in tree.nodes.values()
        if isinstance(node, (Question, Check)) and node.capture is not None and node.capture.type == "list"
    )
