"""stats --calibration: each persona's calls against the panel and the community, its edit
ratio's trend, and the flags an editor should look at."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from helpers import build_file_tree, invoke
from panel_helpers import edit_draft, write_take
from panelist.review.approval import approve_takes
from panelist.review.calibration import calibration_report
from panelist.store.workspace import Workspace
from trial_helpers import product_file

QUOTE = ("A plain take of forty-five words or more, so that every persona's range accepts it "
         "without a warning: the tool does one thing well, it has a free tier, and a paid "
         "plan for teams, and that is all the file says about it today, nothing else.")


def catalogue(workspace: Workspace, votes: list[tuple[int, int]]) -> list[str]:
    slugs = [f"tool-{n}" for n in range(len(votes))]
    build_file_tree(workspace.root, {f"products/{slug}.md": product_file(slug, ship, skip)
                                     for slug, (ship, skip) in zip(slugs, votes, strict=True)})
    return slugs


def calibration_json(runner: CliRunner, workspace: Workspace) -> dict[str, dict]:
    result = invoke(runner, workspace, "stats", "--calibration", "--json")
    assert result.exit_code == 0, result.output
    return {row["persona"]: row for row in json.loads(result.stdout)["calibration"]}


def test_a_persona_that_ships_ten_of_ten_is_flagged_with_its_community_agreement(
        runner: CliRunner, workspace: Workspace) -> None:
    votes = [(9, 1)] * 7 + [(2, 8)] * 3  # the community ships 7, skips 3
    for slug in catalogue(workspace, votes):
        write_take(workspace, slug, "dx", "ship", QUOTE)
    dx = calibration_json(runner, workspace)["dx"]
    assert (dx["takes"], dx["ship_rate"]) == (10, 1.0)
    assert any(flag.startswith("ships nearly everything") for flag in dx["flags"])
    assert (dx["community_compared"], dx["community_agreement"]) == (10, 0.7)
    assert dx["community_correlation"] is None  # its calls never vary


def test_a_persona_against_the_community_is_flagged_and_correlates_negatively(
        runner: CliRunner, workspace: Workspace) -> None:
    votes = [(9, 1), (8, 2), (7, 3), (1, 9), (3, 7)]
    calls = ["skip", "skip", "skip", "ship", "ship"]
    for slug, call in zip(catalogue(workspace, votes), calls, strict=True):
        write_take(workspace, slug, "skeptic", call, QUOTE)
    skeptic = calibration_json(runner, workspace)["skeptic"]
    assert skeptic["community_agreement"] == 0.0
    assert skeptic["community_correlation"] < -0.9
    assert any(f.startswith("disagrees with the community") for f in skeptic["flags"])
    assert not any("nearly everything" in f for f in skeptic["flags"])  # under 10 products


def test_agreement_with_the_panel_is_against_the_other_personas_majority(
        workspace: Workspace) -> None:
    [slug] = catalogue(workspace, [(1, 1)])
    for persona, call in {"dx": "ship", "skeptic": "skip", "buyer": "ship",
                          "creative": "ship"}.items():
        write_take(workspace, slug, persona, call, QUOTE)
    report = {r.persona: r for r in calibration_report(workspace)}
    assert (report["dx"].panel_agreement, report["skeptic"].panel_agreement) == (1.0, 0.0)
    assert report["dx"].community_compared == 0  # a tie is no majority


def test_a_rising_edit_ratio_is_flagged(workspace: Workspace) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    slugs = catalogue(workspace, [(1, 0)] * 4)
    edits = [("plain", now - timedelta(days=90)), ("plain", now - timedelta(days=60)),
             ("rewritten", now - timedelta(days=5)), ("rewritten", now - timedelta(days=2))]
    for slug, (kind, when) in zip(slugs, edits, strict=True):
        draft = write_take(workspace, slug, "buyer", "ship", QUOTE)
        if kind == "rewritten":
            edit_draft(draft, quote=QUOTE.replace("the tool does one thing well",
                                                  "the product is narrow but solid"))
        approve_takes(workspace, slug, ["buyer"], now=when, approver="Ed",
                      allow_quality=True)  # synthetic takes: the gate is not the subject
    buyer = {r.persona: r for r in calibration_report(workspace, now=now)}["buyer"]
    assert buyer.edit_ratio_before == 0.0 and buyer.edit_ratio_recent is not None
    assert buyer.edit_ratio_recent > 0.05
    assert any(flag.startswith("edit ratio rising") for flag in buyer.flags)


def test_calibration_reads_at_80_columns(runner: CliRunner, workspace: Workspace) -> None:
    for slug in catalogue(workspace, [(9, 1)] * 10):
        write_take(workspace, slug, "dx", "ship", QUOTE)
    result = invoke(runner, workspace, "stats", "--calibration")
    assert result.exit_code == 0, result.output
    assert "flag: ships nearly everything (10 of 10)" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_an_unreadable_product_file_still_counts_its_calls_without_votes(
        workspace: Workspace) -> None:
    slugs = catalogue(workspace, [(5, 1), (4, 2)])
    for slug in slugs:
        write_take(workspace, slug, "dx", "ship", QUOTE)
    broken = workspace.products_dir / f"{slugs[1]}.md"
    broken.write_text(broken.read_text().replace("ship: 4", "ship: -4"), encoding="utf-8")
    dx = {r.persona: r for r in calibration_report(workspace)}["dx"]
    assert (dx.takes, dx.community_compared) == (2, 1)
