"""Trees as networkx graphs, and as Mermaid or Graphviz text for a picture of the whole tree.

networkx costs a few hundred milliseconds to import, so it is imported here and only when a graph is asked for.
References are resolved by the loader before a graph is built, so no edge can invent a node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.core.model import Check, Link, Question, Runbook, Tree

if TYPE_CHECKING:
    import networkx


def to_digraph(tree: Tree) -> networkx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph(tree=tree.id, title=tree.title, start=tree.start)
    for node_id, node in tree.nodes.items():
        graph.add_node(node_id, record=node, kind=node.kind, label=tree.label(node_id))
    for source, target, choice in tree.edges():
        if target not in graph:
            raise ValueError(f"{tree.id}: {source} points at unknown node {target}")
        if graph.has_edge(source, target):
            graph.edges[source, target]["choices"].append(choice)
        else:
            graph.add_edge(source, target, choice=choice, choices=[choice])
    return graph


def layers(tree: Tree) -> list[list[str]]:
    """Nodes by distance from the start (unreachable ones last), for drawing the tree top to bottom."""
    depth: dict[str, int] = {tree.start: 0}
    frontier = [tree.start]
    children: dict[str, list[str]] = {}
    for source, target, _ in tree.edges():
        children.setdefault(source, []).append(target)
    while frontier:
        following = []
        for node_id in frontier:
            for child in children.get(node_id, []):
                if child not in depth:
                    depth[child] = depth[node_id] + 1
                    following.append(child)
        frontier = following
    rows: list[list[str]] = []
    for node_id in tree.nodes:
        if node_id in depth:
            while len(rows) <= depth[node_id]:
                rows.append([])
            rows[depth[node_id]].append(node_id)
    orphans = [n for n in tree.nodes if n not in depth]
    if orphans:
        rows.append(orphans)
    return rows


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def mermaid(tree: Tree) -> str:
    graph = to_digraph(tree)
    ident = {node_id: f"n{i}" for i, node_id in enumerate(graph.nodes)}

    def label(node_id: str) -> str:
        return _short(graph.nodes[node_id]["label"]).replace('"', "'")

    lines = ["flowchart TD"]
    for node_id, data in graph.nodes(data=True):
        node = data["record"]
        text = label(node_id)
        if isinstance(node, Runbook):
            shape = f'(["{text}"])'
        elif isinstance(node, Check):
            shape = f'[/"{text}"/]'
        elif isinstance(node, Link):
            shape = f'[["{text}"]]'
        else:
            shape = f'{{"{text}"}}'
        lines.append(f"    {ident[node_id]}{shape}")
    for source, target, data in graph.edges(data=True):
        node = tree.nodes[source]
        labels = []
        for choice_id in data["choices"]:
            choice = next((c for c in getattr(node, "choices", ()) if c.id == choice_id), None)
            labels.append(_short(choice.label, 40) if choice else "")
        text = " / ".join(x for x in labels if x).replace('"', "'").replace("|", "/")
        arrow = f'-->|"{text}"|' if text else "-->"
        lines.append(f"    {ident[source]} {arrow} {ident[target]}")
    for node_id, data in graph.nodes(data=True):
        if isinstance(data["record"], Link):
            lines.append(f'    {ident[node_id]} -.-> ext_{ident[node_id]}(("{data["record"].tree}"))')
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(tree: Tree) -> str:
    graph = to_digraph(tree)
    shapes = {"question": "diamond", "check": "parallelogram", "runbook": "box", "link": "cds"}
    lines = [f"digraph {_dot_quote(tree.id)} {{", "    rankdir=TB;", "    node [fontname=Helvetica];"]
    for node_id, data in graph.nodes(data=True):
        style = ', style="rounded,bold"' if data["kind"] == "runbook" else ""
        label = _dot_quote(_short(data["label"], 50))
        lines.append(f"    {_dot_quote(node_id)} [label={label}, shape={shapes[data['kind']]}{style}];")
    for source, target, data in graph.edges(data=True):
        node = tree.nodes[source]
        assert isinstance(node, (Question, Check))
        labels = [c.label for c in node.choices if c.id in data["choices"]]
        label = _dot_quote(_short(" / ".join(labels), 40)) if labels else '""'
        lines.append(f"    {_dot_quote(source)} -> {_dot_quote(target)} [label={label}];")
    for node_id, data in graph.nodes(data=True):
        if isinstance(data["record"], Link):
            ext = _dot_quote(f"tree:{data['record'].tree}")
            lines.append(f"    {ext} [shape=folder];")
            lines.append(f"    {_dot_quote(node_id)} -> {ext} [style=dashed];")
    lines.append("}")
    return "\n".join(lines) + "\n"
