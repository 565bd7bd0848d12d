"""Copying a command: the system's own clipboard tool where there is one, else the terminal's OSC 52.

conhost (the classic Windows console) ignores OSC 52, and many Linux terminals do too, so the native tool goes
first: clip.exe on Windows, pbcopy on macOS, wl-copy under Wayland, xclip or xsel under X. The terminal route is
always tried as well, and the runbook's "save commands" is there for a machine where neither reaches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

TIMEOUT = 3.0


def native_command(
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    which: Callable[[str], str | None] = shutil.which,
) -> tuple[list[str], str] | None:
    """The command that puts its standard input on the clipboard here, and the encoding it reads; or None."""
    if platform == "win32":
        found = which("clip.exe") or which("clip")
        # clip.exe reads the console's code page unless the text starts with a UTF-16 byte-order mark.
        return ([found], "utf-16") if found else None
    if platform == "darwin":
        found = which("pbcopy")
        return ([found], "utf-8") if found else None
    if env.get("WAYLAND_DISPLAY") and (found := which("wl-copy")):
        return [found], "utf-8"
    if env.get("DISPLAY"):
        if found := which("xclip"):
            return [found, "-selection", "clipboard"], "utf-8"
        if found := which("xsel"):
            return [found, "--clipboard", "--input"], "utf-8"
    return None


def copy_native(text: str, command: tuple[list[str], str] | None = None) -> str | None:
    """Put `text` on the system clipboard; the tool's name when it worked, else None."""
    command = command or native_command()
    if command is None:
        return None
    argv, encoding = command
    try:
        done = subprocess.run(
            argv,
            input=text.encode(encoding, errors="replace"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return os.path.basename(argv[0]) if done.returncode == 0 else None
