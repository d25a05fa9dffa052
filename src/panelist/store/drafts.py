"""Draft files and their history: what panelist generated, and whether an editor changed it.

Each generated take is written twice: to ``history/<persona>/take-NNN.md`` (never touched again)
and to the current draft ``<persona>.md`` (the editor's copy). The draft's front matter keeps a
hash of the verdict and quote as generated, so an edit is visible without any other state.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from panelist.errors import EditProtectedError, FileFormatError
from panelist.models import Draft, DraftMeta, parse_file_model
from panelist.store import frontmatter
from panelist.store.text import check_fields, normalise_newlines
from panelist.store.workspace import Workspace, write_atomic

_TAKE_FILE = re.compile(r"^take-(\d{3,})(?:\.edited-([0-9TZ]+))?\.md$")


@lru_cache(maxsize=64)  # a read asks of one take several times (edited? approved as it stands?)
def content_hash(verdict: str, quote: str) -> str:
    """Hash of what an editor would change; whitespace reflow is not an edit."""
    normalised = f"{verdict.strip().lower()}\n{' '.join(quote.split())}"
    return "sha256:" + hashlib.sha256(normalised.encode()).hexdigest()[:16]


def draft_text(meta: DraftMeta, quote: str) -> str:
    """The file: front matter a static-site generator reads first (title, date), then the rest.

    Every field and the quote pass ``text.check_fields`` first: whoever writes a draft (a save
    in the desk, a model's take, an approval), nothing unreadable reaches the file.
    """
    data = meta.model_dump(mode="json", exclude_none=True)
    where = f"drafts/{meta.product}/{meta.persona}.md"
    check_fields({**data, "quote": quote}, where)
    head: dict[str, Any] = {key: data.pop(key) for key in ("title", "date") if key in data}
    return frontmatter.dump({**head, **data}, normalise_newlines(quote))


def with_site_fields(meta: DraftMeta) -> DraftMeta:
    """A new take's front matter with the ``title`` and ``date`` static sites show."""
    return meta.model_copy(update={
        "title": meta.title or f"{meta.product} / {meta.persona}, take {meta.take}",
        "date": meta.date or meta.generated_at})


def history_text(text: str, path: Path) -> str:
    """A draft file as history keeps it: always ``draft: true``, so no site publishes it."""
    data, body, _ = frontmatter.split(text, path)
    data["draft"] = True
    return frontmatter.dump(data, body)


@dataclass(frozen=True)
class HistoryEntry:
    take: int
    path: Path
    edited_at: str | None  # set for an editor's version saved before a forced overwrite


class DraftStore:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def read(self, slug: str, persona_id: str) -> Draft | None:
        path = self.workspace.draft_path(slug, persona_id)
        if not (path.exists() or path.is_symlink()):
            return None
        return self._read_current(path)  # a folder or a FIFO named dx.md is an error, not absent

    def read_file(self, path: Path) -> Draft:
        return self.parse(path, self.workspace.read_text(path))

    def parse(self, path: Path, text: str, shown: Path | str | None = None) -> Draft:
        """A draft file's text as a ``Draft`` (the index parses stored text with it). Errors
        name ``shown`` (the workspace-relative path), worked out from ``path`` when not given."""
        shown = self.workspace.shown(path) if shown is None else shown
        data, body, _ = frontmatter.split(text, shown)
        meta = parse_file_model(DraftMeta, data, shown)
        return Draft(meta=meta, quote=body.strip(), path=path)

    def read_all(self, slug: str) -> dict[str, Draft]:
        folder = self.workspace.product_drafts_dir(slug)
        drafts = {}
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            draft = self._read_current(path)
            drafts[draft.meta.persona] = draft
        return drafts

    def _read_current(self, path: Path) -> Draft:
        """A current draft, whose ``persona:`` must be its file's name."""
        draft = self.read_file(path)
        if draft.meta.persona != path.stem:
            raise FileFormatError(self.workspace.shown(path), f"'{draft.meta.persona}' does not "
                                  f"match the file name", field="persona",
                                  fix=f"set persona: {path.stem}, or rename the file to "
                                      f"{draft.meta.persona}.md")
        return draft

    @staticmethod
    def is_edited(draft: Draft) -> bool:
        return content_hash(draft.meta.verdict, draft.quote) != draft.meta.generated_hash

    def protection(self, draft: Draft) -> str | None:
        """Why this draft must not be overwritten without --force, or None."""
        if draft.meta.status == "approved":
            return "approved"
        if self.is_edited(draft):
            return "edited"
        return None

    def guard(self, draft: Draft | None, *, force: bool, command: str) -> None:
        if draft is None or force or (reason := self.protection(draft)) is None:
            return
        where = self.workspace.relative(draft.path)
        raise EditProtectedError(
            f"{where} was {reason} by an editor; it is kept as it is. To draft a new take "
            f"anyway, run '{command} --force' (your version is saved to history first)")

    def history(self, slug: str, persona_id: str) -> list[HistoryEntry]:
        folder = self.workspace.history_dir(slug, persona_id)
        entries = []
        try:
            names = os.listdir(folder)  # not Path.glob: a catalogue reads a thousand of these
        except (FileNotFoundError, NotADirectoryError):
            names = []
        for name in names:
            if match := _TAKE_FILE.match(name):
                entries.append(HistoryEntry(int(match.group(1)), folder / name, match.group(2)))
        return sorted(entries, key=lambda e: (e.take, e.edited_at or ""))

    def next_take_number(self, slug: str, persona_id: str) -> int:
        numbers = [entry.take for entry in self.history(slug, persona_id)]
        if (current := self.read(slug, persona_id)) is not None:
            numbers.append(current.meta.take)
        return max(numbers, default=0) + 1

    def read_take(self, slug: str, persona_id: str, take: int) -> Draft:
        for entry in self.history(slug, persona_id):
            if entry.take == take and entry.edited_at is None:
                return self.read_file(entry.path)
        known = sorted({e.take for e in self.history(slug, persona_id)})
        raise FileFormatError(self.workspace.relative(self.workspace.history_dir(slug, persona_id)),
                              f"no take {take} (takes: {', '.join(map(str, known)) or 'none'})")

    def archive_edited(self, draft: Draft) -> Path:
        """Keep an editor's version in history before it is replaced."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = self.workspace.history_dir(draft.meta.product, draft.meta.persona)
        path = folder / f"take-{draft.meta.take:03d}.edited-{stamp}.md"
        write_atomic(path, history_text(frontmatter.read_text(draft.path), draft.path))
        return path

    @staticmethod
    def editor_fields(draft: Draft) -> dict[str, Any]:
        """Front-matter fields an editor added (``seo_title: ...``): every rewrite keeps them."""
        return dict(draft.meta.model_extra or {})

    def save_generated(self, meta: DraftMeta, quote: str) -> Draft:
        """Write a new take to history, then make it the current draft (both atomic), keeping
        the fields an editor added to the draft it replaces."""
        if (current := self.read(meta.product, meta.persona)) is not None:
            kept = self.editor_fields(current)
            meta = DraftMeta.model_validate({**kept, **meta.model_dump(exclude_unset=True)})
        meta = with_site_fields(meta)
        text = draft_text(meta, quote)
        history_path = (self.workspace.history_dir(meta.product, meta.persona)
                        / f"take-{meta.take:03d}.md")
        write_atomic(history_path, history_text(text, history_path))
        path = self.workspace.draft_path(meta.product, meta.persona)
        write_atomic(path, text)
        return Draft(meta=meta, quote=quote, path=path)

    def save_history_only(self, meta: DraftMeta, quote: str) -> Path:
        path = self.workspace.history_dir(meta.product, meta.persona) / f"take-{meta.take:03d}.md"
        write_atomic(path, history_text(draft_text(with_site_fields(meta), quote), path))
        return path

    def update_meta(self, draft: Draft, meta: DraftMeta) -> Draft:
        """Rewrite a draft's front matter, keeping the editor's quote exactly as it is."""
        meta = with_site_fields(meta)  # drafts written before titles and dates get them here
        write_atomic(draft.path, draft_text(meta, draft.quote))
        return Draft(meta=meta, quote=draft.quote, path=draft.path)
