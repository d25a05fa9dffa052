"""Calibration: how each persona calls products, against the panel and the community.

Per persona, over every product it has a draft for (its current verdict, approved or not):

    takes, ship_rate           how often it calls ship
    panel_agreement            share of products where its call is the majority of the other
                               personas' calls (ties are not counted)
    community_agreement        share of products with community votes (and no tie) where its
                               call is the community's majority
    community_correlation      Pearson correlation of its calls (ship 1, skip 0) with the
                               community's ship share, over products with votes (None below 3
                               products or when either side never varies)
    edit ratio                 mean over its approved takes, and the mean of the last 30 days
                               against the mean before

Flags: ``ships nearly everything`` / ``skips nearly everything`` (over 90% / under 10% ship,
over at least 10 products), ``disagrees with the community`` (agrees on under half of at least
3 products with votes), ``edit ratio rising`` (the last 30 days' mean at least 0.05 above the
mean before).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from panelist.errors import PanelistError
from panelist.models import Verdict
from panelist.review.signoff import is_approved
from panelist.review.views import View
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

LOPSIDED_MIN_PRODUCTS = 10
SHIPS_EVERYTHING, SKIPS_EVERYTHING = 0.9, 0.1
COMMUNITY_MIN_PRODUCTS = 3
RISING_BY = 0.05
RECENT = timedelta(days=30)


class CalibrationPoint(View):
    """One product the persona called: for the charts."""

    product: str
    verdict: Verdict
    generated_at: datetime
    community_ship_share: float | None


class PersonaCalibration(View):
    persona: str
    takes: int
    ships: int
    ship_rate: float | None
    panel_compared: int
    panel_agreement: float | None
    community_compared: int
    community_agreement: float | None
    community_correlation: float | None
    approved: int
    mean_edit_ratio: float | None
    edit_ratio_recent: float | None  # approved in the last 30 days
    edit_ratio_before: float | None
    flags: list[str]
    points: list[CalibrationPoint]


class Call(View):
    """One persona's current call on one product, and its approval."""

    verdict: Verdict
    generated_at: datetime
    approved: bool
    approved_at: datetime | None
    edit_ratio: float | None


class ProductCalls(View):
    """What calibration reads of one product: the community's ship share and every call."""

    community_ship_share: float | None
    calls: dict[str, Call]  # persona -> call


def product_calls(workspace: Workspace, store: DraftStore, slug: str) -> ProductCalls:
    """One product's calls (the desk caches these by file, as it caches catalogue rows)."""
    try:
        votes = workspace.load_product(slug).community
    except PanelistError:  # gone or unreadable: its calls still count, without votes
        votes = None
    share = (votes.ship / (votes.ship + votes.skip)
             if votes is not None and votes.ship + votes.skip else None)
    return ProductCalls(community_ship_share=share, calls={
        persona_id: Call(verdict=d.meta.verdict, generated_at=d.meta.generated_at,
                         approved=is_approved(d), approved_at=d.meta.approved_at,
                         edit_ratio=d.meta.edit_ratio)
        for persona_id, d in store.read_all(slug).items()})


def calibration_report(workspace: Workspace, now: datetime | None = None,
                       products: Mapping[str, ProductCalls] | None = None
                       ) -> list[PersonaCalibration]:
    """Every persona on the panel (and any with drafts since removed), in panel order, over
    ``products`` (by default every drafted product, read now)."""
    if products is None:
        store = DraftStore(workspace)
        products = {slug: product_calls(workspace, store, slug)
                    for slug in workspace.drafted_products()}
    calls: dict[str, dict[str, Call]] = defaultdict(dict)  # persona -> product -> call
    for slug, read in products.items():
        for persona_id, call in read.calls.items():
            calls[persona_id][slug] = call
    panel = list(workspace.load_personas())
    order = [*panel, *sorted(set(calls) - set(panel))]
    moment = now or datetime.now(UTC)
    return [_persona(pid, calls, products, moment) for pid in order]


def _persona(persona_id: str, calls: dict[str, dict[str, Call]],
             products: Mapping[str, ProductCalls], now: datetime) -> PersonaCalibration:
    mine = calls.get(persona_id, {})
    ships = sum(1 for c in mine.values() if c.verdict == "ship")
    panel_hits = panel_seen = 0
    community: list[tuple[Verdict, float]] = []
    points = []
    for slug, call in sorted(mine.items(), key=lambda item: item[1].generated_at):
        others = [calls[p][slug].verdict for p in calls if p != persona_id and slug in calls[p]]
        majority = _majority(others.count("ship"), others.count("skip"))
        if majority is not None:
            panel_seen += 1
            panel_hits += call.verdict == majority
        share = products[slug].community_ship_share
        if share is not None:
            community.append((call.verdict, share))
        points.append(CalibrationPoint(product=slug, verdict=call.verdict,
                                       generated_at=call.generated_at,
                                       community_ship_share=share))
    decided = [(v, s) for v, s in community if s != 0.5]
    agreement = (sum(1 for v, s in decided if (v == "ship") == (s > 0.5)) / len(decided)
                 if decided else None)
    ratios = [(c.approved_at, c.edit_ratio) for c in mine.values()
              if c.approved and c.edit_ratio is not None]
    recent = [r for at, r in ratios if at is not None and _aware(at) >= now - RECENT]
    before = [r for at, r in ratios if at is None or _aware(at) < now - RECENT]
    report = PersonaCalibration(
        persona=persona_id, takes=len(mine), ships=ships,
        ship_rate=_round(ships / len(mine)) if mine else None,
        panel_compared=panel_seen,
        panel_agreement=_round(panel_hits / panel_seen) if panel_seen else None,
        community_compared=len(decided), community_agreement=_round(agreement),
        community_correlation=_round(_correlation(
            [1.0 if v == "ship" else 0.0 for v, _ in community], [s for _, s in community])),
        approved=sum(1 for c in mine.values() if c.approved),
        mean_edit_ratio=_mean([r for _, r in ratios]), edit_ratio_recent=_mean(recent),
        edit_ratio_before=_mean(before), flags=[], points=points)
    return report.model_copy(update={"flags": _flags(report)})


def calibration_json(reports: list[PersonaCalibration]) -> dict[str, object]:
    """``stats --calibration --json`` and the desk's API: every figure but the chart points."""
    return {"calibration": [report.model_dump(mode="json", exclude={"points"})
                            for report in reports]}


def _flags(report: PersonaCalibration) -> list[str]:
    flags = []
    if report.takes >= LOPSIDED_MIN_PRODUCTS and report.ship_rate is not None:
        if report.ship_rate > SHIPS_EVERYTHING:
            flags.append(f"ships nearly everything ({report.ships} of {report.takes})")
        elif report.ship_rate < SKIPS_EVERYTHING:
            flags.append(f"skips nearly everything ({report.takes - report.ships} of "
                         f"{report.takes})")
    if (report.community_compared >= COMMUNITY_MIN_PRODUCTS
            and report.community_agreement is not None and report.community_agreement < 0.5):
        flags.append(f"disagrees with the community on most products (agrees on "
                     f"{round(report.community_agreement * report.community_compared)} of "
                     f"{report.community_compared})")
    if (report.edit_ratio_recent is not None and report.edit_ratio_before is not None
            and report.edit_ratio_recent - report.edit_ratio_before >= RISING_BY):
        flags.append(f"edit ratio rising ({report.edit_ratio_before:.0%} before, "
                     f"{report.edit_ratio_recent:.0%} in the last 30 days)")
    return flags


def _majority(ships: int, skips: int) -> Verdict | None:
    if ships == skips:
        return None
    return "ship" if ships > skips else "skip"


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < COMMUNITY_MIN_PRODUCTS or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    return statistics.correlation(xs, ys)


def _mean(values: list[float]) -> float | None:
    return _round(statistics.fmean(values)) if values else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
