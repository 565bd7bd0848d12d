"""`wizard collect TREE`: a script the admin runs on each server a tree's checks read, gathering exactly that.

The checks of a tree say what they read (`evidence.kind`, `files`, `where`, and the commands in their how-to).
From those the plan here works out, server by server, which logs to copy, which folders to list, which commands
to run with their output saved under the names the checks look for, and which event logs to export. The script is
printed for `cmd` (Windows Server 2003 and later, no PowerShell needed) or PowerShell; the wizard never runs it.
It only reads: copies, listings and exports go into one new folder per server, which is zipped where Windows has a
zip tool, ready for `wizard open TREE --evidence`.

Everything taken from a tree is treated as untrusted: only names, folders and commands of known, read-only shapes
are put into a command line; anything else is shown as a comment for the admin to do by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import re2

from wizard.core.model import Check, Tree

SHELLS = ("cmd", "powershell")
Shell = Literal["cmd", "powershell"]
Action = Literal["copy", "listing", "command", "events", "by-hand"]

BASE_FOLDER = "wizard-evidence"
"""Folder under the system drive where each part writes its own folder and zip."""

_SAFE_GLOB = re2.compile(r"^[A-Za-z0-9_.*?$-]{1,80}$")
_SAFE_NAME = re2.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$")
_SAFE_TAIL = re2.compile(r"^[A-Za-z0-9_.$-]{1,64}(\\[A-Za-z0-9_.$-]{1,64}){0,8}$")
_SAFE_LOG = re2.compile(r"^[A-Za-z][A-Za-z0-9 -]{0,60}$")
_SAFE_SERVICE = re2.compile(r"^[A-Za-z0-9_$-]{1,80}$")

_SITE_PATH = re2.compile(r"(?:<ConfigMgrInstallPath>|\{[a-z_]*install_dir\})\\([A-Za-z0-9_.$\\-]+)")
_INSTALL_DIR = re2.compile(r"^\{[a-z_]*install_dir\}\\")
"""A tree's placeholder for the ConfigMgr folder of a server; the script's own %SMSDIR% stands for it."""
_ENV_PATH = re2.compile(r"%(WINDIR|SystemRoot|SystemDrive)%((?:\\[A-Za-z0-9_.$-]+)+)")
_SMS_DEFAULT = "%ProgramFiles%\\Microsoft Configuration Manager\\"
_DIR_COMMAND = re2.compile(r'^dir(?: /[a-z]+)* "([^"]+)" >>? ([A-Za-z0-9_.-]+)$')
_REDIRECT = re2.compile(r"^(.*?) (>>?) ([A-Za-z0-9_.-]+)$")
_SC_QUERY = re2.compile(r"^sc query ([A-Za-z0-9_$-]+)$")
_EVENT_LOG = re2.compile(r"\b(Application|System|Operations Manager|Directory Service|DNS Server)\s+(?:event\s+)?log\b")
_READ_ONLY = {"ipconfig /displaydns", "ipconfig /all", "hostname", "net start"}

_ROLES = (
    re2.compile(r"(?i)\b((?:parent|child|secondary|primary|central)(?: \([a-z]+\))? site server)\b"),
    re2.compile(r"(?i)\b(?:on|of) (?:the |an |a )?([A-Za-z -]{0,40}?\b(?:server|client|computer)\b"
                r"(?: (?:whose|that|which|the|where) [^,;.()]{1,80})?)"),
    re2.compile(r"(?i)^\s*((?:the |a |an )?console[^,;(]{0,80})"),
)


@dataclass
class Item:
    """One thing gathered on one server: which checks want it and what is done."""

    action: Action
    source: str
    output: str = ""
    patterns: tuple[str, ...] = ()
    checks: list[str] = field(default_factory=list)
    looks_for: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.action, self.source, self.output)


@dataclass
class Part:
    """Everything gathered on one server."""

    number: int
    key: str
    server: str
    items: list[Item] = field(default_factory=list)

    @property
    def uses_site_folder(self) -> bool:
        return any("%SMSDIR%" in item.source for item in self.items)

    @property
    def uses_client_logs(self) -> bool:
        return any(item.source == "%CCMLOGS%" for item in self.items)


def plan(tree: Tree) -> list[Part]:
    """The parts of the collect script for a tree, one per server its checks read from, in tree order."""
    parts: dict[str, Part] = {}
    for node in tree.nodes.values():
        if not isinstance(node, Check):
            continue
        for server, _where, items in _items_for(node):
            part = parts.get(server.lower())
            if part is None:
                part = parts[server.lower()] = Part(len(parts) + 1, _slug(server), server)
            for item in items:
                same = next((i for i in part.items if i.key == item.key), None)
                if same is None:
                    part.items.append(item)
                else:
                    same.checks += [c for c in item.checks if c not in same.checks]
                    same.looks_for += [p for p in item.looks_for if p not in same.looks_for]
                    same.patterns += tuple(p for p in item.patterns if p not in same.patterns)
    keys: set[str] = set()
    for part in parts.values():
        while part.key in keys:
            part.key += f"-{part.number}"
        keys.add(part.key)
    return list(parts.values())


def _items_for(check: Check) -> list[tuple[str, str, list[Item]]]:
    """(server, its part of `where`, items) for one check."""
    label = f"{check.id}: {check.title or check.prompt}"
    globs = [g for g in check.evidence.files if _SAFE_GLOB.match(g)]
    out = []
    for server, where in _servers(check.evidence.where):
        items = _gather(check, where, globs, server)
        for item in items:
            item.checks.append(label)
        out.append((server, where, items))
    return out


def _servers(where: str) -> list[tuple[str, str]]:
    """(server, text) for each server a `where` names; `;` separates servers only when each part names one."""
    pieces = [p.strip() for p in " ".join(where.split()).split(";") if p.strip()] or [""]
    out: list[tuple[str, str]] = []
    for piece in pieces:
        role = server_of(piece)
        if role and (not out or role.lower() != out[-1][0].lower()):
            out.append((role, piece))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + "; " + piece)
        else:
            out.append((role or "the server the check names", piece))
    return out


def server_of(where: str) -> str:
    """The server (or console) a `where` text names, as it words it: "parent site server", "stuck client"."""
    for pattern in _ROLES:
        m = pattern.search(where)
        if m:
            return " ".join(m.group(1).split()).strip(" -")
    return ""


def _gather(check: Check, where: str, globs: list[str], server: str) -> list[Item]:
    kind = check.evidence.kind
    looks_for = list(check.evidence.files)
    if kind == "log":
        folder = _folder(where)
        if folder and globs:
            return [Item("copy", folder, patterns=tuple(globs), looks_for=looks_for)]
    elif kind == "folder":
        listings = _listings(check, where, globs)
        if listings:
            return [Item("listing", src, output=name, looks_for=looks_for) for src, name in listings]
    elif kind == "command":
        commands = _commands(check, globs)
        if commands:
            return [Item("command", line, output=name, looks_for=looks_for) for line, name in commands]
    elif kind == "events":
        m = _EVENT_LOG.search(where)
        exts = {g.rsplit(".", 1)[-1].lower() for g in globs if "." in g}
        base = _base_name(globs, m.group(1) if m else "")
        if m and base and exts & {"txt", "csv", "evtx"}:
            return [Item("events", m.group(1), output=base, patterns=tuple(sorted(exts)), looks_for=looks_for)]
    return [Item("by-hand", server, note=_one_line(check.how or where), looks_for=looks_for)]


def _folder(where: str) -> str:
    """The folder a `where` points at, in the script's own variables; empty when none is recognised."""
    m = _SITE_PATH.search(where)
    if m and _SAFE_TAIL.match(m.group(1).rstrip("\\")):
        return "%SMSDIR%\\" + str(m.group(1)).rstrip("\\")
    if "CCM\\Logs" in where:
        return "%CCMLOGS%"
    m = _ENV_PATH.search(where)
    if m and _SAFE_TAIL.match(m.group(2).strip("\\")):
        return f"%{m.group(1)}%{m.group(2)}"
    return ""


def _listings(check: Check, where: str, globs: list[str]) -> list[tuple[str, str]]:
    """(folder, listing file) pairs: from the check's own `dir ... > NAME` commands that belong to this server."""
    out = []
    for command in check.commands:
        m = _DIR_COMMAND.match(command.strip())
        if not m:
            continue
        folder = m.group(1)
        placeholder = _INSTALL_DIR.match(folder)
        if placeholder is not None or folder.lower().startswith(_SMS_DEFAULT.lower()):
            tail = folder[placeholder.end():] if placeholder is not None else folder[len(_SMS_DEFAULT):]
            if not _SAFE_TAIL.match(tail):
                continue
            folder = "%SMSDIR%\\" + tail
        else:
            continue
        if folder.rsplit("\\", 1)[-1].lower() not in where.lower():
            continue
        out.append((folder, m.group(2)))
    if not out:
        folder = _folder(where)
        name = next((g.replace("*", "") for g in globs if g.lower().endswith(".txt")), "")
        if folder and name and _SAFE_NAME.match(name):
            out.append((folder, name))
    return out


def _commands(check: Check, globs: list[str]) -> list[tuple[str, str]]:
    """(command, output file) for the check's read-only commands, saved under a name the check reads."""
    out = []
    for command in check.commands:
        m = _REDIRECT.match(command.strip())
        if m and "{" not in command and _read_only(m.group(1)) and _matches_any(m.group(3), globs):
            out.append((m.group(1), m.group(3)))
    if out:
        return out
    name = next((g.replace("*", "") for g in globs if g.lower().endswith(".txt")), "")
    for command in check.commands:
        if "{" not in command and ">" not in command and _read_only(command.strip()) and _SAFE_NAME.match(name):
            return [(command.strip(), name)]
    return []


def _read_only(command: str) -> bool:
    return command in _READ_ONLY or _SC_QUERY.match(command) is not None


def _matches_any(name: str, globs: list[str]) -> bool:
    from wizard.core.evidence.matcher import wildcard_match

    return any(wildcard_match(name, glob) for glob in globs)


def _base_name(globs: list[str], log: str) -> str:
    """The file name (without extension) an event export gets: the checks' own prefix, or the log's name."""
    for glob in globs:
        stem = glob.split("*", 1)[0].rsplit(".", 1)[0] if "*" in glob else glob.rsplit(".", 1)[0]
        if stem and _SAFE_NAME.match(stem):
            return stem
    return _slug(log)


def _slug(text: str, words: int = 5) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(parts) or "server"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------------------------
# Rendering


def script(tree: Tree, shell: Shell = "cmd", version: str = "") -> str:
    """The whole collect script for a tree in the chosen shell."""
    if shell not in SHELLS:
        raise ValueError(f"unknown shell {shell!r}; choose one of {', '.join(SHELLS)}")
    parts = plan(tree)
    return (_cmd if shell == "cmd" else _powershell)(tree, parts, version)


def _what(item: Item) -> str:
    if item.action == "copy":
        return f"copies {', '.join(item.patterns)} from {item.source}"
    if item.action == "listing":
        return f"lists {item.source} into {item.output}"
    if item.action == "command":
        return f"runs '{item.source}' into {item.output}"
    if item.action == "events":
        return f"exports the {item.source} event log as {item.output}.txt (wevtutil) or {item.output}.csv (eventquery)"
    return "by hand (the script cannot do this)"


def _comment_lines(tree: Tree, parts: list[Part], version: str, name: str, run: str) -> list[str]:
    lines = [
        f"wizard collect: evidence for '{tree.id}' ({tree.title})",
        f"Save it as {name} and copy it to each server below.",
        f"Written by wizard {version}." if version else "Written by wizard.",
        "Read it before you run it. It only reads: it copies logs, lists folders, runs read-only commands and",
        f"exports event logs into a new folder under %SystemDrive%\\{BASE_FOLDER}, one per server, then zips it",
        "where Windows has a zip tool. It changes nothing on the server. Run it as an administrator.",
        "",
        "Run it once on each server below, naming that server's part (its name or its number):",
        f"    {run}",
        "",
    ]
    for part in parts:
        lines.append(f"Part {part.number} '{part.key}': run on the {part.server}")
        for item in part.items:
            lines.append(f"    {_what(item)}")
    lines += [
        "",
        "Then bring every zip (or folder) to the wizard:",
        f"    wizard open {tree.id} --evidence PART1.zip --evidence PART2.zip",
        f"    (or: wizard walk {tree.id} --evidence PART1.zip ...)",
    ]
    return lines


def _item_comments(item: Item) -> list[str]:
    lines = [f"For check {c}" for c in item.checks]
    if item.looks_for:
        lines.append("  the checks look for: " + ", ".join(item.looks_for))
    if item.action == "by-hand":
        lines.append("  By hand: " + item.note)
    return lines


def _rem(text: str) -> str:
    """A cmd comment line that cmd cannot read as anything else: no redirections, carets or `%~` operators."""
    text = _printable(text)
    text = text.replace("%~", "% ~").replace("^", "").replace("&", " and ").replace("|", "/")
    text = text.replace(" > ", " / ").replace("<", "[").replace(">", "]")
    return ("REM " + text).rstrip()


def _hash(text: str) -> str:
    return ("# " + _printable(text)).rstrip()


def _printable(text: str) -> str:
    """One line of plain ASCII: tree text may hold line breaks, control or non-ASCII characters; a script must not."""
    indent = len(text) - len(text.lstrip(" "))
    flat = " " * indent + " ".join(text.split())
    return "".join(ch if " " <= ch <= "~" else "?" for ch in flat)


def _cmd(tree: Tree, parts: list[Part], version: str) -> str:
    name = f"collect-{tree.id}.cmd"
    out: list[str] = ["@echo off"]
    out += [_rem(line) if line else "REM" for line in _comment_lines(tree, parts, version, name, f"{name} PART [ConfigMgr folder]")]
    out += [
        "REM",
        "REM Works on Windows Server 2003 and later without PowerShell. Event logs are exported with wevtutil",
        "REM where it exists (Server 2008 and later) and with eventquery.vbs on Server 2003.",
        "setlocal",
        'set "PART=%~1"',
        'if "%PART%"=="" goto usage',
        f'set "BASE=%SystemDrive%\\{BASE_FOLDER}"',
        "REM The ConfigMgr folder: the second argument, else the default folder (x86 first on 64-bit Windows).",
        'if not "%~2"=="" set "SMSDIR=%~2"',
        'if not defined SMSDIR if exist "%ProgramFiles(x86)%\\Microsoft Configuration Manager\\Logs" '
        'set "SMSDIR=%ProgramFiles(x86)%\\Microsoft Configuration Manager"',
        'if not defined SMSDIR set "SMSDIR=%ProgramFiles%\\Microsoft Configuration Manager"',
    ]
    for part in parts:
        out.append(f'if /i "%PART%"=="{part.key}" goto part{part.number}')
        out.append(f'if "%PART%"=="{part.number}" goto part{part.number}')
    out += [
        'echo Unknown part "%PART%".',
        ":usage",
        f"echo Usage: {name} PART [ConfigMgr folder]",
    ]
    for part in parts:
        out.append(f"echo   {part.number} or {part.key}: run on the {_echo(part.server)}")
    out += ["exit /b 2", ""]
    for part in parts:
        out += _cmd_part(tree, part)
    out += [
        ":pack",
        "echo.",
        'if not exist "%SystemRoot%\\System32\\tar.exe" goto nozip',
        'tar -a -c -f "%OUT%.zip" -C "%BASE%" "%OUTNAME%"',
        "if errorlevel 1 goto nozip",
        'echo Wrote "%OUT%.zip".',
        "goto done",
        ":nozip",
        "REM Windows before 10 and Server 2019 has no command-line zip tool: zip the folder in Explorer, or bring",
        "REM the folder as it is; the wizard reads folders as well as zips.",
        'echo No zip tool here: in Explorer right-click "%OUT%", Send To, Compressed (zipped) Folder,',
        "echo or copy the folder as it is; the wizard reads folders too.",
        ":done",
        f'echo Then: wizard open {tree.id} --evidence "%OUT%.zip"  (one --evidence for each server)',
        "exit /b 0",
        "",
    ]
    return "\r\n".join(out)


def _echo(text: str) -> str:
    """Text safe after `echo` in cmd (outside parentheses)."""
    text = _printable(text).replace("%", "%%")
    for ch in "^&|<>":
        text = text.replace(ch, " ")
    return text


def _cmd_part(tree: Tree, part: Part) -> list[str]:
    folder = f"{tree.id}-{part.key}"
    out = [
        f":part{part.number}",
        _rem(f"---- Part {part.number}: run on the {part.server} ----"),
        f'set "OUTNAME={folder}-%COMPUTERNAME%"',
        'set "OUT=%BASE%\\%OUTNAME%"',
        'if not exist "%OUT%" mkdir "%OUT%"',
        f"echo Collecting for {tree.id} on the {_echo(part.server)} into %OUT%",
    ]
    if part.uses_site_folder:
        out += [
            'if not exist "%SMSDIR%\\Logs" echo Warning: no Logs folder in "%SMSDIR%"; give the ConfigMgr folder '
            "as the second argument.",
        ]
    if part.uses_client_logs:
        out += [
            "REM The client's log folder: ConfigMgr 2007 32-bit, then 64-bit, then 2012 and later.",
            'set "CCMLOGS="',
            'if exist "%WINDIR%\\System32\\CCM\\Logs" set "CCMLOGS=%WINDIR%\\System32\\CCM\\Logs"',
            'if exist "%WINDIR%\\SysWOW64\\CCM\\Logs" set "CCMLOGS=%WINDIR%\\SysWOW64\\CCM\\Logs"',
            'if exist "%WINDIR%\\CCM\\Logs" set "CCMLOGS=%WINDIR%\\CCM\\Logs"',
            'if not defined CCMLOGS echo Warning: no CCM\\Logs folder found on this computer.',
        ]
    written: set[str] = set()
    for item in part.items:
        out += [_rem(line) for line in _item_comments(item)]
        if item.action == "copy":
            for pattern in item.patterns:
                out.append(f'copy /y "{item.source}\\{pattern}" "%OUT%\\" >nul')
        elif item.action == "listing":
            out.append(f'dir /od "{item.source}" > "%OUT%\\{item.output}"')
        elif item.action == "command":
            out.append(f'{item.source} {">>" if item.output in written else ">"} "%OUT%\\{item.output}"')
            written.add(item.output)
        elif item.action == "events":
            export = _cmd_events(item)
            out += export
    out += ["goto pack", ""]
    return out


def _cmd_events(item: Item) -> list[str]:
    log = item.source
    if not _SAFE_LOG.match(log):
        return [_rem(f"By hand: export the {log} event log from Event Viewer into the folder.")]
    label = item.output + item.source.replace(" ", "")
    lines = [f'if not exist "%SystemRoot%\\System32\\wevtutil.exe" goto old{label}']
    if "txt" in item.patterns:
        lines.append(f'wevtutil qe "{log}" /f:text > "%OUT%\\{item.output}.txt"')
    else:
        lines.append(f'wevtutil epl "{log}" "%OUT%\\{item.output}.evtx"')
    lines += [
        f"goto done{label}",
        f":old{label}",
        _rem("Server 2003: eventquery.vbs writes the log as CSV. Unconfirmed: its column names (Type, Event, Date"),
        _rem("Time, Source, ComputerName, ...) are as remembered, not checked on a Server 2003 machine."),
        _rem("If it is missing or fails, save the log from Event Viewer (Save Log File As) into the folder."),
        f'cscript //nologo "%SystemRoot%\\System32\\eventquery.vbs" /l "{log}" /fo csv /v > "%OUT%\\{item.output}.csv"',
        f":done{label}",
    ]
    return lines


def _ps_string(text: str) -> str:
    return "'" + _printable(text).replace("'", "''") + "'"


def _ps_path(source: str) -> str:
    """A script folder variable in PowerShell form."""
    if source == "%CCMLOGS%":
        return "$CcmLogs"
    if source.startswith("%SMSDIR%"):
        return "(Join-Path $SmsDir " + _ps_string(source[len("%SMSDIR%\\"):]) + ")"
    m = re.match(r"^%(\w+)%(.*)$", source)
    if m:
        return f"(Join-Path $env:{m.group(1)} {_ps_string(m.group(2).lstrip(chr(92)))})"
    return _ps_string(source)


def _powershell(tree: Tree, parts: list[Part], version: str) -> str:
    name = f"collect-{tree.id}.ps1"
    out: list[str] = [_hash(line) if line else "#" for line in _comment_lines(
        tree, parts, version, name, f"powershell -ExecutionPolicy Bypass -File {name} -Part PART [-SmsDir FOLDER]"
    )]
    out += [
        "#",
        "# Works with PowerShell 2.0 and later. Event logs are exported with wevtutil where it exists (Server 2008",
        "# and later) and with eventquery.vbs on Server 2003.",
        "param([string]$Part = '', [string]$SmsDir = '')",
        "$ErrorActionPreference = 'Continue'",
        f"$Base = Join-Path $env:SystemDrive '{BASE_FOLDER}'",
        "if (-not $SmsDir) {",
        "    $x86 = ${env:ProgramFiles(x86)}",
        "    if ($x86 -and (Test-Path (Join-Path $x86 'Microsoft Configuration Manager\\Logs'))) {",
        "        $SmsDir = Join-Path $x86 'Microsoft Configuration Manager'",
        "    } else {",
        "        $SmsDir = Join-Path $env:ProgramFiles 'Microsoft Configuration Manager'",
        "    }",
        "}",
        "$known = @{",
    ]
    for part in parts:
        out.append(f"    '{part.key}' = {part.number}; '{part.number}' = {part.number}")
    out += [
        "}",
        "if (-not $known.ContainsKey($Part)) {",
        f"    Write-Host 'Usage: {name} -Part PART [-SmsDir FOLDER]'",
    ]
    for part in parts:
        out.append(f"    Write-Host {_ps_string(f'  {part.number} or {part.key}: run on the {part.server}')}")
    out += ["    exit 2", "}", "$number = $known[$Part]"]
    for part in parts:
        out += _ps_part(tree, part)
    out += [
        "$zip = \"$Out.zip\"",
        "if (Get-Command Compress-Archive -ErrorAction SilentlyContinue) {",
        "    Compress-Archive -Path $Out -DestinationPath $zip -Force",
        "    Write-Host \"Wrote $zip\"",
        "} else {",
        "    # PowerShell before 5.0 has no zip command: zip the folder in Explorer, or bring the folder as it is.",
        "    Write-Host \"No zip command here: in Explorer right-click $Out, Send To, Compressed (zipped) Folder,\"",
        "    Write-Host 'or copy the folder as it is; the wizard reads folders too.'",
        "}",
        f"Write-Host \"Then: wizard open {tree.id} --evidence $zip  (one --evidence for each server)\"",
        "",
    ]
    return "\r\n".join(out)


def _ps_part(tree: Tree, part: Part) -> list[str]:
    folder = f"{tree.id}-{part.key}"
    out = [
        f"if ($number -eq {part.number}) {{",
        "    " + _hash(f"---- Part {part.number}: run on the {part.server} ----"),
        f"    $Out = Join-Path $Base ('{folder}-' + $env:COMPUTERNAME)",
        "    New-Item -ItemType Directory -Path $Out -Force | Out-Null",
        f"    Write-Host {_ps_string(f'Collecting for {tree.id} on the {part.server} into')} $Out",
    ]
    if part.uses_site_folder:
        out.append(
            "    if (-not (Test-Path (Join-Path $SmsDir 'Logs'))) "
            "{ Write-Warning \"No Logs folder in $SmsDir; give the ConfigMgr folder with -SmsDir.\" }"
        )
    if part.uses_client_logs:
        out += [
            "    # The client's log folder: ConfigMgr 2007 32-bit, then 64-bit, then 2012 and later.",
            "    $CcmLogs = ''",
            "    foreach ($f in @('System32\\CCM\\Logs', 'SysWOW64\\CCM\\Logs', 'CCM\\Logs')) {",
            "        $p = Join-Path $env:WINDIR $f",
            "        if (Test-Path $p) { $CcmLogs = $p }",
            "    }",
            "    if (-not $CcmLogs) { Write-Warning 'No CCM\\Logs folder found on this computer.' }",
        ]
    written: set[str] = set()
    for item in part.items:
        out += ["    " + _hash(line) for line in _item_comments(item)]
        if item.action == "copy":
            for pattern in item.patterns:
                out.append(
                    f"    Copy-Item -Path (Join-Path {_ps_path(item.source)} '{pattern}') -Destination $Out -Force"
                )
        elif item.action == "listing":
            out.append(
                f"    cmd.exe /c dir /od {_ps_path(item.source)} | Out-File -FilePath (Join-Path $Out '{item.output}')"
                " -Width 4096"
            )
        elif item.action == "command":
            command = item.source
            if command.startswith("sc "):
                command = "sc.exe " + command[3:]
            append = " -Append" if item.output in written else ""
            written.add(item.output)
            out.append(f"    {command} | Out-File -FilePath (Join-Path $Out '{item.output}'){append} -Width 4096")
        elif item.action == "events":
            out += ["    " + line for line in _ps_events(item)]
    out.append("}")
    return out


def _ps_events(item: Item) -> list[str]:
    log = item.source
    if not _SAFE_LOG.match(log):
        return [_hash(f"By hand: export the {log} event log from Event Viewer into the folder.")]
    if "txt" in item.patterns:
        modern = f"wevtutil.exe qe '{log}' /f:text | Out-File -FilePath (Join-Path $Out '{item.output}.txt') -Width 4096"
    else:
        modern = f"wevtutil.exe epl '{log}' (Join-Path $Out '{item.output}.evtx')"
    return [
        "if (Get-Command wevtutil.exe -ErrorAction SilentlyContinue) {",
        f"    {modern}",
        "} else {",
        "    # Server 2003: eventquery.vbs writes the log as CSV; if it fails, save the log from Event Viewer.",
        f"    cscript.exe //nologo (Join-Path $env:SystemRoot 'System32\\eventquery.vbs') /l '{log}' /fo csv /v |"
        f" Out-File -FilePath (Join-Path $Out '{item.output}.csv') -Width 4096",
        "}",
    ]
