"""YAML front matter: read it with line numbers on error, write it back stably."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from panelist.errors import FileFormatError

FENCE = "---"
# libyaml's parser when PyYAML was built with it (the wheels are): the same safe loader, about
# ten times faster, which the desk's 1,000-product catalogue needs.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path) -> str:
    """A file's text, refusing what is not UTF-8; a BOM and CRLF line ends are accepted."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileFormatError(path, "file not found") from None
    except IsADirectoryError:
        raise FileFormatError(path, "is a folder, expected a .md file") from None
    return decode(raw, path)


def decode(raw: bytes, path: Path) -> str:
    """A file's bytes as text, as ``read_text`` reads them (the index keeps the bytes)."""
    if b"\x00" in raw:
        raise FileFormatError(path, "binary file, expected UTF-8 text",
                              fix="save it as a UTF-8 Markdown file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(path, f"not UTF-8 (byte {exc.start})",
                              fix="re-save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Front matter mapping, body, and the line number where the body starts.

    Only the first two fences count, so a ``---`` inside the body is just text.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise FileFormatError(path, "no front matter", line=1,
                              fix="start the file with a '---' line, the YAML fields, and '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise FileFormatError(path, "front matter is not closed", line=1,
                              fix="add a '---' line after the YAML fields") from None
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise FileFormatError(path, f"malformed front matter: {problem}", line=line,
                              fix="check quoting and indentation") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FileFormatError(path, "front matter must be 'field: value' lines", line=2)
    body = "\n".join(lines[end + 1:]).strip("\n")
    return data, body, end + 2


def read(path: Path) -> tuple[dict[str, Any], str]:
    data, body, _ = split(read_text(path), path)
    return data, body


def dump(data: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"{FENCE}\n{head}{FENCE}\n{body.strip()}\n"
