"""Where a drafted take goes. ``Panel`` hands every validated take to a sink:

    DraftSink   the default: the current draft and its history in drafts/, holding each
                product's lock, keeping an editor's version and refusing to overwrite a draft
                that changed while the model was drafting
    (a trial's sink writes into .panelist/trials/<id>/ and never touches drafts/: run/trial.py)
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Protocol

from panelist.errors import EditProtectedError
from panelist.models import Draft, DraftMeta
from panelist.run.jobs import Job
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


class TakeSink(Protocol):
    def hold(self, slugs: Sequence[str]) -> contextlib.AbstractContextManager[object]:
        """Whatever must be held while these products' takes are drafted (locks)."""
        ...

    def next_take(self, job: Job) -> int:
        """The take number the job's new take gets."""
        ...

    def write(self, job: Job, meta: DraftMeta, quote: str) -> Draft:
        """Keep the take; raise ``EditProtectedError`` to report it kept elsewhere."""
        ...


class DraftSink:
    """The draft store: history, the current draft, edit protection, one run per product."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.store = DraftStore(workspace)

    def hold(self, slugs: Sequence[str]) -> contextlib.AbstractContextManager[object]:
        locks = contextlib.ExitStack()
        try:
            for slug in sorted(set(slugs)):
                locks.enter_context(self.workspace.lock(slug))
        except BaseException:
            locks.close()
            raise
        return locks

    def next_take(self, job: Job) -> int:
        return self.store.next_take_number(job.product.slug, job.persona.id)

    def write(self, job: Job, meta: DraftMeta, quote: str) -> Draft:
        slug, persona_id = job.product.slug, job.persona.id
        current = self.store.read(slug, persona_id)
        if _changed_since_planned(job.replace, current):
            path = self.store.save_history_only(meta, quote)
            raise EditProtectedError(
                f"{self.workspace.relative(self.workspace.draft_path(slug, persona_id))} changed "
                f"while drafting; it was kept and the new take was saved to "
                f"{self.workspace.relative(path)}")
        if current is not None and (self.store.protection(current)
                                    or self.store.editor_fields(current)):
            self.store.archive_edited(current)  # the editor's file, as it was
        return self.store.save_generated(meta, quote)


def _changed_since_planned(planned: Draft | None, current: Draft | None) -> bool:
    if current is None:
        return False
    if planned is None:
        return True
    return (planned.meta.take != current.meta.take or planned.quote != current.quote
            or planned.meta.verdict != current.meta.verdict
            or planned.meta.status != current.meta.status)
