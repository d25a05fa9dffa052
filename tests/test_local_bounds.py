"""A local model that never stops is cut at the take's token cap or at ``--timeout``, drawn
again with a new seed, and never holds the rest of the panel hostage (a stand-in model, fast)."""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
from pathlib import Path

import pytest
from rich.console import Console

from fake_llama import FOREVER, NeverEndingLlama
from panelist.backends import BackendOptions, BackendPool, ModelChoice
from panelist.backends.base import Backend
from panelist.backends.local import LOCAL_DRAWS, LocalBackend
from panelist.backends.local_deadline import MIN_BUDGET_S, Deadline
from panelist.cli import app
from panelist.cli.progress import LiveProgress
from panelist.models import take_token_cap
from panelist.run.jobs import Reporter, RunSettings
from panelist.run.panel import Panel
from panelist.run.plan import make_plan, plan_draft
from panelist.store.drafts import DraftStore

pytestmark = pytest.mark.needs_llama_cpp  # local model choices check the extra is there
FIXTURES = Path(__file__).parent / "fixtures" / "quality"
PRODUCT = "claude-haiku-open-weights"


def reference_answer(persona: str) -> str:
    """A take as JSON whose quote is the reference page's, for ``persona`` on ``PRODUCT``."""
    takes = json.loads((FIXTURES / "reference_quotes.json").read_text(encoding="utf-8"))["takes"]
    take = next(t for t in takes if t["persona"] == persona and t["product"] == PRODUCT)
    return json.dumps({"verdict": take["verdict"], "quote": take["quote"],
                       "reasons": ["The license is research-only.", "Weights run locally."]})


class OneBackendPool(BackendPool):
    """Every local choice served by one given backend (the stand-in model inside it)."""

    def __init__(self, backend: Backend) -> None:
        super().__init__(BackendOptions())
        self.backend = backend

    def get(self, choice: ModelChoice) -> Backend:
        return self.backend


def run_panel(workspace, tmp_path, model: NeverEndingLlama, personas: list[str], *,
              timeout_s: float | None = None, reporter: Reporter | None = None):
    gguf = tmp_path / "stand-in.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 64)
    backend = LocalBackend(gguf, seed=7, timeout_s=timeout_s, loader=lambda path, n_ctx: model)
    panel = Panel(workspace, OneBackendPool(backend), reporter=reporter)
    product = workspace.load_product(PRODUCT)
    jobs, _ = plan_draft(DraftStore(workspace), product,
                         workspace.select_personas(personas), force=False)
    plan = make_plan(workspace, jobs, RunSettings(model=f"local:{gguf}"))
    started = time.monotonic()
    results = asyncio.run(panel.run(plan))
    return results, time.monotonic() - started


def test_a_take_that_never_stops_is_cut_at_the_cap_and_drawn_again(workspace, tmp_path):
    model = NeverEndingLlama([FOREVER, FOREVER, reference_answer("strategist")])

    (result,), _ = run_panel(workspace, tmp_path, model, ["strategist"])

    cap = take_token_cap(workspace.select_personas(["strategist"])[0])
    assert [call["finish"] for call in model.calls] == ["length", "length", "stop"]
    assert [call["tokens"] for call in model.calls[:2]] == [cap, cap]
    assert all(call["max_tokens"] == cap for call in model.calls)
    assert len({call["seed"] for call in model.calls}) == 3  # a new seed for every draw
    assert result.state == "done" and result.draft is not None
    assert result.draft.meta.quality is None


def test_a_slow_take_is_cut_at_the_timeout_and_the_panel_goes_on(workspace, tmp_path):
    model = NeverEndingLlama([FOREVER] * LOCAL_DRAWS + [reference_answer("dx")], token_s=0.002)

    (strategist, dx), elapsed = run_panel(workspace, tmp_path, model, ["strategist", "dx"],
                                          timeout_s=0.5)

    cap = take_token_cap(workspace.select_personas(["strategist"])[0])
    cut = model.calls[:LOCAL_DRAWS]
    assert all(call["finish"] == "abandoned" and call["tokens"] < cap for call in cut)
    assert strategist.state == "failed"
    assert f"no valid take after {LOCAL_DRAWS} draws" in strategist.detail
    assert "time limit" in strategist.detail
    assert dx.state == "done"
    assert elapsed < LOCAL_DRAWS * 0.5 + 5  # three cut draws, not 20 minutes


def test_a_take_that_fails_every_draw_lands_flagged(workspace, tmp_path, runner):
    babble = json.dumps({"verdict": "ship", "quote": " ".join(["2020-12-28T06:12:34Z,"] * 60),
                         "reasons": ["Dates are listed.", "Dates are listed again."]})
    model = NeverEndingLlama([babble] * LOCAL_DRAWS)

    (result,), _ = run_panel(workspace, tmp_path, model, ["strategist"])

    assert result.state == "done" and result.draft is not None
    assert result.draft.meta.quality
    assert any(f.startswith("number-salad:") for f in result.draft.meta.quality)
    text = result.draft.path.read_text(encoding="utf-8")
    assert "quality:" in text
    shown = runner.invoke(app, ["status", PRODUCT, "--json", "--workspace",
                                str(workspace.root)])
    row = next(r for r in json.loads(shown.output) if r["persona"] == "strategist")
    assert "number-salad" in row["quality"]


def test_piped_progress_prints_a_line_per_persona_and_a_heartbeat(workspace, tmp_path):
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=80)
    model = NeverEndingLlama([reference_answer("strategist"), reference_answer("dx")],
                             token_s=0.004)

    with LiveProgress(console, "drafting", heartbeat_s=0.1) as progress:
        run_panel(workspace, tmp_path, model, ["strategist", "dx"], reporter=progress)

    lines = re.sub(r"\n    ", " ", out.getvalue()).splitlines()  # an event's wrapped lines
    assert max(len(line) for line in out.getvalue().splitlines()) <= 80
    for persona in ("strategist", "dx"):
        key = f"{PRODUCT}/{persona}"
        assert any(line.endswith(f"{key}: started (stand-in.gguf)") for line in lines), lines
        ended = next(line for line in lines if f"{key}: done in " in line)
        assert re.search(r"done in \d+\.\ds, \d+ tokens out: ship, take 1$", ended), ended
    assert any(line.startswith("... still working: ") and "drafting" in line for line in lines)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def stream_at(deadline: Deadline, clock: Clock, tokens_per_s: float, tokens: int) -> int:
    """Tokens ``deadline`` lets through at a steady pace (the first after 5 s of prompt)."""
    clock.now += 5.0
    for generated in range(1, tokens + 1):
        if deadline.passed(generated):
            return generated
        clock.now += 1 / tokens_per_s
    return tokens


def test_without_timeout_a_steady_draw_reaches_its_cap_on_a_slow_machine():
    clock = Clock()
    deadline = Deadline(None, cap=520, clock=clock)

    assert stream_at(deadline, clock, tokens_per_s=1.0, tokens=520) == 520  # 8.7 min, not 120 s


def test_without_timeout_a_draw_that_slows_sharply_is_cut():
    clock = Clock()
    deadline = Deadline(None, cap=520, measured_rate=20.0, clock=clock)  # budget 52 s

    assert stream_at(deadline, clock, tokens_per_s=5.0, tokens=520) < 300


def test_a_fast_models_derived_budget_has_a_floor():
    clock = Clock()
    deadline = Deadline(None, cap=520, measured_rate=5000.0, clock=clock)
    clock.now += 1.0
    deadline.passed(1)
    clock.now += MIN_BUDGET_S - 1

    assert not deadline.passed(2)


def test_an_explicit_timeout_counts_from_the_call():
    clock = Clock()
    deadline = Deadline(2.0, cap=520, clock=clock)

    assert stream_at(deadline, clock, tokens_per_s=100.0, tokens=520) == 1  # prompt took 5 s
