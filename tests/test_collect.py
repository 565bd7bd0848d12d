"""`wizard collect`: a script per tree that gathers exactly what the tree's checks read, server by server."""

from __future__ import annotations

import io
import re
import shutil

import pytest

from content_kit import SAMPLES, TREES, load_shipped_tree
from wizard import __version__
from wizard.cli import main
from wizard.core.collect import plan, script, server_of
from wizard.core.evidence.matcher import wildcard_match
from wizard.core.loader import load_tree
from wizard.core.model import Check

SHIPPED = sorted(path.stem for path in TREES.glob("*.yaml"))
SHELLS = ("cmd", "powershell")


def _checks(tree):
    return [node for node in tree.nodes.values() if isinstance(node, Check)]


def _code_lines(text: str, shell: str) -> list[str]:
    """The lines that do something: not comments, not blank."""
    marker = "REM" if shell == "cmd" else "#"
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith(marker)]


def _written(text: str) -> set[str]:
    """File names the script saves output under."""
    names = set(re.findall(r'"%OUT%\\([A-Za-z0-9_.-]+)"', text))
    names |= set(re.findall(r"Join-Path \$Out '([A-Za-z0-9_.-]+)'", text))
    return names


def _copied(text: str) -> set[str]:
    names = set(re.findall(r'copy /y "[^"]*\\([^"\\]+)" "%OUT%\\"', text))
    names |= set(re.findall(r"'([^']+)'\) -Destination \$Out", text))
    return names


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("tree_id", SHIPPED)
def test_the_script_names_every_file_pattern_of_every_check(tree_id, shell):
    tree = load_shipped_tree(tree_id)
    text = script(tree, shell)
    for check in _checks(tree):
        for pattern in check.evidence.files:
            assert pattern in text, f"{check.id}: {pattern}"


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("tree_id", SHIPPED)
def test_what_the_script_gathers_is_what_the_checks_read(tree_id, shell):
    tree = load_shipped_tree(tree_id)
    text = script(tree, shell)
    written, copied = _written(text), _copied(text)
    for check in _checks(tree):
        globs = check.evidence.files
        if check.evidence.kind == "log":
            assert set(globs) <= copied, (check.id, globs, copied)
        elif check.evidence.kind in ("folder", "command", "events"):
            assert any(wildcard_match(name, glob) for name in written for glob in globs), (check.id, written)
        else:
            assert "By hand" in text


def test_each_part_says_where_it_runs_and_what_it_collects():
    parts = plan(load_shipped_tree("pending-site"))
    assert [p.server for p in parts] == ["secondary site server", "parent site server"]
    text = script(load_shipped_tree("pending-site"), "cmd")
    assert "REM ---- Part 1: run on the secondary site server ----" in text
    assert "REM ---- Part 2: run on the parent site server ----" in text
    secondary, parent = text.split(":part2")[0].split(":part1")[1], text.split(":part2")[1].split(":pack")[0]
    assert "sitectrl-box.txt" in secondary and "sc-query.txt" in secondary and "hman-box.txt" not in secondary
    assert "hman-box.txt" in parent and "despool.lo?" in parent and "sitectrl" not in parent.replace(
        "sitectrl-box*.txt", ""
    )
    pf = [p.server for p in plan(load_shipped_tree("pf-backfill"))]
    assert pf == ["Exchange server whose public store is missing the data", "server the 0x8 was sent to"]


def test_a_file_two_checks_read_is_gathered_once():
    text = script(load_shipped_tree("pending-site"), "cmd")
    assert text.count('> "%OUT%\\hman-box.txt"') == 1
    assert text.count('sc query SMS_EXECUTIVE > "%OUT%\\sc-query.txt"') == 1
    assert text.count('sc query SMS_SITE_COMPONENT_MANAGER >> "%OUT%\\sc-query.txt"') == 1


def test_cmd_script_runs_on_old_windows():
    text = script(load_shipped_tree("rms-failover"), "cmd")
    code = _code_lines(text, "cmd")
    assert not any("powershell" in line.lower() for line in code)
    assert 'if not exist "%SystemRoot%\\System32\\wevtutil.exe" goto' in text
    assert any(line.startswith('cscript //nologo "%SystemRoot%\\System32\\eventquery.vbs" /l "Operations Manager"')
               for line in code)
    assert 'if not exist "%SystemRoot%\\System32\\tar.exe" goto nozip' in text and "Send To" in text
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert text.isascii()
    labels = set(re.findall(r"^:(\S+)", text, re.M))
    assert set(re.findall(r"goto (\S+)", text)) <= labels


def test_powershell_script_keeps_to_powershell_2():
    text = script(load_shipped_tree("dp-stickiness"), "powershell")
    first_code = next(line for line in text.splitlines() if not line.startswith("#"))
    assert first_code.startswith("param(")
    assert "Compress-Archive" in text and "Get-Command Compress-Archive" in text
    assert "-ErrorAction Ignore" not in text
    assert "System32\\CCM\\Logs" in text and "SysWOW64\\CCM\\Logs" in text


def test_the_files_the_script_names_walk_the_practice_case(tmp_path, capsys):
    case = SAMPLES / "pending-site" / "hou-listings-show-ct0-ready"
    text = script(load_shipped_tree("pending-site"), "cmd")
    written, copied = _written(text), _copied(text)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for path in case.iterdir():
        if path.name in ("README.md", "case.yaml"):
            continue
        assert path.name in written or any(wildcard_match(path.name, g) for g in copied), path.name
        shutil.copy(path, bundle / path.name)
    args = [
        "walk", "pending-site", "--evidence", str(bundle), "--format", "json",
        "--answer", "q-install-finished=finished", "--answer", "q-components-working=working",
        "--answer", "q-reinstalled=first-install", "--set", "site_code=HOU", "--set", "parent_site_code=NYC",
        "--set", "parent_server=NYC-CM01", "--set", "child_install_dir=D:\\SMS",
        "--set", "parent_install_dir=C:\\Program Files\\Microsoft Configuration Manager",
    ]
    assert main(args) == 0
    assert '"rb-send-site-control-file"' in capsys.readouterr().out


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("tree_id", SHIPPED)
def test_wizard_collect_prints_the_script(tree_id, shell):
    out, err = io.StringIO(), io.StringIO()
    assert main(["collect", tree_id, "--shell", shell], stdout=out, stderr=err) == 0
    # What reaches the terminal is cleaned, carriage returns included; redirected on Windows, lines end in CRLF again.
    assert out.getvalue() == script(load_shipped_tree(tree_id), shell, __version__).replace("\r\n", "\n")
    assert f"collect-{tree_id}" in out.getvalue()


def test_wizard_collect_unknown_tree():
    err = io.StringIO()
    assert main(["collect", "no-such-tree"], stdout=io.StringIO(), stderr=err) == 2
    assert "no-such-tree" in err.getvalue()


def test_server_names_from_where_texts():
    assert server_of("parent site server, <ConfigMgrInstallPath>\\Logs") == "parent site server"
    assert server_of("On the stuck client: %WINDIR%\\System32\\CCM\\Logs") == "stuck client"
    assert server_of("The Operations Manager event log on an affected agent computer (CODC01)") == (
        "affected agent computer"
    )


HOSTILE = r'''
id: hostile
title: "Hostile \e]0;pwned\a tree"
version: 1
product: Configuration Manager 2007
summary: A tree whose evidence fields try to slip commands into the collect script.
triage: {symptoms: [hostile]}
start: c-one
nodes:
  c-one:
    kind: check
    prompt: "Injected?"
    why: "x"
    how: "line one\r\n del /q C:\\*.* & echo %~f0 | format c: > x ^"
    commands:
      - 'dir "%ProgramFiles%\Microsoft Configuration Manager\inboxes\x & del /q C:\*" > a.txt'
      - 'format c: > out.txt'
      - 'sc query X & del C:\boot.ini > sc.txt'
    evidence:
      kind: command
      files: ['x" & del /q C:\*.* & "', "out.txt", "sc.txt"]
      where: "parent site server,\n del /q C:\\ & <ConfigMgrInstallPath>\\Logs\" & del C:\\*"
    signatures:
      - {id: s, literal: x, means: x, proposes: a}
    otherwise: a
    choices:
      - {id: a, label: A, next: rb}
  c-two:
    kind: check
    prompt: "Injected events?"
    why: "x"
    how: "x"
    evidence:
      kind: events
      files: ["ev'); Remove-Item C:\\ -Recurse; ('*.txt"]
      where: "Application log of the server $(Remove-Item C:\\), exported"
    signatures:
      - {id: s, event_id: 1, means: x, proposes: a}
    otherwise: a
    choices:
      - {id: a, label: A, next: rb}
  rb:
    kind: runbook
    title: Done
    diagnosis: x
    steps:
      - {do: x, runs_on: x, verify: x}
'''


@pytest.mark.parametrize("shell", SHELLS)
def test_hostile_tree_text_never_reaches_a_command_line(tmp_path, shell):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    tree = load_tree(path, lint=False).tree
    assert tree is not None
    text = script(tree, shell)
    assert text.isascii() and "\x1b" not in text and "\x07" not in text
    for line in _code_lines(text, shell):
        lowered = line.lower()
        assert "del " not in lowered and "format c" not in lowered and "remove-item" not in lowered, line
        assert "%~f0" not in line
    if shell == "cmd":
        for line in text.split("\r\n"):
            if line.startswith("REM"):
                assert not re.search(r"[&|<>^]|%~", line), line


def test_the_server_2003_csv_export_is_read(tmp_path):
    from wizard.core.evidence import Probe, scan
    from wizard.core.model import Signature

    export = tmp_path / "operations-manager.csv"
    export.write_text(
        "\r\n\r\n"
        '"Type","Event","Date Time","Source","ComputerName","Category","User","Description"\r\n'
        '"Warning","21006","3/2/2007 6:00:01 AM","OpsMgr Connector","CODC01","None","N/A",'
        '"The OpsMgr Connector could not connect to COOM01:5723."\r\n'
    )
    probe = Probe("t", "n", Signature(id="e", means="", proposes="x", event_id=21006))
    hits = scan([export], [probe]).hits
    assert [(h.line, h.time, h.computer) for h in hits] == [(4, "2007-03-02 06:00:01", "CODC01")]
