"""`wizard test`, `wizard practice` and `wizard serve`: cases as regression tests, practice records, the browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any, TextIO

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def cmd_test(args: Any, catalog: Any, out: TextIO, err: TextIO) -> int:
    """Walk each case and print every difference from its expected path, located in the case file."""
    from wizard.core.cases import case_files, run_cases

    for target in args.paths:
        if not Path(target).exists():
            print(f"wizard test: {target}: no such file or folder", file=err)
            return EXIT_USAGE
    files = case_files(args.paths)
    if not files:
        where = ", ".join(args.paths) or "the shipped samples"
        print(f"wizard test: no case.yaml found in {where}", file=err)
        return EXIT_USAGE
    report = run_cases(files, catalog)
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
        data = session_data(json.loads(raw), catalog)
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
    return WalkOutcome("runbook" if session.at_runbook else "question", session, notes, [])


# ------------------------------------------------------------------------------------------------ practice


def open_practice(args: Any, case: Any, err: IO[str], *, judged: bool = True) -> int:
    """The case in the screens: its ticket shown, its evidence read for every check; with `judged`, every answer
    is set beside the expert's and the score (and --record) comes at the runbook."""
    try:
        from wizard.tui.app import create_app
    except ImportError as exc:
        print(f"wizard: the interactive wizard is not available ({exc})", file=err)
        return EXIT_USAGE
    record = getattr(args, "record", None)
    app = create_app(
        tree_dirs=args.trees,
        start_tree=case.tree,
        evidence=[str(p) for p in case.evidence],
        practice=case if judged else None,
        ticket=case.ticket,
        record=Path(record) if record and judged else None,
        trainee=getattr(args, "trainee", "") or "",
    )
    app.run()
    return app.return_code or EXIT_OK


def resolve_case(name: str) -> Path:
    """A case.yaml, its folder, or TREE/FOLDER of a shipped case."""
    from wizard.core.cases import CASE_FILE, shipped_cases_dir

    given = Path(name)
    if given.exists():
        return given / CASE_FILE if given.is_dir() else given
    shipped = shipped_cases_dir() / name / CASE_FILE
    if "/" in name and ".." not in Path(name).parts and shipped.is_file():
        return shipped
    raise FileNotFoundError(name)


def cmd_practice(args: Any, catalog: Any, out: TextIO, err: TextIO) -> int:
    """Score a trainee's walk of a case (and write the record), or summarise a folder of records."""
    from wizard.core import practice

    if args.report:
        folder = Path(args.report)
        if not folder.is_dir():
            print(f"wizard practice: {folder}: no such folder", file=err)
            return EXIT_USAGE
        report = practice.read_class(folder)
        for skipped in report.problems:
            print(f"wizard practice: skipped {skipped}", file=err)
        if args.format == "html":
            out.write(practice.report_html(report))
        elif args.format == "json":
            _dump({"records": len(report.records), "questions": [
                {"question": t.key, "prompt": t.prompt, "answered": t.answered, "wrong": t.wrong,
                 "chosen_instead": dict(t.wrong_choices), "expert": t.expected} for t in report.questions]}, out)
        else:
            out.write(practice.report_markdown(report))
        return EXIT_OK if report.records else EXIT_PROBLEMS
    if not args.case:
        print("wizard practice: name a case (TREE/FOLDER, a case folder or case.yaml) or give --report DIR", file=err)
        return EXIT_USAGE
    from wizard.core.cases import check_references, load_case

    try:
        path = resolve_case(args.case)
    except FileNotFoundError:
        print(f"wizard practice: no case '{args.case}'; try a folder under samples/, such as "
              "key-exchange/dal-keys-never-exchanged", file=err)
        return EXIT_USAGE
    loaded = load_case(path)
    problems = list(loaded.problems) + (check_references(loaded.case, catalog) if loaded.case else [])
    if not loaded.ok or any(p.severity == "error" for p in problems):
        for problem in problems:
            print(problem.format(), file=err)
        return EXIT_USAGE
    case = loaded.case
    assert case is not None
    if getattr(args, "interactive", False):
        return open_practice(args, case, err)
    if not (args.answers or args.answer or args.set):
        out.write(_briefing(case))
        return EXIT_OK
    from wizard.core.walk import WalkError, parse_assignments, walk

    try:
        answers = parse_assignments(args.answer, "--answer")
        values = parse_assignments(args.set, "--set")
        if args.answers:
            args.evidence = [] if not (answers or values) else [str(p) for p in case.evidence]
            outcome = replay(args, catalog, case.tree, answers, values)
        else:
            outcome = walk(catalog, case.tree, answers=answers, values=values, evidence=list(case.evidence))
    except (WalkError, ReplayError) as exc:
        print(f"wizard practice: {exc}", file=err)
        return EXIT_USAGE
    for note in outcome.notes:
        print(f"note: {note}", file=err)
    result = practice.score(case, outcome.session)
    if args.record:
        from wizard.core.session import write_atomic

        data = practice.record(case, outcome.session, trainee=args.trainee)
        write_atomic(Path(args.record), json.dumps(data, indent=1, ensure_ascii=False) + "\n", private=False)
    if args.format == "json":
        _dump(practice.record(case, outcome.session, trainee=args.trainee), out)
    else:
        out.write(practice.score_markdown(case, result, args.trainee))
    return EXIT_OK


def _briefing(case: Any) -> str:
    """What a trainee gets before walking: the ticket, where the evidence is, and how to hand in the answers."""
    lines = [f"# Practice: {case.title}", "", "## The ticket", ""]
    lines += ["    " + line for line in case.ticket.rstrip().splitlines()]
    lines += ["", "## The evidence", "", f"In {case.folder}:", ""]
    lines += [f"- {p.relative_to(case.folder) if p.is_relative_to(case.folder) else p}" for p in case.evidence]
    lines += [
        "",
        "## Your walk",
        "",
        f"Walk the tree `{case.tree}` with this evidence, in the wizard (`wizard`; it saves every walk by itself) or with",
        f"`wizard walk {case.tree} --evidence ... --answer NODE=CHOICE`, then hand in your answers:",
        "",
        f"    wizard practice {case.id} --answers YOUR-WALK.json --trainee NAME --record NAME.json",
        "",
    ]
    return "\n".join(lines)
