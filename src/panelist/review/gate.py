"""The quality gate on takes as they stand, for every review view: one product's context, once.

The panel runs the gate on the take the model wrote; review runs it again on the text an editor
is about to approve or publish, so an edit is judged as edited: a rewrite clears a finding, and
a finding written in by hand is caught. The context (the product's text, the persona's brief, the
names of the catalogue's other products) is built here and nowhere else in review/. The reading
views keep their judgements in the index (``takes_index``); approve and publish judge afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from panelist.models import Draft, Persona, Product
from panelist.review.signoff import override_holds
from panelist.store.workspace import Workspace

if TYPE_CHECKING:  # the gate itself is imported when a take is judged: a read of the index
    # judges nothing and never loads its checks
    from panelist.quality import Assessment, CatalogueFacts


@dataclass(frozen=True)
class Judgement:
    """The gate's findings on a take as it stands, and whether its approval took them anyway
    (a ``quality_override`` bound to this very text)."""

    flags: list[str]
    allowed: bool

    @property
    def blocks(self) -> bool:
        """Whether the findings stop the take from being approved (without the editor's word)
        or published."""
        return bool(self.flags) and not self.allowed


class CatalogueReader:
    """The catalogue's products' facts, as the gate compares a take's facts with theirs: read
    on the first take that asks, then kept by every gate that shares the reader. ``load``
    gives them (not yet read: ``CatalogueFacts`` reads them on the first look-up)."""

    def __init__(self, load: Callable[[], CatalogueFacts]) -> None:
        self._load = load
        self._facts: CatalogueFacts | None = None

    @classmethod
    def of(cls, workspace: Workspace) -> CatalogueReader:
        """Every product file of the workspace, parsed, and its facts derived."""
        def load() -> CatalogueFacts:
            from panelist.quality import CatalogueFacts

            return CatalogueFacts.of_products(lambda: workspace.products().values())

        return cls(load)

    def facts(self) -> CatalogueFacts:
        if self._facts is None:
            self._facts = self._load()
        return self._facts


class TakeGate:
    """The gate for one product's takes, with its context built once."""

    def __init__(self, product: Product, others: Sequence[str] = (),
                 catalogue: CatalogueReader | None = None) -> None:
        self.product = product
        self.others = tuple(others)
        self.catalogue = catalogue

    @classmethod
    def of(cls, workspace: Workspace, product: Product, *,
           names: dict[str, str] | None = None) -> TakeGate:
        """The gate with the names of the catalogue's other products (``names``: read once
        for many products) and their facts, read if a take asks."""
        names = workspace.product_names() if names is None else names
        return cls(product, [name for slug, name in names.items() if slug != product.slug],
                   CatalogueReader.of(workspace))

    def assess(self, persona: Persona | None, draft: Draft) -> Assessment:
        """The take as it stands now: its current verdict, quote and reasons."""
        from panelist.quality import assess_take, context_for

        facts = None if self.catalogue is None else self.catalogue.facts()
        context = context_for(self.product, persona, self.others, catalogue=facts)
        return assess_take(draft.quote, draft.meta.reasons, draft.meta.verdict, context)

    def judge(self, persona: Persona | None, draft: Draft) -> Judgement:
        flags = self._flags(persona, draft)
        return Judgement(flags, bool(flags) and override_holds(draft))

    def _flags(self, persona: Persona | None, draft: Draft) -> list[str]:
        return self.assess(persona, draft).flags
