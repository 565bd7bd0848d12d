"""Finding and loading every tree the wizard knows: the shipped ones and a site's own."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wizard.core.diagnostics import Diagnostic
from wizard.core.errors import WizardError
from wizard.core.model import Tree
from wizard.core.paths import TREES_ENV, extra_tree_dirs
from wizard.core.suggest import did_you_mean

__all__ = ["TREES_ENV", "Catalog", "UnknownTree", "extra_tree_dirs", "load_catalog", "samples_dir",
           "shipped_tree_dir", "tree_files"]

TREE_SUFFIXES = (".yaml", ".yml")


def _shipped(folder: str) -> Path:
    """A folder installed inside the wheel, or the repository's own in a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


def shipped_tree_dir() -> Path:
    return _shipped("trees")


def samples_dir() -> Path:
    """Practice evidence bundles, one folder per tree, one per case below it."""
    return _shipped("samples")


def is_tree_file(path: Path) -> bool:
    """Trees are YAML files; anything else beside them (a README, notes) is not read as a tree."""
    return path.suffix.lower() in TREE_SUFFIXES


def tree_files(directory: Path) -> list[Path]:
    """The tree files in a folder, or the path itself when it is a tree file; other files are skipped."""
    if directory.is_file():
        return [directory] if is_tree_file(directory) else []
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if is_tree_file(p) and p.is_file())


@dataclass
class Catalog:
    """Loaded trees by id, plus every problem met on the way (broken trees are left out of `trees`)."""

    trees: dict[str, Tree] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Tree]:
        return iter(self.trees.values())

    def __len__(self) -> int:
        return len(self.trees)

    def __contains__(self, tree_id: object) -> bool:
        return tree_id in self.trees

    def get(self, tree_id: str) -> Tree:
        try:
            return self.trees[tree_id]
        except KeyError:
            raise UnknownTree(tree_id, sorted(self.trees)) from None

    def by_product(self) -> dict[str, list[Tree]]:
        groups: dict[str, list[Tree]] = {}
        for tree in sorted(self.trees.values(), key=lambda t: (t.product, t.title)):
            groups.setdefault(tree.product, []).append(tree)
        return groups

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity == "error"]


class UnknownTree(WizardError, LookupError):
    """A tree id nobody installed; the message suggests the close one."""

    def __init__(self, tree_id: str, known: list[str]):
        self.tree_id = tree_id
        hint = did_you_mean(tree_id, known)
        hint = f" ({hint})" if hint else ""
        super().__init__(f"no tree '{tree_id}'{hint}; known trees: {', '.join(known) or 'none'}")


def load_catalog(
    extra_dirs: Sequence[str | os.PathLike[str]] = (),
    *,
    include_shipped: bool = True,
    use_env: bool = True,
) -> Catalog:
    """Load the shipped trees, then the site's (`WIZARD_TREES`, then `--trees`); a later tree replaces an earlier one of the same id."""
    from wizard.core.loader import check_links, load_tree

    dirs: list[Path] = [shipped_tree_dir()] if include_shipped else []
    dirs += extra_tree_dirs(extra_dirs) if use_env else [Path(d) for d in extra_dirs]
    catalog = Catalog()
    for directory in dirs:
        if not directory.exists():
            catalog.notes.append(f"tree folder not found: {directory}")
            continue
        if directory.is_file() and not is_tree_file(directory):
            catalog.notes.append(f"not a tree file (trees end in {' or '.join(TREE_SUFFIXES)}): {directory}")
            continue
        for path in tree_files(directory):
            result = load_tree(path)
            catalog.problems.extend(result.problems)
            if result.tree is None or not result.ok:
                continue
            previous = catalog.trees.get(result.tree.id)
            if previous is not None:
                catalog.notes.append(f"{path} replaces tree '{result.tree.id}' from {previous.path}")
            catalog.trees[result.tree.id] = result.tree
    known = set(catalog.trees)
    for tree in list(catalog.trees.values()):
        catalog.problems.extend(check_links(tree, known))
    return catalog
