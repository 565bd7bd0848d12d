"""Make the pictures in screenshots/: every screen of the wizard on the shipped trees, at 80x24, as SVG and PNG.

The walk is the one a help desk meets most: a ticket saying a secondary site is stuck pending, triaged, walked
with the practice evidence in samples/, ending in an exported runbook.

    .venv/bin/python scripts/screenshots.py            # PNGs need the extra: pip install -e ".[screenshots]"

SVGs come from the app itself (App.export_screenshot); PNGs are converted from them with cairosvg, using a
monospace font found on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (80, 24)
TICKET = "secondary site stuck pending"
SAMPLE = "samples/pending-site/dal-pending-after-upgrade"
PNG_FONT = "DejaVu Sans Mono, Liberation Mono, monospace"


def clean_environment(data_dir: str) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TEXTUAL_THEME", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_ANIMATIONS", "WIZARD_TREES"):
        os.environ.pop(name, None)
    os.environ["WIZARD_DATA_DIR"] = data_dir


async def capture(out: Path, shots: list[str]) -> None:
    from textual.widgets import Input

    from wizard.tui.app import create_app

    app = create_app()
    app.cursor_blink = False

    async def shot(name: str, title: str) -> None:
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        svg = app.export_screenshot(title=f"wizard: {title}")
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")
        shots.append(name)
        print(f"  {name}.svg  {title}")

    async def press(*keys: str) -> None:
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    async with app.run_test(size=SIZE) as pilot:
        await shot("home", "home")
        await press(*TICKET)
        await shot("home-triage", f"triage of “{TICKET}”")
        await press("enter")
        await shot("step-question", "a question")
        await press("1")
        await shot("step-check", "a check that can read evidence")
        await press("f3")
        app.screen.query_one("#ev-path", Input).value = SAMPLE
        await press("ctrl+s")
        await app.workers.wait_for_complete()
        await shot("evidence", "evidence read, answer proposed")
        await press("enter", "1")
        await press("f3")
        await press("ctrl+s")
        await app.workers.wait_for_complete()
        await press("enter", "2")
        await press(*"D1", "enter")
        await shot("step-capture", "a typed value that does not fit")
        await press("backspace", "backspace", *"DAL", "enter")
        await press(*"NYC", "enter")
        await press(*"NYC-CM01", "enter")
        await press(*r"C:\Program Files\Microsoft Configuration Manager", "enter")
        await shot("runbook", "the runbook")
        app.screen.query_one("#runbook").scroll_to(y=14, animate=False)
        await shot("runbook-steps", "runbook steps, commands and cautions")
        await press("f2")
        await shot("tree-map", "the tree map")
        await press("escape", "e")
        app.screen.query_one("#export-path", Input).value = r"C:\tickets\INC0042-pending-site.md"
        await shot("export", "export")
        await press("escape", "f1")
        await shot("help", "help for the runbook")
        await press("escape")
        app.theme = "wizard-plain"
        await shot("runbook-plain", "the plain theme, no colour needed")


def to_png(svg_path: Path) -> Path:
    import cairosvg

    svg = svg_path.read_text(encoding="utf-8").replace("font-family: Fira Code, monospace", f"font-family: {PNG_FONT}")
    png_path = svg_path.with_suffix(".png")
    cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(png_path), output_width=1300)
    return png_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="where to write (default: screenshots/)")
    parser.add_argument("--no-png", action="store_true", help="SVG only")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    args.out.mkdir(parents=True, exist_ok=True)
    shots: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wizard-shots-") as data_dir:
        clean_environment(data_dir)
        asyncio.run(capture(args.out, shots))
    if args.no_png:
        return 0
    try:
        import cairosvg  # noqa: F401
    except ImportError:
        print("cairosvg is not installed; SVGs written, PNGs skipped (pip install cairosvg)", file=sys.stderr)
        return 1
    for name in shots:
        print(f"  {to_png(args.out / f'{name}.svg').name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
