"""The quality gate on takes as they stand, for every review view: one product's context, once.

The panel runs the gate on the take the model wrote; review runs it again on the text an editor
is about to approve or publish, so an edit is judged as edited: a rewrite clears a finding, and
a finding written in by hand is caught. The context (the product's text, the persona's brief, the
names of the catalogue's other products) is built here and nowhere else in review/. Reading views
keep each judgement (``store.gatecache``), so ``status`` need not load the gate's word lists for
takes it judged before; approve and publish always judge afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from panelist import quality
from panelist.models import Draft, Persona, Product
from panelist.quality import Assessment, GateContext, assess_take, context_for
from panelist.review.signoff import override_holds
from panelist.store.gatecache import GateCache
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
    """The gate for one product's takes. With a ``cache``, findings on a text this same gate
    judged before are read back instead of loading the gate (reading views); without one,
    every take is judged afresh (approve and publish)."""

    def __init__(self, product: Product, others: Sequence[str] = (),
                 cache: GateCache | None = None) -> None:
        self.product = product
        self.others = tuple(others)
        self.cache = cache

    @classmethod
    def of(cls, workspace: Workspace, product: Product, *, fresh: bool = False,
           names: dict[str, str] | None = None) -> TakeGate:
        """The gate with the names of the catalogue's other products (``names``: read once
        for many products); ``fresh``: no cache."""
        names = workspace.product_names() if names is None else names
        return cls(product, [name for slug, name in names.items() if slug != product.slug],
                   cache=None if fresh else GateCache(workspace))

    def assess(self, persona: Persona | None, draft: Draft) -> Assessment:
        """The take as it stands now: its current verdict, quote and reasons."""
        context = context_for(self.product, persona, self.others)
        return assess_take(draft.quote, draft.meta.reasons, draft.meta.verdict, context)

    def judge(self, persona: Persona | None, draft: Draft) -> Judgement:
        flags = self._flags(persona, draft)
        return Judgement(flags, bool(flags) and override_holds(draft))

    def _flags(self, persona: Persona | None, draft: Draft) -> list[str]:
        if self.cache is None:
            return self.assess(persona, draft).flags
        context = context_for(self.product, persona, self.others)
        key = judgement_key(context, draft)
        flags = self.cache.get(key)
        if flags is None:
            flags = self.assess(persona, draft).flags
            self.cache.put(key, flags)
        return flags


@functools.cache
def gate_source_hash() -> str:
    """A hash of the gate's own code: a changed gate never reads an older gate's findings."""
    module = Path(quality.__file__)
    files = sorted(module.parent.glob("*.py")) if module.name == "__init__.py" else [module]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def judgement_key(context: GateContext, draft: Draft) -> str:
    """What the gate's findings depend on: its code, the take's text and its context."""
    meta = draft.meta
    judged = [gate_source_hash(), meta.verdict, draft.quote, list(meta.reasons),
              repr(context)]
    return hashlib.sha256(json.dumps(judged).encode()).hexdigest()[:32]
