"""The evidence engine: reads what an operator points a check at and finds the signatures of the trees in it.

Readers cover ConfigMgr/SMS logs (legacy `$$<...>` lines, CMTrace records, rolled `.lo_` files), plain text in
UTF-8, UTF-16 or Windows-1252, Windows event logs (.evtx, .evt, Event Viewer XML/CSV/text exports, wevtutil text),
folders, .zip bundles and `dir` listings (file signatures, counted and aged), and `ipconfig /displaydns` output.

Matching is per record: a log line, a multi-line CMTrace record, one event, one DNS cache entry. Literal and regex
signatures are searched in the record's message; event_id signatures match event records; file signatures match
files seen in a folder, a .zip or a listing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from wizard.core.evidence.decide import decide, same_object
from wizard.core.evidence.hits import EvidenceFile, FileRead, Hit, Probe, Proposal, ScanReport
from wizard.core.evidence.scanner import scan, scan_text
from wizard.core.evidence.text import clean
from wizard.core.listvalues import join_list
from wizard.core.model import Check, Tree


def probes_for(trees: Iterable[Tree]) -> list[Probe]:
    """Every signature of every check node, in tree, node and signature order."""
    probes: list[Probe] = []
    for tree in trees:
        for node in tree.nodes.values():
            if isinstance(node, Check):
                probes.extend(Probe(tree.id, node.id, sig) for sig in node.signatures)
    return probes


def propose(
    check: Check,
    hits: Sequence[Hit],
    tree: str | None = None,
    *,
    known: Mapping[str, str] | None = None,
    any_file: bool = False,
    files: Sequence[EvidenceFile] | None = None,
    lists: Collection[str] = (),
) -> Proposal:
    """The choice the evidence points to, decided as `wizard.core.evidence.decide` explains.

    Only this check's hits count (and only this tree's, when `tree` is given). `known` holds the walk's values so
    far, which the check's `scope` compares captures with. `files` (a scan report's `files`) lets the proposal say
    which given files the check read and why it skipped the others; without it, the files that matched are listed.
    `any_file` reads every given file whatever it holds, for an operator who points a check at a file by hand.
    A name in `lists` (a list capture of the tree) keeps every distinct value of the deciding lines, in the order
    met. With nothing about this, the check's `otherwise` choice is proposed.
    """
    mine = [h for h in hits if h.node == check.id and (tree is None or h.tree == tree)]
    proposal = decide(check, mine, known=known, files=files, any_file=any_file)
    found = {name: [h.captures[name] for h in proposal.hits if name in h.captures] for name in lists}
    if not any(found.values()):
        return proposal
    captures = dict(proposal.captures)
    captures.update({name: join_list(values) for name, values in found.items() if values})
    return replace(proposal, captures=captures)



__all__ = [
    "EvidenceFile",
    "FileRead",
    "Hit",
    "Probe",
    "Proposal",
    "ScanReport",
    "clean",
    "probes_for",
    "propose",
    "same_object",
    "scan",
    "scan_text",
]
