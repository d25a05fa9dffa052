"""What an editor publishes and the gate once flagged: a phrase in quotation marks, a file type
ending a reason, a gerund opening a take, a rival set against this product, a call addressed to
some readers, a price worked out from the description's; from BH-BJ: a ship whose quote weighs
risks the learned reading hears it past, a prefixed word, an acronym closing a reason, a call
with its terms opening the quote, a relative clause with "you have to"; from BK-BM: a call on
each side ("...is a skip"), someone else's "won't move", a date in the reviewer's own query, a
yearly price by the month, an ellipsis ("find someone who is."), the reader's "your job"; from
BN-BP: "my skip is about fit", "the skip is for...", "I lean ship", a call "the moment" something
happens, a month before a version, a predicted version, a list of numbers with one unit, REST;
from BQ-BS: someone else's "won't bother"."""

from __future__ import annotations

import pytest

from panelist.quality import GateContext, assess_take
from panelist.quality.calls import read_calls

CAPTIONS = GateContext(
    "SignBridge", "SignBridge\nLive sign-language captions for video calls.\nPaid\n"
    "SignBridge is an add-on for Zoom, Google Meet and Microsoft Teams that turns ASL and BSL "
    "signing into English captions in the browser on WebGPU. Transcripts export as .srt or .vtt. "
    "Plans: $19 per user a month; Team is $29 a month with 5 users, then $9 per extra user.",
    ("Glossa Captions",))


def flags(quote: str, reasons: list[str], verdict: str = "ship") -> list[str]:
    return assess_take(quote, reasons, verdict, CAPTIONS).flags


def test_what_someone_says_in_quotation_marks_is_not_the_takes_own_voice():
    quote = ("A Deaf colleague can't mark a caption wrong: there is no way to say \"this answer "
             "is wrong\" that SignBridge records. For meetings on desktop I'd still ship it, "
             "since the captions run on WebGPU in the browser and export as .srt.")
    assert not any(f.startswith("chat-wrapper") for f in flags(quote, ["WebGPU in the browser"]))
    wrapped = "Here is my take on SignBridge: captions on WebGPU, .srt export. Ship."
    assert any(f.startswith("chat-wrapper") for f in flags(wrapped, ["WebGPU"]))


def test_a_reason_ending_on_a_file_type_is_not_a_word_cut_off():
    quote = ("SignBridge runs on WebGPU in the browser inside Zoom, Meet and Teams, and only the "
             "caption text leaves the laptop. Transcripts drop straight into an editor. Ship.")
    assert not any(f.startswith("truncated") for f in flags(quote, ["Exports .srt and .vtt"]))
    assert any(f.startswith("truncated")
               for f in flags(quote, ["Exports captions for the edito.Fr"]))


@pytest.mark.parametrize("opening", ["Instrumenting is easy", "Onboarding is quick"])
def test_a_take_opening_on_what_you_do_is_not_about_another_name(opening):
    quote = (f"{opening}, but I can't try it tonight: there is no free tier, and the entry "
             "price is $19 per user a month. For a developer evaluating tools that means a card "
             "before a first caption. Skip for individuals.")
    assert not any(f.startswith("wrong-product") for f in flags(quote, ["No free tier"], "skip"))


def test_a_rival_set_against_this_one_in_the_possessive_is_a_comparison():
    quote = ("Against Glossa Captions' recorded files, the live add-on wins: captions on WebGPU in "
             "the browser, ASL and BSL, .vtt export for the edit. I'd adopt it.")
    assert not any(f.startswith("wrong-product") for f in flags(quote, ["Live, not recorded"]))


@pytest.mark.parametrize(("quote", "calls"), [
    ("Zoom teams, ship; everyone else, wait.", ({"ship": [], "skip": []}, {"ship", "skip"})),
    ("So: ship for large fleets, skip if you're small.",
     ({"ship": [], "skip": []}, {"ship", "skip"})),
    ("Skip from my seat; the project I'd try first is a budget alert.",
     ({"ship": [], "skip": ["Skip from my seat"]}, set())),
    ("Until more devices are supported, most users can't get past setup. Wait.",
     ({"ship": [], "skip": ["Wait"]}, set())),
    ("Connect Zoom, wait, then review the captions.", ({"ship": [], "skip": []}, set())),
], ids=["addressed-readers", "after-a-colon", "from-my-seat", "a-closing-wait", "wait-a-step"])
def test_a_call_addressed_to_some_readers_is_one_side_of_a_concession(quote, calls):
    assert read_calls(quote) == calls


@pytest.mark.parametrize(("quote", "invented"), [
    ("Five users come with the $29 Team plan; the other 25 cost $9 each, so $254 a month for "
     "a 30-person office. SignBridge's captions run in the browser.", False),
    ("A two-office group on $19 per user a month is under $500 a month for twenty users. "
     "SignBridge's captions run in the browser.", False),
    ("SignBridge's captions run in the browser, and at under $5 a month per user the price "
     "is easy.", True),
    ("SignBridge's captions run in the browser for $254 a month, which is steep.", True),
], ids=["a-plan-and-its-extra-users", "an-upper-bound-over-a-price", "a-bound-under-every-price",
        "the-sum-without-its-count"])
def test_a_price_worked_out_from_the_descriptions_is_arithmetic(quote, invented):
    found = any(f.startswith("unsupported-fact") for f in flags(quote, ["Browser captions"]))
    assert found == invented


def test_numbers_with_their_nouns_are_counts_not_salad():
    reasons = ["Captions in 4 or 8 languages", "Zoom 6 and Teams plugins", "Exports .srt files"]
    quote = ("SignBridge captions ASL and BSL live on WebGPU in the browser, inside Zoom, Meet "
             "and Teams, and exports .srt or .vtt. I'd ship it for desktop meetings.")
    assert not any(f.startswith("number-salad") for f in flags(quote, reasons))
    salad = ["4, 8, 12 and 19, then 3", "7 or 2"]
    assert any(f.startswith("number-salad") for f in flags(quote, salad))


SOILING = GateContext(
    "SunSweep", "SunSweep\nSoiling alerts from inverter data.\nFreemium\n"
    "SunSweep reads string-inverter data from SMA, Fronius, SolarEdge and Huawei portals and "
    "alerts by email or Slack when soiling costs more than a cleaning. Enphase systems are "
    "not supported. Older inverters without a CAN bus need a logger. $29 a site a month; "
    "no REST API, no connector for Guidewire-style asset systems: you write the glue.",
    ("GlintScan",))


def test_a_ship_that_weighs_its_risks_is_heard_past_when_the_reading_is_sure_of_it():
    """"3 words against it and none for it" counted risks; the learned reading (1-2% skip)
    hears the take land on ship."""
    quote = ("SunSweep goes after the long tail that utility-scale tools ignore: small sites "
             "on SMA or Fronius portals, at $29 a month. The risk is margin, since every alert "
             "rests on portal access it doesn't own, but the segment is real.")
    assert not any(f.startswith("contradiction")
                   for f in assess_take(quote, ["Small sites"], "ship", SOILING).flags)


@pytest.mark.parametrize(("quote", "reasons", "check"), [
    ("SunSweep reads SMA, Fronius, SolarEdge and Huawei portals; microinverters from Enphase "
     "are not supported, so skip it there.", ["No Enphase"], "babble"),
    ("SunSweep reads string inverters and alerts on Slack at $29 a site. Skip for our fleet.",
     ["Older inverters lack CAN"], "truncated"),
    ("Ship, with one caution. $29 a site a month is cheap to trial, and Slack alerts come "
     "without a logger on SMA or Fronius.", ["Cheap trial"], "leak"),
    ("If your assets live in a Guidewire-style system, SunSweep is email, Slack and some glue "
     "you have to write yourself. $29 a site a month. Ship for small fleets.", ["Glue"],
     "reader-address"),
], ids=["a-prefixed-word", "an-acronym-ending-a-reason", "a-call-with-its-terms",
        "a-relative-clause"])
def test_what_an_editor_publishes_from_bh_bj(quote, reasons, check):
    verdict = "skip" if "Skip for our" in quote or "skip it there" in quote else "ship"
    findings = assess_take(quote, reasons, verdict, SOILING).flags
    assert not any(f.startswith(check) for f in findings), findings


PAIRS = GateContext(
    "Parla", "Parla\nLanguage exchange by video.\nFreemium\n"
    "Parla matches learners for video calls on iOS, Android and the web, with selfie "
    "verification. Free gives 30 minutes of video a week; Plus is $8.99 a month or $59.99 a "
    "year and adds post-call corrections. Data lives in `calls` and `matches` tables; exports "
    "run weekly. 1.2 million users in 32 languages.")


@pytest.mark.parametrize(("quote", "reasons", "verdict", "check"), [
    ("Sign-up is smooth on iOS, Android and the web. I'd ship it to a friend who wants a "
     "partner; as a learning tool, the free version's 30 minutes is a skip.", ["Smooth"],
     "skip", "contradiction"),
    ("Plus at $59.99 a year is about $5 a month, and a teacher who builds a class around its "
     "corrections won't move elsewhere. 1.2 million users in 32 languages.", ["Lock-in"],
     "ship", "contradiction"),
    ("Plus at $59.99 a year, about $5 a month, and 30 minutes of video a week free. 1.2 "
     "million users in 32 languages is the moat.", ["Network"], "ship", "unsupported-fact"),
    ("Exports are weekly: `SELECT * FROM calls WHERE day >= '2026-10-01'` works on the dump. "
     "Selfie verification on iOS and Android. Ship.", ["SQL on exports"], "ship",
     "unsupported-fact"),
    ("Fair warning: selfie verification will lose some users at the door. If you're "
     "comfortable with that, ship it; if you aren't, find someone who is.", ["Selfie check"],
     "ship", "truncated"),
    ("Parla on iOS, Android and the web, $8.99 a month for corrections. Ship.",
     ["Finding a partner is your job", "Corrections on Plus"], "ship", "prompt-echo"),
], ids=["a-call-on-each-side", "someone-elses-wont-move", "a-yearly-price-by-the-month",
        "a-date-in-a-query", "an-ellipsis", "the-readers-job"])
def test_what_an_editor_publishes_from_bk_bm(quote, reasons, verdict, check):
    findings = assess_take(quote, reasons, verdict, PAIRS).flags
    assert not any(f.startswith(check) for f in findings), findings


KUBE = GateContext(
    "PodLedger", "PodLedger\nKubernetes cost allocation.\nOpen source\n"
    "PodLedger is a Helm chart that reads Prometheus and writes costs per namespace into "
    "PostgreSQL, with an API and a CLI. Probes sample at 15-minute intervals. Apache-2.0, "
    "no hosted version and no paid support; four engineers maintain it. 1.0 ships in March.")


@pytest.mark.parametrize(("quote", "reasons", "verdict", "check"), [
    ("This is a serious Helm chart, and costs per namespace in PostgreSQL are the right design; "
     "I would happily recommend it to a platform team. My skip is about fit: no paid support.",
     ["No support contract"], "skip", "contradiction"),
    ("For a platform team, PodLedger is hard to beat: Helm, Prometheus, PostgreSQL, free. I "
     "would happily recommend it there. The skip is for anyone who needs a support contract.",
     ["No support"], "skip", "contradiction"),
    ("The bet is that cost allocation belongs in the cluster, read from Prometheus. The risk "
     "is four engineers, no paid support, no hosted version and a missing rate card; it lacks "
     "SSO too. I lean ship, narrowly.",
     ["Coherent"], "ship", "contradiction"),
    ("PodLedger is Apache-2.0 with no paid support, and nobody to call when the March 1.0 "
     "release breaks an upgrade. I'd sign the moment there is a support contract.",
     ["No support contract"], "skip", "unsupported-fact"),
    ("PodLedger's REST API and CLI read Prometheus; someone will fork it to add auth before "
     "v3.0. Ship.", ["REST API"], "ship", "unsupported-fact"),
    ("PodLedger reads Prometheus at 15-minute intervals and writes to PostgreSQL. Ship.",
     ["Probes at 10, 20, 30, 60 cm", "API"], "ship", "number-salad"),
    ("PodLedger speaks REST and writes PostgreSQL; the CLI covers the rest. Ship for REST "
     "shops.", ["REST API"], "ship", "all-caps"),
], ids=["my-skip-is-about-fit", "the-skip-is-for", "i-lean-ship", "the-moment-and-a-version",
        "a-predicted-version", "numbers-with-one-unit", "rest-is-an-acronym"])
def test_what_an_editor_publishes_from_bn_bp(quote, reasons, verdict, check):
    findings = assess_take(quote, reasons, verdict, KUBE).flags
    assert not any(f.startswith(check) for f in findings), findings


def test_someone_elses_wont_bother_is_no_call():
    quote = ("Costs per namespace in PostgreSQL are a moat that a general cloud dashboard won't "
             "bother to build, and a Helm chart reading Prometheus is the right channel.")
    findings = assess_take(quote, ["Helm"], "ship", KUBE).flags
    assert not any(f.startswith("contradiction") for f in findings), findings
    assert read_calls("Honestly, I wouldn't bother with it.")[0]["skip"]
