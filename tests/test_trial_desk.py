"""The desk's JSON for trials and calibration: the same figures as the CLI's --json."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from desk_helpers import RunningDesk, running_desk
from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY, invoke
from panel_helpers import edit_draft
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace
from trial_helpers import OPUS, PERSONA, approved_workspace, trial_take


@pytest.fixture
def tried(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> dict:
    products = approved_workspace(workspace, 2)
    with FakeMessagesAPI(take_factory=trial_take) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        result = invoke(CliRunner(), workspace, "trial", PERSONA, "--model", OPUS, "--on",
                        *products, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def desk(workspace: Workspace, tried: dict) -> Iterator[RunningDesk]:
    with running_desk(workspace) as running:
        yield running


def test_the_trials_api_answers_what_the_cli_printed(desk: RunningDesk, tried: dict) -> None:
    [listed] = desk.request("GET", "/api/trials").json
    assert (listed["id"], listed["done"]) == (tried["id"], 4)
    assert desk.request("GET", f"/api/trials/{tried['id']}").json == tried


def test_the_calibration_api_answers_what_stats_prints(desk: RunningDesk, workspace: Workspace,
                                                       tried: dict) -> None:
    result = invoke(CliRunner(), workspace, "stats", "--calibration", "--json")
    assert desk.request("GET", "/api/calibration").json == json.loads(result.stdout)


@pytest.mark.parametrize("path", ["/api/trials/20261206T080000Z-nope", "/api/trials/x"])
def test_an_unknown_trial_is_a_json_404(desk: RunningDesk, path: str) -> None:
    reply = desk.request("GET", path)
    assert reply.status == 404 and "trial" in reply.json["error"]


def test_the_trial_pages_need_the_token(desk: RunningDesk, tried: dict) -> None:
    for path in ("/trials", f"/trials/{tried['id']}", "/calibration", "/api/trials"):
        assert desk.request("GET", path, token=False).status == 401


def test_calibration_in_the_desk_follows_a_changed_draft(desk: RunningDesk,
                                                         workspace: Workspace) -> None:
    before = {r["persona"]: r for r in desk.request("GET", "/api/calibration").json[
        "calibration"]}
    draft = DraftStore(workspace).read("alpha-tool", PERSONA)
    assert draft is not None
    flipped = "ship" if draft.meta.verdict == "skip" else "skip"
    edit_draft(draft, verdict=flipped)
    after = {r["persona"]: r for r in desk.request("GET", "/api/calibration").json[
        "calibration"]}
    assert after[PERSONA]["ships"] == before[PERSONA]["ships"] + (1 if flipped == "ship"
                                                                  else -1)
