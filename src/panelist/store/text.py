"""The one rule for text panelist writes into a workspace file, whoever sends it (the CLI, the
desk's pages, its JSON API, a model's answer): every writer of a draft or product file passes
its fields through ``check_fields`` before a byte is written.

Refused, with a message naming the field: control characters other than newline and tab (a NUL
makes the file unreadable; an ESC starts a terminal escape sequence that ``status`` would print),
lone surrogates (not encodable as UTF-8), and text over a sane maximum (a 10 MB quote made lint
run for minutes). Line ends are normalised to ``\\n`` first, so a form's CRLF is not an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from panelist.errors import FileFormatError

# Cc (C0, DEL, C1) except tab and newline, and the surrogate block: what a UTF-8 text file must
# not hold. A lone surrogate is how JSON's "\ud800" arrives.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
DEFAULT_MAX_CHARS = 5_000
MAX_CHARS = {"quote": 20_000, "description": 60_000}  # 400 words; 3,000 words, generously


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_problem(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str | None:
    """Why ``text`` cannot go into a workspace file, or None."""
    found = _FORBIDDEN.search(text)
    if found:
        char = found.group()
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            kind = "a lone surrogate"
        elif char == "\x1b":
            kind = "an escape character (a terminal escape sequence)"
        elif char == "\x00":
            kind = "a NUL character"
        else:
            kind = "a control character"
        return (f"contains {kind} (U+{code:04X}) at character {found.start() + 1}; only "
                f"printable text, tabs and newlines are allowed")
    if len(text) > max_chars:
        return f"is {len(text):,} characters long; the most is {max_chars:,}"
    return None


def check_text(text: str, field: str, where: Path | str) -> str:
    """``text`` with normalised line ends, or ``FileFormatError`` naming ``where`` and ``field``."""
    text = normalise_newlines(text)
    problem = text_problem(text, MAX_CHARS.get(field.split("[")[0], DEFAULT_MAX_CHARS))
    if problem:
        raise FileFormatError(where, problem, field=field,
                              fix="remove the character or shorten the text, then save again")
    return text


def check_fields(data: Mapping[str, Any], where: Path | str, *, prefix: str = "") -> None:
    """Every string in front-matter ``data`` (lists and mappings included), checked."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        check_text(str(key), name, where)
        _check_value(value, name, where)


def _check_value(value: Any, name: str, where: Path | str) -> None:
    if isinstance(value, str):
        check_text(value, name, where)
    elif isinstance(value, Mapping):
        check_fields(value, where, prefix=f"{name}.")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_value(item, f"{name}[{index}]", where)


def printable(text: str) -> str:
    """``text`` safe to show anywhere (a JSON answer, a terminal, a page): each forbidden
    character written as its escape, e.g. ``\\x00`` or ``\\ud800``."""
    return _FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace")
                          .decode("ascii"), text)
