"""The quality gate: what an editor would reject is flagged, honest takes and the reference
page's quotes are not.

The sanity set is the eight quotes of the reference panel page (their verdicts read off its
ship percentages); the babble set is takes the bundled SmolLM2-135M-Instruct really wrote for
the example products (tests/fixtures/quality/babble.json, its "source" says how they were made);
tests/data/quality_labelled.jsonl is the gate's tuning set (benchmarks/quality_bench.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from panelist.quality import (
    GateContext,
    assess_quote,
    assess_take,
    context_for,
    known_words,
    summarize,
)
from panelist.quality.context import profile
from panelist.run.prompts import PromptRenderer
from panelist.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "quality"
LABELLED = Path(__file__).parent / "data" / "quality_labelled.jsonl"
QVAC = "tether-qvac-sdk"
OTHERS = ("Claude Haiku Open Weights", "Gridline CI", "Inkwell Notes")
FACTS = ["One API across modalities, offline once cached.", "Holepunch shares models P2P."]


def load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["takes"]
    return data


def context(workspace: Workspace, slug: str = QVAC, persona: str | None = "dx") -> GateContext:
    """The context the panel builds: product, persona, the catalogue's others, the prompt."""
    product = workspace.load_product(slug)
    chosen = workspace.select_personas([persona])[0] if persona else None
    prompt = ""
    if chosen is not None:
        rendered = PromptRenderer(workspace).render_prompt(product, chosen, None)
        prompt = f"{rendered.system} {rendered.user}"
    return context_for(product, chosen, [n for n in OTHERS if n != product.name], prompt)


def checks(quote: str, verdict: str, gate: GateContext, reasons: list[str] | None = None
           ) -> set[str]:
    assessment = assess_take(quote, FACTS if reasons is None else reasons, verdict, gate)
    return {finding.check for finding in assessment.findings}


REFERENCE = load("reference_quotes.json")
BABBLE = load("babble.json")
GOOD = [row for row in map(json.loads, LABELLED.read_text(encoding="utf-8").splitlines())
        if row["label"] == "good" and row["kind"] != "reference"]
GOOD_CONTEXT = {"tether-qvac-sdk", "claude-haiku-open-weights"}  # the packaged products


@pytest.mark.parametrize("take", REFERENCE, ids=[f"{t['product']}-{t['persona']}"
                                                 for t in REFERENCE])
def test_the_reference_pages_quotes_pass_the_gate(workspace, take):
    gate = context(workspace, take["product"], take["persona"])

    assessment = assess_take(take["quote"], FACTS, take["verdict"], gate)

    assert assessment.passed, assessment.flags


@pytest.mark.parametrize("take", [t for t in GOOD if t["product"] in GOOD_CONTEXT],
                         ids=lambda t: f"{t['kind']}-{t['persona']}")
def test_honest_takes_that_stress_the_gate_pass_it(workspace, take):
    gate = context(workspace, take["product"], take["persona"])

    assessment = assess_take(take["quote"], take["reasons"], take["verdict"], gate)

    assert assessment.passed, assessment.flags


@pytest.mark.parametrize("take", BABBLE, ids=[f"{i}-{t['persona']}" for i, t in enumerate(BABBLE)])
def test_the_bundled_models_babble_fails_the_gate(workspace, take):
    gate = context(workspace, take["product"], take["persona"])

    assert checks(take["quote"], take["verdict"], gate) >= set(take["expect"])


@pytest.mark.parametrize(("quote", "verdict", "check"), [
    ("QVAC runs offline on phones and laptops, and the Holepunch layer shares models peer to "
     "peer without a", "ship", "truncated"),
    ("QVAC runs offline on phones and laptops, and the Holepunch layer shares models peer to "
     "peer, which is the withstanding.T", "ship", "truncated"),
    ('{"verdict": "ship", "quote": "QVAC runs offline on phones and the Holepunch layer '
     'shares models peer to peer."', "ship", "leak"),
    ("**Verdict:** ship. QVAC runs offline on phones, and the Holepunch layer shares models "
     "peer to peer.", "ship", "leak"),
    ("Quote: QVAC runs offline on phones, and the Holepunch layer shares models peer to peer. "
     "Word count: 52", "ship", "leak"),
    ("QVAC runs offline on phones.\\nThe Holepunch layer shares models peer to peer.",
     "ship", "leak"),
    ("```json QVAC runs offline on phones, and Holepunch shares models peer to peer. ```",
     "ship", "leak"),
    ("QVAC runs offline on phones \x1b[1mand Holepunch shares models\x1b[0m peer to peer.",
     "ship", "control-chars"),
    ("QVAC runs offline on phones \u202eand Holepunch shares models\u202c peer to peer.",
     "ship", "control-chars"),
    ("QVAC runs offline on phones and Holepunch shares models peer to peer. #OpenSource "
     "#LocalFirst", "ship", "leak"),
    ("QVAC runs offline on phones \U0001F680 and Holepunch shares models peer to peer.",
     "ship", "leak"),
    ("QVAC runs offline on phones ([docs](https://example.com)) and Holepunch shares models "
     "peer to peer.", "ship", "leak"),
    ("Ship, a real-world AI client: QVAC runs offline on phones and Holepunch shares models "
     "peer to peer.", "ship", "leak"),
    ("As a DX reviewer, I find that QVAC runs offline on phones and that Holepunch shares "
     "models peer to peer.", "ship", "prompt-echo"),
    ("QVAC runs offline on phones and Holepunch shares models peer to peer. Consider QVAC for "
     "any field app that must work without a network.", "ship", "reader-address"),
    ("Sure! Here's my take: QVAC runs offline on phones and Holepunch shares models peer to "
     "peer. Let me know if you'd like changes.", "ship", "chat-wrapper"),
    ("As an AI language model I have no opinions, but QVAC runs offline on phones and "
     "Holepunch shares models peer to peer.", "ship", "chat-wrapper"),
    ("QVAC runs offline on phones and Holepunch shares models peer to peer. Make sure you try "
     "the speech-to-text pipeline before you commit.", "ship", "reader-address"),
    ("QVAC is a fine toolkit and the offline story is strong, but in the end you should not "
     "use the Tether QVAC SDK for production work yet.", "ship", "reader-address"),
    ("QVAC is a fine toolkit and the offline story is strong, but teams should not use it for "
     "production work until the peer-to-peer layer matures.", "ship", "contradiction"),
    ("QVAC's one API for vision, speech and translation offline on Android and iOS is "
     "wonderful, Holepunch is a delight, and it is the best local SDK I have used.", "skip",
     "contradiction"),
    ("This is a solid product that does what it promises. The team clearly cares about its "
     "users, the features feel well thought out, and the experience is smooth.", "ship",
     "filler"),
    ("Gridline CI's test prediction runs the tests a change is likely to break first, and it "
     "learns from each repository's own history.", "ship", "wrong-product"),
    ("Stripe's checkout SDK is a pleasure: webhooks arrive signed, idempotency keys work, and "
     "the Node and Python libraries ship typed responses.", "ship", "wrong-product"),
    ("The numbers speak: 10, 3.25, 4.75, 6.8, 9.9 and 12 across the board, which makes this "
     "release the one to watch for offline agents on phones.", "ship", "number-salad"),
    ("The SDK runs offline on phones and the QVAC FABRIC CORE ENGINE LAYER handles the rest of "
     "the work for teams building private agents.", "ship", "all-caps"),
    ("THIS IS THE SDK I HAVE BEEN WAITING FOR, offline translation on my phone with QVAC.",
     "ship", "all-caps"),
    ("The SDK runs offline on phones and laptops. The SDK runs offline on phones and laptops. "
     "The SDK runs offline on phones and laptops.", "ship", "repetition"),
    ("Blorptastic fremulation of snarfwidget quibbletrons zorbulates the grandifloxed "
     "wumpering of offline agents.", "ship", "babble"),
    ("Offline agents QVAC Holepunch swarm peer device inference cloud model network stack "
     "runtime platform Tether grants reserves payment agent.", "ship", "babble"),
    ("QVAC runs offline on phones and the team has been working tirelessly,evolving,ands the "
     "Holepunch layer shares models peer to peer.", "ship", "babble"),
    ("QVAC runs speech and vision offline on phones through one API, \u5b83\u5728\u624b\u673a"
     "\u4e0a\u79bb\u7ebf\u8fd0\u884c\uff0c\u5bf9\u91ce\u5916\u56e2\u961f\u975e\u5e38"
     "\u6709\u7528, and Holepunch shares the models. Ship.", "ship", "babble"),
    ("QVAC runs speech offline on phones through one API, and Holepunch shares the models; "
     "I'd use it for e.g.", "ship", "truncated"),
    ("Before you decide, count how many field devices you run offline. QVAC runs speech on "
     "Android and iOS through one API.", "ship", "reader-address"),
    ("Okay, writing as the strategist and staying within 55 to 150 words: QVAC runs speech "
     "offline on phones through one API.", "ship", "chat-wrapper"),
    ("QVAC runs speech offline on Android and iOS. Remember, readers: always pilot a new SDK "
     "on one app before the rest.", "ship", "reader-address"),
    ("Honestly, QVAC is more trouble than it's worth: the speech runs offline on phones, but "
     "Holepunch is a second stack and no price is named.", "ship", "contradiction"),
    ("QVAC runs speech offline on Android and iOS through one API, though no price is named. "
     "A confident yes from me.", "skip", "contradiction"),
    ("QVAC runs speech offline on Android and iOS through one API; the catch is that no "
     "price is named, so.", "ship", "truncated"),
    ("QVAC runs speech offline on phones, though no price is named. Field teams should buy "
     "it.", "skip", "contradiction"),
    ("QVAC's one API runs speech offline on phones, though no price is named; once a team's "
     "models are cached it is hard to walk away from. I'd sign.", "skip", "contradiction"),
], ids=["no-closing-stop", "broken-last-word", "json", "bold-label", "quote-label-word-count",
        "escaped-newline", "code-fence", "ansi-escape", "rtl-override", "hashtags", "emoji",
        "markdown-link", "verdict-run-into-the-quote", "as-a-reviewer", "consider-x", "sure-heres",
        "as-an-ai", "make-sure-you", "you-should", "should-not-use-under-ship",
        "praise-under-skip", "filler", "names-another-product", "facts-of-another-product",
        "numbers", "made-up-acronyms", "shouting", "repeats", "made-up-words", "word-heap",
        "words-run-together", "a-sentence-in-another-script",
        "ends-on-e-g", "before-you-decide", "writing-as-within-words", "remember-readers",
        "more-trouble-than-its-worth", "a-confident-yes", "comma-so", "should-buy-it",
        "hard-to-walk-away-from-is-no-skip"])
def test_each_check_names_what_it_found(workspace, quote, verdict, check):
    assert check in checks(quote, verdict, context(workspace))


@pytest.mark.parametrize(("quote", "verdict"), [
    ("The obvious alternative is Ollama, simpler on a laptop. QVAC earns its place on phones: "
     "one API for vision, speech and translation on Android and iOS. I'd ship it for teams "
     "building on phones; for a desktop-only chatbot, skip it.", "ship"),
    ("QVAC is fast to try, yes, and the offline story on Android and iOS is real, but the "
     "Holepunch layer adds complexity most teams do not need, and the paid pricing names no "
     "price. I'd ship it once the pricing is public.", "skip"),
], ids=["ship-for-x-skip-for-y", "ship-once-under-skip"])
def test_a_concession_is_not_a_contradiction(workspace, quote, verdict):
    assert "contradiction" not in checks(quote, verdict, context(workspace))


@pytest.mark.parametrize(("quote", "verdict"), [
    ("QVAC runs vision, speech and translation offline on Android and iOS through one API, and "
     "the Holepunch layer shares models between devices. I'm moving our field app's inference "
     "over this quarter.", "skip"),
    ("One API for speech-to-text, OCR and translation on phones with no network after the "
     "first download. Every field team building on Android should have it.", "skip"),
    ("The pricing says Paid and names no price, the grants are for payment apps, and Holepunch "
     "is one more stack to learn. I'd steer clients elsewhere.", "ship"),
    ("Paid, with no price named. The Holepunch layer is a second protocol stack. Training "
     "swarms are a roadmap item. There is no path here I would bet on.", "ship"),
    ("The pricing names no price and the swarms are a roadmap item. I can't think of a team "
     "I'd send here.", "ship"),
    ("The pricing names no price and Holepunch is a second stack. I'd point my clients at "
     "Ollama instead.", "ship"),
    ("One API for text, vision, OCR, speech and translation on Linux, macOS, Windows, Android "
     "and iOS. Cached models run offline, and Holepunch shares them between "
     "devices.", "skip"),
    ("The pricing names no price and Holepunch is a second stack to audit. Procurement would "
     "reject it in the first meeting, and so would I. No.", "ship"),
    ("Paid with no price named, and swarms are a roadmap item. I'd refuse the purchase order.",
     "ship"),
    ("The pricing names no price and the swarms are a roadmap item. I'd tell them to wait.",
     "ship"),
    ("QVAC runs speech offline on phones through one API, and once a team's models live in "
     "Holepunch they won't move. I'd sign today.", "skip"),
    ("I wouldn't touch this. The pricing names no price, and Holepunch is a second protocol "
     "stack to audit.", "ship"),
    ("The pricing names no price, and nobody on a small field team should adopt a second "
     "protocol stack for offline speech.", "ship"),
    ("One API for speech, OCR and translation offline on phones, though no price is named. "
     "Our CTO would sign this in a heartbeat.", "skip"),
    ("One API for speech, OCR and translation offline on phones, though no price is named. "
     "Easy signature for me.", "skip"),
], ids=["moving-over-under-skip", "should-have-it-under-skip", "steer-elsewhere-under-ship",
        "no-path-to-bet-on-under-ship", "no-team-to-send-under-ship", "point-at-another-instead",
        "a-bare-list-of-features-under-skip", "a-closing-no", "refuse-the-order", "tell-to-wait",
        "their-lock-in-is-no-call-of-mine", "i-wouldnt-touch-it", "nobody-should-adopt",
        "would-sign-this-in-a-heartbeat", "easy-signature"])
def test_what_the_reviewer_will_do_is_their_call(workspace, quote, verdict):
    assert "contradiction" in checks(quote, verdict, context(workspace))


@pytest.mark.parametrize(("quote", "verdict"), [
    ("The pricing names no price, so I'd be paying blind for a fleet of devices. For a field "
     "team on Android it's lovely; for a desktop pipeline, skip.", "skip"),
    ("Until someone independent benchmarks QVAC Fabric against llama.cpp, I wouldn't let it "
     "near production; the offline story on phones is real, but so is the doubt.", "skip"),
    ("I'd keep it out of our main product for now, but QVAC's offline speech-to-text on "
     "Android is the best I have tried, and I'd use it for the field app. Ship.", "ship"),
    ("The pricing names no price and Holepunch is a second stack to learn. That's a sharp edge, "
     "not a fatal one. Ship, and budget a week for the Holepunch layer.", "ship"),
    ("The offline story on phones is real, but the competitor to beat is Ollama, already on "
     "every laptop. Skip, unless you build for Android and iOS.", "skip"),
    ("Field teams won't touch this directly, but the analyst downstream can finally read "
     "the speech data QVAC transcribes offline on phones.", "ship"),
    ("The pricing names no price and Holepunch is a second stack to audit; I'd have kept the "
     "team on llama.cpp.", "skip"),
    ("Offline speech on phones through one API. Procurement would sign it once a price is "
     "published; until then the Holepunch layer is one more stack. Skip for now.", "skip"),
    ("QVAC's one API runs speech offline on phones, and I'd recommend it to any field team. "
     "Holepunch is one more stack with no company price. Worth using, hard to bet on; skip as a "
     "strategic call.", "skip"),
], ids=["paying-is-a-cost-not-an-intent", "until-is-still-a-skip", "both-sides-said",
        "ship-comma-and", "skip-comma-unless", "someone-elses-refusal",
        "a-counterfactual-is-no-intent", "would-sign-it-once", "skip-after-a-semicolon"])
def test_an_intent_read_in_its_clause_is_not_a_false_call(workspace, quote, verdict):
    assert "contradiction" not in checks(quote, verdict, context(workspace))


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("QVAC runs vision and speech offline on phones, and we've created a product that brings "
     "the Holepunch layer to every team that needs it.", [], "maker-voice"),
    ("QVAC's Holepunch layer shares models peer to peer, and the SDK was announced on January "
     "25th, 2019 by its founders.", [], "unsupported-fact"),
    ("QVAC is led by CEO Martin Okafor, and its Holepunch layer shares models peer to peer on "
     "Android and iOS.", [], "unsupported-fact"),
    ("QVAC Fabric is priced at $15 per month for offline speech and vision on phones, with "
     "Holepunch sharing models peer to peer.", [], "unsupported-fact"),
    ("QVAC runs vision and speech offline on phones, and Holepunch shares models peer to peer.",
     ["64% of users leave a negative review", "offline on phones"], "unsupported-fact"),
    ("The brand of brands is the brand, the SDK of SDKs is the SDK, and the phones of phones "
     "run the SDK of the brand on the phones of the brand.", [], "repetition"),
    ("QVAC runs vision and speech offline on phones, and Holepunch shares models peer to peer.",
     ["Is it really the right time, and who can truly say?", "offline on phones"], "filler"),
], ids=["we-created", "invented-date", "invented-ceo", "invented-price",
        "invented-figure-in-reasons", "circling-stems", "a-question-for-a-reason"])
def test_what_a_small_model_invents_is_flagged(workspace, quote, reasons, check):
    assert check in checks(quote, "ship", context(workspace), reasons or None)


@pytest.mark.parametrize(("quote", "reasons"), [
    ("A field team of 40 on Android pays nothing for QVAC, an open-source SDK; against $2,000 a "
     "month of cloud speech calls, offline inference on phones is the saving.",
     ["$2,000 a month of cloud calls saved", "team of 40"]),
    ("A reporter asks which interviews she recorded this March, on a phone with no signal; QVAC's "
     "offline speech-to-text answers on the device.", ["offline speech-to-text"]),
], ids=["customer-spend-and-derived-figures", "a-scene-with-a-month"])
def test_a_scene_or_a_sum_is_not_an_invented_fact(workspace, quote, reasons):
    assert "unsupported-fact" not in checks(quote, "ship", context(workspace), reasons)


BRINDLE = GateContext("Brindle", "Brindle\nBookkeeping for UK sole traders.\nPaid\nBrindle "
                      "files VAT returns from bank feeds. Solo is \u00a312 a month and Practice "
                      "is \u00a340 a month per client.")


@pytest.mark.parametrize(("price", "invented"), [
    ("$24 a month", True), ("\u00a324 a month", False), ("\u00a312 a month", False),
    ("$40 per client", True), ("\u00a340 per client", False)],
    ids=["twice-its-price-in-dollars", "twice-its-price-in-pounds", "its-price",
         "a-price-of-any-unit-in-dollars", "a-price-of-any-unit-in-pounds"])
def test_a_price_in_a_currency_the_description_never_prices_in_is_invented(price, invented):
    quote = (f"Brindle files VAT returns from bank feeds, and at {price} for two sole traders "
             f"it is cheap next to an accountant.")
    assert ("unsupported-fact" in checks(quote, "ship", BRINDLE, ["VAT returns"])) is invented


@pytest.mark.parametrize(("quote", "reasons"), [
    ("Brindle files VAT returns from bank feeds at \u00a312 a month, so a sole trader writing "
     "off more than \u00a3300 a year in missed claims breaks even.", ["VAT returns"]),
    ("Brindle files VAT returns from bank feeds: \u00a312 a month for Solo plus \u00a340 for "
     "a client on Practice.", ["about \u00a352 all in", "VAT returns"]),
], ids=["money-written-off", "a-sum-of-its-prices"])
def test_money_lost_and_sums_are_not_invented(quote, reasons):
    assert "unsupported-fact" not in checks(quote, "ship", BRINDLE, reasons)


@pytest.mark.parametrize(("reason", "shown"), [
    ("Runs on 3 billion phones", "they cite 3,000,000,000,"),
    ("Shipping since 2014", "they cite 2014,")], ids=["a-big-figure", "a-year"])
def test_a_figure_the_reasons_invent_is_shown_as_a_reader_writes_it(workspace, reason, shown):
    quote = "QVAC runs speech and vision offline on Android and iOS through one API. Ship."
    findings = assess_take(quote, [reason], "ship", context(workspace)).flags
    assert any(shown in finding for finding in findings), findings


def test_reasons_of_stock_praise_alone_are_filler(workspace):
    quote = "QVAC runs speech and vision offline on Android and iOS through one API. Ship."
    assert "filler" in checks(quote, "ship", context(workspace),
                              ["strong product", "good strategy", "promising future"])


def test_a_brief_echoed_back_is_an_echo_even_paraphrased(workspace):
    quote = ("As a professional doubter I read launch copy like a contract: open by naming "
             "what this competes with, find the breaking scenario where a concrete person hits "
             "a wall, and point at the gap instead of filling it with invented facts.")

    assert "prompt-echo" in checks(quote, "skip", context(workspace, persona="skeptic"))


def test_a_quote_that_copies_its_prompt_is_an_echo(workspace):
    quote = ("Lens: Developer experience: the core primitive, the friction between download "
             "and first working call, and whether it drops cleanly into the stacks.")

    assert "prompt-echo" in checks(quote, "ship", context(workspace, persona="dx"))


def test_reasons_that_argue_the_other_call_contradict_the_verdict(workspace):
    quote = ("QVAC runs speech and vision offline on Android and iOS through one API, and "
             "Holepunch shares models between devices. Ship.")
    assert "contradiction" in checks(quote, "ship", context(workspace),
                                     ["Not worth adopting before 1.0", "Too risky to build on"])


def test_a_condition_on_the_reader_is_not_the_brief(workspace):
    quote = ("QVAC runs speech offline on Android and iOS, but there is no desktop GPU path. "
             "Skip unless you are a team shipping field apps on phones.")
    assert "prompt-echo" not in checks(quote, "skip", context(workspace))


def test_reasons_that_circle_by_two_signs_are_repetition(workspace):
    """A word doubled, or one defined by itself, is a slip alone; the two together circle."""
    quote = ("QVAC runs speech and vision offline on Android and iOS through one API, and "
             "Holepunch shares models between devices. Ship.")
    circling = ["speech the offline the speech offline", "model models of the phones phones"]
    assert "repetition" in checks(quote, "ship", context(workspace), circling)
    assert "repetition" not in checks(quote, "ship", context(workspace),
                                      ["offline speech on phones", "model models"])


def test_the_reasons_are_checked_too(workspace):
    quote = ("QVAC puts text, vision, speech and translation behind one API that runs offline "
             "on Linux, macOS, Windows, Android and iOS, built on a fork of llama.cpp.")

    assessment = assess_take(quote, ["reasons:1023859476", "reasons:1023859477"], "ship",
                             context(workspace))

    assert assessment.flags and all("in the reasons" in flag for flag in assessment.flags)


@pytest.mark.parametrize("verdict", ["Ship", " SKIP ", "ship"], ids=["capital", "padded", "lower"])
def test_a_verdict_in_any_case_is_a_verdict(workspace, verdict):
    quote = ("QVAC runs offline on phones and laptops, and the Holepunch layer shares models "
             "peer to peer, which suits field work with no network.")

    assert assess_take(quote, FACTS, verdict, context(workspace)).passed


@pytest.mark.parametrize("verdict", ["", "maybe"], ids=["empty", "neither"])
def test_a_missing_verdict_is_a_finding_not_a_crash(workspace, verdict):
    assert "verdict" in checks("QVAC runs offline on phones.", verdict, context(workspace))


def test_one_long_all_caps_token_is_flagged(workspace):
    assert "all-caps" in checks("A" * 100_000, "ship", context(workspace))


def test_french_is_not_english(workspace):
    quote = ("La Casa Haiku, un exemple de cadeau que ne pas l'aborder dans leur enseignement: "
             "tout les bons muits est peut-être la première bonne équipe qui aime la raison.")

    assert "babble" in checks(quote, "ship", context(workspace))


def test_the_context_holds_the_brief_and_only_the_other_products(workspace):
    product = workspace.load_product(QVAC)
    skeptic = workspace.select_personas(["skeptic"])[0]

    gate = context_for(product, skeptic, ["Tether QVAC SDK", "Gridline CI"])

    said = {"QVAC", "Tether", "Gridline", "gridline"}
    assert [name for name, _ in profile(gate).other_names.named_in(said, "")] == ["Gridline CI"]
    assert skeptic.brief in gate.brief and skeptic.lens in gate.brief
    assert "Holepunch" in gate.product_text and gate.product_name == "Tether QVAC SDK"


def test_assess_quote_still_judges_a_quote_against_known_words(workspace):
    product = workspace.load_product(QVAC)
    known = known_words([product.name, product.tagline, product.description])
    quote = ("Holepunch and QVAC Fabric make the offline story credible for teams that need "
             "private agents on phones and laptops today.")

    assert assess_quote(quote, "ship", known).passed


def test_a_quality_entry_summarizes_as_the_failed_checks():
    assert summarize(["babble: only 40% ...", "all-caps: a run of 5 ALL-CAPS words"]) == (
        "babble, all-caps")
    assert summarize(None) == ""


def test_a_rival_of_the_catalogue_named_beside_this_products_facts_is_a_comparison(workspace):
    quote = ("Unlike the research-only Claude Haiku Open Weights, this SDK is open source and runs "
             "offline on Android and iOS, with speech, vision and translation behind one API.")

    assert "wrong-product" not in checks(quote, "ship", context(workspace))


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("The payer would be our platform team, and QVAC's offline speech on Android and iOS costs "
     "it nothing per call.", ["offline speech"], "maker-voice"),
    ("QVAC runs speech and vision offline on phones; a published price for the paid tier would "
     "change my answer.", ["no price named"], "chat-wrapper"),
    ("QVAC runs speech and vision offline on Android and iOS. Install it on a test phone "
     "tonight; it costs nothing to try.", ["offline on phones"], "reader-address"),
    ("QVAC runs speech and vision offline on Android and iOS through one API.",
     ["One API: text, vision, speech", "offline on phones"], "leak"),
    ("If you are not on Android or iOS, QVAC's one API across modalities buys you nothing; "
     "on phones it runs offline once cached.", ["offline on phones"], "prompt-echo"),
    ("QVAC runs speech and vision offline on phones. Skip it unless you only need to call a "
     "cloud API from a server.", ["offline on phones"], "reader-address"),
    ("The thesis is that free AI assistants on phones win when they run offline, and QVAC's "
     "one API across modalities is built for that.", ["offline on phones"], "chat-wrapper"),
    ("QVAC's one API across modalities runs offline once cached, on Android and iOS.",
     ["offline, not 100% of the time", "one API"], "unsupported-fact"),
    ("QVAC runs offline on phones, and a model call is one line: `qvac.load(MODEL_ID)` then "
     "`llm.generate(PROMPT, MAX_TOKENS)`, with `TEXT` and `IMAGE` in one API.",
     ["one API"], "all-caps"),
], ids=["our-platform-team", "change-my-answer", "install-it-tonight", "a-labelled-note",
        "if-you-are-not", "unless-you-only-need-to", "ai-assistants-as-a-market",
        "not-100-percent", "capitals-in-backticks"])
def test_a_reviewers_own_phrasing_is_not_a_wrapper(workspace, quote, reasons, check):
    assert check not in checks(quote, "ship", context(workspace), reasons)


def test_a_take_about_a_rival_the_description_never_names_is_the_wrong_product(workspace):
    quote = ("Cactus's on-device runtime is the whole pitch here: load a model, call one function "
             "and get tokens back on a phone with no network. It's the smoothest mobile inference "
             "kit I've used. Teams shipping offline apps should start with Cactus today.")
    assert "wrong-product" in checks(quote, "ship", context(workspace), ["offline on phones"])
    named = quote.replace("Teams shipping", "QVAC is the slower of the two; teams shipping")
    assert "wrong-product" not in checks(named, "ship", context(workspace), ["offline on phones"])


def test_words_doubled_back_to_back_are_babble_once_is_a_typo(workspace):
    quote = "QVAC runs speech and vision offline on Android and iOS through one API."
    salad = ["offline the the session vision vision phone", "Holepunch shares models"]
    assert "repetition" in checks(quote, "ship", context(workspace), salad)
    typo = ["offline the the phone", "Holepunch shares models"]
    assert "repetition" not in checks(quote, "ship", context(workspace), typo)


def test_two_modals_or_two_of_before_after_during_are_not_english(workspace):
    quote = ("QVAC runs offline on Android and iOS, and the SDK may might change before after "
             "during the roadmap, with vision and speech through one API for every phone.")
    assert "babble" in checks(quote, "ship", context(workspace))
