"""Damaged or misplaced workspace files: each is one line naming the file and the fix, a
non-zero exit, no traceback, no hang, and no model call paid for."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import build_file_tree, invoke
from panel_helpers import HAIKU, QVAC, draft_panel

PERSONA = "---\nid: zed\nname: Z\nlabel: L\nlens: l\nships_when: s\nskips_when: k\n---\n"


def mkfifo(path: Path) -> None:
    os.mkfifo(path)


def dangling_link(path: Path) -> None:
    path.symlink_to("nowhere.md")


def folder(path: Path) -> None:
    path.mkdir()


def a_file(path: Path) -> None:
    path.write_text("not a folder", encoding="utf-8")


@dataclass
class Case:
    args: list[str]
    expect: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)
    make: tuple[str, Callable[[Path], None]] | None = None  # replace this path with ...
    edit: tuple[str, str, str] | None = None  # (file, old, new)


CASES: dict[str, Case] = {
    "duplicate-key-in-a-product": Case(
        ["status", QVAC], ("products/tether-qvac-sdk.md:", "'name' is set twice", "keep one"),
        edit=(f"products/{QVAC}.md", "pricing:", "name: Again\npricing:")),
    "duplicate-key-in-a-draft": Case(
        ["status", QVAC], (f"drafts/{QVAC}/dx.md:", "'verdict' is set twice"),
        edit=(f"drafts/{QVAC}/dx.md", "verdict:", "verdict: skip\nverdict:")),
    "brief-of-whitespace": Case(
        ["personas"], ("personas/zed.md", "'brief'", "empty"),
        files={"personas/zed.md": PERSONA + "   \n\t  \n"}),
    "brief-over-20-kb": Case(
        ["personas"], ("personas/zed.md", "'brief'", "21,000 characters", "under 20,000"),
        files={"personas/zed.md": PERSONA + "x" * 21_000}),
    "model-id-with-spaces": Case(
        ["draft", QVAC, "--persona", "dx", "--force"],
        ("personas/dx.md", "'model'", "'claude sonnet 5' is not a model id"),
        edit=("personas/dx.md", "temperature: 0.7", "temperature: 0.7\nmodel: claude sonnet 5")),
    "draft-persona-not-its-file-name": Case(
        ["approve", QVAC, "dx"], (f"drafts/{QVAC}/dx.md", "'persona'", "set persona: dx"),
        edit=(f"drafts/{QVAC}/dx.md", "persona: dx", "persona: skeptic")),
    "draft-that-is-a-folder": Case(
        ["status", QVAC], (f"drafts/{QVAC}/dx.md", "is a folder"),
        make=(f"drafts/{QVAC}/dx.md", folder)),
    "product-that-is-a-folder": Case(
        ["status", "ghost"], ("products/ghost.md", "is a folder"),
        make=("products/ghost.md", folder)),
    "product-that-is-a-folder-under-lint-all": Case(
        ["lint", "--all"], ("products/ghost.md", "is a folder"),
        make=("products/ghost.md", folder)),
    "product-that-is-a-fifo-under-lint-all": Case(
        ["lint", "--all"], ("products/ghost.md", "not a regular file"),
        make=("products/ghost.md", mkfifo)),
    "product-that-is-a-fifo": Case(
        ["draft", "ghost"], ("products/ghost.md", "not a regular file"),
        make=("products/ghost.md", mkfifo)),
    "product-that-is-a-dangling-link": Case(
        ["show", "ghost", "dx"], ("products/ghost.md", "link to nowhere.md", "does not exist"),
        make=("products/ghost.md", dangling_link)),
    "persona-that-is-a-fifo": Case(
        ["personas"], ("personas/zed.md", "not a regular file"),
        make=("personas/zed.md", mkfifo)),
    "product-named-with-capitals": Case(
        ["draft", "Foo"], ("products/Foo.md", "rename it to foo.md"),
        files={"products/Foo.md": (Path(__file__).parent.parent / "products" /
                                   f"{QVAC}.md").read_text(encoding="utf-8")}),
    "product-named-with-capitals-and-all": Case(
        ["draft", "--all"], ("products/Foo.md", "rename it to foo.md"),
        files={"products/Foo.md": "---\nname: F\n---\n"}),
    "drafts-folder-of-a-product-is-a-file": Case(
        ["draft", HAIKU], (f"drafts/{HAIKU} is not a folder", "nothing was sent"),
        make=(f"drafts/{HAIKU}", a_file)),
    "history-folder-is-a-file": Case(
        ["redo", QVAC, "dx"], (f"drafts/{QVAC}/history is not a folder", "move or delete it"),
        make=(f"drafts/{QVAC}/history", a_file)),
    "persona-history-folder-is-a-file": Case(
        ["draft", QVAC, "--persona", "dx", "--force"],
        (f"drafts/{QVAC}/history/dx is not a folder",),
        make=(f"drafts/{QVAC}/history/dx", a_file)),
}


def replace_with(path: Path, make: Callable[[Path], None]) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    make(path)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_damaged_file_is_one_line_naming_it_and_nothing_is_paid(runner, workspace, claude_env,
                                                                   case):
    draft_panel(workspace, QVAC)
    build_file_tree(workspace.root, case.files)
    if case.edit:
        target, old, new = case.edit
        path = workspace.root / target
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    if case.make:
        replace_with(workspace.root / case.make[0], case.make[1])

    result = invoke(runner, workspace, *case.args)

    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output and str(workspace.root) not in lines[0]
    for expected in case.expect:
        assert expected in lines[0], lines[0]
    assert claude_env.requests == [], "no call was made"


def test_lint_reports_a_draft_that_is_a_folder(runner, workspace):
    draft_panel(workspace, QVAC)
    path = workspace.root / "drafts" / QVAC / "dx.md"
    path.unlink()
    path.mkdir()

    result = invoke(runner, workspace, "lint", QVAC)

    assert result.exit_code == 1
    assert "unreadable" in result.output and f"drafts/{QVAC}/dx.md" in " ".join(
        result.output.replace("│", " ").split())


def test_a_misnamed_product_file_is_not_offered_as_a_name(runner, workspace):
    build_file_tree(workspace.root, {"products/Foo.md": "---\nname: F\n---\n"})

    result = invoke(runner, workspace, "draft", "fooo")

    assert "Foo" not in result.output.replace("products/", "")
    assert "Did you mean 'Foo'" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the permissions say")
def test_an_unwritable_drafts_folder_stops_the_run_before_any_call(runner, workspace,
                                                                   claude_env):
    draft_panel(workspace, QVAC)
    folder = workspace.root / "drafts" / QVAC
    folder.chmod(0o555)
    try:
        result = invoke(runner, workspace, "redo", QVAC, "dx")
    finally:
        folder.chmod(0o755)

    assert result.exit_code == 2 and "not writable" in result.output
    assert claude_env.requests == []
