"""--help of every command: metavars a person would write, one convention, no Python types."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from panelist.cli import app

# what typer prints when a command does not say better: type names, {REQUIRED} and [lowercase]
# arguments, a doubled ellipsis
NOT_FOR_PEOPLE = re.compile(r"<[^>]*>|list\[|\{[A-Za-z]+\}|\.\.\.\]\.\.\.|<=x|x>=")
LOWERCASE_ARGUMENT = re.compile(r"\[[a-z_]+\]")  # '[product]' in the usage line


def command_paths() -> list[list[str]]:
    def walk(command: object, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found += walk(sub, [*path, name])
        return found

    return walk(typer.main.get_command(app), [])


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "panelist")
def test_help_shows_no_python_type_names(path):
    result = CliRunner().invoke(app, [*path, "--help"])

    assert result.exit_code == 0, result.output
    assert not NOT_FOR_PEOPLE.findall(result.output), result.output
    usage = result.output.split("\n\n")[0]
    assert not LOWERCASE_ARGUMENT.findall(usage), usage


@pytest.mark.parametrize(("path", "usage"), [
    (["draft"], "draft [OPTIONS] [PRODUCT...]"),
    (["redo"], "redo [OPTIONS] PRODUCT PERSONA"),
    (["status"], "status [OPTIONS] [PRODUCT...]"),
    (["approve"], "approve [OPTIONS] PRODUCT [PERSONA...]"),
    (["publish"], "publish [OPTIONS] PRODUCT..."),
    (["init"], "init [OPTIONS] [DIR]"),
    (["batch", "collect"], "collect [OPTIONS] [BATCH_ID]"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else "")
def test_usage_names_arguments_one_way(path, usage):
    assert usage in CliRunner().invoke(app, [*path, "--help"]).output


@pytest.mark.parametrize(("path", "option"), [
    (["draft"], "--concurrency N"),
    (["draft"], "--effort [low|medium|high]"),
    (["compare"], "--html FILE"),
    (["publish"], "--out DIR"),
    (["usage"], "--by [product|persona|model]"),
    (["desk"], "--port N"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else value)
def test_options_show_the_value_a_person_types(path, option):
    assert option in CliRunner().invoke(app, [*path, "--help"]).output


def test_publish_json_help_does_not_promise_a_table():
    output = CliRunner().invoke(app, ["publish", "--help"]).output

    assert "table" not in output
