"""Turning trees and finished walks into documents: Markdown for tickets, dicts for JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from wizard.core.expr import ExprError, evaluate, format_number
from wizard.core.listvalues import split_list
from wizard.core.placeholders import fill
from wizard.core.model import Check, Link, Question, Runbook, Step, Tree
from wizard.core.session import Session
from wizard.core.valueinfo import KnownValues
from wizard.core.wording import FENCE_LANGS, place_phrase, shell_name
from wizard.core.textsafe import clean

@dataclass(frozen=True)
class ComputedValue:
    name: str
    label: str
    unit: str
    value: str | None
    formula: str

    def describe(self) -> str:
        if self.value is None:
            return f"{self.label}: {self.formula} (answer the questions that capture its inputs to get a number)"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label}: {self.value}{unit}"


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def computed(session: Session) -> list[ComputedValue]:
    node = session.node
    if not isinstance(node, Runbook):
        return []
    return compute_values(node, session.values)


def compute_values(runbook: Runbook, values: dict[str, str]) -> list[ComputedValue]:
    """Evaluate a runbook's `compute` items in order; later ones may use earlier ones."""
    numbers = {k: n for k, v in values.items() if (n := _number(v)) is not None}
    out: list[ComputedValue] = []
    for item in runbook.compute:
        try:
            result = evaluate(item.expr, numbers)
        except ExprError:
            out.append(ComputedValue(item.name, item.label, item.unit, None, item.expr))
            continue
        numbers[item.name] = result
        out.append(ComputedValue(item.name, item.label, item.unit, format_number(result), item.expr))
    return out


def all_values(session: Session) -> KnownValues:
    """Captured values plus the runbook's computed ones, ready for `fill`; one not known yet is described."""
    values = KnownValues(session.values, [session.catalog.trees[t] for t in session.trees_used if t in session.catalog])
    for item in computed(session):
        if item.value is not None:
            values[item.name] = item.value
    return values


def step_applies(step: Step, session: Session) -> bool:
    """Whether the walk gave the answers a step's `when` asks for (a step without `when` always applies)."""
    for key, choices in step.when:
        tree_id, _, node_id = key.rpartition(":")
        tree_id = tree_id or session.tree_id
        answered = {m.choice for m in session.moves if m.tree == tree_id and m.node == node_id and m.by_operator}
        if not answered.intersection(choices):
            return False
    return True


def shown_steps(session: Session) -> list[Step]:
    """The runbook's steps that apply to this walk, in order; every front end numbers and shows these."""
    node = session.node
    if not isinstance(node, Runbook):
        return []
    return [step for step in node.steps if step_applies(step, session)]


def _unknown(values: Mapping[str, str]) -> list[dict[str, str]]:
    """The values the text just filled asked for and the walk does not know: what each is, where to find it."""
    found = values.unknown() if isinstance(values, KnownValues) else []
    return [{"name": info.name, "label": info.label, "where": info.where} for info in found]


def confirm_first(session: Session, values: Mapping[str, str]) -> list[dict[str, str]]:
    """The answers the operator marked as guesses or left unknown, with how to find out: done before the steps,
    since the diagnosis itself rests on them."""
    out: list[dict[str, str]] = []
    for move in session.moves:
        if not (move.guess or move.unknown):
            continue
        tree = session.catalog.trees.get(move.tree)
        node = tree.nodes.get(move.node) if tree else None
        if not isinstance(node, (Question, Check)):
            continue
        out.append({
            "tree": move.tree,
            "node": move.node,
            "prompt": fill(node.prompt, values),
            "answer": fill(move.label, values),
            "kind": "guess" if move.guess else "unknown",
            "how": fill(node.how, values),
        })
    return out


def confirm_markdown(items: list[dict[str, str]]) -> list[str]:
    """A section, before the steps, that has the operator confirm each guess and find each unknown answer."""
    if not items:
        return []
    out = ["## Confirm first", "", "These answers were guesses or not known; check them before any step, since the",
           "diagnosis rests on them. If one turns out different, walk the tree again with the real answer.", ""]
    for item in items:
        what = "you guessed" if item["kind"] == "guess" else "not known yet"
        out.append(f"- {_md_text(item['prompt'])} ({what}: **{_md_text(item['answer'])}**). How: {_md_text(item['how'])}")
    return [*out, ""]


def unknown_markdown(items: list[dict[str, str]]) -> list[str]:
    """A section that lists the values still unknown, for the top of an export."""
    if not items:
        return []
    out = ["## Values still unknown", "", "Find these before you run the steps that show them as `<...>`:", ""]
    out += [f"- **{_md_text(item['label'])}**: {_md_text(item['where'])}" for item in items]
    return [*out, ""]


def _step_dict(number: int, step: Step, values: dict[str, str] | None, *, label: str = "",
               item: str = "") -> dict[str, Any]:
    """A step with its placeholders filled, or left as written when `values` is None."""

    def text(raw: str) -> str:
        return raw if values is None else fill(raw, values)

    return {
        "n": number,
        "label": label or str(number),
        "item": item,
        "for_each": list(step.for_each),
        "runs_on": text(step.runs_on),
        "do": text(step.do),
        "shell": step.shell,
        "commands": [text(c) for c in step.commands],
        "console": text(step.console),
        "wait": text(step.wait),
        "wait_source": text(step.wait_source),
        "caution": text(step.caution),
        "verify": text(step.verify),
        "changes": step.changes,
        "reversible": step.reversible,
        "undo": text(step.undo),
        "backup": step.backup,
    }


def expand_steps(steps: Runbook | Sequence[Step], values: KnownValues) -> list[dict[str, Any]]:
    """The runbook's steps, filled in; a `for_each` step once per item of its first list (3.1, 3.2, ...).

    Within a repeated step each `for_each` name stands for its own item at the same position, so parallel lists
    (every dead DP and its old address) pair up. A list that was never given leaves the step as one, unfilled.
    """
    out: list[dict[str, Any]] = []
    for number, step in enumerate(steps.steps if isinstance(steps, Runbook) else steps, 1):
        lists = {name: split_list(values[name]) for name in step.for_each if name in values}
        first = lists.get(step.for_each[0], []) if step.for_each else []
        if not first:
            out.append(_step_dict(number, step, values))
            continue
        for index, item in enumerate(first):
            scoped = values.copy()
            for name in step.for_each:
                items = lists.get(name, [])
                if index < len(items):
                    scoped[name] = items[index]
                else:
                    scoped.pop(name, None)
            label = f"{number}.{index + 1}" if len(first) > 1 else str(number)
            out.append(_step_dict(number, step, scoped, label=label, item=item))
    return out


def runbook_steps(session: Session) -> list[dict[str, Any]]:
    """The steps of the session's runbook as the operator follows them (repeated steps expanded)."""
    node = session.node
    if not isinstance(node, Runbook):
        return []
    return expand_steps(shown_steps(session), all_values(session))


def _known_from(session: Session, move: Any) -> str:
    """For a step the wizard took itself, where the value came from: evidence, given up front, an earlier answer."""
    if not move.auto:
        return ""
    if move.evidence:
        return "evidence"
    tree = session.catalog.trees.get(move.tree)
    capture = getattr(tree.nodes.get(move.node), "capture", None) if tree is not None else None
    given = capture is not None and dict(session.preset).get(capture.name) == move.value
    return "given" if given else "earlier answer"


def path_dicts(session: Session, values: KnownValues | None = None) -> list[dict[str, Any]]:
    rows = []
    values = values if values is not None else all_values(session)
    for move in session.moves:
        tree = session.catalog.trees.get(move.tree)
        node = tree.nodes.get(move.node) if tree else None
        prompt = getattr(node, "prompt", "") if node is not None else ""
        rows.append(
            {
                "tree": move.tree,
                "node": move.node,
                "prompt": fill(prompt, values),
                "choice": move.choice,
                "answer": fill(move.label, values),
                "value": move.value,
                "proposed": move.proposed,
                "overridden": move.overridden,
                "contested": move.contested,
                "link": move.is_link,
                "auto": move.auto,
                "guess": move.guess,
                "unknown": move.unknown,
                "known_from": _known_from(session, move),
                "evidence": [
                    {"file": c.file, "line": c.line, "text": c.text, "signature": c.signature, "time": c.time,
                     "role": c.role}
                    for c in move.evidence
                ],
                "files": [{"file": f.file, "read": f.read, "why": f.why} for f in move.files],
                "at": move.at,
            }
        )
    return rows


def runbook_dict(session: Session) -> dict[str, Any]:
    node = session.node
    if not isinstance(node, Runbook):
        raise ValueError("the session is not at a runbook")
    values = all_values(session)
    tree = session.tree
    return {
        "status": "runbook",
        "tree": tree.id,
        "version": tree.version,
        "node": node.id,
        "title": fill(node.title, values),
        "diagnosis": fill(node.diagnosis, values),
        "computed": [
            {"name": c.name, "label": c.label, "value": c.value, "unit": c.unit, "formula": c.formula}
            for c in computed(session)
        ],
        "steps": expand_steps(shown_steps(session), values),
        "next": [{"tree": n.tree, "why": fill(n.why, values)} for n in node.next],
        "escalate": fill(node.escalate, values),
        "learn": [fill(note, values) for note in node.learn],
        "values": session.values,
        "path": path_dicts(session, values),
        "unknown": _unknown(values),
        "confirm_first": confirm_first(session, values),
        "session": session.id,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _fence(lines: list[str] | tuple[str, ...], lang: str = "") -> list[str]:
    body = "\n".join(lines)
    ticks = "```"
    while ticks in body:
        ticks += "`"
    return [f"{ticks}{lang}", *lines, ticks]


def _md_text(text: str) -> str:
    """Keep operator and log text from turning into Markdown structure in a ticket."""
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|")


def runbook_markdown(session: Session) -> str:
    data = runbook_dict(session)
    tree = session.tree
    out = [
        f"# {data['title']}",
        "",
        f"Tree: `{tree.id}` version {tree.version} ({tree.title})  ",
        f"Date: {data['generated']}  ",
        f"Session: {session.id}",
        "",
        *unknown_markdown(data["unknown"]),
        *confirm_markdown(data["confirm_first"]),
        "## Diagnosis",
        "",
        data["diagnosis"],
        "",
    ]
    if data["path"]:
        out += ["## How we got here", "", *path_markdown(data["path"]), ""]
    if data["computed"]:
        out += ["## Timings", ""]
        for item in computed(session):
            out.append(f"- {item.describe()}")
        out.append("")
    out += ["## Steps", ""]
    for step in data["steps"]:
        out += [step_heading(step, "###"), ""]
        out += _step_body(step)
    if data["next"]:
        out += ["## Next", ""]
        out += [f"- Tree `{n['tree']}`: {n['why']}" for n in data["next"]]
        out.append("")
    if data["escalate"]:
        out += ["## Escalate", "", data["escalate"], ""]
    if data["learn"]:
        out += ["## Notes", ""]
        out += [f"- {note}" for note in data["learn"]]
        out.append("")
    return clean("\n".join(out).rstrip() + "\n", lines=True)


def step_heading(step: dict[str, Any], marks: str) -> str:
    """'### 3.1. On the DNS server (for CMDP01)'; the place reads right whatever article the tree wrote."""
    where = place_phrase(step["runs_on"], capital=True)
    heading = f"{marks} {step['label']}." + (f" {where}" if where else "")
    if step["item"]:
        heading += f" (for {_md_text(step['item'])})"
    if step["backup"]:
        heading += " [backup]"
    return heading


def step_lines(step: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, text) lines of one filled step after its `do`, in reading order; screens and exports share it.

    A change that cannot be undone is said first, before the console path and the commands that make it.
    """
    out: list[tuple[str, str]] = []
    if step["changes"] and not step["reversible"]:
        out.append(("irreversible", step["undo"] or "This change cannot be undone."))
    if step["console"]:
        out.append(("console", step["console"]))
    if step["commands"]:
        shell = shell_name(step["shell"]) if step["shell"] else "a shell the step does not name"
        out.append(("shell", f"Run in {shell}:"))
    if step["wait"]:
        out.append(("wait", step["wait"]))
        if step["wait_source"]:
            out.append(("wait_source", step["wait_source"]))
    if step["caution"]:
        out.append(("caution", step["caution"]))
    out.append(("verify", step["verify"]))
    if step["changes"] and step["reversible"] and step["undo"]:
        out.append(("undo", step["undo"]))
    return out


_LINE_LABELS = {
    "console": "Console: {}",
    "wait": "Wait: {}",
    "wait_source": "Where that figure comes from: {}",
    "caution": "> **CAUTION:** {}",
    "verify": "Verify: {}",
    "undo": "Undo: {}",
    "irreversible": "> **CANNOT BE UNDONE:** {}",
}


def _step_body(step: dict[str, Any], indent: str = "") -> list[str]:
    out = [f"{indent}{step['do']}", ""]
    for kind, text in step_lines(step):
        if kind == "shell":
            out += [f"{indent}{text}", ""]
            out += [indent + line for line in _fence(step["commands"], FENCE_LANGS.get(step["shell"], ""))] + [""]
            continue
        out += [indent + _LINE_LABELS[kind].format(text), ""]
    return out


def question_dict(session: Session) -> dict[str, Any]:
    node = session.node
    values = all_values(session)
    assert isinstance(node, (Question, Check))
    capture = node.capture if node.capture is not None and node.capture.name not in session.values else None
    return {
        "status": "question",
        "tree": session.tree_id,
        "node": node.id,
        "kind": node.kind,
        "prompt": fill(node.prompt, values),
        "why": fill(node.why, values),
        "how": fill(node.how, values),
        "commands": [fill(c, values) for c in node.commands],
        "capture": (
            {"name": capture.name, "label": capture.label, "type": capture.type, "example": capture.example}
            if capture
            else None
        ),
        "choices": [{"id": c.id, "label": fill(c.label, values)} for c in node.choices],
        "path": path_dicts(session, values),
        "unknown": _unknown(values),
        "confirm_first": confirm_first(session, values),
    }


NOT_EVIDENCE = "not evidence"
"""Words of the reason given for a prose document (a README) that no check reads; Markdown leaves those out."""

CITED_LINES = 5
"""Evidence lines quoted per answer in Markdown; a ticket needs a few, the JSON keeps them all."""


def code_span(text: Any) -> str:
    """Inline code that holds any text: the fence is longer than any run of backticks inside."""
    flat = " ".join(str(text or "").split())
    ticks = "`"
    while ticks in flat:
        ticks += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def path_markdown(rows: list[dict[str, Any]]) -> list[str]:
    """The answers taken so far, numbered, with the evidence lines behind them."""
    out: list[str] = []
    number = 0
    for row in rows:
        if row["link"]:
            out.append(f"- Continued in tree `{row['answer'].removeprefix('continue in ')}`.")
            continue
        number += 1
        line = f"{number}. {row['prompt']} **{_md_text(row['answer'])}**"
        if row["value"] is not None and row["value"] not in row["answer"]:
            line += f" (value: `{_md_text(row['value'])}`)"
        if row["auto"]:
            line += {
                "evidence": " (not asked: read from the evidence)",
                "given": " (not asked: given before the walk)",
            }.get(row["known_from"], " (not asked: known from an earlier answer)")
        elif row["overridden"]:
            line += f" (evidence suggested `{row['proposed']}`; the operator chose otherwise)"
        elif row["proposed"] is not None:
            line += " (as the evidence proposed)"
        if row.get("contested"):
            line += " **Contested:** the evidence points two ways; both sides are listed."
        if row.get("guess"):
            line += " **A guess:** confirm it before the steps that rely on it."
        elif row.get("unknown"):
            line += " **Not known yet.**"
        out.append(line)
        for role in ("decided", "other side", "not about this"):
            cites = [c for c in row["evidence"] if c.get("role", "decided") == role]
            shown = cites[:CITED_LINES]
            if shown and role != "decided":
                out.append(f"   - {'Other side' if role == 'other side' else 'Not about this'}:")
            for cite in shown:
                where = f"{cite['file']}:{cite['line']}" if cite["line"] else cite["file"]
                when = f" ({_md_text(cite['time'])})" if cite.get("time") else ""
                out.append(f"   - {_md_text(where)}{when}: {code_span(str(cite['text'])[:300])}")
            if len(cites) > len(shown):
                out.append(f"   - and {len(cites) - len(shown)} more matching line(s) of the same evidence")
        skipped = [f for f in row.get("files", ()) if not f["read"] and NOT_EVIDENCE not in f["why"]]
        if skipped:
            out.append("   - Files not read for this step: " + "; ".join(
                f"`{_md_text(f['file'])}` ({_md_text(f['why'])})" for f in skipped[:CITED_LINES]))
    return out


def _why_how(item: dict[str, Any], why_label: str) -> list[str]:
    """A question's why, how to find out and helpful commands, as Markdown lines."""
    out = [f"{why_label}: {item['why']}", ""] if item["why"] else []
    out += [f"How to find out: {item['how']}", ""]
    if item["commands"]:
        out += [*_fence(item["commands"]), ""]
    return out


def question_markdown(session: Session) -> str:
    data = question_dict(session)
    out = unknown_markdown(data["unknown"])
    if data["path"]:
        out += ["## So far", "", *path_markdown(data["path"]), ""]
    out += [f"## {data['prompt']}", "", *_why_how(data, "Why it matters")]
    if data["capture"]:
        cap = data["capture"]
        example = f" (for example {cap['example']})" if cap["example"] else ""
        out += [f"Value needed: {cap['label']}{example}: answer with `--set {cap['name']}=VALUE`", ""]
    if data["choices"]:
        out.append("Choices (answer with `--answer " + data["node"] + "=CHOICE`):")
        out += [f"- `{c['id']}`: {c['label']}" for c in data["choices"]]
    return clean("\n".join(out).rstrip() + "\n", lines=True)


# ---------------------------------------------------------------------------------------------- whole trees


def _node_order(tree: Tree) -> list[str]:
    """Nodes in the order a reader meets them: breadth first from the start, then any others."""
    seen: list[str] = []
    queue = [tree.start]
    while queue:
        node_id = queue.pop(0)
        if node_id in seen or node_id not in tree.nodes:
            continue
        seen.append(node_id)
        queue += [target for source, target, _ in tree.edges() if source == node_id]
    return seen + [n for n in tree.nodes if n not in seen]


def tree_dict(tree: Tree) -> dict[str, Any]:
    nodes = []
    for node_id in _node_order(tree):
        node = tree.nodes[node_id]
        item: dict[str, Any] = {"id": node.id, "kind": node.kind, "title": node.title, "learn": list(node.learn)}
        if isinstance(node, (Question, Check)):
            item.update(
                prompt=node.prompt,
                why=node.why,
                how=node.how,
                commands=list(node.commands),
                capture=(
                    {
                        "name": node.capture.name,
                        "label": node.capture.label,
                        "type": node.capture.type,
                        "pattern": node.capture.pattern,
                        "next": node.capture.next,
                    }
                    if node.capture
                    else None
                ),
                choices=[
                    {"id": c.id, "label": c.label, "next": c.next, "note": c.note, "set": dict(c.sets)}
                    for c in node.choices
                ],
            )
        if isinstance(node, Check):
            item.update(
                evidence={"kind": node.evidence.kind, "files": list(node.evidence.files), "where": node.evidence.where},
                signatures=[
                    {"id": s.id, "matcher": s.matcher, "pattern": s.describe, "means": s.means, "proposes": s.proposes}
                    for s in node.signatures
                ],
                otherwise=node.otherwise,
            )
        if isinstance(node, Runbook):
            item.update(
                diagnosis=node.diagnosis,
                compute=[{"name": c.name, "label": c.label, "expr": c.expr, "unit": c.unit} for c in node.compute],
                steps=[_step_dict(i, s, None) for i, s in enumerate(node.steps, 1)],
                next=[{"tree": n.tree, "why": n.why} for n in node.next],
                escalate=node.escalate,
            )
        if isinstance(node, Link):
            item.update(tree=node.tree, node=node.node, why=node.why)
        nodes.append(item)
    return {
        "id": tree.id,
        "title": tree.title,
        "version": tree.version,
        "product": tree.product,
        "summary": tree.summary,
        "start": tree.start,
        "learn": list(tree.learn),
        "triage": {
            "symptoms": list(tree.triage.symptoms),
            "signatures": list(tree.triage.signatures),
            "event_ids": list(tree.triage.event_ids),
            "status_ids": list(tree.triage.status_ids),
            "message_types": list(tree.triage.message_types),
            "keywords": list(tree.triage.keywords),
        },
        "nodes": nodes,
    }


def tree_markdown(tree: Tree) -> str:
    """The whole tree as one document a trainer can print or a reviewer can read top to bottom.

    Placeholders stay as `{name}`; braces the author doubled to mean a literal brace print single.
    """
    return _tree_markdown(tree).replace("{{", "{").replace("}}", "}")


def _tree_markdown(tree: Tree) -> str:
    out = [
        f"# {tree.title}",
        "",
        f"`{tree.id}` version {tree.version} · {tree.product}",
        "",
        tree.summary,
        "",
    ]
    if tree.learn:
        out += ["## Background", ""] + [f"- {note}" for note in tree.learn] + [""]
    t = tree.triage
    out += ["## Points here", ""]
    if t.symptoms:
        out.append("- Symptoms: " + "; ".join(t.symptoms))
    if t.signatures:
        out.append("- Log text: " + "; ".join(f"`{s}`" for s in t.signatures))
    if t.event_ids:
        out.append("- Event IDs: " + ", ".join(str(i) for i in t.event_ids))
    if t.status_ids:
        out.append("- Status message IDs: " + ", ".join(str(i) for i in t.status_ids))
    if t.message_types:
        out.append("- Message types: " + ", ".join(t.message_types))
    if t.keywords:
        out.append("- Keywords: " + ", ".join(t.keywords))
    out.append("")
    for item in tree_dict(tree)["nodes"]:
        kind = item["kind"]
        heading = item.get("prompt") or item.get("title") or item["id"]
        if kind == "runbook":
            heading = f"Runbook: {item['title']}"
        elif kind == "link":
            heading = f"Continue in `{item['tree']}`"
        out += [f"## {heading}", "", f"`{item['id']}` ({kind})", ""]
        if kind in ("question", "check"):
            out += _why_how(item, "Why")
            if item["capture"]:
                cap = item["capture"]
                pattern = f", pattern `{cap['pattern']}`" if cap["pattern"] else ""
                out += [f"Records `{{{cap['name']}}}`: {cap['label']} ({cap['type']}{pattern})", ""]
        if kind == "check":
            ev = item["evidence"]
            files = ", ".join(f"`{f}`" for f in ev["files"]) or "any"
            out += [f"Evidence: {ev['kind']}, files {files}" + (f"; {ev['where']}" if ev["where"] else ""), ""]
            for sig in item["signatures"]:
                out.append(f"- looks for `{sig['pattern']}` ({sig['matcher']}): {sig['means']} → `{sig['proposes']}`")
            if item["otherwise"]:
                out.append(f"- nothing found → `{item['otherwise']}`")
            out.append("")
        if kind in ("question", "check") and item["choices"]:
            for c in item["choices"]:
                note = f" ({c['note']})" if c["note"] else ""
                sets = "".join(f" · sets `{k}` = {v}" for k, v in c["set"].items())
                out.append(f"- **{c['id']}**: {c['label']} → `{c['next']}`{sets}{note}")
            out.append("")
        if kind == "runbook":
            out += [item["diagnosis"], ""]
            for c in item["compute"]:
                unit = f" {c['unit']}" if c["unit"] else ""
                out.append(f"- Computed `{c['name']}`: {c['label']} = `{c['expr']}`{unit}")
            if item["compute"]:
                out.append("")
            for step in item["steps"]:
                repeat = ""
                if step["for_each"]:
                    repeat = " (once for each item of " + ", ".join(f"`{{{n}}}`" for n in step["for_each"]) + ")"
                where = place_phrase(step["runs_on"], capital=True)
                out += [f"{step['n']}. **{where}{repeat}:**", ""]
                out += _step_body(step, "   ")
            for n in item["next"]:
                out.append(f"Next: `{n['tree']}`: {n['why']}")
            if item["escalate"]:
                out.append(f"Escalate: {item['escalate']}")
            if item["next"] or item["escalate"]:
                out.append("")
        if kind == "link":
            out += [item["why"], ""]
        if item["learn"]:
            out += [f"> {note}" for note in item["learn"]] + [""]
    return clean("\n".join(out).rstrip() + "\n", lines=True)
