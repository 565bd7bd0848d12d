"""Every problem code the loader and linter report, with its severity and a one-line title.

Codes are stable: a code keeps its meaning once published, and a retired code is not reused.
WZ1xx: reading the file as YAML. WZ2xx: the shape of the tree. WZ3xx: the graph. WZ4xx: content of fields.
"""

from __future__ import annotations

from wizard.core.diagnostics import Severity
from wizard.core.suggest import did_you_mean

CODES: dict[str, tuple[Severity, str]] = {
    "WZ100": ("error", "the file cannot be read"),
    "WZ101": ("error", "YAML syntax error"),
    "WZ102": ("error", "tab used for indentation"),
    "WZ103": ("error", "duplicate key (a node id defined twice is one)"),
    "WZ104": ("error", "YAML anchor or alias"),
    "WZ105": ("error", "not UTF-8 text (undecodable bytes, NUL or control characters)"),
    "WZ106": ("error", "file too large"),
    "WZ107": ("error", "nesting too deep"),
    "WZ108": ("error", "empty file: no YAML document"),
    "WZ109": ("error", "more than one YAML document"),
    "WZ110": ("error", "YAML tag"),
    "WZ111": ("error", "a mapping key that is a mapping or a list"),
    "WZ200": ("error", "top level is not a mapping"),
    "WZ201": ("error", "unknown field"),
    "WZ202": ("error", "missing required field"),
    "WZ203": ("error", "wrong type of value"),
    "WZ204": ("error", "wrong shape: a mapping or list where the other (or a single value) belongs"),
    "WZ205": ("error", "id or name does not match its pattern"),
    "WZ206": ("error", "value not allowed (unknown kind, version below 1, ...)"),
    "WZ207": ("error", "empty list where at least one item is required"),
    "WZ208": ("error", "duplicate choice id within a node"),
    "WZ209": ("error", "duplicate signature id within a node"),
    "WZ300": ("error", "start names no node"),
    "WZ301": ("error", "target names no node (choice next, capture next, triage entry)"),
    "WZ302": ("error", "proposes or otherwise names no choice of its node"),
    "WZ303": ("warning", "node unreachable from start and triage entry"),
    "WZ304": ("error", "dead end: a question or check with no way out"),
    "WZ305": ("error", "cycle with no exit: no runbook or link reachable from it"),
    "WZ306": ("error", "link or runbook next names an unknown tree"),
    "WZ307": ("error", "link names a node the other tree does not have"),
    "WZ400": ("error", "placeholder that nothing in the tree declares"),
    "WZ401": ("error", "stray brace: write {{ or }} for a literal brace"),
    "WZ402": ("error", "invalid regular expression"),
    "WZ403": ("error", "regular expression the linear-time engine (RE2) rejects"),
    "WZ404": ("error", "signature without a matcher"),
    "WZ405": ("error", "signature with several matchers"),
    "WZ406": ("error", "compute expression does not parse"),
    "WZ407": ("error", "compute expression uses an undeclared name"),
    "WZ408": ("error", "compute expression uses a function or operator that is not allowed"),
    "WZ409": ("warning", "question or check without why"),
    "WZ410": ("warning", "signature option that does nothing with its matcher"),
    "WZ420": ("error", "unknown decide rule of a check"),
    "WZ421": ("error", "scope names a capture no signature of the check makes"),
    "WZ422": ("error", "scope names a value no earlier question, check or choice provides"),
    "WZ430": ("error", "control character or escape sequence in tree text (after YAML escapes are read)"),
    "WZ431": ("error", "bidirectional control or zero-width character in tree text"),
    "WZ440": ("error", "for_each names a value that no list capture declares"),
    "WZ441": ("warning", "change step without undo and not marked irreversible"),
    "WZ442": ("error", "irreversible step with no backup step before it"),
    "WZ443": ("warning", "undo or reversible on a step not marked as a change"),
    "WZ444": ("warning", "wait_source without a wait"),
    "WZ445": ("warning", "shell on a step without commands"),
    "WZ446": ("warning", "for_each step that never uses its items"),
    "WZ470": ("error", "step `when` names no node, or no choice of that node"),
    "WZ471": ("warning", "question promises to be skipped when the evidence gives its value, but no check can give it"),
}


def severity_of(code: str) -> Severity:
    return CODES[code][0]


closest = did_you_mean
"""A 'did you mean' hint for a linter message (wizard.core.suggest, the one helper for it)."""
