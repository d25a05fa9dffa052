"""compare: a panel, two products, one persona's takes; as a table, a static HTML page and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import EXAMPLE_TAKES, HAIKU, QVAC, draft_panel, edit_draft, write_take
from panelist.review.views import build_panel, percent, safe_url
from panelist.review.worddiff import Segment, edit_ratio, word_diff
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

# word diff and edit ratio -------------------------------------------------------------------

def test_word_diff_marks_removed_then_added_words() -> None:
    assert word_diff("a fast local model", "a slow local model today") == [
        Segment(kind="same", text="a"), Segment(kind="removed", text="fast"),
        Segment(kind="added", text="slow"), Segment(kind="same", text="local model"),
        Segment(kind="added", text="today")]


@pytest.mark.parametrize(("generated", "edited", "ratio"), [
    ("one two three four", "one two three four", 0.0),
    ("one two three four", "one  two\nthree four", 0.0),
    ("one two three four", "one two three five", 0.25),
    ("one two three four", "one two", 0.5),
    ("one two", "one two three four", 0.5),
    ("one two three four", "five six seven eight nine", 1.0),
    ("", "", 0.0),
], ids=["untouched", "rewrapped", "one-word", "cut-half", "doubled", "rewritten", "empty"])
def test_edit_ratio_is_share_of_words_changed(generated: str, edited: str, ratio: float) -> None:
    assert edit_ratio(generated, edited) == ratio


# view models ---------------------------------------------------------------------------------

def test_panel_ship_percent_counts_drafted_personas_only(workspace: Workspace) -> None:
    takes = dict(list(EXAMPLE_TAKES[QVAC].items())[:4])  # 4 of 5 personas drafted
    draft_panel(workspace, QVAC, takes)
    panel = build_panel(workspace, QVAC)
    assert (panel.drafted, panel.ship, panel.skip, panel.ship_percent) == (4, 2, 2, 50)
    assert [seat.status for seat in panel.seats].count("missing") == 1
    assert panel.approved_ship_percent is None


@pytest.mark.parametrize(("url", "shown"), [
    ("https://qvac.tether.io", "https://qvac.tether.io"),
    ("http://example.com/a?b=c", "http://example.com/a?b=c"),
    ("javascript:alert(1)", None),
    ("JAVASCRIPT:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("https://ok.example/\"onmouseover=\"alert(1)", None),
    (None, None),
], ids=["https", "http", "javascript", "javascript-upper", "data", "quote-break", "none"])
def test_only_http_urls_become_links(url: str | None, shown: str | None) -> None:
    assert safe_url(url) == shown


def test_percent_of_nothing_is_none() -> None:
    assert percent(0, 0) is None
    assert percent(2, 3) == 67


# the CLI, three views x three formats ---------------------------------------------------------

@pytest.fixture
def reviewed(workspace: Workspace) -> Workspace:
    """Both example panels drafted; the QVAC buyer has a second take that an editor changed."""
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    verdict, quote = EXAMPLE_TAKES[QVAC]["buyer"]
    second = write_take(workspace, QVAC, "buyer", verdict,
                        quote.replace("The likeliest path", "The most plausible route"))
    edit_draft(second, quote=second.quote.replace("no support terms", "no support contract"))
    return workspace


VIEWS = {
    "panel": [QVAC],
    "products": [HAIKU, QVAC],
    "takes": [QVAC, "buyer", "--takes"],
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_compare_table_shows_every_quote(runner: CliRunner, reviewed: Workspace,
                                         view: str) -> None:
    code, output = invoke(runner, reviewed, "compare", *VIEWS[view])
    assert code == 0, output
    flat = " ".join(output.replace("│", " ").split())
    assert "Tether QVAC SDK" in flat
    if view == "takes":
        assert "[-likeliest-]" in flat or "[-likeliest" in flat
        assert "current (take 2, edited)" in flat
    else:
        assert "ship 60%" in flat


@pytest.mark.parametrize("view", list(VIEWS))
def test_compare_json_is_the_view(runner: CliRunner, reviewed: Workspace, view: str) -> None:
    code, output = invoke(runner, reviewed, "compare", *VIEWS[view], "--json")
    assert code == 0, output
    data = json.loads(output)
    if view == "panel":
        assert data["ship_percent"] == 60
        assert [s["persona"] for s in data["seats"]] == ["dx", "skeptic", "strategist",
                                                         "buyer", "creative"]
    elif view == "products":
        assert [p["product"]["slug"] for p in data["panels"]] == [HAIKU, QVAC]
    else:
        assert [t["kind"] for t in data["takes"]] == ["generated", "generated", "current"]
        assert data["takes"][2]["diff_against"] == "take 2"
        assert {"kind": "added", "text": "contract"} in data["takes"][2]["diff"]


@pytest.mark.parametrize("view", list(VIEWS))
def test_compare_html_is_one_self_contained_page(runner: CliRunner, reviewed: Workspace,
                                                 view: str, tmp_path: Path) -> None:
    page = tmp_path / f"{view}.html"
    code, output = invoke(runner, reviewed, "compare", *VIEWS[view], "--html", str(page))
    assert code == 0, output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "<script" not in html
    assert "http://" not in html.replace('href="http', "") and "<link" not in html
    store = DraftStore(reviewed)
    for slug in VIEWS[view][:2] if view == "products" else [QVAC]:
        for draft in store.read_all(slug).values():
            if view != "takes" or draft.meta.persona == "buyer":
                assert draft.quote.replace("'", "&#39;") in html


def test_compare_takes_needs_a_persona(runner: CliRunner, reviewed: Workspace) -> None:
    code, output = invoke(runner, reviewed, "compare", QVAC, "--takes")
    assert code == 2
    assert "PERSONA --takes" in output


def test_compare_with_a_persona_suggests_takes(runner: CliRunner, reviewed: Workspace) -> None:
    code, output = invoke(runner, reviewed, "compare", QVAC, "skeptic")
    assert code == 2
    assert f"panelist compare {QVAC} skeptic --takes" in " ".join(output.split())


def test_compare_unknown_product_lists_the_known_ones(runner: CliRunner,
                                                      reviewed: Workspace) -> None:
    code, output = invoke(runner, reviewed, "compare", QVAC, "tether-qvac")
    assert code == 2
    assert "available: claude-haiku-open-weights, tether-qvac-sdk" in output


def test_model_text_is_not_read_as_terminal_markup(runner: CliRunner,
                                                   workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", "ship", "Ships [b]x[/b] inside.")
    code, output = invoke(runner, workspace, "compare", QVAC)
    assert code == 0
    assert "Ships [b]x[/b] inside." in output
