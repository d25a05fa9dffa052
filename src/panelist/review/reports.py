"""The read model (``views``) as plain rows: the CLI prints them as tables or JSON. Nothing
here derives a fact of its own; every row is a rendering of a view."""

from __future__ import annotations

from typing import Any

from panelist.errors import InputError
from panelist.models import Draft, Persona
from panelist.review.catalogue import seats_of
from panelist.review.takes_index import read_index
from panelist.review.views import Seat, build_takes
from panelist.store.drafts import DraftStore
from panelist.store.index import TAKE_COLUMNS
from panelist.store.workspace import Workspace


def seat_row(seat: Seat) -> dict[str, Any]:
    return {"persona": seat.persona, "verdict": seat.verdict, "status": seat.status,
            "edited": seat.edited, "take": seat.take, "model": seat.model,
            "backend": seat.backend, "tokens": tokens_label(seat),
            "output_tokens": seat.output_tokens,
            "discarded_output_tokens": seat.discarded_output_tokens,
            "cost_usd": seat.cost_usd if seat.take is not None else None,  # no draft, no cost
            "flags": ", ".join(seat.injection_flags), "quality": quality_label(seat),
            "quality_findings": seat.quality, "quality_allowed": seat.quality_allowed,
            "path": seat.path}


def quality_label(seat: Seat) -> str:
    """The gate's findings on the take as it stands, by name, and whether an approval took
    them on the editor's word."""
    from panelist.quality import summarize  # the gate's checks: not for the catalogue's rows

    names = summarize(seat.quality)
    return f"{names} (approved anyway)" if seat.quality_allowed else names


def tokens_label(seat: Seat) -> str:
    """The kept take's output tokens, then the discarded draws' ("118 +714 discarded");
    empty when the draft records none (written by hand, or by an offline test)."""
    if not seat.output_tokens and not seat.discarded_output_tokens:
        return ""
    extra = (f" +{seat.discarded_output_tokens:,} discarded"
             if seat.discarded_output_tokens else "")
    return f"{seat.output_tokens:,}{extra}"


def status_rows(workspace: Workspace, slugs: list[str], persona_ids: list[str] | None = None
                ) -> list[dict[str, Any]]:
    """One row per seat of each product's panel (or of the personas named), then any drafted
    persona since removed from it; with a ``product`` column when there are several products."""
    chosen = [p.id for p in workspace.select_personas(persona_ids)] if persona_ids else None
    snapshot = read_index(workspace, slugs, columns=TAKE_COLUMNS)
    rows = []
    for slug in slugs:
        for seat in seats_of(snapshot, slug, chosen, with_removed=True):
            row = seat_row(seat)
            rows.append({"product": slug, **row} if len(slugs) > 1 else row)
    return rows


def take_rows(workspace: Workspace, slug: str, persona_id: str) -> list[dict[str, Any]]:
    """Every version of a persona's quote, as ``compare --takes`` shows them."""
    view = build_takes(workspace, slug, persona_id)
    return [{"take": column.take, "kind": column.kind, "verdict": column.verdict,
             "words": column.words, "model": column.model,
             "generated_at": column.generated_at[:16].replace("T", " "), "note": column.note,
             "current": column.current} for column in view.takes]


def persona_rows(personas: dict[str, Persona]) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "label": p.label, "lens": p.lens,
             "quote_words": list(p.quote_words), "model": p.model,
             "temperature": p.temperature} for p in personas.values()]


def draft_view(store: DraftStore, draft: Draft) -> dict[str, Any]:
    """One draft (or a take from history) with its front matter, as ``show`` prints it."""
    seat = Seat.of_draft(draft.meta.persona, draft, store)
    return {**draft.meta.model_dump(mode="json"), "status": seat.status, "quote": draft.quote,
            "edited": seat.edited, "path": seat.path}


def find_draft(workspace: Workspace, product_ref: str, persona_id: str, take: int | None
               ) -> tuple[DraftStore, Draft]:
    """A persona's current draft, or one of its takes from history."""
    slug = workspace.product_path(product_ref).stem
    persona_id = workspace.select_personas([persona_id])[0].id
    store = DraftStore(workspace)
    if take is not None:
        return store, store.read_take(slug, persona_id, take)
    draft = store.read(slug, persona_id)
    if draft is None:
        raise InputError(f"No draft for {slug} / {persona_id} yet: run 'panelist draft "
                         f"{slug} --persona {persona_id}'")
    return store, draft
