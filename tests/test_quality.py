"""The quality gate: the reference page's quotes pass it, the bundled model's babble does not.

The sanity set is the eight quotes of the reference panel page (their verdicts read off its
ship percentages); the babble set is takes the bundled SmolLM2-135M-Instruct really wrote for
the example products (tests/fixtures/quality/babble.json, its "source" says how they were made).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from panelist.quality import assess_quote, known_words, summarize
from panelist.run.prompts import PromptRenderer
from panelist.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "quality"


def load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["takes"]
    return data


def product_words(workspace: Workspace, slug: str) -> frozenset[str]:
    product = workspace.load_product(slug)
    return known_words([product.name, product.tagline, product.description])


def prompt_text(workspace: Workspace, slug: str, persona: str) -> str:
    """The prompt the persona is given for the product, as the panel passes it to the gate."""
    prompt = PromptRenderer(workspace).render_prompt(
        workspace.load_product(slug), workspace.select_personas([persona])[0], None)
    return f"{prompt.system} {prompt.user}"


REFERENCE = load("reference_quotes.json")
BABBLE = load("babble.json")


@pytest.mark.parametrize("take", REFERENCE, ids=[f"{t['product']}-{t['persona']}"
                                                 for t in REFERENCE])
def test_the_reference_pages_quotes_pass_the_gate(workspace, take):
    assessment = assess_quote(take["quote"], take["verdict"],
                              product_words(workspace, take["product"]),
                              prompt_text(workspace, take["product"], take["persona"]))

    assert assessment.passed, assessment.flags


@pytest.mark.parametrize("take", BABBLE, ids=[f"{i}-{t['persona']}" for i, t in enumerate(BABBLE)])
def test_the_bundled_models_babble_fails_the_gate(workspace, take):
    assessment = assess_quote(take["quote"], take["verdict"],
                              product_words(workspace, take["product"]),
                              prompt_text(workspace, take["product"], take["persona"]))

    assert not assessment.passed
    assert {finding.check for finding in assessment.findings} >= set(take["expect"])


@pytest.mark.parametrize(("quote", "verdict", "check"), [
    ("QVAC is a fine toolkit and the offline story is strong, but in the end "
     "you should not use the Tether QVAC SDK for production work yet.", "ship", "reader-address"),
    ("QVAC is a fine toolkit and the offline story is strong, but teams should not use "
     "it for production work until the peer-to-peer layer matures.", "ship", "contradiction"),
    ("The license kills it for products, the weights are research-only, and the API remains "
     "the real offering; still, ship it for the lab bench.", "skip", "contradiction"),
    ("The numbers speak: 10, 3.25, 4.75, 6.8, 9.9 and 12 across the board, which makes "
     "this release the one to watch for offline agents on phones.", "ship", "number-salad"),
    ("The SDK runs offline on phones and the QVAC FABRIC CORE ENGINE LAYER handles the rest "
     "of the work for teams building private agents.", "ship", "all-caps"),
    ("The SDK runs offline on phones and laptops. The SDK runs offline on phones and laptops. "
     "The SDK runs offline on phones and laptops.", "ship", "repetition"),
    ("Blorptastic fremulation of snarfwidget quibbletrons zorbulates the grandifloxed "
     "wumpering of offline agents.", "ship", "babble"),
], ids=["you-should", "should-not-use-under-ship", "ship-it-under-skip", "numbers", "caps",
        "repeats", "made-up-words"])
def test_each_check_names_what_it_found(workspace, quote, verdict, check):
    assessment = assess_quote(quote, verdict, product_words(workspace, "tether-qvac-sdk"))

    assert check in {finding.check for finding in assessment.findings}, assessment.flags


def test_a_quote_that_copies_its_prompt_is_an_echo(workspace):
    quote = ("Lens: Developer experience: the core primitive, the friction between download "
             "and first working call, and whether it drops cleanly into the stacks.")

    assessment = assess_quote(quote, "ship", product_words(workspace, "tether-qvac-sdk"),
                              prompt_text(workspace, "tether-qvac-sdk", "dx"))

    assert [finding.check for finding in assessment.findings] == ["prompt-echo"]


def test_french_is_not_english(workspace):
    quote = ("La Casa Haiku, un exemple de cadeau que ne pas l'aborder dans leur enseignement: "
             "tout les bons muits est peut-être la première bonne équipe qui aime la raison.")

    assessment = assess_quote(quote, "ship", product_words(workspace, "tether-qvac-sdk"))

    assert "babble" in {finding.check for finding in assessment.findings}


def test_words_from_the_product_text_count_as_real(workspace):
    quote = ("Holepunch and QVAC Fabric make the offline story credible for teams that "
             "need private agents on phones and laptops today.")

    assert assess_quote(quote, "ship", product_words(workspace, "tether-qvac-sdk")).passed


def test_a_quality_entry_summarizes_as_the_failed_checks():
    assert summarize(["babble: only 40% ...", "all-caps: a run of 5 ALL-CAPS words"]) == (
        "babble, all-caps")
    assert summarize(None) == ""
