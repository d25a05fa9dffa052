"""Front matter in the plain shape panelist writes, read without building YAML's node graph.

A catalogue's cold read parses thousands of front matters, and PyYAML's constructor (Python, even
over libyaml's parser) was a fifth of that read. ``load`` reads the shape ``frontmatter.dump``
writes: ``key: value`` lines, and under a key one block of ``key: value`` lines indented two
spaces or of ``- value`` items; each value single-quoted or plain, on its line or folded over
the next lines (a long one). Plain values are typed by YAML's own resolver and constructors
(``0.0`` a float, ``true`` a bool, ``~`` null), so the answer is YAML's. Anything else (a
comment, a blank line, a double-quoted escape, an anchor, a tag, a key set twice, a
timestamp...) gives None, and YAML reads the text, with its errors; a spec holds the two to the
same answer on every shape.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?")
_ITEM = "- "
_NESTED = "  "
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain value cannot open with one
_STR = "tag:yaml.org,2002:str"
_TYPED = frozenset({_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Declined(Exception):
    """Not the plain shape: YAML reads it."""


def load(text: str) -> dict[str, Any] | None:
    """The mapping, as ``yaml.safe_load`` would give it, or None when the text is not in the
    plain shape."""
    return load_lines(text.split("\n"))


def load_lines(lines: list[str]) -> dict[str, Any] | None:
    """``load`` of the text of these lines (a file's, split already)."""
    try:
        return _mapping(lines)
    except _Declined:
        return None


def _mapping(lines: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        index += 1
        # a line read before (in another file, most of them) whose value it holds alone
        read = _READ.get(line)
        # the next line carries this one on only if it opens on a space (most do not)
        if read is not None and (index == count or lines[index][:1] != " "
                                 or not _continued(lines, index, _NESTED)):
            if read[0] in data:
                raise _Declined  # a key set twice
            data[read[0]] = read[1]() if read[2] else read[1]
            continue
        key, raw = _entry(line, data)
        if raw is not None and not _continued(lines, index, _NESTED):
            data[key] = _remember(line, key, _scalar(raw))
        elif raw is not None:
            raw, index = _folded(raw, lines, index, _NESTED)
            data[key] = _scalar(raw)
        elif index < count and lines[index].startswith(_ITEM):
            index, data[key] = _items(lines, index, "")
        elif index < count and lines[index].startswith(_NESTED + _ITEM):
            index, data[key] = _items(lines, index, _NESTED)
        elif index < count and lines[index].startswith(_NESTED):
            index, data[key] = _nested(lines, index)
        else:
            data[key] = None  # "key:" and nothing under it
    return data


def _nested(lines: list[str], index: int) -> tuple[int, dict[str, Any]]:
    """The block of ``key: value`` lines under a key, indented two spaces."""
    nested: dict[str, Any] = {}
    count = len(lines)
    while index < count and lines[index].startswith(_NESTED):
        line = lines[index][2:]  # len(_NESTED)
        index += 1
        read = _READ.get(line)
        if read is not None and (index == count or lines[index][2:4] != _NESTED
                                 or not _continued(lines, index, 2 * _NESTED)):
            if read[0] in nested:
                raise _Declined  # a key set twice
            nested[read[0]] = read[1]() if read[2] else read[1]
            continue
        nested_key, nested_raw = _entry(line, nested)
        if nested_raw is None:
            raise _Declined  # a block inside a block
        if not _continued(lines, index, 2 * _NESTED):
            nested[nested_key] = _remember(line, nested_key, _scalar(nested_raw))
            continue
        nested_raw, index = _folded(nested_raw, lines, index, 2 * _NESTED)
        nested[nested_key] = _scalar(nested_raw)
    return index, nested


# A ``key: value`` line whose value stands on the line alone reads the same wherever it is:
# a catalogue's files repeat most of theirs ("backend: claude", "  output_tokens: 0"), so each
# is read once. Kept: the key, the value (or its type, for an empty list or mapping: each
# file gets its own) and whether it is such a type.
_READ: dict[str, tuple[str, Any, bool]] = {}
_READ_MAX = 4096  # lines kept; past it the store starts again (the repeated ones come back)


def _continued(lines: list[str], index: int, indent: str) -> bool:
    """Whether the line at ``index`` carries on the value above it (``_folded``'s test)."""
    return index < len(lines) and lines[index].startswith(indent) and \
        lines[index][len(indent):len(indent) + 1] not in ("", " ")


def _remember(line: str, key: str, value: Any) -> Any:
    if len(_READ) >= _READ_MAX:
        _READ.clear()
    mutable = isinstance(value, (list, dict))
    _READ[line] = (key, type(value) if mutable else value, mutable)
    return value


def _entry(line: str, seen: dict[str, Any]) -> tuple[str, str | None]:
    """``key: value`` (``_ENTRY``'s two groups), read without the pattern for each line: the
    key is the text before the first colon (``_ENTRY``'s key has none) and is checked once
    per key text."""
    colon = line.find(":")
    key = line[:colon]
    if colon < 0 or key in seen or not _plain_key(key):  # a key set twice; "on:", "null:"
        raise _Declined
    rest = line[colon + 1:]
    if not rest:
        return key, None
    if rest[0] != " ":
        raise _Declined
    return key, rest[1:]


@lru_cache(maxsize=4096)
def _plain_key(key: str) -> bool:
    """A key ``_ENTRY`` reads that YAML reads as a string ("on" is a bool, "null" null)."""
    return _ENTRY.fullmatch(key + ":") is not None and _tag(key) == _STR


def _items(lines: list[str], index: int, indent: str) -> tuple[int, list[Any]]:
    items = []
    while index < len(lines) and lines[index].startswith(indent + _ITEM):
        raw, index = _folded(lines[index][len(indent) + len(_ITEM):], lines, index + 1,
                             indent + _NESTED)
        items.append(_scalar(raw))
    if index < len(lines) and lines[index].startswith(" "):
        raise _Declined  # a deeper block, or an item folded over two lines
    return index, items


def _folded(raw: str, lines: list[str], index: int, indent: str) -> tuple[str, int]:
    """A value the writer folded over lines (a long one, each next line ``indent`` deeper than
    its key): the lines joined as YAML folds them, a break and the spaces around it one space."""
    parts = [raw]
    while index < len(lines) and lines[index].startswith(indent) and \
            lines[index][len(indent):len(indent) + 1] not in ("", " "):
        parts.append(lines[index][len(indent):])
        index += 1
    if len(parts) == 1:
        return raw, index
    if raw[:1] != "'" and any(part[0] in _INDICATORS for part in parts[1:]):
        raise _Declined  # "- x" or "# note" under a plain value
    return " ".join([part.rstrip(" ") for part in parts[:-1]] + parts[-1:]), index


def _scalar(raw: str) -> Any:
    if not raw or not raw.isprintable() or raw != raw.strip():
        raise _Declined  # "key: " (null), a tab, a control or format character, a padded value
    if raw[0] == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Declined  # 'a' 'b', 'a' # note
        return inner.replace("''", "'")
    if raw in ("[]", "{}"):
        return [] if raw == "[]" else {}
    return _plain(raw)


@lru_cache(maxsize=4096)  # a catalogue's files repeat their keys and most of their values
def _plain(raw: str) -> Any:
    if raw[0] in _INDICATORS or ": " in raw or raw.endswith(":") or " #" in raw:
        raise _Declined
    tag = _tag(raw)
    if tag == _STR:
        return raw
    if tag not in _TYPED:
        raise _Declined  # a timestamp, a merge key
    return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, raw))


def _tag(plain: str) -> str:
    """YAML's tag for a plain value: a string at once when no implicit resolver is listed for
    its first character (a title, a hash), as YAML's resolver answers then."""
    return _STR if plain[:1] not in _RESOLVED_FIRSTS else _resolved_tag(plain)


@lru_cache(maxsize=4096)
def _resolved_tag(plain: str) -> str:
    return str(_RESOLVER.resolve(yaml.ScalarNode, plain, (True, False)))  # type: ignore[no-untyped-call]


# The first characters YAML's implicit resolvers are listed for (it lists none for any
# character, nor a path: a spec holds it to that)
_RESOLVED_FIRSTS = frozenset(_RESOLVER.yaml_implicit_resolvers)
