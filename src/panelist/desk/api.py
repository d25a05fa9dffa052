"""The JSON API: the same operations as the pages, for the pages' script and editors' scripts.

File work runs in the thread pool (sync handlers, or ``run_in_threadpool``), never on the
event loop, so one slow request does not hold up the others.

    GET  /api/products                                  catalogue rows
    POST /api/products                                  a new product file
    GET  /api/products/{slug}/drafts                    every persona's card, with its hash
    PUT  /api/products/{slug}/drafts/{persona}          save {"quote", "verdict", "hash",
                                                        "save_over"?}
    POST /api/products/{slug}/drafts/{persona}/redo     {"note", "force"?} -> 202 and a run
    POST /api/products/{slug}/drafts/{persona}/approve  {"hash"?, "allow_quality"?}
    POST /api/products/{slug}/drafts/{persona}/unapprove {"hash"?}
    POST /api/products/{slug}/draft                     draft the personas with no draft
    GET  /api/runs/{id}                                 a run's live progress
    POST /api/publish                                   {"products": [a, b]}
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from panelist.desk import editing
from panelist.desk.cards import build_cards, build_one_card
from panelist.desk.context import desk_of
from panelist.desk.security import PUBLISHED_PREFIX
from panelist.errors import InputError
from panelist.review import publish as publishing
from panelist.review.catalogue import catalogue_rows


async def json_body(request: Request, allowed: dict[str, type | tuple[type, ...]]
                    ) -> dict[str, Any]:
    """The request's JSON object, with only the ``allowed`` fields, each of its type."""
    try:
        data = await request.json() if await request.body() else {}
    except ValueError:
        raise InputError("the request body is not JSON: send an object like "
                         "{\"quote\": \"...\"}") from None
    except RecursionError:
        raise InputError("the request body is JSON nested too deeply: send a flat object "
                         "like {\"quote\": \"...\"}") from None
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InputError(f"unknown field '{unknown[0]}' (known: {', '.join(allowed)})")
    for name, kind in allowed.items():
        if name in data and data[name] is not None and not isinstance(data[name], kind):
            raise InputError(f"field '{name}' has the wrong type")
    return data


def list_products(request: Request) -> JSONResponse:
    rows = catalogue_rows(desk_of(request).settled())
    return JSONResponse([row.model_dump(mode="json") for row in rows])


async def create_product(request: Request) -> JSONResponse:
    fields = await json_body(request, {name: str for name in
                                       ("slug", *editing.PRODUCT_FIELDS, "description")})
    product = await run_in_threadpool(editing.create_product, desk_of(request).workspace, fields)
    return JSONResponse({"slug": product.slug, "name": product.name}, status_code=201)


def list_drafts(request: Request) -> JSONResponse:
    cards = build_cards(desk_of(request).reading(), request.path_params["slug"])
    return JSONResponse([card.api_dict() for card in cards if card.status != "missing"])


async def save_draft(request: Request) -> JSONResponse:
    data = await json_body(request, {"quote": str, "verdict": str, "hash": str,
                                     "save_over": bool})
    missing = [name for name in ("quote", "verdict", "hash") if data.get(name) is None]
    if missing:
        raise InputError(f"missing field '{missing[0]}': send quote, verdict and the hash "
                         f"from GET .../drafts")
    if data["verdict"] not in ("ship", "skip"):
        raise InputError("field 'verdict' must be 'ship' or 'skip'")
    workspace = desk_of(request).workspace
    slug, persona = request.path_params["slug"], request.path_params["persona"]
    saved = await run_in_threadpool(lambda: editing.save_edit(
        workspace, slug, persona, quote=data["quote"], verdict=data["verdict"],
        expected_hash=data["hash"], save_over=bool(data.get("save_over"))))
    card = await run_in_threadpool(build_one_card, workspace, slug, persona)
    return JSONResponse({**card.api_dict(), "hash": saved.hash,
                         "kept": workspace.relative(saved.kept) if saved.kept else None})


async def redo_draft(request: Request) -> JSONResponse:
    data = await json_body(request, {"note": str, "force": bool})
    note = (data.get("note") or "").strip() or None
    run = await run_in_threadpool(lambda: desk_of(request).runs.start_redo(
        request.path_params["slug"], request.path_params["persona"], note,
        force=bool(data.get("force"))))
    return JSONResponse(run.snapshot(), status_code=202,
                        headers={"location": f"/api/runs/{run.id}"})


async def approve_draft(request: Request) -> JSONResponse:
    data = await json_body(request, {"hash": str, "allow_quality": bool})
    workspace = desk_of(request).workspace
    slug, persona = request.path_params["slug"], request.path_params["persona"]
    result = await run_in_threadpool(lambda: editing.approve(
        workspace, slug, persona, data.get("hash"), approver=desk_of(request).approver,
        allow_quality=bool(data.get("allow_quality"))))
    card = await run_in_threadpool(build_one_card, workspace, slug, persona)
    return JSONResponse({**card.api_dict(), "approval": result.model_dump(mode="json")})


async def unapprove_draft(request: Request) -> JSONResponse:
    data = await json_body(request, {"hash": str})
    workspace = desk_of(request).workspace
    slug, persona = request.path_params["slug"], request.path_params["persona"]
    result = await run_in_threadpool(editing.unapprove, workspace, slug, persona,
                                     data.get("hash"))
    card = await run_in_threadpool(build_one_card, workspace, slug, persona)
    return JSONResponse({**card.api_dict(), "unapproval": result.model_dump(mode="json")})


def draft_panel(request: Request) -> JSONResponse:
    run = desk_of(request).runs.start_draft(request.path_params["slug"])
    return JSONResponse(run.snapshot(), status_code=202,
                        headers={"location": f"/api/runs/{run.id}"})


def show_run(request: Request) -> JSONResponse:
    run = desk_of(request).runs.get(request.path_params["run_id"])
    if run is None:
        return JSONResponse({"error": "no such run"}, status_code=404)
    return JSONResponse(run.snapshot())


async def publish_page(request: Request) -> JSONResponse:
    data = await json_body(request, {"products": list})
    products = data.get("products") or []
    if not all(isinstance(p, str) for p in products):
        raise InputError("field 'products' must list one or two product slugs")
    workspace = desk_of(request).workspace
    result = await run_in_threadpool(publishing.publish, workspace, products)
    html = next(path for path in result.paths if path.endswith(".html"))
    return JSONResponse({"paths": result.paths, "workspace": str(workspace.root),
                         "folder": str((workspace.root / html).parent),
                         "view": f"{PUBLISHED_PREFIX}/{html.rsplit('/', 1)[-1]}",
                         "lint": [report.model_dump() for report in result.lint]})


PERSONA_PATH = "/api/products/{slug}/drafts/{persona}"
routes = [
    Route("/api/products", list_products, methods=["GET"]),
    Route("/api/products", create_product, methods=["POST"]),
    Route("/api/products/{slug}/drafts", list_drafts, methods=["GET"]),
    Route(PERSONA_PATH, save_draft, methods=["PUT"]),
    Route(PERSONA_PATH + "/redo", redo_draft, methods=["POST"]),
    Route(PERSONA_PATH + "/approve", approve_draft, methods=["POST"]),
    Route(PERSONA_PATH + "/unapprove", unapprove_draft, methods=["POST"]),
    Route("/api/products/{slug}/draft", draft_panel, methods=["POST"]),
    Route("/api/runs/{run_id}", show_run, methods=["GET"]),
    Route("/api/publish", publish_page, methods=["POST"]),
]
