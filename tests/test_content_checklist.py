"""The runbook checklist of trees/README.md on every shipped tree, and every runbook and question rendered, with the
practice cases' values and with none, read for template glitches."""

from __future__ import annotations

import re

import pytest

from content_kit import TREES, load_shipped_tree
from wizard.core.catalog import Catalog
from wizard.core.lint import declared_names, prose_fields
from wizard.core.model import Check, Question, Runbook
from wizard.core.render import question_markdown, runbook_markdown, tree_markdown
from wizard.core.session import Session
from wizard.core.wording import place_phrase

SHIPPED = sorted(p.stem for p in TREES.glob("*.yaml"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(trees={tree_id: load_shipped_tree(tree_id) for tree_id in SHIPPED})


def all_steps(catalog):
    for tree in catalog:
        for node in tree.nodes.values():
            if isinstance(node, Runbook):
                for index, step in enumerate(node.steps, 1):
                    yield f"{tree.id}:{node.id} step {index}", step


# ---------------------------------------------------------------------------------------------- the checklist

def test_each_step_names_where_it_runs_as_a_noun_phrase(catalog):
    for where, step in all_steps(catalog):
        assert step.runs_on.strip(), where
        assert not re.match(r"(?i)(on|in|at|from)\s", step.runs_on), where


def test_every_command_is_for_a_named_shell(catalog):
    missing = [where for where, step in all_steps(catalog) if step.commands and not step.shell]
    assert missing == []


def test_every_wait_says_where_its_figure_comes_from(catalog):
    missing = [where for where, step in all_steps(catalog) if step.wait and not step.wait_source.strip()]
    assert missing == []


CHANGING = re.compile(
    r"^(if not exist .* mkdir|copy |move |ren |del |rmdir |reg (add|delete|import) |dnscmd /Record|net (start|stop) (?!\|)|"
    r"iisreset|notepad |ManagementServerConfigTool|SecureStorageBackup\.exe Restore|cluster .*/move|"
    r"powershell .*Move-ClusterGroup)",
    re.IGNORECASE,
)


def test_a_step_whose_commands_change_something_is_a_change_step_with_an_undo(catalog):
    for where, step in all_steps(catalog):
        if any(CHANGING.match(c) for c in step.commands) and not step.backup:
            assert step.changes, where
        if step.changes:
            assert step.verify.strip(), where
            assert step.undo.strip() or not step.reversible, where


def test_irreversible_steps_come_after_their_backup(catalog):
    for tree in catalog:
        for node in tree.nodes.values():
            if isinstance(node, Runbook):
                for index, step in enumerate(node.steps):
                    if not step.reversible:
                        assert any(s.backup for s in node.steps[:index]), f"{tree.id}:{node.id} step {index + 1}"


def every_command(catalog):
    for tree in catalog:
        for node in tree.nodes.values():
            for command in getattr(node, "commands", ()):
                yield f"{tree.id}:{node.id}", command
            for step in getattr(node, "steps", ()):
                for command in step.commands:
                    yield f"{tree.id}:{node.id}", command


def test_commands_work_on_a_clean_server(catalog):
    for where, command in every_command(catalog):
        assert not re.search(r"(?i)c:\\temp", command), where
        if "Microsoft Configuration Manager" in command:
            # only the commands that find the install folder may name its default locations, and they try both
            assert command.startswith("dir /b") and "%ProgramFiles(x86)%" in command, (where, command)


def test_port_tests_never_rely_on_telnet_alone(catalog):
    for where, command in every_command(catalog):
        if command.startswith("telnet "):
            node_commands = [c for w, c in every_command(catalog) if w == where]
            assert any("Net.Sockets.TcpClient" in c for c in node_commands), where


UNCONFIRMED_READINGS = {
    "dp-stickiness": re.compile(r"(?i)\b401\b|unauthori[sz]ed answer"),
    "sender-address": re.compile(r"There is no existing connection"),
}


def test_no_step_relies_on_an_unconfirmed_reading_without_saying_so(catalog):
    for tree_id, reading in UNCONFIRMED_READINGS.items():
        tree = catalog.get(tree_id)
        for node in tree.nodes.values():
            if isinstance(node, Runbook):
                for step in node.steps:
                    text = " ".join((step.do, step.verify, step.wait, step.caution))
                    if reading.search(text):
                        assert "nconfirmed" in text, (tree_id, node.id, step.do)
            if isinstance(node, (Question, Check)):
                for choice in node.choices:
                    if reading.search(choice.label):
                        assert choice.note.startswith("Unconfirmed:"), (tree_id, node.id, choice.id)


# ---------------------------------------------------------------------------------------------- plain words

BANNED = re.compile(
    r"Outside the sources?|outside the source|the case behind this tree|the captured code|this tree's reading|"
    r"current branch|current-branch|\b[Tt]he sources?\b(?! server)"
)


def test_notes_say_where_a_fact_comes_from_in_plain_words(catalog):
    for tree in catalog:
        for path, text, _loc in prose_fields(tree):
            found = BANNED.search(text)
            assert not found, f"{tree.id} {path}: {found.group()!r}"
        notes = list(tree.learn) + [n for node in tree.nodes.values() for n in node.learn]
        for note in notes:
            prefix = re.match(r"^([A-Z][a-z]+):", note)
            if prefix:
                assert prefix.group(1) in ("Background", "Unconfirmed"), note


# ---------------------------------------------------------------------------------------------- rendering

PRACTICE = {
    "key-exchange": {"site_code": "DAL", "parent_site_code": "NYC", "parent_server": "NYC-CM01",
                     "child_server": "DAL-CM01", "child_install_dir": "C:\\Program Files\\Microsoft Configuration Manager",
                     "parent_install_dir": "C:\\Program Files\\Microsoft Configuration Manager", "language_code": "00000409",
                     "retries_counted": "29", "minutes_since_first_refusal": "0", "minutes_since_hold": "25"},
    "pending-site": {"site_code": "DAL", "parent_site_code": "NYC", "parent_server": "NYC-CM01",
                     "child_install_dir": "C:\\Program Files\\Microsoft Configuration Manager",
                     "parent_install_dir": "C:\\Program Files\\Microsoft Configuration Manager"},
    "sender-address": {"site_code": "HOU", "child_server": "HOU-SCCM02.corp.fabrikam.com", "parent_site_code": "DFW",
                       "parent_server": "DFW-SCCM01", "minutes_since_hold": "26", "parent_install_dir": "D:\\SMS",
                       "child_install_dir": "C:\\Program Files (x86)\\Microsoft Configuration Manager"},
    "dp-stickiness": {"dead_dp_host": "CMDP01", "dns_zone": "corp.contoso.com", "ttl_left": "1197",
                      "dead_dps_ahead": "2", "hours_since_failover": "4", "dead_dps": "CMDP01, CMDP02",
                      "dead_dp_ips": "10.20.1.31, 10.20.1.32", "substitute_ip": "10.20.1.10", "policy_minutes": "60",
                      "next_retry_minutes": "17", "retry_seconds": "3600"},
    "rms-failover": {"lost_ms": "OPSRMS01.fabrikam.local", "ms_port": "5723", "new_rms": "OPSMS02.fabrikam.local"},
    "pf-backfill": {"folder": "Sales\\Price Lists", "lacking_server": "EXBR02", "source_server": "EXHQ01",
                    "backfill_target": "EXHQ01", "request_msgid": "1-1B62", "new_replica": "0", "same_rg": "1",
                    "requests_sent": "1", "start_hour": "14", "start_minute": "20"},
}

SAMPLE_NAMES = re.compile(
    r"\b(DAL|NYC|HOU|DFW|BOS|NYC-CM01|DAL-CM01|CMDP0[1-3]|EXHQ0[12]|EXMUC01|EXFRA01|EXBR0[25]|OPSRMS01|OPSMS02|"
    r"OPSSQL01|FS07|CM01|LON-WS0142|BACKUP01|COOM0[12]|CODC01|COXP01|DFW-SCCM01|HOU-SCCM02)\b"
)
DOUBLED_WORD = re.compile(r"(?i)\b(the|a|an|on|in|of|to|for)\s+\1\b")
ARTICLE_CLASH = re.compile(r"(?i)\b(on|in|at) the (the|a|an|on|in|at|your)\b")
DOUBLED_PUNCTUATION = re.compile(r"(?<![.])\.\.(?![.])|,,|;;|(?<![.])\.,|,\.|\?\?|\s[,.;:](?=\s)")


def glitches(text: str, values: dict[str, str]) -> list[str]:
    found = []
    for line in text.splitlines():
        for pattern, what in ((DOUBLED_WORD, "doubled word"), (ARTICLE_CLASH, "article clash"),
                              (DOUBLED_PUNCTUATION, "doubled punctuation")):
            hit = pattern.search(line)
            if hit:
                found.append(f"{what} {hit.group()!r} in: {line.strip()[:160]}")
        for empty in ("<>", "{}", "()", "` `", "''"):
            if empty in line:
                found.append(f"empty {empty} in: {line.strip()[:160]}")
        for name in values:
            if f"<{name}>" in line:
                found.append(f"unfilled <{name}> in: {line.strip()[:160]}")
        if not values and not line.startswith("Value needed:"):
            hit = SAMPLE_NAMES.search(line)
            if hit:
                found.append(f"sample name {hit.group()!r} in: {line.strip()[:160]}")
    return found


def rendered(catalog, tree_id: str, values: dict[str, str]):
    tree = catalog.get(tree_id)
    for node in tree.nodes.values():
        if isinstance(node, Runbook):
            yield node.id, runbook_markdown(Session.start(catalog, tree_id, node.id, values))
        elif isinstance(node, (Question, Check)):
            # A question whose value is already known is not asked: the walk shows what comes after it.
            session = Session.start(catalog, tree_id, node.id, values)
            yield node.id, runbook_markdown(session) if session.at_runbook else question_markdown(session)
            if isinstance(node, Check) and node.evidence.where:
                yield node.id, f"Looks for {node.evidence.kind} {place_phrase(node.evidence.where)}."


@pytest.mark.parametrize("tree_id", SHIPPED)
@pytest.mark.parametrize("with_values", [True, False], ids=["practice-values", "no-values"])
def test_every_runbook_and_question_renders_without_glitches(catalog, tree_id, with_values):
    values = PRACTICE[tree_id] if with_values else {}
    problems = [f"{node_id}: {g}" for node_id, text in rendered(catalog, tree_id, values) for g in glitches(text, values)]
    problems += [f"tree document: {g}" for g in glitches(tree_markdown(catalog.get(tree_id)), {})]
    assert problems == []


def test_practice_values_cover_every_name_the_runbooks_use(catalog):
    for tree_id, values in PRACTICE.items():
        tree = catalog.get(tree_id)
        computed = {c.name for n in tree.nodes.values() if isinstance(n, Runbook) for c in n.compute}
        assert declared_names(tree) - computed - set(values) <= {"dp_error", "ins_waiting", "ins_waiting_oldest",
                                                                    "ins_waiting_age_hours", "ist_waiting",
                                                                    "sni_waiting", "configmgr_version", "waiting_ct2",
                                                                     "msg_folder", "msg_peer"}, tree_id


@pytest.mark.parametrize(
    "text",
    [
        "Step: on the The Operations Manager event log",
        "Looks for logs on the On the stuck client: here",
        "for a 2012 client.. Press F3",
        "Wait: {} minutes",
        "Look at the agent CODC01 first",
    ],
)
def test_the_glitch_reader_catches_each_kind_of_glitch(text):
    assert glitches(text, {}) != []


@pytest.mark.parametrize("tree_id", SHIPPED)
def test_shipped_trees_validate_against_the_schema_with_the_new_step_fields(tree_id):
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from wizard.core.yamlsafe import parse_bytes

    schema = json.loads((TREES.parent / "wizard" / "core" / "tree.schema.json").read_text(encoding="utf-8"))
    data = parse_bytes((TREES / f"{tree_id}.yaml").read_bytes()).data
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)] == []
