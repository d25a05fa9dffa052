"""The published page: "A vs B" (or one product) from approved takes, as HTML, Markdown and JSON.

Publishing only reads drafts. A panel with takes that are not approved (or were edited after
their approval) is refused, unless the editor asks to include them, in which case every page
marks them so. A take with a lint error is refused either way, and so is a take the quality
gate flags as it stands, unless its approval took it anyway (an override bound to its text).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

from panelist.errors import InputError, NotApprovedError, UnpublishableError
from panelist.models import Verdict
from panelist.quality import summarize
from panelist.review.lint import LintReport, lint_product
from panelist.review.signoff import EDITED_AFTER_APPROVAL
from panelist.review.site import render_html
from panelist.review.views import (
    PanelView,
    ProductFacts,
    Seat,
    SeatStatus,
    View,
    build_comparison,
    build_panel,
    format_percent,
)
from panelist.store import frontmatter
from panelist.store.workspace import Workspace, write_atomic

PageKind = Literal["review", "comparison"]
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


class ReviewerCall(View):
    name: str
    verdict: Verdict | None
    approved: bool
    status: SeatStatus


class ProductCard(View):
    facts: ProductFacts
    calls: list[ReviewerCall]  # each reviewer's call on the page, for the split at a glance
    ship_percent: int | None  # approved ship calls / approved panelists
    ship: int
    skip: int
    approved: int
    panel_size: int


class ScoreCell(View):
    product: str
    product_name: str
    verdict: Verdict | None
    quote: str
    approved: bool
    status: SeatStatus

    @property
    def mark(self) -> str:
        """How the page marks a take shown in a preview without a standing approval."""
        if self.status == "approved":
            return ""
        return EDITED_AFTER_APPROVAL if self.status == EDITED_AFTER_APPROVAL else "unapproved draft"


class ScoreRow(View):
    persona: str
    name: str
    label: str
    cells: list[ScoreCell]


class Page(View):
    slug: str
    kind: PageKind
    kicker: str
    title: str
    dek: str
    published_on: date
    products: list[ProductCard]
    scorecard: list[ScoreRow]
    unapproved: list[str]  # "product / persona" shown although not approved

    @property
    def published_label(self) -> str:
        return f"{self.published_on.day} {self.published_on:%B %Y}"


class Published(View):
    paths: list[str]
    page: Page
    lint: list[LintReport]


def page_slug(slugs: list[str]) -> str:
    return "-vs-".join(slugs)


def build_page(workspace: Workspace, product_refs: list[str], *, include_unapproved: bool,
               today: date | None = None) -> Page:
    return page_of(page_panels(workspace, product_refs), include_unapproved=include_unapproved,
                   today=today)


def page_panels(workspace: Workspace, product_refs: list[str]) -> list[PanelView]:
    """The panels of the page, each take judged by the gate as it stands."""
    if not 1 <= len(product_refs) <= 2:
        raise InputError("publish one product, or two for an 'A vs B' page "
                         f"(got {len(product_refs)})")
    if len(product_refs) == 1:
        return [build_panel(workspace, product_refs[0])]
    return build_comparison(workspace, product_refs).panels


def page_of(panels: list[PanelView], *, include_unapproved: bool,
            today: date | None = None) -> Page:
    unapproved = [_seat_name(panel, seat) for panel in panels for seat in panel.seats
                  if not seat.approved]
    if unapproved and not include_unapproved:
        raise NotApprovedError(_not_approved_message(panels))
    names = [panel.product.name for panel in panels]
    comparison = len(panels) > 1
    return Page(
        slug=page_slug([panel.product.slug for panel in panels]),
        kind="comparison" if comparison else "review",
        kicker="AI tool comparison" if comparison else "AI tool review",
        title=" vs ".join(names),
        dek=("Which one should you ship with? The panel's verdicts side by side: ship calls, "
             "pricing, the reviewers' split and the community vote." if comparison else
             f"Should you ship with {names[0]}? The panel's verdict, the pricing read, the "
             f"reviewers' split and the community vote."),
        published_on=today or date.today(),
        products=[_card(panel, include_unapproved) for panel in panels],
        scorecard=_scorecard(panels, include_unapproved),
        unapproved=unapproved)


def _seat_name(panel: PanelView, seat: Seat) -> str:
    name = f"{panel.product.slug} / {seat.persona}"
    return f"{name} ({EDITED_AFTER_APPROVAL})" if seat.status == EDITED_AFTER_APPROVAL else name


def _not_approved_message(panels: list[PanelView]) -> str:
    """The refusal, one short line per kind of take in the way and what to do about it."""
    def takes(status: str) -> list[tuple[str, str]]:
        return [(panel.product.slug, seat.persona) for panel in panels for seat in panel.seats
                if seat.status == status]

    def slugs(found: list[tuple[str, str]]) -> str:
        return " ".join(dict.fromkeys(slug for slug, _ in found))

    lines = ["Not published: every take must be approved as it stands."]
    if missing := takes("missing"):
        lines += _wrapped(f"No draft yet: {_names(missing)}. Draft them first ('panelist draft "
                          f"{slugs(missing)}'), review and approve them.")
    if waiting := takes("draft"):
        first = waiting[0][0]
        lines += _wrapped(f"Not approved yet: {_names(waiting)}. Review them ('panelist compare "
                          f"{first}') and approve ('panelist approve {first}').")
    if edited := takes(EDITED_AFTER_APPROVAL):
        slug, persona = edited[0]
        lines += _wrapped(f"Edited after approval: {_names(edited)}. Check the change "
                          f"('panelist compare {slug} {persona} --since-approval') and approve "
                          f"again "
                          f"('panelist approve {slug} {persona}').")
    if waiting or edited:
        lines.append("Or publish a preview with --include-unapproved.")
    return "\n".join(lines)


def _names(found: list[tuple[str, str]]) -> str:
    return ", ".join(f"{slug} / {persona}" for slug, persona in found)


def _wrapped(text: str, width: int = 78) -> list[str]:
    """Indented lines of at most ``width``, never breaking a take's name or a command."""
    import textwrap

    kept = re.sub(r"'[^']*'| / ", lambda m: m.group(0).replace(" ", "\0"), text)
    return [line.replace("\0", " ") for line in textwrap.wrap(
        kept, width, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False)]


def _card(panel: PanelView, include_unapproved: bool) -> ProductCard:
    calls = [ReviewerCall(name=seat.name, verdict=seat.verdict, approved=seat.approved,
                          status=seat.status)
             for seat in panel.seats if include_unapproved or seat.approved]
    return ProductCard(facts=panel.product, calls=calls,
                       ship_percent=panel.approved_ship_percent,
                       ship=panel.approved_ship, skip=panel.approved - panel.approved_ship,
                       approved=panel.approved, panel_size=len(panel.seats))


def _scorecard(panels: list[PanelView], include_unapproved: bool) -> list[ScoreRow]:
    rows = []
    for index, first in enumerate(panels[0].seats):
        seats = [(panel.product, panel.seats[index]) for panel in panels]
        cells = [ScoreCell(product=product.slug, product_name=product.name,
                           verdict=seat.verdict, quote=seat.quote, approved=seat.approved,
                           status=seat.status) for product, seat in seats]
        if include_unapproved or all(cell.approved for cell in cells):
            rows.append(ScoreRow(persona=first.persona, name=first.name, label=first.label,
                                 cells=cells))
    return rows


def publish(workspace: Workspace, product_refs: list[str], *, include_unapproved: bool = False,
            out_dir: Path | None = None, today: date | None = None) -> Published:
    """Write site/<page>.html, .md and .json; lint the panel first and report what it found."""
    panels = page_panels(workspace, product_refs)
    page = page_of(panels, include_unapproved=include_unapproved, today=today)
    reports = [lint_product(workspace, card.facts.slug) for card in page.products]
    refuse_lint_errors(reports)  # an error in the file first, then what the gate finds
    refuse_flagged(panels)
    folder = out_dir or workspace.site_dir
    outputs = {
        "html": render_html(workspace, "page.html.j2", page=page),
        "md": render_markdown(page),
        "json": page.model_dump_json(indent=2) + "\n",
    }
    paths = []
    for extension, text in outputs.items():
        path = folder / f"{page.slug}.{extension}"
        write_atomic(path, text)
        paths.append(workspace.relative(path))
    return Published(paths=paths, page=page, lint=reports)


def publish_blockers(workspace: Workspace, product_refs: list[str]) -> list[str]:
    """Why ``publish`` would refuse these products now, one line per take (empty: it would not).

    The same gates as ``publish``: every take approved as it stands, no lint error, no
    finding of the quality gate that its approval did not take anyway.
    """
    panels = [build_panel(workspace, ref) for ref in dict.fromkeys(product_refs)]
    named = {"missing": "no draft yet", "draft": "not approved",
             EDITED_AFTER_APPROVAL: EDITED_AFTER_APPROVAL}
    reasons: dict[str, list[str]] = {}
    for panel in panels:
        errors = lint_product(workspace, panel.product.slug).errors
        for seat in panel.seats:
            found = [] if seat.approved else [named[seat.status]]
            found += [f"lint error, {f.summary}" for f in errors if f.persona == seat.persona]
            if seat.quality_blocks:
                found.append(f"quality, {summarize(seat.quality)}")
            if found:
                reasons[f"{panel.product.slug} / {seat.persona}"] = found
    return [f"{take}: {'; '.join(found)}" for take, found in reasons.items()]


def refuse_flagged(panels: list[PanelView]) -> None:
    """No page goes out with a take the gate flags unless its approval took it anyway, for
    the text as it stands (``quality_override``)."""
    flagged = [(panel.product.slug, seat) for panel in panels for seat in panel.seats
               if seat.quality_blocks]
    if not flagged:
        return
    listed = "; ".join(f"{seat.path}: {', '.join(seat.quality)}" for _, seat in flagged)
    slug, first = flagged[0]
    raise UnpublishableError(
        f"Not published, the quality gate flags: {listed}. Rewrite the take and approve it "
        f"again, or, if the gate is wrong, approve it anyway ('panelist approve {slug} "
        f"{first.persona} --allow-quality')")


def refuse_lint_errors(reports: list[LintReport]) -> None:
    """No page goes out with a lint error in any of its takes, approved or not."""
    errors = [finding for report in reports for finding in report.errors]
    if errors:
        lines = ["Not published, lint errors:"]
        for finding in errors:
            lines += _wrapped(f"{finding.file or f'{finding.product} / {finding.persona}'}: "
                              f"{finding.summary}")
        lines += _wrapped(f"Fix the drafts (see 'panelist lint "
                          f"{' '.join(r.product for r in reports)}') and approve them again.")
        raise UnpublishableError("\n".join(lines))


# markdown -------------------------------------------------------------------------------

def md_text(text: str) -> str:
    """Vendor or model text as inert Markdown: no raw HTML, links, emphasis or headings, and no
    template tags: Hugo's ``{{<`` and ``{{%`` shortcodes, Jekyll's Liquid ``{{`` and ``{%``,
    MDX's ``{`` expressions (Astro) all start with a brace, so every brace becomes an entity."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped).replace("{", "&#123;").replace("}", "&#125;")


def md_url(url: str) -> str:
    """A checked http(s) URL as an autolink, braces percent-encoded like any template tag."""
    return "<" + url.replace("{", "%7B").replace("}", "%7D") + ">"


def render_markdown(page: Page) -> str:
    """Markdown with YAML front matter, for Hugo, Jekyll or Astro content folders."""
    front = {
        "title": page.title,
        "description": page.dek,
        "date": page.published_on,
        "draft": bool(page.unapproved),
        "type": page.kind,
        "products": [{"slug": c.facts.slug, "name": c.facts.name, "category": c.facts.category,
                      "tagline": c.facts.tagline, "pricing": c.facts.pricing,
                      "panel_ship_percent": c.ship_percent,
                      "community_ship_percent": c.facts.community_percent,
                      **({"url": c.facts.url} if c.facts.url else {})} for c in page.products],
    }
    if page.unapproved:
        front["unapproved"] = page.unapproved
    lines = [md_text(page.dek), ""]
    if page.unapproved:
        lines += [f"> **Preview:** includes takes not yet approved: "
                  f"{md_text(', '.join(page.unapproved))}.", ""]
    for card in page.products:
        facts = card.facts
        lines += [f"## {md_text(facts.name)}", "", f"*{md_text(facts.category)}* · "
                  f"{md_text(facts.tagline)}", "",
                  "| Panel ship | Community | Entry |", "| --- | --- | --- |",
                  f"| {format_percent(card.ship_percent)} | "
                  f"{format_percent(facts.community_percent)} | {md_text(facts.pricing)} |", "",
                  f"{card.ship} ship · {card.skip} skip of {card.approved} approved reviewers", ""]
        lines += [line for paragraph in facts.paragraphs for line in (md_text(paragraph), "")]
        if facts.url:
            lines += [md_url(facts.url), ""]
    lines += ["## Reviewer scorecard", ""]
    for row in page.scorecard:
        lines += [f"### {md_text(row.name)} · {md_text(row.label)}", ""]
        for cell in row.cells:
            verdict = cell.verdict.capitalize() if cell.verdict else "No call"
            mark = f" ({cell.mark})" if cell.mark else ""
            lines += [f"**{md_text(cell.product_name)}: {verdict}**{mark}", "",
                      f"> {md_text(cell.quote) if cell.quote else '*No take yet.*'}", ""]
    return frontmatter.dump(front, "\n".join(lines))
