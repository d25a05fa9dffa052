"""Fields an editor adds to a draft's front matter (``seo_title: ...``) survive every rewrite
panelist makes, and a new take over them keeps the editor's file in history."""

from __future__ import annotations

import pytest

from helpers import invoke
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"
FIELD = "seo_title: Tether's QVAC SDK, reviewed\n"


def add_field(workspace, persona: str = "dx") -> None:
    path = workspace.draft_path(PRODUCT, persona)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\n" + FIELD, 1), encoding="utf-8")


def seo_title(workspace, persona: str = "dx") -> object:
    draft = DraftStore(workspace).read(PRODUCT, persona)
    assert draft is not None
    return (draft.meta.model_extra or {}).get("seo_title")


@pytest.mark.parametrize("args", [
    ["draft", PRODUCT, "--persona", "dx", "--force"],
    ["redo", PRODUCT, "dx", "--force"],
    ["redo", PRODUCT, "dx"],
], ids=["draft-force", "redo-force", "redo"])
def test_a_new_take_keeps_the_editors_fields_and_their_file_in_history(runner, workspace,
                                                                       claude_env, args):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    add_field(workspace)

    result = invoke(runner, workspace, *args)

    assert result.exit_code == 0, result.output
    assert seo_title(workspace) == "Tether's QVAC SDK, reviewed"
    draft = DraftStore(workspace).read(PRODUCT, "dx")
    assert draft is not None and draft.meta.take == 2
    kept = [e for e in DraftStore(workspace).history(PRODUCT, "dx") if e.edited_at]
    assert len(kept) == 1 and FIELD in kept[0].path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [
    ["approve", PRODUCT, "dx"],
    ["unapprove", PRODUCT, "dx"],
], ids=["approve", "unapprove"])
def test_approval_rewrites_keep_the_editors_fields(runner, workspace, claude_env, args):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    add_field(workspace)
    invoke(runner, workspace, "approve", PRODUCT, "dx")

    result = invoke(runner, workspace, *args)

    assert result.exit_code == 0, result.output
    assert seo_title(workspace) == "Tether's QVAC SDK, reviewed"


def test_an_added_field_alone_is_not_an_edit_of_the_take(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    add_field(workspace)

    draft = DraftStore(workspace).read(PRODUCT, "dx")

    assert draft is not None and not DraftStore.is_edited(draft)
