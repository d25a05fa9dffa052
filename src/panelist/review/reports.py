"""Read-only views of a workspace as plain rows: the CLI prints them as tables or JSON."""

from __future__ import annotations

from typing import Any

from panelist.errors import InputError
from panelist.models import Draft, Persona
from panelist.quality import summarize
from panelist.review.signoff import is_approved, review_status
from panelist.review.views import build_takes
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


def draft_row(store: DraftStore, persona_id: str, draft: Draft | None) -> dict[str, Any]:
    if draft is None:
        return {"persona": persona_id, "verdict": None, "status": "missing", "edited": False,
                "take": None, "model": None, "backend": None, "cost_usd": 0.0, "flags": "",
                "quality": "", "path": None}
    meta = draft.meta
    return {
        "persona": persona_id, "verdict": meta.verdict, "status": review_status(draft),
        "edited": store.is_edited(draft), "take": meta.take, "model": meta.model,
        "backend": meta.backend, "cost_usd": meta.usage.cost_usd,
        "flags": ", ".join(meta.injection_flags),
        "quality": summarize(meta.quality),
        "path": store.workspace.relative(draft.path),
    }


def status_rows(workspace: Workspace, slug: str) -> list[dict[str, Any]]:
    """One row per persona in the workspace, plus any drafted persona since removed."""
    store = DraftStore(workspace)
    drafts = store.read_all(slug)
    persona_ids = list(workspace.load_personas())
    persona_ids += [pid for pid in drafts if pid not in persona_ids]
    return [draft_row(store, pid, drafts.get(pid)) for pid in persona_ids]


def catalogue_rows(workspace: Workspace) -> list[dict[str, Any]]:
    """One row per product: how far its panel is."""
    store = DraftStore(workspace)
    personas = list(workspace.load_personas())
    slugs = sorted(set(workspace.product_slugs()) | set(workspace.drafted_products()))
    rows = []
    for slug in slugs:
        drafts = store.read_all(slug)
        ships = sum(1 for d in drafts.values() if d.meta.verdict == "ship")
        rows.append({
            "product": slug,
            "drafted": sum(1 for pid in personas if pid in drafts),
            "personas": len(personas),
            "edited": sum(1 for d in drafts.values() if store.is_edited(d)),
            "approved": sum(1 for d in drafts.values() if is_approved(d)),
            "ship": ships,
            "skip": len(drafts) - ships,
            "cost_usd": round(sum(d.meta.usage.cost_usd for d in drafts.values()), 6),
        })
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
    return {**draft.meta.model_dump(mode="json"), "status": review_status(draft),
            "quote": draft.quote, "edited": store.is_edited(draft),
            "path": store.workspace.relative(draft.path)}


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
