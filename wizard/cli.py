"""The command line: a thin layer over the headless core, and the door to the TUI.

Heavy imports (textual, networkx, the evidence engine) happen inside the command that needs them, so
`wizard --version` and `wizard list` start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from wizard import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_QUESTION = 3


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--trees",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of the site's own trees, added beside the shipped ones (repeatable; also $WIZARD_TREES)",
    )
    parser = argparse.ArgumentParser(
        prog="wizard",
        description="Troubleshooting wizard for ConfigMgr, Operations Manager and Exchange admins. "
        "With no command it opens the interactive wizard.",
        parents=[common],
    )
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

    p = sub.add_parser("graph", parents=[common], help="print a tree as a Mermaid or Graphviz graph")
    p.add_argument("tree", metavar="TREE")
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")

    p = sub.add_parser("open", parents=[common], help="open the interactive wizard at a tree")
    p.add_argument("tree", metavar="TREE")
    p.add_argument(
        "--evidence", action="append", default=[], metavar="PATH",
        help="a log, folder, export or .zip every check of the walk reads (repeatable)",
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
    p.add_argument("--format", choices=["md", "json"], default="md")

    p = sub.add_parser("scan", parents=[common], help="find every known signature in logs, folders or bundles")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("collect", parents=[common], help="print a script that gathers the evidence a tree reads")
    p.add_argument("tree", metavar="TREE")
    p.add_argument("--shell", choices=["cmd", "powershell"], default="cmd", help="the script's language")

    p = sub.add_parser("triage", parents=[common], help="rank the trees for a symptom, log line or ID")
    p.add_argument("text", metavar="TEXT", help='the ticket text, a log line or an ID; "-" reads standard input')
    p.add_argument("--json", action="store_true")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
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
        }[args.command]
        return handler(args, out, err, stdin or sys.stdin)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130


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


def _open_tui(args: argparse.Namespace, err: IO[str]) -> int:
    """The app reads the trees itself once its first screen is up, so the wizard paints sooner."""
    try:
        from wizard.tui.app import create_app
    except ImportError as exc:
        print(f"wizard: the interactive wizard is not available ({exc}); see `wizard --help`", file=err)
        return EXIT_OK
    create_app(tree_dirs=args.trees).run()
    return EXIT_OK


def _dump(data: Any, out: IO[str]) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


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

    from wizard.core.catalog import extra_tree_dirs, shipped_tree_dir, tree_files
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
        if target.is_dir() and not found:
            print(f"wizard lint: {target}: no .yaml tree files in this folder", file=err)
        files += found
    results = [load_tree(path) for path in files]
    known = {r.tree.id for r in results if r.tree is not None}
    if args.paths:
        from wizard.core.catalog import load_catalog

        known |= set(load_catalog(args.trees).trees)
    problems = []
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
        _dump(tree_dict(tree), out)
    else:
        out.write(tree_markdown(tree))
    return EXIT_OK


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
    _, tree = _tree(args, err)
    if tree is None or _missing_evidence(args, err):
        return EXIT_USAGE
    try:
        from wizard.tui.app import create_app
    except ImportError as exc:
        print(f"wizard: the interactive wizard is not available ({exc}); see `wizard --help`", file=err)
        return EXIT_USAGE
    create_app(tree_dirs=args.trees, start_tree=tree.id, evidence=args.evidence).run()
    return EXIT_OK


def _cmd_walk(args, out, err, stdin) -> int:
    from wizard.core.render import question_dict, question_markdown, runbook_dict, runbook_markdown
    from wizard.core.walk import WalkError, parse_assignments, walk

    catalog, tree = _tree(args, err)
    if tree is None or _missing_evidence(args, err):
        return EXIT_USAGE
    if args.interactive:
        from wizard.plain import cli_walk

        return cli_walk(catalog, tree.id, args, out, err, stdin)
    try:
        answers = parse_assignments(args.answer, "--answer")
        values = parse_assignments(args.set, "--set")
        outcome = walk(catalog, tree.id, answers=answers, values=values, evidence=args.evidence)
    except WalkError as exc:
        print(f"wizard walk: {exc}", file=err)
        return EXIT_USAGE
    for problem in outcome.problems:
        print(f"evidence: {problem}", file=err)
    for note in outcome.notes:
        print(f"note: {note}", file=err)
    session = outcome.session
    if outcome.status == "runbook":
        if args.format == "json":
            _dump(runbook_dict(session), out)
        else:
            out.write(runbook_markdown(session))
        return EXIT_OK
    if args.format == "json":
        _dump(question_dict(session), out)
    else:
        out.write(question_markdown(session))
    return EXIT_QUESTION


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


if __name__ == "__main__":
    raise SystemExit(main())
