"""The command line: a thin layer over the headless core, and the door to the TUI.

Heavy imports (textual, networkx, the evidence engine) happen inside the command that needs them, so
`wizard --version` and `wizard list` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO, Any

from wizard import __version__

from wizard.core.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_QUESTION, EXIT_USAGE, WizardError

EXIT_CRASH = 1


_TREES_HELP = "a folder of the site's own trees, added beside the shipped ones (repeatable; also $WIZARD_TREES)"


def _parser() -> argparse.ArgumentParser:
    # --trees may stand before the command or after it; the two are kept apart (a subcommand's defaults would
    # otherwise overwrite what was given before it) and joined in main().
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--trees", action="append", default=[], dest="trees_after", metavar="DIR", help=_TREES_HELP)
    parser = argparse.ArgumentParser(
        prog="wizard",
        description="Troubleshooting wizard for ConfigMgr, Operations Manager and Exchange admins. "
        "With no command it opens the interactive wizard.",
    )
    parser.add_argument("--trees", action="append", default=[], metavar="DIR", help=_TREES_HELP)
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", parents=[common], help="list the trees")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = sub.add_parser("lint", parents=[common], help="check tree files and report every problem")
    p.add_argument("paths", nargs="*", metavar="PATH", help="tree files or folders (default: the installed trees)")
    p.add_argument("--json", action="store_true", help="print a JSON array of problems")

    p = sub.add_parser("show", parents=[common], help="print a whole tree as one document")
    p.add_argument("tree", metavar="TREE")
    p.add_argument("--format", choices=["md", "json"], default="md")
    _output_options(p)

    p = sub.add_parser("graph", parents=[common], help="print a tree as a Mermaid or Graphviz graph")
    p.add_argument("tree", metavar="TREE")
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")

    p = sub.add_parser("open", parents=[common], help="open the interactive wizard at a tree")
    p.add_argument("tree", metavar="TREE", nargs="?", help="the tree (or give --case)")
    p.add_argument("--case", metavar="CASE", help="a case (TREE/FOLDER, its folder or case.yaml): its tree and evidence")
    p.add_argument(
        "--evidence", action="append", default=[], metavar="PATH",
        help="a log, folder, export or .zip every check of the walk reads (repeatable)",
    )
    p.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="a value the ticket already gives (checked like a typed one; that question is not asked)",
    )

    p = sub.add_parser("walk", parents=[common], help="walk a tree without a screen")
    p.add_argument("tree", metavar="TREE")
    p.add_argument("--answer", action="append", default=[], metavar="NODE=CHOICE", help="answer a question")
    p.add_argument(
        "--interactive", action="store_true",
        help="ask each step as numbered prompts on plain lines (screen readers, dumb terminals, slow links)",
    )
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="give a value a question asks for")
    p.add_argument("--evidence", action="append", default=[], metavar="PATH", help="a log, folder, export or .zip")
    p.add_argument("--format", choices=["md", "json", "html"], default="md", help="the transcript's format")
    p.add_argument("--redact", action="store_true", help="replace host names, addresses, domains and site codes")
    p.add_argument("--keep-mapping", action="store_true", help="with --redact: keep the placeholder mapping (JSON)")
    p.add_argument("--reason", action="append", default=[], metavar="NODE=TEXT", help="why an answer overrides the evidence")
    p.add_argument("--answers", metavar="FILE", help="replay a saved walk or an exported transcript JSON")
    _output_options(p)

    p = sub.add_parser("scan", parents=[common], help="find every known signature in logs, folders or bundles")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("collect", parents=[common], help="print a script that gathers the evidence a tree reads")
    p.add_argument("tree", metavar="TREE")
    p.add_argument("--shell", choices=["cmd", "powershell"], default="cmd", help="the script's language")

    p = sub.add_parser("triage", parents=[common], help="rank the trees for a symptom, log line or ID")
    p.add_argument("text", metavar="TEXT", help='the ticket text, a log line or an ID; "-" reads standard input')
    p.add_argument("--json", action="store_true")
    _add_case_commands(sub, common)
    return parser


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", metavar="FILE", help="write the document to FILE instead of standard output")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (without it, an existing file is kept)")


class CleanWriter:
    """A text stream whose every write goes through the core's cleaner first, so nothing printed from a file, a
    tree, a name or the command line can move the cursor, retitle the window or write the clipboard."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        from wizard.core.textsafe import clean

        self.stream.write(clean(text, lines=True))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def _add_case_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """`test`, `practice` and `serve`: the training side, kept in wizard/commands_cases.py."""
    p = sub.add_parser("test", parents=[common], help="walk case files headless and report every difference")
    p.add_argument("paths", nargs="*", metavar="CASE|DIR", help="case.yaml files or folders (default: the shipped cases)")
    p.add_argument("--json", action="store_true", help="print the results and differences as JSON")

    p = sub.add_parser("practice", parents=[common], help="score a trainee's walk of a case, or report on a class")
    p.add_argument("case", nargs="?", metavar="CASE", help="a case.yaml, its folder, or TREE/FOLDER of a shipped case")
    p.add_argument("--answers", metavar="FILE", help="the trainee's saved walk or exported transcript JSON")
    p.add_argument("--answer", action="append", default=[], metavar="NODE=CHOICE", help="the trainee's answer")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a value the trainee typed")
    p.add_argument("--trainee", default="", metavar="NAME", help="the trainee's name, kept in the record")
    p.add_argument("--record", metavar="FILE", help="write the practice record (JSON) for the trainer")
    p.add_argument("--report", metavar="DIR", help="summarise a folder of practice records")
    p.add_argument("--format", choices=["md", "html", "json"], default="md")
    p.add_argument(
        "--interactive", action="store_true",
        help="walk the case in the wizard's screens: each answer is set beside the expert's, the score comes at the end",
    )

    p = sub.add_parser("serve", parents=[common], help="serve the interactive wizard to a web browser")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    if stdout is None or stderr is None:
        _keep_going_on_narrow_encodings()
    out: IO[str] = CleanWriter(stdout or sys.stdout)  # type: ignore[assignment]  # write() and flush() suffice
    err: IO[str] = CleanWriter(stderr or sys.stderr)  # type: ignore[assignment]
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    args.trees = [*args.trees, *getattr(args, "trees_after", [])]
    if args.version:
        print(f"wizard {__version__}", file=out)
        return EXIT_OK
    try:
        if args.command is None:
            return _open_tui(args, err)
        handler = {
            "list": _cmd_list,
            "lint": _cmd_lint,
            "show": _cmd_show,
            "graph": _cmd_graph,
            "walk": _cmd_walk,
            "open": _cmd_open,
            "scan": _cmd_scan,
            "triage": _cmd_triage,
            "collect": _cmd_collect,
            "test": _cmd_test,
            "practice": _cmd_practice,
            "serve": _cmd_serve,
        }[args.command]
        return handler(args, out, err, stdin or sys.stdin)
    except WizardError as exc:  # a refusal meant for the operator, whichever command met it
        print(f"wizard: {exc}", file=err)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130


def _keep_going_on_narrow_encodings() -> None:
    """Redirected output on Windows is cp1252, which has no '→'; write an escape for what it cannot hold
    instead of dying half-way through a document."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("_", "-")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding not in ("utf-8", "utf8", "utf-16", "utf-32"):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _catalog(args: argparse.Namespace, err: IO[str]):
    from wizard.core.catalog import load_catalog

    catalog = load_catalog(args.trees)
    for note in catalog.notes:
        print(f"note: {note}", file=err)
    for problem in catalog.errors:
        print(f"warning: tree not loaded: {problem.format()}", file=err)
    return catalog


def _tree(args: argparse.Namespace, err: IO[str]):
    from wizard.core.catalog import UnknownTree

    catalog = _catalog(args, err)
    try:
        return catalog, catalog.get(args.tree)
    except UnknownTree as exc:
        print(f"wizard: {exc}", file=err)
        return catalog, None


def _open_tui(args: argparse.Namespace, err: IO[str], **start: Any) -> int:
    """The app reads the trees itself once its first screen is up, so the wizard paints sooner.

    `start` (a tree, its evidence and values) opens that tree at once instead of the home screen.
    """
    try:
        from wizard.tui.app import create_app
    except ImportError as exc:
        print(f"wizard: the interactive wizard is not available ({exc}); see `wizard --help`", file=err)
        return EXIT_USAGE
    app = create_app(tree_dirs=args.trees, **start)
    app.run()
    code = app.return_code
    if code is None:  # the app never got going: it was stopped before it could set a code
        return EXIT_CRASH
    return code if code >= 0 else EXIT_CRASH


def _dump(data: Any, out: IO[str]) -> None:
    """JSON keeps text exact; what a terminal would act on is written as \\uXXXX escapes."""
    from wizard.core.textsafe import dumps_json

    out.write(dumps_json(data))
    out.write("\n")


def _emit(args: argparse.Namespace, text: str, out: IO[str], err: IO[str]) -> int | None:
    """Print the document, or write it to --output; an existing file is replaced only with --force.

    Returns an exit code when writing failed, else None.
    """
    target = getattr(args, "output", None)
    if not target:
        out.write(text)
        return None
    from pathlib import Path

    from wizard.core.files import FileExists, write_atomic

    path = Path(target)
    try:
        write_atomic(path, text, private=False, replace=bool(args.force))
    except FileExists:
        print(f"wizard {args.command}: {path} exists; add --force to replace it", file=err)
        return EXIT_USAGE
    except (OSError, UnicodeError) as exc:
        print(f"wizard {args.command}: cannot write {path}: {exc}", file=err)
        return EXIT_USAGE
    print(f"wrote {path}", file=err)
    return None


def _cmd_list(args, out, err, stdin) -> int:
    catalog = _catalog(args, err)
    if args.json:
        _dump(
            [{"id": t.id, "title": t.title, "version": t.version, "nodes": len(t.nodes)} for t in catalog],
            out,
        )
        return EXIT_OK
    for product, trees in catalog.by_product().items():
        print(product, file=out)
        for tree in trees:
            print(f"  {tree.id:<16} v{tree.version:<3} {len(tree.nodes):>3} nodes  {tree.title}", file=out)
    if not len(catalog):
        print("no trees found", file=err)
    return EXIT_OK


def _cmd_lint(args, out, err, stdin) -> int:
    from pathlib import Path

    from wizard.core.catalog import TREE_SUFFIXES, extra_tree_dirs, shipped_tree_dir, tree_files
    from wizard.core.diagnostics import Diagnostic
    from wizard.core.loader import check_links, load_tree

    if args.paths:
        targets = [Path(p) for p in args.paths]
    else:
        targets = [shipped_tree_dir(), *extra_tree_dirs(args.trees)]
    files: list[Path] = []
    for target in targets:
        if not target.exists():
            print(f"wizard lint: {target}: no such file or folder", file=err)
            return EXIT_USAGE
        found = tree_files(target)
        if target.is_file() and not found:
            print(
                f"wizard lint: {target}: not a tree file; trees are YAML files ending in {' or '.join(TREE_SUFFIXES)}",
                file=err,
            )
            return EXIT_USAGE
        if target.is_dir() and not found:
            print(f"wizard lint: {target}: no .yaml tree files in this folder", file=err)
        files += found
    results = [load_tree(path) for path in files]
    known = {r.tree.id for r in results if r.tree is not None}
    if args.paths:
        from wizard.core.catalog import load_catalog

        known |= set(load_catalog(args.trees).trees)
    problems: list[Diagnostic] = []
    for result in results:
        problems += result.problems
        if result.tree is not None:
            problems += check_links(result.tree, known)
    problems.sort(key=lambda d: d.sort_key)
    if args.json:
        _dump([d.as_dict() for d in problems], out)
    else:
        for problem in problems:
            print(problem.format(), file=out)
        errors = sum(d.severity == "error" for d in problems)
        summary = f"{len(files)} tree file(s), {errors} error(s), {len(problems) - errors} warning(s)"
        print(summary, file=err if problems else out)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _cmd_show(args, out, err, stdin) -> int:
    from wizard.core.render import tree_dict, tree_markdown

    _, tree = _tree(args, err)
    if tree is None:
        return EXIT_USAGE
    if args.format == "json":
        from wizard.core.textsafe import dumps_json

        text = dumps_json(tree_dict(tree)) + "\n"
    else:
        text = tree_markdown(tree)
    return _emit(args, text, out, err) or EXIT_OK


def _cmd_graph(args, out, err, stdin) -> int:
    from wizard.core.graph import dot, mermaid

    _, tree = _tree(args, err)
    if tree is None:
        return EXIT_USAGE
    out.write(mermaid(tree) if args.format == "mermaid" else dot(tree))
    return EXIT_OK


def _missing_evidence(args: argparse.Namespace, err: IO[str]) -> bool:
    """Say which evidence paths do not exist; `walk` and `open` refuse to start on them."""
    import os

    missing = [p for p in args.evidence if not os.path.exists(p)]
    for path in missing:
        print(f"wizard {args.command}: evidence: {path}: no such file or folder", file=err)
    return bool(missing)


def _cmd_open(args, out, err, stdin) -> int:
    """The interactive wizard at one tree, reading the evidence for every check as it is reached."""
    from wizard.core.walk import WalkError, checked_values, parse_assignments

    if args.case:
        return _open_case(args, err)
    if not args.tree:
        print("wizard open: name a tree (wizard list shows them) or give --case CASE", file=err)
        return EXIT_USAGE
    catalog, tree = _tree(args, err)
    if tree is None or _missing_evidence(args, err):
        return EXIT_USAGE
    try:
        values = checked_values(catalog, parse_assignments(args.set, "--set"))
    except WalkError as exc:
        print(f"wizard open: {exc}", file=err)
        return EXIT_USAGE
    return _open_tui(args, err, start_tree=tree.id, evidence=args.evidence, values=values)


def _open_case(args: argparse.Namespace, err: IO[str]) -> int:
    """`wizard open --case CASE`: a demo of the case, its ticket shown and its evidence read, nothing judged."""
    from wizard.commands_cases import open_practice, resolve_case
    from wizard.core.cases import load_case

    try:
        loaded = load_case(resolve_case(args.case))
    except FileNotFoundError:
        print(f"wizard open: no case '{args.case}'; try TREE/FOLDER of a folder under samples/", file=err)
        return EXIT_USAGE
    if loaded.case is None or not loaded.ok:
        for problem in loaded.problems:
            print(problem.format(), file=err)
        return EXIT_USAGE
    return open_practice(args, loaded.case, err, judged=False)


def _cmd_walk(args, out, err, stdin) -> int:
    from wizard.core.render import question_markdown
    from wizard.core.walk import WalkError, parse_assignments, walk

    catalog, tree = _tree(args, err)
    if tree is None or _missing_evidence(args, err):
        return EXIT_USAGE
    if args.interactive:
        from wizard.plain import cli_walk

        return cli_walk(catalog, tree.id, args, out, err, stdin)
    from wizard.commands_cases import ReplayError, replay, write_walk

    try:
        answers = parse_assignments(args.answer, "--answer")
        values = parse_assignments(args.set, "--set")
        if args.answers:
            outcome = replay(args, catalog, tree.id, answers, values)
        else:
            outcome = walk(catalog, tree.id, answers=answers, values=values, evidence=args.evidence)
    except (WalkError, ReplayError) as exc:
        print(f"wizard walk: {exc}", file=err)
        return EXIT_USAGE
    from wizard.core.textsafe import clean

    for problem in outcome.problems:
        print(f"evidence: {clean(problem)}", file=err)
    for note in outcome.notes:
        print(f"note: {clean(note)}", file=err)
    session = outcome.session
    at_runbook = outcome.status == "runbook"
    if at_runbook or args.format != "md" or args.redact:
        import io

        buffer = io.StringIO()
        code = write_walk(args, session, buffer, err)
        if code != EXIT_OK:
            return code
        text = buffer.getvalue()
    else:
        text = question_markdown(session)
    failed = _emit(args, text, out, err)
    if failed is not None:
        return failed
    return EXIT_OK if at_runbook else EXIT_QUESTION


def _cmd_scan(args, out, err, stdin) -> int:
    from wizard.commands_evidence import cmd_scan

    return cmd_scan(args, _catalog(args, err), out, err)


def _cmd_triage(args, out, err, stdin) -> int:
    from wizard.commands_evidence import cmd_triage

    return cmd_triage(args, _catalog(args, err), out, err, stdin)


def _cmd_collect(args, out, err, stdin) -> int:
    """The script is printed, never run: the admin reads it and runs it on each server."""
    from wizard.core.collect import script

    _, tree = _tree(args, err)
    if tree is None:
        return EXIT_USAGE
    text = script(tree, args.shell, __version__)
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(text)
    else:
        out.flush()
        binary.write(text.encode("ascii", "replace"))
        binary.flush()
    return EXIT_OK
def _cmd_test(args, out, err, stdin) -> int:
    from wizard.commands_cases import cmd_test

    return cmd_test(args, _catalog(args, err), out, err)


def _cmd_practice(args, out, err, stdin) -> int:
    from wizard.commands_cases import cmd_practice

    return cmd_practice(args, _catalog(args, err) if args.case else None, out, err)


def _cmd_serve(args, out, err, stdin) -> int:
    from wizard.commands_cases import cmd_serve

    return cmd_serve(args, out, err)


if __name__ == "__main__":
    raise SystemExit(main())
