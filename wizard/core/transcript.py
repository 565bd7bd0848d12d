"""A walk written down for a ticket: Markdown to paste, a standalone HTML page, and JSON.

A transcript says which tree (id, version, content hash) was walked and when, each question with the answer given
and the evidence lines behind it (file:line), every override of the evidence with its reason, and the runbook shown
(or the question the walk stopped at). The JSON keeps the keys of `wizard walk --format json` so scripts that read
those keep working, and `wizard walk --answers FILE` can replay it.

`redact=True` replaces host names, IP addresses, domain names and site codes with placeholders (wizard.core.redact);
the mapping back is kept in the JSON only when asked for.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import re2

from wizard.core.model import Check, Question
from wizard.core.render import (
    code_span,
    confirm_markdown,
    path_markdown,
    question_dict,
    runbook_dict,
    unknown_markdown,
)
from wizard.core.session import Session

FORMAT = "wizard-transcript"
FORMAT_VERSION = 1
FORMATS = ("md", "json", "html")
_BACKSLASH_BEFORE_PUNCTUATION = re2.compile(r"\\[!-/:-@\[-`{-~]")

# Keys whose values are ids, hashes, times or formats: never redacted, so a redacted transcript still replays.
STRUCTURAL = frozenset(
    {"format", "format_version", "tree", "node", "choice", "proposed", "kind", "hash", "session", "status",
     "start_tree", "id", "n", "signature", "at", "started", "ended", "generated", "link", "overridden", "trees",
     "version", "name", "unit", "formula"}
)


def _reason_for(reasons: Mapping[str, str], move: Any) -> str:
    """The operator's reason for an answer, from the move itself or given as TREE:NODE or NODE."""
    own = getattr(move, "reason", "") or ""
    if own:
        return str(own)
    for key in (f"{move.tree}:{move.node}", f"{move.tree}/{move.node}", move.node):
        if key in reasons:
            return reasons[key]
    return ""


def transcript(
    session: Session,
    *,
    reasons: Mapping[str, str] | None = None,
    redact: bool = False,
    keep_mapping: bool = False,
) -> dict[str, Any]:
    """The transcript of a walk as JSON-ready data (see the module docstring)."""
    reasons = dict(reasons or {})
    base = runbook_dict(session) if session.at_runbook else question_dict(session)
    data: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, **base}
    tree = session.catalog.get(session.start_tree)
    data["start_tree"] = session.start_tree
    data["tree_title"] = session.tree.title
    data["version"] = session.tree.version
    data["hash"] = session.tree.content_hash
    data["trees"] = {
        tree_id: {
            "title": session.catalog.get(tree_id).title,
            "version": session.catalog.get(tree_id).version,
            "hash": session.catalog.get(tree_id).content_hash,
        }
        for tree_id in session.trees_used
        if tree_id in session.catalog
    }
    data["session"] = session.id
    data["started"] = session.created
    data["ended"] = session.updated
    data["preset"] = dict(session.preset)
    overrides = []
    for row, move in zip(data["path"], session.moves):
        row["kind"] = _kind(session, move)
        row["reason"] = _reason_for(reasons, move) if not move.is_link else ""
        row["captured"] = dict(move.captured)
        if move.overridden:
            overrides.append(
                {
                    "tree": move.tree,
                    "node": move.node,
                    "prompt": row["prompt"],
                    "proposed": move.proposed,
                    "chosen": move.choice,
                    "reason": row["reason"],
                    "evidence": row["evidence"],
                }
            )
    data["overrides"] = overrides
    data["title"] = data.get("title") or tree.title
    if redact:
        from wizard.core.redact import Redactor

        redactor = Redactor()
        redactor.learn_values(session.values)
        redactor.learn_data(data, STRUCTURAL)
        data = redactor.data(data, STRUCTURAL)
        data["redacted"] = True
        if keep_mapping:
            data["redaction"] = redactor.mapping()
    return data


def _kind(session: Session, move: Any) -> str:
    if move.is_link:
        return "link"
    tree = session.catalog.trees.get(move.tree)
    node = tree.nodes.get(move.node) if tree else None
    if isinstance(node, Check):
        return "check"
    if isinstance(node, Question):
        return "question"
    return "unknown"


def render(data: Mapping[str, Any], fmt: str) -> str:
    if fmt == "json":
        from wizard.core.textsafe import dumps_json

        return dumps_json(data) + "\n"
    if fmt == "html":
        return to_html(data)
    if fmt == "md":
        return to_markdown(data)
    raise ValueError(f"unknown transcript format '{fmt}'; use one of {', '.join(FORMATS)}")


# ------------------------------------------------------------------------------------------------ Markdown


def _md(text: Any) -> str:
    """One line of operator or log text that cannot turn into Markdown structure or HTML in a ticket."""
    flat = " ".join(str(text or "").split())
    flat = str(_BACKSLASH_BEFORE_PUNCTUATION.sub(lambda m: "\\" + m.group(0), flat))
    for char in "`*<>|":
        flat = flat.replace(char, "\\" + char)
    return "\\" + flat if flat.startswith(("#", "-", "+", "=", ">")) else flat


_code = code_span


def _fenced(lines: list[str]) -> list[str]:
    body = "\n".join(lines)
    ticks = "```"
    while ticks in body:
        ticks += "`"
    return [ticks, *lines, ticks]


def _where(cite: Mapping[str, Any]) -> str:
    return f"{cite['file']}:{cite['line']}" if cite.get("line") else str(cite.get("file", ""))


def _meta_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = [("Tree", f"{data['tree']} version {data['version']} ({data.get('tree_title', '')})")]
    for tree_id, info in data.get("trees", {}).items():
        if tree_id != data["tree"]:
            rows.append(("Also walked", f"{tree_id} version {info['version']}"))
    rows += [
        ("Tree content hash", str(data.get("hash", ""))[:16]),
        ("Started", str(data.get("started", ""))),
        ("Ended", str(data.get("ended", ""))),
        ("Walk", str(data.get("session", ""))),
    ]
    if data.get("redacted"):
        rows.append(("Redacted", "host names, addresses, domains and site codes are placeholders"))
    return rows


def to_markdown(data: Mapping[str, Any]) -> str:
    at_runbook = data.get("status") == "runbook"
    heading = data["title"] if at_runbook else f"Open question: {data.get('prompt', '')}"
    out = [f"# {_md(heading)}", ""]
    out += [f"- {name}: {_md(value)}" for name, value in _meta_rows(data)]
    out.append("")
    out += unknown_markdown(list(data.get("unknown") or []))
    out += confirm_markdown(list(data.get("confirm_first") or []))
    if at_runbook:
        out += ["## Diagnosis", "", _md(data.get("diagnosis", "")), ""]
    out += ["## Questions and answers", ""]
    answered = path_markdown(list(data.get("path", [])))
    out += answered or ["No question was answered."]
    out.append("")
    if data.get("overrides"):
        out += ["## Overrides", ""]
        for item in data["overrides"]:
            reason = _md(item["reason"]) if item["reason"] else "no reason given"
            out.append(f"- {_md(item['prompt'])}: evidence proposed {_code(item['proposed'])}, "
                       f"answered {_code(item['chosen'])}. Reason: {reason}")
        out.append("")
    if at_runbook:
        out += _runbook_markdown(data)
    else:
        out += ["## Where the walk stopped", "", _md(data.get("prompt", "")), ""]
        for choice in data.get("choices", []):
            out.append(f"- {_code(choice['id'])}: {_md(choice['label'])}")
        if data.get("choices"):
            out += ["", f"Choices (answer with `--answer {data['node']}=CHOICE`)", ""]
        capture = data.get("capture")
        if capture:
            example = f" (for example {_md(capture['example'])})" if capture.get("example") else ""
            out += [f"Value needed: {_md(capture['label'])}{example}: answer with `--set {capture['name']}=VALUE`", ""]
    return "\n".join(out).rstrip() + "\n"


def _runbook_markdown(data: Mapping[str, Any]) -> list[str]:
    out = [f"## Runbook shown: {_md(data['title'])}", ""]
    for item in data.get("computed", []):
        value = f"{item['value']} {item.get('unit') or ''}".strip() if item.get("value") is not None else item["formula"]
        out.append(f"- {_md(item['label'])}: {_md(value)}")
    if data.get("computed"):
        out.append("")
    for step in data.get("steps", []):
        where = f" (on the {_md(step['runs_on'])})" if step.get("runs_on") else ""
        out += [f"### Step {step['n']}{where}", "", _md(step["do"]), ""]
        if step.get("console"):
            out += [f"Console: {_md(step['console'])}", ""]
        if step.get("commands"):
            out += [*_fenced(list(step["commands"])), ""]
        if step.get("wait"):
            out += [f"Wait: {_md(step['wait'])}", ""]
        if step.get("caution"):
            out += [f"**Caution:** {_md(step['caution'])}", ""]
        out += [f"Verify: {_md(step['verify'])}", ""]
    if data.get("escalate"):
        out += ["## Escalate", "", _md(data["escalate"]), ""]
    return out


# ------------------------------------------------------------------------------------------------ HTML

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem}
table.meta td{padding:.1rem .8rem .1rem 0;vertical-align:top}
ol.qa li{margin-bottom:.6rem}.answer{font-weight:bold}.note{color:#555}
.cite{font-family:monospace;font-size:.85rem;white-space:pre-wrap;word-break:break-all;margin:.4rem 0 .4rem 1rem;
border-left:3px solid #ccc;padding-left:.5rem}.where{color:#555;font-weight:bold}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}.caution{border-left:4px solid #b00;padding-left:.6rem}
.override{border-left:4px solid #c80;padding-left:.6rem}
@media print{body{margin:0}}
"""


def _e(text: Any) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def to_html(data: Mapping[str, Any]) -> str:
    """One self-contained page: inline style, no script, no external link or image; every text escaped."""
    at_runbook = data.get("status") == "runbook"
    heading = data["title"] if at_runbook else f"Open question: {data.get('prompt', '')}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(heading)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(heading)}</h1>",
        '<table class="meta">',
    ]
    out += [f"<tr><td>{_e(name)}</td><td>{_e(value)}</td></tr>" for name, value in _meta_rows(data)]
    out.append("</table>")
    if at_runbook:
        out += ["<h2>Diagnosis</h2>", f"<p>{_e(data.get('diagnosis', ''))}</p>"]
    out += ["<h2>Questions and answers</h2>", '<ol class="qa">']
    for row in data.get("path", []):
        if row.get("link"):
            out.append(f'<li class="note">Continued in tree <code>{_e(row["answer"].removeprefix("continue in "))}'
                       "</code></li>")
            continue
        note = ""
        if row.get("overridden"):
            note = f' <span class="note">(the evidence proposed <code>{_e(row["proposed"])}</code>; overridden)</span>'
        elif row.get("proposed"):
            note = ' <span class="note">(as the evidence proposed)</span>'
        out.append(f'<li>{_e(row["prompt"])} <span class="answer">{_e(row["answer"])}</span>{note}')
        for cite in row.get("evidence", []):
            out.append(f'<div class="cite"><span class="where">{_e(_where(cite))}</span>\n{_e(cite.get("text", ""))}</div>')
        out.append("</li>")
    out.append("</ol>")
    if data.get("overrides"):
        out.append("<h2>Overrides</h2>")
        for item in data["overrides"]:
            reason = _e(item["reason"]) if item["reason"] else "<em>no reason given</em>"
            out.append(f'<p class="override">{_e(item["prompt"])}: the evidence proposed <code>{_e(item["proposed"])}'
                       f'</code>, answered <code>{_e(item["chosen"])}</code>. Reason: {reason}</p>')
    if at_runbook:
        out.append(f"<h2>Runbook shown: {_e(data['title'])}</h2>")
        if data.get("computed"):
            out.append("<ul>")
            for item in data["computed"]:
                value = f"{item['value']} {item.get('unit') or ''}" if item.get("value") is not None else item["formula"]
                out.append(f"<li>{_e(item['label'])}: {_e(value)}</li>")
            out.append("</ul>")
        for step in data.get("steps", []):
            where = f" (on the {_e(step['runs_on'])})" if step.get("runs_on") else ""
            out += [f"<h3>Step {_e(step['n'])}{where}</h3>", f"<p>{_e(step['do'])}</p>"]
            if step.get("console"):
                out.append(f"<p>Console: {_e(step['console'])}</p>")
            if step.get("commands"):
                out.append("<pre>" + _e("\n".join(step["commands"])) + "</pre>")
            if step.get("wait"):
                out.append(f"<p>Wait: {_e(step['wait'])}</p>")
            if step.get("caution"):
                out.append(f'<p class="caution">Caution: {_e(step["caution"])}</p>')
            out.append(f"<p>Verify: {_e(step['verify'])}</p>")
        if data.get("escalate"):
            out += ["<h2>Escalate</h2>", f"<p>{_e(data['escalate'])}</p>"]
    else:
        out += ["<h2>Where the walk stopped</h2>", f"<p>{_e(data.get('prompt', ''))}</p>", "<ul>"]
        out += [f"<li><code>{_e(c['id'])}</code>: {_e(c['label'])}</li>" for c in data.get("choices", [])]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------------ replay


def session_data(data: Mapping[str, Any], catalog: Any = None) -> dict[str, Any]:
    """A saved walk (session JSON) as it is, or a transcript or exported runbook JSON turned into one, for from_dict."""
    from wizard.core.session import FORMAT as SESSION_FORMAT
    from wizard.core.session import FORMAT_VERSION as SESSION_VERSION

    if not isinstance(data, Mapping):
        raise ValueError("not a saved walk or a transcript: the file holds no JSON object")
    if data.get("format") == SESSION_FORMAT:
        return dict(data)
    exported = "format" not in data and data.get("status") in ("runbook", "question") and isinstance(
        data.get("path"), list)
    if data.get("format") != FORMAT and not exported:
        raise ValueError("not a saved walk or a transcript (no 'format' of wizard-session or wizard-transcript)")
    if data.get("redacted"):
        raise ValueError("this transcript is redacted; its values are placeholders and cannot be replayed")
    moves = []
    for row in data.get("path") or []:
        if not isinstance(row, Mapping):
            continue
        moves.append(
            {
                "tree": row.get("tree"),
                "node": row.get("node"),
                "choice": row.get("choice") or "",
                "value": row.get("value"),
                "proposed": row.get("proposed"),
                "evidence": row.get("evidence") or [],
                "captured": row.get("captured") or {},
                "at": row.get("at") or "",
                "link": bool(row.get("link")),
                "auto": bool(row.get("auto")),
            }
        )
    trees = {k: {"version": v.get("version"), "hash": v.get("hash")} for k, v in (data.get("trees") or {}).items()
             if isinstance(v, Mapping)}
    first = moves[0]["tree"] if moves else None
    preset = data.get("preset")
    if exported:
        # A runbook or question exported by the wizard's export dialog: no start tree or preset of its own, but the
        # path starts in the start tree and `values` holds everything captured, evidence included. Values a step of
        # the path typed are left to that step, so the replay asks it as the walk did.
        typed = _typed_names(moves, catalog)
        preset = {k: v for k, v in (data.get("values") or {}).items() if isinstance(v, str) and k not in typed}
    return {
        "format": SESSION_FORMAT,
        "format_version": SESSION_VERSION,
        "id": data.get("session") or "",
        "created": data.get("started") or "",
        "updated": data.get("ended") or "",
        "start_tree": data.get("start_tree") or first or data.get("tree"),
        "tree": data.get("tree"),
        "node": data.get("node"),
        "trees": trees,
        "preset": preset or {},
        "moves": moves,
    }


def _typed_names(moves: list[dict[str, Any]], catalog: Any) -> set[str]:
    """Capture names of the path's steps that took a typed value."""
    names: set[str] = set()
    if catalog is None:
        return names
    for move in moves:
        tree = catalog.trees.get(move.get("tree")) if hasattr(catalog, "trees") else None
        node = tree.nodes.get(move.get("node")) if tree is not None else None
        capture = getattr(node, "capture", None)
        if capture is not None and move.get("value") is not None:
            names.add(capture.name)
    return names
