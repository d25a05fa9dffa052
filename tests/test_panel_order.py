"""The panel's order comes from the personas' `order` field: the scorecard, compare and status
follow it; by default it is the reference page's: dx, skeptic, strategist, buyer, creative."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import HAIKU, QVAC, draft_panel
from panelist.store.workspace import Workspace

REFERENCE_ORDER = ["dx", "skeptic", "strategist", "buyer", "creative"]




def set_order(workspace: Workspace, persona: str, order: int | None) -> None:
    path = workspace.personas_dir / f"{persona}.md"
    lines = [line for line in path.read_text(encoding="utf-8").split("\n")
             if not line.startswith("order:")]
    if order is not None:
        lines.insert(1, f"order: {order}")
    path.write_text("\n".join(lines), encoding="utf-8")


def orders(runner: CliRunner, workspace: Workspace) -> dict[str, list[str]]:
    """The persona order in status, compare and the published scorecard."""
    status = json.loads(invoke(runner, workspace, "status", QVAC, "--json")[1])
    compare = json.loads(invoke(runner, workspace, "compare", HAIKU, QVAC, "--json")[1])
    invoke(runner, workspace, "approve", HAIKU)
    invoke(runner, workspace, "approve", QVAC)
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC, "--json")
    assert code == 0, output
    page = json.loads((workspace.site_dir / f"{HAIKU}-vs-{QVAC}.json").read_text("utf-8"))
    return {"status": [row["persona"] for row in status],
            "compare": [seat["persona"] for seat in compare["panels"][0]["seats"]],
            "scorecard": [row["persona"] for row in page["scorecard"]]}


def test_the_default_panel_leads_like_the_reference_page(runner: CliRunner,
                                                         workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    found = orders(runner, workspace)
    assert found == {"status": REFERENCE_ORDER, "compare": REFERENCE_ORDER,
                     "scorecard": REFERENCE_ORDER}
    html = (workspace.site_dir / f"{HAIKU}-vs-{QVAC}.html").read_text(encoding="utf-8")
    positions = [html.index(f'id="reviewer-{persona}"') for persona in REFERENCE_ORDER]
    assert positions == sorted(positions)


def test_an_order_field_moves_a_persona(runner: CliRunner, workspace: Workspace) -> None:
    set_order(workspace, "creative", 0)
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    expected = ["creative", "dx", "skeptic", "strategist", "buyer"]
    assert set(map(tuple, orders(runner, workspace).values())) == {tuple(expected)}


def test_personas_without_an_order_sit_last_by_id(runner: CliRunner,
                                                  workspace: Workspace) -> None:
    set_order(workspace, "buyer", None)
    set_order(workspace, "dx", None)
    code, output = invoke(runner, workspace, "personas", "--json")
    assert code == 0, output
    assert [p["id"] for p in json.loads(output)] == ["skeptic", "strategist", "creative",
                                                      "buyer", "dx"]


def test_a_bad_order_names_the_file_and_field(runner: CliRunner, workspace: Workspace) -> None:
    path = workspace.personas_dir / "dx.md"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 1", "order: first"),
                    encoding="utf-8")
    code, output = invoke(runner, workspace, "status")
    assert code == 2
    assert "personas/dx.md" in output and "'order'" in output
