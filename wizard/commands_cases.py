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
