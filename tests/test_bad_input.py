"""Bad-input corpus: each case is one line naming the file (or argument) and the field,
a non-zero exit, no traceback, and nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from helpers import build_file_tree
from panelist.cli.app import app

PRODUCT = """---
name: Example
tagline: A tool
category: Developer Tools
pricing: Free
---
It does one thing well, offline.
"""
PERSONA_DX = "personas/dx.md"


def product(old: str = "", new: str = "") -> str:
    return PRODUCT.replace(old, new) if old else PRODUCT


@dataclass
class Case:
    files: dict[str, str | bytes] = field(default_factory=dict)
    args: list[str] = field(default_factory=lambda: ["draft", "example"])
    expect: tuple[str, ...] = ()  # substrings of the one-line error
    persona_edit: tuple[str, str] | None = None  # (old, new) applied to personas/dx.md
    remove: tuple[str, ...] = ()


CASES: dict[str, Case] = {
    # product files
    "product-no-front-matter": Case({"products/example.md": "Just text.\n"},
                                    expect=("products/example.md", "no front matter")),
    "product-unclosed-front-matter": Case({"products/example.md": "---\nname: X\n"},
                                          expect=("products/example.md", "not closed")),
    "product-unknown-field": Case({"products/example.md": product("pricing: Free",
                                                                  "pricing: Free\nprise: 3")},
                                  expect=("products/example.md", "'prise'", "unknown field")),
    "product-wrong-type": Case({"products/example.md": product("name: Example",
                                                               "name: [1, 2]")},
                               expect=("products/example.md", "'name'")),
    "product-bad-pricing": Case({"products/example.md": product("pricing: Free",
                                                                "pricing: Cheap")},
                                expect=("products/example.md", "'pricing'")),
    "product-missing-field": Case({"products/example.md": product("category: Developer Tools\n",
                                                                  "")},
                                  expect=("products/example.md", "'category'", "missing")),
    "product-empty-description": Case({"products/example.md": product(
        "It does one thing well, offline.\n", "")}, expect=("products/example.md",
                                                           "description")),
    "product-huge-description": Case({"products/example.md": PRODUCT + "word " * 5000},
                                     expect=("products/example.md", "description", "5")),
    "product-binary": Case({"products/example.md": b"\x89PNG\r\n\x1a\n\x00\x00"},
                           expect=("products/example.md", "binary")),
    "product-not-utf8": Case({"products/example.md": PRODUCT.encode() + b"caf\xe9"},
                             expect=("products/example.md", "not UTF-8")),
    "product-malformed-yaml": Case({"products/example.md": product("tagline: A tool",
                                                                   "tagline: \"unclosed")},
                                   expect=("products/example.md:", "malformed front matter")),
    "product-front-matter-list": Case({"products/example.md": "---\n- a\n- b\n---\nText\n"},
                                      expect=("products/example.md", "field: value")),
    "product-javascript-url": Case({"products/example.md": product(
        "pricing: Free", "pricing: Free\nurl: javascript:alert(1)")},
        expect=("products/example.md", "'url'", "http")),
    "product-negative-votes": Case({"products/example.md": product(
        "pricing: Free", "pricing: Free\ncommunity: {ship: -1, skip: 2}")},
        expect=("products/example.md", "community.ship")),
    "product-slug-field": Case({"products/example.md": product("pricing: Free",
                                                               "pricing: Free\nslug: other")},
                               expect=("products/example.md", "'slug'")),
    "product-empty-file": Case({"products/example.md": ""},
                               expect=("products/example.md", "no front matter")),
    # persona files
    "persona-duplicate-id": Case({"products/example.md": PRODUCT, "personas/dx2.md": ""},
                                 persona_edit=None, expect=("personas/dx2.md",)),
    "persona-id-mismatch": Case({"products/example.md": PRODUCT},
                                persona_edit=("id: dx", "id: skeptic"),
                                expect=(PERSONA_DX, "'id'", "file name")),
    "persona-range-inverted": Case({"products/example.md": PRODUCT},
                                   persona_edit=("quote_words: [50, 140]",
                                                 "quote_words: [140, 50]"),
                                   expect=(PERSONA_DX, "quote_words", "inverted")),
    "persona-range-too-small": Case({"products/example.md": PRODUCT},
                                    persona_edit=("quote_words: [50, 140]",
                                                  "quote_words: [1, 140]"),
                                    expect=(PERSONA_DX, "quote_words")),
    "persona-bad-model": Case({"products/example.md": PRODUCT},
                              persona_edit=("temperature: 0.7",
                                            "temperature: 0.7\nmodel: gpt-nonexistent-9"),
                              expect=(PERSONA_DX, "'model'", "gpt-nonexistent-9",
                                      "--base-url")),
    "persona-temperature-range": Case({"products/example.md": PRODUCT},
                                      persona_edit=("temperature: 0.7", "temperature: 7"),
                                      expect=(PERSONA_DX, "'temperature'")),
    "persona-unknown-field": Case({"products/example.md": PRODUCT},
                                  persona_edit=("temperature: 0.7", "temprature: 0.7"),
                                  expect=(PERSONA_DX, "'temprature'", "unknown field")),
    "persona-bad-id": Case({"products/example.md": PRODUCT, "personas/Bad.md": (
        "---\nid: Bad\nname: B\nlabel: L\nlens: l\nships_when: s\nskips_when: k\n---\nBrief\n")},
        expect=("personas/Bad.md", "'id'")),
    "persona-empty-brief": Case({"products/example.md": PRODUCT, "personas/zed.md": (
        "---\nid: zed\nname: B\nlabel: L\nlens: l\nships_when: s\nskips_when: k\n---\n")},
        expect=("personas/zed.md", "brief")),
    # templates
    "template-undefined-variable": Case({"products/example.md": PRODUCT,
                                         "prompts/persona.j2": "{{ persona.nickname }}"},
                                        expect=("prompts/persona.j2", "nickname")),
    "template-syntax-error": Case({"products/example.md": PRODUCT,
                                   "prompts/panel.j2": "{% for x in %}"},
                                  expect=("prompts/panel.j2:1", "syntax")),
    "template-sandbox-class": Case({"products/example.md": PRODUCT,
                                    "prompts/persona.j2": "{{ ''.__class__.__mro__ }}"},
                                   expect=("prompts/persona.j2",)),
    "template-sandbox-globals": Case({"products/example.md": PRODUCT, "prompts/persona.j2":
                                      "{{ cycler.__init__.__globals__.os.system('id') }}"},
                                     expect=("prompts/persona.j2",)),
    # command-line arguments and configuration
    "arg-unknown-persona": Case({"products/example.md": PRODUCT},
                                args=["draft", "example", "--persona", "skeptc"],
                                expect=("Persona 'skeptc' not found", "skeptic")),
    "arg-unknown-product": Case(args=["draft", "nonesuch"],
                                expect=("Product 'nonesuch' not found", "tether-qvac-sdk")),
    "arg-slug-dotdot": Case(args=["draft", "../../etc/passwd"], expect=("../../etc/passwd",)),
    "arg-absolute-path": Case(args=["draft", "/etc/passwd.md"],
                              expect=("/etc/passwd.md", "products/")),
    "arg-bad-slug": Case(args=["draft", "Tether QVAC"], expect=("Tether QVAC", "valid product")),
    "arg-unknown-model": Case({"products/example.md": PRODUCT},
                              args=["draft", "example", "--model", "gpt-5"],
                              expect=("gpt-5",)),
    "arg-redo-unknown-persona": Case({"products/example.md": PRODUCT},
                                     args=["redo", "example", "nobody"],
                                     expect=("Persona 'nobody' not found",)),
    "arg-show-missing-take": Case({"products/example.md": PRODUCT},
                                  args=["show", "example", "dx", "--take", "9"],
                                  expect=("no take 9",)),
    "workspace-without-personas": Case(remove=("personas",),
                                       expect=("no personas/ folder", "panelist init")),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_line_nonzero_and_writes_nothing(runner, workspace, monkeypatch, case):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-no-network")
    build_file_tree(workspace.root, case.files)
    if case.persona_edit:
        path = workspace.root / PERSONA_DX
        path.write_text(path.read_text().replace(*case.persona_edit))
    if "personas/dx2.md" in case.files:
        (workspace.root / "personas/dx2.md").write_text((workspace.root / PERSONA_DX).read_text())
    for folder in case.remove:
        for item in (workspace.root / folder).iterdir():
            item.unlink()
        (workspace.root / folder).rmdir()
    before = sorted(p for p in workspace.root.rglob("*"))

    result = runner.invoke(app, [*case.args, "--workspace", str(workspace.root)])

    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert len(lines) == 1, result.output
    for expected in case.expect:
        assert expected in lines[0], lines[0]
    assert sorted(p for p in workspace.root.rglob("*")) == before, "nothing was written"


def test_corpus_is_at_least_thirty_cases():
    assert len(CASES) >= 30
