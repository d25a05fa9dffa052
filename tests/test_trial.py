"""panelist trial: variants of one persona over approved products, against the contract fake
with the real SDK; takes go to .panelist/trials/<id>/ and never to drafts/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_messages_api import FakeMessagesAPI, Fault
from helpers import FAKE_KEY, invoke
from panelist.store.workspace import Workspace
from trial_helpers import (
    CHANGED,
    OPUS,
    PERSONA,
    approved_workspace,
    tree_bytes,
    trial_take,
    variant_file,
)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI(take_factory=trial_take) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.01")
        yield server


def run_json(runner: CliRunner, workspace: Workspace, *args: str) -> dict:
    result = invoke(runner, workspace, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def three_variant_trial(runner: CliRunner, workspace: Workspace, tmp_path: Path,
                        products: list[str]) -> dict:
    variant = variant_file(workspace, tmp_path)
    return run_json(runner, workspace, "trial", PERSONA, "--variant", str(variant),
                    "--model", OPUS, "--on", *products)


def test_a_trial_writes_every_take_to_its_folder_and_leaves_drafts_as_they_were(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    before = tree_bytes(workspace.drafts_dir)
    trial = three_variant_trial(runner, workspace, tmp_path, products)
    takes = sorted((workspace.trials_dir / trial["id"] / "takes").glob("*/*.md"))
    assert len(takes) == 12
    assert tree_bytes(workspace.drafts_dir) == before
    assert len(fake.requests) == 12


def test_the_json_carries_each_variant_and_product_against_the_approved_take(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    trial = three_variant_trial(runner, workspace, tmp_path, products)
    cells = {(c["variant"], c["product"]): c for c in trial["cells"]}
    assert set(cells) == {(v, p) for v in ("baseline", "harsher", f"model:{OPUS}")
                          for p in products}
    for cell in cells.values():
        assert {"verdict", "quote", "verdict_match", "distance", "findings", "tokens",
                "cost_usd", "seconds"} <= set(cell)
        assert cell["tokens"] > 0 and cell["cost_usd"] > 0 and cell["seconds"] > 0
    # the harsher brief flips every call; the Opus variant keeps the calls, changes 1 word
    assert all(not cells[("harsher", p)]["verdict_match"] for p in products)
    assert all(cells[(f"model:{OPUS}", p)]["verdict_match"] for p in products)
    approved_words = len(cells[("baseline", products[0])]["quote"].split())  # = the approved
    assert cells[(f"model:{OPUS}", products[0])]["distance"] == pytest.approx(
        1 / approved_words, abs=1e-4)
    assert [t["variant"] for t in trial["totals"]] == ["baseline", "harsher", f"model:{OPUS}"]
    assert trial["totals"][1]["verdict_matches"] == 0


def test_the_baselines_distance_is_zero_only_where_the_quote_is_identical(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    trial = three_variant_trial(runner, workspace, tmp_path, products)
    baseline = {c["product"]: c for c in trial["cells"] if c["variant"] == "baseline"}
    for slug, cell in baseline.items():
        identical = cell["quote"] == json.loads(
            (workspace.trials_dir / trial["id"] / "trial.json").read_text()
        )["references"][slug]["quote"]
        assert (cell["distance"] == 0) == identical, slug
    assert baseline[CHANGED]["distance"] > 0 and baseline[CHANGED]["verdict_match"]
    assert baseline[products[0]]["distance"] == 0


def test_sample_takes_the_most_recently_approved_products(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI) -> None:
    products = approved_workspace(workspace)
    trial = run_json(runner, workspace, "trial", PERSONA, "--sample", "2")
    assert trial["products"] == products[:2]
    assert len(trial["cells"]) == 2


def test_the_trial_runs_its_calls_concurrently_in_one_pool(
        runner: CliRunner, workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    with FakeMessagesAPI(take_factory=trial_take, latency=0.5) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        trial = run_json(runner, workspace, "trial", PERSONA, "--model", OPUS,
                         "--effort", "medium", "--on", *products, "--concurrency", "6")
    times = sorted(request["time"] for request in server.requests)
    assert len(times) == 12
    in_flight_at_start = sum(1 for t in times if t - times[0] < 0.4)
    assert in_flight_at_start >= 4  # not one after another
    assert {c["variant"] for c in trial["cells"]} == {"baseline", f"model:{OPUS}",
                                                      "effort:medium"}


def test_adopting_a_variant_file_keeps_the_replaced_persona_and_baseline_restores_it(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    original = workspace.persona_path(PERSONA).read_bytes()
    trial = three_variant_trial(runner, workspace, tmp_path, products[:1])
    result = invoke(runner, workspace, "trial", "adopt", trial["id"], "harsher")
    assert result.exit_code == 0, result.output
    assert workspace.persona_path(PERSONA).read_bytes() == (tmp_path / "harsher.md").read_bytes()
    [kept] = workspace.persona_history_dir(PERSONA).glob("*.md")
    assert kept.read_bytes() == original
    result = invoke(runner, workspace, "trial", "adopt", trial["id"], "baseline")
    assert result.exit_code == 0, result.output
    assert workspace.persona_path(PERSONA).read_bytes() == original
    assert len(list(workspace.persona_history_dir(PERSONA).glob("*.md"))) == 2


def test_adopting_a_model_variant_writes_it_into_the_front_matter_only(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    original = workspace.persona_path(PERSONA).read_text(encoding="utf-8")
    trial = three_variant_trial(runner, workspace, tmp_path, products[:1])
    assert invoke(runner, workspace, "trial", "adopt", trial["id"], f"model:{OPUS}"
                  ).exit_code == 0
    adopted = workspace.persona_path(PERSONA).read_text(encoding="utf-8")
    assert adopted.replace(f"model: {OPUS}\n", "") == original
    assert workspace.load_personas()[PERSONA].model == OPUS


def test_estimate_prices_the_trial_and_runs_nothing(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace)
    variant = variant_file(workspace, tmp_path)
    estimate = run_json(runner, workspace, "trial", PERSONA, "--variant", str(variant),
                        "--model", OPUS, "--on", *products, "--estimate")
    assert estimate["totals"]["requests"] == 12
    assert estimate["totals"]["cost_usd"] > estimate["totals"]["batch_cost_usd"] > 0
    assert not workspace.trials_dir.exists()
    assert all(r["path"].endswith("count_tokens") for r in fake.requests)


def test_a_batched_trial_is_collected_into_its_folder_and_never_holds_up_drafting(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace, 2)
    before = tree_bytes(workspace.drafts_dir)
    submitted = run_json(runner, workspace, "trial", PERSONA, "--model", OPUS, "--on",
                         *products, "--batch")
    assert submitted["requests"] == 4 and submitted["batch"]
    assert not workspace.batches_dir.exists()  # 'panelist draft' waits on none of these
    trial = run_json(runner, workspace, "trial", "collect", submitted["id"])
    assert [c["state"] for c in trial["cells"]] == ["done"] * 4
    assert all(c["cost_usd"] > 0 for c in trial["cells"])
    assert tree_bytes(workspace.drafts_dir) == before


def test_a_variant_file_of_another_persona_is_refused_before_any_call(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace, 1)
    wrong = tmp_path / "dx-copy.md"
    wrong.write_bytes(workspace.persona_path("dx").read_bytes())
    result = invoke(runner, workspace, "trial", PERSONA, "--variant", str(wrong), "--on",
                    *products)
    assert result.exit_code == 2
    assert "dx-copy.md" in result.stderr and "id" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    assert fake.requests == [] and not workspace.trials_dir.exists()


def test_a_trial_without_products_says_how_to_choose_them(
        runner: CliRunner, workspace: Workspace) -> None:
    result = invoke(runner, workspace, "trial", PERSONA)
    assert result.exit_code == 2
    assert "--on PRODUCT..." in result.stderr and "--sample N" in result.stderr


def test_the_table_fits_80_columns(runner: CliRunner, workspace: Workspace,
                                   fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace, 2)
    variant = variant_file(workspace, tmp_path)
    result = invoke(runner, workspace, "trial", PERSONA, "--variant", str(variant), "--model",
                    OPUS, "--on", *products)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "baseline" in result.stdout and "harsher" in result.stdout


def test_a_failed_take_is_reported_and_the_others_are_written(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI, tmp_path: Path) -> None:
    products = approved_workspace(workspace, 2)
    fake.script(PERSONA, Fault(kind="status", status=400, body={
        "type": "error", "error": {"type": "invalid_request_error", "message": "bad"}}))
    result = invoke(runner, workspace, "trial", PERSONA, "--model", OPUS, "--on", *products,
                    "--json")
    assert result.exit_code == 1
    cells = json.loads(result.stdout)["cells"]
    assert sorted(c["state"] for c in cells) == ["done", "done", "done", "failed"]
    assert "1 take(s) of trial" in result.stderr and "Traceback" not in result.output


@pytest.mark.needs_llama_cpp
def test_batch_with_a_model_no_batch_api_serves_is_refused_and_leaves_no_trial(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI) -> None:
    products = approved_workspace(workspace, 1)
    result = invoke(runner, workspace, "trial", PERSONA, "--model", "local", "--on",
                    *products, "--batch")
    assert result.exit_code == 2, result.output
    assert "needs a model served by a batch API" in result.stderr
    assert not list(workspace.trials_dir.glob("*"))
    assert [r for r in fake.requests if "batches" in r["path"]] == []


def test_adopt_and_back_is_byte_for_byte_even_with_crlf_and_a_bom(
        runner: CliRunner, workspace: Workspace, fake: FakeMessagesAPI) -> None:
    products = approved_workspace(workspace, 1)
    path = workspace.persona_path(PERSONA)
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    trial = run_json(runner, workspace, "trial", PERSONA, "--effort", "high", "--on", *products)
    assert invoke(runner, workspace, "trial", "adopt", trial["id"], "effort:high").exit_code == 0
    adopted = path.read_bytes()
    assert b"effort: high\r\n" in adopted and adopted.count(b"\n") == adopted.count(b"\r\n")
    assert workspace.load_personas()[PERSONA].effort == "high"
    assert invoke(runner, workspace, "trial", "adopt", trial["id"], "baseline").exit_code == 0
    assert path.read_bytes() == original
