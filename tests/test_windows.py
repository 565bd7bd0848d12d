"""What differs on Windows, imitated here: path completion, the clipboard, missing os.fchmod, cp1252 output,
and files git must not convert."""

from __future__ import annotations

import ntpath
import os
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest

from tuikit import make_app, open_tree, pilot_test, press_and_pause
from wizard.core.files import write_atomic
from wizard.tui import clipboard
from wizard.tui.runbook import RunbookScreen
from wizard.tui.widgets import CommandBlock, complete_path

ROOT = Path(__file__).resolve().parent.parent
GOOD = str(ROOT / "tests" / "fixtures" / "good")


def folder(*entries: tuple[str, bool]):
    listed: list[str] = []

    def listing(path: str):
        listed.append(path)
        return list(entries)

    listing.listed = listed  # type: ignore[attr-defined]
    return listing


# ------------------------------------------------------------------------------------------ completion


def test_completion_splits_on_both_separators_on_windows():
    listing = folder(("Program Files", True), ("ProgramData", True), ("Users", True))
    assert complete_path("C:\\Us", listing, ntpath) == "C:\\Users\\"
    assert complete_path("C:/Us", listing, ntpath) == "C:/Users/"
    assert complete_path("C:\\logs/Us", listing, ntpath) == "C:\\logs/Users/"
    assert listing.listed == ["C:\\", "C:/", "C:\\logs/"]


def test_completion_ignores_case_on_windows_and_keeps_what_was_typed():
    listing = folder(("Program Files", True), ("ProgramData", True), ("despool.log", False))
    assert complete_path("C:\\prog", listing, ntpath) == "C:\\program"
    assert complete_path("C:\\program f", listing, ntpath) == "C:\\program files\\"
    assert complete_path("d:\\DESP", listing, ntpath) == "d:\\DESPool.log"


def test_completion_keeps_case_on_posix():
    listing = folder(("Logs", True), ("logs.txt", False))
    assert complete_path("/srv/lo", listing, posixpath) == "/srv/logs.txt"
    assert complete_path("/srv/Lo", listing, posixpath) == "/srv/Logs/"
    assert complete_path("/srv\\Lo", folder(), posixpath) is None


def test_completion_on_a_real_folder(tmp_path: Path):
    (tmp_path / "despool.log").write_text("x")
    (tmp_path / "inboxes").mkdir()
    assert complete_path(str(tmp_path / "desp")) == str(tmp_path / "despool.log")
    assert complete_path(str(tmp_path / "inb")) == str(tmp_path / "inboxes") + os.sep


def test_the_windows_simulation_switches_completion_to_ntpath(windows, tmp_path: Path):
    (tmp_path / "Despool.log").write_text("x")
    assert complete_path(str(tmp_path) + "/desp") == str(tmp_path) + "/despool.log"


# ------------------------------------------------------------------------------------------ clipboard


def test_the_native_clipboard_tool_for_each_platform():
    def which(name: str) -> str | None:
        return {"clip.exe": "C:\\Windows\\System32\\clip.exe", "pbcopy": "/usr/bin/pbcopy",
                "wl-copy": "/usr/bin/wl-copy", "xclip": "/usr/bin/xclip"}.get(name)

    assert clipboard.native_command("win32", {}, which) == (["C:\\Windows\\System32\\clip.exe"], "utf-16")
    assert clipboard.native_command("darwin", {}, which) == (["/usr/bin/pbcopy"], "utf-8")
    assert clipboard.native_command("linux", {"WAYLAND_DISPLAY": "wayland-0"}, which)[0] == ["/usr/bin/wl-copy"]
    assert clipboard.native_command("linux", {"DISPLAY": ":0"}, which)[0][0] == "/usr/bin/xclip"
    assert clipboard.native_command("linux", {}, which) is None
    assert clipboard.native_command("win32", {}, lambda name: None) is None


def fake_tool(tmp_path: Path) -> tuple[list[str], str]:
    target = tmp_path / "clipboard.bin"
    script = f"import sys; open({str(target)!r}, 'wb').write(sys.stdin.buffer.read())"
    return [sys.executable, "-c", script], "utf-16"


def test_copy_hands_the_text_to_the_tool_in_its_encoding(tmp_path: Path):
    tool = fake_tool(tmp_path)
    assert clipboard.copy_native("preinst /keyforparent →", tool) is not None
    raw = (tmp_path / "clipboard.bin").read_bytes()
    assert raw.startswith(b"\xff\xfe") and raw.decode("utf-16") == "preinst /keyforparent →"
    assert clipboard.copy_native("x", ([str(tmp_path / "missing-tool")], "utf-8")) is None


@pilot_test
async def test_copy_in_the_app_uses_the_native_tool_then_osc52(monkeypatch, tmp_path: Path):
    tool = fake_tool(tmp_path)
    monkeypatch.setattr(clipboard, "native_command", lambda: tool)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1", "1", "4", "0", "enter")
        assert isinstance(app.screen, RunbookScreen)
        app.screen.query(CommandBlock).first().focus()
        await press_and_pause(pilot, "c")
        assert app.clipboard == "preinst /keyforparent"
        assert (tmp_path / "clipboard.bin").read_bytes().decode("utf-16") == "preinst /keyforparent"
        assert any("through" in str(n.message) for n in app._notifications)


# ------------------------------------------------------------------------------------------ files and output


def test_atomic_write_without_fchmod(windows, tmp_path: Path):
    assert not hasattr(os, "fchmod")
    write_atomic(tmp_path / "export.md", "# x\n", private=False)
    write_atomic(tmp_path / "export.md", "# y\n", private=False)
    assert (tmp_path / "export.md").read_text(encoding="utf-8") == "# y\n"


def test_show_into_a_cp1252_pipe(windows, tmp_path: Path):
    assert os.environ["PYTHONIOENCODING"] == "cp1252"
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "show", "mini", "--trees", GOOD],
        capture_output=True, timeout=60, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    done.stdout.decode("cp1252")


def test_snapshots_and_fixtures_keep_their_bytes_in_git():
    done = subprocess.run(
        ["git", "check-attr", "text", "--", "tests/__snapshots__/test_tui_snapshots/x.svg",
         "tests/fixtures/evidence/sender-utf8bom.log", "samples/key-exchange/x/despool.log"],
        capture_output=True, text=True, cwd=ROOT,
    )
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    assert [line.rsplit(": ", 1)[1] for line in done.stdout.splitlines()] == ["unset"] * 3
