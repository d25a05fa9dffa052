"""What an editor reviews: a product's panel, two panels side by side, one persona's takes.

These are plain view models built from the workspace; the terminal tables, the HTML pages and
the JSON output are all rendered from them, so the three formats always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from panelist.errors import InputError
from panelist.models import Draft, Persona, Pricing, Product, Verdict
from panelist.review.gate import Judgement, TakeGate
from panelist.review.signoff import override_holds, review_status
from panelist.review.worddiff import Segment, edit_ratio, word_diff
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

SeatStatus = Literal["draft", "approved", "edited after approval", "missing"]
TakeKind = Literal["generated", "editor's version", "approved", "current"]
_WEB_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def safe_url(url: str | None) -> str | None:
    """Only plain http(s) URLs may become links; anything else (javascript:, data:) is dropped."""
    return url if url is not None and _WEB_URL.match(url.strip()) else None


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


class ProductFacts(View):
    slug: str
    name: str
    tagline: str
    category: str
    pricing: Pricing
    license: str | None
    url: str | None
    community_percent: int | None
    community_votes: int
    description: str

    @classmethod
    def of(cls, product: Product) -> ProductFacts:
        votes = product.community
        return cls(slug=product.slug, name=product.name, tagline=product.tagline,
                   category=product.category, pricing=product.pricing, license=product.license,
                   url=safe_url(product.url),
                   community_percent=votes.ship_percent if votes else None,
                   community_votes=votes.ship + votes.skip if votes else 0,
                   description=product.description)

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.description) if p.strip()]


class Seat(View):
    """One persona's place on a product's panel, with its current draft if there is one."""

    persona: str
    name: str
    label: str
    status: SeatStatus
    verdict: Verdict | None = None
    edited: bool = False
    take: int | None = None
    model: str | None = None
    quote: str = ""
    words: int = 0
    edit_ratio: float | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    quality: list[str] = []  # the quality gate's findings on the take as it stands
    quality_allowed: bool = False  # its approval carries an override for this very text
    backend: str | None = None
    output_tokens: int = 0  # the kept take's call
    discarded_output_tokens: int = 0  # the draws and re-asks it beat
    cost_usd: float = 0.0  # every call the take cost, kept or discarded
    injection_flags: list[str] = []
    path: str | None = None  # the draft file, relative to the workspace

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def quality_blocks(self) -> bool:
        """Whether the gate's findings stop this take from being approved or published."""
        return Judgement(self.quality, self.quality_allowed).blocks

    @property
    def status_class(self) -> str:
        """The status as one CSS class name."""
        return self.status.replace(" ", "-")

    @classmethod
    def of(cls, persona: Persona, draft: Draft | None, store: DraftStore,
           gate: TakeGate | None) -> Seat:
        return cls.of_draft(persona.id, draft, store, persona=persona, gate=gate)

    @classmethod
    def of_draft(cls, persona_id: str, draft: Draft | None, store: DraftStore, *,
                 persona: Persona | None = None, gate: TakeGate | None = None,
                 path: str | None = None) -> Seat:
        """The seat of a draft; name and label come from the persona file, when the persona is
        still on the panel. The gate judges the take as it stands; without one (the product
        file is gone) the seat shows what it found when the take was generated. ``path``: the
        draft's path relative to the workspace as a read listed it (``drafts/<slug>/<file>``,
        what ``Workspace.relative`` gives), else worked out from the draft's."""
        name, label = (persona.name, persona.label) if persona else (persona_id, "")
        if draft is None:
            return cls(persona=persona_id, name=name, label=label, status="missing")
        meta = draft.meta
        kept = meta.quality or []  # what the gate found when the take was written
        judged = (Judgement(kept, allowed=bool(kept) and override_holds(draft)) if gate is None
                  else gate.judge(persona, draft))
        discarded = meta.discarded_usage
        return cls(persona=persona_id, name=name, label=label,
                   status=review_status(draft), verdict=meta.verdict,
                   edited=store.is_edited(draft), take=meta.take, model=meta.model,
                   quote=draft.quote, words=len(draft.quote.split()), edit_ratio=meta.edit_ratio,
                   approved_by=meta.approved_by, approved_at=meta.approved_at,
                   quality=judged.flags, quality_allowed=judged.allowed,
                   backend=meta.backend, output_tokens=meta.usage.output_tokens,
                   discarded_output_tokens=discarded.output_tokens if discarded else 0,
                   cost_usd=round(meta.usage.cost_usd
                                  + (discarded.cost_usd if discarded else 0.0), 6),
                   injection_flags=list(meta.injection_flags),
                   path=store.workspace.relative(draft.path) if path is None else path)


def format_percent(value: int | None) -> str:
    """A share as the views show it: "62%", or a dash when there is none."""
    return "—" if value is None else f"{value}%"


class Tally(View):
    """A panel's counts, for ``PanelView`` and the catalogue alike: drafted are the seats with
    a verdict, approved those approved as they stand now, ship % over the drafted ones."""

    drafted: int
    ship: int
    approved: int
    approved_ship: int

    @classmethod
    def of(cls, seats: Iterable[tuple[Verdict | None, str | None]]) -> Tally:
        """``seats``: (verdict, review status) of each seat on the panel."""
        drafted = [(verdict, status) for verdict, status in seats if verdict is not None]
        approved = [verdict for verdict, status in drafted if status == "approved"]
        return cls(drafted=len(drafted), ship=sum(1 for v, _ in drafted if v == "ship"),
                   approved=len(approved), approved_ship=approved.count("ship"))

    @property
    def skip(self) -> int:
        return self.drafted - self.ship

    @property
    def ship_percent(self) -> int | None:
        return percent(self.ship, self.drafted)


class PanelView(View):
    """A product and its panel; ship % counts ship calls over the personas that made one."""

    product: ProductFacts
    seats: list[Seat]
    drafted: int
    ship: int
    skip: int
    ship_percent: int | None
    approved: int
    approved_ship: int
    approved_ship_percent: int | None

    @classmethod
    def of(cls, product: Product, seats: list[Seat]) -> PanelView:
        tally = Tally.of((seat.verdict, seat.status) for seat in seats)
        return cls(product=ProductFacts.of(product), seats=seats, drafted=tally.drafted,
                   ship=tally.ship, skip=tally.skip, ship_percent=tally.ship_percent,
                   approved=tally.approved, approved_ship=tally.approved_ship,
                   approved_ship_percent=percent(tally.approved_ship, tally.approved))

    @property
    def split(self) -> str:
        return f"{self.ship} ship / {self.skip} skip"


class ComparisonView(View):
    """Two (or more) panels persona by persona: the editor's preview of the published page."""

    panels: list[PanelView]

    def rows(self) -> list[tuple[Seat, list[Seat]]]:
        """Per persona: the first panel's seat (for the persona's name) and every panel's seat."""
        first = self.panels[0].seats
        return [(seat, [panel.seats[index] for panel in self.panels])
                for index, seat in enumerate(first)]


class TakeColumn(View):
    """One version of a persona's quote, and how it differs from the version before it."""

    title: str
    kind: TakeKind
    edited: bool  # not the model's words as generated (or, since approval: not as approved)
    take: int
    verdict: Verdict
    model: str
    generated_at: str
    note: str | None
    quote: str
    words: int
    current: bool
    diff_against: str | None
    diff: list[Segment] | None
    edit_ratio: float | None


class TakesView(View):
    product: ProductFacts
    persona: str
    name: str
    label: str
    takes: list[TakeColumn]


# building ---------------------------------------------------------------------------------

def build_panel(workspace: Workspace, product_ref: str, *,
                names: dict[str, str] | None = None) -> PanelView:
    """The panel, every take judged by the gate as it stands; ``names``: the catalogue's
    product names, when the caller read them for many panels."""
    product = workspace.load_product(product_ref)
    store = DraftStore(workspace)
    drafts = store.read_all(product.slug)
    gate = TakeGate.of(workspace, product, names=names)
    seats = [Seat.of(persona, drafts.get(persona.id), store, gate)
             for persona in workspace.load_personas().values()]
    return PanelView.of(product, seats)


def build_comparison(workspace: Workspace, product_refs: list[str]) -> ComparisonView:
    slugs = [workspace.product_path(ref).stem for ref in product_refs]
    if len(set(slugs)) != len(slugs):
        raise InputError(f"compare needs two different products (got '{slugs[0]}' twice)")
    return ComparisonView(panels=[build_panel(workspace, slug) for slug in slugs])


def build_takes(workspace: Workspace, product_ref: str, persona_id: str) -> TakesView:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    store = DraftStore(workspace)
    current = store.read(product.slug, persona.id)
    columns: list[TakeColumn] = []
    for entry in store.history(product.slug, persona.id):
        draft = store.read_file(entry.path)
        is_current = (entry.edited_at is None and current is not None
                      and current.meta.take == entry.take and not store.is_edited(current))
        title = (f"take {entry.take}" if entry.edited_at is None
                 else f"take {entry.take}, editor's version ({entry.edited_at})")
        kind: TakeKind = "generated" if entry.edited_at is None else "editor's version"
        columns.append(_column(draft, title, kind, is_current, columns[-1] if columns else None))
    if current is not None and store.is_edited(current):
        generated = next((c for c in columns if c.kind == "generated"
                          and c.take == current.meta.take), None)
        columns.append(_column(current, f"current (take {current.meta.take}, edited)", "current",
                               True, generated))
    if not columns:
        raise InputError(f"No takes for {product.slug} / {persona.id} yet: run 'panelist draft "
                         f"{product.slug} --persona {persona.id}'")
    return TakesView(product=ProductFacts.of(product), persona=persona.id, name=persona.name,
                     label=persona.label, takes=columns)


def build_since_approval(workspace: Workspace, product_ref: str, persona_id: str) -> TakesView:
    """Two versions of a persona's take: as approved, and as it stands, with the word diff
    between them: exactly what changed since the approval."""
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    store = DraftStore(workspace)
    current = store.read(product.slug, persona.id)
    if current is None or current.meta.approved_hash is None:
        raise InputError(f"{product.slug} / {persona.id} is not approved, so nothing changed "
                         f"since an approval: run 'panelist compare {product.slug} {persona.id} "
                         f"--takes' for its takes")
    approved = approved_version(current)
    if approved is None:
        raise InputError(f"{product.slug} / {persona.id} was approved before panelist kept the "
                         f"approved text: compare its takes ('panelist compare {product.slug} "
                         f"{persona.id} --takes'), then approve again to keep it from now on")
    meta = current.meta
    when = f" {meta.approved_at:%Y-%m-%d %H:%M}" if meta.approved_at else ""
    first = _column(approved, f"as approved{when}", "approved", False, None)
    unchanged = review_status(current) == "approved"
    now = "now, unchanged" if unchanged else "now, edited"
    columns = [first, _column(current, now, "current", True, first, edited=not unchanged)]
    return TakesView(product=ProductFacts.of(product), persona=persona.id, name=persona.name,
                     label=persona.label, takes=columns)


def approved_version(draft: Draft) -> Draft | None:
    """The draft as it was approved (verdict and quote), if the approval kept them."""
    meta = draft.meta
    if meta.approved_quote is None or meta.approved_verdict is None:
        return None
    return draft.model_copy(update={"quote": meta.approved_quote, "meta": meta.model_copy(
        update={"verdict": meta.approved_verdict})})


def changes_since_approval(draft: Draft) -> list[Segment] | None:
    """The word diff from the approved quote to the current one (None: nothing kept)."""
    approved = approved_version(draft)
    return None if approved is None else word_diff(approved.quote, draft.quote)


def _column(draft: Draft, title: str, kind: TakeKind, current: bool,
            previous: TakeColumn | None, edited: bool | None = None) -> TakeColumn:
    meta = draft.meta
    return TakeColumn(
        title=title, kind=kind, edited=kind not in ("generated", "approved") if edited is None
        else edited, take=meta.take, verdict=meta.verdict, model=meta.model,
        generated_at=meta.generated_at.isoformat(timespec="minutes"), note=meta.note,
        quote=draft.quote, words=len(draft.quote.split()), current=current,
        diff_against=previous.title if previous else None,
        diff=word_diff(previous.quote, draft.quote) if previous else None,
        edit_ratio=edit_ratio(previous.quote, draft.quote) if previous else None)


def generated_take(store: DraftStore, draft: Draft) -> Draft | None:
    """The take as the model wrote it for this draft, from history (None if that file is lost).

    A history file that is there but cannot be read is an error naming it, not a lost take:
    approving must not record an unknown edit ratio because of a typo in a file.
    """
    meta = draft.meta
    for entry in store.history(meta.product, meta.persona):
        if entry.take == meta.take and entry.edited_at is None:
            return store.read_file(entry.path)
    return None if store.is_edited(draft) else draft


CompareView = PanelView | ComparisonView | TakesView
