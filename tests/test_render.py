from model_trees import catalog, door_tree
from wizard.core.render import (
    compute_values,
    fill,
    question_dict,
    runbook_dict,
    runbook_markdown,
    tree_dict,
    tree_markdown,
)
from wizard.core.session import Citation, Session


def test_fill_replaces_known_names_marks_unknown_and_keeps_doubled_braces():
    assert fill("at {site_code} in {{braces}} for {who}", {"site_code": "S01"}) == "at S01 in {braces} for <who>"


def test_compute_runs_in_order_and_shows_the_formula_without_inputs():
    runbook = door_tree().nodes["rb-jam"]
    done = compute_values(runbook, {"retries": "40"})
    assert [(c.name, c.value) for c in done] == [("left", "60"), ("minutes", "300")]
    missing = compute_values(runbook, {})
    assert missing[0].value is None and "100 - retries" in missing[0].describe()


def _at_jam():
    cite = Citation(file="logs/door.log", line=7, text="DOOR JAMMED | twice", signature="jam")
    return (
        Session.start(catalog(), "door")
        .answer(value="S01")
        .answer("yes")
        .answer("jam", proposed="jam", evidence=[cite])
        .answer(value="40")
    )


def test_runbook_markdown_is_a_ticket_ready_document():
    text = runbook_markdown(_at_jam())
    assert text.startswith("# Door jammed at S01\n")
    assert "Tree: `door` version 1" in text
    assert "logs/door.log:7: `DOOR JAMMED | twice`" in text  # log text as code: a pipe cannot break a table
    assert "(as the evidence proposed)" in text
    assert "- Retries left: 60" in text
    assert "- Minutes until it gives up: 300 minutes" in text
    assert "```\nunjam /site:S01\n```" in text
    assert "> **CAUTION:** Mind your fingers." in text
    assert "Verify: door.log shows OPEN." in text
    assert "Wait: 5 minutes" in text
    assert "about 300 minutes remain" in text
    assert "- Tree `other`: If it jams again." in text


def test_runbook_dict_holds_steps_path_and_values():
    data = runbook_dict(_at_jam())
    assert data["status"] == "runbook" and data["node"] == "rb-jam"
    assert data["steps"][0]["commands"] == ["unjam /site:S01"]
    assert [p["node"] for p in data["path"]] == ["q-site", "q-power", "c-log", "q-retries"]
    assert data["path"][2]["evidence"][0]["line"] == 7
    assert data["values"] == {"site_code": "S01", "retries": "40"}


def test_question_dict_lists_choices_and_fills_placeholders():
    session = Session.start(catalog(), "door").answer(value="S01").answer("yes")
    data = question_dict(session)
    assert data["status"] == "question" and data["node"] == "c-log"
    assert data["how"] == "Open door.log on S01."
    assert [c["id"] for c in data["choices"]] == ["jam", "clear"]


def test_show_holds_every_node_in_reading_order():
    tree = door_tree()
    data = tree_dict(tree)
    assert [n["id"] for n in data["nodes"]][0] == "q-site"
    assert {n["id"] for n in data["nodes"]} == set(tree.nodes)
    text = tree_markdown(tree)
    for needle in ("Which site code?", "Why: A server that is off", "looks for `DOOR JAMMED`", "unjam /site:{site_code}",
                   "Computed `left`", "Continue in `other`", "**CAUTION:** Mind your fingers."):
        assert needle in text


def test_show_prints_doubled_braces_single_and_keeps_placeholders():
    from dataclasses import replace

    tree = door_tree()
    runbook = tree.nodes["rb-power"]
    step = replace(runbook.steps[0], commands=("wmic path x where id='{{0000-21}}' on {site_code}",))
    nodes = dict(tree.nodes, **{"rb-power": replace(runbook, steps=(step,))})
    text = tree_markdown(replace(tree, nodes=nodes))
    assert "wmic path x where id='{0000-21}' on {site_code}" in text


def test_answers_in_the_path_have_their_placeholders_filled():
    from dataclasses import replace

    cat = catalog()
    door = cat.trees["door"]
    power = door.nodes["q-power"]
    relabelled = replace(power, choices=(replace(power.choices[0], label="Yes, {site_code} is on"), power.choices[1]))
    cat.trees["door"] = replace(door, nodes=dict(door.nodes, **{"q-power": relabelled}))
    session = Session.start(cat, "door").answer(value="S01").answer("yes").answer("jam").answer(value="1")
    assert runbook_dict(session)["path"][1]["answer"] == "Yes, S01 is on"


def test_markdown_quotes_a_few_evidence_lines_and_counts_the_rest():
    cites = [Citation(file="door.log", line=n, text=f"DOOR JAMMED {n}", signature="jam") for n in range(1, 9)]
    session = (
        Session.start(catalog(), "door")
        .answer(value="S01")
        .answer("yes")
        .answer("jam", proposed="jam", evidence=cites)
        .answer(value="40")
    )
    text = runbook_markdown(session)
    assert "door.log:5: `DOOR JAMMED 5`" in text and "door.log:6" not in text
    assert "and 3 more matching line(s) of the same evidence" in text
    assert len(runbook_dict(session)["path"][2]["evidence"]) == 8
