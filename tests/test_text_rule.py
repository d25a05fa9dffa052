"""The store's one rule for text going into a workspace file (``store/text.py``)."""

from __future__ import annotations

import pytest

from panelist.errors import FileFormatError
from panelist.store.text import check_fields, check_text, printable, text_problem


@pytest.mark.parametrize("text", [
    "Plain words.", "Tabs\tand\nnewlines", "Accents: café, naïve", "Quotes “curly” — dashes",
    "Emoji 🚀 and CJK 漢字", "Zero\u200bwidth (flagged as injection elsewhere, not refused)",
], ids=["plain", "tab-newline", "accents", "typography", "emoji-cjk", "zero-width"])
def test_printable_text_passes(text: str) -> None:
    assert text_problem(text) is None


@pytest.mark.parametrize("text, named", [
    ("a\x00b", "NUL"), ("a\x1b[31mb", "escape character"), ("a\x07b", "control character"),
    ("a\x7fb", "control character"), ("a\x9bb", "control character"),
    ("a\ud800b", "lone surrogate"), ("a\udfffb", "lone surrogate"),
], ids=["nul", "ansi-escape", "bell", "del", "c1-csi", "high-surrogate", "low-surrogate"])
def test_what_a_file_must_not_hold_is_named(text: str, named: str) -> None:
    problem = text_problem(text)
    assert problem is not None and named in problem and "at character 2" in problem


def test_line_ends_are_normalised_not_refused() -> None:
    assert check_text("one\r\ntwo\rthree", "quote", "x.md") == "one\ntwo\nthree"


def test_each_field_has_a_sane_maximum() -> None:
    assert check_text("a" * 20_000, "quote", "x.md")
    with pytest.raises(FileFormatError, match=r"x.md: field 'note': is 5,001 characters long"):
        check_text("a" * 5_001, "note", "x.md")
    with pytest.raises(FileFormatError, match="field 'description'"):
        check_text("a" * 60_001, "description", "x.md")


def test_nested_fields_are_named_by_their_path() -> None:
    with pytest.raises(FileFormatError, match=r"field 'usage.note\[1\]'"):
        check_fields({"usage": {"note": ["ok", "b\x00d"]}, "take": 3}, "x.md")


def test_printable_writes_forbidden_characters_as_escapes() -> None:
    assert printable("a\x00b\ud800c\x1b") == "a\\x00b\\ud800c\\x1b"
    assert printable("café 🚀") == "café 🚀"
