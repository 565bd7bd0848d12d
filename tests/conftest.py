"""Shared test setup: a terminal environment that cannot change how the app looks, and a private data folder.

The environment is cleaned here, at import, before any test module imports textual. A pytest plugin may have
imported textual already, so its constants are read again from the cleaned environment.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

_LOOKS = (
    "NO_COLOR",
    "FORCE_COLOR",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "TEXTUAL_THEME",
    "TEXTUAL_COLOR_SYSTEM",
    "TEXTUAL_ANIMATIONS",
    "TEXTUAL_PRESS",
    "TEXTUAL_DRIVER",
    "TEXTUAL_FPS",
    "TEXTUAL_SCREENSHOT",
    "TEXTUAL_DEBUG",
    "TEXTUAL_DEVTOOLS_PORT",
    "WIZARD_TREES",
    "WIZARD_DATA_DIR",
    "WIZARD_CACHE_DIR",
    "WIZARD_NO_CACHE",
    "DISPLAY",  # no test may reach the operator's clipboard
    "WAYLAND_DISPLAY",
)
for _name in _LOOKS:
    os.environ.pop(_name, None)
# The parsed-tree cache of the whole run (subprocesses included) goes to a folder of its own, never the user's.
_CACHE = tempfile.mkdtemp(prefix="wizard-test-cache-")
os.environ["WIZARD_CACHE_DIR"] = _CACHE
if "textual.constants" in sys.modules:
    importlib.reload(sys.modules["textual.constants"])

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test saves sessions and exports into its own folder, never the user's."""
    folder = tmp_path / "wizard-data"
    monkeypatch.setenv("WIZARD_DATA_DIR", str(folder))
    return folder


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


# ---------------------------------------------------------------------------------------------- platforms
#
# `posix_only` marks a test that needs what Windows lacks (time.tzset, fork, SIGKILL, os.mkfifo, /dev/zero, file
# modes and owners); it is skipped there. Everything else must pass on Windows too, and here it can be run under
# a simulation of it: `pytest --windows-sim -m "not posix_only"` (CI does) puts every test in the `windows`
# fixture's world, and a test can ask for that fixture itself to always run that way.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--windows-sim",
        action="store_true",
        help="run every test as on Windows: no os.fchmod, cp1252 for subprocess output, ntpath path completion",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "posix_only: needs POSIX (fork, signals, fifos, file modes, time.tzset)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.name == "posix":
        return
    skip = pytest.mark.skip(reason="POSIX only")
    for item in items:
        if "posix_only" in item.keywords:
            item.add_marker(skip)


def simulate_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """What differs on Windows that this machine can imitate: os.fchmod is missing (before Python 3.13),
    redirected output of a child process is cp1252, and path completion follows ntpath (both separators, any
    case)."""
    import ntpath

    monkeypatch.delattr(os, "fchmod", raising=False)
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")
    monkeypatch.setenv("PYTHONUTF8", "0")
    import wizard.tui.widgets as widgets

    monkeypatch.setattr(widgets, "PATH_FLAVOUR", ntpath)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    simulate_windows(monkeypatch)


@pytest.fixture(autouse=True)
def _windows_sim_everywhere(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.config.getoption("--windows-sim"):
        simulate_windows(monkeypatch)
