"""Product and persona files: what loads, and the one-line errors for what does not."""

from __future__ import annotations

import pytest

from helpers import build_file_tree
from panelist.errors import FileFormatError, UnknownProductError, UnsafePathError
from panelist.store.workspace import Workspace

GOOD_PRODUCT = """---
name: Example
tagline: A tool
category: Developer Tools
pricing: Free
---
It does one thing well.
"""


def test_example_products_and_personas_load(workspace):
    assert workspace.load_product("tether-qvac-sdk").pricing == "Paid"
    assert workspace.load_product("claude-haiku-open-weights").community is None
    assert sorted(workspace.load_personas()) == ["buyer", "creative", "dx", "skeptic",
                                                  "strategist"]


def test_product_body_with_fences_and_braces_is_plain_text(workspace):
    build_file_tree(workspace.root, {"products/odd.md": GOOD_PRODUCT + "---\n{{ 7*7 }}\n"})

    product = workspace.load_product("odd")

    assert "---\n{{ 7*7 }}" in product.description


def test_crlf_and_bom_are_accepted(workspace):
    text = "\ufeff" + GOOD_PRODUCT.replace("\n", "\r\n")
    (workspace.products_dir / "crlf.md").write_bytes(text.encode("utf-8"))

    assert workspace.load_product("crlf").name == "Example"


@pytest.mark.parametrize(("content", "expected"), [
    (GOOD_PRODUCT.replace("pricing: Free\n", ""), "field 'pricing': missing"),
    (GOOD_PRODUCT.replace("pricing: Free", "pricing: Cheap"), "field 'pricing'"),
    (GOOD_PRODUCT.replace("name: Example", "name: Example\nprice: 3"), "field 'price': unknown"),
    (GOOD_PRODUCT.replace("It does one thing well.\n", ""), "description"),
    (GOOD_PRODUCT.replace("tagline: A tool", "tagline: [unclosed"), "malformed front matter"),
    ("no front matter here\n", "no front matter"),
], ids=["missing-field", "bad-pricing", "unknown-field", "empty-description", "bad-yaml",
        "no-front-matter"])
def test_bad_product_files_name_the_file_and_field(workspace, content, expected):
    build_file_tree(workspace.root, {"products/bad.md": content})

    with pytest.raises(FileFormatError) as caught:
        workspace.load_product("bad")

    assert expected in str(caught.value)
    assert "products/bad.md" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_non_utf8_product_is_refused(workspace):
    (workspace.products_dir / "latin.md").write_bytes(GOOD_PRODUCT.encode("utf-8") + b"caf\xe9\n")

    with pytest.raises(FileFormatError, match="not UTF-8"):
        workspace.load_product("latin")


def test_malformed_front_matter_gives_the_line(workspace):
    build_file_tree(workspace.root, {"products/bad.md": GOOD_PRODUCT.replace(
        "category: Developer Tools", "category: : :")})

    with pytest.raises(FileFormatError, match=r"products/bad.md:\d+"):
        workspace.load_product("bad")


@pytest.mark.parametrize("ref", ["../secrets", "../../etc/passwd.md", "/etc/passwd",
                                 "Tether QVAC"], ids=["dotdot", "dotdot-md", "absolute", "spaces"])
def test_product_refs_cannot_escape_the_workspace(workspace, ref):
    with pytest.raises(UnsafePathError):
        workspace.load_product(ref)


def test_unknown_product_lists_the_known_ones(workspace):
    with pytest.raises(UnknownProductError, match="claude-haiku-open-weights, tether-qvac-sdk"):
        workspace.load_product("nope")


def test_persona_with_inverted_word_range_is_refused(workspace):
    path = workspace.personas_dir / "dx.md"
    path.write_text(path.read_text().replace("quote_words: [50, 140]", "quote_words: [140, 50]"))

    with pytest.raises(FileFormatError, match=r"quote_words.*inverted"):
        workspace.load_personas()


def test_persona_id_must_match_its_file_name(workspace):
    path = workspace.personas_dir / "dx.md"
    path.write_text(path.read_text().replace("id: dx", "id: devx"))

    with pytest.raises(FileFormatError, match="field 'id'"):
        workspace.load_personas()


def test_workspace_without_personas_says_how_to_make_one(tmp_path):
    with pytest.raises(Exception, match="panelist init"):
        Workspace.discover(tmp_path)
