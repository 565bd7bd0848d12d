"""`wizard scan` and `wizard triage`: the evidence engine and the triage ranking, printed for a terminal or as JSON."""

from __future__ import annotations

from typing import Any, TextIO


def _trees(catalog: Any) -> list[Any]:
    trees = getattr(catalog, "trees", {})
    return list(trees.values()) if isinstance(trees, dict) else list(trees)


def cmd_scan(args: Any, catalog: Any, out: TextIO, err: TextIO) -> int:
    """Every signature of every tree found in the given paths. Exit 0 found, 1 nothing found, 2 nothing readable."""
    from wizard.core.evidence import clean, probes_for, scan

    report = scan(list(args.paths), probes_for(_trees(catalog)))
    for problem in report.problems:
        print(f"wizard scan: {clean(problem)}", file=err)
    if getattr(args, "json", False):
        from wizard.core.textsafe import dumps_json

        out.write(dumps_json([hit.as_dict() for hit in report.hits]) + "\n")
    else:
        for hit in report.hits:
            when = clean(hit.time) or "-"
            component = clean(hit.component) or "-"
            # A file signature matched a folder, zip or listing as a whole: it has no line to point to.
            where = f"{clean(hit.file)}:{hit.line}" if hit.line else clean(hit.file)
            print(
                f"{where}{'' if hit.offset is None else f' (byte {hit.offset})'}  "
                f"{hit.tree}/{hit.node}  {hit.signature}  {when} {component}  {clean(hit.text)}",
                file=out,
            )
        _print_summary(report.hits, catalog, out)
    if report.inputs_readable == 0:
        if not report.problems:
            print("wizard scan: nothing readable in the paths given", file=err)
        return 2
    if not report.hits:
        inputs = report.inputs_readable
        print(f"wizard scan: no known signature found in {inputs} input{'s' if inputs != 1 else ''}", file=err)
        return 1
    return 0


def _print_summary(hits: list[Any], catalog: Any, out: TextIO) -> None:
    """Which diagnoses the hits point to, most matches first, with the checks of each that the evidence answers."""
    from collections import Counter

    from wizard.core.evidence import clean

    if not hits:
        return
    by_tree = Counter(hit.tree for hit in hits)
    titles = {tree.id: tree.title for tree in _trees(catalog)}
    width = max(len(tree_id) for tree_id in by_tree)
    count = len(by_tree)
    found = f"{len(hits)} match{'es' if len(hits) != 1 else ''}"
    print(f"\n{count} diagnos{'es' if count != 1 else 'is'} matched ({found}):", file=out)
    for tree_id, matches in by_tree.most_common():
        title = clean(titles.get(tree_id, ""))
        print(f"  {tree_id:<{width}}  {matches:>4} match{'es' if matches != 1 else '  '}  {title}".rstrip(), file=out)
        checks = Counter(hit.node for hit in hits if hit.tree == tree_id)
        print(f"  {'':<{width}}  checks: " + ", ".join(f"{node} ({n})" for node, n in checks.most_common()), file=out)
    print("Walk one with this evidence: wizard walk TREE --evidence PATH", file=out)


def cmd_triage(args: Any, catalog: Any, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    """The trees ranked for a symptom, log line, event ID or whole ticket ("-" reads standard input)."""
    from wizard.core.evidence import clean
    from wizard.core.triage import MAX_TRIAGE_TEXT, cut_for_triage, rank

    text = stdin.read(MAX_TRIAGE_TEXT + 1) if args.text == "-" else args.text
    text, cut = cut_for_triage(text or "")
    if cut:
        print(
            f"note: only the first {MAX_TRIAGE_TEXT >> 10} KiB of the text was read; the rest was not ranked",
            file=err,
        )
    if not text or not text.strip():
        print("wizard triage: nothing to triage; give a symptom, a log line, an event ID or a ticket", file=err)
        return 2
    trees = {tree.id: tree for tree in _trees(catalog)}
    matches = rank(text, trees.values())
    if getattr(args, "json", False):
        from wizard.core.textsafe import dumps_json

        rows = [{"tree": m.tree, "node": m.node, "score": m.score, "why": m.why} for m in matches]
        out.write(dumps_json(rows) + "\n")
    else:
        for m in matches:
            title = clean(trees[m.tree].title)
            print(f"{m.score:6.2f} {m.tree}  {title}  \u2014 {clean(m.why)}", file=out)
    if not matches:
        print("wizard triage: no tree matches that text; try other words, an event ID or a log line", file=err)
        return 1
    return 0
