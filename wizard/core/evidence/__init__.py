"""The evidence engine: reads what an operator points a check at and finds the signatures of the trees in it.

Readers cover ConfigMgr/SMS logs (legacy `$$<...>` lines, CMTrace records, rolled `.lo_` files), plain text in
UTF-8, UTF-16 or Windows-1252, Windows event logs (.evtx, .evt, Event Viewer XML/CSV/text exports, wevtutil text),
folders, .zip bundles and `dir` listings (file signatures, counted and aged), and `ipconfig /displaydns` output.

Matching is per record: a log line, a multi-line CMTrace record, one event, one DNS cache entry. Literal and regex
signatures are searched in the record's message; event_id signatures match event records; file signatures match
files seen in a folder, a .zip or a listing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from wizard.core.evidence.hits import Hit, Probe, Proposal, ScanReport
from wizard.core.evidence.matcher import wildcard_match
from wizard.core.evidence.scanner import scan, scan_text
from wizard.core.evidence.text import clean
from wizard.core.listvalues import join_list
from wizard.core.model import Check, Tree


def probes_for(trees: Iterable[Tree]) -> list[Probe]:
    """Every signature of every check node, in tree, node and signature order."""
    probes = []
    for tree in trees:
        for node in tree.nodes.values():
            if isinstance(node, Check):
                probes.extend(Probe(tree.id, node.id, sig) for sig in node.signatures)
    return probes


def propose(check: Check, hits: Sequence[Hit], tree: str | None = None, *, any_file: bool = False,
            lists: Collection[str] = ()) -> Proposal:
    """The choice the evidence points to: the first signature, in the check's own order, that any hit matched.

    Only this check's hits count (and only this tree's, when `tree` is given). A check that names its evidence
    files (`evidence.files`) trusts only hits from files of those names, so a check about one server's event log
    is not answered from another's; pasted text has no name and always counts. `any_file` lifts the name rule,
    for an operator who points a check at a file by hand. Captures of the deciding hits are merged, the earliest
    hit winning a name; a name in `lists` (a list capture of the tree) keeps every distinct value instead, in the
    order met. With no match the check's `otherwise` choice is proposed.
    """
    globs = () if any_file else check.evidence.files
    mine = [
        h for h in hits
        if h.node == check.id and (tree is None or h.tree == tree) and from_named_file(h, globs)
    ]
    for sig in check.signatures:
        matched = [h for h in mine if h.signature == sig.id]
        if matched:
            captures: dict[str, str] = {}
            for hit in matched:
                for name, value in hit.captures.items():
                    if name in lists and name in captures:
                        captures[name] = join_list((captures[name], value))
                    else:
                        captures.setdefault(name, value)
            return Proposal(choice=sig.proposes, signature=sig.id, hits=matched, captures=captures)
    return Proposal(choice=check.otherwise, signature=None, hits=[], captures={})


def from_named_file(hit: Hit, globs: Sequence[str]) -> bool:
    """Whether a hit comes from a file one of the globs names (pasted text and an empty glob list always do).

    For a file signature the matching file's own name counts too, so `*.ins` accepts a backlog found in a folder.
    """
    if not globs or hit.file.startswith("<"):
        return True
    names = {_base_name(hit.file)}
    if hit.line == 0:
        names.add(_base_name(hit.text))
    return any(wildcard_match(name, glob) for name in names for glob in globs)


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


__all__ = [
    "Hit",
    "Probe",
    "Proposal",
    "ScanReport",
    "clean",
    "from_named_file",
    "probes_for",
    "propose",
    "scan",
    "scan_text",
]
