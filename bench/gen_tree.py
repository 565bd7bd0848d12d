"""Generate a synthetic, valid tree of N nodes for load and lint benchmarks.

The mix follows the shipped trees: questions (some capturing numbers), evidence checks with literal, regex,
event and file signatures, runbooks with several steps and a compute, and the odd link to another tree. Every
node is reachable and every walk ends in a runbook or a link (back to the tree's own start), so a correct
linter reports nothing.

    python bench/gen_tree.py 10000 > /tmp/big.yaml
"""

from __future__ import annotations

import random
import sys

_WORDS = (
    "site server despooler sender inbox instruction replication public key secondary parent child status "
    "message component service agent management group root folder store backfill hierarchy address account "
    "certificate heartbeat schedule package distribution point boundary client policy log event console "
    "database queue retry connection network share permission"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _scalar(text: str) -> str:
    """A YAML double-quoted scalar for ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(count: int, seed: int = 7) -> str:
    """The YAML text of a tree with ``count`` nodes (at least 2)."""
    count = max(count, 2)
    rng = random.Random(seed)
    ids = [f"n-{index:06d}" for index in range(count)]
    kinds = []
    for index in range(count):
        slot = index % 10
        if index == count - 1:
            kinds.append("runbook")
        elif index % 1000 == 509:
            kinds.append("link")
        elif slot < 5:
            kinds.append("question")
        elif slot < 8:
            kinds.append("check")
        else:
            kinds.append("runbook")
    capture_names = [f"value_{index}" for index in range(count) if kinds[index] == "question" and index % 20 == 1]
    if not capture_names:
        capture_names = ["value_x"]

    out = [
        "id: synthetic",
        "title: Synthetic benchmark tree",
        "version: 1",
        "product: Configuration Manager 2007",
        f"summary: {_scalar(_sentence(rng, 24))}",
        "triage:",
        "  symptoms:",
        f"    - {_scalar(_sentence(rng, 8))}",
        "  status_ids: [4404, 4405]",
        "  keywords: [despool, sender]",
        f"start: {ids[0]}",
        "learn:",
        f"  - {_scalar(_sentence(rng, 30))}",
        "nodes:",
    ]
    for index, node_id in enumerate(ids):
        kind = kinds[index]
        targets = [ids[min(index + step, count - 1)] for step in (1, 2, 3)]
        out.append(f"  {node_id}:")
        out.append(f"    kind: {kind}")
        out.append(f"    title: {_scalar(_sentence(rng, 3))}")
        if kind in ("question", "check"):
            out.append(f"    prompt: {_scalar(_sentence(rng, 12))}")
            out.append(f"    why: {_scalar(_sentence(rng, 18))}")
            out.append(f"    how: {_scalar(_sentence(rng, 18))}")
            out.append("    commands:")
            out.append(f"      - {_scalar('dir ' + rng.choice(_WORDS) + '.box')}")
            if kind == "question" and index % 20 == 1:
                name = f"value_{index}"
                out += [
                    "    capture:",
                    f"      name: {name}",
                    f"      label: {_scalar(_sentence(rng, 4))}",
                    "      pattern: '[0-9]{1,6}'",
                    "      type: integer",
                    "      example: '12'",
                    f"      next: {targets[0]}",
                ]
                continue
            if kind == "check":
                out += [
                    "    evidence:",
                    "      kind: log",
                    "      files: [despool.lo?, sender.log]",
                    f"      where: {_scalar(_sentence(rng, 6))}",
                    "    signatures:",
                    "      - id: lit",
                    f"        literal: {_scalar(_sentence(rng, 6))}",
                    f"        means: {_scalar(_sentence(rng, 10))}",
                    "        proposes: a",
                    "      - id: rx",
                    f"        regex: '{rng.choice(_WORDS)} from site (?P<site_{index}>[A-Z0-9]{{3}})'",
                    f"        means: {_scalar(_sentence(rng, 10))}",
                    "        proposes: b",
                    "      - id: ev",
                    f"        event_id: {21000 + index % 50}",
                    "        source: HealthService",
                    f"        means: {_scalar(_sentence(rng, 10))}",
                    "        proposes: b",
                    "      - id: backlog",
                    "        file: '*.ins'",
                    "        under: despoolr.box",
                    f"        count_as: ins_{index}",
                    f"        means: {_scalar(_sentence(rng, 10))}",
                    "        proposes: a",
                    "    otherwise: c",
                ]
            out.append("    choices:")
            for letter, target in zip("abc", targets):
                out += [
                    f"      - id: {letter}",
                    f"        label: {_scalar(_sentence(rng, 6))}",
                    f"        next: {target}",
                ]
            out.append(f"        note: {_scalar(_sentence(rng, 12))}")
        elif kind == "runbook":
            name = rng.choice(capture_names)
            out.append(f"    diagnosis: {_scalar(_sentence(rng, 20) + ' Value {' + name + '}.')}")
            out += [
                "    compute:",
                f"      - name: minutes_{index}",
                f"        expr: max(0, (100 - {name}) * 5) // 2",
                f"        label: {_scalar(_sentence(rng, 5))}",
                "        unit: minutes",
                "    steps:",
            ]
            for _ in range(3):
                out += [
                    f"      - do: {_scalar(_sentence(rng, 14))}",
                    "        runs_on: parent site server",
                    "        commands:",
                    f"          - {_scalar('preinst /keyforparent')}",
                    f"        verify: {_scalar(_sentence(rng, 10) + ' See {minutes_' + str(index) + '}.')}",
                ]
            out.append(f"    escalate: {_scalar(_sentence(rng, 15))}")
        else:
            out += ["    tree: synthetic", f"    node: {ids[0]}", f"    why: {_scalar(_sentence(rng, 12))}"]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 1000
    sys.stdout.write(generate(count))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
