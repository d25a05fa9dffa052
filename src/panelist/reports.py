"""Read-only views of a workspace as plain rows: the CLI prints them as tables or JSON."""

from __future__ import annotations

from typing import Any

from panelist.drafts import DraftStore
from panelist.models import Draft, Persona
from panelist.quality import summarize
from panelist.workspace import Workspace


def draft_row(store: DraftStore, persona_id: str, draft: Draft | None) -> dict[str, Any]:
    if draft is None:
        return {"persona": persona_id, "verdict": None, "status": "missing", "edited": False,
                "take": None, "model": None, "backend": None, "cost_usd": 0.0, "flags": "",
                "quality": "", "path": None}
    meta = draft.meta
    return {
        "persona": persona_id, "verdict": meta.verdict, "status": meta.status,
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
            "approved": sum(1 for d in drafts.values() if d.meta.status == "approved"),
            "ship": ships,
            "skip": len(drafts) - ships,
            "cost_usd": round(sum(d.meta.usage.cost_usd for d in drafts.values()), 6),
        })
    return rows


def take_rows(workspace: Workspace, slug: str, persona_id: str) -> list[dict[str, Any]]:
    store = DraftStore(workspace)
    current = store.read(slug, persona_id)
    rows = []
    for entry in store.history(slug, persona_id):
        draft = store.read_file(entry.path)
        rows.append({
            "take": entry.take,
            "kind": "editor's version" if entry.edited_at else "generated",
            "verdict": draft.meta.verdict,
            "model": draft.meta.model,
            "generated_at": draft.meta.generated_at.isoformat(),
            "note": draft.meta.note,
            "current": (entry.edited_at is None and current is not None
                        and current.meta.take == entry.take),
            "words": len(draft.quote.split()),
            "path": workspace.relative(entry.path),
        })
    return rows


def persona_rows(personas: dict[str, Persona]) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "label": p.label, "lens": p.lens,
             "quote_words": list(p.quote_words), "model": p.model,
             "temperature": p.temperature} for p in personas.values()]


def draft_view(store: DraftStore, draft: Draft) -> dict[str, Any]:
    return {**draft.meta.model_dump(mode="json"), "quote": draft.quote,
            "edited": store.is_edited(draft), "path": store.workspace.relative(draft.path)}
