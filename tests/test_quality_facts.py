"""Facts the gate checks against the product's description: a price with its unit or named as
one ("a $20 fee"), a version."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from panelist.quality import GateContext, assess_take
from panelist.quality.calls import read_calls

GREENLIGHT = GateContext("Greenlight", "Greenlight\nA CI agent that fixes failing builds.\nPaid\n"
                         "Greenlight reads a failing build and opens a pull request with a fix. "
                         "Team is $29 per seat a month with 200 fix attempts, then $0.40 each.")


@pytest.mark.parametrize(("quote", "invented"), [
    ("Greenlight's pricing is gentle: $15 per developer a month for private repositories.", True),
    ("Greenlight bills $99 per clinician, which our practice manager signs off.", True),
    ("Greenlight at $29 per seat for five of us is $145 a month; fix attempts at $0.40 each.",
     False),
    ("A team spending $4,000 a month on CI minutes gets Greenlight's fixes for $29 per seat.",
     False),
    ("Greenlight's founders' discount is half price, $14.50 per seat, for the first year.", False),
    ("Greenlight comes with a $25 setup fee to share its fixes.", True),
    ("Greenlight's $29 plan gives 200 fix attempts a month.", False),
], ids=["a-price-no-multiple-of-0.40-explains", "another-products-price", "seats-times-price",
        "the-readers-own-spend", "half-price", "a-fee-named-without-a-unit", "the-plans-price"])
def test_a_price_with_its_unit_must_be_the_descriptions_or_its_arithmetic(quote, invented):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("unsupported-fact") for f in findings) is invented, findings



@pytest.mark.parametrize(("quote", "invented"), [
    ("Greenlight Version 2.1 has a stable API and fixes failing builds on GitHub.", True),
    ("Greenlight fixes failing builds; the version number is not given anywhere.", False),
], ids=["a-version-the-description-never-gives", "no-version"])
def test_a_version_must_be_the_descriptions(quote, invented):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("unsupported-fact") for f in findings) is invented, findings


@pytest.mark.parametrize(("quote", "reasons", "verdict", "check"), [
    ("Greenlight at $0.40 a fix means a thousand fixes cost $400, easy to model against a seat.",
     ["$400 per 1,000 fixes", "Fixes failing builds"], "ship", "unsupported-fact"),
    ("Greenlight's 200 fix attempts run out fast, and the overage adds up in December.",
     ["Seasonal overage", "Fixes failing builds"], "skip", "unsupported-fact"),
    ("Greenlight fixes failing builds and opens a pull request for each, at $29 per seat.",
     ["Up to 20 repos", "Between 1 and 10 retries"], "ship", "number-salad"),
    ("Greenlight fixes failing builds, and the seat price is fair. As a maintainer I'd use it "
     "happily; as a recommendation to every team, I'll skip.", ["Fixes failing builds"], "skip",
     "contradiction"),
], ids=["a-thousand-is-1000", "a-season-is-not-a-date", "a-range-is-not-salad",
        "ill-skip-is-a-call"])
def test_what_a_reviewer_writes_is_not_taken_for_invention(quote, reasons, verdict, check):
    findings = assess_take(quote, reasons, verdict, GREENLIGHT).findings
    assert check not in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("Greenlight fixes failing builds. Het draait op een laptop tot ongeveer vijftig builds, en "
     "daarboven heb je meer nodig. Ship.", ["Fixes failing builds"], "babble"),
    ("Okay, so, thinking about this from the builder's side: Greenlight fixes failing builds "
     "at $29 per seat.", ["Fixes failing builds"], "chat-wrapper"),
    ("Greenlight fixes failing builds at $29 per seat. Reader: before deciding, run a pilot "
     "yourself.", ["Fixes failing builds"], "reader-address"),
    ("Greenlight fixes failing builds at $29 per seat, with 200 fix attempts.",
     ["Reason 1 (cost): state the price", "Remember to end with the signal"], "leak"),
    ("Greenlight fixes failing builds at $29 per seat, with 200 fix attempts.",
     ["Fixes failing builds", "Remember to end with the signal to watch"], "reader-address"),
], ids=["a-dutch-sentence", "thinking-aloud", "reader-colon", "a-numbered-reason-label",
        "an-order-in-the-reasons"])
def test_what_an_editor_rejects_from_set_m(quote, reasons, check):
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).findings
    assert check in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "verdict", "check"), [
    ("Greenlight found the #REF! errors in our build sheet and fixed them at $29 per seat.",
     "ship", "leak"),
    ("Greenlight fixed a scanned 1990s build script at $29 per seat; I'd ship it.", "ship",
     "unsupported-fact"),
], ids=["an-excel-error-is-no-hashtag", "a-decade-is-no-date"])
def test_what_an_editor_publishes_from_set_m(quote, verdict, check):
    findings = assess_take(quote, ["Fixes failing builds"], verdict, GREENLIGHT).findings
    assert check not in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "verdict"), [
    ("I love this. Greenlight fixed our failing builds at $29 per seat, and I can't wait to see "
     "every team use it.", "skip"),
    ("Greenlight is $29 per seat and only fixes dependency pins. I'd keep walking, honestly.",
     "ship"),
], ids=["cant-wait-under-skip", "keep-walking-under-ship"])
def test_what_a_reviewer_says_they_will_do_is_their_call(quote, verdict):
    findings = assess_take(quote, ["Fixes failing builds"], verdict, GREENLIGHT).findings
    assert "contradiction" in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "check"), [
    ("Imagine search that searches the way you imagine, where the plan that plans your builds "
     "is Greenlight's, at $29 per seat.", "repetition"),
    ("Before you read this review, install Greenlight and break a build; it fixes failing "
     "builds at $29 per seat.", "reader-address"),
], ids=["words-defined-by-themselves", "before-you-read-this"])
def test_what_an_editor_rejects_from_set_h(quote, check):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert check in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "reasons", "verdict", "check"), [
    ("Greenlight fixes failing builds at $29 per seat, but not on Bitbucket. Until there is, "
     "it's a skip for me; GitHub teams should try it.", ["No Bitbucket"], "skip", "contradiction"),
    ("Greenlight fixes failing builds at $29 per seat, but my job is monorepo builds, which it "
     "cannot split. For monorepos, skip.", ["No monorepo split"], "skip", "prompt-echo"),
    ("Greenlight fixes failing builds at $29 per seat.", ["Built on llama.cpp"], "ship",
     "truncated"),
], ids=["its-a-skip-for-me", "my-job-is-the-readers-work", "a-names-extension"])
def test_what_an_editor_publishes_from_set_n(quote, reasons, verdict, check):
    findings = assess_take(quote, reasons, verdict, GREENLIGHT).findings
    assert check not in {finding.check for finding in findings}


def test_certainly_below_is_the_personas_verdict_is_a_wrapper():
    quote = ("Certainly. Below is the Builder persona's verdict on Greenlight: it fixes failing "
             "builds at $29 per seat.")
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert "chat-wrapper" in {finding.check for finding in findings}


def test_a_closing_not_this_one_is_a_skip():
    quote = ("Greenlight is $29 per seat and needs 16 GB of memory that a small team's runners do "
             "not have. Not this one.")
    findings = assess_take(quote, ["Hardware"], "ship", GREENLIGHT).findings
    assert "contradiction" in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "verdict"), [
    ("Absolutely not. Greenlight's $29 per seat buys fixes for dependency pins that a free bot "
     "already makes. Send this one back to the vendor.", "ship"),
    ("Greenlight fixes failing builds at $29 per seat, and nothing leaves our runners. Yes, yes "
     "and yes: roll it out.", "skip"),
    ("Greenlight only fixes pins, and the 200 attempts run out in a week. I wouldn't put this in "
     "our pipeline yet.", "ship"),
    ("Greenlight's $29 per seat is the floor, and the attempts cost extra. I'd struggle to get "
     "this signed; the sensible move is to watch rather than commit.", "ship"),
    ("A maintainer with ten red builds a night gets them fixed while she sleeps, at $29 per "
     "seat. This is the tool I'd hand every maintainer I know.", "skip"),
], ids=["absolutely-not", "roll-it-out", "wouldnt-put-this-in", "watch-rather-than-commit",
        "id-hand-it-to-every"])
def test_what_a_reviewer_will_do_from_set_p(quote, verdict):
    findings = assess_take(quote, ["Fixes failing builds"], verdict, GREENLIGHT).findings
    assert "contradiction" in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "verdict", "check"), [
    ("Greenlight doesn't host your code and doesn't run on Bitbucket; it fixes failing builds on "
     "GitHub at $29 per seat. Ship.", "ship", "contradiction"),
    ("Greenlight 0.9 fixes failing builds at $29 per seat.", "ship", "unsupported-fact"),
], ids=["a-fact-about-what-it-does-not-do", "a-version-the-description-gives"])
def test_what_an_editor_publishes_from_set_p(quote, verdict, check):
    context = GateContext("Greenlight", GREENLIGHT.product_text + " The API is at 0.9.")
    findings = assess_take(quote.replace("Greenlight 0.9", "Greenlight Version 0.9"),
                           ["Fixes failing builds"], verdict, context).findings
    assert check not in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "foreign"), [
    ("Прямой конкурент Greenlight — обычные скрипты GitHub Actions: бесплатные и предсказуемые. "
     "За $29 в месяц я бы не стал.", True),  # noqa: RUF001 (Russian, on purpose)
    ("Greenlight fixes failing builds at $29 per seat; our Zürich and São Paulo teams, and the "
     "東京 office, all run the same GitHub pipeline.", False),
], ids=["russian-naming-english-products", "accents-and-a-city-in-kanji"])
def test_a_quote_in_another_script_is_not_english(quote, foreign):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any("another script" in f for f in findings) is foreign, findings


@pytest.mark.parametrize("quote", [
    "Greenlight only runs on GitHub, and the runners I ship to are Bitbucket's.",
    "I can't think of a kinder gift to a team drowning in red builds.",
    "I don't think the trade is worth it, however well made the fixes are.",
    "I'd bet on the runner with more maintainers.",
    "I'd put it against GitHub's own agent, which is free.",
    "I'd keep a close eye on GitHub's roadmap.",
    "The price is not a reason to stay away.",
    "Any team can walk away with its logs.",
    "It is macOS only, which I'll hold against it.",
    "A tool at $29 a seat has to earn its place every month.",
    "I'd make that point to any engineering manager.",
    "I'd rather keep the weekly dependency review.",
], ids=["the-runners-i-ship-to", "cant-think-of-a-kinder-gift", "dont-think-its-worth-it",
        "bet-on-the-one-with", "put-it-against", "keep-a-close-eye", "not-a-reason-to-stay-away",
        "walk-away-with", "hold-against-it", "has-to-earn-its-place", "make-that-point",
        "rather-keep"])
def test_where_a_reviewer_ships_and_what_they_praise_are_not_calls(quote):
    assert read_calls(quote) == ({"ship": [], "skip": []}, set())


def test_a_skip_with_no_word_of_doubt_is_heard_against_the_learned_reading():
    """A skip may argue from where a market goes: flagged as giving no reason only when the
    learned reading hears ship too."""
    market = ("What has to be true here is that a standalone fixer keeps its place inside "
              "GitHub's house. GitHub owns the runner, the logs and the pull request, and every "
              "team that standardises on Greenlight at $29 per seat is betting GitHub keeps the "
              "door open. I expect the door to narrow as GitHub's own agent matures.")
    praise = ("Greenlight fixes failing builds while the team sleeps, at $29 per seat, and the "
              "pull requests it opens are small, tested and easy to review.")
    flagged = {quote: "contradiction" in {f.check for f in assess_take(
        quote, ["Fixes failing builds"], "skip", GREENLIGHT).findings}
        for quote in (market, praise)}
    assert flagged == {market: False, praise: True}


@pytest.mark.parametrize(("reason", "cut"), [
    ("Citations make it easy to", True),
    ("Handoff with a summary when confidence is", True),
    ("JUnit XML output for", True),
    ("Sign-in built in", False),
    ("Clear tiers from $15 to $99", False),
], ids=["easy-to", "confidence-is", "output-for", "built-in", "a-range-of-prices"])
def test_a_reason_cut_after_a_word_that_needs_more_is_truncated(reason, cut):
    findings = assess_take("Greenlight fixes failing builds at $29 per seat.", [reason], "ship",
                           GREENLIGHT).flags
    assert any(f.startswith("truncated") for f in findings) is cut, findings


def test_a_name_that_does_something_in_its_sentence_is_what_the_take_reviews():
    context = GateContext("Greenlight", GREENLIGHT.product_text, ("Nitpick", "Keelson"))
    quote = ("Picture a bootcamp graduate's first pull request. Before a maintainer sighs at a "
             "failing build, Nitpick has pointed out the fix and opened a pull request with it, "
             "at $29 per seat.")
    findings = assess_take(quote, ["Fixes failing builds"], "ship", context).flags
    assert any(f.startswith("wrong-product") and "Nitpick" in f for f in findings), findings


@pytest.mark.parametrize(("reasons", "stock"), [
    (["Worth a look", "Solid choice overall", "Fixes failing builds"], True),
    (["It has pros and cons", "Not for everyone"], True),
    (["Good product", "$29 per seat", "Opens pull requests"], False),
    (["Fixes failing builds", "200 attempts a month"], False),
], ids=["two-of-three-stock", "all-stock", "one-stock-beside-facts", "facts"])
def test_reasons_that_are_stock_phrases_are_filler(reasons, stock):
    quote = "Greenlight fixes failing builds at $29 per seat, with 200 attempts a month."
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).flags
    assert any("stock phrases" in f for f in findings) is stock, findings


@pytest.mark.parametrize(("quote", "check"), [
    ("Keeping to the numbers in the description as instructed, Greenlight is $29 per seat and "
     "fixes failing builds.", "chat-wrapper"),
    ("Greenlight fixes failing builds at $29 per seat. If useful, I can also draft the "
     "skeptic's view for contrast.", "chat-wrapper"),
    ("Greenlight fixes failing builds at $29 per seat. Is there anything else I can help you "
     "with?", "chat-wrapper"),
    ("Before you decide on Greenlight, do the following: break a build, wait for the fix, and "
     "compare it with the $29 per seat.", "reader-address"),
], ids=["as-instructed", "i-can-also-draft", "anything-else-i-can-help", "do-the-following"])
def test_an_assistant_offering_more_or_giving_steps_is_not_a_reviewer(quote, check):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert check in {finding.check for finding in findings}


@pytest.mark.parametrize("quote", [
    "Greenlight is the fix a team buys at $29 per seat without thinking about it.",
    "GitHub has the runner and the logs. Here is the failure: a red build at 2am that Greenlight "
    "fixes by pinning a dependency nobody reviews, at $29 per seat.",
    "Consider a team with ten red builds a night: Greenlight fixes them at $29 per seat.",
    "Greenlight fixes failing builds at $29 per seat, but a grant form's word limits are not "
    "something it knows about.",
], ids=["without-thinking-about-it", "here-is-the-failure", "consider-a-team", "word-limits"])
def test_a_reviewers_devices_are_not_an_assistants(quote):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert not {"chat-wrapper", "reader-address"} & {finding.check for finding in findings}


def test_reasons_that_call_the_other_side_contradict_the_verdict():
    quote = "Greenlight fixes failing builds at $29 per seat, and the pull requests are small."
    reasons = ["Nobody should adopt this", "Too costly to run, skip", "Not worth the time"]
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).flags
    assert any(f.startswith("contradiction") and "reasons" in f for f in findings), findings


@pytest.mark.parametrize(("reasons", "elsewhere"), [
    (["Premiere Pro XML handoff", "720p watermark on the free tier"], True),
    (["Only Zendesk, Intercom and Freshdesk", "Refunds over $50 need approval"], True),
    (["Fixes failing builds", "Bitbucket and GitLab teams are left out"], False),
    (["Cheaper than CircleCI's $15 credits", "Pull requests"], False),
], ids=["a-video-apps-reasons", "a-helpdesks-reasons", "facts-and-gaps", "a-rival-beside-facts"])
def test_reasons_about_another_product_are_the_wrong_product(reasons, elsewhere):
    quote = "Greenlight fixes failing builds at $29 per seat and opens small pull requests."
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).flags
    assert any(f.startswith("wrong-product") for f in findings) is elsewhere, findings


@pytest.mark.parametrize("quote", [
    "Take it out of beta or halve the price and I'd sign.",
    "Give me one documented failure prevented and I'll build the case.",
], ids=["halve-the-price-and-id-sign", "give-me-and-ill-build"])
def test_a_call_a_demand_would_earn_is_a_condition(quote):
    assert read_calls(quote) == ({"ship": [], "skip": []}, {"ship"})


@pytest.mark.parametrize(("quote", "wrong"), [
    ("Buildkite has become the default for build farms, and I can see why: its agents cover "
     "every runner a team owns, and its pipelines live in the repository.", True),
    ("DeepL's bet is that quality, not breadth, wins business customers, and its glossary made "
     "it the default for legal teams.", True),
    ("Against CircleCI, the difference is that a failing build gets a pull request with the fix, "
     "at $29 per seat with 200 fix attempts.", False),
], ids=["a-rival-as-the-subject", "a-rivals-bet", "a-rival-set-against"])
def test_a_take_that_opens_on_another_name_and_never_names_this_one(quote, wrong):
    findings = assess_take(quote, ["Builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("wrong-product") for f in findings) is wrong, findings


@pytest.mark.parametrize(("quote", "verdict", "calls"), [
    ("Sites on GitHub Enterprise should try it; the rest of us should wait.", "skip",
     ({"ship": [], "skip": []}, {"ship"})),
    ("Every team on GitHub should try it.", "ship", ({"ship": ["should try it"], "skip": []},
                                                    set())),
    ("For a team on GitHub, yes. For me, not yet.", "skip",
     ({"ship": [], "skip": ["For me, not yet."]}, set())),
    ("I'm skipping for our monorepo.", "skip", ({"ship": [], "skip": ["I'm skipping"]}, set())),
], ids=["some-readers-should-try-it", "every-team-should", "for-me-not-yet", "im-skipping"])
def test_who_a_call_is_for(quote, verdict, calls):
    assert read_calls(quote) == calls


@pytest.mark.parametrize(("quote", "reasons"), [
    ("Greenlight's team plan at $29 per seat fixes 200 builds a month, about $0.15 a fix.",
     ["$29 per seat"]),
    ("Greenlight fixes 82% of pinned-dependency failures at $29 per seat.",
     ["82% fixed, 18% not"]),
], ids=["a-price-shared-by-a-given-count", "the-rest-of-a-percentage"])
def test_arithmetic_on_the_descriptions_figures_is_not_invention(quote, reasons):
    context = GateContext("Greenlight", GREENLIGHT.product_text + " It fixes 82% of pins.")
    findings = assess_take(quote, reasons, "ship", context).flags
    assert not any(f.startswith("unsupported-fact") for f in findings), findings


@pytest.mark.parametrize(("quote", "check"), [
    ("Greenlight fixes failing builds at $29 per seat. I'd ship it for teams that already.",
     "truncated"),
    ("Greenlight fixes failing builds at $29 per seat. I'd ship it, and the first project is.",
     "truncated"),
    ("Greenlight fixes failing builds at $29 per seat. (Closing with my call, as the buyer's "
     "brief requires.)", "chat-wrapper"),
    ("Greenlight fixes failing builds at $29 per seat. To get started, click the trial button "
     "below and enter your card details.", "chat-wrapper"),
    ("I should state the thesis in one sentence: Greenlight fixes failing builds at $29 per "
     "seat.", "prompt-echo"),
], ids=["that-already", "the-first-project-is", "as-the-brief-requires", "click-the-button",
        "i-should-state-the-thesis"])
def test_what_an_editor_rejects_from_sets_u_v_w(quote, check):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert check in {finding.check for finding in findings}


def test_the_briefs_instructions_as_reasons_are_not_a_reviewers_notes():
    quote = "Greenlight fixes failing builds at $29 per seat."
    findings = assess_take(quote, ["Open by naming what this competes with", "$29 per seat"],
                           "ship", GREENLIGHT).flags
    assert any(f.startswith("reader-address") for f in findings), findings


@pytest.mark.parametrize("quote", [
    "Greenlight fixes failing builds at $29 per seat, because that's where the next budget is.",
    "Greenlight fixes failing builds at $29 per seat. Give it Bitbucket and I'd look again.",
], ids=["where-the-next-budget-is", "give-it-and-id-look-again"])
def test_a_reviewers_endings_and_conditions_stand(quote):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert not {"truncated", "reader-address"} & {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "verdict"), [
    ("GitHub Actions and CircleCI both do this. Here is the team who breaks Greenlight: a "
     "monorepo at $29 per seat whose builds fail in three places at once.", "skip"),
    ("Greenlight is $29 per seat. I'd use it on a side project, but I wouldn't put a budget line "
     "behind it until the attempts run past 200.", "skip"),
    ("Greenlight fixes failing builds at $29 per seat. I'd want a monthly option for small teams "
     "before I'd sign.", "skip"),
    ("Greenlight fixes failing builds at $29 per seat, and a demo that says 'string string' "
     "is exactly what it fixes.", "ship"),
    ("Greenlight keeps word counts honest in its changelogs at $29 per seat.", "ship"),
    ("Greenlight is $29 per seat; if it stays small, someone else commercialises the idea.",
     "ship"),
], ids=["here-is-the-team-who", "on-a-side-project", "before-id-sign", "a-quoted-phrase",
        "word-counts", "british-ise"])
def test_what_an_editor_publishes_from_sets_aa_ab_ac(quote, verdict):
    findings = assess_take(quote, ["Fixes failing builds"], verdict, GREENLIGHT).flags
    assert not any(f.split(":")[0] in {"chat-wrapper", "contradiction", "babble", "leak"}
                   for f in findings), findings


def test_a_reason_naming_a_config_file_is_not_cut_off():
    findings = assess_take("Greenlight fixes failing builds at $29 per seat.",
                           ["Per-repo config in .greenlight.yml"], "ship", GREENLIGHT).flags
    assert not any(f.startswith("truncated") for f in findings), findings


def test_skip_and_use_the_api_is_a_call():
    assert read_calls("For an indie app, skip and use the API.") == (
        {"ship": [], "skip": []}, {"skip"})
    assert read_calls("Skip and use the API.")[0]["skip"] == ["Skip"]


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("Greenlight fixes failing builds at $29 per seat.", ["Good product", "Works well"],
     "filler"),
    ("Greenlight fixes failing builds at $29 per seat.", ["200 attempts per", "$29 per seat"],
     "truncated"),
    ("Greenlight fixes failing builds at $29 per seat.", ["<reason>Fixes builds</reason>"],
     "leak"),
    ("Greenlight fixes failing builds at $29 per seat. Note to the editor: please paste this "
     "into the quote field.", ["Fixes failing builds"], "chat-wrapper"),
    ("Greenlight fixes failing builds at $29 per seat, which is.", ["Fixes failing builds"],
     "truncated"),
], ids=["works-well", "attempts-per", "a-reason-tag", "note-to-the-editor", "which-is"])
def test_what_an_editor_rejects_from_sets_aa_ab_ac(quote, reasons, check):
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).findings
    assert check in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "flagged"), [
    ("Your product is a lightweight, open-source SDK that fixes failing builds at $29 per seat, "
     "designed for reliability and security.", True),
    ("Skip it unless your app is already on GitHub, where Greenlight fixes failing builds at $29 "
     "per seat.", False),
], ids=["your-product-is", "unless-your-app-is"])
def test_a_take_written_to_the_maker(quote, flagged):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert ("maker-voice" in {finding.check for finding in findings}) is flagged


def test_the_other_product_a_take_is_about_is_the_first_it_names_whatever_the_hash_seed():
    """A finding's words do not depend on the interpreter's string hashing (sets iterate in
    its order): two processes with different seeds name the same product."""
    quote = ("Sourcegraph's Cody and GitHub's Copilot both read the repository. Sourcegraph "
             "indexes it first; GitHub ships it with the runner. Both fix builds too.")
    script = ("from panelist.quality import GateContext, assess_take\n"
              f"print(assess_take({quote!r}, ['Builds'], 'ship', "
              "GateContext('Greenlight', 'Greenlight fixes failing builds at $29 per seat.'))"
              ".flags)")
    said = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(said) == 1 and "sourcegraph" in said.pop().lower()


@pytest.mark.parametrize(("reasons", "cut"), [
    (["Fixes failing builds", "Opens the door to regul"], True),
    (["Fixes failing builds", "Watch how many teams conver"], True),
    (["Fixes failing builds", "Pairs well with pgvector"], False),
    (["Fixes failing builds", "Nothing to hand"], False),
    (["Fixes failing builds", "Pull requests per build"], False),
], ids=["regul", "conver", "a-rare-name-is-whole", "a-word-is-whole", "a-plural"])
def test_a_reason_cut_mid_word_is_truncated(reasons, cut):
    quote = "Greenlight fixes failing builds at $29 per seat and opens small pull requests."
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).flags
    assert any(f.startswith("truncated") and "cut short" in f for f in findings) is cut, findings


@pytest.mark.parametrize("opening", [
    "Here's a revised version that's more measured, per your feedback:",
    "Based on your feedback, here is a shorter take:",
    "Here's a punchier draft:",
    "I'd be happy to review it.",
    "If you'd like, I can make it shorter.",
], ids=["a-revised-version", "based-on-your-feedback", "a-draft-handed-over", "happy-to-review",
        "if-youd-like-i-can"])
def test_a_rewrites_chatter_is_an_assistants(opening):
    quote = f"{opening} Greenlight fixes failing builds at $29 per seat and opens small fixes."
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("chat-wrapper") for f in findings), findings


@pytest.mark.parametrize("quote", [
    "I would be glad to see Greenlight fix failing builds on GitLab too, at $29 per seat.",
    "Greenlight's first fix was a draft pull request: here is the draft it opened, small and "
    "correct, for $29 per seat.",
], ids=["glad-to-see", "the-products-own-draft"])
def test_a_reviewers_gladness_and_a_products_draft_are_not_an_assistants(quote):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).findings
    assert "chat-wrapper" not in {finding.check for finding in findings}


@pytest.mark.parametrize(("quote", "wrong"), [
    ("Buildkite is the CI most teams reach for first: hosted agents, failing builds retried, a "
     "pull request check for every fix, and a seat price a team can budget. For a team that "
     "wants green builds this week, it's the obvious pick.", True),
    ("Buildkite is free for small teams and CircleCI is cheaper, but neither opens a pull "
     "request with the fix for a failing build.", False),
    ("Buildkite is the incumbent for failing builds, and this one costs $29 per seat to open "
     "the pull request with the fix.", False),
    ("Night Shift has done this for years: failing builds retried overnight, a pull request "
     "check for every fix, and a seat price a team can budget. It is the one I'd keep.", True),
    ("Night Shift is the default comparison, but it retries failing builds without opening a "
     "pull request with the fix.", False),
], ids=["a-rival-reviewed-in-the-domains-words", "two-rivals-compared", "turns-to-this-one",
        "a-rival-named-in-everyday-words", "an-everyday-named-rival-compared"])
def test_a_take_that_reviews_the_name_it_opens_on(quote, wrong):
    findings = assess_take(quote, ["Builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("wrong-product") for f in findings) is wrong, findings


@pytest.mark.parametrize(("reasons", "foreign"), [
    (["Hybrid-Suche für Archive", "Kostenlose Testphase zum Einstieg"], True),
    (["Fixes failing builds", "Runs at Deutsche Bank and Allianz"], False),
], ids=["german-nouns-are-not-names", "a-bank-and-an-insurer-are-names"])
def test_reasons_in_another_language_with_its_capitalized_nouns(reasons, foreign):
    quote = "Greenlight fixes failing builds at $29 per seat and opens small pull requests."
    findings = assess_take(quote, reasons, "ship", GREENLIGHT).flags
    assert any(f.startswith("babble") for f in findings) is foreign, findings


def test_a_take_that_opens_on_remember_colon_addresses_the_reader():
    quote = ("Remember: name the failing build, zoom out one level, and keep claims explicit. "
             "Greenlight opens a pull request with the fix at $29 per seat.")
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("reader-address") for f in findings), findings
