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
