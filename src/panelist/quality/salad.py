"""``number-salad``: digit strings, runs of bare numbers or dates. Numbers with units ("340 ms",
"$27B", "8B"), a range ("between 1 and 10") or a list one unit closes ("10, 30, 60 cm") are a
benchmark, not salad."""

from __future__ import annotations

import re

from panelist.quality.findings import Finding
from panelist.quality.words import Text, is_real_word, normalize

MAX_NUMBER_RUN = 3  # "3.1 8B" is a model name; "10, 3.25, 4.75, 6.8" is salad
MAX_BARE_NUMBER_SHARE = 0.12
MAX_DIGITS_IN_A_WORD = 8  # "$27,000,000" fits; "p32.84,tc-01579687211240" does not
_UNIT = re.compile(r"^(?:%|x|ms|s|sec|secs|seconds?|minutes?|min|hours?|h|days?|weeks?|months?|"
                   r"years?|[kmgt]b|[kmgt]i?b/s|gb|mb|kb|tb|tokens?(?:/s)?|tok/s|rps|qps|fps|"
                   r"users?|seats?|languages?|platforms?|models?|percent|times|dollars?|euros?|"
                   r"b|m|k|bn|billion|million|thousand|params?|parameters|lines?|steps?|"
                   r"calls?|requests?|cores?|gpus?|devices?|ghz|mhz|w|watts?|mm|cm|km|kg|g|"
                   r"kw|kwh|mw|mwh|ft|miles?|metres?|meters?|centimetres?|millimetres?|"
                   r"degrees?)\b", re.IGNORECASE)


def number_salad(text: Text) -> Finding | None:
    if text.folded is not None and not any(digit in text.folded for digit in _DIGITS):
        return None  # no digit at all (an ASCII text's only digits are these)
    tokens = text.tokens
    for token in tokens:
        if token.isalpha():
            continue  # letters only (most words): no digit to count
        digits = sum(map(str.isdigit, token))
        if digits > MAX_DIGITS_IN_A_WORD and not re.fullmatch(r"\$?\d{1,3}(?:,\d{3})+\.?", token):
            return Finding("number-salad", f"'{token[:30]}' is a string of digits, not a word")
    # a bare number and a date hold a digit: only the tokens that hold one are read
    numbered = [i for i, token in enumerate(tokens)
                if not token.isalpha() and _A_DIGIT.search(token)]
    ranged = _in_a_range(tokens) if numbered else set()
    bare_at = {i for i in numbered if i not in ranged
               and _bare_number(tokens[i], tokens[i + 1] if i + 1 < len(tokens) else "")}
    run = _longest_consecutive(sorted(bare_at))
    share = len(bare_at) / len(tokens) if tokens else 0.0
    dates = sum(bool(_DATE.search(tokens[i])) for i in numbered)
    if run > MAX_NUMBER_RUN:
        return Finding("number-salad", f"a run of {run} numbers or dates in a row")
    if dates >= 3:
        return Finding("number-salad", f"{dates} dates or times")
    if share > MAX_BARE_NUMBER_SHARE and len(bare_at) >= 3:
        return Finding("number-salad", f"{share:.0%} of its words are bare numbers")
    return None


_DIGITS = "0123456789"


def _longest_consecutive(places: list[int]) -> int:
    """The longest run of places one after another (``longest_run`` of the tokens' flags)."""
    longest = current = 0
    for index, place in enumerate(places):
        current = current + 1 if index and place == places[index - 1] + 1 else 1
        longest = max(longest, current)
    return longest

_A_DIGIT = re.compile(r"\d")
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}|\d\d:\d\d")


def _in_a_range(tokens: list[str]) -> set[int]:
    """The places of a range's numbers: "between 1 and 10", "from 5 to 50", "up to 20"."""
    lowered = [token.lower().strip(".,;:()") for token in tokens]
    last = len(lowered)
    found: set[int] = set()
    # each rule opens on one of these words ("up to" on its "to"): only they are read
    for at in [at for at, low in enumerate(lowered) if low in _RANGE_WORDS]:
        low = lowered[at]
        if low in ("between", "from") and at + 3 < last and lowered[at + 2] in ("and", "to"):
            found |= {at + 1, at + 3}
        elif low == "to" and at >= 1 and lowered[at - 1] == "up" and at + 1 < last:
            found.add(at + 1)
        # "4 or 8 directions", "3 to 5 seats": the noun after the second counts for both
        if (low in ("or", "to", "and") and at >= 1 and at + 2 < last
                and _NUMBER.fullmatch(lowered[at - 1]) and _NUMBER.fullmatch(lowered[at + 1])
                and _COUNTED.fullmatch(lowered[at + 2])):
            found |= {at - 1, at + 1}
    return found | _listed(tokens, lowered)


_RANGE_WORDS = frozenset({"between", "from", "to", "or", "and"})


def _listed(tokens: list[str], lowered: list[str]) -> set[int]:
    """A list of numbers the last one's unit explains: "probes at 10, 30, 60 cm"."""
    found: set[int] = set()
    run: list[int] = []
    for i, token in enumerate(tokens):
        if lowered[i][:1].isdigit() and _NUMBER.fullmatch(lowered[i]):  # (a digit opens one)
            run.append(i)
            if token.endswith(","):
                continue
            following = normalize(tokens[i + 1].strip("()[]\"'.,;")) if i + 1 < len(tokens) else ""
            if len(run) > 1 and _UNIT.match(following):
                found |= set(run)
        elif lowered[i] in ("and", "or") and run and tokens[run[-1]].endswith(","):
            continue
        run = []
    return found


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# a number's noun: "8 directions", "12 teams" (a plural of three letters or more)
_COUNTED = re.compile(r"[a-z]{2,}s")


def _bare_number(token: str, following: str) -> bool:
    """A number no unit or name explains: "10," counts; "340 ms", "$27B", "M2", "8B" do not."""
    core = token.strip(".,;:!?()[]\"'")
    if not _A_DIGIT.search(core):
        return False
    if re.search(r"[A-Za-z%$\u20ac\u00a3]", core):
        return bool(re.fullmatch(r"[\d.,:/T-]+Z?", core))  # timestamps are bare
    noun = normalize(following.strip("()[]\"'"))
    return not (_UNIT.match(noun) or (_COUNTED.fullmatch(following) and is_real_word(noun)))
