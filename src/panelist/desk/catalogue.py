"""The catalogue: every product with its panel's counts, lint findings and last run.

Built from the same store, review and lint functions as ``status`` and ``lint``; the personas
are read once for the whole catalogue, not once per product.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from panelist.drafts import DraftStore
from panelist.errors import FileFormatError
from panelist.lint import lint_draft
from panelist.models import Persona
from panelist.review import percent
from panelist.workspace import Workspace

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
    last_run: datetime | None
    stage: Stage
    problem: str | None = None  # the product or a draft file cannot be read

    def matches(self, text: str, stage: str) -> bool:
        needle = text.strip().lower()
        found = not needle or any(needle in field.lower()
                                  for field in (self.slug, self.name, self.category, self.tagline))
        return found and (not stage or stage == self.stage)


def build_catalogue(workspace: Workspace) -> list[CatalogueRow]:
    personas = workspace.load_personas()
    store = DraftStore(workspace)
    return [catalogue_row(workspace, store, personas, slug) for slug in workspace.product_slugs()]


def catalogue_row(workspace: Workspace, store: DraftStore, personas: dict[str, Persona],
                  slug: str) -> CatalogueRow:
    try:
        product = workspace.load_product(slug)
        drafts = {pid: draft for pid, draft in store.read_all(slug).items() if pid in personas}
    except FileFormatError as error:
        return CatalogueRow(slug=slug, name=slug, category="", tagline="", panel=len(personas),
                            drafted=0, edited=0, approved=0, ship_percent=None, lint_errors=1,
                            lint_warnings=0, last_run=None, stage="unreadable",
                            problem=str(error))
    findings = [f for pid, draft in drafts.items() for f in lint_draft(product, personas[pid],
                                                                        draft)]
    approved = sum(1 for d in drafts.values() if d.meta.status == "approved")
    ship = sum(1 for d in drafts.values() if d.meta.verdict == "ship")
    stage: Stage = ("undrafted" if not drafts else
                    "approved" if approved == len(personas) else "in review")
    return CatalogueRow(
        slug=slug, name=product.name, category=product.category, tagline=product.tagline,
        panel=len(personas), drafted=len(drafts),
        edited=sum(1 for d in drafts.values() if store.is_edited(d)), approved=approved,
        ship_percent=percent(ship, len(drafts)),
        lint_errors=sum(1 for f in findings if f.severity == "error"),
        lint_warnings=sum(1 for f in findings if f.severity == "warning"),
        last_run=max((d.meta.generated_at for d in drafts.values()), default=None), stage=stage)
