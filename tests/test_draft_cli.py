"""Drafting a panel through the CLI, with the real SDK talking to a fake Messages API."""

from __future__ import annotations

import json
from pathlib import Path

from fake_messages_api import FakeMessagesAPI, Fault
from helpers import invoke
from panelist.cli.app import app
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"
PANEL = ["buyer", "creative", "dx", "skeptic", "strategist"]




def edit_quote(path: Path, new_quote: str) -> None:
    head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
    path.write_text(head + "---\n" + new_quote + "\n", encoding="utf-8")


def test_draft_writes_one_valid_draft_per_persona(runner, workspace, claude_env):
    result = invoke(runner, workspace, "draft", f"products/{PRODUCT}.md")

    assert result.exit_code == 0, result.output
    drafts = DraftStore(workspace).read_all(PRODUCT)
    assert sorted(drafts) == PANEL
    for draft in drafts.values():
        assert draft.meta.verdict in ("ship", "skip")
        assert draft.meta.status == "draft" and draft.meta.draft is True
        assert draft.meta.take == 1 and draft.meta.backend == "claude"
        assert draft.meta.usage.input_tokens > 0 and draft.meta.usage.cost_usd > 0
        assert draft.meta.fingerprint.startswith("sha256:")
        assert draft.quote
    assert "5 done" in result.output


def test_draft_sends_the_shared_prefix_with_a_cache_breakpoint(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT)

    bodies = [r["json"] for r in claude_env.requests]
    systems = {json.dumps(b["system"]) for b in bodies}
    assert len(bodies) == 5 and len(systems) == 1, "every persona shares one system prefix"
    assert bodies[0]["system"][-1]["cache_control"] == {"type": "ephemeral"}
    assert bodies[0]["output_config"]["format"]["type"] == "json_schema"
    assert {r["persona"] for r in claude_env.requests} == set(PANEL)


def test_draft_is_resumable_and_fills_only_missing_personas(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx", "--persona", "skeptic")
    assert len(claude_env.requests) == 2

    result = invoke(runner, workspace, "draft", PRODUCT)

    assert result.exit_code == 0, result.output
    assert len(claude_env.requests) == 5, "only the three missing personas were drafted"
    assert sorted(DraftStore(workspace).read_all(PRODUCT)) == PANEL


def test_redo_adds_a_take_and_keeps_the_old_one_in_history(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "skeptic")

    result = invoke(runner, workspace, "redo", PRODUCT, "skeptic", "--note", "harder on pricing")

    assert result.exit_code == 0, result.output
    store = DraftStore(workspace)
    assert [e.take for e in store.history(PRODUCT, "skeptic")] == [1, 2]
    current = store.read(PRODUCT, "skeptic")
    assert current is not None and current.meta.take == 2
    assert current.meta.note == "harder on pricing"
    assert "harder on pricing" in claude_env.requests[-1]["json"]["messages"][0]["content"]


def test_edited_draft_survives_draft_and_redo(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    path = workspace.draft_path(PRODUCT, "dx")
    edit_quote(path, "An editor rewrote this quote by hand.")
    before = path.read_bytes()

    drafted = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    redone = invoke(runner, workspace, "redo", PRODUCT, "dx")

    assert drafted.exit_code == 0 and "edited by an editor" in drafted.output
    assert redone.exit_code != 0
    assert "was edited by an editor" in redone.output and "--force" in redone.output
    assert path.read_bytes() == before
    assert len(claude_env.requests) == 1, "no model call was made for a protected draft"


def test_redo_force_saves_the_editors_version_to_history_first(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    edit_quote(workspace.draft_path(PRODUCT, "dx"), "An editor rewrote this quote by hand.")

    result = invoke(runner, workspace, "redo", PRODUCT, "dx", "--force")

    assert result.exit_code == 0, result.output
    entries = DraftStore(workspace).history(PRODUCT, "dx")
    edited = [e for e in entries if e.edited_at]
    assert len(edited) == 1
    assert "An editor rewrote this quote by hand." in edited[0].path.read_text()
    assert [e.take for e in entries if not e.edited_at] == [1, 2]


def test_render_shows_the_exact_request_without_calling(runner, workspace, claude_env):
    result = invoke(runner, workspace, "render", PRODUCT, "dx", "--note", "shorter")

    assert result.exit_code == 0, result.output
    rendered = json.loads(result.output)
    assert claude_env.requests == []
    invoke(runner, workspace, "redo", PRODUCT, "dx", "--note", "shorter")
    sent = claude_env.requests[0]["json"]
    assert sent.pop("stream") is True  # the first call with a prefix is streamed (cache warm-up)
    assert rendered["request"] == sent


def test_invalid_take_gets_one_reask_with_the_problem(runner, workspace, claude_env):
    claude_env.script("dx", Fault("take", text='{"verdict": "maybe", "quote": "x"}'))

    result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")

    assert result.exit_code == 0, result.output
    reask = claude_env.requests[-1]["json"]["messages"]
    assert [m["role"] for m in reask] == ["user", "assistant", "user"]
    assert "verdict" in reask[-1]["content"]
    assert DraftStore(workspace).read(PRODUCT, "dx") is not None


def test_take_invalid_twice_fails_that_persona_only(runner, workspace, claude_env):
    bad = Fault("take", text="I would rather not answer in JSON.")
    claude_env.script("dx", bad, bad)

    result = invoke(runner, workspace, "draft", PRODUCT)

    assert result.exit_code == 1
    assert "no valid take after a re-ask" in result.output
    drafts = DraftStore(workspace).read_all(PRODUCT)
    assert sorted(drafts) == ["buyer", "creative", "skeptic", "strategist"]


def test_429_with_retry_after_and_529_are_retried(runner, workspace, claude_env):
    claude_env.script("dx", Fault("status", status=429, headers={"retry-after": "2"}))
    claude_env.script("buyer", Fault("status", status=529))

    result = invoke(runner, workspace, "draft", PRODUCT)

    assert result.exit_code == 0, result.output
    assert claude_env.count(429) == 1 and claude_env.count(529) == 1
    assert len(DraftStore(workspace).read_all(PRODUCT)) == 5


def test_401_is_not_retried_and_names_the_fix(runner, workspace, claude_env):
    claude_env.script("dx", Fault("status", status=401))

    result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")

    assert result.exit_code == 1
    assert "check ANTHROPIC_API_KEY" in result.output
    assert len(claude_env.requests) == 1


def test_usage_ledger_records_every_call(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT)

    result = invoke(runner, workspace, "usage", "--by", "persona", "--json")

    rows = json.loads(result.output)
    assert {row["key"] for row in rows} == set(PANEL)
    assert all(row["calls"] == 1 and row["cost_usd"] > 0 for row in rows)
    assert sum(row["cache_read_tokens"] + row["cache_write_tokens"] for row in rows) > 0


def test_status_shows_edited_drafts(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT)
    edit_quote(workspace.draft_path(PRODUCT, "buyer"), "Rewritten by the editor.")

    result = invoke(runner, workspace, "status", PRODUCT, "--json")

    rows = {row["persona"]: row for row in json.loads(result.output)}
    assert rows["buyer"]["edited"] is True
    assert rows["dx"]["edited"] is False and rows["dx"]["take"] == 1


def test_show_and_takes_read_history(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    invoke(runner, workspace, "redo", PRODUCT, "dx")

    takes = json.loads(invoke(runner, workspace, "takes", PRODUCT, "dx", "--json").output)
    first = json.loads(invoke(runner, workspace, "show", PRODUCT, "dx", "--take", "1",
                              "--json").output)

    assert [t["take"] for t in takes] == [1, 2] and takes[1]["current"] is True
    assert first["take"] == 1 and first["quote"]


def test_no_api_key_is_a_one_line_error(runner, workspace):
    result = invoke(runner, workspace, "draft", PRODUCT, "--model", "claude-sonnet-4-6")

    assert result.exit_code == 2
    assert "ANTHROPIC_API_KEY" in result.output
    assert "Traceback" not in result.output
    assert not workspace.product_drafts_dir(PRODUCT).exists()


def test_unknown_persona_lists_the_known_ones(runner, workspace, claude_env):
    result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "skeptc")

    assert result.exit_code == 2
    assert "Persona 'skeptc' not found" in result.output
    assert "buyer, creative, dx, skeptic, strategist" in result.output


def test_personas_are_sent_concurrently(runner, workspace, monkeypatch):
    with FakeMessagesAPI(latency=1.0) as slow:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", slow.base_url)
        result = invoke(runner, workspace, "draft", PRODUCT)
        times = sorted(r["time"] for r in slow.requests)

    assert result.exit_code == 0, result.output
    assert len(times) == 5
    assert times[-1] - times[0] < 1.0, "all five were sent before the first could be answered"


def test_init_makes_a_workspace_and_keeps_files_already_there(runner, tmp_path):
    target = tmp_path / "reviews"
    (target / "personas").mkdir(parents=True)
    (target / "personas" / "dx.md").write_text("my own persona\n")

    result = runner.invoke(app, ["init", str(target)])

    assert result.exit_code == 0, result.output
    assert (target / "personas" / "dx.md").read_text() == "my own persona\n"
    assert (target / "products" / "tether-qvac-sdk.md").is_file()
    assert (target / "prompts" / "panel.j2").is_file() and (target / "drafts").is_dir()


def test_personas_lists_the_panel(runner, workspace):
    rows = json.loads(invoke(runner, workspace, "personas", "--json").output)

    assert [row["id"] for row in rows] == ["dx", "skeptic", "strategist", "buyer", "creative"]
    assert all(row["quote_words"][0] < row["quote_words"][1] for row in rows)


def test_usage_refuses_an_unknown_grouping(runner, workspace):
    result = invoke(runner, workspace, "usage", "--by", "colour")

    assert result.exit_code == 2
    assert "'colour' is not one of" in result.output
