"""Approval bound to content: what an editor signed off, who signed it, and whether it still holds.

Approving records a hash of the verdict and quote as approved (``approved_hash``), the editor's
name and the time. A draft whose verdict or quote no longer matches that hash was edited after
approval: every view shows it as such and ``publish`` refuses it until it is approved again.
A draft set to ``status: approved`` by hand carries no hash and counts as a draft: only the
``approve`` command approves.
"""

from __future__ import annotations

import getpass
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Literal

from panelist.models import Draft, DraftMeta
from panelist.store.drafts import content_hash

ReviewStatus = Literal["draft", "approved", "edited after approval"]
EDITED_AFTER_APPROVAL: ReviewStatus = "edited after approval"


def review_status(draft: Draft) -> ReviewStatus:
    """Whether the draft is approved as it stands now."""
    meta = draft.meta
    if meta.status != "approved" or meta.approved_hash is None:
        return "draft"
    if meta.approved_hash == content_hash(meta.verdict, draft.quote):
        return "approved"
    return EDITED_AFTER_APPROVAL


def is_approved(draft: Draft) -> bool:
    return review_status(draft) == "approved"


def signed_meta(draft: Draft, *, by: str, at: datetime, edit_ratio: float | None) -> DraftMeta:
    """The draft's front matter with an approval of its current verdict and quote."""
    return draft.meta.model_copy(update={
        "status": "approved", "draft": False, "approved_at": at, "approved_by": by,
        "approved_hash": content_hash(draft.meta.verdict, draft.quote),
        "approved_verdict": draft.meta.verdict, "approved_quote": draft.quote,
        "edit_ratio": edit_ratio})


UNSIGNED = {"status": "draft", "draft": True, "approved_at": None, "approved_by": None,
            "approved_hash": None, "approved_verdict": None, "approved_quote": None,
            "edit_ratio": None}  # the front matter of a take sent back to draft


def approver_name(folder: Path) -> str:
    """``git config user.name`` as seen from ``folder``, else the login name."""
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=folder, capture_output=True,
                                text=True, timeout=10, check=False)
        name = result.stdout.strip() if result.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (some containers)
        return "unknown"
