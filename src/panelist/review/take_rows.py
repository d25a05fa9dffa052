"""A take's derived row (what the index keeps of one draft file), and deriving many at once.

A row is derived with the functions every view uses (``Seat.of_draft``, ``review_status``,
``lint_draft``; the quality gate judges an edited take as it stands, and a take as the model
wrote it keeps what the gate found then), so what the index says is what a fresh read would say.

Deriving is pure: a draft's bytes, its product and the panel in, a row out. So a read with many
takes to derive (a new or deleted index over a large catalogue) shares them among the cores the
machine's load leaves idle: worker processes forked from this one (they start with everything
imported), each given whole products, so a product's gate and grounds are built once. A few takes
are derived here: forking a worker costs more than it saves below ``TAKES_PER_WORKER`` takes; and
on a busy machine a worker only queues behind other work.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from panelist.errors import FileFormatError
from panelist.models import Persona, Product
from panelist.quality import load_word_lists
from panelist.quality.version import gate_version
from panelist.review.gate import CatalogueReader, TakeGate
from panelist.review.lint import lint_draft, unreadable_finding
from panelist.review.views import Seat, generated_take
from panelist.store import frontmatter
from panelist.store.drafts import DraftStore
from panelist.store.index import TakeRow
from panelist.store.workspace import Workspace

TAKES_PER_WORKER = 200  # below this many takes a process costs more to fork than it saves
CHUNKS_PER_WORKER = 16  # a slow chunk (many edited takes) is balanced by the others, and the
# last ones are short: a worker done first waits for a small one, not a quarter of its share


class TakeJob(NamedTuple):
    """One draft file to derive: its path, what it is derived from, its bytes, its product
    (None when the product file is missing or unreadable)."""

    path: str
    inputs: str
    raw: bytes
    product: Product | None


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

    def derive(self, jobs: Sequence[TakeJob]) -> list[TakeRow]:
        """The rows of ``jobs``, in their order; in worker processes when there are many."""
        workers = worker_count(len(jobs))
        if workers < 2:
            return [self.row(job) for job in jobs]
        names = self.names()  # read here, once, not in each worker
        load_word_lists()  # the gate's word lists: loaded once, shared by every worker
        self.names = lambda: names
        chunks = list(_chunks_by_product(jobs, workers * CHUNKS_PER_WORKER))
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker, initargs=(self,)) as pool:
            done = pool.map(_derive_in_worker, chunks, chunksize=1)
        return [row for rows in done for row in rows]

    def row(self, job: TakeJob) -> TakeRow:
        path, inputs, raw, product = job
        slug = path.split("/")[1]
        full = self.workspace.root / path
        row = _blank_row(path, inputs)
        try:
            draft = self.store.parse(full, frontmatter.decode(raw, full))
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
        seat = Seat.of_draft(meta.persona, draft, self.store, persona=persona, gate=gate)
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
                "quality": json.dumps(seat.quality if seat.quality_blocks else []),
                "findings": json.dumps([f.model_dump(mode="json") for f in findings]),
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


def worker_count(jobs: int) -> int:
    """Processes to derive ``jobs`` takes in: one per ``TAKES_PER_WORKER`` takes, at most one
    per core this process may run on and one more than the cores left idle by the machine's
    load (forked workers on busy cores only queue behind other work); one where processes
    cannot be forked safely."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # fork is safe on Linux; macOS's system libraries object to it
    cores = len(os.sched_getaffinity(0))
    idle = max(0, int(cores - busy_cores()))
    return max(1, min(cores, idle + 1, jobs // TAKES_PER_WORKER))


LOADAVG = "/proc/loadavg"


def busy_cores() -> float:
    """How many cores other work holds now: the processes running this instant, this one
    aside (``/proc/loadavg``'s fourth field, "2/345"), else the 1-minute load average. The
    average lags by a minute: right after a command of our own it still counts that command."""
    try:
        with open(LOADAVG, encoding="ascii") as stats:
            running = int(stats.read().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return os.getloadavg()[0]
    return max(0, running - 1)


def _chunks_by_product(jobs: Sequence[TakeJob], count: int) -> Iterator[list[TakeJob]]:
    """``jobs`` in about ``count`` runs of whole products, in order."""
    size = max(1, -(-len(jobs) // count))
    chunk: list[TakeJob] = []
    for job in jobs:
        if len(chunk) >= size and _product_of(job) != _product_of(chunk[-1]):
            yield chunk
            chunk = []
        chunk.append(job)
    if chunk:
        yield chunk


def _product_of(job: TakeJob) -> str:
    return job.path.split("/")[1]


_WORKER: list[TakeDeriver] = []  # the deriver a worker process was forked with


def _start_worker(deriver: TakeDeriver) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends the pool
    _WORKER[:] = [deriver]


def _derive_in_worker(jobs: list[TakeJob]) -> list[TakeRow]:
    return [_WORKER[0].row(job) for job in jobs]
