"""YAML front matter: read it with line numbers on error, write it back stably."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from panelist.errors import FileFormatError
from panelist.store import plain_yaml

FENCE = "---"
# libyaml's parser when PyYAML was built with it (the wheels are): the same safe loader, about
# ten times faster, which the desk's 1,000-product catalogue needs.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = "tag:yaml.org,2002:str"


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: object, mark: yaml.Mark | None) -> None:
        super().__init__(f"'{key}' is set twice")
        self.problem = f"'{key}' is set twice"
        self.problem_mark = mark


class _SafeLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key set twice (YAML would keep the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        if all(key.tag == _STR_TAG for key, _ in node.value):  # plain keys: their text is the key
            for key_node, _ in node.value:
                if key_node.value in seen:
                    raise _DuplicateKey(key_node.value, key_node.start_mark)
                seen.add(key_node.value)
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                continue  # a list or mapping as a key: the base loader says what is wrong
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def read_text(path: Path, shown: Path | str | None = None) -> str:
    """A file's text, refusing what is not UTF-8; a BOM and CRLF line ends are accepted.

    Only a regular file is read: a FIFO would block forever. Errors name ``shown`` (the
    workspace-relative path), else ``path``.
    """
    where = Path(shown) if shown is not None else path
    check_regular_file(path, where)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileFormatError(where, "file not found") from None
    except IsADirectoryError:
        raise FileFormatError(where, "is a folder, expected a .md file",
                              fix="move the folder away") from None
    return decode(raw, where)


def decode(raw: bytes, where: Path) -> str:
    """A file's bytes as text, refusing what is not UTF-8 (``where`` names it in the error)."""
    if b"\x00" in raw:
        raise FileFormatError(where, "binary file, expected UTF-8 text",
                              fix="save it as a UTF-8 Markdown file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(where, f"not UTF-8 (byte {exc.start})",
                              fix="re-save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_regular_file(path: Path, shown: Path | str) -> None:
    """A file panelist reads is a regular file (or a link to one): not a folder, a FIFO or a
    link to nothing, each named with what to do."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise FileFormatError(shown, f"is a link to {os.readlink(path)}, which does not "
                                  f"exist", fix="fix the link or delete it") from None
        raise FileFormatError(shown, "file not found") from None
    if stat.S_ISDIR(mode):
        raise FileFormatError(shown, "is a folder, expected a .md file",
                              fix="move the folder away")
    if not stat.S_ISREG(mode):
        raise FileFormatError(shown, "is not a regular file (a FIFO, socket or device)",
                              fix="replace it with a text file")


def split(text: str, path: Path | str) -> tuple[dict[str, Any], str, int]:
    """Front matter mapping, body, and the line number where the body starts.

    Only the first two fences count, so a ``---`` inside the body is just text.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise FileFormatError(path, "no front matter", line=1,
                              fix="start the file with a '---' line, the YAML fields, and '---'")
    end = _closing_fence(lines)
    if end is None:
        raise FileFormatError(path, "front matter is not closed", line=1,
                              fix="add a '---' line after the YAML fields")
    try:
        # the shape panelist writes, without YAML's node graph
        data = plain_yaml.load_lines(lines[1:end]) if end > 1 else None
        if data is None:
            data = yaml.load("\n".join(lines[1:end]), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        fix = ("keep one of them" if isinstance(exc, _DuplicateKey)
               else "check quoting and indentation")
        raise FileFormatError(path, f"malformed front matter: {problem}", line=line,
                              fix=fix) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FileFormatError(path, "front matter must be 'field: value' lines", line=2)
    body = "\n".join(lines[end + 1:]).strip("\n")
    return data, body, end + 2


def _closing_fence(lines: list[str]) -> int | None:
    """The first line after the first that is a fence, spaces around it or not: the fence
    as panelist writes it looked up at once, when no line before it holds one otherwise."""
    try:
        end = lines.index(FENCE, 1)
    except ValueError:
        end = len(lines)
    if FENCE in "\n".join(lines[1:end]):  # a fence with spaces around it, perhaps
        return next((i for i in range(1, end) if lines[i].strip() == FENCE),
                    end if end < len(lines) else None)
    return end if end < len(lines) else None


def read(path: Path, shown: Path | str | None = None) -> tuple[dict[str, Any], str]:
    """Front matter and body; errors name ``shown`` (the workspace-relative path) if given."""
    where = Path(shown) if shown is not None else path
    data, body, _ = split(read_text(path, where), where)
    return data, body


def dump(data: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"{FENCE}\n{head}{FENCE}\n{body.strip()}\n"
