"""lint: word range, empty or placeholder text, a missing verdict, and claims not in the product."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import EXAMPLE_TAKES, HAIKU, QVAC, draft_panel, edit_draft, write_take
from panelist.review.claims import ungrounded_claims
from panelist.review.lint import lint_product, placeholder_text
from panelist.store.workspace import Workspace

SOURCE = ("Tether holds more than $27B in reserves. QVAC Fabric is a fork of llama.cpp and runs "
          "on iOS, Android and Linux. Version 2.4.1 adds OCR. The free tier allows 1,000 calls.")




@pytest.mark.parametrize(("quote", "claims"), [
    ("Backed by $27B of reserves, QVAC Fabric runs on iOS.", []),
    ("With 1000 calls free, it is generous.", []),
    ("Tether has $40B in reserves.", ["$40B"]),
    ("Tether has $27 million in reserves.", ["$27 million"]),
    ("It beats rivals by 80% on speed.", ["80%"]),
    ("Expect it to be dead in 12 months.", ["12"]),
    ("Version 2.4.1 is out; v3.0 is next.", ["v3.0"]),
    ("It is slower than Mistral and OpenAI models.", ["Mistral", "OpenAI"]),
    ("It competes with Llama 3.1 8B head on.", ["Llama", "3.1", "8B"]),
    ("Unlike vLLM, it has no server.", ["vLLM"]),
    ("Meta Platforms would never ship this.", ["Meta Platforms"]),
    ("Tether's SDK is an API for iOS apps. I like it.", []),
    ("Great. Another SDK. Honestly, the stack works.", []),
], ids=["grounded", "grouped-digits", "money", "money-scale", "percent", "number", "version",
        "names", "model-and-size", "mixed-case-name", "sentence-start-name", "known-words",
        "sentence-starts"])
def test_ungrounded_claims(quote: str, claims: list[str]) -> None:
    assert ungrounded_claims(quote, SOURCE) == claims


@pytest.mark.parametrize(("quote", "found"), [
    ("A fine quote with nothing left to do.", []),
    ("TODO: write the ending.", ["TODO"]),
    ("It is [insert product name] for devs.", ["[insert product name]"]),
    ("Lorem ipsum dolor sit amet.", ["Lorem ipsum"]),
    ("Hello {{ product.name }} world.", ["{{ product.name }}"]),
    ("TK TK, fill this in later.", ["TK"]),
], ids=["clean", "todo", "insert", "lorem", "template", "tk"])
def test_placeholder_text(quote: str, found: list[str]) -> None:
    assert placeholder_text(quote) == found


def test_lint_finds_an_ungrounded_number_planted_in_a_quote(runner: CliRunner,
                                                            workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "lint", QVAC)
    assert code == 0, output
    assert "no findings" in output

    verdict, quote = EXAMPLE_TAKES[QVAC]["strategist"]
    planted = write_take(workspace, QVAC, "strategist", verdict, quote)
    edit_draft(planted, quote=quote.replace("more than $27B", "more than $27B, 4,500 staff"))
    code, output = invoke(runner, workspace, "lint", QVAC, "--json")
    assert code == 0, output
    [report] = json.loads(output)
    [finding] = report["findings"]
    assert (finding["persona"], finding["check"], finding["claims"]) == (
        "strategist", "ungrounded", ["4,500"])


def test_example_panels_are_grounded_in_their_product_files(workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    draft_panel(workspace, HAIKU)
    ungrounded = [f for slug in (QVAC, HAIKU) for f in lint_product(workspace, slug).findings]
    assert ungrounded == []


def test_lint_flags_a_quote_outside_the_word_range(workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", "ship", "Too short to publish.")
    [finding] = lint_product(workspace, QVAC).findings
    assert (finding.check, finding.severity) == ("length", "warning")
    assert "4 words" in finding.message and "50-140" in finding.message


@pytest.mark.parametrize(("quote", "check"), [
    ("", "empty"),
    ("TBD " * 60, "placeholder"),
], ids=["empty", "placeholder"])
def test_lint_errors_exit_non_zero(runner: CliRunner, workspace: Workspace, quote: str,
                                   check: str) -> None:
    draft = write_take(workspace, QVAC, "dx", *EXAMPLE_TAKES[QVAC]["dx"])
    edit_draft(draft, quote=quote)
    code, output = invoke(runner, workspace, "lint", QVAC, "--json")
    assert code == 1
    [finding] = json.loads(output)[0]["findings"]
    assert (finding["check"], finding["severity"]) == (check, "error")


@pytest.mark.parametrize("verdict_line", ["verdict: ''\n", "verdict: maybe\n", ""],
                         ids=["blank", "invalid", "removed"])
def test_lint_flags_a_missing_verdict(runner: CliRunner, workspace: Workspace,
                                      verdict_line: str) -> None:
    draft = write_take(workspace, QVAC, "skeptic", *EXAMPLE_TAKES[QVAC]["skeptic"])
    text = draft.path.read_text(encoding="utf-8")
    draft.path.write_text(text.replace("verdict: skip\n", verdict_line, 1), encoding="utf-8")
    code, output = invoke(runner, workspace, "lint", QVAC)
    assert code == 1
    flat = " ".join(output.replace("│", " ").split())
    assert "skeptic" in flat and "verdict" in flat and "'verdict: ship'" in flat


def test_lint_only_the_personas_asked_for(workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", "ship", "Too short.")
    write_take(workspace, QVAC, "buyer", "skip", "Also too short.")
    report = lint_product(workspace, QVAC, ["buyer"])
    assert report.checked == ["buyer"]
    assert [f.persona for f in report.findings] == ["buyer"]


@pytest.mark.parametrize(("quote", "claims"), [
    ("Tether has one million pounds for grants.", ["one million pounds"]),
    ("It raised twenty-five million dollars.", ["twenty-five million dollars"]),
    ("Expect it to die within eighteen months.", ["eighteen months"]),
    ("Setup takes three minutes.", ["three minutes"]),
    ("A thousand calls are free.", []),
    ("A million calls are free.", ["A million calls"]),
    ("North of 27 billion dollars in reserves.", []),
    ("One SDK, two platforms named: iOS and Linux.", ["two platforms"]),
    ("Two things matter: OCR and Linux.", []),
    ("It costs $0.25 per million tokens.", ["$0.25"]),
], ids=["money-in-words", "hyphenated-money", "months-in-words", "small-with-unit",
        "a-thousand-is-the-1,000-in-the-source", "a-million", "grounded-in-other-spelling",
        "counted-unit", "no-unit", "per-million-is-a-rate"])
def test_numbers_and_money_in_words(quote: str, claims: list[str]) -> None:
    assert ungrounded_claims(quote, SOURCE) == claims


@pytest.mark.parametrize(("quote", "claims"), [
    ("\u201cOffline first\u201d is the pitch. This time it holds up.", []),
    ("(It is early.) Then again, iOS works.", []),
    ("Verdict: Ship. Honestly, it works.", []),
    ("It is Paid, Open Source and Free to try.", []),
    ("- This line is a bullet", []),
    ("Expect OpenAI to answer.", ["Expect OpenAI"]),
], ids=["after-closing-quote", "after-bracket", "after-colon", "common-words", "bullet",
        "name-after-first-word"])
def test_sentence_starts_and_common_words_are_not_names(quote: str, claims: list[str]) -> None:
    assert ungrounded_claims(quote, SOURCE) == claims


def test_numbers_are_listed_without_their_commas() -> None:
    assert ungrounded_claims("Plans at 15, 18, 20 and 24 months.", SOURCE) == [
        "15", "18", "20", "24"]


def test_findings_are_grouped_per_sentence_with_the_sentence_quoted_once(
        runner: CliRunner, workspace: Workspace) -> None:
    verdict, quote = EXAMPLE_TAKES[QVAC]["buyer"]
    write_take(workspace, QVAC, "buyer", verdict, quote + " Google paid $5M and $5M again. "
               "It has 40% share. Apple agrees.")
    code, output = invoke(runner, workspace, "lint", QVAC, "--json")
    assert code == 0, output
    findings = json.loads(output)[0]["findings"]
    assert [(f["sentence"], f["claims"]) for f in findings] == [
        ("Google paid $5M and $5M again.", ["$5M"]),
        ("It has 40% share.", ["40%"]),
    ]
    code, output = invoke(runner, workspace, "lint", QVAC)
    assert output.count("“Google paid $5M and $5M again.”") == 1
