"""Tiny trees built in code, for tests of the walker and renderers that must not depend on the loader."""

from wizard.core.catalog import Catalog
from wizard.core.model import (
    Capture,
    Check,
    Choice,
    Compute,
    EvidenceSpec,
    Link,
    NextTree,
    Question,
    Runbook,
    Signature,
    Step,
    Tree,
)


def door_tree() -> Tree:
    nodes = {
        "q-site": Question(
            id="q-site",
            prompt="Which site code?",
            how="Look at the console.",
            why="Names the site in every later step.",
            capture=Capture(name="site_code", label="Site code", pattern="[A-Z0-9]{3}", example="S01", next="q-power"),
        ),
        "q-power": Question(
            id="q-power",
            prompt="Is the server on?",
            how="Look at it.",
            why="A server that is off answers nothing.",
            choices=(
                Choice("yes", "Yes, it is on", "c-log"),
                Choice("no", "No, it is off", "rb-power"),
            ),
        ),
        "c-log": Check(
            id="c-log",
            prompt="Does door.log show a jam?",
            how="Open door.log on {site_code}.",
            why="A jam keeps the door shut.",
            evidence=EvidenceSpec(kind="log", files=("door.log",)),
            signatures=(Signature(id="jam", means="jammed", proposes="jam", literal="DOOR JAMMED"),),
            otherwise="clear",
            choices=(
                Choice("jam", "Jammed", "q-retries"),
                Choice("clear", "Not jammed", "l-other"),
            ),
        ),
        "q-retries": Question(
            id="q-retries",
            prompt="How many retries so far?",
            how="Count them.",
            why="Tells how long is left.",
            capture=Capture(name="retries", label="Retries so far", type="integer", next="rb-jam"),
        ),
        "rb-power": Runbook(
            id="rb-power",
            title="Server {site_code} is off",
            diagnosis="Nothing runs while it is off.",
            steps=(Step(do="Turn on {site_code}.", runs_on="server", verify="The light is green.", commands=("power on",)),),
            escalate="Call facilities.",
        ),
        "rb-jam": Runbook(
            id="rb-jam",
            title="Door jammed at {site_code}",
            diagnosis="The door is jammed.",
            compute=(
                Compute(name="left", expr="max(0, 100 - retries)", label="Retries left"),
                Compute(name="minutes", expr="left * 5", label="Minutes until it gives up", unit="minutes"),
            ),
            steps=(
                Step(
                    do="Free the door; about {minutes} minutes remain.",
                    runs_on="site server",
                    verify="door.log shows OPEN.",
                    commands=("unjam /site:{site_code}",),
                    wait="5 minutes",
                    caution="Mind your fingers.",
                ),
            ),
            next=(NextTree(tree="other", why="If it jams again."),),
        ),
        "l-other": Link(id="l-other", tree="other", why="Not a jam: look elsewhere."),
    }
    return Tree(
        id="door", title="Door will not open", version=1, product="Doors", summary="A stuck door.",
        start="q-site", nodes=nodes, content_hash="hash-door",
    )


def other_tree() -> Tree:
    nodes = {
        "q-bell": Question(
            id="q-bell",
            prompt="Does the bell ring?",
            how="Press it.",
            why="Power check.",
            choices=(Choice("yes", "Yes", "rb-bell"), Choice("no", "No", "rb-bell")),
        ),
        "rb-bell": Runbook(
            id="rb-bell",
            title="Fix the bell",
            diagnosis="The bell is broken.",
            steps=(Step(do="Replace the bell.", runs_on="porch", verify="It rings."),),
        ),
    }
    return Tree(
        id="other", title="Other door problems", version=2, product="Doors", summary="Anything else.",
        start="q-bell", nodes=nodes, content_hash="hash-other",
    )


def catalog() -> Catalog:
    return Catalog(trees={"door": door_tree(), "other": other_tree()})
