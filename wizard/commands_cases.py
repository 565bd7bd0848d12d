"""`wizard test`, `wizard practice` and `wizard serve`: cases as regression tests, practice records, the browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def cmd_test(args: Any, catalog: Any, out: TextIO, err: TextIO) -> int:
    """Walk each case and print every difference from its expected path, located in the case file."""
    from wizard.core.cases import case_files, test_cases

    for target in args.paths:
        if not Path(target).exists():
            print(f"wizard test: {target}: no such file or folder", file=err)
            return EXIT_USAGE
    files = case_files(args.paths)
    if not files:
        where = ", ".join(args.paths) or "the shipped samples"
        print(f"wizard test: no case.yaml found in {where}", file=err)
        return EXIT_USAGE
    report = test_cases(files, catalog)
    differences = sorted(report.differences, key=lambda d: d.sort_key)
    if args.json:
        _dump(
            {
                "cases": [
                    {"case": run.case.id, "file": str(run.case.file), "passed": run.passed, "triage": run.triage[:3]}
                    for run in report.runs
                ],
                "differences": [d.as_dict() for d in differences],
            },
            out,
        )
    else:
        for diff in differences:
            print(diff.format(), file=out)
        passed = sum(run.passed for run in report.runs)
        unreadable = len(files) - len(report.runs)
        summary = f"{len(files)} case(s), {passed} passed, {len(differences)} difference(s)"
        if unreadable:
            summary += f", {unreadable} case file(s) could not be read"
        print(summary, file=err if differences else out)
    return EXIT_PROBLEMS if differences else EXIT_OK


def cmd_serve(args: Any, out: TextIO, err: TextIO) -> int:
    """Serve the interactive wizard to a browser; loopback unless told otherwise, with a warning then."""
    from wizard.serve import is_loopback, serve

    if not is_loopback(args.host):
        print(
            f"wizard serve: warning: listening on {args.host}, not only on this machine; anyone who can reach "
            f"port {args.port} can use the wizard and read the evidence it is given. There is no login.",
            file=err,
        )
    try:
        return serve(args.host, args.port, tree_dirs=args.trees, out=out)
    except ImportError as exc:
        print(f"wizard serve: the browser front end is not installed ({exc}); pip install textual-serve", file=err)
        return EXIT_USAGE


def python_command() -> str:
    return sys.executable


# ------------------------------------------------------------------------------------------------ walk output


class ReplayError(ValueError):
    """A file given to --answers that cannot be replayed; the message is for the operator."""


def write_walk(args: Any, session: Any, out: TextIO, err: TextIO) -> int:
    """The walk as a transcript in the format asked for; 0 when written, 2 when it cannot be."""
    from wizard.core.transcript import render, transcript
    from wizard.core.walk import WalkError, parse_assignments

    try:
        reasons = parse_assignments(getattr(args, "reason", []) or [], "--reason")
    except WalkError as exc:
        print(f"wizard walk: {exc}", file=err)
        return EXIT_USAGE
    if getattr(args, "keep_mapping", False) and not getattr(args, "redact", False):
        print("wizard walk: --keep-mapping only means something with --redact", file=err)
        return EXIT_USAGE
    data = transcript(session, reasons=reasons, redact=args.redact, keep_mapping=args.keep_mapping)
    if args.keep_mapping and args.format != "json":
        print("note: the placeholder mapping is kept only in the JSON format", file=err)
    out.write(render(data, args.format))
    return EXIT_OK


def replay(args: Any, catalog: Any, tree_id: str, answers: dict[str, str], values: dict[str, str]) -> Any:
    """Replay a saved walk or an exported transcript. Extra --answer, --set or --evidence walk on from it."""
    from wizard.core.session import SessionFileError, from_dict
    from wizard.core.transcript import session_data
    from wizard.core.walk import WalkOutcome, walk

    try:
        raw = Path(args.answers).read_text(encoding="utf-8")
        data = session_data(json.loads(raw))
    except OSError as exc:
        raise ReplayError(f"cannot read {args.answers}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReplayError(f"{args.answers} is not a JSON file: {exc}") from None
    except ValueError as exc:
        raise ReplayError(f"{args.answers}: {exc}") from None
    if data.get("start_tree") != tree_id:
        raise ReplayError(f"{args.answers} is a walk of tree '{data.get('start_tree')}', not '{tree_id}'")
    try:
        loaded = from_dict(data, catalog)
    except SessionFileError as exc:
        raise ReplayError(f"{args.answers}: {exc}") from None
    session = loaded.session
    notes = list(loaded.warnings)
    if answers or values or args.evidence:
        replayed = {f"{m.tree}:{m.node}": m.choice for m in session.moves if m.choice and not m.is_link}
        typed = dict(session.preset)
        for move in session.moves:
            if move.value is not None and not move.choice:
                typed.update(move.captured)
        outcome = walk(catalog, tree_id, answers={**replayed, **answers}, values={**typed, **values},
                       evidence=args.evidence)
        outcome.notes[:0] = notes
        return outcome
    status = "runbook" if session.at_runbook else "question"
    return WalkOutcome(status, session, notes, [])
