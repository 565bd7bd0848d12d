"""The core runs without a screen: it never imports textual or rich, and the quick commands stay quick.

Each check runs in a fresh interpreter, so what the test process itself has imported cannot hide a leak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREEN_PACKAGES = ("textual", "rich")


def run_python(code: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "WIZARD_TREES"))}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_core_module_imports_without_textual_or_rich():
    found = run_python(
        """
import importlib, json, pkgutil, sys
import wizard.core
names = ["wizard.core"]
for info in pkgutil.walk_packages(wizard.core.__path__, "wizard.core."):
    importlib.import_module(info.name)
    names.append(info.name)
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "rich"})
print(json.dumps({"modules": names, "screen": loaded}))
"""
    )
    assert found["screen"] == []
    assert {"wizard.core.session", "wizard.core.evidence", "wizard.core.triage", "wizard.core.render"} <= set(
        found["modules"]
    )


def test_the_import_contract_holds():
    linter = Path(sys.executable).with_name("lint-imports.exe" if os.name == "nt" else "lint-imports")
    assert linter.exists(), f"import-linter is not installed beside {sys.executable}"
    done = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The core draws no screens KEPT" in done.stdout


def test_version_and_list_do_not_load_the_screen_or_the_graph_library():
    found = run_python(
        """
import io, json, sys
from wizard.cli import main
out = io.StringIO()
codes = [main(["--version"], stdout=out, stderr=out), main(["list"], stdout=out, stderr=out)]
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "rich", "networkx"})
print(json.dumps({"codes": codes, "heavy": heavy, "out": out.getvalue()}))
"""
    )
    assert found["codes"] == [0, 0]
    assert found["heavy"] == []
    assert "key-exchange" in found["out"]
