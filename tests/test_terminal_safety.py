"""Nothing from a file, a tree, a name or the command line reaches the terminal with its escape sequences,
control characters, bidi overrides or zero-width characters; JSON keeps such text exact, as escapes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.core.textsafe import UNSAFE, clean, dumps_json

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = str(FIXTURES / "good")

CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
TITLE = "\x1b]0;owned\x07"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
BIDI = "\u202e"
ZERO_WIDTH = "\u200b"
HOSTILE = CLIPBOARD + TITLE + CLEAR + C1_CSI + BIDI + ZERO_WIDTH
RAW = re.compile("[" + "".join(f"\\u{c:04x}" for c in sorted(UNSAFE - {0x0A})) + "]")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def assert_safe(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw U+{ord(found.group()):04X} in {text[max(0, found.start() - 40):found.end() + 40]!r}"


@pytest.fixture(autouse=True)
def _private(monkeypatch, tmp_path):
    monkeypatch.delenv("WIZARD_TREES", raising=False)
    monkeypatch.setenv("WIZARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WIZARD_NO_CACHE", "1")


# ------------------------------------------------------------------------------------------ the cleaner


@pytest.mark.parametrize(
    "raw, shown",
    [
        (f"a{CLIPBOARD}b", "ab"),
        (f"a{TITLE}b", "ab"),
        (f"a{CLEAR}b", "ab"),
        ("a\x9b2Jb", "ab"),
        ("a\x9d0;title\x9cb", "ab"),
        (f"ad{BIDI}min.exe", "admin.exe"),
        ("is\u2066ol\u2069ate", "isolate"),
        (f"ze{ZERO_WIDTH}ro\u200d\ufeff", "zero"),
        ("nul\x00 del\x7f nel\x85", "nul del nel"),
        ("srv\udcff/despool.log", "srv\\xff/despool.log"),
    ],
)
def test_the_cleaner_removes_what_a_terminal_would_act_on(raw, shown):
    assert clean(raw) == shown
    assert_safe(clean(raw), clean(raw, lines=True))


def test_the_cleaner_keeps_lines_when_asked():
    assert clean("one\r\ntwo\tthree\x1b[1m", lines=True) == "one\ntwo    three"
    assert clean("one\r\ntwo\tthree") == "one two three"


def test_the_cleaner_is_linear_on_long_hostile_input():
    import time

    for text in ("\x1b[" + "0" * 1_000_000, "\x1b]" * 300_000, "\x9b" + ";" * 1_000_000, "\x1bP" * 300_000):
        started = time.perf_counter()
        clean(text)
        assert time.perf_counter() - started < 1.0


def test_json_keeps_text_exact_but_escaped():
    data = {"text": HOSTILE + "srv\udcff"}
    encoded = dumps_json(data)
    assert_safe(encoded)
    assert "\udcff" not in encoded
    assert json.loads(encoded) == data


# ------------------------------------------------------------------------------------------ the command line


@pytest.fixture
def hostile_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    line = (
        f"Cannot find valid public key for key exchange instruction coming from site S07 {HOSTILE}"
        "  $$<SMS_DESPOOLER><11-20-2026 10:00:00.000+000><thread=1 (0x1)>\n"
    )
    (bundle / "despool.log").write_text(line, encoding="utf-8")
    with zipfile.ZipFile(bundle / "more.zip", "w") as archive:
        archive.writestr(f"{TITLE}{BIDI}despool.log", line)
        archive.writestr(f"{CLEAR}broken.evtx", b"not an event log")
    return bundle


def test_walk_with_evidence_prints_cited_lines_and_problems_clean(hostile_bundle):
    code, out, err = run(
        "walk", "mini", "--answer", "q-secure=yes", "--set", "retries=10", "--set", "ins_count=0",
        "--evidence", str(hostile_bundle), "--trees", GOOD,
    )
    assert code == 0, err
    assert "Cannot find valid public key" in out
    assert_safe(out, err)


def test_walk_json_keeps_the_cited_text_exact(hostile_bundle):
    code, out, err = run(
        "walk", "mini", "--answer", "q-secure=yes", "--set", "retries=10", "--set", "ins_count=0",
        "--evidence", str(hostile_bundle), "--trees", GOOD, "--format", "json",
    )
    assert code == 0, err
    assert_safe(out, err)
    texts = [c["text"] for step in json.loads(out)["path"] for c in step["evidence"]]
    assert any(HOSTILE in text for text in texts)


def test_scan_prints_zip_member_names_clean_and_json_exact(hostile_bundle):
    code, out, err = run("scan", str(hostile_bundle), "--trees", GOOD)
    assert code == 0, err
    assert "despool.log" in out
    assert_safe(out, err)
    code, out, err = run("scan", str(hostile_bundle), "--json", "--trees", GOOD)
    assert_safe(out, err)
    assert any(HOSTILE in row["text"] for row in json.loads(out))


def hostile_tree(folder: Path) -> Path:
    """A tree whose strings carry escapes only after YAML has read its \\e, \\x and \\u escapes."""
    text = (FIXTURES / "good" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("id: mini\n", "id: mini-hostile\n", 1)
    title = 'title: "Hostile \\e]0;owned\\a\\e[2J\\u202e tree"'
    text = re.sub(r"(?m)^title: .*$", lambda _: title, text, count=1)
    folder.mkdir()
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_reports_escapes_in_tree_text(tmp_path):
    path = hostile_tree(tmp_path / "trees")
    code, out, err = run("lint", str(path), "--trees", GOOD)
    assert code == 1
    assert "WZ430" in out
    assert_safe(out, err)
    code, out, _ = run("lint", str(path), "--json", "--trees", GOOD)
    assert_safe(out)
    assert {p["code"] for p in json.loads(out)} >= {"WZ430"}


def test_list_show_and_walk_never_print_a_hostile_tree_raw(tmp_path):
    folder = tmp_path / "trees"
    hostile_tree(folder)
    for argv in (("list",), ("show", "mini-hostile"), ("walk", "mini-hostile"), ("list", "--json")):
        _code, out, err = run(*argv, "--trees", str(folder), "--trees", GOOD)
        assert_safe(out, err)


def test_arguments_typed_on_the_command_line_are_printed_clean():
    code, out, err = run("walk", "mini", "--answer", f"q-secure=ye{CLEAR}s", "--trees", GOOD)
    assert code == 2
    assert_safe(out, err)
    code, out, err = run("show", f"mi{TITLE}ni", "--trees", GOOD)
    assert code == 2
    assert_safe(out, err)
