"""What a run holds and checks before it writes: one process per product (a lock the OS drops
if the process dies), and folders it can write, found out before the first paid call."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from panelist.errors import InputError, WorkspaceLockedError

if TYPE_CHECKING:
    from panelist.store.workspace import Workspace


def check_writable(workspace: Workspace, slug: str, persona_ids: Sequence[str]) -> None:
    """Every folder a run writes for these drafts is a folder it may write, or can be
    made: checked before the first paid call, not after it."""
    history = workspace.product_drafts_dir(slug) / "history"
    folders = [workspace.state_dir, workspace.drafts_dir, workspace.product_drafts_dir(slug),
               history, *(workspace.history_dir(slug, persona_id) for persona_id in persona_ids)]
    for folder in folders:
        shown = workspace.shown(folder)
        if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
            raise InputError(f"{shown} is not a folder, but panelist keeps one there: move "
                             f"or delete it, then run the command again (nothing was sent)")
        existing = folder if folder.is_dir() else _nearest_existing(folder)
        if not os.access(existing, os.W_OK | os.X_OK):
            raise InputError(f"{workspace.shown(existing)} is not writable, and panelist writes "
                             f"{shown}: fix its permissions, then run the command again "
                             f"(nothing was sent)")


@contextlib.contextmanager
def product_lock(workspace: Workspace, slug: str) -> Iterator[None]:
    """One panelist process per product at a time; the OS drops the lock if we die."""
    checked = workspace.product_drafts_dir(slug).name  # the slug, checked
    path = workspace.state_dir / "locks" / f"{checked}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise WorkspaceLockedError(
                f"Another panelist run (pid {holder}) is working on '{slug}'; "
                f"wait for it to finish, then run the command again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        _remove_stale_temp_files(workspace, slug)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_temp_files(workspace: Workspace, slug: str) -> None:
    """Temp files of a killed run; safe to delete because we hold the product's lock."""
    folder = workspace.product_drafts_dir(slug)
    for leftover in folder.rglob(".*.tmp") if folder.is_dir() else []:
        leftover.unlink(missing_ok=True)


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
