"""The JSON Schema, the format README and the loader describe the same fields; fixtures validate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wizard.core import builder
from wizard.core.lint_codes import CODES
from wizard.core.yamlsafe import parse_bytes

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "wizard" / "core" / "tree.schema.json").read_text(encoding="utf-8"))
README = (ROOT / "trees" / "README.md").read_text(encoding="utf-8")
FIXTURES = Path(__file__).parent / "fixtures"
NODE_COMMON = {"kind", "title", "learn"}


def fields_of(definition: dict) -> set[str]:
    return set(definition["properties"])


def table_after(marker: str) -> set[str]:
    """Field names in the first column of the first table after ``marker`` in the README."""
    start = README.index(marker)
    names: list[str] = []
    in_table = False
    for line in README[start:].splitlines():
        if line.startswith("|"):
            in_table = True
            match = re.match(r"\|\s*`([a-z_]+)`", line)
            if match:
                names.append(match.group(1))
        elif in_table:
            break
    return set(names)


def braces_after(marker: str) -> set[str]:
    """``{a, b, c}`` plus any ``optional `x` `` that follows ``marker`` in the same sentence."""
    sentence = README[README.index(marker):].split(".", 1)[0]
    inside = re.search(r"`\{([^}]*)\}`", sentence).group(1)
    return {n.strip() for n in inside.split(",")} | set(re.findall(r"optional `([a-z_]+)`", sentence))


def test_schema_fields_match_the_loader():
    defs = SCHEMA["$defs"]
    assert fields_of(SCHEMA) == set(builder.TOP_FIELDS)
    assert set(SCHEMA["required"]) == set(builder.TOP_REQUIRED)
    pairs = {
        "triage": (builder.TRIAGE_FIELDS, ()),
        "question": (builder.QUESTION_FIELDS, builder.QUESTION_REQUIRED),
        "check": (builder.CHECK_FIELDS, builder.QUESTION_REQUIRED),
        "runbook": (builder.RUNBOOK_FIELDS, builder.RUNBOOK_REQUIRED),
        "link": (builder.LINK_FIELDS, builder.LINK_REQUIRED),
        "choice": (builder.CHOICE_FIELDS, builder.CHOICE_REQUIRED),
        "capture": (builder.CAPTURE_FIELDS, builder.CAPTURE_REQUIRED),
        "evidence": (builder.EVIDENCE_FIELDS, ()),
        "signature": (builder.SIGNATURE_FIELDS, builder.SIGNATURE_REQUIRED),
        "step": (builder.STEP_FIELDS, builder.STEP_REQUIRED),
        "compute": (builder.COMPUTE_FIELDS, builder.COMPUTE_REQUIRED),
        "next": (builder.NEXT_FIELDS, builder.NEXT_REQUIRED),
    }
    for name, (allowed, required) in pairs.items():
        assert fields_of(defs[name]) == set(allowed), name
        assert set(defs[name].get("required", ())) - {"kind"} == set(required), name
    assert set(defs["node"]["properties"]["kind"]["enum"]) == set(builder.NODE_KINDS)
    assert set(defs["capture"]["properties"]["type"]["enum"]) == set(builder.CAPTURE_TYPES)
    assert set(defs["evidence"]["properties"]["kind"]["enum"]) == set(builder.EVIDENCE_KINDS)
    assert SCHEMA["properties"]["id"]["pattern"] == builder.ID_PATTERN
    assert defs["choice"]["properties"]["id"]["pattern"] == builder.CHOICE_ID_PATTERN
    assert defs["capture"]["properties"]["name"]["pattern"] == builder.NAME_PATTERN


def test_readme_fields_match_the_loader():
    assert table_after("## Top level") == set(builder.TOP_FIELDS)
    assert table_after("### `triage`") == set(builder.TRIAGE_FIELDS)
    assert table_after("### `kind: question`") | NODE_COMMON == set(builder.QUESTION_FIELDS)
    assert table_after("A **capture**") == set(builder.CAPTURE_FIELDS)
    assert table_after("### `kind: check`") | set(builder.QUESTION_FIELDS) == set(builder.CHECK_FIELDS)
    assert table_after("### `kind: runbook`") | NODE_COMMON == set(builder.RUNBOOK_FIELDS)
    assert table_after("A **step**") == set(builder.STEP_FIELDS)
    assert braces_after("A **choice** is") == set(builder.CHOICE_FIELDS)
    assert braces_after("A **compute** item is") == set(builder.COMPUTE_FIELDS)

    signature_text = README[README.index("A **signature**"):README.index("### `kind: runbook`")]
    mentioned = set(re.findall(r"`([a-z_]+)(?::[^`]*)?`", signature_text))
    assert set(builder.SIGNATURE_FIELDS) <= mentioned
    evidence_row = next(line for line in README.splitlines() if line.startswith("| `evidence`"))
    assert set(re.findall(r"`([a-z_]+)` \(", evidence_row)) == set(builder.EVIDENCE_FIELDS)
    link_text = README[README.index("### `kind: link`"):README.index("## Placeholders")]
    assert {"tree", "node", "why"} <= set(re.findall(r"`([a-z_]+)`", link_text))
    assert set(builder.LINK_FIELDS) - NODE_COMMON == {"tree", "node", "why"}


def test_readme_lint_codes_section_lists_every_code():
    section = README[README.index("## Lint codes"):]
    rows = re.findall(r"^\| `(WZ\d{3})` \| (error|warning) \|", section, re.MULTILINE)
    assert dict(rows) == {code: severity for code, (severity, _title) in CODES.items()}


def _data(path: Path):
    located = parse_bytes(path.read_bytes())
    assert not located.fatal
    return located.data


@pytest.mark.parametrize("path", sorted((FIXTURES / "good").glob("*.yaml")), ids=lambda p: p.stem)
def test_good_fixtures_validate_against_the_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert [error.message for error in validator.iter_errors(_data(path))] == []


SHAPE_CODES = ["WZ200", "WZ201", "WZ202", "WZ203", "WZ204", "WZ205", "WZ206", "WZ207", "WZ404", "WZ405"]


@pytest.mark.parametrize("code", SHAPE_CODES)
def test_shape_problems_fail_the_schema_too(code):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert list(validator.iter_errors(_data(FIXTURES / "bad" / f"{code}.yaml")))
