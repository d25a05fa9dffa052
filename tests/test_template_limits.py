"""Templates render under limits of time, depth and size; every failure is one line naming
the file, through the CLI too (``draft`` for prompts, ``publish`` for page templates)."""

from __future__ import annotations

import time

import pytest

from helpers import build_file_tree
from panelist.errors import TemplateError
from panelist.run.prompts import PromptRenderer

HOSTILE: dict[str, tuple[str | bytes, str]] = {
    "loop-of-loops": ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}"
                      "{% endfor %}", "ran for over"),
    "loop-over-a-variable": ("{% set r = range(99999) %}{% for a in r %}{% for b in r %}x"
                             "{% endfor %}{% endfor %}", "template stopped"),
    "macro-calling-itself": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
                             "calling itself"),
    "template-including-itself": ("{% include 'persona.j2' %}", "including itself"),
    "range-over-the-limit": ("{{ range(10**6) | list | length }}", "range over"),
    "string-times-ten-billion": ("{{ 'x' * 10**10 }}", "10,000,000,000 items"),
    "padding-method": ("{{ 'x'.ljust(10**10) }}", "width of 10,000,000,000"),
    "padding-filter": ("{{ 'x' | center(10**10) }}", "width of 10,000,000,000"),
    "wide-format": ("{{ '%10000000000s' % 'x' }}", "wider than"),
    "huge-power": ("{{ 10 ** (10 ** 10) }}", "power"),
    "doubling-a-string": ("{% set ns = namespace(s='x') %}{% for i in range(60) %}"
                          "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}", "items"),
    "non-utf8-byte": (b"caf\xe9 {{ persona.id }}", "not UTF-8 (byte 3)"),
    "division-by-zero": ("{{ 1 / 0 }}", "ZeroDivisionError"),
}


def render_dx(workspace):
    renderer = PromptRenderer(workspace)
    return renderer.render_prompt(workspace.load_product("tether-qvac-sdk"),
                                  workspace.load_personas()["dx"])


@pytest.mark.parametrize(("template", "expected"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_prompt_template_fails_on_one_line_naming_the_file_within_seconds(
        workspace, template, expected):
    build_file_tree(workspace.root, {"prompts/persona.j2": template})
    started = time.monotonic()

    with pytest.raises(TemplateError) as caught:
        render_dx(workspace)

    message = str(caught.value)
    assert message.startswith("prompts/persona.j2"), message
    assert expected in message and "\n" not in message
    assert time.monotonic() - started < 5


def test_an_ordinary_template_still_uses_operators_and_filters(workspace):
    build_file_tree(workspace.root, {"prompts/persona.j2":
                                     "{{ persona.id | upper }} {{ 'ab' * 3 }} {{ '%5s' % 'x' }} "
                                     "{{ 2 ** 10 }} {{ range(3) | list }}"})

    assert render_dx(workspace).user == "DX ababab     x 1024 [0, 1, 2]"


def test_a_failure_in_an_included_template_names_that_file_and_line(workspace):
    build_file_tree(workspace.root, {"prompts/persona.j2": "{% include 'part.j2' %}",
                                     "prompts/part.j2": "fine\n{{ 1 / 0 }}"})

    with pytest.raises(TemplateError, match=r"^prompts/part\.j2:2: "):
        render_dx(workspace)


def test_a_prompt_template_that_trips_a_limit_stops_draft_on_one_line(cli, workspace):
    build_file_tree(workspace.root, {"prompts/persona.j2": "{{ 'x' * 10**10 }}"})

    result = cli("draft", "tether-qvac-sdk", "--model", "claude-sonnet-5-5")

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "prompts/persona.j2" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
    "{% include 'page.html.j2' %}",
], ids=["sandbox-class", "sandbox-globals", "loop-of-loops", "including-itself"])
def test_a_site_template_that_trips_the_sandbox_stops_publish_with_exit_2_on_one_line(
        cli, workspace, template):
    build_file_tree(workspace.root, {"templates/site/page.html.j2": template})

    result = cli("publish", "tether-qvac-sdk", "--include-unapproved")

    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: templates/site/page.html.j2"), lines
    assert not (workspace.root / "site").exists()


def test_a_template_that_is_a_fifo_is_named_not_read(workspace):
    import os

    (workspace.root / "prompts" / "persona.j2").unlink()
    os.mkfifo(workspace.root / "prompts" / "persona.j2")

    with pytest.raises(TemplateError, match=r"^prompts/persona\.j2: is not a regular file"):
        render_dx(workspace)
