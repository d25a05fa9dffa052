"""Word lists the claim finder uses to tell names from ordinary capitalised words."""

from __future__ import annotations

import functools

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
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
_BREAKS = bytes(byte if byte in _WORD_BYTES else 0x20 for byte in range(256))  # to a space


@functools.lru_cache(maxsize=16)  # money and numbers in words ask of the same text
def lowered_words(text: str) -> frozenset[str] | None:
    """An ASCII text's words lower-cased, each once (None for a text that is not ASCII): the
    runs of lower-case letters, digits and "_" in it lower-cased, so a word ``w`` is among them
    exactly where ``(?<![a-z0-9_])w(?![a-z0-9_])`` finds it in the lower-cased text (every
    other character made a space, and the text split at C speed, not a pattern's)."""
    if not text.isascii():
        return None
    return frozenset(text.lower().encode("ascii").translate(_BREAKS).decode("ascii").split())
