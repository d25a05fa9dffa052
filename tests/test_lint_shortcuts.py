"""Lint's shortcuts give what the loops they replace give.

A product's grounds read its words lower-cased once and each number in words once; a quote
whose claims are all grounded is not cut into sentences; a capitalised word after a space after
a letter or digit is inside a sentence without looking further back; a text with no number word
is not searched for numbers in words. Each is held here to the
plain form it replaces, on the labelled takes (as written, upper- and lower-cased), the
products they were written about, and texts written for the edge cases.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from pathlib import Path

from panelist.review import claim_words, claims, source_words

DATA = Path(__file__).parent / "data"
WRITTEN = [
    "O'NEIL'S team's it's THE BOSS'S plan; Bob's and Bobs' and Bob'S", "JOHN'S", "John's",
    "\u0130stanbul Caf\u00e9's \u00c9T\u00c9\u2019S na\u00efve Caf\u00e9\u2019s", "it's",
    "a thousand and two dollars, $5M, 3.0, v2, twenty-one users, 40 dollars, two pounds",
    "one hundred and five thousand pounds; a million euros; seventy-two quid",
    "Ship it. Linear and GitHub work; (Notion) \"Slack\" -Jira *Asana* 3 Zoom. Teams: Okta",
    "$27B, 27 billion dollars, 1,000 calls, v3.0 and 2.4.1; Series B from Andreessen Horowitz",
]


def _texts() -> list[str]:
    takes = [json.loads(line) for line in (DATA / "quality_labelled.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    found = [*WRITTEN]
    for take in takes:
        for text in [take["quote"], " ".join(take.get("reasons") or [])]:
            found += [text, text.upper(), text.lower()]
    return found


def _products() -> list[str]:
    return [*WRITTEN, *(path.read_text(encoding="utf-8")
                        for path in sorted((DATA / "quality_products").glob("*.md")))]


TEXTS = _texts()


def _money_as_written(text: str) -> Iterator[tuple[int, int, float]]:
    """``_money`` as it was: both patterns on a text with a digit, then every number in words
    with a currency after it."""
    for pattern in (claims._MONEY, claims._MONEY_IN_WORDS) if re.search(r"\d", text) else ():
        for m in pattern.finditer(text):
            yield m.start(), m.end(), claims._amount(m.group(1)) * claims._SCALES.get(
                (m.group(2) or "").lower(), 1)
    for start, end, value in claims._word_numbers(text, claims_only=False):
        after = claims._AFTER_WORD_NUMBER.match(text, end)
        if after and after.group(1):
            yield start, after.end(), value


def _value_keys_as_written(text: str) -> Iterator[str]:
    """``_value_keys`` as it was: money (numbers in words before a currency too), digits,
    versions and numbers in words, each by its own finder."""
    for _, _, value in _money_as_written(text):
        yield claims._key(value)
    for _, _, value, plain in claims._digit_numbers(text):
        yield claims._key(value)
        yield claims._key(plain)
    for m in claims._versions(text):
        yield claims._key(claims._version(m))
    for _, _, value in claims._word_numbers(text, claims_only=False):
        yield claims._key(value)


def test_a_products_values_are_those_each_finder_finds():
    for text in [*TEXTS, *_products()]:
        assert claims._value_keys(text) == set(_value_keys_as_written(text)), text


def test_a_products_words_read_lower_cased_are_the_keys_of_its_words():
    possessives = 0
    for text in [*TEXTS, *_products()]:
        expected = {source_words.word_key(word) for word in set(source_words.WORD.findall(text))}
        possessives += any("'" in word for word in source_words.WORD.findall(text))
        assert source_words.word_keys(text) == expected, text
    assert possessives > 10  # the texts reach the possessive's case


ODD_KEYS = ["", "a", "e", "on", "5", "5+", "c++", "x'", "bob'", "bob", "bobs", "it", "o'neil",
            "'s", "s", "-", "a.b", "caf\u00e9", "2.4.1", "v3.0", "series b", "the boss"]


def test_a_products_words_asked_one_at_a_time_are_the_keys_of_its_words():
    """A product's words are looked for as the quotes ask, not all read: the same answer."""
    texts = [*TEXTS[::7], *_products()]
    asked = {key for text in texts for key in source_words.word_keys(text)}
    asked |= {source_words.word_key(word) for text in texts
              for _, word in claims._capitalised_words(text)}
    found = looked_for = read_all = 0
    for text in _products() + TEXTS[::97]:
        keys, words = source_words.word_keys(text), source_words.SourceWords(text)
        for key in [*sorted(asked), *ODD_KEYS]:
            assert (key in words) == (key in keys), (key, text[:80])
            found += key in keys
        looked_for += bool(words._asked)
        read_all += words._keys is not None
    assert found > 500 and looked_for > 10 and read_all > 10  # both ways, each way of asking


def _ungrounded_as_written(quote: str, source: str) -> list[claims.SentenceClaims]:
    """``ungrounded_by_sentence`` as it was: every quote's claims kept, then grouped."""
    kept: list[claims._Claim] = []
    for claim in claims._all_claims(quote, claims.grounds_of(source)):
        at = bisect.bisect_left([c.start for c in kept], claim.start)
        if (at > 0 and kept[at - 1].end > claim.start) or (
                at < len(kept) and kept[at].start < claim.end):
            continue
        kept.insert(at, claim)
    found = [claim for claim in kept if not claim.grounded]
    grouped = []
    for start, end in claims.sentence_spans(quote):
        said = [quote[c.start:c.end].strip() for c in found if start <= c.start < end]
        if said:
            grouped.append(claims.SentenceClaims(quote[start:end].strip(),
                                                 list(dict.fromkeys(said))))
    return grouped


def test_a_quote_is_grouped_by_sentence_as_before_and_one_wholly_grounded_has_none():
    products = _products()
    grounded = ungrounded = 0
    for index, quote in enumerate(TEXTS):
        for source in (products[index % len(products)], quote):
            found = claims.ungrounded_by_sentence(quote, source)
            assert found == _ungrounded_as_written(quote, source), quote
            grounded += not found
            ungrounded += bool(found)
    assert grounded > 100 and ungrounded > 100


def test_a_word_after_a_space_after_a_letter_or_digit_is_inside_a_sentence():
    inside = 0
    for text in TEXTS:
        for at, _ in claims._capitalised_words(text):
            if at >= 2 and text[at - 1] == " " and text[at - 2].isalnum():
                inside += 1
                assert not claims._starts_sentence(text, at), (text, at)
    assert inside > 1000


def test_numbers_in_words_are_found_where_the_pattern_finds_them():
    """A text with no number word standing as a word is not searched: the same (none)."""
    skipped = 0
    for text in [*TEXTS, *_products(), "x_one 1two two_ twenty-one a hundred, a  thousand"]:
        found = (claims._WORD_NUMBER_LOWER.finditer(text.lower()) if text.isascii()
                 else claims._WORD_NUMBER.finditer(text))
        expected = tuple((m.start(), m.end(), text[m.start():m.end()]) for m in found)
        assert claims._word_number_matches(text) == expected, text
        words = claims._SPELLED(text)
        skipped += words is not None and claims._NUMBER_WORDS.isdisjoint(words)
    assert skipped > 100


MONEY_CASES = ["5 poundsx", "5 compound", "5 -dollars", "10 Dollars", "ten\tbucks", "3 USD",
               "7 EUR and 8 euro_", "2 k quid", "one hundred Euros", "\u017fix 5 pound\u017f"]


def test_number_and_currency_words_are_found_where_a_word_pattern_finds_them():
    """Found in one pass, each where it stands as a word in the text lower-cased."""
    asked = [*claims._NUMBER_WORDS, *claim_words.CURRENCY_WORDS, "x_one", "1two", "a", "tw"]
    for text in [*TEXTS, *_products(), *MONEY_CASES, "x_one 1two two_ eurx euros, -dollar"]:
        words = claims._SPELLED(text)
        assert (words is None) == (not text.isascii())
        for word in asked if words is not None else ():
            found = re.search(rf"(?<![a-z0-9_]){re.escape(word)}(?![a-z0-9_])", text.lower())
            in_list = word in claims._NUMBER_WORDS | claim_words.CURRENCY_WORDS
            assert (word in words) == (bool(found) and in_list), (word, text)


def test_a_letter_tree_matches_its_words_and_nothing_else():
    words = [*claims._NUMBER_WORDS, *claim_words.CURRENCY_WORDS]
    tree = re.compile(f"(?:{claim_words.letter_tree(words)})")
    assert all(tree.fullmatch(word) for word in words)
    others = ["", "on", "tw", "hundreds", "hundre", "twentyone", "sixt", "eigh", "nin", "a",
              "eu", "euroo", "poun", "dollarss", "usds"]
    assert not any(tree.fullmatch(word) for word in others)


def test_money_is_found_where_both_patterns_and_the_numbers_in_words_find_it():
    """A text without a currency's sign is not searched for ``_MONEY``, one without its
    name (an ASCII text) neither for ``_MONEY_IN_WORDS`` nor for money in words."""
    skipped = 0
    for text in [*TEXTS, *_products(), *MONEY_CASES]:
        assert list(claims._money(text)) == list(_money_as_written(text)), text
        skipped += len(claims._money_patterns(text, claims._may_name_a_currency(text))) < 2
    assert skipped > 100
