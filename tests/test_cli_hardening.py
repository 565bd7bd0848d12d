"""Command-line behaviour that used to go wrong: options before the command, crashes reported as success, files
replaced without asking, huge numbers, narrow output encodings."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = str(FIXTURES / "good")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _private(monkeypatch, tmp_path):
    monkeypatch.delenv("WIZARD_TREES", raising=False)
    monkeypatch.setenv("WIZARD_DATA_DIR", str(tmp_path / "data"))


def test_trees_before_the_command_counts():
    for argv in (("--trees", GOOD, "list", "--json"), ("list", "--json", "--trees", GOOD)):
        code, out, err = run(*argv)
        assert code == 0, err
        assert "mini" in {row["id"] for row in json.loads(out)}


def test_trees_before_and_after_the_command_both_count(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    text = (FIXTURES / "good" / "mini.yaml").read_text(encoding="utf-8").replace("id: mini\n", "id: mini-two\n", 1)
    (other / "two.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run("--trees", GOOD, "list", "--json", "--trees", str(other))
    assert {"mini", "mini-two"} <= {row["id"] for row in json.loads(out)}


def test_a_crash_in_the_interactive_wizard_is_not_success(monkeypatch):
    import wizard.tui.app as tui_app

    class Crashing(tui_app.WizardApp):
        def on_mount(self) -> None:
            raise RuntimeError("boom")

        def run(self, *args, **kwargs):  # type: ignore[override]
            return super().run(headless=True)

    monkeypatch.setattr(tui_app, "create_app", lambda **kwargs: Crashing(None, **kwargs))
    code, _, _ = run()
    assert code != 0


def test_a_huge_version_is_a_located_problem_not_an_internal_error(tmp_path):
    text = (FIXTURES / "good" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1\n", "version: " + "9" * 5000 + "\n", 1)
    path = tmp_path / "huge.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("lint", str(path), "--trees", GOOD)
    assert code == 1
    assert "internal error" not in out
    assert "WZ206" in out and "digits" in out and ":4:10 " in out


# ------------------------------------------------------------------------------------------ --output


@pytest.mark.parametrize(
    "argv",
    [
        ("show", "mini", "--trees", GOOD),
        ("show", "mini", "--format", "json", "--trees", GOOD),
        ("walk", "mini", "--answer", "q-secure=no", "--trees", GOOD),
    ],
)
def test_output_refuses_to_replace_a_file_without_force(tmp_path, argv):
    target = tmp_path / "out.md"
    target.write_text("keep me", encoding="utf-8")
    if os.name == "posix":
        target.chmod(0o640)
    code, out, err = run(*argv, "--output", str(target))
    assert code == 2 and "--force" in err and out == ""
    assert target.read_text(encoding="utf-8") == "keep me"
    code, out, err = run(*argv, "--output", str(target), "--force")
    assert code in (0, 3), err
    assert target.read_text(encoding="utf-8") != "keep me" and out == ""
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o640


def test_output_writes_a_new_file(tmp_path):
    target = tmp_path / "new" / "mini.md"
    code, _, err = run("show", "mini", "--trees", GOOD, "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("# ")


# ------------------------------------------------------------------------------------------ encodings


def test_show_redirected_to_a_cp1252_file_does_not_die(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0", "WIZARD_NO_CACHE": "1"}
    with open(tmp_path / "f.md", "wb") as handle:
        result = subprocess.run(
            [sys.executable, "-m", "wizard", "show", "mini", "--trees", GOOD],
            stdout=handle, stderr=subprocess.PIPE, env=env, timeout=60,
        )
    assert result.returncode == 0, result.stderr.decode("cp1252", "replace")
    written = (tmp_path / "f.md").read_bytes().decode("cp1252")
    assert written.startswith("# ") and "\\u2192" in written


def test_every_operator_error_shares_one_base_mapped_to_an_exit_code(monkeypatch):
    import wizard.cli as cli
    from wizard.core.catalog import UnknownTree
    from wizard.core.errors import WizardError
    from wizard.core.expr import ExprError
    from wizard.core.session import AnswerError, SessionFileError

    assert all(issubclass(kind, WizardError) for kind in (UnknownTree, ExprError, AnswerError, SessionFileError))

    class Refused(WizardError):
        exit_code = 3

    def refuse(*args):
        raise Refused("the operator is told \x1b[2Jwhy")

    monkeypatch.setattr(cli, "_cmd_list", refuse)
    code, out, err = run("list")
    assert code == 3 and err == "wizard: the operator is told why\n" and out == ""
