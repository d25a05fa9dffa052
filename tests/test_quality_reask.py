"""On Claude the gate's findings are the message of the one re-ask, and a take that fails the
gate twice is written flagged, which ``status`` and ``compare`` show (the real SDK, fake API)."""

from __future__ import annotations

import json

from fake_messages_api import Fault, persona_of
from panelist.cli import app
from panelist.quality.version import gate_version
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"
SHOULD_NOT = json.dumps({
    "verdict": "ship",
    "quote": ("QVAC puts text, vision, speech and translation behind one API that runs offline "
              "on phones and laptops, built on a fork of llama.cpp. The peer-to-peer layer is "
              "the unusual part, and the roadmap is ambitious. You should not use the Tether "
              "QVAC SDK for production until that layer has a track record."),
    "reasons": ["One API across modalities.", "Peer-to-peer layer is new."]})


def draft(runner, workspace, *extra: str):
    return runner.invoke(app, ["draft", PRODUCT, "--timeout", "5", *extra,
                               "--workspace", str(workspace.root)])


def dx_messages(server) -> list[dict]:
    return [r["json"] for r in server.requests if r["path"] == "/v1/messages"
            and persona_of(r["json"]) == "dx"]


def test_the_gates_findings_are_the_reask_message(runner, workspace, claude_env):
    claude_env.script("dx", Fault("take", text=SHOULD_NOT))

    result = draft(runner, workspace)

    assert result.exit_code == 0, result.output
    _, reask = dx_messages(claude_env)
    last = reask["messages"][-1]["content"]
    text = last if isinstance(last, str) else " ".join(b.get("text", "") for b in last)
    assert "quality checks" in text and "reader-address" in text and "contradiction" in text
    assert DraftStore(workspace).read(PRODUCT, "dx").meta.quality is None


def test_a_take_that_fails_the_gate_twice_is_written_flagged(runner, workspace, claude_env):
    claude_env.script("dx", Fault("take", text=SHOULD_NOT), Fault("take", text=SHOULD_NOT))

    result = draft(runner, workspace)

    assert result.exit_code == 0, result.output
    meta = DraftStore(workspace).read(PRODUCT, "dx").meta
    assert meta.quality and any(f.startswith("reader-address:") for f in meta.quality)
    assert meta.quality_gate == gate_version()  # which gate found them
    status = runner.invoke(app, ["status", PRODUCT, "--json", "--workspace",
                                 str(workspace.root)])
    row = next(r for r in json.loads(status.output) if r["persona"] == "dx")
    assert row["quality"] == "reader-address, contradiction"
    shown = runner.invoke(app, ["compare", PRODUCT, "--workspace", str(workspace.root)])
    cells = " ".join(line.strip("│ ").split("│")[-1].strip() for line in shown.output.splitlines())
    shown_cells = " ".join(cells.split())
    assert "quality reader-address:" in shown_cells and "quality contradiction:" in shown_cells


def flags_after_two(runner, workspace, claude_env, take: dict) -> list[str]:
    text = json.dumps(take)
    claude_env.script("dx", Fault("take", text=text), Fault("take", text=text))
    result = draft(runner, workspace)
    assert result.exit_code == 0, result.output
    return DraftStore(workspace).read(PRODUCT, "dx").meta.quality or []


def test_the_panel_judges_the_reasons_too(runner, workspace, claude_env):
    take = json.loads(SHOULD_NOT) | {
        "quote": ("QVAC puts text, vision, speech and translation behind one API that runs "
                  "offline on phones and laptops, built on a fork of llama.cpp, and the "
                  "Holepunch layer shares models peer to peer without a server. Once a model "
                  "is cached the SDK needs no network at all, which suits air-gapped "
                  "deployments and field work."),
        "reasons": ["reasons:1023859476", "reasons:1023859477"]}

    flags = flags_after_two(runner, workspace, claude_env, take)

    assert flags and all("in the reasons" in flag for flag in flags)


def test_the_panel_knows_the_workspaces_other_products(runner, workspace, claude_env):
    take = json.loads(SHOULD_NOT) | {
        "quote": ("Claude Haiku Open Weights is a plain download under a research license, and "
                  "for local experiments, fine-tuning runs and offline evaluation it is a real "
                  "unlock, while Sonnet and Opus stay behind the API. The non-commercial terms "
                  "mean nothing built on it can ship to customers, so it stays a lab tool for "
                  "now."),
        "reasons": ["Research license.", "Weights run locally."]}

    flags = flags_after_two(runner, workspace, claude_env, take)

    assert any(flag.startswith("wrong-product: it names Claude Haiku Open Weights")
               for flag in flags), flags


def test_the_closing_note_lists_each_flagged_take_with_its_findings(runner, workspace,
                                                                     claude_env):
    claude_env.script("dx", Fault("take", text=SHOULD_NOT), Fault("take", text=SHOULD_NOT))

    result = draft(runner, workspace)

    assert result.exit_code == 0, result.output
    closing = [line for line in result.output.splitlines() if line.startswith("flagged ")]
    assert len(closing) == 1
    assert closing[0].startswith("flagged tether-qvac-sdk/dx (ship): reader-address:")
    note = " ".join(result.output[result.output.index("flagged "):].split())  # wrapped lines
    assert "contradiction:" in note
