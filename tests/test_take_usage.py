"""A draft's usage is the kept take's call; the draws and re-asks it beat are counted apart
(``discarded_usage``), and the ledger still has every call."""

from __future__ import annotations

import asyncio
import json

import pytest
from typer.testing import CliRunner

from fake_backend import FakeBackend, FakePool
from fake_messages_api import default_take, prompt_text
from helpers import invoke_for_output as invoke
from panelist.backends.base import LLMRequest
from panelist.run.jobs import Job, RunSettings
from panelist.run.panel import Panel
from panelist.run.plan import make_plan
from panelist.store import ledger
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

PRODUCT = "tether-qvac-sdk"


@pytest.fixture(autouse=True)
def _keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")


def shouting_then_clean(flagged: int):
    """Answers whose first ``flagged`` takes the gate flags (ALL CAPS), then clean ones."""
    calls = {"n": 0}

    def answer(request: LLMRequest) -> str:
        calls["n"] += 1
        take = default_take("dx", prompt_text({"system": request.system, "messages": [
            {"role": m.role, "content": m.content} for m in request.messages]}))
        if calls["n"] <= flagged:
            take["quote"] = take["quote"].replace("The core idea is sound",
                                                  "THE CORE IDEA IS SOUND")
        return json.dumps(take)

    return answer


def draft_dx(workspace: Workspace, backend: FakeBackend) -> None:
    product = workspace.load_product(PRODUCT)
    job = Job(product, workspace.select_personas(["dx"])[0])
    plan = make_plan(workspace, [job], RunSettings())
    asyncio.run(Panel(workspace, FakePool(backend)).run(plan))


@pytest.mark.parametrize(("draws", "flagged", "calls"), [(3, 2, 3), (1, 1, 2)],
                         ids=["local-draws", "claude-reask"])
def test_usage_is_the_kept_take_and_the_others_are_discarded(
        workspace: Workspace, draws: int, flagged: int, calls: int) -> None:
    backend = FakeBackend(shouting_then_clean(flagged))  # 50 output tokens a call
    backend.draws = draws  # best-of-N, as a local backend draws
    draft_dx(workspace, backend)
    draft = DraftStore(workspace).read(PRODUCT, "dx")
    assert draft is not None and draft.meta.quality is None
    assert draft.meta.usage.output_tokens == 50
    assert draft.meta.discarded_usage is not None
    assert draft.meta.discarded_usage.output_tokens == 50 * (calls - 1)
    assert len(ledger.read(workspace.ledger_path)) == calls  # the ledger keeps every call


def test_a_first_draw_that_passes_has_nothing_discarded(workspace: Workspace) -> None:
    draft_dx(workspace, FakeBackend(shouting_then_clean(0)))
    draft = DraftStore(workspace).read(PRODUCT, "dx")
    assert draft is not None and draft.meta.discarded_usage is None
    assert "discarded_usage" not in draft.path.read_text(encoding="utf-8")


def test_status_shows_the_kept_tokens_and_the_discarded_apart(
        runner: CliRunner, workspace: Workspace) -> None:
    backend = FakeBackend(shouting_then_clean(2))
    backend.draws = 3
    draft_dx(workspace, backend)
    code, output = invoke(runner, workspace, "status", PRODUCT, "--json")
    assert code == 0, output
    dx = next(row for row in json.loads(output) if row["persona"] == "dx")
    assert dx["output_tokens"] == 50 and dx["discarded_output_tokens"] == 100
    assert dx["tokens"] == "50 +100 discarded"
