"""Text panelist did not write (a server's error, a quote, a product name) is printed as text:
console markup in it is shown as typed, never read as markup or allowed to crash a run."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from fake_http import error_envelope
from fake_messages_api import Fault
from helpers import invoke
from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.cli.progress import LiveProgress, print_summary
from panelist.run.jobs import Job, JobResult
from panelist.store.drafts import DraftStore

MARKUP = ["[/INST] the prompt template was not applied", "[bold]overloaded[/bold] try later",
          "closing tag [/] with nothing open"]


@pytest.mark.parametrize("message", MARKUP, ids=["inst", "bold", "bare-close"])
def test_a_server_error_with_markup_fails_that_persona_on_one_line(
        runner, workspace, claude_env, message, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that the line is not wrapped to fit
    monkeypatch.setattr("panelist.cli.options._consoles", {})
    claude_env.script("dx", Fault("status", status=400, body=error_envelope(400, message)))

    result = invoke(runner, workspace, "draft", QVAC)

    assert result.exit_code == 1, result.output
    assert "MarkupError" not in result.output and "Traceback" not in result.output
    failed = [line for line in result.output.splitlines() if line.startswith("failed ")]
    assert failed == [f"failed {QVAC}/dx: the request was rejected (400): {message}"]
    assert "1 persona(s) failed: dx" in result.output


@pytest.mark.parametrize("message", MARKUP, ids=["inst", "bold", "bare-close"])
def test_the_live_table_and_the_summary_show_markup_as_typed(workspace, message):
    product = workspace.load_product(QVAC)
    job = Job(product, workspace.load_personas()["dx"])
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200, color_system=None)
    progress = LiveProgress(console, "draft")

    progress.update(job, "failed", message)
    console.print(progress.render())
    print_summary(console, [JobResult(job, "failed", message)], 1.0)

    assert out.getvalue().count(message) == 3  # its line off a terminal, the table, the summary


def test_show_prints_a_quote_with_markup_as_typed(runner, workspace):
    draft_panel(workspace, QVAC)
    draft = DraftStore(workspace).read(QVAC, "dx")
    assert draft is not None
    edit_draft(draft, quote="A [bold]bold[/bold] claim and a stray [/INST] tag.")

    result = invoke(runner, workspace, "show", QVAC, "dx")

    assert result.exit_code == 0, result.output
    assert "A [bold]bold[/bold] claim and a stray [/INST] tag." in result.output
