"""Plain mode (`wizard walk TREE --interactive`) driven line by line, as an operator reads and answers.

Every practice case is walked from its start to its runbook and must take the path `wizard walk` takes; back,
restart, evidence read mid-walk, refused values, export, end of input and hostile text are each tried.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import model_trees
from wizard.cli import main
from wizard.core.catalog import Catalog, load_catalog
from wizard.core.model import Choice, Runbook, Step
from wizard.core.placeholders import TOKEN
from wizard.core.render import runbook_dict
from wizard.core.session import load, sessions_dir, validate_value
from wizard.core.walk import walk
from wizard.plain import EXIT_INTERRUPTED, EXIT_OK, EXIT_QUESTION, PlainWalk, terminal_height, terminal_width

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "samples").glob("*/*/case.yaml"))
HOSTILE = ("\x1b", "\u202e", "\u009b", "\x07")


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(include_shipped=True, use_env=False)


class Lines(io.StringIO):
    """Standard input that runs out: a list of lines, then end of input."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))


class Operator:
    """Standard input that answers what was just printed: the prompt on the last line decides the reply."""

    def __init__(self, out: io.StringIO, decide) -> None:
        self.out = out
        self.decide = decide
        self.walker: PlainWalk | None = None
        self.sent: list[str] = []

    def readline(self) -> str:
        assert self.walker is not None
        assert len(self.sent) < 200, "the walk does not end\n" + self.out.getvalue()[-3000:]
        prompt = self.out.getvalue().rsplit("\n", 1)[-1]
        reply = self.decide(self.walker, prompt)
        if reply is None:
            return ""
        self.sent.append(reply)
        return reply + "\n"


def plain(catalog: Catalog, tree_id: str, stdin, *, width: int = 80, stdout=None, **kwargs):
    """Run plain mode to its end; (the walker, its exit code, what it printed when stdout is a StringIO)."""
    out = stdout if stdout is not None else io.StringIO()
    walker = PlainWalk(catalog, tree_id, stdin=stdin, stdout=out, width=width, **kwargs)
    if isinstance(stdin, Operator):
        stdin.walker = walker
    code = walker.run()
    text = out.getvalue() if isinstance(out, io.StringIO) else ""
    return walker, code, text


def flat(text: str) -> str:
    """The output with its wrapping undone, to look for a sentence wherever the lines broke."""
    return " ".join(text.split())


def path_of(session) -> list[tuple[str, str, str, str | None]]:
    return [(m.tree, m.node, m.choice, m.value) for m in session.moves if not m.is_link]


# ---------------------------------------------------------------------------------------------- practice cases


def load_case(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def given_for(tree: str, node: str, answers: dict[str, str]) -> str | None:
    for key in (f"{tree}:{node}", f"{tree}/{node}", node):
        if key in answers:
            return answers[key]
    return None


ENTER_CHOICE = re.compile(r"Enter = (\d+)")
DEFAULT_VALUE = re.compile(r"\[(.*)\]:\s*$")


def case_operator(answers: dict[str, str], values: dict[str, str], record: list[str]):
    """Answer as the expert of a case does: Enter where the marked answer is theirs, else its number or value."""

    def decide(walker: PlainWalk, prompt: str) -> str | None:
        session = walker.session
        tree, node = session.tree_id, session.node_id
        if prompt.startswith("Runbook ("):
            return "q"
        if prompt.startswith("Your answer ("):
            ids = [c.id for c in session.node.choices]
            wanted = given_for(tree, node, answers)
            marked = ENTER_CHOICE.search(prompt)
            if wanted is None:
                assert marked, f"no answer known for {tree}/{node} and nothing proposed\n{prompt}"
                record.append(f"{node}: Enter on the proposal")
                return ""
            number = ids.index(wanted) + 1
            if marked and int(marked.group(1)) == number:
                record.append(f"{node}: Enter on the proposal")
                return ""
            return str(number)
        capture = session.needs_value()
        assert capture is not None, f"unexpected prompt at {tree}/{node}: {prompt!r}"
        shown = DEFAULT_VALUE.search(prompt)
        if capture.name not in values:
            assert shown, f"{tree}/{node} asks for {capture.name}; the case has no value and none is offered"
            return ""
        wanted = validate_value(capture, values[capture.name])
        if shown and shown.group(1) == wanted:
            record.append(f"{node}: Enter on the value offered")
            return ""
        return wanted

    return decide


def case_inputs(path: Path) -> tuple[dict, dict[str, str], dict[str, str], list[str]]:
    case = load_case(path)
    answers = {str(k): str(v) for k, v in (case.get("answers") or {}).items()}
    values = {str(k): str(v) for k, v in (case.get("values") or {}).items()}
    evidence = [str(path.parent / e) for e in (case.get("evidence") or ["."])]
    return case, answers, values, evidence


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_a_practice_case_walks_to_its_runbook_by_lines_like_wizard_walk(case_path, shipped, tmp_path):
    case, answers, values, evidence = case_inputs(case_path)
    expected_tree, _, expected_node = str(case["runbook"]).rpartition(":")
    headless = walk(shipped, case["tree"], answers=answers, values=values, evidence=evidence)
    assert headless.status == "runbook"

    out = io.StringIO()
    record: list[str] = []
    operator = Operator(out, case_operator(answers, values, record))
    # The case's values are what the ticket already says: known before the walk, as `wizard walk --set` knows them.
    walker, code, text = plain(
        shipped, case["tree"], operator, stdout=out, evidence=evidence, values=values, data_dir=tmp_path
    )

    assert code == EXIT_OK, text[-2000:]
    session = walker.session
    assert (session.tree_id, session.node_id) == (expected_tree or case["tree"], expected_node)
    assert path_of(session) == path_of(headless.session)
    assert session.values == headless.session.values
    assert isinstance(session.node, Runbook)
    assert "Runbook reached." in text
    assert "# " + " ".join(runbook_dict(session)["title"].split()) in " ".join(text.split())
    # The evidence spoke for at least one step, and Enter alone took what it proposed or gave.
    assert record, "no step was answered with Enter on the evidence's proposal"


@pytest.mark.parametrize("case_path", CASES[:1], ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_answers_and_values_given_on_the_command_line_are_the_defaults_enter_takes(case_path, shipped, capsys):
    case, answers, values, evidence = case_inputs(case_path)
    headless = walk(shipped, case["tree"], answers=answers, values=values, evidence=evidence)
    argv = ["walk", case["tree"], "--interactive"]
    argv += [a for e in evidence for a in ("--evidence", e)]
    argv += [a for k, v in answers.items() for a in ("--answer", f"{k}={v}")]
    argv += [a for k, v in values.items() for a in ("--set", f"{k}={v}")]
    out = io.StringIO()
    # Enter at every step, then q at the runbook.
    code = main(argv, stdin=Lines([""] * 2 * len(headless.session.moves) + ["q"]), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert code == EXIT_OK, text[-2000:]
    assert "given with --answer; Enter takes it" in text
    assert "Not asked, already known (given before the walk):" in text
    saved = sorted(sessions_dir().glob("*.json"))
    assert len(saved) == 1
    session = load(saved[0], shipped).session
    assert session.node_id == headless.session.node_id
    assert path_of(session) == path_of(headless.session)


def test_a_bad_set_is_refused_before_the_walk_starts(shipped):
    err = io.StringIO()
    code = main(
        ["walk", "pending-site", "--interactive", "--set", "site_cod=HOU"],
        stdin=Lines([]), stdout=io.StringIO(), stderr=err,
    )
    assert code == 2
    assert "did you mean 'site_code'" in err.getvalue()


# ---------------------------------------------------------------------------------------------- one small tree


@pytest.fixture
def door() -> Catalog:
    return model_trees.catalog()


def test_back_undoes_the_last_answer_and_offers_the_value_typed_before(door, tmp_path):
    lines = ["b", "S01", "1", "b", "b", "", "2", "q"]
    walker, code, text = plain(door, "door", Lines(lines), data_dir=tmp_path)
    assert "This is the first step; there is nothing to undo." in text
    assert text.count("Went back one step.") == 2
    # Back at the value question, the value given before is offered and Enter keeps it.
    assert "Site code [S01]:" in text
    assert code == EXIT_OK
    assert walker.session.node_id == "rb-power"
    assert path_of(walker.session) == [("door", "q-site", "", "S01"), ("door", "q-power", "no", None)]


def test_restart_asks_first_and_then_forgets_every_answer(door, tmp_path):
    lines = ["S01", "1", "r", "n", "r", "y", "S02", "2", "q"]
    walker, code, text = plain(door, "door", Lines(lines), data_dir=tmp_path)
    assert "Not restarted." in text
    assert "Started over from the first step." in text
    assert code == EXIT_OK
    assert path_of(walker.session) == [("door", "q-site", "", "S02"), ("door", "q-power", "no", None)]


def test_evidence_read_mid_walk_gives_the_check_its_proposal(door, tmp_path):
    log = tmp_path / "door.log"
    log.write_text("08:00 DOOR OPEN\n08:05 DOOR JAMMED at the lower hinge\n", encoding="utf-8")
    lines = ["S01", "1", "e", f"e {tmp_path / 'nothing-here.log'}", f'e "{log}"', "", "12", "q"]
    walker, code, text = plain(door, "door", Lines(lines), data_dir=tmp_path)
    text = flat(text)
    assert "The wizard can read this for you: door.log" in text
    assert "No such file or folder" in text
    assert "The evidence you gave proposes: Jammed" in text
    assert "door.log:2: 08:05 DOOR JAMMED at the lower hinge" in text
    assert "1. Jammed (proposed by the evidence; Enter takes it)" in text
    assert code == EXIT_OK
    check = next(m for m in walker.session.moves if m.node == "c-log")
    assert (check.choice, check.proposed) == ("jam", "jam")
    assert check.evidence and check.evidence[0].line == 2
    assert walker.session.evidence == (str(log),)
    assert path_of(walker.session) == path_of(
        walk(door, "door", values={"site_code": "S01", "retries": "12"}, answers={"q-power": "yes"},
             evidence=[log]).session
    )


def test_values_given_before_the_walk_are_not_asked(door, tmp_path):
    walker, code, text = plain(door, "door", Lines(["2", "q"]), data_dir=tmp_path, values={"site_code": "S01"})
    assert code == EXIT_OK
    assert "Step 1." not in text and "Type the value" not in text
    assert "Step 2. Question in Door will not open (door, node q-power)" in text
    assert "Not asked, already known (given before the walk): Site code: S01" in flat(text)
    headless = walk(door, "door", values={"site_code": "S01"}, answers={"q-power": "no"})
    assert path_of(walker.session) == path_of(headless.session)


def test_a_contested_proposal_says_so_and_shows_both_sides(door, tmp_path):
    """The engine that judges conflicts marks a proposal contested, with the lines that point elsewhere."""
    from types import SimpleNamespace

    from wizard.core.evidence.hits import Hit
    from wizard.core.flow import Pending, Reading

    out = io.StringIO()
    walker = PlainWalk(door, "door", stdin=Lines([]), stdout=out, data_dir=tmp_path)
    session = walker.session.answer(value="S01").answer("yes")
    jam = Hit("door", "c-log", "jam", "door.log", 2, "", "", "08:05 DOOR JAMMED")
    clear = Hit("door", "c-log", "open", "door.log", 9, "", "", "09:10 DOOR OPEN")
    proposal = SimpleNamespace(choice="jam", signature="jam", hits=[jam], captures={}, contested=True,
                               other_side=[clear], not_about=[], rule="latest")
    walker.show_evidence(Pending(session, "check", reading=Reading((jam,), proposal)), session.node)
    text = flat(out.getvalue())
    assert "The evidence you gave proposes: Jammed" in text
    assert "Contested: the evidence points two ways and the rule (latest) picked this one." in text
    assert "door.log:2: 08:05 DOOR JAMMED" in text
    assert "Points elsewhere: door.log:9: 09:10 DOOR OPEN" in text

    undecided = SimpleNamespace(choice=None, signature=None, hits=[jam], captures={}, contested=True,
                                other_side=[clear], not_about=[], rule="latest")
    out.seek(0)
    out.truncate()
    walker.show_evidence(Pending(session, "check", reading=Reading((jam,), undecided)), session.node)
    text = flat(out.getvalue())
    assert "points two ways and no rule decides between them" in text
    assert "door.log:9: 09:10 DOOR OPEN" in text


def test_a_refused_value_says_why_and_is_asked_again(door, tmp_path):
    lines = ["S0", "S01", "1", "2", "maybe"]
    walker, code, text = plain(door, "door", Lines(lines), data_dir=tmp_path)
    assert "Not taken: Site code: 'S0' does not look right (for example S01). Type it again." in text
    # The check without evidence: "Not jammed" links on to the other tree.
    assert "Continued in the tree Other door problems (other): Not a jam: look elsewhere." in " ".join(text.split())
    assert code == EXIT_QUESTION
    assert walker.session.tree_id == "other"
    assert path_of(walker.session)[0] == ("door", "q-site", "", "S01")


def test_a_number_outside_its_range_is_refused_with_the_range(tmp_path):
    door = model_trees.door_tree()
    retries = door.nodes["q-retries"]
    capture = replace(retries.capture, min=0, max=100)
    nodes = {**door.nodes, "q-retries": replace(retries, capture=capture)}
    catalog = Catalog(trees={"door": replace(door, nodes=nodes), "other": model_trees.other_tree()})
    lines = ["S01", "1", "1", "150", "abc", "=e x", "29", "q"]
    walker, code, text = plain(catalog, "door", Lines(lines), data_dir=tmp_path)
    text = flat(text)
    assert "Retries so far: 150 is outside the range this step allows (from 0 to 100)" in text
    assert "'abc' is not a whole number" in text
    assert "'e x' is not a whole number" in text
    assert code == EXIT_OK
    assert walker.session.values["retries"] == "29"


def test_export_writes_the_runbook_and_never_overwrites_without_asking(door, tmp_path):
    target = tmp_path / "ticket.md"
    target.write_text("keep me\n", encoding="utf-8")
    json_target = tmp_path / "ticket.json"
    lines = [
        "S01", "2",
        "x pdf", f"x md {target}", "n", f"x md {target}", "y", f"x json {json_target}", "x md", "q",
    ]
    walker, code, text = plain(door, "door", Lines(lines), data_dir=tmp_path)
    assert code == EXIT_OK
    assert "Export as md or json" in text
    assert "Not exported; the file is unchanged." in text
    exported = target.read_text(encoding="utf-8")
    assert exported.startswith("# Server S01 is off")
    assert "Turn on S01." in exported and "power on" in exported
    data = json.loads(json_target.read_text(encoding="utf-8"))
    assert (data["status"], data["node"], data["values"]["site_code"]) == ("runbook", "rb-power", "S01")
    default = tmp_path / "exports" / f"door-{walker.session.id}.md"
    assert default.read_text(encoding="utf-8").startswith("# Server S01 is off")
    assert f"Exported to {default}" in "".join(text.split("\n"))


def test_the_runbook_is_printed_and_back_leaves_it(door, tmp_path):
    lines = ["S01", "2", "b", "1", "1", "7", "q"]
    walker, code, text = plain(door, "door", Lines(lines), data_dir=tmp_path)
    assert "# Server S01 is off" in text
    assert "    power on" in text or "power on" in text
    assert "Door jammed at S01" in text
    assert "about 465 minutes remain" in text
    assert walker.session.node_id == "rb-jam"


def test_end_of_input_saves_the_walk_and_says_where(door, tmp_path):
    walker, code, text = plain(door, "door", Lines(["S01"]), data_dir=tmp_path)
    assert code == EXIT_QUESTION
    assert "End of input. The walk is saved in" in text
    saved = sessions_dir(tmp_path) / f"{walker.session.id}.json"
    assert saved.is_file()
    assert str(saved) in text.replace("\n", "")
    loaded = load(saved, door).session
    assert (loaded.node_id, loaded.values["site_code"]) == ("q-power", "S01")


def test_end_of_input_at_a_confirmation_also_saves(door, tmp_path):
    walker, code, text = plain(door, "door", Lines(["S01", "r"]), data_dir=tmp_path)
    assert code == EXIT_QUESTION
    assert "End of input." in text
    assert (sessions_dir(tmp_path) / f"{walker.session.id}.json").is_file()


def test_ctrl_c_saves_and_ends_cleanly(door, tmp_path):
    class Interrupting(Lines):
        def readline(self, *args):
            line = super().readline(*args)
            if not line:
                raise KeyboardInterrupt
            return line

    walker, code, text = plain(door, "door", Interrupting(["S01", "1"]), data_dir=tmp_path)
    assert code == EXIT_INTERRUPTED
    assert "Interrupted. The walk is saved in" in text
    assert load(sessions_dir(tmp_path) / f"{walker.session.id}.json", door).session.node_id == "c-log"


def test_quit_saves_and_help_lists_every_command(door, tmp_path):
    walker, code, text = plain(door, "door", Lines(["?", "S01", "h", "p", "q"]), data_dir=tmp_path)
    assert text.count("Step 2. Question in Door will not open (door, node q-power)") == 2
    assert code == EXIT_QUESTION
    for command in ("b ", "r ", "e PATH", "x md|json [FILE]", "? or h", "q "):
        assert f"\n  {command}" in text, command
    assert text.count("Commands (type one at any prompt") == 2
    assert "Quit. The walk is saved in" in text
    assert (sessions_dir(tmp_path) / f"{walker.session.id}.json").is_file()


# ---------------------------------------------------------------------------------------------- hostile text


def hostile_catalog() -> Catalog:
    door = model_trees.door_tree()
    nasty = "\x1b]52;c;SGVsbG8=\x07\x1b[2J\u202e\u009b31m"
    nodes = dict(door.nodes)
    nodes["q-site"] = replace(nodes["q-site"], prompt=f"Which site code?{nasty}", why=f"why {nasty}\nsecond line",
                              how=f"how{nasty}", commands=(f"dir {nasty}",), learn=(f"note {nasty}",))
    power = nodes["q-power"]
    nodes["q-power"] = replace(power, choices=(replace(power.choices[0], label=f"Yes{nasty}", note=f"noted{nasty}"),
                                               *power.choices[1:]))
    nodes["c-log"] = replace(nodes["c-log"], prompt=f"Jam?{nasty}")
    nodes["rb-jam"] = replace(nodes["rb-jam"], title=f"Jammed{nasty}", diagnosis=f"diag{nasty}",
                              steps=(Step(do=f"do{nasty}", runs_on=f"server{nasty}", verify=f"ok{nasty}",
                                          commands=(f"cmd{nasty}",)),))
    tree = replace(door, title=f"Door{nasty}", nodes=nodes)
    return Catalog(trees={"door": tree, "other": model_trees.other_tree()})


def test_no_escape_or_control_character_from_a_tree_a_log_or_the_operator_reaches_the_output(tmp_path):
    catalog = hostile_catalog()
    log = tmp_path / "door.log"
    log.write_bytes("DOOR JAMMED \x1b]52;c;SGVsbG8=\x07 \x1b[2J wipe \u202eevil \u009b31m red\n".encode())
    weird = tmp_path / "no\x1b[2Jsuch\u202e.log"
    lines = [
        "\x1b[2J", "S01\u202e", "S01", "1", f"e {weird}", f"e {log}", "", "\x1b]52;c;SGVsbG8=\x07",
        "\u009b31m", "4", f"x md {tmp_path}/\x1b[2J\u202e.md", "q",
    ]
    walker, code, text = plain(catalog, "door", Lines(lines), data_dir=tmp_path)
    assert code == EXIT_OK, text[-2000:]
    assert walker.session.node_id == "rb-jam"
    for bad in HOSTILE:
        assert bad not in text, repr(bad)
    # What the hostile text carried is still shown, without its escapes.
    assert "DOOR JAMMED" in text and "wipe" in text and "evil" in text
    assert "Jammed]52;c;" not in text and "Which site code?" in text
    assert flat(text).count("Not taken: what you typed holds control characters or escape sequences.") == 4


def command_pattern(template: str) -> re.Pattern[str]:
    """A tree command with its placeholders filled by anything, to know a printed command line when it is seen."""
    parts, at = [], 0
    for match in TOKEN.finditer(template):
        parts.append(re.escape(template[at : match.start()]))
        parts.append(".+" if match.group(1) else re.escape(match.group(0)[0]))
        at = match.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts))


def test_output_stays_within_the_width_except_commands(shipped, tmp_path):
    case_path = CASES[0]
    case, answers, values, evidence = case_inputs(case_path)
    out = io.StringIO()
    operator = Operator(out, case_operator(answers, values, []))
    walker, code, text = plain(
        shipped, case["tree"], operator, stdout=out, evidence=evidence, data_dir=tmp_path, width=60
    )
    assert code == EXIT_OK
    commands = [
        command_pattern(c)
        for tree in shipped
        for node in tree.nodes.values()
        for c in (*getattr(node, "commands", ()), *(c for step in getattr(node, "steps", ()) for c in step.commands))
    ]
    # The steps of this tree are long: at 24 rows the question is said again above its answers.
    assert "The question: " in text
    in_fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if len(line) <= 60 or any(line.endswith(": " + sent) and len(line) - len(sent) <= 61 for sent in operator.sent):
            continue
        command = line.strip()
        assert any(p.fullmatch(command) for p in commands), f"a line longer than 60 columns: {line!r}"
        assert in_fence or line.startswith("    "), line


def test_columns_sets_the_width():
    assert terminal_width({"COLUMNS": "100"}) == 100
    assert terminal_width({"COLUMNS": "junk"}) == 80
    assert terminal_width({}) == 80
    assert terminal_height({"LINES": "40"}) == 40
    assert terminal_height({}) == 24


def test_a_cp1252_stdout_gets_escapes_for_what_it_cannot_encode(tmp_path):
    door = model_trees.door_tree()
    nodes = dict(door.nodes)
    nodes["q-site"] = replace(nodes["q-site"], prompt="Which site code \u2192 the one in the console \u2713?")
    power = nodes["q-power"]
    green = Choice("yes", "Yes \u2014 on \u2192 green", "rb-power")
    nodes["q-power"] = replace(power, choices=(green, *power.choices[1:]))
    catalog = Catalog(trees={"door": replace(door, nodes=nodes), "other": model_trees.other_tree()})
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="cp1252", newline="\n")
    walker, code, _ = plain(catalog, "door", Lines(["S01", "1", "q"]), stdout=stdout, data_dir=tmp_path)
    stdout.flush()
    assert code == EXIT_OK
    text = raw.getvalue().decode("cp1252")
    assert "Which site code \\u2192 the one in the console \\u2713?" in text
    assert "Yes \u2014 on \\u2192 green" in text
    assert walker.session.node_id == "rb-power"
