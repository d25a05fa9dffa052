"""Batch records: what was sent in each batch and what became of every request.

One JSON file per batch in the workspace's state folder (.panelist/batches/<id>.json),
rewritten atomically as each answer is settled, so an interrupted collect picks up where it
stopped. The request is kept as the JSON it was built from; run/batch turns it back into a
request to re-ask with.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from panelist.errors import FileFormatError, InputError
from panelist.models import Draft
from panelist.store.workspace import Workspace, write_atomic

EntryState = Literal["pending", "written", "failed", "errored", "expired", "canceled"]
_BATCH_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class BatchEntry(BaseModel):
    """One request of a batch: enough to validate its answer, re-ask, and protect edits."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    custom_id: str
    product: str
    persona: str
    model: str
    fingerprint: str
    request: dict[str, Any]  # the request as sent (run/batch rebuilds it)
    note: str | None = None
    replaces: Draft | None = None  # the current draft when submitted, for edit protection
    state: EntryState = "pending"
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.product}/{self.persona}"


class BatchRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str
    submitted_at: datetime
    entries: list[BatchEntry]

    def pending(self) -> list[BatchEntry]:
        return [entry for entry in self.entries if entry.state == "pending"]

    def counts(self) -> dict[str, int]:
        return dict(Counter(entry.state for entry in self.entries))


class BatchStore:
    """The batch records in the workspace's state folder, one JSON file per batch (a trial
    keeps its batch in its own folder, so drafting never waits for a trial's answers)."""

    def __init__(self, workspace: Workspace, folder: Path | None = None) -> None:
        self.workspace = workspace
        self.folder = folder or workspace.batches_dir

    def path(self, batch_id: str) -> Path:
        if not _BATCH_ID.match(batch_id):
            raise InputError(f"'{batch_id}' is not a batch id (like msgbatch_01AbC...); "
                             f"'panelist batch status' lists them")
        return self.folder / f"{batch_id}.json"

    def save(self, record: BatchRecord) -> None:
        write_atomic(self.path(record.id), record.model_dump_json(indent=1) + "\n")

    def load(self, batch_id: str) -> BatchRecord:
        path = self.path(batch_id)
        if not path.is_file():
            known = ", ".join(record.id for record in self.all()) or "none"
            raise InputError(f"No batch '{batch_id}' in {self.workspace.relative(path.parent)}/ "
                             f"(known: {known})")
        return self._read(path)

    def all(self) -> list[BatchRecord]:
        folder = self.folder
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
        return sorted((self._read(path) for path in paths), key=lambda r: r.submitted_at)

    def pending_keys(self) -> dict[str, str]:
        """``product/persona`` -> the batch whose answer for it is still to be collected."""
        return {entry.key: record.id for record in self.all() for entry in record.pending()}

    def _read(self, path: Path) -> BatchRecord:
        try:
            return BatchRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise FileFormatError(self.workspace.relative(path), f"unreadable batch record "
                                  f"({exc.__class__.__name__})", fix="restore it from a "
                                  "backup, or delete it and draft those personas again") from None
