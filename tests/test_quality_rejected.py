"""What an editor rejects and the gate once passed: a clause cut where a full stop was added, a
polite "this is a pass" under ship, a refusal that sends the reader back to the old way, the
prompt's "Task:" label, a persona's label ("The Skeptic's take on X:"); from BH-BJ: narration of
the writing, reasons cut after "rules out" or "means", connectives after "the", stock reasons;
from BK-BM: a reason cut mid-word of the quote's, "the," and "of and", a note to the editor, a
plan's price the description never gives; from BN-BP: "To answer your question directly:", "the
queue of the queue", stock reasons with "with"; from BQ-BS: reasons of broken pairs, a sentence
ending on "the", "with the caveat that.", more stock reasons."""

from __future__ import annotations

import pytest

from panelist.quality import GateContext, assess_take
from panelist.quality.calls import read_calls

QUOTING = GateContext(
    "HelioQuote", "HelioQuote\nSolar proposals signed on the iPad.\nPaid\n"
    "HelioQuote drafts solar proposals from a satellite roof model and syncs them with "
    "Salesforce and HubSpot. $149 per seat per month with 300 proposals, then $1 each.")


def flags(quote: str, verdict: str = "ship") -> list[str]:
    return assess_take(quote, ["CRM sync"], verdict, QUOTING).flags


@pytest.mark.parametrize("ending", [
    "The moat is thin but real, so I'd sign for a team that.",
    "For installers on HubSpot the sync is the draw. Ship for teams that.",
], ids=["for-a-team-that", "for-teams-that"])
def test_a_relative_clause_cut_where_a_full_stop_was_added_is_truncated(ending):
    quote = ("HelioQuote's proposals come off a satellite roof model and sync with Salesforce "
             f"and HubSpot at $149 per seat per month. {ending}")
    assert any(f.startswith("truncated") for f in flags(quote))


@pytest.mark.parametrize("ending", [
    "That is the plan I would pay for exactly that.",
    "It does one thing, and I'd pay for that.",
    "A rep who closes on the iPad will want a tool like that.",
], ids=["exactly-that", "pay-for-that", "a-tool-like-that"])
def test_a_sentence_that_ends_on_that_is_not_cut(ending):
    quote = ("HelioQuote's proposals come off a satellite roof model and sync with Salesforce "
             f"and HubSpot at $149 per seat per month. {ending}")
    assert not any(f.startswith("truncated") for f in flags(quote))


@pytest.mark.parametrize(("quote", "calls"), [
    ("From the procurement seat this is a pass.",
     ({"ship": [], "skip": ["this is a pass"]}, set())),
    ("Until there's a build I can run, it's a skip for me; Mac users should try it.",
     ({"ship": ["should try it"], "skip": ["it's a skip"]}, set())),
    ("I would not sign this contract, and I'd tell her to keep writing proposals by hand.",
     ({"ship": [], "skip": ["would not sign", "I'd tell"]}, set())),
], ids=["this-is-a-pass", "a-skip-for-me", "back-to-the-old-way"])
def test_a_polite_pass_and_a_reader_sent_back_to_the_old_way_are_skips(quote, calls):
    assert read_calls(quote) == calls


def test_the_prompts_task_line_is_a_leaked_label():
    quote = ("Task: review HelioQuote from the skeptic's perspective. Proposals come off a "
             "satellite roof model and sync with Salesforce and HubSpot. Ship.")
    assert any(f.startswith("leak") for f in flags(quote))


@pytest.mark.parametrize("label", [
    "The Skeptic's take on HelioQuote:",
    "Buyer's verdict:",
    "the strategist's view of HelioQuote:",
])
def test_a_personas_label_opening_the_quote_is_a_leak(label):
    """What the bundled model wrote in the README's run: "The Skeptic's take on Tether QVAC
    SDK: It is a competing alternative...". A label in lower-case words, not a title."""
    quote = (f"{label} proposals come off a satellite roof model and sync with Salesforce and "
             "HubSpot, at $149 per seat. Ship.")
    assert any(f.startswith("leak: a persona's label") for f in flags(quote)), flags(quote)


def test_a_possessive_opening_a_sentence_of_the_quote_is_no_label():
    quote = ("The installer's view of the roof comes from a satellite model: proposals sync "
             "with Salesforce and HubSpot at $149 per seat. Ship.")
    assert not any(f.startswith("leak") for f in flags(quote)), flags(quote)


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("Okay, writing this in the Skeptic's voice now. HelioQuote drafts proposals from a "
     "satellite roof model and syncs with HubSpot at $149 per seat. Ship.", ["CRM sync"],
     "chat-wrapper"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce at $149 "
     "per seat. Ship, if your team sells on the iPad. (End of quote.)", ["CRM sync"],
     "chat-wrapper"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce. Ship.",
     ["CRM sync", "the 300-proposal cap rules out"], "truncated"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce. Ship.",
     ["CRM sync", "$149 a seat, which for a two-person installer means"], "truncated"),
    ("Proposal the seat whereas roof because satellite nevertheless the of the HubSpot into "
     "which the installer notwithstanding iPad for the which model, hence Salesforce. Ship "
     "hence nevertheless.", ["roof model"], "babble"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce. Ship.",
     ["great product overall", "worth a try"], "filler"),
], ids=["narrating-the-voice", "end-of-quote", "rules-out-nothing", "means-nothing",
        "connectives-after-the", "stock-reasons"])
def test_what_an_editor_rejects_from_bh_bj(quote, reasons, check):
    findings = assess_take(quote, reasons, "ship", QUOTING).flags
    assert any(f.startswith(check) for f in findings), findings


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("HelioQuote drafts proposals from a satellite roof model by photogrammetry and syncs with "
     "HubSpot at $149 per seat. Ship for installers.", ["CRM sync", "Roof model by photogram"],
     "truncated"),
    ("Proposals the roof of and the satellite model the HubSpot sync of and seat, the Salesforce "
     "hand the, iPad the proposals of the, model roof. Ship.", ["Roof model"], "babble"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce at $149 "
     "per seat. Before publishing, please double-check the seat price. Ship.", ["CRM sync"],
     "chat-wrapper"),
    ("HelioQuote's $99.50 Starter plan covers one installer, and proposals sync with HubSpot. "
     "Ship.",
     ["CRM sync"], "unsupported-fact"),
], ids=["a-reason-cut-mid-word", "the-comma-and-of-and", "a-note-to-the-editor",
        "a-plans-price"])
def test_what_an_editor_rejects_from_bk_bm(quote, reasons, check):
    findings = assess_take(quote, reasons, "ship", QUOTING).flags
    assert any(f.startswith(check) for f in findings), findings


def test_an_answer_to_the_prompts_question_is_a_chat_wrapper():
    quote = ("To answer your question directly: HelioQuote drafts proposals from a satellite roof "
             "model and syncs with Salesforce at $149 per seat. Ship.")
    assert any(f.startswith("chat-wrapper") for f in flags(quote))


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("An installer opens the quote of the quote on an iPad, and HelioQuote drafts the roof for "
     "the roof from a satellite model. Salesforce syncs it at $149 per seat. Ship.",
     ["Roof model"], "repetition"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce at $149 "
     "per seat. Ship.", ["great product with lots of potential", "worth it overall"], "filler"),
], ids=["the-x-of-the-x", "stock-reasons-with-with"])
def test_what_an_editor_rejects_from_bn_bp(quote, reasons, check):
    findings = assess_take(quote, reasons, "ship", QUOTING).flags
    assert any(f.startswith(check) for f in findings), findings


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce at $149 "
     "per seat. Ship.", ["roof the in of drafts out the seat seat", "HubSpot of the sync"],
     "babble"),
    ("Roof. Installer afternoon panels proposal the. Satellite model sync seat brochure any more "
     "the. HubSpot proposals roof, installer Salesforce. Ship.", ["Roof model"], "babble"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce at $149 "
     "per seat. Ship for installers on HubSpot, with the caveat that.", ["CRM sync"],
     "truncated"),
    ("HelioQuote drafts proposals from a satellite roof model and syncs with Salesforce at $149 "
     "per seat. Ship.", ["Great tool with a lot of potential", "Worth a look for many teams"],
     "filler"),
], ids=["broken-reasons", "sentences-ending-on-the", "the-caveat-that", "stock-for-many-teams"])
def test_what_an_editor_rejects_from_bq_bs(quote, reasons, check):
    findings = assess_take(quote, reasons, "ship", QUOTING).flags
    assert any(f.startswith(check) for f in findings), findings


def test_a_quote_in_a_press_releases_words_is_filler():
    """The README run's dx take: "...on the horizon, a new development that promises to be as
    explosive as ever before..." names peer-to-peer, one fact, and reads as the maker's copy."""
    quote = ("HelioQuote is on the horizon, a new development that promises to be as explosive "
             "as ever before: satellite roof models for installers. Ship.")
    assert any(f.startswith("filler: it reads as a press release") for f in flags(quote))
    one = "HelioQuote's satellite roof model is the most exciting part, at $149 per seat. Ship."
    assert not any("press release" in f for f in flags(one))
