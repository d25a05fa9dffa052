"""The catalogue read model: the one that ``status``, ``stats``, ``lint``, ``compare`` and the
desk's catalogue all read, from the workspace's index (``takes_index``).

A product's panel is its persona files: counts are over the seats on the panel, so a product
never shows more drafted or approved takes than it has personas. Drafts of a persona since
removed from the panel are counted apart (``off_panel``) and listed by ``status PRODUCT``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from panelist.errors import InputError
from panelist.models import Persona, Verdict
from panelist.review.lint import Finding, LintReport
from panelist.review.takes_index import (
    CATALOGUE_COLUMNS,
    IndexSnapshot,
    ProductEntry,
    read_index,
)
from panelist.review.views import (
    CompareView,
    ComparisonView,
    PanelView,
    Seat,
    Tally,
    build_since_approval,
    build_takes,
)
from panelist.store.index import TAKE_COLUMNS, TakeRow
from panelist.store.workspace import Workspace

if TYPE_CHECKING:
    from panelist.review.ahead import ForkedAhead

Stage = Literal["undrafted", "in review", "approved", "unreadable"]
STAGES: tuple[Stage, ...] = ("undrafted", "in review", "approved", "unreadable")


class CatalogueRow(BaseModel):
    """One product of the catalogue, as ``status --json`` and ``GET /api/products`` give it."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    slug: str
    name: str
    category: str
    tagline: str
    panel: int  # personas on the panel
    drafted: int
    edited: int
    approved: int
    ship: int
    skip: int
    ship_percent: int | None
    cost_usd: float
    lint_errors: int
    lint_warnings: int
    quality_flagged: int = 0  # takes the quality gate flags as they stand (no override)
    quality_checks: list[str] = []  # which checks flag them
    last_run: datetime | None
    stage: Stage
    off_panel: int = 0  # drafts of personas no longer on the panel
    problem: str | None = None  # the product or a draft file cannot be read

    def matches(self, text: str, stage: str) -> bool:
        needle = text.strip().lower()
        found = not needle or any(needle in field.lower()
                                  for field in (self.slug, self.name, self.category, self.tagline))
        return found and (not stage or stage == self.stage)


def catalogue_rows(workspace: Workspace, slugs: Iterable[str] | None = None, *,
                   ahead: ForkedAhead | None = None) -> list[CatalogueRow]:
    """Every product in products/ (or the ones named), from the index (``ahead``: workers
    forked for this read, ``review.ahead``)."""
    snapshot = read_index(workspace, slugs, ahead=ahead)
    return [catalogue_row(snapshot, entry) for entry in snapshot.products.values()]


def catalogue_row(snapshot: IndexSnapshot, entry: ProductEntry) -> CatalogueRow:
    personas = snapshot.personas
    takes = snapshot.takes.get(entry.slug, [])
    seated = [take for take in takes if take["persona"] in personas]
    problem = entry.problem or next((str(t["problem"]) for t in takes if t["problem"]), None)
    flagged = [json.loads(str(t["quality"] or "[]")) for t in seated]
    tally = Tally.of((_verdict(t), _str(t["status"])) for t in seated)
    times = [datetime.fromisoformat(str(t["generated_at"])) for t in seated
             if t["generated_at"]]
    stage: Stage = ("unreadable" if problem else "undrafted" if not tally.drafted else
                    "approved" if tally.approved == len(personas) else "in review")
    return CatalogueRow(
        slug=entry.slug, name=entry.name, category=entry.category, tagline=entry.tagline,
        panel=len(personas), drafted=tally.drafted,
        edited=sum(1 for t in seated if t["edited"]), approved=tally.approved,
        ship=tally.ship, skip=tally.skip, ship_percent=tally.ship_percent,
        cost_usd=round(sum(float(str(t["cost_usd"] or 0.0)) for t in seated), 6),
        lint_errors=sum(int(str(t["errors"])) for t in seated) + (1 if entry.problem else 0),
        lint_warnings=sum(int(str(t["warnings"])) for t in seated),
        quality_flagged=sum(1 for findings in flagged if findings),
        quality_checks=sorted({finding.split(":", 1)[0] for findings in flagged
                               for finding in findings}),
        last_run=max(times, default=None), stage=stage,
        off_panel=len(takes) - len(seated), problem=problem)


# seats: status PRODUCT, compare ------------------------------------------------------------

def panel_seats(workspace: Workspace, slug: str, persona_ids: list[str] | None = None, *,
                with_removed: bool = False) -> list[Seat]:
    """The seats of one product's panel (or of the personas named), from the index; with
    ``with_removed``, then the drafts of personas no longer on the panel."""
    return seats_of(read_index(workspace, [slug], columns=TAKE_COLUMNS), slug, persona_ids,
                    with_removed=with_removed)


def seats_of(snapshot: IndexSnapshot, slug: str, persona_ids: list[str] | None = None, *,
             with_removed: bool = False) -> list[Seat]:
    entry = snapshot.products.get(slug)
    if entry is not None and entry.problem:
        raise InputError(entry.problem)
    takes = {str(take["persona"]): take for take in snapshot.takes.get(slug, [])}
    for take in takes.values():
        if take["problem"]:
            raise InputError(str(take["problem"]))
    chosen = [snapshot.personas[p] for p in persona_ids] if persona_ids else list(
        snapshot.personas.values())
    seats = [_seat(persona, takes.get(persona.id)) for persona in chosen]
    if with_removed and not persona_ids:
        seats += [_seat_of_row(take) for pid, take in takes.items()
                  if pid not in snapshot.personas]
    return seats


def _seat(persona: Persona, take: TakeRow | None) -> Seat:
    if take is None:
        return Seat(persona=persona.id, name=persona.name, label=persona.label,
                    status="missing")
    return _seat_of_row(take).model_copy(update={"name": persona.name, "label": persona.label})


def _seat_of_row(take: TakeRow) -> Seat:
    return Seat.model_validate(json.loads(str(take["row"]))["seat"])


def indexed_panel(workspace: Workspace, product_ref: str) -> PanelView:
    """``PanelView`` of one product, its seats from the index."""
    product = workspace.load_product(product_ref)
    return PanelView.of(product, panel_seats(workspace, product.slug))


def build_compare_view(workspace: Workspace, product_ref: str, other: str | None, *,
                       takes: bool, since_approval: bool = False) -> CompareView:
    """The view ``compare`` asked for: a panel, two products, one persona's takes, or what
    changed in one persona's take since its approval."""
    if since_approval:
        if other is None or takes:
            raise InputError(f"--since-approval shows one persona's change since approval: run "
                             f"'panelist compare {product_ref} PERSONA --since-approval'")
        return build_since_approval(workspace, product_ref, other)
    if takes:
        if other is None:
            raise InputError(f"--takes compares one persona's takes: run 'panelist compare "
                             f"{product_ref} PERSONA --takes'")
        return build_takes(workspace, product_ref, other)
    if other is None:
        return indexed_panel(workspace, product_ref)
    looks_like_slug = "/" not in other and not other.endswith(".md")
    if (looks_like_slug and other not in workspace.product_slugs()
            and other in workspace.load_personas()):
        raise InputError(f"'{other}' is a persona, not a product: to compare its takes run "
                         f"'panelist compare {product_ref} {other} --takes'")
    slugs = [workspace.product_path(ref).stem for ref in (product_ref, other)]
    if slugs[0] == slugs[1]:
        raise InputError(f"compare needs two different products (got '{slugs[0]}' twice)")
    return ComparisonView(panels=[indexed_panel(workspace, slug) for slug in slugs])


# lint --------------------------------------------------------------------------------------

def lint_slugs(workspace: Workspace, refs: list[str] | None, all_products: bool) -> list[str]:
    """The products ``lint`` takes (``Workspace.chosen_products``) as slugs, each once: a named
    one by its path or slug, those ``--all`` adds as the products folder lists them (a thousand
    need no look-up each; one that is not a regular file is named by ``lint_reports``)."""
    chosen = workspace.chosen_products(refs, all_products, command="lint")
    named = len(refs or [])
    return list(dict.fromkeys([*(workspace.product_path(ref).stem for ref in chosen[:named]),
                               *chosen[named:]]))


def lint_reports(workspace: Workspace, slugs: list[str], persona_ids: list[str] | None = None
                 ) -> list[LintReport]:
    """``lint_product`` of each product, from the index: the findings were computed by
    ``lint_draft`` when the take last changed."""
    chosen = [p.id for p in workspace.select_personas(persona_ids)]
    snapshot = read_index(workspace, slugs, columns=(*CATALOGUE_COLUMNS, "findings"))
    for slug in slugs:
        if slug not in snapshot.products:  # an unknown product: an error naming the known ones
            workspace.product_path(slug)
            raise InputError(f"products/{slug}.md appeared while it was read: run lint again")
    reports = []
    for slug in slugs:
        entry = snapshot.products[slug]
        if entry.problem:
            raise InputError(entry.problem)
        takes = {str(take["persona"]): take for take in snapshot.takes.get(slug, [])}
        checked = [pid for pid in chosen if pid in takes]
        findings = [Finding.model_validate(found) for pid in checked
                    for found in json.loads(str(takes[pid]["findings"]))]
        reports.append(LintReport(product=slug, checked=checked, findings=findings))
    return reports


# stats -------------------------------------------------------------------------------------

def approved_takes(workspace: Workspace, slug: str | None = None) -> list[tuple[Seat, bool | None]]:
    """Every approved take (of one product, or all), with whether the editor flipped the
    generated verdict (None when the generated take is lost)."""
    snapshot = read_index(workspace, [slug] if slug else None,
                          columns=("product", "persona", "status", "problem", "row"))
    found = []
    for takes in snapshot.takes.values():
        for take in takes:
            if take["problem"]:
                raise InputError(str(take["problem"]))
            if take["status"] == "approved":
                row = json.loads(str(take["row"]))
                found.append((Seat.model_validate(row["seat"]), row["flipped"]))
    return found


def _verdict(take: TakeRow) -> Verdict | None:
    verdict = take["verdict"]
    return "ship" if verdict == "ship" else "skip" if verdict == "skip" else None


def _str(value: object) -> str | None:
    return None if value is None else str(value)
