"""Writes the desk makes to files: a quote edit checked against the file's hash, approve and
unapprove (the review layer's own ``approve_takes``/``unapprove_takes``, behind the same hash
check), and a new product file. A save goes through the store's own functions (read,
``draft_text``, ``write_atomic``), so it is the same as an editor saving the file by hand.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panelist.errors import InputError, PanelistError
from panelist.models import Draft, Product, Verdict, parse_file_model
from panelist.review.approval import Approval, Unapproval, approve_takes, unapprove_takes
from panelist.store import frontmatter
from panelist.store.drafts import DraftStore, draft_text
from panelist.store.workspace import Workspace, check_slug, write_atomic

# Read-compare-write of one file must not interleave with another desk request's.
_WRITE_LOCK = threading.Lock()
PRODUCT_FIELDS = ("name", "tagline", "category", "pricing", "url", "license")


def file_hash(path: Path) -> str:
    """The hash a page holds for a draft: any change to the file (an edit in the CLI, another
    editor or tab, an approval) changes it."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:32]


class StaleDraftError(PanelistError):
    """The file changed since the editor loaded it; ``current`` is what is on disk now."""

    def __init__(self, where: str, current: Draft, current_hash: str) -> None:
        self.current = current
        self.current_hash = current_hash
        super().__init__(f"{where} changed since you opened it; nothing was saved. Compare "
                         f"both versions, then save again on top of the current file")


@dataclass(frozen=True)
class Saved:
    draft: Draft
    hash: str


def current_draft(workspace: Workspace, slug: str, persona_id: str) -> Draft:
    check_slug(slug)
    check_slug(persona_id, "persona")
    workspace.product_path(slug)
    workspace.select_personas([persona_id])
    draft = DraftStore(workspace).read(slug, persona_id)
    if draft is None:
        raise InputError(f"No draft for {slug} / {persona_id} yet: draft the panel first")
    return draft


def save_edit(workspace: Workspace, slug: str, persona_id: str, *, quote: str,
              verdict: Verdict, expected_hash: str) -> Saved:
    """Write the editor's quote and verdict if the file is still the one the editor saw."""
    with _WRITE_LOCK:
        draft = current_draft(workspace, slug, persona_id)
        check_unchanged(workspace, draft, expected_hash)
        meta = draft.meta.model_copy(update={"verdict": verdict})
        write_atomic(draft.path, draft_text(meta, quote))
        saved = DraftStore(workspace).read_file(draft.path)
        return Saved(saved, file_hash(saved.path))


def check_unchanged(workspace: Workspace, draft: Draft, expected_hash: str | None) -> None:
    """Raise ``StaleDraftError`` when the file's hash is not the one the editor's page holds."""
    if expected_hash is None:
        return
    current_hash = file_hash(draft.path)
    if current_hash != expected_hash:
        raise StaleDraftError(workspace.relative(draft.path), draft, current_hash)


def approve(workspace: Workspace, slug: str, persona_id: str, expected_hash: str | None = None,
            *, approver: str, allow_quality: bool = False) -> Approval:
    """``approve_takes`` for one persona, if the file is still the one the editor saw."""
    with _WRITE_LOCK:
        draft = current_draft(workspace, slug, persona_id)
        check_unchanged(workspace, draft, expected_hash)
        return approve_takes(workspace, slug, [persona_id], approver=approver,
                             allow_quality=allow_quality)[0]


def unapprove(workspace: Workspace, slug: str, persona_id: str,
              expected_hash: str | None = None) -> Unapproval:
    """``unapprove_takes`` for one persona, if the file is still the one the editor saw."""
    with _WRITE_LOCK:
        draft = current_draft(workspace, slug, persona_id)
        check_unchanged(workspace, draft, expected_hash)
        return unapprove_takes(workspace, slug, [persona_id])[0]


def create_product(workspace: Workspace, fields: dict[str, Any]) -> Product:
    """Write products/<slug>.md from a form, validated exactly as ``load_product`` validates."""
    slug = str(fields.get("slug") or "").strip()
    check_slug(slug)
    path = workspace.products_dir / f"{slug}.md"
    shown = Path(workspace.relative(path))
    data: dict[str, Any] = {}
    for name in PRODUCT_FIELDS:
        value = str(fields.get(name) or "").strip()
        if value or name in ("name", "tagline", "category", "pricing"):
            data[name] = value
    description = str(fields.get("description") or "").strip()
    parse_file_model(Product, {**data, "slug": slug, "description": description}, shown)
    with _WRITE_LOCK:
        if path.exists():
            raise InputError(f"{shown} already exists: choose another slug, or edit that file")
        write_atomic(path, frontmatter.dump(data, description))
    return workspace.load_product(slug)
