"""Draft files: atomic writes, edit detection, history that is never lost."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from panelist.errors import EditProtectedError
from panelist.models import DraftMeta
from panelist.store.drafts import DraftStore, content_hash
from panelist.store.workspace import write_atomic


def meta(take: int = 1, quote: str = "A fresh quote.", verdict: str = "ship") -> DraftMeta:
    return DraftMeta(product="tether-qvac-sdk", persona="dx", verdict=verdict, take=take,
                     model="claude-sonnet-4-6", backend="claude",
                     generated_at=datetime(2026, 11, 24, tzinfo=UTC), fingerprint="sha256:x",
                     generated_hash=content_hash(verdict, quote), reasons=["a", "b"])


def test_a_generated_take_is_in_history_and_current(workspace):
    store = DraftStore(workspace)

    draft = store.save_generated(meta(), "A fresh quote.")

    assert store.read("tether-qvac-sdk", "dx") == draft
    assert [e.take for e in store.history("tether-qvac-sdk", "dx")] == [1]
    assert not store.is_edited(draft)


def test_reflowing_whitespace_is_not_an_edit_but_changing_words_is(workspace):
    store = DraftStore(workspace)
    draft = store.save_generated(meta(), "A fresh quote.")

    draft.path.write_text(draft.path.read_text().replace("A fresh quote.",
                                                         "A   fresh\nquote."))
    assert not store.is_edited(store.read("tether-qvac-sdk", "dx"))

    draft.path.write_text(draft.path.read_text().replace("fresh", "hand-written"))
    assert store.is_edited(store.read("tether-qvac-sdk", "dx"))


def test_changing_only_the_verdict_is_an_edit(workspace):
    store = DraftStore(workspace)
    draft = store.save_generated(meta(), "A fresh quote.")

    draft.path.write_text(draft.path.read_text().replace("verdict: ship", "verdict: skip"))

    assert store.is_edited(store.read("tether-qvac-sdk", "dx"))


def test_guard_refuses_edited_drafts_without_force(workspace):
    store = DraftStore(workspace)
    draft = store.save_generated(meta(), "A fresh quote.")
    draft.path.write_text(draft.path.read_text().replace("fresh", "edited"))
    edited = store.read("tether-qvac-sdk", "dx")

    with pytest.raises(EditProtectedError, match="--force"):
        store.guard(edited, force=False, command="panelist redo tether-qvac-sdk dx")
    store.guard(edited, force=True, command="panelist redo tether-qvac-sdk dx")


def test_failed_write_leaves_the_previous_file_intact(workspace, monkeypatch):
    path = workspace.draft_path("tether-qvac-sdk", "dx")
    write_atomic(path, "previous content\n")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(path, "new content that never lands\n")

    assert path.read_text() == "previous content\n"
    assert [p.name for p in path.parent.iterdir()] == ["dx.md"], "no temp file is left behind"


def test_take_numbers_continue_after_history(workspace):
    store = DraftStore(workspace)
    store.save_generated(meta(take=1), "A fresh quote.")
    store.save_generated(meta(take=2), "A fresh quote.")

    assert store.next_take_number("tether-qvac-sdk", "dx") == 3


def test_written_files_are_readable_by_others(workspace):
    path = workspace.draft_path("tether-qvac-sdk", "dx")

    write_atomic(path, "content\n")

    assert path.stat().st_mode & 0o044 == 0o044
