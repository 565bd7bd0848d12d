"""Load a tree file into the model, reporting every problem as a located Diagnostic and never raising.

Reading YAML is the slow part, so the located plain form of a file is cached (wizard.core.cache); building the
model from it is wizard.core.builder's job. Each loaded tree carries the Locator of its file, so a later check
(check_links) can still point at the right line and column.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from wizard.core import cache, yamlsafe
from wizard.core.builder import Builder
from wizard.core.diagnostics import Diagnostic, Severity
from wizard.core.model import Tree
from wizard.core.yamlsafe import Locator, parse_bytes


@dataclass(frozen=True)
class LoadResult:
    tree: Tree | None
    problems: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def load_tree(path: str | os.PathLike[str], *, lint: bool = True) -> LoadResult:
    """Read, check and build the tree in ``path``; with ``lint`` the graph and content checks run too."""
    file = os.fspath(path)
    try:
        with open(file, "rb") as handle:
            raw = handle.read(yamlsafe.MAX_BYTES + 1)  # never more, whatever the path turns out to be
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        problem = Diagnostic("WZ100", "error", file, 1, 1, "", f"cannot read the file: {reason}",
                             "check the path and its permissions")
        return LoadResult(None, (problem,))
    return _load(raw, file, lint)


def load_text(text: str | bytes, filename: str = "<text>", *, lint: bool = True) -> LoadResult:
    """Like load_tree, for text already in memory; ``filename`` is what problems and Tree.path show."""
    raw = text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else bytes(text)
    return _load(raw, filename, lint)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading allocates many small objects that all stay alive; cyclic collection passes would only cost time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(raw: bytes, file: str, lint: bool) -> LoadResult:
    with _collector_paused():
        return _load_unguarded(raw, file, lint)


def _load_unguarded(raw: bytes, file: str, lint: bool) -> LoadResult:
    try:
        digest = hashlib.sha256(raw).hexdigest()
        located, scalar_locs = cache.cached_parse(raw, digest, lambda data: parse_bytes(data))
        problems = [_diag(file, p) for p in located.problems]
        tree = None
        locator = Locator(file, located.locs, scalar_locs)
        if not located.fatal:
            builder = Builder(file, locator, located.suppressed)
            tree = builder.build(located.data, digest)
            problems.extend(builder.problems)
            if tree is not None and lint:
                from wizard.core.lint import lint_tree

                problems.extend(lint_tree(tree, locator, broken=builder.broken))
        problems.sort(key=_order)
        return LoadResult(tree, tuple(problems))
    except Exception as exc:  # the loader must answer, whatever the input
        problem = Diagnostic("WZ100", "error", file, 1, 1, "",
                             f"internal error while loading: {exc.__class__.__name__}: {exc}",
                             "please report this file")
        return LoadResult(None, (problem,))


def _order(d: Diagnostic) -> tuple[int, int, str, str]:
    return (d.line, d.col, d.code, d.path)


def _diag(file: str, problem: yamlsafe.Problem) -> Diagnostic:
    code, severity, line, col, path, message, hint = problem
    return Diagnostic(code, cast(Severity, severity), file, line, col, path, message, hint)


def check_links(tree: Tree, known_tree_ids: Collection[str]) -> list[Diagnostic]:
    """Links and runbook ``next`` entries that name a tree not in ``known_tree_ids``.

    When ``known_tree_ids`` maps ids to loaded Trees, a link's ``node`` is checked against its target too.
    """
    from wizard.core.lint import link_problems

    locator = tree.locator if isinstance(tree.locator, Locator) else Locator(tree.path or tree.loc.file)
    return link_problems(tree, known_tree_ids, locator)
