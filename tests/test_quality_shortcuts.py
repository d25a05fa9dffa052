"""The gate's and lint's shortcuts find what the patterns they stand for find.

A pattern is run only where the text holds what every match of it holds (``Text.may_hold``), or
searched in the text lower-cased where its alternatives open (``calls._found``); a pattern with
an anchored alternative is searched in two parts; lint reads only the words that hold a
capital. Each is held here to
the pattern or the loop it replaces, on the labelled takes, each of their sentences, and texts
written to match each alternative.
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

from panelist.quality import babble, calls, described, form, learned, salad, substance, voice
from panelist.quality.words import Text, longest_run, sentences, zipf
from panelist.review import claims, source_words

LABELLED = Path(__file__).parent / "data" / "quality_labelled.jsonl"

# One text at least for each alternative of the patterns a shortcut stands before
WRITTEN = [
    "Sure! Here's my take on it.", "OK, so the SDK is fine.", "Great question. It works.",
    "Here is the summary you wanted.", "Below are the numbers.", "As the persona's brief says,",
    "Thinking about this, I would ship.", "Let me think. It is fine.", "As requested, a quote.",
    "You asked for a review.", "Per your request, here it is.", "Anything else I can help with?",
    "Would you like me to shorten it?", "Here is a revised version of the take.",
    "Based on your feedback, it ships.", "Here you go: it ships.", "Here it is. Ship it.",
    "I'd be happy to help with that.", "Do you want me to add more?", "If you like, I can add.",
    "Note to the editor: none.", "The brief says to be dry.", "To publish this review, click.",
    "The quote above is mine.", "To get started, click the blue button.",
    "I can also draft a shorter one.", "As an AI, I cannot judge.", "I'm an AI language model.",
    "An AI assistant wrote it.", "Let me know if it helps.", "You're absolutely right!",
    "I hope this helps.", "Hope this helps.", "This review was helpful.", "In conclusion, ship.",
    "To sum it up, skip.", "Feel free to ask.", "Happy to revise it.", "I cannot help with that.",
    "I'm unable to review it.", "I don't have access to it.", "This response is short.",
    "In this review, I look at it.", "My instructions say so.", "The persona wants it.",
    "The prompt asks for more.", "This persona is dry.", "Within a word limit of 80.",
    "It is 80 words long.", "Under 80 words, it ships.", "Per the guidelines, skip.",
    "Written in the first person.", "One paragraph, no lists.", "The product description says",
    "As the panelist, I ship.", "As an AI, skip.", "as a ai, skip.",
    "You should try it.", "You'd better read the docs.", "I recommend that you wait.",
    "Make sure to read it.", "Be sure to check.", "Don't forget the docs.", "Remember to pay.",
    "Before reading on, note this.", "When you read it, think.", "Keep reading.",
    "Dear reader, hello.", "Remember: it is paid.", "Follow the steps below to install it.",
    "You are the panel's buyer.", "Your job is to judge.", "My role is to review.",
    "My brief is plain.", "I should state the verdict.", "I was told to write this.",
    "I'm asked to judge it.", "The panel's view.", "As the skeptic, I doubt it.",
    "As a fellow reviewer, I agree.", "We've built a product for you.", "Our platform helps.",
    "I'm not a product.", "What we're here for.", "To the best of our knowledge.",
    "We firmly believe in it.", "Your product is a fine SDK.", "peer-to-peer and llama.cpp",
    "Quote: it ships.", "(Verdict - skip) ", "Reason 2 is the price.", "Word count: 52",
    "It runs (48 words)", "); The primitive is fine.", "It ends in a bracket ]",
    "{\"quote\": 1}", "It trails off...", "It ends in a broken wo.rd", "It ships on llama.cpp",
    "It is for labs that already.", "And the first project is.", "Tether's QVAC SDK, v2.1.",
    "e.g.Foo and iPhone users; C++ and x86; 'Claude's' rival, GPT-4o. The Holepunch stack",
    # session 6's alternatives
    "Okay, writing as the strategist and staying within 55 to 150 words: ship.",
    "Between 40 and 60 words, as asked.", "I am an AI, so skip.", "Before you decide, count.",
    "Once you've done that, you'll know.", "Once you\u2019ve done this, ship.",
    "Remember, readers: it is paid.", "It is fine. Always pilot it first.",
    "If you are not on Guidewire, skip.", "Skip unless you are a Magento store.",
    "You are not just a reviewer.", "I'd sign for e.g.", "The catch is the price, so.",
    "They won't move once it's in.", "I'd have kept the team on payroll.",
    "Nobody on a small legal team should adopt it.", "I wouldn't touch this.",
    "Our CFO would sign this in a heartbeat.", "A confident yes from me.", "The real deal.",
    "That funnel prints money.", "Hard to see the downside.", "More trouble than it's worth.",
    "Better off spending the money elsewhere.", "Not worth adopting before 1.0.",
    "It is hard to walk away from.", "Legal ops should buy it.", "Adopt it now; it ships.",
    "Hard to bet on; skip as a strategic call.",
    # session 7's alternatives
    "Ship for teams that.", "I'd sign for a team that.", "Task: review it. Role: skeptic.",
    "Instructions: be dry. Prompt: none.", "From my seat this is a pass.",
    "I'd tell her to keep writing them by hand.", "Zoom teams, ship; everyone else, wait.",
]


def _texts() -> list[str]:
    takes = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    found = [*WRITTEN]
    for take in takes:
        for text in [take["quote"], " ".join(take.get("reasons") or [])]:
            found += [text, *sentences(text), text.upper(), text.lower()]
    return found


TEXTS = _texts()


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return None if match is None else match.span()


@pytest.mark.parametrize(("pattern", "needs"), [
    (voice._ADDRESS, voice._ADDRESS_NEEDS), (voice._BRIEF_VOICE, voice._BRIEF_VOICE_NEEDS),
    (voice._MAKER, voice._MAKER_NEEDS), (voice._TO_THE_MAKER, voice._TO_THE_MAKER_NEEDS),
], ids=["address", "brief-voice", "maker", "to-the-maker"])
def test_a_text_holding_none_of_what_a_pattern_needs_has_no_match_of_it(pattern, needs):
    matched = 0
    for raw in TEXTS:
        text = Text(raw)
        if pattern.search(text.head) is not None:
            matched += 1
            assert text.may_hold(needs), raw
    assert matched  # the texts reach the pattern


def test_the_chat_wrapper_is_found_where_the_whole_pattern_finds_it():
    matched = 0
    for raw in TEXTS:
        text = Text(raw)
        whole = voice._WRAPPER.search(text.head)
        finding = voice.chat_wrapper(text)
        assert (finding is None) == (whole is None), raw
        if finding is not None and whole is not None:
            matched += 1
            assert finding.message.startswith(f"'{whole.group(0).strip()}' "), raw
    assert matched >= 40


def test_the_leak_patterns_searched_in_parts_find_the_same_match():
    bracket = re.compile(r"^\s*[\[{)\]};,]|[}\]]\s*$")
    patterns = {what: pattern for pattern, what, _ in form._LEAK_PATTERNS}
    for raw in TEXTS:
        text = Text(raw)
        assert _span(patterns["a JSON bracket"].search(raw)) == _span(bracket.search(raw)), raw
        for what in ("a label", "a word count"):
            pattern = patterns[what]
            assert isinstance(pattern, re.Pattern)
            assert form._leak_span(pattern, what, text) == _span(pattern.search(text.head)), raw


def test_a_texts_end_is_read_in_the_characters_its_patterns_can_take():
    for raw in TEXTS:
        stripped = raw.rstrip()
        if not stripped:
            continue
        assert bool(form._TRAILS_OFF.search(stripped[-3:])) == bool(
            form._TRAILS_OFF.search(stripped)), raw
        assert bool(form._BROKEN_WORD.search(stripped[-5:])) == bool(
            form._BROKEN_WORD.search(stripped)), raw
        if form._CUT_AFTER_A_STOP.search(stripped[-form.CLOSING_CHARS:]):
            assert form._may_cut(stripped), raw


def test_lint_reads_the_words_with_a_capital_as_its_word_pattern_finds_them():
    for raw in TEXTS:
        every = [(m.start(), m.group(0)) for m in source_words.WORD.finditer(raw)]
        assert list(claims._capitalised_words(raw)) == [
            (at, word) for at, word in every if word.lower() != word], raw


def test_the_calls_found_lower_cased_are_the_calls_their_patterns_find():
    for raw in TEXTS:
        for pattern in [*calls._CALLS.values(), *calls._INTENTS.values()]:
            lowered = raw.lower() if raw.isascii() else None
            held = calls._OPENINGS.held(lowered if lowered is not None else "")
            found = calls._found(pattern, raw, lowered, held)
            assert [(m.span(), m.group(0)) for m in found] == [
                (m.span(), m.group(0)) for m in pattern.finditer(raw)], raw


@pytest.mark.parametrize(("pattern", "by_token", "written"), [
    (described.DOTTED, described.dotted,
     ["a.b-c (llama.cpp) x86-64. e.g.Foo\u00a0peer-to-peer\ttext-to-speech",
      ".-. -a a- a.b. _a.b_ \u00e9t\u00e9-l\u00e0 3.14-2"]),
    (substance._COMPOUND, substance.compounds,
     ["llm.generate (pytest-testmon) a/b_c x86-64. e.g.Foo\u00a0peer-to-peer",
      ".-. -a a- a.b. _a.b_ \u00e9t\u00e9-l\u00e0 3.14-2 /usr/bin snake_case"]),
], ids=["dotted", "compound"])
def test_the_names_found_token_by_token_are_those_the_pattern_finds(pattern, by_token, written):
    found = 0
    for raw in [*TEXTS, *written]:
        expected = pattern.findall(raw)
        found += len(expected)
        assert by_token(raw.split()) == expected, raw
        text = Text(raw)
        assert by_token(text.tokens) == pattern.findall(text.head), raw
    assert found > 100


# lint's amount patterns as they were written, opening on a look-ahead for the digit
_AMOUNT_OPENING_ON_A_LOOKAHEAD = {
    "number": re.compile(rf"(?=\d)(?<![\w.,$€£¥])({claims._AMOUNT})"
                         rf"(?:\s?%|\s?({claims._SCALE_WORD})\b|[a-zA-Z]{{1,2}}\b)?",
                         re.IGNORECASE),
    "money in words": re.compile(rf"(?=\d)(?<![\w.,])({claims._AMOUNT})\s?"
                                 rf"(k|mn?|bn?|{claims._SCALE_WORD})?\s+"
                                 rf"{claims._CURRENCY_WORD}", re.IGNORECASE),
}
AMOUNTS = ["$1,200 and 3.5bn, 12% or 7 million users; 2,00 x1,234.5 1.2.3 v2 V3.0.1",
           "it costs 40 dollars, 1,000,000 euros or 5k usd; a.5 b,6 $7 €8 _9 9_ 10GB",
           "\u0663 pounds, 12 bn quid, (4 thousand dollars) 2,345,678.9 Euros 3 %"]


@pytest.mark.parametrize("name", list(_AMOUNT_OPENING_ON_A_LOOKAHEAD))
def test_lints_amount_patterns_opening_on_a_digit_find_what_the_lookahead_forms_find(name):
    pattern = {"number": claims._NUMBER, "money in words": claims._MONEY_IN_WORDS}[name]
    written = _AMOUNT_OPENING_ON_A_LOOKAHEAD[name]
    matched = 0
    for raw in [*TEXTS, *AMOUNTS]:
        expected = [(m.span(), m.groups()) for m in written.finditer(raw)]
        matched += len(expected)
        assert [(m.span(), m.groups()) for m in pattern.finditer(raw)] == expected, raw
    assert matched >= 5  # the texts reach the pattern


def test_a_text_holding_no_dot_or_v_before_a_digit_holds_no_version():
    matched = 0
    for raw in [*TEXTS, *AMOUNTS]:
        if claims._VERSION.search(raw):
            matched += 1
            assert claims._VERSION_NEEDS.search(raw), raw
    assert matched


HYPE = ["It is innovative, revolutionary and Game-Changing: cutting edge, state-of-the-art.",
        "The world's most trusted, best in class, next-generation way; EXCITING and amazing!",
        "Empowering teams like never before, it promises to transform the future."]


def test_the_press_releases_words_found_lower_cased_are_those_the_pattern_finds():
    matched = 0
    for raw in [*TEXTS, *HYPE]:
        text = Text(raw)
        expected = list(dict.fromkeys(m.group(0).lower() for m in substance._HYPE.finditer(raw)))
        matched += len(expected)
        finding = substance.press_release(text)
        assert (finding is None) == (len(expected) < substance.MIN_HYPE), raw
        if finding is not None:
            assert f"('{expected[0]}', '{expected[1]}')" in finding.message, raw
        if text.folded is not None:
            assert [(m.span(), m.group(0)) for m in substance._HYPE_FOLDED.finditer(
                text.folded)] == [(m.span(), m.group(0).lower())
                                  for m in substance._HYPE.finditer(text.head)], raw
    assert matched >= 20


def _features_word_by_word(text: str) -> frozenset[str]:
    """``learned.features`` as it was written: each word read by ``_token``."""
    tokens: list[str] = []
    negated = 0
    for index, raw in enumerate(learned._TOKEN.findall(text)[:learned.MAX_WORDS]):
        token = learned._token(raw, first=index == 0)
        if token in learned._NEGATIONS or token.endswith("n't"):
            negated = learned.NEGATED_SPAN
            tokens.append(token)
            continue
        tokens.append("NOT_" + token if negated > 0 else token)
        negated -= 1
    return frozenset(tokens) | {f"{a} {b}" for a, b in pairwise(tokens)}


def test_the_learned_readings_features_are_those_read_word_by_word():
    for raw in [*TEXTS, "Not Ship: NOTHING ships, won't SKIP 3x. Never Zapier's", "don't"]:
        assert learned.features(raw) == _features_word_by_word(raw), raw


def _in_a_range_token_by_token(tokens: list[str]) -> set[int]:
    """``salad._in_a_range`` as it was written: every token read."""
    lowered = [token.lower().strip(".,;:()") for token in tokens]
    found: set[int] = set()
    for i in range(1, len(lowered)):
        if lowered[i - 1] in ("between", "from") and i + 2 < len(lowered) and \
                lowered[i + 1] in ("and", "to"):
            found |= {i, i + 2}
        elif i >= 2 and lowered[i - 2:i] == ["up", "to"]:
            found.add(i)
        if (i + 1 < len(lowered) and lowered[i] in ("or", "to", "and")
                and re.fullmatch(r"\d+(?:\.\d+)?", lowered[i - 1])
                and re.fullmatch(r"\d+(?:\.\d+)?", lowered[i + 1])
                and i + 2 < len(lowered) and re.fullmatch(r"[a-z]{2,}s", lowered[i + 2])):
            found |= {i - 1, i + 1}
    return found | salad._listed(tokens, lowered)


def test_a_ranges_numbers_read_from_its_words_are_those_read_token_by_token():
    found = 0
    for raw in [*TEXTS, *SALADS, "up to 5, up to. to 7 from 1 to 2 between 3 and", "to 4 up to"]:
        tokens = Text(raw).tokens
        expected = _in_a_range_token_by_token(tokens)
        found += len(expected)
        assert salad._in_a_range(tokens) == expected, raw
    assert found >= 20


def _number_salad_token_by_token(text: Text) -> tuple[int, int, float, int]:
    """``salad.number_salad``'s figures as it read them: every token, each flagged or not."""
    tokens = text.tokens
    ranged = _in_a_range_token_by_token(tokens)
    bare = [i not in ranged and not token.isalpha()
            and salad._bare_number(token, tokens[i + 1] if i + 1 < len(tokens) else "")
            for i, token in enumerate(tokens)]
    dates = sum(bool(re.search(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}|\d\d:\d\d", token))
                for token in tokens if not token.isalpha())
    return longest_run(bare), dates, sum(bare) / len(tokens) if tokens else 0.0, sum(bare)


SALADS = ["10, 3.25, 4.75, 6.8 and 7", "between 1 and 10, from 5 to 50, up to 20 seats",
          "on 2024-01-02, 3/4/24 and 10:30, 2025-02-03", "4 or 8 directions, 3 to 5 seats",
          "probes at 10, 30, 60 cm; 1 2 3 4 5", "p32.84,tc-01579687211240 12 13 14 15",
          "\u00b2\u00b3 9 8 7 6 \u0663 \u0664 \u0665 \u0666", "It scores 7 8 9 10 11 12.",
          "the, 3 4: 1; 99, 5, 12 words 2026-01-01 1/2/2025 12:00"]


def test_the_number_salad_read_on_the_tokens_holding_a_digit_is_that_of_every_token():
    salads = 0
    for raw in [*TEXTS, *SALADS]:
        text = Text(raw)
        run, dates, share, bare = _number_salad_token_by_token(text)
        expected = None
        if run > salad.MAX_NUMBER_RUN:
            expected = f"a run of {run} numbers or dates in a row"
        elif dates >= 3:
            expected = f"{dates} dates or times"
        elif share > salad.MAX_BARE_NUMBER_SHARE and bare >= 3:
            expected = f"{share:.0%} of its words are bare numbers"
        finding = salad.number_salad(text)
        if finding is not None and "string of digits" in finding.message:
            continue  # the first loop, unchanged
        assert (finding.message if finding is not None else None) == expected, raw
        salads += expected is not None
    assert salads >= 5


def test_the_makers_voice_found_lower_cased_is_where_the_whole_pattern_finds_it():
    matched = 0
    for raw in TEXTS:
        text = Text(raw)
        whole = voice._MAKER.search(text.head)
        finding = voice.maker_voice(text)
        if whole is not None:
            matched += 1
            assert finding is not None, raw
            assert finding.message.startswith(f"'{whole.group(0)}' speaks as the product's "), raw
        elif finding is not None:
            assert "speaks to the product's maker" in finding.message, raw
    assert matched >= 10


def _caps_as_written(token: str, known: frozenset[str]) -> str:
    """``form._caps_token`` as it was written, without the ASCII shortcut."""
    if token.islower():
        return ""
    letters = re.sub(r"[^A-Za-z]", "", token)
    if len(letters) < 2 or not letters.isupper() or letters in known:
        return ""
    lowered = letters.lower()
    if lowered in form.SQL:
        return ""
    if zipf(lowered) >= form.COMMON_ZIPF - 1.0 and lowered not in form._ACRONYM_WORDS and (
            len(letters) > 3 or zipf(lowered) >= form.COMMON_ZIPF + 1.0):
        return "shouting"
    breaks_run = token[-1] in ",;:." or len(letters) <= 4
    return "" if breaks_run else "made-up"


def test_a_token_with_a_small_letter_or_none_is_never_in_capitals():
    known = frozenset({"QVAC"})
    tokens = ["Gridline", "42", "x86", "GPT-4o", "iPhone", "ABC\u00e9", "\u00c9T\u00c9", "NOT",
              "REAL,", "QVAC", "OCR,", "ZXQW", "(SQL)", "A", "IT'S", "It's", "$99", "ALL-CAPS"]
    for raw in [*TEXTS, " ".join(tokens)]:
        for token in Text(raw).tokens:
            assert form._caps_token(token, known) == _caps_as_written(token, known), token


def test_a_number_is_looked_for_only_in_a_token_a_digit_opens():
    for raw in [*TEXTS, *SALADS]:
        for token in Text(raw).tokens:
            low = token.lower().strip(".,;:()")
            assert bool(salad._NUMBER.fullmatch(low)) <= low[:1].isdigit(), token


def test_a_word_doubled_is_found_as_the_pattern_that_gives_letters_back_finds_it():
    giving_back = re.compile(r"\b(\w{2,40})\s+\1\b", re.IGNORECASE)
    found = 0
    for raw in [*TEXTS, "the the vision Vision pack  pack that that ab abc abc ab", "x" * 45 + " " +
                "x" * 45, "\u00e9t\u00e9 \u00c9T\u00c9 r\u00e9sum\u00e9s r\u00e9sum\u00e9s_ 12 12"]:
        expected = [(m.span(), m.group(1)) for m in giving_back.finditer(raw)]
        found += len(expected)
        assert [(m.span(), m.group(1)) for m in babble._DOUBLED.finditer(raw)] == expected, raw
    assert found >= 5
