"""A take's derived row (what the index keeps of one draft file), and deriving many at once.

A row is derived with the functions every view uses (``Seat.of_draft``, ``review_status``,
``lint_draft``; the quality gate judges an edited take as it stands, and a take as the model
wrote it keeps what the gate found then), so what the index says is what a fresh read would say.
Many takes are derived in worker processes (``take_workers``): the rows are the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from panelist.errors import FileFormatError
from panelist.models import Persona, Product
from panelist.quality import CatalogueFacts, load_word_lists
from panelist.quality.version import gate_version
from panelist.review.gate import CatalogueReader, TakeGate
from panelist.review.kept_facts import KeptFacts
from panelist.review.lint import lint_draft, unreadable_finding
from panelist.review.shared_facts import SharedFacts
from panelist.review.take_workers import TakeJob, Workers, worker_count
from panelist.review.views import Seat, generated_take
from panelist.store import frontmatter
from panelist.store.drafts import DraftStore
from panelist.store.index import TakeRow
from panelist.store.workspace import Workspace


@dataclass
class TakeDeriver:
    """Derives take rows for one read: one gate per product, built on first need."""

    workspace: Workspace
    personas: dict[str, Persona]
    names: Callable[[], dict[str, str]]  # every product's name, for the gate's names check
    gates: dict[str, TakeGate] = field(default_factory=dict)
    all_names: tuple[str, ...] | None = None
    catalogue: CatalogueReader | None = None  # shared by every gate of the read

    def __post_init__(self) -> None:
        self.store = DraftStore(self.workspace)
        self.folders: dict[str, Path] = {}  # each product's drafts/<slug>, made once

    def _full(self, path: str) -> Path:
        """``drafts/<slug>/<file>`` under the workspace: its folder's path made once."""
        _, slug, name = path.split("/")
        folder = self.folders.get(slug)
        if folder is None:
            folder = self.folders[slug] = self.workspace.root / "drafts" / slug
        return folder / name

    def derive(self, jobs: Sequence[TakeJob], kept: list[KeptFacts] | None = None
               ) -> Iterator[list[TakeRow]]:
        """The rows of ``jobs``, some at a time as they are done: in worker processes forked
        now when there are many (a read that saw many coming forked its own earlier). The
        catalogue's facts the workers derive are added to ``kept``."""
        count = worker_count(len(jobs))
        if count < 2:
            yield [self.row(job) for job in jobs]
            return
        load_deriving()  # loaded once here, shared by every worker forked from here
        workers = Workers(count, self._in_a_worker)
        try:
            yield from workers.derive(jobs, self.names(), kept)
        finally:
            workers.close()

    def _in_a_worker(self) -> TakeDeriver:
        """This deriver, in the first worker (forked: the reader's is not changed). A worker
        never reads the reader's index: the catalogue's facts are derived by the workers
        together (``share``), as in a read that forked early, not by the reader alone before
        it forks; where they have no folder to share them in, each derives them all."""
        self.catalogue = None
        return self

    def rows(self, jobs: Sequence[TakeJob], names: dict[str, str]) -> list[TakeRow]:
        """The rows of ``jobs`` (in a worker), with the catalogue's names the reader read."""
        self.names = lambda: names
        return [self.row(job) for job in jobs]

    def share(self, facts: SharedFacts) -> None:
        """In a worker: the catalogue's facts are derived with the other workers, each its
        share, on the first take that asks."""
        workspace = self.workspace
        self.catalogue = CatalogueReader(lambda: CatalogueFacts(lambda: facts.facts(workspace)))

    def row(self, job: TakeJob) -> TakeRow:
        path, inputs, raw, product = job
        slug = path.split("/")[1]
        full = self._full(path)
        row = _blank_row(path, inputs)
        try:
            draft = self.store.parse(full, frontmatter.decode(raw, full), shown=path)
        except FileFormatError as error:
            finding = unreadable_finding(slug, str(row["persona"]), path, error)
            return {**row, "findings": json.dumps([finding.model_dump(mode="json")]),
                    "errors": 1, "problem": str(error)}
        meta = draft.meta
        persona = self.personas.get(meta.persona)
        findings = (lint_draft(product, persona, draft, file=path)
                    if product is not None and persona is not None else [])
        # An edited take is judged as it stands; one as the model wrote it keeps the findings
        # the gate wrote into it then (the same text: a thousand products need no gate run),
        # unless another version of the gate wrote them (or none said which): judged again
        judge = self.store.is_edited(draft) or meta.quality_gate != gate_version()
        gate = self._gate(product) if product is not None and judge else None
        seat = Seat.of_draft(meta.persona, draft, self.store, persona=persona, gate=gate,
                             path=path)
        flipped: bool | None = False  # a take as generated has the verdict it was generated with
        if seat.approved and seat.edited:  # the seat's review status is the draft's
            try:
                generated = generated_take(self.store, draft)
                flipped = None if generated is None else generated.meta.verdict != meta.verdict
            except FileFormatError:
                flipped = None
        return {**row, "persona": meta.persona, "verdict": meta.verdict,
                "status": seat.status, "edited": int(seat.edited),
                "approved_hash": meta.approved_hash, "words": seat.words,
                "cost_usd": seat.cost_usd, "generated_at": meta.generated_at.isoformat(),
                "quality": json.dumps(seat.quality) if seat.quality_blocks else "[]",
                "findings": json.dumps([f.model_dump(mode="json") for f in findings])
                if findings else "[]",
                "errors": sum(1 for f in findings if f.severity == "error"),
                "warnings": sum(1 for f in findings if f.severity == "warning"),
                "row": json.dumps({"seat": seat.model_dump(mode="json"), "flipped": flipped,
                                   "usage": meta.usage.model_dump()})}

    def unreadable(self, path: str) -> TakeRow:
        """A draft name that is not a file (a folder, a FIFO): an error naming it."""
        _, slug, name = path.split("/")
        full = self.workspace.root / path
        try:
            frontmatter.check_regular_file(full, self.workspace.shown(full))
            error = FileFormatError(path, "is not a regular file")
        except FileFormatError as found:
            error = found
        finding = unreadable_finding(slug, name.removesuffix(".md"), path, error)
        return {**_blank_row(path, ""),
                "findings": json.dumps([finding.model_dump(mode="json")]),
                "errors": 1, "problem": str(error)}

    def _gate(self, product: Product) -> TakeGate:
        """One gate per product for this read, judging afresh (the index keeps the result).
        Every gate is given the one tuple of all the catalogue's names: the gate's context
        sets the product's own name aside, so no list of the others is built per product."""
        if product.slug not in self.gates:
            if self.all_names is None:
                self.all_names = tuple(self.names().values())
            if self.catalogue is None:
                self.catalogue = CatalogueReader.of(self.workspace)
            self.gates[product.slug] = TakeGate(product, self.all_names, self.catalogue)
        return self.gates[product.slug]


def _blank_row(path: str, inputs: str) -> TakeRow:
    """A take's row before anything is read of it: its path's product and persona only."""
    _, slug, name = path.split("/")
    return {"path": path, "product": slug, "persona": name.removesuffix(".md"),
            "inputs": inputs, "verdict": None, "status": None, "edited": None,
            "approved_hash": None, "words": None, "cost_usd": None, "generated_at": None,
            "quality": "[]", "findings": "[]", "errors": 0, "warnings": 0, "problem": None,
            "row": "{}"}


def load_deriving() -> None:
    """Load what deriving a take needs before the first take asks for it (the gate's word
    lists and lexicon): in a worker, while the reader still reads the files."""
    load_word_lists()


def loaded_deriver(workspace: Workspace, personas: dict[str, Persona]) -> TakeDeriver:
    """A deriver with what it needs loaded: a worker forked early makes its own."""
    load_deriving()
    return TakeDeriver(workspace, personas, dict)
