"""Every command the README shows, at 60, 80 and 120 columns: no line wider than the terminal,
no word cut inside a table cell or shortened with an ellipsis. JSON output (``--json``,
``render``) is exempt: wrapping would change the data.

The workspace is drafted once through the real SDK against the fake Messages API (so the
ledger, the models and the takes are what a run writes), plus a take from the local model,
whose 31-character file name is the longest word a table has to hold.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from wordfreq import zipf_frequency

from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY
from panel_helpers import EXAMPLE_TAKES, HAIKU, QVAC, write_take
from panelist.cli import app, options
from panelist.store.workspace import Workspace, init_workspace

WIDTHS = [60, 80, 120]
LOCAL_MODEL = "SmolLM2-135M-Instruct.Q4_1.gguf"
BOX = re.compile(r"[\s\u2500-\u257f]+")  # whitespace and box-drawing characters
PUNCTUATION = "\"'\u201c\u201d\u2018\u2019.,:;()[]{}!?"

# the README's commands; those in DRAFTING call the fake API
README_COMMANDS: dict[str, list[str]] = {
    "draft": ["draft", f"products/{QVAC}.md", "--persona", "dx", "--force"],
    "redo": ["redo", QVAC, "buyer", "--note", "harder on pricing"],
    "status-product": ["status", QVAC],
    "status-catalogue": ["status"],
    "estimate": ["estimate", "--all", "--force"],
    "draft-all": ["draft", "--all", "--concurrency", "8"],
    "draft-two-products": ["draft", f"products/{QVAC}.md", f"products/{HAIKU}.md"],
    "batch-status": ["batch", "status"],
    "compare-panel": ["compare", QVAC],
    "compare-takes": ["compare", QVAC, "dx", "--takes"],
    "compare-a-vs-b": ["compare", HAIKU, QVAC],
    "lint": ["lint", QVAC],
    "approve": ["approve", QVAC, "dx", "skeptic"],
    "unapprove": ["unapprove", QVAC, "dx"],
    "publish-preview": ["publish", HAIKU, QVAC, "--include-unapproved"],
    "stats": ["stats", "--by", "persona"],
    "stats-by-model": ["stats", "--by", "model"],
    "show": ["show", QVAC, "dx", "--take", "1"],
    "takes": ["takes", QVAC, "dx"],
    "personas": ["personas"],
    "usage": ["usage"],
    "usage-by-model": ["usage", "--by", "model"],
    "init": ["init", "{tmp}/new-workspace"],
}
DRAFTING = {"draft", "redo", "estimate", "draft-all", "draft-two-products"}


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Both example products drafted through the fake API, one approved, one local take."""
    root = tmp_path_factory.mktemp("columns") / "ws"
    init_workspace(root)
    with FakeMessagesAPI() as server, pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        patch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        patch.setenv("PANELIST_RETRY_SCALE", "0.01")
        runner = CliRunner()
        for product in (QVAC, HAIKU):
            result = runner.invoke(app, ["draft", product, "-w", str(root)])
            assert result.exit_code == 0, result.output
        runner.invoke(app, ["approve", HAIKU, "-w", str(root)])
    # a second take, as the small local model might have drafted it (and the gate passes it)
    write_take(Workspace(root), QVAC, "dx", "ship", EXAMPLE_TAKES[QVAC]["dx"][1].replace(
               "a genuine shortcut", "a real shortcut"), model=LOCAL_MODEL)
    yield root


@pytest.fixture
def at_width(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(options, "_consoles", {})  # consoles made for this test's COLUMNS
    yield


def known_words(root: Path) -> set[str]:
    """Every word in the workspace's files: what a table may show, whole."""
    words = {LOCAL_MODEL}
    for path in root.rglob("*"):
        if path.is_file():
            words |= {word.strip(PUNCTUATION)
                      for word in path.read_text(encoding="utf-8", errors="ignore").split()}
    return {word for word in words if word}


def is_word(token: str, known: set[str]) -> bool:
    """A whole word: in the workspace's files, in English, a number or a date."""
    return (token in known or (token.isalpha() and zipf_frequency(token.lower(), "en") >= 3)
            or re.fullmatch(r"[\d,.:$%~-]+", token) is not None)


def cut_words(output: str, known: set[str]) -> list[str]:
    """Tokens that are only the start or the end of a known word, and no word themselves: a
    word cut at a cell's edge; and words shortened with an ellipsis ("appro…")."""
    long_words = [word for word in known if len(word) >= 8]
    cut = [f"{match.group(1)}…" for match in re.finditer(r"(\w+)…", output)
           if not is_word(match.group(1), known)]
    for token in {token.strip(PUNCTUATION) for token in BOX.split(output)}:
        if len(token) < 3 or is_word(token, known):
            continue
        for word in long_words:
            parts = set(re.split(r"[-._/:_]", word))
            if token != word and token not in parts and (
                    word.startswith(token) or word.endswith(token)):
                cut.append(f"{token!r} (of {word!r})")
                break
    return cut


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}-columns")
@pytest.mark.parametrize("name", README_COMMANDS, ids=str)
def test_every_readme_command_fits_the_terminal_with_every_word_whole(
        request, drafted, tmp_path, monkeypatch, at_width, name, width):
    root = tmp_path / "ws"
    shutil.copytree(drafted, root)
    if name in DRAFTING:
        request.getfixturevalue("claude_env")
    monkeypatch.setenv("COLUMNS", str(width))
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in README_COMMANDS[name]]

    result = CliRunner().invoke(app, ["-w", str(root), *args])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    too_wide = [line for line in lines if len(line.rstrip()) > width]
    assert not too_wide, f"{len(too_wide)} lines over {width} columns:\n" + "\n".join(too_wide)
    assert not cut_words(result.output, known_words(root))


def test_a_narrow_status_says_which_columns_it_left_out(drafted, monkeypatch, at_width):
    monkeypatch.setenv("COLUMNS", "80")

    result = CliRunner().invoke(app, ["status", QVAC, "-w", str(drafted)])

    assert "not shown at 80 columns: model, backend" in " ".join(result.output.split())
    assert LOCAL_MODEL not in result.output


def test_a_wide_status_shows_the_cost_of_each_take(drafted, monkeypatch, at_width):
    monkeypatch.setenv("COLUMNS", "120")

    result = CliRunner().invoke(app, ["status", QVAC, "-w", str(drafted)])

    assert "cost usd" in result.output and LOCAL_MODEL in result.output
    assert re.search(r"\$0\.0\d\d\d", result.output), result.output


def test_rows_stack_when_even_the_essential_columns_do_not_fit(drafted, monkeypatch, at_width):
    monkeypatch.setenv("COLUMNS", "40")

    result = CliRunner().invoke(app, ["usage", "--by", "model", "-w", str(drafted)])

    assert "claude-sonnet-5-5\n  calls" in result.output and "┃" not in result.output
    assert max(len(line.rstrip()) for line in result.output.splitlines()) <= 40


def test_json_output_is_never_wrapped(drafted, monkeypatch, at_width):
    monkeypatch.setenv("COLUMNS", "60")

    result = CliRunner().invoke(app, ["status", QVAC, "--json", "-w", str(drafted)])

    assert {row["model"] for row in json.loads(result.output)} >= {LOCAL_MODEL}


@pytest.mark.parametrize("output", [
    "│ claude-haiku-open-wei │ 5 │\n│ ghts                  │   │",
    "┃ appro… ┃ edi… ┃",
], ids=["folded-cell", "ellipsis"])
def test_the_check_finds_a_cut_word(output):
    assert cut_words(output, {"claude-haiku-open-weights", "approved", "edited"})
