"""The panel's orchestration, on an in-process fake backend: who runs, when, and what is kept."""

from __future__ import annotations

import asyncio

import pytest

from fake_backend import FakeBackend, FakePool
from panelist.backends import ModelChoice
from panelist.errors import BackendError, TemplateError
from panelist.run.jobs import Job, PlannedJob, RunSettings
from panelist.run.panel import Panel
from panelist.run.plan import Plan, build_request, make_plan
from panelist.run.prompts import PromptRenderer
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"


@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")


def panel_plan(workspace, settings: RunSettings | None = None) -> Plan:
    product = workspace.load_product(PRODUCT)
    jobs = [Job(product, persona) for persona in workspace.load_personas().values()]
    return make_plan(workspace, jobs, settings or RunSettings())


def run(workspace, backend: FakeBackend, plan: Plan) -> tuple[list, FakePool]:
    pool = FakePool(backend)
    return asyncio.run(Panel(workspace, pool).run(plan)), pool


def test_one_failing_persona_costs_the_others_nothing(workspace, keyed):
    plan = panel_plan(workspace)
    failing = plan.jobs[0].request

    def answer(request):
        if request is failing:
            raise BackendError("the server said no", status=400)
        return FakeBackend().answer(request)

    results, _ = run(workspace, FakeBackend(answer), plan)

    states = {result.job.persona.id: result.state for result in results}
    assert states[plan.jobs[0].job.persona.id] == "failed"
    assert sorted(state for state in states.values()) == ["done"] * 4 + ["failed"]
    assert len(DraftStore(workspace).read_all(PRODUCT)) == 4


def test_personas_run_concurrently_up_to_the_setting(workspace, keyed):
    backend = FakeBackend(latency_s=0.05)

    run(workspace, backend, panel_plan(workspace, RunSettings(concurrency=3)))

    assert len(backend.calls) == 5 and backend.most_in_flight == 3


def test_a_serial_backend_drafts_one_persona_at_a_time(workspace):
    renderer = PromptRenderer(workspace)
    settings = RunSettings(concurrency=5)
    local = ModelChoice("local", "stand-in.gguf")
    product = workspace.load_product(PRODUCT)
    jobs = [PlannedJob(job, local, build_request(renderer, job, local, settings))
            for job in (Job(product, p) for p in workspace.load_personas().values())]
    backend = FakeBackend(latency_s=0.02, name="local")

    run(workspace, backend, Plan(settings, jobs))

    assert len(backend.calls) == 5 and backend.most_in_flight == 1


def test_the_panel_never_closes_a_pool_it_borrowed(workspace, keyed):
    results, pool = run(workspace, FakeBackend(), panel_plan(workspace))

    assert all(result.state == "done" for result in results)
    assert pool.closes == 0


def test_an_invalid_answer_gets_exactly_one_reask_carrying_the_problem(workspace, keyed):
    plan = panel_plan(workspace)
    plan = Plan(plan.settings, plan.jobs[:1])
    answers = iter(["not a take at all", FakeBackend().answer(plan.jobs[0].request)])
    backend = FakeBackend(lambda request: next(answers))

    (result,), _ = run(workspace, backend, plan)

    assert result.state == "done"
    assert len(backend.calls) == 2
    reask = backend.calls[1].messages
    assert [m.role for m in reask] == ["user", "assistant", "user"]
    assert reask[1].content == "not a take at all"


def test_a_broken_reask_template_stops_the_plan_before_any_call(workspace, keyed):
    (workspace.root / "prompts").mkdir(exist_ok=True)
    (workspace.root / "prompts" / "reask.j2").write_text("{{ persona.nope }", encoding="utf-8")

    with pytest.raises(TemplateError, match=r"reask\.j2"):
        panel_plan(workspace)
