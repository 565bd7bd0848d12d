"""What the tests of cases, practice and transcripts share: running the command line, and a clean environment."""

from __future__ import annotations

import io

import pytest

from wizard.cli import main
from wizard.core.catalog import load_catalog


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _no_site_trees(monkeypatch, tmp_path):
    monkeypatch.delenv("WIZARD_TREES", raising=False)
    monkeypatch.setenv("WIZARD_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(use_env=False)
