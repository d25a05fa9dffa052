"""Approval bound to content: what an editor signed off, who signed it, and whether it still holds.

Approving records a hash of the verdict and quote as approved (``approved_hash``), the editor's
name and the time. A draft whose verdict or quote no longer matches that hash was edited after
approval: every view shows it as such and ``publish`` refuses it until it is approved again.
A draft set to ``status: approved`` by hand carries no hash and counts as a draft: only the
``approve`` command approves.

A take the quality gate flags is approved only on the editor's word (``--allow-quality``):
that override is recorded with the approval (``quality_override``) and bound, like it, to the
text the gate judged: verdict, quote and reasons. Any edit of them leaves it behind.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Literal

from panelist.models import Draft, DraftMeta, QualityOverride
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


def judged_hash(draft: Draft) -> str:
    """Hash of what the quality gate judges: verdict, quote and reasons (reflow is no edit)."""
    meta = draft.meta
    judged = [meta.verdict.strip().lower(), " ".join(draft.quote.split()),
              *(" ".join(reason.split()) for reason in meta.reasons)]
    return "sha256:" + hashlib.sha256(json.dumps(judged).encode()).hexdigest()[:16]


def override_holds(draft: Draft) -> bool:
    """Whether the draft's approval carries a quality override for its text as it stands."""
    override = draft.meta.quality_override
    return (override is not None and is_approved(draft)
            and override.hash == judged_hash(draft))


def signed_meta(draft: Draft, *, by: str, at: datetime, edit_ratio: float | None,
                overridden: list[str] | None = None) -> DraftMeta:
    """The draft's front matter with an approval of its current verdict and quote, and, when
    the editor approved it over the gate's ``overridden`` findings, the override."""
    override = (QualityOverride(hash=judged_hash(draft), findings=overridden, by=by, at=at)
                if overridden else None)
    return draft.meta.model_copy(update={
        "status": "approved", "draft": False, "approved_at": at, "approved_by": by,
        "approved_hash": content_hash(draft.meta.verdict, draft.quote),
        "approved_verdict": draft.meta.verdict, "approved_quote": draft.quote,
        "edit_ratio": edit_ratio, "quality_override": override})


UNSIGNED = {"status": "draft", "draft": True, "approved_at": None, "approved_by": None,
            "approved_hash": None, "approved_verdict": None, "approved_quote": None,
            "edit_ratio": None, "quality_override": None}  # a take sent back to draft


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
