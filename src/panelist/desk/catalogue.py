"""The catalogue: every product with its panel's counts, lint and quality findings, last run.

Built from the same read model (``PanelView`` of ``Seat``s) and lint as ``status``, ``compare``
and ``lint``; the personas are read once for the whole catalogue, not once per product.
``CatalogueCache`` keeps each row until one of the files it was built from changes (size, mtime
or inode: an atomic write always makes a new inode), so a 1,000-product catalogue costs a few
thousand ``stat`` calls, not six thousand file parses, when little has changed. (A row's
quality findings see the other products' names as they were when the row was built: adding a
product does not rebuild a thousand rows.)
"""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from panelist.errors import FileFormatError, PanelistError
from panelist.models import Persona
from panelist.quality import summarize
from panelist.review.gate import TakeGate
from panelist.review.lint import lint_draft
from panelist.review.views import PanelView, Seat
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

Stage = Literal["undrafted", "in review", "approved", "unreadable"]
STAGES: tuple[Stage, ...] = ("undrafted", "in review", "approved", "unreadable")


class CatalogueRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str
    name: str
    category: str
    tagline: str
    panel: int
    drafted: int
    edited: int
    approved: int
    ship_percent: int | None
    lint_errors: int
    lint_warnings: int
    quality_flagged: int = 0  # takes the gate flags that no approval took anyway
    quality_checks: list[str] = []  # the gate's checks that flag them ("all-caps")
    last_run: datetime | None
    stage: Stage
    problem: str | None = None  # the product or a draft file cannot be read

    def matches(self, text: str, stage: str) -> bool:
        needle = text.strip().lower()
        found = not needle or any(needle in field.lower()
                                  for field in (self.slug, self.name, self.category, self.tagline))
        return found and (not stage or stage == self.stage)


FileKey = tuple[str, int, int, int]


def file_keys(paths: list[Path]) -> tuple[FileKey, ...]:
    keys = []
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            continue
        keys.append((path.name, info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(keys)


class CatalogueCache:
    """Catalogue rows, each rebuilt only when its product, drafts or the personas changed."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._rows: dict[str, tuple[tuple[object, ...], CatalogueRow]] = {}
        self._lock = threading.Lock()  # one build at a time: a second waits, then reads cache

    def warm_up(self) -> threading.Thread:
        """Build every row in the background (the desk does this at start-up)."""
        thread = threading.Thread(target=self._warm, name="desk-catalogue-warm-up", daemon=True)
        thread.start()
        return thread

    def _warm(self) -> None:
        with contextlib.suppress(PanelistError):  # the page shows it when asked for
            self.rows()

    def rows(self) -> list[CatalogueRow]:
        with self._lock:
            return self._build_rows()

    def _build_rows(self) -> list[CatalogueRow]:
        personas_key = file_keys(sorted(self.workspace.personas_dir.glob("*.md")))
        personas: dict[str, Persona] | None = None
        names: dict[str, str] | None = None  # every product's name, for the gate's context
        store = DraftStore(self.workspace)
        rows = []
        slugs = self.workspace.product_slugs()
        for slug in slugs:
            folder = self.workspace.drafts_dir / slug
            key = (personas_key, file_keys([self.workspace.products_dir / f"{slug}.md"]),
                   file_keys(sorted(folder.glob("*.md"))) if folder.is_dir() else ())
            cached = self._rows.get(slug)
            if cached is not None and cached[0] == key:
                rows.append(cached[1])
                continue
            personas = personas or self.workspace.load_personas()
            names = self.workspace.product_names() if names is None else names
            row = catalogue_row(self.workspace, store, personas, slug, names)
            self._rows[slug] = (key, row)
            rows.append(row)
        for gone in set(self._rows) - set(slugs):
            del self._rows[gone]
        return rows


def catalogue_row(workspace: Workspace, store: DraftStore, personas: dict[str, Persona],
                  slug: str, names: dict[str, str] | None = None) -> CatalogueRow:
    try:
        product = workspace.load_product(slug)
        drafts = {pid: draft for pid, draft in store.read_all(slug).items() if pid in personas}
    except FileFormatError as error:
        return CatalogueRow(slug=slug, name=slug, category="", tagline="", panel=len(personas),
                            drafted=0, edited=0, approved=0, ship_percent=None, lint_errors=1,
                            lint_warnings=0, last_run=None, stage="unreadable",
                            problem=str(error))
    # The counts come from the review read model, as in 'status' and 'compare': an edit
    # after approval is not approved, and ship % is over the personas that made a call.
    gate = TakeGate.of(workspace, product, names=names)
    panel = PanelView.of(product, [Seat.of(persona, drafts.get(pid), store, gate)
                                   for pid, persona in personas.items()])
    findings = [f for pid, draft in drafts.items() for f in lint_draft(product, personas[pid],
                                                                        draft)]
    flagged = [seat for seat in panel.seats if seat.quality_blocks]
    stage: Stage = ("undrafted" if not panel.drafted else
                    "approved" if panel.approved == len(personas) else "in review")
    return CatalogueRow(
        slug=slug, name=product.name, category=product.category, tagline=product.tagline,
        panel=len(personas), drafted=panel.drafted,
        edited=sum(1 for seat in panel.seats if seat.edited), approved=panel.approved,
        ship_percent=panel.ship_percent,
        lint_errors=sum(1 for f in findings if f.severity == "error"),
        lint_warnings=sum(1 for f in findings if f.severity == "warning"),
        quality_flagged=len(flagged),
        quality_checks=sorted({summary for seat in flagged
                               for summary in summarize(seat.quality).split(", ")}),
        last_run=max((d.meta.generated_at for d in drafts.values()), default=None), stage=stage)
