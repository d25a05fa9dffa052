"""End to end with the bundled local model: a fresh workspace, no API key, no network, a real
five-persona panel drafted by llama.cpp on this CPU (a minute or two), then the editor's loop."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from panelist.backends.local import BUNDLED_NOTE, bundled_model, llama_cpp_installed
from panelist.cli.app import app
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace, init_workspace

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(not llama_cpp_installed(),
                       reason="llama_cpp is not importable: pip install 'panelist[local]'"),
]

PRODUCT = "tether-qvac-sdk"
PANEL = ["buyer", "creative", "dx", "skeptic", "strategist"]
EDITED = "An editor rewrote this quote by hand before the redo."


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to open a network connection fails, and is remembered."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        if self.family != socket.AF_UNIX:
            attempts.append(address)
            raise OSError(f"network access in an offline test: {address}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def edit_quote(path: Path, new_quote: str) -> None:
    head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
    path.write_text(head + "---\n" + new_quote + "\n", encoding="utf-8")


def test_a_fresh_machine_without_a_key_drafts_the_panel_offline(runner, tmp_path, offline):
    root = tmp_path / "reviews"
    init_workspace(root)
    workspace = Workspace(root)

    def invoke(*args: str):
        return runner.invoke(app, [*args, "--workspace", str(root)])

    drafted = invoke("draft", f"products/{PRODUCT}.md")

    assert drafted.exit_code == 0, drafted.output
    assert drafted.stderr.count("No ANTHROPIC_API_KEY: drafting with the bundled local model") == 1
    assert drafted.stderr.count(BUNDLED_NOTE) == 1
    store = DraftStore(workspace)
    drafts = store.read_all(PRODUCT)
    assert sorted(drafts) == PANEL
    personas = workspace.load_personas()
    for persona_id, draft in drafts.items():
        assert draft.meta.verdict in ("ship", "skip") and draft.quote.strip()
        low, high = personas[persona_id].quote_words
        assert low <= len(draft.quote.split()) <= high, "the grammar keeps the persona's range"
        assert 2 <= len(draft.meta.reasons) <= 3
        assert (draft.meta.backend, draft.meta.model) == ("local", bundled_model().name)
        assert draft.meta.usage.output_tokens > 0 and draft.meta.usage.cost_usd == 0
    reused = [d for d in drafts.values() if d.meta.usage.cache_read_tokens > 0]
    assert len(reused) >= len(PANEL) - 1, "persona 2..N reuse the shared prefix's KV cache"

    status = json.loads(invoke("status", PRODUCT, "--json").stdout)
    assert {(row["backend"], row["model"]) for row in status} == {("local", bundled_model().name)}

    again = invoke("draft", PRODUCT)
    assert again.exit_code == 0 and "5 skipped" in again.output, "resumable: nothing redrafted"

    dx = workspace.draft_path(PRODUCT, "dx")
    edit_quote(dx, EDITED)
    refused = invoke("redo", PRODUCT, "dx")
    assert refused.exit_code != 0
    assert "edited by an editor" in refused.output and "--force" in refused.output
    assert EDITED in dx.read_text(encoding="utf-8")

    forced = invoke("redo", PRODUCT, "dx", "--force")

    assert forced.exit_code == 0, forced.output
    entries = store.history(PRODUCT, "dx")
    edited = [entry for entry in entries if entry.edited_at]
    assert len(edited) == 1 and EDITED in edited[0].path.read_text(encoding="utf-8")
    assert [entry.take for entry in entries if not entry.edited_at] == [1, 2]
    redone = store.read(PRODUCT, "dx")
    assert redone is not None and redone.meta.take == 2 and EDITED not in redone.quote
    assert redone.quote != drafts["dx"].quote, "a redo samples afresh; it does not replay take 1"
    assert offline == [], "no network connection was attempted"
