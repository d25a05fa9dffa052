"""The desk's HTML pages: catalogue, a product's panel, A vs B with its preview, new product."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from panelist.desk import editing
from panelist.desk.cards import DraftCard, build_cards, build_one_card, card_history
from panelist.desk.context import desk_of
from panelist.desk.editing import desk_ids
from panelist.desk.security import PUBLISHED_PREFIX
from panelist.errors import InputError
from panelist.models import Pricing
from panelist.review import publish as publishing
from panelist.review.catalogue import STAGES, catalogue_rows
from panelist.review.site import render_html
from panelist.review.views import ProductFacts
from panelist.store.text import printable
from panelist.store.workspace import Workspace, check_slug

PUBLISHED_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,200}\.html")

PRICINGS: tuple[Pricing, ...] = ("Free", "Freemium", "Paid", "Open source", "Enterprise")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = desk_of(request).templates.get_template(template).render(
        workspace=desk_of(request).workspace.root, **context)
    return HTMLResponse(html, status_code=status)


def catalogue(request: Request) -> HTMLResponse:
    text = request.query_params.get("q", "")
    stage = request.query_params.get("stage", "")
    rows = catalogue_rows(desk_of(request).settled())
    shown = [row for row in rows if row.matches(text, stage)]
    return render(request, "catalogue.html.j2", rows=shown, total=len(rows), q=text,
                  stage=stage, stages=STAGES)


def product_page(request: Request) -> HTMLResponse:
    workspace = desk_of(request).reading()
    slug, _ = desk_ids(request.path_params["slug"])
    product = workspace.load_product(slug)
    cards = build_cards(workspace, slug)
    histories = {card.persona: card_history(workspace, card, slug) for card in cards}
    return render(request, "product.html.j2", product=product,
                  paragraphs=ProductFacts.of(product).paragraphs, cards=cards,
                  histories=histories, compare_with=default_b(workspace, slug),
                  missing=sum(1 for card in cards if card.status == "missing"),
                  approver=desk_of(request).approver)


def default_b(workspace: Workspace, slug: str) -> str | None:
    """The "A vs B" link's B: the first other product with drafts, else none, so the link
    never picks a product that would block Publish for want of drafts."""
    drafted = set(workspace.drafted_products())
    return next((other for other in workspace.product_slugs()
                 if other != slug and other in drafted
                 and any((workspace.drafts_dir / other).glob("*.md"))), None)


def card_fragment(request: Request) -> HTMLResponse:
    """One card, re-rendered after a save, approve or unapprove (the page script swaps it in)."""
    workspace = desk_of(request).reading()
    slug, persona = desk_ids(request.path_params["slug"], request.path_params["persona"])
    card: DraftCard = build_one_card(workspace, slug, persona)
    return render(request, "_card_fragment.html.j2", slug=slug, card=card,
                  history=card_history(workspace, card, slug))


def compare_page(request: Request) -> HTMLResponse:
    workspace = desk_of(request).reading()
    slugs = workspace.product_slugs()
    selected = {key: request.query_params.get(key, "") for key in ("a", "b")}
    chosen = list(dict.fromkeys(check_slug(slug) for slug in selected.values() if slug))
    for slug in chosen:
        workspace.product_path(slug)  # an unknown product is a 404 naming the known ones
    rows = catalogue_rows(workspace, chosen) if chosen else []
    blockers = publishing.publish_blockers(workspace, chosen) if chosen else []
    return render(request, "compare.html.j2", slugs=slugs, selected=selected, chosen=chosen,
                  rows=rows, blockers=blockers, ready=bool(rows) and not blockers,
                  preview_query="&".join(
                      f"{key}={slug}" for key, slug in zip("ab", chosen, strict=False)))


def preview(request: Request) -> HTMLResponse:
    """The page ``publish`` would write (unapproved takes marked), for the chooser's frame."""
    workspace = desk_of(request).reading()
    refs = [check_slug(request.query_params[key]) for key in ("a", "b")
            if request.query_params.get(key)]
    if not refs:
        raise InputError("choose a product to preview")
    page = publishing.build_page(workspace, list(dict.fromkeys(refs)), include_unapproved=True)
    return HTMLResponse(render_html(workspace, "page.html.j2", page=page))


def published_page(request: Request) -> Response:
    """A page ``publish`` wrote to site/, so the desk can link to what it just published."""
    name = request.path_params["name"]
    if not PUBLISHED_NAME.fullmatch(name):
        raise InputError(f"'{printable(name)}' is not a published page's name")
    path = desk_of(request).workspace.site_dir / name
    if not path.is_file():
        return Response("not published yet", status_code=404, media_type="text/plain")
    return HTMLResponse(path.read_text(encoding="utf-8"))


def new_product_form(request: Request) -> HTMLResponse:
    return render(request, "new_product.html.j2", values={}, problems={}, error=None,
                  pricings=PRICINGS)


async def create_product(request: Request) -> Response:
    values = dict(parse_qsl((await request.body()).decode("utf-8", "replace"),
                            keep_blank_values=True))
    try:
        product = await run_in_threadpool(editing.create_product, desk_of(request).workspace,
                                          values)
    except InputError as error:
        problems = error.problems if isinstance(error, editing.ProductFormError) else {}
        return render(request, "new_product.html.j2", status=400, values=values,
                      problems={name: printable(text) for name, text in problems.items()},
                      error=printable(str(error)), pricings=PRICINGS)
    return RedirectResponse(f"/products/{product.slug}", status_code=303)


def no_favicon(request: Request) -> Response:
    """Browsers ask for one on JSON views too; answering 204 keeps their consoles clean."""
    return Response(status_code=204)


routes = [
    Route("/", catalogue, methods=["GET"]),
    Route("/favicon.ico", no_favicon, methods=["GET"]),
    Route("/products/new", new_product_form, methods=["GET"]),
    Route("/products/new", create_product, methods=["POST"]),
    Route("/products/{slug}", product_page, methods=["GET"]),
    Route("/products/{slug}/cards/{persona}", card_fragment, methods=["GET"]),
    Route("/compare", compare_page, methods=["GET"]),
    Route("/preview", preview, methods=["GET"]),
    Route(PUBLISHED_PREFIX + "/{name}", published_page, methods=["GET"]),
]
