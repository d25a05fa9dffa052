"""The words of a text as lint grounds names in them: each word's key, and a product's words
asked one at a time.

A word (``WORD``) is a run of letters, digits and ``.+&'-`` (or a right single quote) from a
letter or digit to a letter, digit or "+" (or a lone letter); its key is the word lower-cased
without its possessive ("Mistral's": "mistral"). A name in a quote is grounded when the
product file holds a word of the same key.
"""

from __future__ import annotations

import functools
import re

WORD = re.compile("[A-Za-z0-9][A-Za-z0-9.+&'\u2019-]*[A-Za-z0-9+]|[A-Za-z]")
_POSSESSIVE = re.compile("['\u2019]s?$")
RUN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+&'\u2019-")
NOT_FIRST = ".+&'\u2019-"  # a word starts on a letter or digit
NOT_LAST = ".&'\u2019-"  # and ends on one or a "+"
_LOOKS = 8  # places a key is found at in a text without being its word, before all are read


@functools.lru_cache(maxsize=1 << 16)  # a catalogue's products and quotes say the same words
def word_key(word: str) -> str:
    return unpossessive(word).lower()


def unpossessive(word: str) -> str:
    """``word`` without its possessive ("Mistral's": "Mistral"), as ``_POSSESSIVE`` takes it
    off: the regular expression only for the few words that end in one."""
    if word[-1] in "s'\u2019" and ("'" in word or "\u2019" in word):
        return _POSSESSIVE.sub("", word)
    return word


def word_keys(text: str) -> set[str]:
    """Every word's key (``word_key``) in the text. An ASCII text is lower-cased once and its
    words found in that: the same words at the same places (``WORD`` takes either case of
    each letter), each its key, but for a possessive: lower-cased, "'S" would be taken off as
    "'s" is, so a text holding one is read word by word."""
    if not text.isascii() or "'S" in text:
        return {word_key(word) for word in set(WORD.findall(text))}
    words = set(WORD.findall(text.lower()))
    return {unpossessive(word) for word in words} if "'" in text else words


class SourceWords:
    """``key in words``: whether ``word_keys(text)`` holds ``key``, worked out for the keys
    asked (a product's quotes ask a few dozen; its text has a few hundred words). In an ASCII
    text lower-cased, a word whose key is ``key`` is ``key`` itself or with "'" or "'s" after
    it: each is looked for where the text holds it, and the run of ``WORD``'s characters
    around it read as ``WORD`` reads it (its one word). A text that is not ASCII or holds an
    "'S", or a key found in many places that are not its word, has all its keys read."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lowered = text.lower() if text.isascii() and "'S" not in text else None
        self._keys: set[str] | None = None
        self._asked: dict[str, bool] = {}

    def __contains__(self, key: str) -> bool:
        if self._lowered is None or self._keys is not None or not key:
            return key in self._all()
        found = self._asked.get(key)
        if found is None:
            found = self._asked[key] = self._holds(key)
        return found

    def _all(self) -> set[str]:
        if self._keys is None:
            self._keys = word_keys(self._text)
        return self._keys

    def _holds(self, key: str) -> bool:
        lowered = self._lowered
        assert lowered is not None
        looks = 0
        for word in (key, f"{key}'", f"{key}'s"):
            if not RUN_CHARS.issuperset(word) or unpossessive(word) != key:
                continue
            at = lowered.find(word)
            while at >= 0:
                if _word_at(lowered, at, len(word)) == word:
                    return True
                looks += 1
                if looks > _LOOKS:
                    return key in self._all()
                at = lowered.find(word, at + 1)
        return False


def _word_at(text: str, start: int, length: int) -> str:
    """``WORD``'s word in the run of its characters around ``text[start:start + length]`` (one
    at most: from the run's first letter or digit to its last letter, digit or "+"; a lone
    digit is none)."""
    end = start + length
    while start and text[start - 1] in RUN_CHARS:
        start -= 1
    while end < len(text) and text[end] in RUN_CHARS:
        end += 1
    word = text[start:end].lstrip(NOT_FIRST).rstrip(NOT_LAST)
    return "" if len(word) == 1 and word.isdigit() else word
