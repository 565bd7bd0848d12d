"""Time load + lint: the shipped trees, and synthetic trees of 10,000 and 20,000 nodes, cold and warm.

Cold means the located-form cache is bypassed (WIZARD_NO_CACHE=1), so the YAML is parsed; warm means the cache
holds the file. Each figure is the best of --repeat runs, because the machine is shared. The cache lives in a
temporary folder for the run, never in the user's cache.

    .venv/bin/python bench/bench_load.py [--repeat 3] [--sizes 10000,20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_tree import generate  # noqa: E402

from wizard.core.loader import check_links, load_tree  # noqa: E402


def _time(action, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def _load_all(paths: list[Path]) -> int:
    """Load and lint every tree, then check links between them; returns the number of problems."""
    results = [load_tree(path) for path in paths]
    trees = {r.tree.id: r.tree for r in results if r.tree is not None}
    problems = sum(len(r.problems) for r in results)
    for tree in trees.values():
        problems += len(check_links(tree, trees))
    return problems


def _measure(paths: list[Path], repeat: int) -> tuple[tuple[float, float], tuple[float, float], int]:
    os.environ["WIZARD_NO_CACHE"] = "1"
    cold = _time(lambda: _load_all(paths), repeat)
    del os.environ["WIZARD_NO_CACHE"]
    problems = _load_all(paths)  # fills the cache
    warm = _time(lambda: _load_all(paths), repeat)
    return cold, warm, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10000,20000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    with tempfile.TemporaryDirectory(prefix="wizard-bench-") as scratch:
        os.environ["WIZARD_CACHE_DIR"] = str(Path(scratch) / "cache")
        rows: list[tuple[str, str, tuple[float, float], tuple[float, float], int]] = []
        shipped = sorted((ROOT / "trees").glob("*.yaml"))
        if shipped:
            size = sum(p.stat().st_size for p in shipped)
            cold, warm, problems = _measure(shipped, args.repeat)
            rows.append((f"shipped trees ({len(shipped)})", f"{size / 1024:.0f} KB", cold, warm, problems))
        else:
            print("no shipped trees in trees/ yet; skipping that row")
        by_size: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {}
        for count in sizes:
            path = Path(scratch) / f"synthetic-{count}.yaml"
            path.write_text(generate(count), encoding="utf-8")
            cold, warm, problems = _measure([path], args.repeat)
            by_size[count] = (cold, warm)
            rows.append((f"{count:,} nodes", f"{path.stat().st_size / 1e6:.1f} MB", cold, warm, problems))

    print(f"best of {args.repeat}; wall-clock seconds, CPU seconds in brackets")
    print(f"{'input':<22} {'size':>9} {'cold':>17} {'warm':>17} {'problems':>9}")
    for name, size, cold, warm, problems in rows:
        print(f"{name:<22} {size:>9} {cold[0]:>7.3f} ({cold[1]:>6.3f}) {warm[0]:>7.3f} ({warm[1]:>6.3f}) "
              f"{problems:>9}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        ratios = [by_size[large][phase][kind] / by_size[small][phase][kind] for phase in (0, 1) for kind in (0, 1)]
        print(f"ratio {large:,}/{small:,}: cold {ratios[0]:.2f}x ({ratios[1]:.2f}x CPU), "
              f"warm {ratios[2]:.2f}x ({ratios[3]:.2f}x CPU); linear would be {large / small:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
