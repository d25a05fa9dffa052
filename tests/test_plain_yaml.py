"""Front matter in the plain shape is read without YAML's node graph, and always as YAML reads
it: same keys, same values, same types; any other shape is left to YAML (with its errors)."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from panelist.errors import FileFormatError
from panelist.store import frontmatter, plain_yaml


def typed(value: Any) -> Any:
    """A value with its types spelled out: True == 1 and 0.0 == 0 in Python, not in YAML."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def yaml_reads(text: str) -> Any:
    try:
        return typed(yaml.load(text, Loader=frontmatter._SafeLoader))
    except yaml.YAMLError:
        return "error"


def test_a_draft_as_panelist_writes_it_is_read_plainly_and_as_yaml_reads_it() -> None:
    data = {"title": "acme / dx, take 2", "date": "2025-11-20T09:30:00Z", "product": "acme",
            "verdict": "ship", "draft": True, "take": 2, "cost": 0.0, "seed": None,
            "reasons": ["one: two", "it's #1", "'quoted'", "yes", "007", "1:30", ""],
            "injection_flags": [], "usage": {"input_tokens": 12, "cost_usd": 0.0123},
            "note": "on", "empty": {}}
    head = frontmatter.dump(data, "body").split("---\n")[1].removesuffix("\n")  # as split

    assert plain_yaml.load(head) is not None
    assert typed(plain_yaml.load(head)) == yaml_reads(head) == typed(data)


@pytest.mark.parametrize("head", [
    "a: 1 # a comment", "a: 1\n\nb: 2", "a: 1\na: 2", "a: 2025-11-20", "a: &x 1\nb: *x",
    "a: !!str 1", "a: 'open\n\n  on'", 'a: "double"', "a: x\n  - y", "a: x\n  # y",
    "a: |\n  block", "on: 1", "a:\n    b: 1",
    "a:\n- 1\n  - 2", "a: 1\n- 2", "a: b: c", "a:  1", "a: 1 ", "a: <<", "a:\n  b:\n    c: 1",
    "a: 'x' 'y'", "- 1", "", "a:\tb", "a: x\u2028y", "a: -1",
], ids=repr)
def test_any_other_shape_is_left_to_yaml(head: str) -> None:
    assert plain_yaml.load(head) is None


def test_a_key_set_twice_is_still_the_error_yaml_reports(tmp_path) -> None:
    with pytest.raises(FileFormatError, match="'verdict' is set twice"):
        frontmatter.split("---\nverdict: ship\nverdict: skip\n---\nbody", tmp_path / "x.md")


def test_a_line_read_before_reads_the_same_in_every_file_and_place() -> None:
    """A catalogue's files repeat their lines, each read once: the same line at the top, under
    a key, set twice, carried on by the next line, or an empty list each file may change."""
    first = plain_yaml.load("flags: []\nusage:\n  flags: []\nnote: x")
    assert first == {"flags": [], "usage": {"flags": []}, "note": "x"}
    again = plain_yaml.load("flags: []\nusage:\n  flags: []\nnote: x")
    assert again == first
    assert again is not None and again["flags"] is not first["flags"]
    assert again["usage"]["flags"] is not first["usage"]["flags"]
    assert plain_yaml.load("note: x\nnote: x") is None  # yaml's error: a key set twice
    assert plain_yaml.load("note: x\n  y") == {"note": "x y"}  # folded: not the line alone
    assert plain_yaml.load("usage:\n  note: x\n    y") == {"usage": {"note": "x y"}}


KEYS = ["a", "b", "on", "yes", "null", "y", "n", "a-b", "_c", "True", "x1"]
VALUES = ["x", "'open", "close'", "mid'' dle", "a''", "x ", "'a'' b",
          "1", "-1", "+1", "0.0", "1e3", "1.5e3", ".inf", "-.inf", ".nan", "0x1F", "0o17",
          "017", "0b101", "1_000", "1:30", "1:3:5", "true", "True", "TRUE", "no", "off", "~",
          "null", "Null", "'it''s'", "''", "''''", "'a'b'", "'#x'", "a b", "a  b", "a, b",
          "a#b", "a #b", "C#", "a:b", "a: b", "a:", "http://x.y/z?q=1", "[]", "{}", "[1]",
          "{a: 1}", "-", "- x", "?", "? x", "!x", "&x", "*x", "%x", "@x", "`x", "|", ">",
          "2025-01-01", "2025-01-01T00:00:00Z", "<<", "=", "é", "\u00a0x", "x\u200b", "ж",
          "12:30:00", "1.0.0", "v1", "$5", "50%", "'a", "a'", '"a"', "é'è"]


def random_head(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(KEYS)
        shape = rng.random()
        if shape < 0.45:
            lines.append(f"{key}: {rng.choice(VALUES)}")
        elif shape < 0.6:  # a long value, folded by the writer over the next lines
            lines.append(f"{key}: {rng.choice(VALUES)}")
            lines += [rng.choice(["  ", "   ", " ", "    "]) + rng.choice(VALUES)
                      for _ in range(rng.randint(1, 3))]
        elif shape < 0.75:
            lines.append(f"{key}:")
            indent = rng.choice(["", "  "])
            for _ in range(rng.randint(0, 3)):
                lines.append(f"{indent}- {rng.choice(VALUES)}")
                if rng.random() < 0.3:
                    lines.append(f"{indent}  {rng.choice(VALUES)}")
        elif shape < 0.9:
            lines.append(f"{key}:")
            for _ in range(rng.randint(0, 3)):
                lines.append(f"  {rng.choice(KEYS)}: {rng.choice(VALUES)}")
                if rng.random() < 0.3:
                    lines.append(f"    {rng.choice(VALUES)}")
        else:
            lines.append(rng.choice(["", "# c", "   x", "- y", f"{key}:{rng.choice(VALUES)}"]))
    return "\n".join(lines)


def test_on_thousands_of_shapes_the_plain_reading_is_yaml_s_or_none() -> None:
    rng = random.Random(19)
    read = 0
    for _ in range(20000):
        head = random_head(rng)
        plain = plain_yaml.load(head)
        if plain is not None:
            read += 1
            assert typed(plain) == yaml_reads(head), head
    assert read > 1000  # the plain shape is common, not a corner


def test_the_closing_fence_is_the_first_line_after_the_first_that_strips_to_one() -> None:
    """Looked up at once as panelist writes it, or line by line when a line before it holds
    a fence with spaces around it (or any '---')."""
    rng = random.Random(9)
    pieces = ["---", " ---", "--- ", "\u00a0---\t", "----", "-- -", "a: ---", "a: x", "", "  b: 1",
              "---x", "\u2028---"]
    found = 0
    for _ in range(5000):
        lines = [rng.choice(pieces) for _ in range(rng.randint(0, 6))]
        expected = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        found += expected is not None
        assert frontmatter._closing_fence(lines) == expected, lines
    assert found > 1000


def test_a_plain_value_whose_first_character_yaml_lists_no_resolver_for_is_a_string() -> None:
    """YAML resolves a plain value by the resolvers listed for its first character (none for
    any character, nor for a path): a value opening on another is a string at once."""
    resolver = yaml.resolver.Resolver()
    assert None not in resolver.yaml_implicit_resolvers and not resolver.yaml_path_resolvers
    values = ["product-000000 / buyer, take 1", "sha256:dd12e99eb5f5a6e7", "claude", "0.5",
              "true", "~", "null", "Yes", "2025-11-20", ".inf", "<<", "=", "-1", "+2", "", "é"]
    values += [chr(code) + "x" for code in range(32, 0x250)]
    for value in values:
        expected = resolver.resolve(yaml.ScalarNode, value, (True, False))
        assert plain_yaml._tag(value) == expected, value
