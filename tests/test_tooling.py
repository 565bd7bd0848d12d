"""The linters run with the tests, so the usual test command (and CI) keeps the code clean and typed:
`ruff check`, `mypy --strict` on the headless core and plain `mypy` on the rest, as configured in pyproject.toml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tool(name: str) -> str:
    """The tool installed beside this Python (the test extras bring it)."""
    suffix = ".exe" if os.name == "nt" else ""
    found = Path(sys.executable).with_name(name + suffix)
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        pytest.fail(f"{name} is not installed; install the test extras: pip install -e '.[test]'")
    return on_path


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_ruff_check_passes():
    done = run(tool("ruff"), "check", "wizard", "tests", "bench", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_passes_on_the_core():
    done = run(tool("mypy"), "--strict", "wizard/core")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes_on_the_rest():
    done = run(tool("mypy"), "wizard")
    assert done.returncode == 0, done.stdout + done.stderr
