"""How fast the wizard's screen comes up and answers a key, against a minimal Textual app.

Launch: a minimal Textual app with a Header, a Static and a Footer, the `wizard` command, and the app built by
`create_app()` alone, each started as a whole process with the headless driver and TEXTUAL_PRESS=ctrl+q, so each
runs until it is ready, takes ctrl+q and quits. The app reads the trees in the background after its first screen is
up, so a fourth process, which quits only once the trees are listed, shows the cost of the full home screen. They
alternate run by run; medians and ratios to the minimal app are printed (target: within 1.3x).

Key to paint: inside one headless app on the shipped trees, the time from a key press on a question to the first
frame the compositor renders with the next question's prompt on screen; answers and undos alternate over a walk of
the pending-site tree. Median and 90th percentile are printed (target: median under 50 ms).

    .venv/bin/python bench/bench_tui.py [--runs 15] [--keys 80]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = "textual.drivers.headless_driver:HeadlessDriver"
TUI_APP = """
from wizard.tui.app import create_app

create_app().run()
"""
TUI_LISTED = """
import asyncio
from wizard.tui.app import create_app

app = create_app()


async def quit_when_listed(pilot):
    while not app.catalog_ready:
        await asyncio.sleep(0.002)
    await pilot.pause()
    await pilot.press("ctrl+q")


app.run(auto_pilot=quit_when_listed)
"""
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static


class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()


Minimal().run()
"""


def launch_env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_") and k not in ("NO_COLOR", "WIZARD_TREES")}
    env.update(TEXTUAL_DRIVER=HEADLESS, TEXTUAL_PRESS="ctrl+q", WIZARD_DATA_DIR=data_dir)
    return env


def timed_run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-400:]}")
    return elapsed


def bench_launch(runs: int) -> dict[str, float]:
    wizard = shutil.which("wizard", path=str(Path(sys.executable).parent)) or "wizard"
    with tempfile.TemporaryDirectory(prefix="wizard-bench-") as data_dir:
        env = launch_env(data_dir)
        listed_env = {k: v for k, v in env.items() if k != "TEXTUAL_PRESS"}
        commands = {
            "minimal": ([sys.executable, "-c", MINIMAL_APP], env),
            "wizard": ([wizard], env),
            "tui": ([sys.executable, "-c", TUI_APP], env),
            "listed": ([sys.executable, "-c", TUI_LISTED], listed_env),
        }
        for command, command_env in commands.values():
            timed_run(command, command_env)  # warm the file cache and the tree cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, command_env) in commands.items():
                times[name].append(timed_run(command, command_env))
    return {name: statistics.median(values) for name, values in times.items()}


async def measure_keys(count: int) -> list[float]:

    from wizard.core.model import Check, Question
    from wizard.tui.app import create_app

    app = create_app()
    app.cursor_blink = False
    frames: list[tuple[float, str]] = []
    display = app._display

    def recording_display(screen, renderable):
        if renderable is not None:
            shown = ""
            for prompt in screen.query("#prompt"):
                if prompt in screen._compositor.visible_widgets:
                    shown = str(prompt.visual)
            frames.append((time.perf_counter(), shown))
        return display(screen, renderable)

    app._display = recording_display
    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The install folders are given up front, as `wizard open --set` gives them, so the walk starts at a choice.
        app.begin("pending-site", values={"child_install_dir": "C:\\SMS", "parent_install_dir": "C:\\SMS"})
        await pilot.pause()
        while len(latencies) < count:
            session = app.session
            node = session.node
            forward = isinstance(node, (Question, Check)) and node.choices and session.needs_value() is None
            key = "1" if forward and len(session.moves) < 3 else "f4"
            frames.clear()
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause(0.05)
            target = app.session.node
            if not isinstance(target, (Question, Check)):
                continue
            expected = str(app.screen.query_one("#prompt").visual)
            first = next((at for at, shown in frames if shown == expected), None)
            if first is not None:
                latencies.append((first - started) * 1000)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="launches of each app (default 15)")
    parser.add_argument("--keys", type=int, default=80, help="key presses measured (default 80)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)

    launch = bench_launch(args.runs)
    minimal = launch["minimal"]
    rows = [
        ("minimal Textual app (Header, Static, Footer)", "minimal"),
        ("`wizard` command (CLI, then the home screen)", "wizard"),
        ("create_app().run() (home screen, trees read after)", "tui"),
        ("create_app().run() until the trees are listed", "listed"),
    ]
    print(f"launch to first screen and quit, whole processes, median of {args.runs} runs each, alternating")
    for label, name in rows:
        print(f"  {label:<52} {launch[name] * 1000:6.0f} ms  {launch[name] / minimal:5.2f}x")
    print("  (target: within 1.30x of the minimal app)")

    with tempfile.TemporaryDirectory(prefix="wizard-bench-") as data_dir:
        os.environ["WIZARD_DATA_DIR"] = data_dir
        latencies = asyncio.run(measure_keys(args.keys))
    latencies.sort()
    median = statistics.median(latencies)
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    print(f"key press to next question painted, {len(latencies)} presses (answers and undos, pending-site)")
    print(f"  median {median:6.1f} ms   p90 {p90:6.1f} ms   max {latencies[-1]:6.1f} ms   (target: median < 50 ms)")
    print(f"  ratio median / 50 ms target                   {median / 50:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
