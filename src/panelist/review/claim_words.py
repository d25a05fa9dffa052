"""Word lists the claim finder uses to tell names from ordinary capitalised words."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

# Capitalised words that are not claims about a product: the pronoun, and the trade's acronyms.
NOT_NAMES = frozenset([
    "I", "I'd", "I'm", "I've", "I'll", "AI", "API", "APIs", "SDK", "SDKs", "CLI", "UI", "UX",
    "LLM", "LLMs", "GPU", "GPUs", "CPU", "CPUs", "OS", "ML", "DX", "ROI", "SaaS", "B2B", "B2C",
    "OSS", "P2P", "IDE", "JSON", "HTTP", "REST", "TTS", "STT", "OCR", "MVP", "PR", "CTO", "CEO",
    "VC", "VCs", "TAM", "KV", "RAM", "FAQ", "TODO", "TBD", "FIXME", "XXX", "TK", "OK",
])

# Words that open sentences; any other capitalised first word joins a name that follows it.
STARTERS = frozenset([
    "A", "An", "And", "Any", "As", "At", "But", "By", "Each", "Every", "For", "From", "Here",
    "How", "If", "In", "It", "Its", "Like", "No", "Not", "Of", "On", "Once", "Or", "So", "Some",
    "That", "The", "Then", "There", "These", "This", "Those", "To", "Unlike", "Until", "What",
    "When", "Where", "While", "Who", "Why", "With", "Without", "Yet",
])

# Common English words, lower-case: capitalised mid-sentence (for emphasis, in a title-cased
# phrase, after a dash) they are still not names. Words that are also well-known product or
# company names (apple, windows, meta, swift, rust, sonnet, opus) are left out on purpose.
COMMON_WORDS = frozenset(word.lower() for word in STARTERS) | frozenset([
    "about", "above", "across", "after", "again", "against", "all", "almost", "also", "although",
    "always", "am", "among", "another", "anyone", "anything", "anyway", "are", "around", "away",
    "back", "bad", "be", "because", "been", "before", "being", "below", "best", "better",
    "between", "big", "both", "bottom", "brief", "call", "can", "cannot", "case", "caveat",
    "clear", "clearly", "come", "cons", "could", "day", "did", "do", "does", "done", "down",
    "during", "early", "easy", "either", "else", "enough", "even", "ever", "everyone",
    "everything", "exactly", "fair", "far", "few", "final", "finally", "fine", "first", "frankly",
    "free", "full", "get", "give", "go", "good", "great", "half", "hard", "has", "have", "he",
    "her", "high", "his", "honestly", "however", "i", "instead", "is", "just", "key", "large",
    "last", "late", "least", "less", "let", "line", "little", "long", "look", "low", "made",
    "main", "make", "many", "may", "maybe", "me", "meanwhile", "might", "more", "most", "much",
    "must", "my", "near", "need", "never", "new", "next", "nice", "none", "nor", "note", "nothing",
    "now", "off", "often", "old", "one", "only", "open", "other", "our", "out", "over", "overall",
    "own", "paid", "perhaps", "plain", "point", "pro", "pros", "quite", "rather", "real", "really",
    "right", "same", "second", "see", "she", "short", "should", "simple", "since", "skip", "ship",
    "small", "source", "still", "such", "sure", "take", "than", "thanks", "their", "them", "they",
    "thing", "think", "third", "though", "three", "through", "thus", "today", "together",
    "tonight", "too", "top", "truly", "two", "under", "up", "update", "upside", "us", "very",
    "verdict", "warning", "was", "we", "well", "were", "which", "who", "whole", "will", "would",
    "yes", "you", "your"
])

# Numbers in words: the units (their place in the list is their value) and the tens
UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
WORD_VALUES = {**{word: float(value) for value, word in enumerate(UNITS)},
               **{word: float(value) for word, value in TENS.items()}}


# The words ``claims._CURRENCY_WORD`` matches
CURRENCY_WORDS = frozenset(["pound", "pounds", "dollar", "dollars", "euro", "euros", "yen",
                            "quid", "bucks", "usd", "gbp", "eur"])


def spelled_finder(words: Iterable[str]) -> Callable[[str], frozenset[str] | None]:
    """A finder of ``words`` (lower-case letters) standing as words in a text lower-cased:
    those ``(?<![a-z0-9_])word(?![a-z0-9_])`` finds there, each once (most texts hold none);
    None for a text that is not ASCII, whose letters may fold to others case-insensitively.
    One pattern, its alternatives as a tree of letters; it keeps what it found in the last
    texts asked (money and numbers in words ask of the same text)."""
    pattern = re.compile(rf"(?<![a-z0-9_])(?:{letter_tree(sorted(words))})(?![a-z0-9_])")

    @functools.lru_cache(maxsize=16)
    def found(text: str) -> frozenset[str] | None:
        return frozenset(pattern.findall(text.lower())) if text.isascii() else None

    return found


def letter_tree(words: list[str]) -> str:
    """A regular expression matching exactly ``words`` (lower-case letters), its alternatives
    sharing their first letters ("t(?:en|wo)"): tried letter by letter, not word by word."""
    firsts = sorted({word[0] for word in words if word})
    branches = [first + letter_tree([word[1:] for word in words if word[:1] == first])
                for first in firsts]
    if not branches:
        return ""
    tree = f"(?:{'|'.join(branches)})"
    return f"{tree}?" if "" in words else tree
