"""The quality gate on takes as they stand, for every review view: one product's context, once.

The panel runs the gate on the take the model wrote; review runs it again on the text an editor
is about to approve or publish, so an edit is judged as edited: a rewrite clears a finding, and
a finding written in by hand is caught. The context (the product's text, the persona's brief, the
names of the catalogue's other products) is built here and nowhere else in review/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from panelist.models import Draft, Persona, Product
from panelist.quality import Assessment, assess_take, context_for
from panelist.review.signoff import override_holds
from panelist.store.workspace import Workspace


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


class TakeGate:
    """The gate for one product's takes."""

    def __init__(self, product: Product, others: Sequence[str] = ()) -> None:
        self.product = product
        self.others = tuple(others)

    @classmethod
    def of(cls, workspace: Workspace, product: Product) -> TakeGate:
        """The gate with the names of the catalogue's other products."""
        return cls(product, [name for slug, name in workspace.product_names().items()
                             if slug != product.slug])

    def assess(self, persona: Persona | None, draft: Draft) -> Assessment:
        """The take as it stands now: its current verdict, quote and reasons."""
        context = context_for(self.product, persona, self.others)
        return assess_take(draft.quote, draft.meta.reasons, draft.meta.verdict, context)

    def judge(self, persona: Persona | None, draft: Draft) -> Judgement:
        flags = self.assess(persona, draft).flags
        return Judgement(flags, bool(flags) and override_holds(draft))
