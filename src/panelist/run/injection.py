"""Spotting vendor text that talks to the reviewer instead of describing the product.

The description is already fenced as untrusted data in the prompt; these flags are for the
editor, so a take drafted from a description that tried to steer the panel is visibly marked.
"""

from __future__ import annotations

import re

_PATTERNS: dict[str, re.Pattern[str]] = {
    "instruction override": re.compile(
        r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|"
        r"all|your|the)\b[^.\n]{0,20}\b(instructions?|rules|prompts?|guidelines)\b", re.I),
    "verdict steering": re.compile(
        r"\b(rate|mark|score|call|vote|review|judge)\b[^.\n]{0,30}\b(this|it|us|the product)?"
        r"[^.\n]{0,10}\b(as\s+)?[\"']?(ship|5 stars|five stars|positive(ly)?|favou?rabl[ey])\b",
        re.I),
    "reviewer address": re.compile(
        r"\b(dear|attention|note to)\s+(ai|llm|model|assistant|reviewer|panel)s?\b|"
        r"\b(as an ai|you are now|you must now|new instructions|system prompt)\b", re.I),
    "role-play marker": re.compile(
        r"(^|\n)\s*(system|assistant|user|human)\s*:|<\|?(im_start|im_end|system|endoftext)\|?>|"
        r"\[/?INST\]|</?(system|instructions?)>", re.I),
    "HTML comment": re.compile(r"<!--.*?-->", re.S),
    "hidden characters": re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]"),
}


def injection_flags(text: str) -> list[str]:
    """The kinds of reviewer-directed text found, in a stable order; empty when clean."""
    return [name for name, pattern in _PATTERNS.items() if pattern.search(text)]
